import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
  type SyntheticEvent,
} from 'react'
import { Link, useParams } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import type { GuideDetail, GuideSaveInput, GuideSection } from '../api/types'
import { CheckedTextarea } from '../components/CheckedTextarea'
import { GuideKindBadge } from '../components/guides'
import { DownIcon, GripIcon, PlusIcon, TrashIcon, UpIcon } from '../components/icons'
import { useToast } from '../components/toast'
import { Badge, Callout, Dialog, EmptyState, ErrorCallout, Field, LoadingBlock } from '../components/ui'
import { sectionOrder, sections } from '../lib/guides'
import { useLoad, useTitle } from '../lib/hooks'
import { useUnsavedGuard } from '../lib/useUnsavedGuard'

const MAX_PROBES = 5
const MAX_QUESTIONS = 100

interface DraftProbe {
  key: string
  text: string
}

interface DraftQuestion {
  key: string
  /** The stable id of a saved question; absent for new ones. */
  id?: string
  text: string
  probes: DraftProbe[]
  sections: GuideSection[]
}

interface Draft {
  title: string
  description: string
  minutes: string
  opener: string
  closer: string
  questions: DraftQuestion[]
}

let nextKey = 1
const newKey = (prefix: string) => `${prefix}-${String(nextKey++)}`

function draftFrom(g: GuideDetail): Draft {
  return {
    title: g.title,
    description: g.description,
    minutes: String(g.content.suggested_minutes),
    opener: g.content.opener,
    closer: g.content.closer,
    questions: g.content.questions.map((q) => ({
      key: `q:${q.id}`,
      id: q.id,
      text: q.text,
      probes: q.probes.map((p) => ({ key: newKey('p'), text: p })),
      sections: [...q.sections],
    })),
  }
}

function payload(d: Draft): Omit<GuideSaveInput, 'note' | 'base_version'> {
  return {
    title: d.title.trim(),
    description: d.description.trim(),
    content: {
      opener: d.opener.trim(),
      closer: d.closer.trim(),
      suggested_minutes: Number(d.minutes),
      questions: d.questions.map((q) => ({
        ...(q.id ? { id: q.id } : {}),
        text: q.text.trim(),
        probes: q.probes.map((p) => p.text.trim()).filter(Boolean),
        sections: q.sections,
      })),
    },
  }
}

const same = (a: Draft, b: Draft) => JSON.stringify(payload(a)) === JSON.stringify(payload(b))

/** Local checks before sending; the server checks again (placeholders, lengths). */
function validate(d: Draft): Record<string, string> {
  const errs: Record<string, string> = {}
  if (!d.title.trim()) errs.title = 'Give the guide a title.'
  const m = Number(d.minutes)
  if (!Number.isInteger(m) || m < 5 || m > 480) errs['content.suggested_minutes'] = 'Between 5 and 480 minutes.'
  if (!d.opener.trim()) errs['content.opener'] = 'Write how you open the chat: consent, who sees the notes, why.'
  if (!d.closer.trim()) errs['content.closer'] = 'Write how you close: who else to talk to, anything to keep out.'
  if (d.questions.length === 0) errs['content.questions'] = 'A guide needs at least one question.'
  d.questions.forEach((q, i) => {
    if (!q.text.trim()) errs[`content.questions[${String(i)}].text`] = 'Write the question, or remove it.'
  })
  return errs
}

function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items]
  const [item] = next.splice(from, 1)
  if (item !== undefined) next.splice(Math.max(0, Math.min(to, next.length)), 0, item)
  return next
}

function SectionToggles({
  value,
  onChange,
  label,
}: {
  value: GuideSection[]
  onChange: (v: GuideSection[]) => void
  label: string
}) {
  return (
    <div className="section-toggles" role="group" aria-label={label}>
      {sectionOrder.map((code) => {
        const on = value.includes(code)
        return (
          <button
            key={code}
            type="button"
            className={`chip chip-toggle${on ? ' on' : ''}`}
            aria-pressed={on}
            data-tip={sections[code].name}
            onClick={() => onChange(on ? value.filter((c) => c !== code) : [...value, code])}
          >
            <span aria-hidden="true">{code}</span>
            <span className="sr-only">{sections[code].name}</span>
          </button>
        )
      })}
    </div>
  )
}

