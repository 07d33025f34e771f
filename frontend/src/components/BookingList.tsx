import { useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import type { Booking } from '../api/scheduling'
import { useViewer } from '../auth/session'
import { formatDateTime, formatTime } from '../lib/format'
import { useLoad } from '../lib/hooks'
import { BookingBadge, BookingReason } from './BookingBadge'
import { useToast } from './toast'
import { ConfirmButton, ErrorCallout, LoadingBlock } from './ui'

const POLL_MS = 3000

/**
 * Upcoming bookings with their status, Retry for ones that did not reach the
 * calendar, Cancel, and the .ics invitation of built-in ones. Pending bookings
 * are polled until they settle.
 */
export function BookingList({
  personId,
  eventId,
  refreshKey = 0,
  emptyText = 'No upcoming bookings.',
  compact = false,
}: {
  personId?: string
  eventId?: string
  /** Change to load the list again (e.g. after booking). */
  refreshKey?: number
  emptyText?: string
  compact?: boolean
}) {
  const viewer = useViewer()
  const notify = useToast()
  const [from] = useState(() => new Date(Date.now() - 60 * 60_000).toISOString())
  const key = `bookings:${personId ?? ''}:${eventId ?? ''}:${String(refreshKey)}`
  const list = useLoad(key, (signal) =>
    api.get('/api/v1/bookings', {
      query: { person_id: personId, event_id: eventId, from, limit: 50 },
      signal,
    }),
  )
  const [error, setError] = useState<ApiError | null>(null)
  const items = (list.data?.items ?? []).filter((b) => b.status !== 'canceled')
  const pendingIds = items.filter((b) => b.status === 'pending').map((b) => b.id)
  const pendingKey = pendingIds.join(',')

  // Poll bookings still being written to the calendar until they settle.
  const { setData } = list
  useEffect(() => {
    if (!pendingKey) return
    const ctrl = new AbortController()
    const t = window.setInterval(() => {
      for (const id of pendingKey.split(',')) {
        api.get('/api/v1/bookings/{id}', { path: { id }, signal: ctrl.signal }).then(
          (b) => {
            if (b.status !== 'pending') replace(setData, b)
          },
          () => undefined,
        )
      }
    }, POLL_MS)
    return () => {
      ctrl.abort()
      window.clearInterval(t)
    }
  }, [pendingKey, setData])

  if (!list.data) {
    if (list.error) return <ErrorCallout error={list.error} />
    return <LoadingBlock label="Loading bookings…" />
  }
  if (items.length === 0) return <p className="muted">{emptyText}</p>

  const retry = (b: Booking) => {
    setError(null)
    api.post('/api/v1/bookings/{id}/retry', { path: { id: b.id } }).then(
      (updated) => {
        replace(setData, updated)
        notify('Sending to the calendar again')
      },
      (err: unknown) => setError(toApiError(err)),
    )
  }

  return (
    <div className="booking-list">
      <ErrorCallout error={error} />
      <ul className="stack-list">
        {items.map((b) => (
          <li key={b.id} className="stack-item booking-item" data-testid="booking">
            <div className="stack-main">
              <div className="stack-title">
                {b.title} <BookingBadge booking={b} />
              </div>
              <BookingReason booking={b} />
              <div className="stack-meta">
                {formatDateTime(b.start, viewer.timezone)}–{formatTime(b.end, viewer.timezone)}{' '}
                <span className="muted">({viewer.timezone})</span>
                {b.provider === 'google' ? ' · Google Calendar' : ' · Built-in calendar'}
              </div>
              {!compact && (
                <div className="stack-meta">
                  {b.attendees.map((a, i) => (
                    <span key={a.person.id}>
                      {i > 0 && ', '}
                      <Link to={`/people/${a.person.id}`}>{a.person.name}</Link>
                      {a.optional && <span className="muted"> (optional)</span>}
                      {a.response === 'declined' && <span className="muted"> (declined)</span>}
                    </span>
                  ))}
                </div>
              )}
              {b.meet_url && (
                <div className="stack-meta">
                  <a href={b.meet_url} target="_blank" rel="noreferrer">
                    Meet link
                  </a>
                </div>
              )}
            </div>
            <div className="row-actions">
              {b.ics_url && (
                <a className="btn btn-ghost btn-small" href={b.ics_url} download>
                  .ics<span className="sr-only"> invitation for {b.title}</span>
                </a>
              )}
              {viewer.canEdit &&
                (b.status === 'failed' || b.status === 'needs_attention') &&
                b.provider === 'google' && (
                  <button type="button" className="btn btn-secondary btn-small" onClick={() => retry(b)}>
                    Retry
                  </button>
                )}
              {viewer.canEdit && (
                <ConfirmButton
                  title={`Cancel “${b.title}”?`}
                  body={
                    <p>
                      Everyone’s time is freed at once.
                      {b.provider === 'builtin'
                        ? ' Download the .ics again afterwards and send it to attendees so their calendars drop it.'
                        : ' Google Calendar tells the attendees.'}
                    </p>
                  }
                  confirmLabel="Cancel booking"
                  onConfirm={async () => {
                    await api.delete('/api/v1/bookings/{id}', { path: { id: b.id } })
                    list.reload()
                    notify('Booking canceled')
                  }}
                >
                  Cancel<span className="sr-only"> {b.title}</span>
                </ConfirmButton>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

function replace(
  setData: (
    update: (
      prev: { items: Booking[]; next_cursor: string } | undefined,
    ) => { items: Booking[]; next_cursor: string } | undefined,
  ) => void,
  b: Booking,
) {
  setData((prev) => (prev ? { ...prev, items: prev.items.map((x) => (x.id === b.id ? b : x)) } : prev))
}
