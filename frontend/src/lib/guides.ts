// Words for question guides: kinds and the finding sections their questions feed.
import type { GuideKind, GuideSection, LanguageCategory } from '../api/types'

export const guideKinds: Record<GuideKind, string> = {
  responder_chat: 'Responder chat',
  non_responder_chat: 'Non-responder / near-miss chat',
  learn_session: 'Learning team: learn',
  improve_session: 'Learning team: improve',
  change_addon: 'Change / deployment add-on',
  game_day: 'Pre-mortem / game day',
}

export const guideKindTone: Record<GuideKind, string> = {
  responder_chat: 'blue',
  non_responder_chat: 'violet',
  learn_session: 'teal',
  improve_session: 'green',
  change_addon: 'amber',
  game_day: 'slate',
}

export const guideKindOrder: GuideKind[] = [
  'responder_chat',
  'non_responder_chat',
  'learn_session',
  'improve_session',
  'change_addon',
  'game_day',
]

export interface SectionInfo {
  name: string
  what: string
}

/** Finding sections, in the order a write-up uses them. */
export const sections: Record<GuideSection, SectionInfo> = {
  NAR: { name: 'Narrative & timelines', what: 'Prologue, trigger, impact, recovery; per-person timelines' },
  CON: { name: 'Contributors / enablers', what: 'The conditions and decisions that together made it possible' },
  MIT: { name: 'Mitigators', what: 'What limited the damage or sped recovery' },
  RSK: { name: 'Risks', what: 'Hazards revealed or created; what could have happened' },
  DIF: { name: 'Difficulties in handling', what: 'Islands of knowledge, hand-offs, access, misleading signals' },
  EXP: { name: 'Expertise & normal work', what: 'How the work usually succeeds; cues experts read' },
  PRS: { name: 'Pressures & goal conflicts', what: 'Schedule and production pressure, competing goals' },
  WEL: { name: 'People & wellbeing', what: 'Are our people ok; did they feel supported' },
  OPQ: { name: 'Open questions', what: 'What is still unclear and who might know' },
  ACT: { name: 'Actionable outcomes', what: 'Agreed after soak time, with an owner' },
  ART: { name: 'Artifacts', what: 'Links to evidence: transcripts, dashboards, PRs' },
}

export const sectionOrder = Object.keys(sections) as GuideSection[]

/** A short "what to do instead" per language-check category, for the list under a field. */
export const categoryAdvice: Record<LanguageCategory, string> = {
  why_question: 'Ask how or what instead',
  counterfactual: 'Describe what was known at the time',
  hindsight: 'Say what made it visible later',
  blame_on_person: 'Describe the event and the conditions',
  human_error: 'Describe what made the action reasonable',
  root_cause: 'Name the contributors and the trigger',
  minimizing: 'Drop it, or ask what it took',
  judgmental: 'Describe instead of judging',
  leading_question: 'Ask an open question',
}

/** Category titles for when the list from the API has not arrived. */
export const categoryTitles: Record<LanguageCategory, string> = {
  why_question: 'Why questions',
  counterfactual: 'Counterfactuals',
  hindsight: 'Hindsight',
  blame_on_person: 'Blame on a person',
  human_error: 'Human error',
  root_cause: 'Root cause',
  minimizing: 'Minimizing',
  judgmental: 'Judgmental words',
  leading_question: 'Leading questions',
}

/** "why question", "counterfactual", … for running text. */
export const categoryNoun: Record<LanguageCategory, string> = {
  why_question: 'why question',
  counterfactual: 'counterfactual',
  hindsight: 'hindsight',
  blame_on_person: 'blame on a person',
  human_error: 'human error',
  root_cause: 'root cause',
  minimizing: 'minimizing',
  judgmental: 'judgmental word',
  leading_question: 'leading question',
}
