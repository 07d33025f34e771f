import { useEffect, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import type { EventKind, EventStatus } from '../api/types'
import { useViewer } from '../auth/session'
import { EventForm } from '../components/EventForm'
import { KindBadge, StatusBadge } from '../components/badges'
import { EventsIcon, PlusIcon } from '../components/icons'
import {
  Callout,
  Dialog,
  EmptyState,
  ErrorCallout,
  Filter,
  LoadingBlock,
  PageHeader,
  SearchBox,
  Spinner,
} from '../components/ui'
import { formatDateTime } from '../lib/format'
import { useDebounced, useLoad, usePaged, useTitle } from '../lib/hooks'
import { entries, eventKinds, eventStatuses } from '../lib/labels'
import { toRfc3339Utc, zonedWallTimeToUtc } from '../lib/time'

const FILTERS = ['q', 'kind', 'status', 'system', 'from', 'to'] as const

/**
 * A YYYY-MM-DD date picked in the viewer's zone → the RFC 3339 instant that day starts, or for
 * the end of a range the instant the next day starts (the API's `to` is exclusive).
 */
function dayBound(date: string, zone: string, end: boolean): string | undefined {
  if (!date) return undefined
  let day = date
  if (end) {
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + 24 * 60 * 60 * 1000)
    if (Number.isNaN(next.getTime())) return undefined
    day = next.toISOString().slice(0, 10)
  }
  const d = zonedWallTimeToUtc(`${day}T00:00`, zone)
  return d ? toRfc3339Utc(d) : undefined
}

