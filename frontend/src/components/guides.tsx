// Pieces shared by the guide pages: kind badges, section chips, and the
// read-only view of a guide's opener, questions and closer.
import type { ReactNode } from 'react'
import type { GuideKind, GuideSection } from '../api/types'
import { guideKinds, guideKindTone, sections } from '../lib/guides'
import { Badge } from './ui'

export const GuideKindBadge = ({ kind }: { kind: GuideKind }) => (
  <Badge tone={guideKindTone[kind]}>{guideKinds[kind]}</Badge>
)

/** A section code with its name on hover and keyboard focus (and for screen readers). */
export function SectionChip({ code }: { code: GuideSection }) {
  const info = sections[code]
  return (
    <span className="chip" tabIndex={0} data-tip={`${info.name} — ${info.what}`}>
      <span aria-hidden="true">{code}</span>
      <span className="sr-only">{info.name}</span>
    </span>
  )
}

export function SectionChips({ codes }: { codes: readonly GuideSection[] }) {
  if (codes.length === 0) return null
  return (
    <span className="chips" aria-label="Finding sections">
      {codes.map((c) => (
        <SectionChip key={c} code={c} />
      ))}
    </span>
  )
}

/** Text with {{placeholders}} marked, so readers see what an event will fill in. */
export function WithPlaceholders({ text }: { text: string }) {
  const parts = text.split(/(\{\{\s*[\w.]+\s*\}\})/g)
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <span key={i} className="ph">
            {p}
          </span>
        ) : (
          p
        ),
      )}
    </>
  )
}

export function Paragraphs({ text, className }: { text: string; className?: string }) {
  const paras = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
  return (
    <div className={className ?? 'guide-prose'}>
      {paras.map((p, i) => (
        <p key={i}>
          <WithPlaceholders text={p} />
        </p>
      ))}
    </div>
  )
}

export interface ViewQuestion {
  id: string
  number?: number
  text: string
  probes: string[]
  sections: GuideSection[]
}

export function QuestionList({ questions, start = 1 }: { questions: readonly ViewQuestion[]; start?: number }) {
  return (
    <ol className="guide-questions" start={start}>
      {questions.map((q, i) => (
        <li key={q.id} className="guide-question" data-testid="guide-question">
          <span className="guide-qnum" aria-hidden="true">
            {q.number ?? start + i}
          </span>
          <div className="guide-qbody">
            <p className="guide-qtext">
              <WithPlaceholders text={q.text} />
            </p>
            {q.probes.length > 0 && (
              <ul className="guide-probes" aria-label="Follow-up probes">
                {q.probes.map((p, j) => (
                  <li key={j}>
                    <WithPlaceholders text={p} />
                  </li>
                ))}
              </ul>
            )}
            <SectionChips codes={q.sections} />
          </div>
        </li>
      ))}
    </ol>
  )
}

export function GuideBlock({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="guide-block" aria-labelledby={id}>
      <h2 id={id} className="guide-block-title">
        {title}
      </h2>
      {children}
    </section>
  )
}
