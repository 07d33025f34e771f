// A textarea that shows the language check's hints while people type.
//
// How it works: the real <textarea> sits on top with a transparent
// background, so typing, selection, IME composition, spell-check and undo
// stay native. Behind it a mirror <div> with the same font, padding, border
// and wrapping holds the same text in transparent ink, with each flagged span
// wrapped in a <mark> that draws the underline (warning: wavy amber; info:
// dotted blue). The mirror is in the normal flow and the textarea covers it,
// so the field grows with its text without measuring anything.
//
// Hover: the textarea receives the pointer, so mouse moves are hit-tested
// against the marks' client rects. Keyboard: putting the caret inside a
// flagged span opens the same popover, and Tab moves into it (it follows the
// textarea in the DOM); every hint is also listed under the field as a
// button that opens its explanation in place.
//
// Applying a rewrite selects the sentence in the textarea and inserts the new
// text with the browser's editing command, so Ctrl+Z undoes it.
import {
  memo,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type Ref,
  type TextareaHTMLAttributes,
} from 'react'
import { categoryAdvice, categoryNoun, categoryTitles } from '../lib/guides'
import {
  applyReplacement,
  flagSnippet,
  isRewrite,
  rewriteRange,
  segments,
  sentenceAround,
  type CheckKind,
  type PlacedFlag,
} from '../lib/langcheck'
import { useLanguageCheck } from '../lib/useLanguageCheck'

export interface CheckedTextareaProps extends Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'value' | 'onChange' | 'defaultValue' | 'children'
> {
  kind: CheckKind
  value: string
  onChange: (value: string) => void
  /** Keep the text on one line (Enter does not add a line break); the field still wraps long text. */
  singleLine?: boolean
  /** Switch the check off, e.g. for text that is not the author's own. */
  check?: boolean
  /** Names the field in the hint list's label, e.g. "question 3". */
  hintsLabel?: string
  ref?: Ref<HTMLTextAreaElement>
}

/** How many hints the list under a field shows before "Show all". */
const LIST_LIMIT = 4
const CLOSE_DELAY_MS = 250

// Categories the backend may add later still show, with their id as the name.
const lookup = (rec: Partial<Record<string, string>>, key: string): string | undefined => rec[key]
const titleOf = (f: PlacedFlag) => lookup(categoryTitles, f.category) ?? f.category
const nounOf = (f: PlacedFlag) => lookup(categoryNoun, f.category) ?? f.category
const adviceOf = (f: PlacedFlag) =>
  f.severity === 'info' ? 'their words, worth exploring' : (lookup(categoryAdvice, f.category) ?? '')

interface Open {
  flag: number
  source: 'pointer' | 'caret'
  /** The span's box, relative to the component. */
  top: number
  left: number
}

function setRef<T>(ref: Ref<T> | undefined, value: T | null) {
  if (typeof ref === 'function') ref(value)
  else if (ref) ref.current = value
}