export default function EventsPage() {
  useTitle('Events')
  const viewer = useViewer()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const [text, setText] = useState(params.get('q') ?? '')
  const q = useDebounced(text.trim(), 300)
  const [creating, setCreating] = useState(false)

  const kind = params.get('kind') ?? ''
  const status = params.get('status') ?? ''
  const system = params.get('system') ?? ''
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''

  // Keep the debounced search in the address so a filtered list can be shared or revisited.
  useEffect(() => {
    setParams(
      (prev) => {
        if ((prev.get('q') ?? '') === q) return prev
        const next = new URLSearchParams(prev)
        if (q) next.set('q', q)
        else next.delete('q')
        return next
      },
      { replace: true },
    )
  }, [q, setParams])

  const setFilter = (name: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(name, value)
    else next.delete(name)
    setParams(next, { replace: true })
  }
  const filtered = FILTERS.some((f) => f !== 'q' && params.get(f)) || !!q

  const query = {
    q: q || undefined,
    kind: (kind || undefined) as EventKind | undefined,
    status: (status || undefined) as EventStatus | undefined,
    system: system || undefined,
    from: dayBound(from, viewer.timezone, false),
    to: dayBound(to, viewer.timezone, true),
  }
  // Dates compare as strings in YYYY-MM-DD form.
  const rangeBackwards = !!from && !!to && to < from
  const list = usePaged(rangeBackwards ? null : JSON.stringify(query), (cursor, signal) =>
    api.get('/api/v1/events', { query: { ...query, cursor: cursor || undefined }, signal }),
  )
  const systems = useLoad('systems', (signal) => api.get('/api/v1/systems', { signal }))

  const record = viewer.canEdit ? (
    <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
      <PlusIcon /> Record an event
    </button>
  ) : null

  return (
    <div className="page">
      <PageHeader
        title="Events"
        description="Incidents, near misses, surprises and everyday work worth learning from."
        actions={record}
      />

      {viewer.role === 'leader' && (
        <Callout tone="info">
          <p>
            As a leader you see events whose write-up has been published. Events still being explored appear here once
            they are published.
          </p>
        </Callout>
      )}
      {viewer.role === 'member' && (
        <Callout tone="info">
          <p>You see the events you took part in or are investigating.</p>
        </Callout>
      )}

      <div className="filters" role="search" aria-label="Filter events">
        <SearchBox label="Search events" placeholder="Search titles and summaries" value={text} onChange={setText} />
        <Filter label="Kind">
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setFilter('kind', e.target.value)}>
              <option value="">Any kind</option>
              {entries(eventKinds).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Filter>
        <Filter label="Status">
          {(id) => (
            <select id={id} value={status} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">Any status</option>
              {entries(eventStatuses).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Filter>
        <Filter label="System">
          {(id) => (
            <select id={id} value={system} onChange={(e) => setFilter('system', e.target.value)}>
              <option value="">Any system</option>
              {(systems.data?.items ?? []).map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
              {system && !systems.data?.items.some((s) => s.name === system) && (
                <option value={system}>{system}</option>
              )}
            </select>
          )}
        </Filter>
        <Filter label="From">
          {(id) => (
            <input
              id={id}
              type="date"
              value={from}
              max={to || undefined}
              onChange={(e) => setFilter('from', e.target.value)}
            />
          )}
        </Filter>
        <Filter label="To">
          {(id) => (
            <input
              id={id}
              type="date"
              value={to}
              min={from || undefined}
              onChange={(e) => setFilter('to', e.target.value)}
            />
          )}
        </Filter>
        {filtered && (
          <button
            type="button"
            className="btn btn-ghost btn-small filters-clear"
            onClick={() => {
              setText('')
              setParams(new URLSearchParams(), { replace: true })
            }}
          >
            Clear filters
          </button>
        )}
      </div>

      <ErrorCallout error={list.error} />
      {rangeBackwards && (
        <Callout tone="warning" role="status">
          <p>The “To” date is before the “From” date. Change one of them to see events.</p>
        </Callout>
      )}

      {rangeBackwards ? null : list.loading ? (
        <LoadingBlock label="Loading events…" />
      ) : list.items.length === 0 && !list.error ? (
        filtered ? (
          <EmptyState title="No events match these filters">
            <p>Try a wider date range or another kind or status.</p>
          </EmptyState>
        ) : (
          <EmptyState icon={<EventsIcon />} title="No events yet" actions={record}>
            <p>
              An event is anything worth learning from — an outage, a near miss, a surprise, a change that went fine.
            </p>
            {viewer.canEdit ? (
              <p>Record one to start a timeline, note who was involved and collect the links that tell its story.</p>
            ) : (
              <p>When a facilitator records an event that you can see, it will show up here.</p>
            )}
          </EmptyState>
        )
      ) : (
        <div className={`table-wrap${list.refreshing ? ' refreshing' : ''}`} aria-busy={list.refreshing}>
          <table className="table">
            <caption className="sr-only">Events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Investigator</th>
                <th scope="col" className="num">
                  Timeline
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((ev) => (
                <tr key={ev.id}>
                  <td>
                    <Link to={`/events/${ev.id}`} className="row-title">
                      {ev.title}
                    </Link>
                    {ev.systems.length > 0 && <div className="muted small">{ev.systems.join(', ')}</div>}
                  </td>
                  <td>
                    <KindBadge kind={ev.kind} />
                  </td>
                  <td>
                    <StatusBadge status={ev.status} />
                  </td>
                  <td className="nowrap">{formatDateTime(ev.started_at, viewer.timezone)}</td>
                  <td>{ev.investigator?.name ?? <span className="muted">—</span>}</td>
                  <td className="num">{ev.counts.timeline}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasMore && (
        <div className="load-more">
          <button type="button" className="btn btn-secondary" onClick={list.loadMore} disabled={list.loadingMore}>
            {list.loadingMore ? <Spinner label="Loading more" /> : null} Load more
          </button>
        </div>
      )}

      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title="Record an event"
        description="You can fill in the rest — timeline, people, links — on the event's page."
        size="large"
      >
        <EventForm
          zone={viewer.timezone}
          submitLabel="Record event"
          onCancel={() => setCreating(false)}
          onSubmit={async (input) => {
            const ev = await api.post('/api/v1/events', { body: input })
            setCreating(false)
            void navigate(`/events/${ev.id}`)
          }}
        />
      </Dialog>
    </div>
  )
}
