import { useState, type SyntheticEvent } from 'react'
import { toApiError, type ApiError } from '../api/client'
import type { EventDetail, EventInput, EventKind, PersonRef } from '../api/types'
import { splitList } from '../lib/format'
import { entries, eventKindHints, eventKinds } from '../lib/labels'
import { utcToWallTime, wallTimeToRfc3339 } from '../lib/time'
import { CheckedTextarea } from './CheckedTextarea'
import { PersonPicker } from './PersonPicker'
import { ErrorCallout, Field } from './ui'

const shown = ['title', 'kind', 'started_at', 'ended_at', 'severity', 'systems', 'investigator_id', 'summary']

/** Create or edit an event's details. Times are entered in `zone`. */
export function EventForm({
  initial,
  zone,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: EventDetail
  zone: string
  submitLabel: string
  onSubmit: (input: EventInput) => Promise<void>
  onCancel: () => void
}) {
  const [title, setTitle] = useState(initial?.title ?? '')
  const [kind, setKind] = useState<EventKind>(initial?.kind ?? 'incident')
  const [started, setStarted] = useState(utcToWallTime(initial?.started_at ?? new Date(), zone))
  const [ended, setEnded] = useState(initial?.ended_at ? utcToWallTime(initial.ended_at, zone) : '')
  const [severity, setSeverity] = useState(initial?.severity ?? '')
  const [systems, setSystems] = useState((initial?.systems ?? []).join(', '))
  const [investigator, setInvestigator] = useState<PersonRef | null>(initial?.investigator ?? null)
  const [summary, setSummary] = useState(initial?.summary ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [local, setLocal] = useState<Record<string, string>>({})

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    const errs: Record<string, string> = {}
    if (!title.trim()) errs.title = 'Give the event a short title.'
    const startedAt = wallTimeToRfc3339(started, zone)
    if (!startedAt) errs.started_at = 'Enter the date and time it started.'
    let endedAt: string | null = null
    if (ended) {
      endedAt = wallTimeToRfc3339(ended, zone)
      if (!endedAt) errs.ended_at = 'Enter a valid date and time, or leave it empty.'
      else if (startedAt && endedAt < startedAt) errs.ended_at = 'The end is before the start.'
    }
    setLocal(errs)
    if (Object.keys(errs).length > 0 || !startedAt) return
    setBusy(true)
    setError(null)
    onSubmit({
      title: title.trim(),
      kind,
      started_at: startedAt,
      ended_at: endedAt,
      severity: severity.trim(),
      systems: splitList(systems),
      investigator_id: investigator?.id ?? null,
      summary: summary.trim(),
    }).catch((err: unknown) => {
      setBusy(false)
      setError(toApiError(err))
    })
  }

  const fe = (name: string) => local[name] ?? error?.field(name)

  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorCallout error={error} shownFields={shown} />
      <Field label="Title" required error={fe('title')}>
        {(p) => (
          <input
            {...p}
            name="title"
            autoFocus
            placeholder="e.g. Checkout slowed down during the sale"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <div className="form-row">
        <Field label="Kind" required error={fe('kind')} hint={eventKindHints[kind]}>
          {(p) => (
            <select {...p} name="kind" value={kind} onChange={(e) => setKind(e.target.value as EventKind)}>
              {entries(eventKinds).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Severity" error={fe('severity')} hint="As recorded elsewhere, if any. Shown here only.">
          {(p) => (
            <input
              {...p}
              name="severity"
              placeholder="e.g. SEV-3"
              value={severity}
              onChange={(e) => setSeverity(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Started" required error={fe('started_at')} hint={`In ${zone}`}>
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              name="started_at"
              value={started}
              onChange={(e) => setStarted(e.target.value)}
            />
          )}
        </Field>
        <Field label="Ended" error={fe('ended_at')} hint="Leave empty if it is still going on.">
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              name="ended_at"
              value={ended}
              onChange={(e) => setEnded(e.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label="Systems" error={fe('systems')} hint="Separate with commas, e.g. payments, checkout">
        {(p) => <input {...p} name="systems" value={systems} onChange={(e) => setSystems(e.target.value)} />}
      </Field>
      <Field
        label="Investigator"
        error={fe('investigator_id')}
        hint="Ideally someone who was not a responder and does not manage the people you will talk to."
      >
        {(p) => <PersonPicker control={p} value={investigator} onChange={setInvestigator} />}
      </Field>
      <Field
        label="Summary"
        error={fe('summary')}
        hint="Often written last: when it happened, what was affected, what made it hard."
      >
        {(p) => (
          <CheckedTextarea
            {...p}
            kind="summary"
            name="summary"
            rows={4}
            hintsLabel="the summary"
            value={summary}
            onChange={setSummary}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  )
}
