import { useMemo, useState, type SyntheticEvent } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import type { AvailabilityResponse, Slot } from '../api/scheduling'
import type { PersonRef } from '../api/types'
import { useViewer } from '../auth/session'
import { AvailabilityGrid } from '../components/AvailabilityGrid'
import { BookingList } from '../components/BookingList'
import { PersonPicker } from '../components/PersonPicker'
import { useToast } from '../components/toast'
import { Callout, Dialog, ErrorCallout, Field, PageHeader } from '../components/ui'
import { formatDateTime, formatTime } from '../lib/format'
import { useLoad, useTitle } from '../lib/hooks'
import { defaultWindowDates, localTime, sourceError, windowFromDates, type Interval } from '../lib/schedule'
import '../schedule.css'

const LENGTHS = [20, 30, 45, 60] as const
const STEP = 15

interface Pick {
  person: PersonRef
  optional: boolean
}

interface Found {
  response: AvailabilityResponse
  window: Interval
  people: Pick[]
  duration: number
}

function defaultDescription(title: string): string {
  return [
    `This is a ${title ? `chat about “${title}”` : 'learning chat'}: a relaxed conversation about how the work looked from where you were. It is not an evaluation and nothing you say will be used to blame anyone.`,
    '',
    'Joining is optional. If you would rather not take part, or the time does not suit you, decline the invitation or reply to the organizer — no reason needed.',
  ].join('\n')
}

