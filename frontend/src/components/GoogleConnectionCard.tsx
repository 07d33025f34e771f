import { useEffect, useState, type SyntheticEvent } from 'react'
import { useSearchParams } from 'react-router-dom'
import { api, rawRequest, toApiError, type ApiError } from '../api/client'
import type { GoogleConnection, GoogleConnectionTest } from '../api/scheduling'
import { formatDateTime } from '../lib/format'
import { useLoad } from '../lib/hooks'
import { useViewer } from '../auth/session'
import { useToast } from './toast'
import { Badge, Callout, ConfirmButton, ErrorCallout, Field, LoadingBlock } from './ui'
import '../schedule.css'

function TestResult({ test }: { test: GoogleConnectionTest }) {
  const viewer = useViewer()
  return (
    <Callout
      tone={test.ok ? 'success' : 'error'}
      role="status"
      title={test.ok ? 'Connection works' : 'Connection failed'}
    >
      <p>{test.message}</p>
      <p className="muted small">
        Checked {formatDateTime(test.at, viewer.timezone)} · {test.latency_ms} ms
      </p>
    </Callout>
  )
}

/** Settings → Google Calendar: status, connect (service account or OAuth), test, disconnect. Admins only. */
export function GoogleConnectionCard() {
  const notify = useToast()
  const [params, setParams] = useSearchParams()
  const conn = useLoad('google-connection', (signal) => api.get('/api/v1/settings/google', { signal }))
  const [error, setError] = useState<ApiError | null>(null)
  const [testing, setTesting] = useState(false)
  const [test, setTest] = useState<GoogleConnectionTest | null>(null)
  const [showForm, setShowForm] = useState(false)
  const [returned, setReturned] = useState(() => ({ google: params.get('google'), message: params.get('message') }))

  // Coming back from Google's consent screen: show the outcome once, then tidy the URL.
  useEffect(() => {
    if (!params.has('google')) return
    const next = new URLSearchParams(params)
    next.delete('google')
    next.delete('message')
    setParams(next, { replace: true })
  }, [params, setParams])

  const c = conn.data
  const setConn = (updated: GoogleConnection) => conn.setData(() => updated)

  const runTest = () => {
    setTesting(true)
    setError(null)
    api.post('/api/v1/settings/google/test').then(
      (t) => {
        setTesting(false)
        setTest(t)
        conn.reload()
      },
      (err: unknown) => {
        setTesting(false)
        setError(toApiError(err))
      },
    )
  }

  const connectOAuth = (conference: '' | 'hangoutsMeet') => {
    setError(null)
    api.post('/api/v1/settings/google/oauth', { body: { conference } }).then(
      (r) => {
        window.location.assign(r.auth_url)
      },
      (err: unknown) => setError(toApiError(err)),
    )
  }

  const shownTest = test ?? c?.last_test ?? null

  return (
    <section className="card" aria-labelledby="google-card-title">
      <div className="card-header">
        <h2 id="google-card-title">Google Calendar</h2>
        {c && (
          <span data-testid="google-status">
            {c.connected ? (
              <Badge tone="booking-confirmed">Connected</Badge>
            ) : c.source === 'environment' ? (
              <Badge tone="booking-attention">Set by the server</Badge>
            ) : (
              <Badge>Not connected</Badge>
            )}
          </span>
        )}
      </div>
      <p className="muted">
        Connect Google Calendar so Debrief reads people’s free/busy and puts bookings on their calendars. Without it,
        bookings use Debrief’s built-in calendar (.ics invitations and feeds).
      </p>
      {returned.google === 'connected' && (
        <Callout tone="success" role="status">
          <p>Google Calendar is connected. Run “Test connection” to check it can read calendars.</p>
        </Callout>
      )}
      {returned.google === 'error' && (
        <Callout tone="error" role="alert" title="Google Calendar was not connected">
          <p>{returned.message || 'Google did not finish the connection.'}</p>
        </Callout>
      )}
      <ErrorCallout error={error ?? conn.error} />
      {!c ? (
        !conn.error && <LoadingBlock />
      ) : (
        <>
          {c.problem && (
            <Callout tone="warning" title="The saved connection cannot be used">
              <p>{c.problem}</p>
            </Callout>
          )}
          {c.source !== 'none' && (
            <dl className="detail-list">
              <div>
                <dt>How</dt>
                <dd>
                  {c.kind === 'oauth' ? 'An admin’s Google account (OAuth)' : 'Service account'}
                  {c.read_only && ' · from the server’s environment (read-only)'}
                </dd>
              </div>
              {c.organizer && (
                <div>
                  <dt>Organizer calendar</dt>
                  <dd>{c.organizer}</dd>
                </div>
              )}
              {c.service_account_email && (
                <div>
                  <dt>Service account</dt>
                  <dd>
                    {c.service_account_email}
                    {c.service_account_client_id && (
                      <div className="muted small">
                        Client id for domain-wide delegation: {c.service_account_client_id}
                      </div>
                    )}
                  </dd>
                </div>
              )}
              <div>
                <dt>Meet links</dt>
                <dd>{c.conference === 'hangoutsMeet' ? 'Attached to every booking' : 'Not attached'}</dd>
              </div>
              {c.connected_by && (
                <div>
                  <dt>Connected by</dt>
                  <dd>{c.connected_by.email}</dd>
                </div>
              )}
            </dl>
          )}
          {shownTest && <TestResult test={shownTest} />}
          <div className="form-actions form-actions-start">
            {c.source !== 'none' && (
              <button type="button" className="btn btn-secondary" onClick={runTest} disabled={testing}>
                {testing ? 'Testing…' : 'Test connection'}
              </button>
            )}
            {c.can_save && !showForm && (
              <button type="button" className="btn btn-secondary" onClick={() => setShowForm(true)}>
                {c.source === 'settings' ? 'Replace connection' : 'Connect Google Calendar'}
              </button>
            )}
            {c.source === 'settings' && !c.read_only && (
              <ConfirmButton
                className="btn btn-ghost"
                title="Disconnect Google Calendar?"
                body={
                  <p>
                    Google bookings stop being sent until you connect again; new bookings use the built-in calendar.
                  </p>
                }
                confirmLabel="Disconnect"
                onConfirm={async () => {
                  await api.delete('/api/v1/settings/google')
                  setTest(null)
                  conn.reload()
                  notify('Google Calendar disconnected')
                }}
              >
                Disconnect
              </ConfirmButton>
            )}
          </div>
          {!c.can_save && c.source !== 'environment' && (
            <p className="muted small">
              Connecting needs DEBRIEF_SECRET_KEY on the server, so credentials can be stored encrypted.
            </p>
          )}
          {showForm && (
            <ConnectForm
              oauthAvailable={c.oauth_available}
              onOAuth={connectOAuth}
              onCancel={() => setShowForm(false)}
              onSaved={(updated) => {
                setConn(updated)
                setReturned({ google: null, message: null })
                setShowForm(false)
                setTest(null)
                notify('Google Calendar connected')
              }}
            />
          )}
        </>
      )}
    </section>
  )
}

