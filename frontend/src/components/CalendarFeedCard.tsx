import { useState } from 'react'
import { api, toApiError, type ApiError } from '../api/client'
import { useToast } from './toast'
import { BookingList } from './BookingList'
import { Callout, ConfirmButton, ErrorCallout } from './ui'
import { CopyIcon } from './icons'
import '../schedule.css'

/** Person page: their secret calendar feed URL (create, shown once; revoke) and their upcoming bookings. */
export function CalendarFeedCard({
  personId,
  name,
  canManage,
}: {
  personId: string
  name: string
  canManage: boolean
}) {
  const notify = useToast()
  const [url, setUrl] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const create = () => {
    setBusy(true)
    setError(null)
    api.post('/api/v1/people/{id}/feed', { path: { id: personId } }).then(
      (r) => {
        setBusy(false)
        setUrl(r.url)
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  return (
    <section className="card" aria-labelledby="feed-card-title">
      <h2 id="feed-card-title">Calendar feed</h2>
      <p className="muted">
        A private address a calendar app can subscribe to, listing {name}’s bookings made with Debrief’s built-in
        calendar.
      </p>
      <ErrorCallout error={error} />
      {url && (
        <Callout tone="warning" title="Copy this address now — it is shown only once">
          <p>Anyone with it can see {name}’s bookings. Treat it like a password; create a new one if it leaks.</p>
          <div className="secret-row">
            <input
              className="secret mono"
              readOnly
              value={url}
              aria-label="Calendar feed URL"
              onFocus={(e) => e.target.select()}
            />
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={() => {
                void navigator.clipboard.writeText(url).then(
                  () => notify('Feed address copied'),
                  () => notify('Could not copy; select the address and copy it'),
                )
              }}
            >
              <CopyIcon /> Copy
            </button>
          </div>
        </Callout>
      )}
      {canManage && (
        <div className="form-actions form-actions-start">
          <button type="button" className="btn btn-secondary" onClick={create} disabled={busy}>
            {busy ? 'Creating…' : 'Create feed URL'}
          </button>
          <ConfirmButton
            className="btn btn-ghost"
            title="Revoke the calendar feed?"
            body={<p>The current address stops working at once. Calendar apps subscribed to it stop updating.</p>}
            confirmLabel="Revoke"
            onConfirm={async () => {
              await api.delete('/api/v1/people/{id}/feed', { path: { id: personId } })
              setUrl('')
              notify('Feed address revoked')
            }}
          >
            Revoke feed
          </ConfirmButton>
        </div>
      )}
      {url === '' && <p className="muted small">Creating a new address revokes the previous one.</p>}
      <h3 className="feed-subtitle">Upcoming bookings</h3>
      <BookingList personId={personId} compact emptyText={`${name} has no upcoming bookings.`} />
    </section>
  )
}