export default function SchedulePage() {
  useTitle('Schedule')
  const viewer = useViewer()
  const notify = useToast()
  const [params] = useSearchParams()
  const eventId = params.get('event') ?? ''
  const [initialDates] = useState(() => defaultWindowDates(new Date(), viewer.timezone))
  const [picks, setPicks] = useState<Pick[]>([])
  const [from, setFrom] = useState(initialDates.from)
  const [to, setTo] = useState(initialDates.to)
  const [duration, setDuration] = useState<number>(30)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [found, setFound] = useState<Found | null>(null)
  const [selected, setSelected] = useState(0)
  const [booking, setBooking] = useState<Slot | null>(null)
  const [refresh, setRefresh] = useState(0)

  // From an event page: preselect the people involved in it.
  const event = useLoad(eventId ? `schedule-event:${eventId}` : null, (signal) =>
    api.get('/api/v1/events/{id}', { path: { id: eventId }, signal }),
  )
  const [seeded, setSeeded] = useState('')
  if (event.data && seeded !== event.data.id) {
    setSeeded(event.data.id)
    const seen = new Set<string>()
    const fromEvent: Pick[] = []
    for (const inv of event.data.involvements) {
      if (seen.has(inv.person.id)) continue
      seen.add(inv.person.id)
      fromEvent.push({ person: inv.person, optional: false })
    }
    setPicks(fromEvent)
  }

  if (!viewer.canEdit) {
    return (
      <div className="page">
        <Callout tone="info" title="Scheduling is for facilitators">
          <p>Finding times shows when people are busy, so only facilitators and admins can use it.</p>
        </Callout>
      </div>
    )
  }

  const find = (e?: SyntheticEvent) => {
    e?.preventDefault()
    setError(null)
    const window = windowFromDates(from, to, viewer.timezone, new Date(), STEP)
    if (!window) {
      setError(
        toApiError(new Error('Pick a date range that has not ended yet, with the last day on or after the first.')),
      )
      return
    }
    const required = picks.filter((p) => !p.optional).map((p) => p.person.id)
    const optional = picks.filter((p) => p.optional).map((p) => p.person.id)
    setBusy(true)
    const snapshot = picks
    api
      .post('/api/v1/availability', {
        body: {
          people: required,
          optional,
          window,
          duration_minutes: duration,
          step_minutes: STEP,
          limit: 10,
        },
      })
      .then(
        (response) => {
          setBusy(false)
          setFound({ response, window, people: snapshot, duration })
          setSelected(0)
        },
        (err: unknown) => {
          setBusy(false)
          setError(toApiError(err))
        },
      )
  }

  const names = (ids: readonly string[]) =>
    ids.map((id) => found?.response.people.find((p) => p.id === id)?.name ?? 'someone').join(', ')

  const requiredCount = picks.filter((p) => !p.optional).length
  const chosen = found?.response.slots[selected] ?? null
  const firstName = picks[0]?.person.name ?? ''
  const subject = event.data?.title ?? firstName

  return (
    <div className="page page-wide">
      <PageHeader
        title="Schedule"
        description="Find a time when the people you want to talk with are free, and book it."
        eyebrow={
          event.data ? (
            <>
              For <Link to={`/events/${event.data.id}`}>{event.data.title}</Link>
            </>
          ) : undefined
        }
      />
      <section className="card">
        <form className="form schedule-form" onSubmit={find} noValidate>
          <Field label="People" hint="Required people must be free; optional people are nice to have.">
            {(p) => (
              <PersonPicker
                control={p}
                value={null}
                placeholder="Add a person by name, email or team"
                excludeIds={picks.map((x) => x.person.id)}
                onChange={(person) => {
                  if (person) setPicks((cur) => [...cur, { person, optional: false }])
                }}
              />
            )}
          </Field>
          {picks.length > 0 && (
            <ul className="schedule-picks" aria-label="People to schedule">
              {picks.map((x) => (
                <li key={x.person.id} className="schedule-pick">
                  <span className="schedule-pick-name">
                    {x.person.name} <span className="muted small">{x.person.timezone}</span>
                  </span>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={x.optional}
                      onChange={(e) => {
                        const optional = e.target.checked
                        setPicks((cur) => cur.map((y) => (y.person.id === x.person.id ? { ...y, optional } : y)))
                      }}
                    />
                    Optional<span className="sr-only"> for {x.person.name}</span>
                  </label>
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    onClick={() => setPicks((cur) => cur.filter((y) => y.person.id !== x.person.id))}
                  >
                    Remove<span className="sr-only"> {x.person.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="form-row schedule-row">
            <Field label="From">
              {(p) => <input {...p} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}
            </Field>
            <Field label="To">
              {(p) => <input {...p} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />}
            </Field>
            <Field label="Length">
              {(p) => (
                <select {...p} value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
                  {LENGTHS.map((n) => (
                    <option key={n} value={n}>
                      {n} minutes
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <p className="muted small zone-note">
            Times are in {viewer.timezone}{' '}
            {viewer.timezoneSource === 'person' ? '(your time zone in Debrief)' : '(this browser’s time zone)'}. Start
            times are every {STEP} minutes.
          </p>
          <ErrorCallout error={error} />
          <div className="form-actions form-actions-start">
            <button type="submit" className="btn btn-primary" disabled={busy || requiredCount === 0}>
              {busy ? 'Finding times…' : 'Find times'}
            </button>
            {picks.length > 0 && requiredCount === 0 && (
              <span className="muted small">Mark at least one person as required.</span>
            )}
          </div>
        </form>
      </section>

      {found && (
        <>
          {Object.entries(found.response.sources).some(([, s]) => sourceError(s)) && (
            <Callout tone="warning" title="Some calendars could not be read">
              <ul className="plain-list">
                {found.response.people
                  .filter((p) => sourceError(found.response.sources[p.id]))
                  .map((p) => (
                    <li key={p.id}>
                      {p.name}: {sourceError(found.response.sources[p.id])}. They count as unknown, never as free.
                    </li>
                  ))}
              </ul>
            </Callout>
          )}
          <section className="card">
            <h2>Everyone’s availability</h2>
            <AvailabilityGrid result={found.response} window={found.window} zone={viewer.timezone} selected={chosen} />
          </section>
          <section className="card schedule-results">
            <h2>Suggested times</h2>
            {found.response.slots.length === 0 ? (
              <p className="muted">
                No {found.duration}-minute time suits everyone required in this window. Try a longer window, a shorter
                length, or make someone optional.
              </p>
            ) : (
              <ol className="suggestions" aria-label="Suggested times">
                {found.response.slots.map((s, i) => (
                  <li
                    key={s.start}
                    className={`suggestion${i === selected ? ' suggestion-selected' : ''}`}
                    data-testid="suggestion"
                    data-start={s.start}
                    data-end={s.end}
                  >
                    <button
                      type="button"
                      className="suggestion-pick"
                      aria-pressed={i === selected}
                      onClick={() => setSelected(i)}
                    >
                      <span className="suggestion-rank">{i + 1}</span>
                      <span className="suggestion-main">
                        <span className="suggestion-time">
                          {formatDateTime(s.start, viewer.timezone)}–{formatTime(s.end, viewer.timezone)}
                        </span>
                        <span className="suggestion-locals">
                          {found.response.people.map((p) => (
                            <span key={p.id}>
                              {p.name} {localTime(Date.parse(s.start), p.timezone)}
                            </span>
                          ))}
                        </span>
                        <span className="suggestion-who">
                          {s.free.length > 0 && <span className="who-free">Free: {names(s.free)}</span>}
                          {s.busy.length > 0 && <span className="who-busy">Busy: {names(s.busy)}</span>}
                          {s.unknown.length > 0 && <span className="who-unknown">Unknown: {names(s.unknown)}</span>}
                        </span>
                      </span>
                    </button>
                    <button type="button" className="btn btn-primary btn-small" onClick={() => setBooking(s)}>
                      Book<span className="sr-only"> {formatDateTime(s.start, viewer.timezone)}</span>
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}

      <section className="card">
        <h2>Upcoming bookings</h2>
        <BookingList eventId={eventId || undefined} refreshKey={refresh} />
      </section>

      {booking && found && (
        <BookDialog
          slot={booking}
          found={found}
          eventId={eventId}
          defaultTitle={subject ? `Chat: ${subject}` : 'Chat'}
          defaultDescription={defaultDescription(event.data?.title ?? '')}
          onClose={() => setBooking(null)}
          onClash={() => {
            setRefresh((n) => n + 1)
            find()
          }}
          onBooked={(title) => {
            setBooking(null)
            setRefresh((n) => n + 1)
            notify(`Booked “${title}”`)
            find()
          }}
        />
      )}
    </div>
  )
}

function BookDialog({
  slot,
  found,
  eventId,
  defaultTitle,
  defaultDescription: initialDescription,
  onClose,
  onBooked,
  onClash,
}: {
  slot: Slot
  found: Found
  eventId: string
  defaultTitle: string
  defaultDescription: string
  onClose: () => void
  onBooked: (title: string) => void
  onClash: () => void
}) {
  const viewer = useViewer()
  const [title, setTitle] = useState(defaultTitle)
  const [description, setDescription] = useState(initialDescription)
  const [organizer, setOrganizer] = useState<PersonRef | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const ownPerson = viewer.user.person_id ?? ''
  const attendees = useMemo(
    () =>
      found.people
        .filter((p) => p.person.id !== (organizer?.id ?? ownPerson))
        .map((p) => ({ person_id: p.person.id, optional: p.optional })),
    [found.people, organizer, ownPerson],
  )

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    api
      .post('/api/v1/bookings', {
        body: {
          title: title.trim(),
          description,
          start: slot.start,
          end: slot.end,
          attendees,
          kind: 'chat',
          ...(eventId ? { event_id: eventId } : {}),
          ...(organizer ? { organizer_person_id: organizer.id } : {}),
        },
      })
      .then(
        (b) => {
          setBusy(false)
          onBooked(b.title)
        },
        (err: unknown) => {
          setBusy(false)
          const apiErr = toApiError(err)
          setError(apiErr)
          if (apiErr.status === 409) onClash()
        },
      )
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title="Book this time"
      description={`${formatDateTime(slot.start, viewer.timezone)}–${formatTime(slot.end, viewer.timezone)} (${viewer.timezone})`}
    >
      <form className="form" onSubmit={submit} noValidate>
        {error?.status === 409 ? (
          <Callout tone="error" role="alert" title="That time is no longer free">
            <p>{error.detail}</p>
            <p className="small">The suggestions have been refreshed; pick another time.</p>
          </Callout>
        ) : (
          <ErrorCallout error={error} shownFields={['title', 'description', 'organizer_person_id']} />
        )}
        <Field label="Title" required error={error?.field('title')}>
          {(p) => <input {...p} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field
          label="Description"
          hint="Sent with the invitation. Say it is a chat, that it is optional, and how to opt out."
          error={error?.field('description')}
        >
          {(p) => <textarea {...p} rows={6} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        {!ownPerson && (
          <Field
            label="Organizer"
            hint="Your account is not linked to a person, so pick who organizes the chat. Leave empty to use the Google Calendar organizer."
            error={error?.field('organizer_person_id') ?? error?.field('organizer_email')}
          >
            {(p) => <PersonPicker control={p} value={organizer} onChange={setOrganizer} />}
          </Field>
        )}
        <p className="muted small">
          Invites {attendees.length} {attendees.length === 1 ? 'person' : 'people'}
          {attendees.some((a) => a.optional) ? ' (optional ones marked optional)' : ''}.
        </p>
        <div className="form-actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !title.trim()}>
            {busy ? 'Booking…' : 'Confirm booking'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