interface QuestionProps {
  q: DraftQuestion
  index: number
  count: number
  /** Undefined while nothing has errors, so the cards can skip rendering. */
  error: ((field: string) => string | undefined) | undefined
  // The callbacks below are stable: a card renders again only when its own question changes.
  onChange: (q: DraftQuestion) => void
  onMove: (key: string, to: number) => void
  onRemove: (key: string) => void
  dragging: boolean
  dropMark: 'before' | 'after' | null
  onDragStart: (key: string, e: DragEvent<HTMLElement>) => void
  onDragEnd: () => void
  onDragOver: (key: string, e: DragEvent<HTMLLIElement>) => void
  onDrop: (key: string, e: DragEvent<HTMLLIElement>) => void
}

const QuestionEditor = memo(function QuestionEditor({
  q,
  index,
  count,
  error,
  onChange,
  onMove,
  onRemove,
  dragging,
  dropMark,
  onDragStart,
  onDragEnd,
  onDragOver,
  onDrop,
}: QuestionProps) {
  const n = index + 1
  const prefix = `content.questions[${String(index)}]`
  const textError = error?.(`${prefix}.text`) ?? error?.(`${prefix}.id`)
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return
    if (e.key === 'ArrowUp' && index > 0) {
      e.preventDefault()
      onMove(q.key, index - 1)
    } else if (e.key === 'ArrowDown' && index < count - 1) {
      e.preventDefault()
      onMove(q.key, index + 1)
    }
  }
  return (
    <li
      className={`q-edit${dragging ? ' dragging' : ''}${dropMark ? ` drop-${dropMark}` : ''}`}
      data-testid="question-editor"
      onKeyDown={onKeyDown}
      onDragOver={(e) => onDragOver(q.key, e)}
      onDrop={(e) => onDrop(q.key, e)}
    >
      <div className="q-edit-head">
        <span
          className="drag-handle"
          draggable
          onDragStart={(e) => onDragStart(q.key, e)}
          onDragEnd={onDragEnd}
          title="Drag to reorder (or Alt+↑/↓)"
          aria-hidden="true"
        >
          <GripIcon />
        </span>
        <h3 className="q-edit-title" id={`q-${q.key}-title`}>
          Question {n}
        </h3>
        {!q.id && <Badge tone="green">New</Badge>}
        <div className="q-edit-actions">
          <button
            type="button"
            className="btn btn-ghost btn-icon"
            aria-label={`Move question ${String(n)} up`}
            title="Move up (Alt+↑)"
            disabled={index === 0}
            onClick={() => onMove(q.key, index - 1)}
          >
            <UpIcon />
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-icon"
            aria-label={`Move question ${String(n)} down`}
            title="Move down (Alt+↓)"
            disabled={index === count - 1}
            onClick={() => onMove(q.key, index + 1)}
          >
            <DownIcon />
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={count === 1}
            title={count === 1 ? 'A guide needs at least one question' : undefined}
            onClick={() => onRemove(q.key)}
          >
            <TrashIcon /> Remove<span className="sr-only"> question {n}</span>
          </button>
        </div>
      </div>
      <Field label={<span className="sr-only">Question {n} text</span>} error={textError}>
        {(p) => (
          <CheckedTextarea
            {...p}
            kind="question"
            singleLine
            hintsLabel={`question ${String(n)}`}
            value={q.text}
            maxLength={1000}
            placeholder="How did this first reach you?"
            onChange={(text) => onChange({ ...q, text })}
          />
        )}
      </Field>
      <div className="q-probes">
        <p className="q-sub">Probes</p>
        {q.probes.length === 0 && <p className="muted small">Follow-ups to draw out more, if the answer is short.</p>}
        <ul className="q-probe-list">
          {q.probes.map((p, j) => (
            <li key={p.key} className="q-probe">
              <Field
                label={
                  <span className="sr-only">
                    Probe {j + 1} of question {n}
                  </span>
                }
                error={error?.(`${prefix}.probes[${String(j)}]`)}
              >
                {(cp) => (
                  <CheckedTextarea
                    {...cp}
                    kind="question"
                    singleLine
                    hintsLabel={`probe ${String(j + 1)} of question ${String(n)}`}
                    value={p.text}
                    maxLength={500}
                    placeholder="What did you see at that point?"
                    onChange={(text) =>
                      onChange({ ...q, probes: q.probes.map((x) => (x.key === p.key ? { ...x, text } : x)) })
                    }
                  />
                )}
              </Field>
              <button
                type="button"
                className="btn btn-ghost btn-icon"
                aria-label={`Remove probe ${String(j + 1)} of question ${String(n)}`}
                onClick={() => onChange({ ...q, probes: q.probes.filter((x) => x.key !== p.key) })}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
        {error?.(`${prefix}.probes`) && <p className="field-error">{error(`${prefix}.probes`)}</p>}
        {q.probes.length < MAX_PROBES && (
          <button
            type="button"
            className="link-button small"
            onClick={() => onChange({ ...q, probes: [...q.probes, { key: newKey('p'), text: '' }] })}
          >
            + Add a probe<span className="sr-only"> to question {n}</span>
          </button>
        )}
      </div>
      <div className="q-sections">
        <p className="q-sub">Finding sections</p>
        <SectionToggles
          value={q.sections}
          label={`Finding sections for question ${String(n)}`}
          onChange={(s) => onChange({ ...q, sections: s })}
        />
        {error?.(`${prefix}.sections`) && <p className="field-error">{error(`${prefix}.sections`)}</p>}
      </div>
    </li>
  )
})

function Editor({
  guide,
  onSaved,
  onReload,
}: {
  guide: GuideDetail
  onSaved: (g: GuideDetail) => void
  onReload: () => void
}) {
  const notify = useToast()
  const [base, setBase] = useState(() => draftFrom(guide))
  const [draft, setDraft] = useState(base)
  const [baseVersion, setBaseVersion] = useState(guide.current_version)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [local, setLocal] = useState<Record<string, string>>({})
  const [savedAs, setSavedAs] = useState<{ version: number; unchanged: boolean } | null>(null)
  const [announce, setAnnounce] = useState('')
  const [dragKey, setDragKey] = useState<string | null>(null)
  const [drop, setDrop] = useState<{ key: string; where: 'before' | 'after' } | null>(null)
  // Questions were keyed at submit time, so errors stay on their question after a reorder.
  const [errorKeys, setErrorKeys] = useState<string[]>([])
  const refocus = useRef<HTMLElement | null>(null)

  const dirty = !same(draft, base) || note.trim() !== ''
  const conflict = error?.status === 409 && !!error.field('base_version')

  const guard = useUnsavedGuard(dirty && !busy)

  // Moving a list item in the DOM can drop focus; put it back where it was.
  useLayoutEffect(() => {
    const el = refocus.current
    refocus.current = null
    if (el && el.isConnected && document.activeElement !== el) el.focus()
  }, [draft.questions])

  const set = useCallback(<K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }))
    setSavedAs(null)
  }, [])
  const setOpener = useCallback((v: string) => set('opener', v), [set])
  const setCloser = useCallback((v: string) => set('closer', v), [set])
  const setQuestions = useCallback((fn: (qs: DraftQuestion[]) => DraftQuestion[]) => {
    setDraft((d) => ({ ...d, questions: fn(d.questions) }))
    setSavedAs(null)
  }, [])
  // The latest questions, for the stable callbacks below.
  const questionsRef = useRef(draft.questions)
  useEffect(() => {
    questionsRef.current = draft.questions
  })

  const moveQuestion = useCallback(
    (key: string, to: number) => {
      const qs = questionsRef.current
      const from = qs.findIndex((q) => q.key === key)
      if (from < 0 || to < 0 || to >= qs.length || from === to) return
      refocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
      setQuestions((list) =>
        moveItem(
          list,
          list.findIndex((q) => q.key === key),
          to,
        ),
      )
      setAnnounce(`Question ${String(from + 1)} moved to position ${String(to + 1)} of ${String(qs.length)}.`)
    },
    [setQuestions],
  )
  const updateQuestion = useCallback(
    (nq: DraftQuestion) => setQuestions((qs) => qs.map((x) => (x.key === nq.key ? nq : x))),
    [setQuestions],
  )
  const removeQuestion = useCallback(
    (key: string) => {
      const at = questionsRef.current.findIndex((q) => q.key === key)
      setQuestions((qs) => qs.filter((x) => x.key !== key))
      setAnnounce(`Question ${String(at + 1)} removed.`)
    },
    [setQuestions],
  )

  // Native drag and drop by the handle; the drop lands before or after the card under the pointer.
  const dragRef = useRef<string | null>(null)
  const whereIn = (e: DragEvent<HTMLElement>): 'before' | 'after' => {
    const r = e.currentTarget.getBoundingClientRect()
    return e.clientY < r.top + r.height / 2 ? 'before' : 'after'
  }
  const onDragStart = useCallback((key: string, e: DragEvent<HTMLElement>) => {
    const li = e.currentTarget.closest('li')
    e.dataTransfer.effectAllowed = 'move'
    e.dataTransfer.setData('text/plain', questionsRef.current.find((q) => q.key === key)?.text ?? '')
    if (li) e.dataTransfer.setDragImage(li, 24, 24)
    dragRef.current = key
    setDragKey(key)
  }, [])
  const onDragEnd = useCallback(() => {
    dragRef.current = null
    setDragKey(null)
    setDrop(null)
  }, [])
  const onDragOver = useCallback((key: string, e: DragEvent<HTMLLIElement>) => {
    if (!dragRef.current) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    const where = whereIn(e)
    setDrop((prev) => (prev?.key === key && prev.where === where ? prev : { key, where }))
  }, [])
  const onDrop = useCallback(
    (key: string, e: DragEvent<HTMLLIElement>) => {
      e.preventDefault()
      const dragged = dragRef.current
      if (!dragged) return
      const qs = questionsRef.current
      const from = qs.findIndex((q) => q.key === dragged)
      let to = qs.findIndex((q) => q.key === key)
      if (from >= 0 && to >= 0) {
        if (whereIn(e) === 'after') to++
        if (from < to) to--
        moveQuestion(dragged, to)
      }
      onDragEnd()
    },
    [moveQuestion, onDragEnd],
  )

  const fieldError = (name: string): string | undefined => {
    const direct = local[name] ?? error?.field(name)
    if (direct) return direct
    return undefined
  }
  const anyErrors = Object.keys(local).length > 0 || (error?.fieldErrors.length ?? 0) > 0
  // A question's errors by its position when the save was tried.
  const questionError = (key: string) => (field: string) => {
    const now = draft.questions.findIndex((q) => q.key === key)
    const then = errorKeys.indexOf(key)
    const at = then >= 0 ? then : now
    const mapped = field.replace(/^content\.questions\[\d+\]/, `content.questions[${String(at)}]`)
    return local[field] ?? error?.field(mapped)
  }

  const save = (e: SyntheticEvent) => {
    e.preventDefault()
    const errs = validate(draft)
    setLocal(errs)
    setErrorKeys(draft.questions.map((q) => q.key))
    if (Object.keys(errs).length > 0) {
      setError(null)
      setAnnounce('Some fields need attention before saving.')
      return
    }
    setBusy(true)
    setError(null)
    const body: GuideSaveInput = { ...payload(draft), base_version: baseVersion }
    if (note.trim()) body.note = note.trim()
    api.put('/api/v1/guides/{id}', { path: { id: guide.id }, body }).then(
      (g) => {
        const unchanged = g.current_version === baseVersion
        const next = draftFrom(g)
        setBusy(false)
        setBase(next)
        setDraft(next)
        setBaseVersion(g.current_version)
        setNote('')
        setLocal({})
        setSavedAs({ version: g.current_version, unchanged })
        notify(unchanged ? 'Nothing changed — no new version' : `Saved as version ${String(g.current_version)}`)
        onSaved(g)
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  const shownFields = [
    'title',
    'description',
    'note',
    'base_version',
    'content.opener',
    'content.closer',
    'content.suggested_minutes',
    'content.questions',
    ...errorKeys.flatMap((_, i) => {
      const p = `content.questions[${String(i)}]`
      const probes = Array.from({ length: MAX_PROBES }, (_x, j) => `${p}.probes[${String(j)}]`)
      const secs = Array.from({ length: sectionOrder.length }, (_x, j) => `${p}.sections[${String(j)}]`)
      return [`${p}.text`, `${p}.id`, `${p}.probes`, `${p}.sections`, ...probes, ...secs]
    }),
  ]

  const err = (name: string) => fieldError(name)
  return (
    <form className="guide-editor" onSubmit={save} noValidate>
      {conflict ? (
        <Callout tone="warning" role="alert" title="Someone saved a newer version — reload">
          <p>
            This guide was saved again while you were editing ({error.field('base_version')}). Reload to see their
            version; your changes here will be lost, so copy any text you want to keep first.
          </p>
          <div className="form-actions form-actions-start">
            <button type="button" className="btn btn-secondary" onClick={onReload}>
              Reload the guide
            </button>
          </div>
        </Callout>
      ) : (
        <ErrorCallout error={error} shownFields={shownFields} title={error ? 'The guide was not saved' : undefined} />
      )}
      {savedAs && (
        <Callout
          tone="success"
          role="status"
          title={savedAs.unchanged ? 'Nothing to save' : `Saved as version ${String(savedAs.version)}`}
        >
          <p>
            {savedAs.unchanged
              ? 'The guide is the same as its current version, so no new version was made.'
              : 'Earlier versions are kept. '}
            {!savedAs.unchanged && (
              <>
                <Link to={`/guides/${guide.id}/history`}>See the history and what changed</Link> ·{' '}
                <Link to={`/guides/${guide.id}`}>View the guide</Link>
              </>
            )}
          </p>
        </Callout>
      )}

      <section className="card" aria-labelledby="about-heading">
        <h2 id="about-heading">About this guide</h2>
        <Field label="Title" required error={err('title')}>
          {(p) => <input {...p} value={draft.title} maxLength={200} onChange={(e) => set('title', e.target.value)} />}
        </Field>
        <Field label="Description" error={err('description')} hint="Who it is for and when to use it.">
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={draft.description}
              maxLength={2000}
              onChange={(e) => set('description', e.target.value)}
            />
          )}
        </Field>
        <Field label="Suggested length (minutes)" error={err('content.suggested_minutes')} className="field-narrow">
          {(p) => (
            <input
              {...p}
              type="number"
              min={5}
              max={480}
              step={5}
              value={draft.minutes}
              onChange={(e) => set('minutes', e.target.value)}
            />
          )}
        </Field>
      </section>

      <section className="card" aria-labelledby="opener-edit-heading">
        <h2 id="opener-edit-heading">Opener</h2>
        <Field
          label="What you say first"
          required
          error={err('content.opener')}
          hint="Consent to take notes or record and who sees them; off the record is fine; not about corrective actions; several perspectives. A blank line starts a new paragraph."
        >
          {(p) => (
            <CheckedTextarea
              {...p}
              kind="summary"
              rows={5}
              hintsLabel="the opener"
              value={draft.opener}
              maxLength={4000}
              onChange={setOpener}
            />
          )}
        </Field>
      </section>

      <section className="card" aria-labelledby="questions-edit-heading">
        <div className="card-header">
          <div>
            <h2 id="questions-edit-heading">Questions</h2>
            <p className="muted small">
              Drag a question by its handle to reorder it, or use the arrows (Alt+↑ / Alt+↓ inside a question). Hints
              under a question suggest how/what wording.
            </p>
          </div>
        </div>
        {err('content.questions') && <p className="field-error">{err('content.questions')}</p>}
        <ol className="q-edit-list" aria-labelledby="questions-edit-heading">
          {draft.questions.map((q, i) => (
            <QuestionEditor
              key={q.key}
              q={q}
              index={i}
              count={draft.questions.length}
              error={anyErrors ? questionError(q.key) : undefined}
              onChange={updateQuestion}
              onMove={moveQuestion}
              onRemove={removeQuestion}
              dragging={dragKey === q.key}
              dropMark={drop?.key === q.key && dragKey !== q.key ? drop.where : null}
              onDragStart={onDragStart}
              onDragEnd={onDragEnd}
              onDragOver={onDragOver}
              onDrop={onDrop}
            />
          ))}
        </ol>
        {draft.questions.length < MAX_QUESTIONS && (
          <div>
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => setQuestions((qs) => [...qs, { key: newKey('new'), text: '', probes: [], sections: [] }])}
            >
              <PlusIcon /> Add a question
            </button>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="closer-edit-heading">
        <h2 id="closer-edit-heading">Closer</h2>
        <Field
          label="How you close"
          required
          error={err('content.closer')}
          hint="Who else to talk to; anything they want in or kept out of the write-up."
        >
          {(p) => (
            <CheckedTextarea
              {...p}
              kind="summary"
              rows={3}
              hintsLabel="the closer"
              value={draft.closer}
              maxLength={4000}
              onChange={setCloser}
            />
          )}
        </Field>
      </section>

      <div className="editor-bar">
        <Field
          label="Version note"
          error={err('note')}
          className="editor-note"
          hint={
            dirty
              ? `Unsaved changes — saving makes version ${String(baseVersion + 1)}.`
              : `Version ${String(baseVersion)}, saved.`
          }
        >
          {(p) => (
            <input
              {...p}
              value={note}
              maxLength={500}
              placeholder="What changed and why, e.g. “Ask about hand-offs earlier”"
              onChange={(e) => {
                setNote(e.target.value)
                setSavedAs(null)
              }}
            />
          )}
        </Field>
        <div className="editor-bar-actions">
          <button
            type="button"
            className="btn btn-secondary"
            disabled={!dirty || busy}
            onClick={() => {
              setDraft(base)
              setNote('')
              setLocal({})
              setError(null)
            }}
          >
            Discard changes
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save new version'}
          </button>
        </div>
      </div>
      <span className="sr-only" aria-live="polite">
        {announce}
      </span>

      <Dialog open={guard.blocked} onClose={guard.cancel} title="Leave without saving?" size="small">
        <p className="dialog-text">Your changes to this guide have not been saved. They will be lost if you leave.</p>
        <div className="form-actions">
          <button type="button" className="btn btn-secondary" onClick={guard.cancel}>
            Keep editing
          </button>
          <button type="button" className="btn btn-danger" onClick={guard.proceed}>
            Leave
          </button>
        </div>
      </Dialog>
    </form>
  )
}

export default function GuideEditPage() {
  const { id = '' } = useParams()
  const guide = useLoad(`guide-edit:${id}`, (signal) => api.get('/api/v1/guides/{id}', { path: { id }, signal }))
  const [loadCount, setLoadCount] = useState(0)
  const g = guide.data
  useTitle(g ? `Edit ${g.title}` : 'Edit guide')

  let body: ReactNode
  if (!g) {
    body = guide.error ? (
      guide.error.status === 404 ? (
        <EmptyState
          title="This guide is not available"
          actions={
            <Link to="/guides" className="btn btn-primary">
              Back to guides
            </Link>
          }
        />
      ) : (
        <ErrorCallout error={guide.error} />
      )
    ) : (
      <LoadingBlock label="Loading guide…" />
    )
  } else if (g.builtin || g.archived) {
    body = (
      <Callout
        tone="info"
        title={g.builtin ? 'Built-in guides are read-only — copy to edit' : 'This guide is archived'}
      >
        <p>
          {g.builtin
            ? 'Make a copy from the guide’s page; the copy is yours to change.'
            : 'Unarchive it from its page to edit it again.'}{' '}
          <Link to={`/guides/${g.id}`}>Go to the guide</Link>
        </p>
      </Callout>
    )
  } else {
    body = (
      <Editor
        key={`${g.id}:${String(loadCount)}`}
        guide={g}
        onSaved={(saved) => guide.setData(() => saved)}
        onReload={() => {
          api.get('/api/v1/guides/{id}', { path: { id: g.id } }).then(
            (fresh) => {
              guide.setData(() => fresh)
              setLoadCount((n) => n + 1)
            },
            () => guide.reload(),
          )
        }}
      />
    )
  }

  return (
    <div className="page page-editor">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/guides">Guides</Link>
        <span aria-hidden="true">/</span>
        {g ? <Link to={`/guides/${g.id}`}>{g.title}</Link> : <span>Guide</span>}
        <span aria-hidden="true">/</span>
        <span aria-current="page">Edit</span>
      </nav>
      <header className="page-header">
        <div className="page-header-text">
          <h1>{g ? `Edit “${g.title}”` : 'Edit guide'}</h1>
          {g && (
            <div className="badges">
              <GuideKindBadge kind={g.kind} />
              <Badge tone="outline">Version {g.current_version}</Badge>
            </div>
          )}
        </div>
        {g && (
          <div className="page-actions">
            <Link to={`/guides/${g.id}/history`} className="btn btn-secondary">
              History
            </Link>
          </div>
        )}
      </header>
      {body}
    </div>
  )
}