export const CheckedTextarea = memo(function CheckedTextarea({
  kind,
  value,
  onChange,
  singleLine = false,
  check = true,
  hintsLabel,
  rows = singleLine ? 1 : 3,
  className,
  onKeyDown,
  onBlur,
  ref,
  ...rest
}: CheckedTextareaProps) {
  const { flags, status } = useLanguageCheck(value, kind, check)
  const rootRef = useRef<HTMLDivElement>(null)
  const mirrorRef = useRef<HTMLDivElement>(null)
  const inputRef = useRef<HTMLTextAreaElement | null>(null)
  const popRef = useRef<HTMLDivElement>(null)
  const closeTimer = useRef<number | undefined>(undefined)
  const [open, setOpen] = useState<Open | null>(null)
  const [expanded, setExpanded] = useState<string | null>(null)
  const [showAll, setShowAll] = useState(false)
  const [announce, setAnnounce] = useState('')
  const id = useId()

  const segs = useMemo(() => segments(value.length, flags), [value.length, flags])
  const openFlag = open ? flags[open.flag] : undefined

  // Place the floating popover under its span (CSSOM, which the CSP allows).
  useLayoutEffect(() => {
    const pop = popRef.current
    const root = rootRef.current
    if (!pop || !root || !open) return
    const width = root.clientWidth
    const left = Math.max(0, Math.min(open.left, width - pop.offsetWidth))
    pop.style.top = `${String(Math.round(open.top))}px`
    pop.style.left = `${String(Math.round(left))}px`
  }, [open])

  useEffect(() => () => window.clearTimeout(closeTimer.current), [])

  const cancelClose = () => {
    window.clearTimeout(closeTimer.current)
    closeTimer.current = undefined
  }
  const scheduleClose = () => {
    if (closeTimer.current !== undefined) return
    closeTimer.current = window.setTimeout(() => {
      closeTimer.current = undefined
      setOpen((o) => (o?.source === 'pointer' ? null : o))
    }, CLOSE_DELAY_MS)
  }

  /** The mark (and which of its boxes) at a point, relative to the component. */
  const markAt = (x: number, y: number): Omit<Open, 'source'> | null => {
    const mirror = mirrorRef.current
    const root = rootRef.current
    if (!mirror || !root) return null
    const base = root.getBoundingClientRect()
    for (const m of mirror.querySelectorAll<HTMLElement>('mark[data-flags]')) {
      for (const r of m.getClientRects()) {
        if (x >= r.left && x <= r.right && y >= r.top - 1 && y <= r.bottom + 1) {
          const first = Number((m.dataset.flags ?? '').split(' ')[0])
          return { flag: first, top: r.bottom - base.top + 4, left: r.left - base.left }
        }
      }
    }
    return null
  }

  const markFor = (flagIndex: number): Omit<Open, 'source'> | null => {
    const mirror = mirrorRef.current
    const root = rootRef.current
    if (!mirror || !root) return null
    for (const m of mirror.querySelectorAll<HTMLElement>('mark[data-flags]')) {
      if ((m.dataset.flags ?? '').split(' ').includes(String(flagIndex))) {
        const r = m.getClientRects()[0]
        if (!r) return null
        const base = root.getBoundingClientRect()
        return { flag: flagIndex, top: r.bottom - base.top + 4, left: r.left - base.left }
      }
    }
    return null
  }

  const onMouseMove = (e: MouseEvent<HTMLTextAreaElement>) => {
    if (flags.length === 0) return
    const hit = markAt(e.clientX, e.clientY)
    if (hit) {
      cancelClose()
      if (open?.flag !== hit.flag || open.source !== 'pointer') setOpen({ ...hit, source: 'pointer' })
    } else if (open?.source === 'pointer') {
      scheduleClose()
    }
  }

  // The caret inside a flagged span opens its popover; Tab then reaches it.
  const followCaret = () => {
    const el = inputRef.current
    if (!el || status !== 'ready') return
    const { selectionStart: a, selectionEnd: b } = el
    const i = a === b ? flags.findIndex((f) => f.from < a && a < f.to) : -1
    if (i >= 0) {
      if (open?.flag !== i) {
        const at = markFor(i)
        if (at) setOpen({ ...at, source: 'caret' })
      }
    } else if (open?.source === 'caret') {
      setOpen(null)
    }
  }

  const apply = (flag: PlacedFlag, suggestion: string) => {
    const r = rewriteRange(value, flag, suggestion)
    const expected = applyReplacement(value, r)
    const el = inputRef.current
    let done = false
    if (el) {
      el.focus()
      el.setSelectionRange(r.start, r.end)
      // The browser's own edit keeps the change on the undo stack; React sees it as an input event.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- no other API edits a textarea undoably
      done = document.execCommand('insertText', false, r.insert) && el.value === expected
    }
    if (!done) onChange(expected)
    setOpen(null)
    setExpanded(null)
    setAnnounce(`Rephrased: ${r.insert}`)
  }

  const handleKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape' && open) {
      // Close the hint, not the dialog or form around the field.
      e.preventDefault()
      e.stopPropagation()
      setOpen(null)
      return
    }
    if (singleLine && e.key === 'Enter' && !e.nativeEvent.isComposing) e.preventDefault()
    onKeyDown?.(e)
  }

  const listed = showAll ? flags : flags.slice(0, LIST_LIMIT)
  const listLabel = `Language hints${hintsLabel ? ` for ${hintsLabel}` : ''}`

  return (
    <div
      ref={rootRef}
      className={`lc${singleLine ? ' lc-single' : ''}`}
      data-lc-status={status}
      data-lc-flags={flags.length}
    >
      <div className={`lc-box lc-rows-${String(Math.min(Math.max(rows, 1), 10))}`}>
        <div ref={mirrorRef} className="lc-mirror" aria-hidden="true">
          {segs.map((s) => {
            const text = value.slice(s.from, s.to)
            if (s.flags.length === 0) return text
            const warn = s.flags.some((i) => flags[i]?.severity === 'warning')
            const active = open !== null && s.flags.includes(open.flag)
            return (
              <mark
                key={s.from}
                className={`lc-mark ${warn ? 'lc-warning' : 'lc-info'}${active ? ' lc-active' : ''}`}
                data-flags={s.flags.join(' ')}
              >
                {text}
              </mark>
            )
          })}
          {'\u200b'}
        </div>
        <textarea
          {...rest}
          ref={(el) => {
            inputRef.current = el
            setRef(ref, el)
          }}
          rows={rows}
          className={`lc-input${className ? ` ${className}` : ''}`}
          value={value}
          onChange={(e) => {
            const v = singleLine ? e.target.value.replace(/\r?\n/g, ' ') : e.target.value
            onChange(v)
          }}
          onKeyDown={handleKeyDown}
          onMouseMove={onMouseMove}
          onMouseLeave={() => {
            if (open?.source === 'pointer') scheduleClose()
          }}
          onSelect={followCaret}
          onBlur={(e) => {
            // Keep a caret popover open while focus moves into it.
            if (open?.source === 'caret' && !popRef.current?.contains(e.relatedTarget)) setOpen(null)
            onBlur?.(e)
          }}
        />
      </div>
      {open && openFlag && (
        <div
          ref={popRef}
          className="lc-pop lc-pop-float"
          role="group"
          aria-label={`${titleOf(openFlag)}: hint`}
          onMouseEnter={cancelClose}
          onMouseLeave={() => {
            if (open.source === 'pointer') scheduleClose()
          }}
          onBlur={(e) => {
            if (!popRef.current?.contains(e.relatedTarget) && e.relatedTarget !== inputRef.current) {
              setOpen(null)
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              e.stopPropagation()
              setOpen(null)
              inputRef.current?.focus()
            }
          }}
        >
          <FlagDetails flag={openFlag} text={value} kind={kind} onApply={apply} />
        </div>
      )}
      {flags.length > 0 && (
        <ul className="lc-flags" aria-label={listLabel}>
          {listed.map((f) => {
            const key = `${f.category}:${String(f.from)}:${String(f.to)}`
            const isOpen = expanded === key
            return (
              <li key={key} className={`lc-flag lc-flag-${f.severity}`}>
                <button
                  type="button"
                  className="lc-flag-button"
                  aria-expanded={isOpen}
                  aria-controls={isOpen ? `${id}-${key}` : undefined}
                  onClick={() => setExpanded(isOpen ? null : key)}
                >
                  <span className="lc-dot" aria-hidden="true" />
                  <span>
                    <span className="lc-flag-cat">{nounOf(f)}:</span> “{flagSnippet(value, f)}” — {adviceOf(f)}
                  </span>
                </button>
                {isOpen && (
                  <div className="lc-pop lc-pop-inline" id={`${id}-${key}`}>
                    <FlagDetails flag={f} text={value} kind={kind} onApply={apply} />
                  </div>
                )}
              </li>
            )
          })}
          {flags.length > LIST_LIMIT && (
            <li>
              <button type="button" className="link-button small" onClick={() => setShowAll((v) => !v)}>
                {showAll ? 'Show fewer hints' : `Show all ${String(flags.length)} hints`}
              </button>
            </li>
          )}
        </ul>
      )}
      <span className="sr-only" aria-live="polite">
        {announce}
      </span>
    </div>
  )
})

