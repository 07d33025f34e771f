import { useRef, useState, type SyntheticEvent, type KeyboardEvent } from 'react'
import { Link } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import type { PersonRef, TimelineEntry, TimelineKind } from '../api/types'
import { dayKey, formatDayHeading, formatTime, hostOf } from '../lib/format'
import { entries, timelineKinds } from '../lib/labels'
import { offsetLabel, utcToWallTime, wallTimeToRfc3339 } from '../lib/time'
import { TimelineKindBadge } from './badges'
import { ClockIcon, ExternalIcon } from './icons'
import { CheckedTextarea } from './CheckedTextarea'
import { PersonPicker } from './PersonPicker'
import { ConfirmButton, EmptyState, ErrorCallout, Field } from './ui'
import { useToast } from './toast'

const shown = ['occurred_at', 'person_id', 'actor', 'body', 'kind', 'source_url']

export function sortTimeline(items: TimelineEntry[]): TimelineEntry[] {
  return [...items].sort((a, b) => {
    const t = Date.parse(a.occurred_at) - Date.parse(b.occurred_at)
    if (t !== 0) return t
    return Date.parse(a.created_at) - Date.parse(b.created_at)
  })
}

interface EntryDraft {
  when: string
  person: PersonRef | null
  actor: string
  useActor: boolean
  body: string
  kind: TimelineKind
  sourceUrl: string
}

function draftFrom(entry: TimelineEntry | undefined, zone: string, fallbackWhen: string): EntryDraft {
  return {
    when: entry ? utcToWallTime(entry.occurred_at, zone) : fallbackWhen,
    person: entry?.person ?? null,
    actor: entry?.actor ?? '',
    useActor: !!entry && !entry.person && !!entry.actor,
    body: entry?.body ?? '',
    kind: entry?.kind ?? 'observation',
    sourceUrl: entry?.source_url ?? '',
  }
}

