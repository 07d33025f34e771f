// Pure helpers for the language check's hints: offsets, following flags
// through edits, and telling a rewrite from a direction. No DOM, no API, so
// they are unit-tested in Node (langcheck.test.ts).

export type CheckKind = 'question' | 'note' | 'finding' | 'summary' | 'quote'

/** A flag as the API sends it: start/end in Unicode code points. */
export interface ApiFlag {
  category: string
  severity: 'warning' | 'info'
  start: number
  end: number
  text: string
  explanation: string
  suggestions: string[]
  confidence: number
}

/** A flag placed in a JavaScript string: start/end in UTF-16 code units. */
export interface PlacedFlag extends ApiFlag {
  /** UTF-16 offsets into the text the flag is shown on. */
  from: number
  to: number
}

/**
 * Converts the API's code-point offsets to UTF-16 offsets of `text`. Only
 * characters outside the Basic Multilingual Plane (emoji, some CJK) differ.
 * Flags that do not fit the text are dropped.
 */
export function placeFlags(text: string, flags: readonly ApiFlag[]): PlacedFlag[] {
  if (flags.length === 0) return []
  // utf16[i] is where code point i starts; utf16[n] is text.length.
  const utf16: number[] = []
  let i = 0
  for (const ch of text) {
    utf16.push(i)
    i += ch.length
  }
  utf16.push(i)
  const out: PlacedFlag[] = []
  for (const f of flags) {
    const from = utf16[f.start]
    const to = utf16[f.end]
    if (from === undefined || to === undefined || to <= from) continue
    out.push({ ...f, from, to })
  }
  return out
}

/**
 * Follows flags computed for `oldText` into `newText` while the next check is
 * on its way: flags before the edited region stay, flags after it shift, and
 * flags the edit touched are dropped. So underlines do not jump or vanish at
 * each keystroke, and a word that was rewritten loses its underline at once.
 */