function ConnectForm({
  oauthAvailable,
  onOAuth,
  onCancel,
  onSaved,
}: {
  oauthAvailable: boolean
  onOAuth: (conference: '' | 'hangoutsMeet') => void
  onCancel: () => void
  onSaved: (c: GoogleConnection) => void
}) {
  const [key, setKey] = useState('')
  const [fileName, setFileName] = useState('')
  const [organizer, setOrganizer] = useState('')
  const [meet, setMeet] = useState(true)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const conference = meet ? 'hangoutsMeet' : ''

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    rawRequest<GoogleConnection>({
      method: 'PUT',
      path: '/api/v1/settings/google/service-account',
      json: { key, organizer: organizer.trim(), conference },
    }).then(
      (c) => {
        setBusy(false)
        onSaved(c)
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  const keyError = error?.fieldErrors
    .filter((f) => f.field === 'key' || f.field.startsWith('key.'))
    .map((f) => f.message)
    .join('; ')

  return (
    <div className="google-connect">
      <label className="checkbox">
        <input type="checkbox" checked={meet} onChange={(e) => setMeet(e.target.checked)} />
        Attach a Google Meet link to every booking
      </label>
      {oauthAvailable && (
        <div className="google-connect-oauth">
          <h3 className="google-connect-title">With your Google account</h3>
          <p className="muted small">Bookings go on your own calendar. You will be sent to Google to agree.</p>
          <button type="button" className="btn btn-primary" onClick={() => onOAuth(conference)}>
            Connect with Google
          </button>
        </div>
      )}
      <form className="form google-connect-sa" onSubmit={submit} noValidate>
        <h3 className="google-connect-title">With a service account</h3>
        <p className="muted small">
          Upload the service account’s JSON key. A Workspace admin must grant it domain-wide delegation for the calendar
          scope; it acts as the organizer below.
        </p>
        <ErrorCallout error={error} shownFields={['organizer', 'conference']} />
        <Field label="Service-account key (JSON)" required error={keyError || undefined} hint={fileName || undefined}>
          {(p) => (
            <input
              {...p}
              type="file"
              accept="application/json,.json"
              onChange={(e) => {
                const f = e.target.files?.[0]
                if (!f) return
                setFileName(f.name)
                void f.text().then(setKey)
              }}
            />
          )}
        </Field>
        <Field
          label="Organizer email"
          required
          hint="The Workspace user bookings are made as; their calendar holds the events."
          error={error?.field('organizer')}
        >
          {(p) => <input {...p} type="email" value={organizer} onChange={(e) => setOrganizer(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <button type="button" className="btn btn-secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !key || !organizer.trim()}>
            {busy ? 'Saving…' : 'Save service account'}
          </button>
        </div>
      </form>
    </div>
  )
}
