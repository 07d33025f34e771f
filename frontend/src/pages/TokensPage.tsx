import { useState, type SyntheticEvent } from 'react'
import { api, toApiError, type ApiError } from '../api/client'
import type { ApiToken } from '../api/types'
import { useViewer } from '../auth/session'
import { CopyIcon, KeyIcon } from '../components/icons'
import { useToast } from '../components/toast'
import {
  Badge,
  Callout,
  ConfirmButton,
  EmptyState,
  ErrorCallout,
  Field,
  LoadingBlock,
  PageHeader,
} from '../components/ui'
import { formatDateTime, formatRelative } from '../lib/format'
import { useLoad, useTitle } from '../lib/hooks'

function NewTokenCallout({ secret, name, onDismiss }: { secret: string; name: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false)
  return (
    <Callout tone="success" title={`Your new token “${name}”`} role="status">
      <p>Copy it now and keep it somewhere safe. Debrief stores only a hash, so it cannot show it again.</p>
      <div className="secret-row">
        <input
          className="mono secret"
          readOnly
          value={secret}
          aria-label="New API token"
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => {
            void navigator.clipboard.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }}
        >
          <CopyIcon /> {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="small muted">
        Use it in scripts: <code>Authorization: Bearer {secret.slice(0, 8)}…</code>
      </p>
      <button type="button" className="link-button small" onClick={onDismiss}>
        I have saved it — hide the token
      </button>
    </Callout>
  )
}

export default function TokensPage() {
  useTitle('API tokens')
  const viewer = useViewer()
  const notify = useToast()
  const tokens = useLoad('tokens', (signal) => api.get('/api/v1/tokens', { signal }))
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [created, setCreated] = useState<{ secret: string; name: string } | null>(null)

  const create = (e: SyntheticEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    api.post('/api/v1/tokens', { body: { name: name.trim() } }).then(
      (res) => {
        setBusy(false)
        setCreated({ secret: res.token, name: res.api_token.name })
        setName('')
        tokens.setData((prev) =>
          prev ? { ...prev, items: [res.api_token, ...prev.items] } : { items: [res.api_token] },
        )
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  const revoked = (t: ApiToken) =>
    tokens.setData((prev) => (prev ? { ...prev, items: prev.items.map((x) => (x.id === t.id ? t : x)) } : prev))

  const items = tokens.data?.items ?? []
  return (
    <div className="page">
      <PageHeader
        title="API tokens"
        description="Personal tokens let scripts use Debrief’s API as you, with your role’s access. Revoke any you no longer use."
      />
      {created && <NewTokenCallout secret={created.secret} name={created.name} onDismiss={() => setCreated(null)} />}
      <section className="card">
        <form className="inline-form" onSubmit={create} noValidate>
          <Field
            label="Token name"
            error={error?.field('name')}
            hint="What will use it, e.g. “incident bot” or “weekly export”."
          >
            {(p) => <input {...p} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </form>
        <ErrorCallout error={error} shownFields={['name']} />
      </section>

      {tokens.loading && !tokens.data ? (
        <LoadingBlock />
      ) : tokens.error && !tokens.data ? (
        <ErrorCallout error={tokens.error} />
      ) : items.length === 0 ? (
        <EmptyState icon={<KeyIcon />} title="No tokens yet">
          <p>Create one above when a script or integration needs to read or record events for you.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.id} className={t.revoked_at ? 'inactive' : undefined}>
                  <td className="row-title">
                    {t.name} {t.revoked_at && <Badge>Revoked</Badge>}
                  </td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td className="nowrap">{formatDateTime(t.created_at, viewer.timezone)}</td>
                  <td className="nowrap">
                    {t.last_used_at ? (
                      <span title={formatDateTime(t.last_used_at, viewer.timezone)}>
                        {formatRelative(t.last_used_at)}
                      </span>
                    ) : (
                      <span className="muted">Never</span>
                    )}
                  </td>
                  <td className="actions-cell">
                    {t.revoked_at ? (
                      <span className="muted small">Revoked {formatRelative(t.revoked_at)}</span>
                    ) : (
                      <ConfirmButton
                        title={`Revoke “${t.name}”?`}
                        body={<p>Anything using this token will stop working at once. This cannot be undone.</p>}
                        confirmLabel="Revoke token"
                        onConfirm={async () => {
                          await api.delete('/api/v1/tokens/{id}', { path: { id: t.id } })
                          revoked({ ...t, revoked_at: new Date().toISOString() })
                          notify(`“${t.name}” revoked`)
                        }}
                      >
                        Revoke<span className="sr-only"> {t.name}</span>
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
