import { useState, type SyntheticEvent } from 'react'
import { api, toApiError, type ApiError } from '../api/client'
import type { Reference, ReferenceKind } from '../api/types'
import { hostOf } from '../lib/format'
import { entries, referenceKinds } from '../lib/labels'
import { ReferenceKindBadge } from './badges'
import { ExternalIcon } from './icons'
import { useToast } from './toast'
import { ErrorCallout, Field } from './ui'

const shown = ['url', 'label', 'kind']

export function References({
  eventId,
  items,
  canEdit,
  onChange,
}: {
  eventId: string
  items: Reference[]
  canEdit: boolean
  onChange: (items: Reference[]) => void
}) {
  const notify = useToast()
  const [url, setUrl] = useState('')
  const [label, setLabel] = useState('')
  const [kind, setKind] = useState<ReferenceKind>('chat_log')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [removeError, setRemoveError] = useState<ApiError | null>(null)
  const [localUrlError, setLocalUrlError] = useState<string | undefined>()

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    const u = url.trim()
    if (!/^https?:\/\/\S+$/i.test(u)) {
      setLocalUrlError('Enter a link starting with http:// or https://')
      return
    }
    setLocalUrlError(undefined)
    setBusy(true)
    setError(null)
    api
      .post('/api/v1/events/{id}/references', { path: { id: eventId }, body: { url: u, label: label.trim(), kind } })
      .then(
        (created) => {
          setBusy(false)
          onChange([...items, created])
          notify('Link added')
          setUrl('')
          setLabel('')
        },
        (err: unknown) => {
          setBusy(false)
          setError(toApiError(err))
        },
      )
  }

  const remove = (ref: Reference) => {
    setRemoveError(null)
    api.delete('/api/v1/events/{id}/references/{ref_id}', { path: { id: eventId, ref_id: ref.id } }).then(
      () => {
        onChange(items.filter((x) => x.id !== ref.id))
        notify('Link removed')
      },
      (err: unknown) => setRemoveError(toApiError(err)),
    )
  }

  return (
    <section className="card" aria-labelledby="references-heading">
      <div className="card-header">
        <h2 id="references-heading">References</h2>
        <span className="muted small">{items.length}</span>
      </div>
      <ErrorCallout error={removeError} />
      {items.length === 0 ? (
        <p className="muted card-empty">
          {canEdit
            ? 'Link the chat logs, dashboards, pull requests and tickets that tell the story.'
            : 'No links have been added yet.'}
        </p>
      ) : (
        <ul className="stack-list">
          {items.map((ref) => (
            <li key={ref.id} className="stack-item">
              <div className="stack-main">
                <div className="stack-title">
                  <a href={ref.url} target="_blank" rel="noopener noreferrer">
                    {ref.label || hostOf(ref.url)} <ExternalIcon />
                    <span className="sr-only"> (opens in a new tab)</span>
                  </a>
                </div>
                <div className="muted small stack-meta">
                  <ReferenceKindBadge kind={ref.kind} /> {hostOf(ref.url)}
                </div>
              </div>
              {canEdit && (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => remove(ref)}>
                  Remove<span className="sr-only"> {ref.label || ref.url}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form className="card-section form compact-form" onSubmit={submit} noValidate>
          <h3 className="section-title">Add a link</h3>
          <ErrorCallout error={error} shownFields={shown} />
          <Field label="URL" required error={localUrlError ?? error?.field('url')}>
            {(p) => (
              <input {...p} type="url" placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} />
            )}
          </Field>
          <Field label="Label" error={error?.field('label')}>
            {(p) => (
              <input
                {...p}
                value={label}
                placeholder="e.g. #inc-checkout channel"
                onChange={(e) => setLabel(e.target.value)}
              />
            )}
          </Field>
          <Field label="Kind" error={error?.field('kind')}>
            {(p) => (
              <select {...p} value={kind} onChange={(e) => setKind(e.target.value as ReferenceKind)}>
                {entries(referenceKinds).map(([k, l]) => (
                  <option key={k} value={k}>
                    {l}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-secondary" disabled={busy}>
              {busy ? 'Adding…' : 'Add link'}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