/** Add or edit one timeline entry. Enter saves (Shift+Enter for a new line), Escape cancels. */
function EntryForm({
  entry,
  zone,
  defaultWhen,
  submitLabel,
  onSave,
  onCancel,
  compact,
}: {
  entry?: TimelineEntry
  zone: string
  defaultWhen: string
  submitLabel: string
  onSave: (body: {
    occurred_at: string
    person_id: string | null
    actor: string
    body: string
    kind: TimelineKind
    source_url: string
  }) => Promise<void>
  onCancel?: () => void
  compact?: boolean
}) {
  const [d, setD] = useState<EntryDraft>(() => draftFrom(entry, zone, defaultWhen))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [local, setLocal] = useState<Record<string, string>>({})
  const whenRef = useRef<HTMLInputElement>(null)
  const set = <K extends keyof EntryDraft>(k: K, v: EntryDraft[K]) => setD((prev) => ({ ...prev, [k]: v }))

  const submit = (e?: SyntheticEvent) => {
    e?.preventDefault()
    if (busy) return
    const errs: Record<string, string> = {}
    const occurred = wallTimeToRfc3339(d.when, zone)
    if (!occurred) errs.occurred_at = 'Enter the date and time.'
    if (!d.body.trim()) errs.body = 'Describe what happened.'
    setLocal(errs)
    if (!occurred || Object.keys(errs).length > 0) return
    setBusy(true)
    setError(null)
    onSave({
      occurred_at: occurred,
      person_id: d.useActor ? null : (d.person?.id ?? null),
      actor: d.useActor ? d.actor.trim() : '',
      body: d.body.trim(),
      kind: d.kind,
      source_url: d.sourceUrl.trim(),
    }).then(
      () => {
        setBusy(false)
        if (!entry) {
          // Ready for the next entry: keep the time and kind, clear the rest.
          setD((prev) => ({ ...prev, body: '', sourceUrl: '', person: null, actor: '' }))
          whenRef.current?.focus()
        }
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Escape' && onCancel) {
      e.preventDefault()
      onCancel()
    }
    if (e.key === 'Enter' && !e.shiftKey && e.target instanceof HTMLTextAreaElement) {
      e.preventDefault()
      submit()
    }
  }

  const fe = (name: string) => local[name] ?? error?.field(name)
  return (
    <form className={`entry-form${compact ? ' compact' : ''}`} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <ErrorCallout error={error} shownFields={shown} />
      <div className="entry-form-grid">
        <Field label="When" required error={fe('occurred_at')} className="entry-when">
          {(p) => (
            <input
              {...p}
              ref={whenRef}
              type="datetime-local"
              name="occurred_at"
              value={d.when}
              autoFocus={!!entry}
              onChange={(e) => set('when', e.target.value)}
            />
          )}
        </Field>
        <Field label="Kind" className="entry-kind" error={fe('kind')}>
          {(p) => (
            <select {...p} name="kind" value={d.kind} onChange={(e) => set('kind', e.target.value as TimelineKind)}>
              {entries(timelineKinds).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="entry-who">
          {d.useActor ? (
            <Field
              label="Who (not a person in Debrief)"
              error={fe('actor')}
              hint="e.g. an alert, a bot, “the on-call team”"
            >
              {(p) => <input {...p} name="actor" value={d.actor} onChange={(e) => set('actor', e.target.value)} />}
            </Field>
          ) : (
            <Field label="Who" error={fe('person_id')}>
              {(p) => (
                <PersonPicker
                  control={p}
                  value={d.person}
                  onChange={(v) => set('person', v)}
                  placeholder="Search people"
                />
              )}
            </Field>
          )}
          <button type="button" className="link-button small" onClick={() => set('useActor', !d.useActor)}>
            {d.useActor ? 'Pick a person instead' : 'Not a person? Describe who instead'}
          </button>
        </div>
        <Field
          label="What happened"
          required
          error={fe('body')}
          className="entry-body"
          hint="Describe what people saw and did at the time. Enter saves; Shift+Enter starts a new line."
        >
          {(p) => (
            <CheckedTextarea
              {...p}
              kind="note"
              name="body"
              rows={2}
              hintsLabel="this entry"
              value={d.body}
              onChange={(v) => set('body', v)}
            />
          )}
        </Field>
        <Field label="Source link" error={fe('source_url')} className="entry-source">
          {(p) => (
            <input
              {...p}
              type="url"
              name="source_url"
              placeholder="https://…"
              value={d.sourceUrl}
              onChange={(e) => set('sourceUrl', e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="btn btn-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  )
}

export function Timeline({
  eventId,
  items,
  zone,
  zoneIsBrowser,
  canEdit,
  defaultWhen,
  onChange,
}: {
  eventId: string
  items: TimelineEntry[]
  zone: string
  zoneIsBrowser: boolean
  canEdit: boolean
  defaultWhen: string
  onChange: (items: TimelineEntry[]) => void
}) {
  const [editing, setEditing] = useState<string | null>(null)
  const notify = useToast()
  const sorted = sortTimeline(items)

  const lastWhen = sorted.length > 0 ? utcToWallTime(sorted[sorted.length - 1]!.occurred_at, zone) : defaultWhen

  return (
    <section className="card" aria-labelledby="timeline-heading">
      <div className="card-header">
        <h2 id="timeline-heading">Timeline</h2>
        <span className="muted small zone-note">
          <ClockIcon /> Times in {zone} ({offsetLabel(zone)}){zoneIsBrowser ? ', from this browser' : ''}
        </span>
      </div>
      {sorted.length === 0 ? (
        <EmptyState title="No timeline entries yet">
          <p>
            {canEdit
              ? 'Add what people noticed, said, thought and did, in any order — Debrief keeps the entries sorted by time.'
              : 'Nothing has been added to the timeline yet.'}
          </p>
        </EmptyState>
      ) : (
        <ol className="timeline" aria-label="Timeline entries, earliest first">
          {sorted.map((entry, i) => {
            const prev = i > 0 ? sorted[i - 1] : undefined
            const showDay = !prev || dayKey(prev.occurred_at, zone) !== dayKey(entry.occurred_at, zone)
            const who = entry.person ? (
              <Link to={`/people/${entry.person.id}`}>{entry.person.name}</Link>
            ) : entry.actor ? (
              <span>{entry.actor}</span>
            ) : null
            return (
              <li key={entry.id} className="timeline-item" data-testid="timeline-entry">
                {showDay && <div className="timeline-day">{formatDayHeading(entry.occurred_at, zone)}</div>}
                {editing === entry.id ? (
                  <EntryForm
                    entry={entry}
                    zone={zone}
                    defaultWhen={defaultWhen}
                    submitLabel="Save entry"
                    compact
                    onCancel={() => setEditing(null)}
                    onSave={async (body) => {
                      const updated = await api.patch('/api/v1/events/{id}/timeline/{entry_id}', {
                        path: { id: eventId, entry_id: entry.id },
                        body,
                      })
                      onChange(items.map((x) => (x.id === entry.id ? updated : x)))
                      setEditing(null)
                      notify('Timeline entry saved')
                    }}
                  />
                ) : (
                  <div className="timeline-entry">
                    <time className="timeline-time" dateTime={entry.occurred_at}>
                      {formatTime(entry.occurred_at, zone)}
                    </time>
                    <div className="timeline-content">
                      <div className="timeline-meta">
                        <TimelineKindBadge kind={entry.kind} />
                        {who && <span className="timeline-who">{who}</span>}
                      </div>
                      <p className="timeline-body">{entry.body}</p>
                      {entry.source_url && (
                        <a className="small" href={entry.source_url} target="_blank" rel="noopener noreferrer">
                          {hostOf(entry.source_url)} <ExternalIcon />
                          <span className="sr-only"> (opens in a new tab)</span>
                        </a>
                      )}
                    </div>
                    {canEdit && (
                      <div className="row-actions">
                        <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(entry.id)}>
                          Edit<span className="sr-only"> entry at {formatTime(entry.occurred_at, zone)}</span>
                        </button>
                        <ConfirmButton
                          title="Delete this timeline entry?"
                          body={<p className="quote">{entry.body}</p>}
                          confirmLabel="Delete entry"
                          onConfirm={async () => {
                            await api.delete('/api/v1/events/{id}/timeline/{entry_id}', {
                              path: { id: eventId, entry_id: entry.id },
                            })
                            onChange(items.filter((x) => x.id !== entry.id))
                            notify('Timeline entry deleted')
                          }}
                        >
                          Delete<span className="sr-only"> entry at {formatTime(entry.occurred_at, zone)}</span>
                        </ConfirmButton>
                      </div>
                    )}
                  </div>
                )}
              </li>
            )
          })}
        </ol>
      )}
      {canEdit && (
        <div className="card-section">
          <h3 className="section-title">Add to the timeline</h3>
          <EntryForm
            zone={zone}
            defaultWhen={lastWhen}
            submitLabel="Add entry"
            onSave={async (body) => {
              const created = await api.post('/api/v1/events/{id}/timeline', { path: { id: eventId }, body })
              onChange([...items, created])
              notify('Added to the timeline')
            }}
          />
        </div>
      )}
    </section>
  )
}