function FlagDetails({
  flag,
  text,
  kind,
  onApply,
}: {
  flag: PlacedFlag
  text: string
  kind: CheckKind
  onApply: (flag: PlacedFlag, suggestion: string) => void
}) {
  const { start, end } = sentenceAround(text, flag.from, flag.to)
  const sentence = text.slice(start, end)
  const rewrites: string[] = []
  const directions: ReactNode[] = []
  for (const s of flag.suggestions) {
    if (isRewrite(s, sentence, kind)) rewrites.push(s)
    else directions.push(<li key={s}>{s}</li>)
  }
  return (
    <>
      <p className="lc-pop-title">
        {titleOf(flag)}
        {flag.severity === 'info' && <span className="badge badge-blue">Worth a look</span>}
      </p>
      <p className="lc-pop-text">{flag.explanation}</p>
      {rewrites.length > 0 && (
        <>
          <p className="lc-pop-label">Rephrase — one click replaces the sentence</p>
          <ul className="lc-suggestions">
            {rewrites.map((s) => (
              <li key={s}>
                <button type="button" className="lc-suggest" onClick={() => onApply(flag, s)}>
                  <span className="sr-only">Use: </span>
                  {s}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {directions.length > 0 && (
        <>
          <p className="lc-pop-label">{rewrites.length > 0 ? 'Or' : 'Try this'}</p>
          <ul className="lc-directions">{directions}</ul>
        </>
      )}
    </>
  )
}