export function remapFlags(oldText: string, newText: string, flags: readonly PlacedFlag[]): PlacedFlag[] {
  if (oldText === newText) return flags as PlacedFlag[]
  if (flags.length === 0) return []
  const max = Math.min(oldText.length, newText.length)
  let p = 0
  while (p < max && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++
  let s = 0
  while (s < max - p && oldText.charCodeAt(oldText.length - 1 - s) === newText.charCodeAt(newText.length - 1 - s)) s++
  const oldEditEnd = oldText.length - s
  const delta = newText.length - oldText.length
  const out: PlacedFlag[] = []
  for (const f of flags) {
    if (f.to <= p) out.push(f)
    else if (f.from >= oldEditEnd) out.push({ ...f, from: f.from + delta, to: f.to + delta })
  }
  return out
}

/** One run of text for the mirror: plain, or covered by one or more flags. */
export interface Segment {
  from: number
  to: number
  /** Indexes into the flags array, empty for plain text. */
  flags: number[]
}

/** Cuts [0, length) at every flag boundary; overlapping flags share segments. */
export function segments(length: number, flags: readonly PlacedFlag[]): Segment[] {
  const cuts = new Set<number>([0, length])
  for (const f of flags) {
    if (f.from < length) cuts.add(f.from)
    if (f.to < length) cuts.add(f.to)
  }
  const points = [...cuts].sort((a, b) => a - b)
  const out: Segment[] = []
  for (let k = 0; k + 1 < points.length; k++) {
    const from = points[k]!
    const to = points[k + 1]!
    if (to <= from) continue
    const covering: number[] = []
    flags.forEach((f, i) => {
      if (f.from <= from && f.to >= to) covering.push(i)
    })
    const last = out[out.length - 1]
    if (last && covering.length === 0 && last.flags.length === 0) last.to = to
    else out.push({ from, to, flags: covering })
  }
  return out
}

// Words after which a full stop does not end a sentence (as the backend's
// English rules: initials, "e.g.", "etc.").
const ABBREVIATIONS = new Set(
  'e.g i.e etc vs approx dr mr mrs ms st inc ltd co jr sr eg ie cf fig no'.split(' ').map((w) => w.replace(/\./g, '')),
)

function endsSentenceAt(text: string, i: number): boolean {
  const ch = text[i]
  if (ch === '\n') return true
  if (ch !== '.' && ch !== '!' && ch !== '?') return false
  // Followed by a space, a closing mark or the end.
  let j = i + 1
  while (j < text.length && /["'”’)\]»]/.test(text[j]!)) j++
  if (j < text.length && !/\s/.test(text[j]!)) return false
  if (ch === '.') {
    let k = i
    while (k > 0 && /[\p{L}\p{N}.]/u.test(text[k - 1]!)) k--
    const word = text.slice(k, i).toLowerCase().replace(/\./g, '')
    if (word.length === 1 || ABBREVIATIONS.has(word)) return false
  }
  return true
}

/**
 * The sentence around [from, to) as UTF-16 offsets: from just after the
 * previous sentence end (or line break) to just past this one's end mark and
 * closing quotes, without surrounding white space.
 */
export function sentenceAround(text: string, from: number, to: number): { start: number; end: number } {
  let start = from
  while (start > 0 && !endsSentenceAt(text, start - 1)) start--
  // Step over the closing marks that belonged to the sentence before.
  while (start < from && /["'”’)\]»]/.test(text[start]!) && start > 0 && /[.!?]/.test(text[start - 1]!)) start++
  while (start < from && /\s/.test(text[start]!)) start++
  let end = Math.max(to, from)
  while (end < text.length && !endsSentenceAt(text, end)) end++
  if (end < text.length && text[end] !== '\n') {
    end++
    while (end < text.length && /["'”’)\]»]/.test(text[end]!)) end++
  }
  while (end > start && /\s/.test(text[end - 1]!)) end--
  return { start, end }
}

// Suggestions that open with one of these words tell the writer what to do
// ("Describe what was known…", "Ask: …", "Drop the word…") rather than
// offering words to put in the text.
const DIRECTION_OPENERS =
  /^(describe|ask|say|keep|drop|replace|name|remove|talk|if|use|consider|try|explain|write|leave|mention|add|focus|avoid|rephrase|note|look)\b/i

type Mood = 'question' | 'statement'

function moodOf(sentence: string, kind: CheckKind): Mood {
  const t = sentence.replace(/["'”’)\]»\s]+$/, '')
  if (t.endsWith('?')) return 'question'
  if (/[.!]$/.test(t)) return 'statement'
  // Unfinished: a guide question is a question while it is being typed.
  return kind === 'question' ? 'question' : 'statement'
}

function countSentences(s: string): number {
  let n = 1
  for (let i = 0; i < s.length - 1; i++) {
    if (/[.!?]/.test(s[i]!) && /\s/.test(s[i + 1] ?? '') && endsSentenceAt(s, i)) n++
  }
  return n
}

/**
 * What one suggestion is for the flagged sentence.
 *
 * The backend sends, per flag, rewrites and directions in one list (see
 * internal/langcheck: a rewrite is the whole sentence with the change made,
 * e.g. "What led up to restarting the database?" for "Why did you restart the
 * database?"; a direction says what to do, e.g. "Describe what was known and
 * done at the time." or "Ask what it took: …"). The rule used here:
 *
 * A suggestion is a rewrite when it is a single sentence, does not open with
 * an instruction verb (Describe, Ask, Say, Keep, Drop, Replace, Name, If, …),
 * and has the same mood as the flagged sentence — a question for a question,
 * a statement for a statement. A question offered for a statement in a note
 * ("What made this visible afterwards…?") is a question to ask oneself, so it
 * is a direction. Unfinished sentences count as questions in guide questions
 * (kind "question") and as statements elsewhere.
 */
export function isRewrite(suggestion: string, sentence: string, kind: CheckKind): boolean {
  const s = suggestion.trim()
  if (!s || DIRECTION_OPENERS.test(s)) return false
  if (countSentences(s) > 1) return false
  return moodOf(s, 'note') === moodOf(sentence, kind)
}

export interface Replacement {
  /** UTF-16 range of the text to replace. */
  start: number
  end: number
  insert: string
}

/**
 * Where a rewrite goes: it replaces the flagged sentence. When the sentence
 * opens with a label ("Open question: why did…") before the flag and the
 * rewrite has no label of its own, the label is kept.
 */
export function rewriteRange(text: string, flag: { from: number; to: number }, suggestion: string): Replacement {
  const { start, end } = sentenceAround(text, flag.from, flag.to)
  let from = start
  const head = text.slice(start, flag.from)
  const colon = head.lastIndexOf(':')
  if (colon >= 0 && !suggestion.includes(':')) {
    from = start + colon + 1
    while (from < flag.from && /\s/.test(text[from]!)) from++
  }
  return { start: from, end, insert: suggestion.trim() }
}

/** Applies a replacement to a string. */
export function applyReplacement(text: string, r: Replacement): string {
  return text.slice(0, r.start) + r.insert + text.slice(r.end)
}

/**
 * A short quote of the flag for a list entry: the flagged words, stretched to
 * about three words so "Why" reads as "Why did you…".
 */
export function flagSnippet(text: string, flag: { from: number; to: number }, words = 3): string {
  const { end: sentenceEnd } = sentenceAround(text, flag.from, flag.to)
  let end = flag.to
  const re = /\S+/g
  re.lastIndex = flag.from
  let n = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null && m.index < sentenceEnd) {
    n++
    end = Math.max(end, Math.min(m.index + m[0].length, sentenceEnd))
    if (n >= words) break
  }
  let snippet = text.slice(flag.from, end).replace(/\s+/g, ' ')
  if (snippet.length > 48) snippet = snippet.slice(0, 47).trimEnd()
  const cut = flag.from + snippet.length < sentenceEnd
  snippet = snippet.replace(/[.,;:!?"'”’)\]»]+$/, '')
  return cut ? `${snippet}…` : snippet
}
