import { useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import type { EventDetail, EventStatus } from '../api/types'
import { useViewer } from '../auth/session'
import { EventForm } from '../components/EventForm'
import { Involvements } from '../components/Involvements'
import { References } from '../components/References'
import { Timeline } from '../components/Timeline'
import { KindBadge, StatusBadge } from '../components/badges'
import { useToast } from '../components/toast'
import { Callout, Dialog, EmptyState, ErrorCallout, Filter, LoadingBlock } from '../components/ui'
import { formatDateTime, formatRelative } from '../lib/format'
import { useLoad, useTitle } from '../lib/hooks'
import { eventStatuses, statusOrder } from '../lib/labels'
import { utcToWallTime } from '../lib/time'

function StatusControl({ event, onChanged }: { event: EventDetail; onChanged: (ev: EventDetail) => void }) {
  const notify = useToast()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const options = statusOrder.filter((s) => s === event.status || event.allowed_statuses.includes(s))

  return (
    <div className="status-control">
      <ol className="status-steps" aria-label="Status">
        {statusOrder.map((s) => {
          const current = s === event.status
          const passed = statusOrder.indexOf(s) < statusOrder.indexOf(event.status)
          return (
            <li
              key={s}
              className={`status-step${current ? ' current' : ''}${passed ? ' passed' : ''}`}
              aria-current={current ? 'step' : undefined}
            >
              {eventStatuses[s]}
            </li>
          )
        })}
      </ol>
      {event.allowed_statuses.length > 0 && (
        <Filter label="Move to">
          {(id) => (
            <select
              id={id}
              value={event.status}
              disabled={busy}
              onChange={(e) => {
                const status = e.target.value as EventStatus
                setBusy(true)
                setError(null)
                api.patch('/api/v1/events/{id}', { path: { id: event.id }, body: { status } }).then(
                  (updated) => {
                    setBusy(false)
                    onChanged(updated)
                    notify(`Status changed to ${eventStatuses[updated.status].toLowerCase()}`)
                  },
                  (err: unknown) => {
                    setBusy(false)
                    setError(toApiError(err))
                  },
                )
              }}
            >
              {options.map((s) => (
                <option key={s} value={s}>
                  {eventStatuses[s]}
                  {s === event.status ? ' (current)' : ''}
                </option>
              ))}
            </select>
          )}
        </Filter>
      )}
      <ErrorCallout error={error} />
    </div>
  )
}

export default function EventPage() {
  const { id = '' } = useParams()
  const viewer = useViewer()
  const notify = useToast()
  const [editing, setEditing] = useState(false)
  const event = useLoad(`event:${id}`, (signal) => api.get('/api/v1/events/{id}', { path: { id }, signal }))
  const ev = event.data
  useTitle(ev?.title ?? 'Event')

  if (!ev) {
    if (event.error) {
      return (
        <div className="page">
          {event.error.status === 404 ? (
            <EmptyState
              title="This event is not available"
              actions={
                <Link to="/events" className="btn btn-primary">
                  Back to events
                </Link>
              }
            >
              <p>It may have been removed, or it is not shared with you.</p>
            </EmptyState>
          ) : (
            <ErrorCallout error={event.error} />
          )}
        </div>
      )
    }
    return <LoadingBlock label="Loading event…" />
  }

  const canEdit = viewer.canEdit
  const zone = viewer.timezone
  const update = (patch: Partial<EventDetail>) => event.setData((prev) => (prev ? { ...prev, ...patch } : prev))

  return (
    <div className="page page-wide">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/events">Events</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{ev.title}</span>
      </nav>
      <header className="event-header">
        <div className="event-title-row">
          <div>
            <h1>{ev.title}</h1>
            <div className="badges">
              <KindBadge kind={ev.kind} />
              <StatusBadge status={ev.status} />
              {ev.severity && <span className="badge badge-outline">Severity {ev.severity}</span>}
            </div>
          </div>
          {canEdit && (
            <div className="page-actions">
              <Link to={`/schedule?event=${ev.id}`} className="btn btn-secondary">
                Schedule a chat
              </Link>
              <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)}>
                Edit details
              </button>
            </div>
          )}
        </div>
        <dl className="meta-grid">
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(ev.started_at, zone)}</dd>
          </div>
          <div>
            <dt>Ended</dt>
            <dd>{ev.ended_at ? formatDateTime(ev.ended_at, zone) : <span className="muted">Not recorded</span>}</dd>
          </div>
          <div>
            <dt>Systems</dt>
            <dd>{ev.systems.length > 0 ? ev.systems.join(', ') : <span className="muted">None listed</span>}</dd>
          </div>
          <div>
            <dt>Investigator</dt>
            <dd>
              {ev.investigator ? (
                <Link to={`/people/${ev.investigator.id}`}>{ev.investigator.name}</Link>
              ) : (
                <span className="muted">Not chosen yet</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Last change</dt>
            <dd title={formatDateTime(ev.updated_at, zone)}>{formatRelative(ev.updated_at)}</dd>
          </div>
        </dl>
        {ev.warnings.length > 0 && (
          <Callout tone="warning" title="Something to consider about the investigator">
            {ev.warnings.length === 1 ? (
              <p>{ev.warnings[0]?.message}</p>
            ) : (
              <ul className="plain-list">
                {ev.warnings.map((w) => (
                  <li key={w.code + w.message}>{w.message}</li>
                ))}
              </ul>
            )}
            <p className="small muted">This is a note, not a rule: you can go ahead as you are.</p>
          </Callout>
        )}
        {canEdit ? (
          <StatusControl event={ev} onChanged={(updated) => event.setData(() => updated)} />
        ) : (
          viewer.role === 'leader' && (
            <Callout tone="info">
              <p>You are reading a published event. Notes from individual chats stay with the facilitators.</p>
            </Callout>
          )
        )}
      </header>

      <div className="event-grid">
        <div className="event-main">
          <section className="card" aria-labelledby="summary-heading">
            <div className="card-header">
              <h2 id="summary-heading">Summary</h2>
            </div>
            {ev.summary ? (
              <p className="prose">{ev.summary}</p>
            ) : (
              <p className="muted card-empty">
                {canEdit
                  ? 'No summary yet. It is often written last: when it happened, what was affected, the shape of it, and what made it hard. Use “Edit details” to add one.'
                  : 'No summary yet.'}
              </p>
            )}
          </section>
          <Timeline
            eventId={ev.id}
            items={ev.timeline}
            zone={zone}
            zoneIsBrowser={viewer.timezoneSource === 'browser'}
            canEdit={canEdit}
            defaultWhen={utcToWallTime(ev.started_at, zone)}
            onChange={(timeline) => update({ timeline })}
          />
        </div>
        <aside className="event-side" aria-label="People and references">
          <Involvements
            eventId={ev.id}
            items={ev.involvements}
            canEdit={canEdit}
            onChange={(involvements) => {
              update({ involvements })
              // Warnings about the investigator depend on who is involved.
              event.reload()
            }}
          />
          <References
            eventId={ev.id}
            items={ev.references}
            canEdit={canEdit}
            onChange={(references) => update({ references })}
          />
        </aside>
      </div>

      <Dialog open={editing} onClose={() => setEditing(false)} title="Edit event details" size="large">
        <EventForm
          initial={ev}
          zone={zone}
          submitLabel="Save changes"
          onCancel={() => setEditing(false)}
          onSubmit={async (input) => {
            const updated = await api.patch('/api/v1/events/{id}', { path: { id: ev.id }, body: input })
            event.setData(() => updated)
            setEditing(false)
            notify('Event saved')
          }}
        />
      </Dialog>
    </div>
  )
}
