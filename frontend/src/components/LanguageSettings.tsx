import { useState } from 'react'
import { api, toApiError, type ApiError } from '../api/client'
import type { LanguageCategory } from '../api/types'
import { useViewer } from '../auth/session'
import { useLoad } from '../lib/hooks'
import { invalidateLanguageChecks } from '../lib/useLanguageCheck'
import { useToast } from './toast'
import { Badge, Callout, ErrorCallout, LoadingBlock } from './ui'

/**
 * The team-wide language check: which categories of hints people see while
 * they write. Admins switch categories off and on; everyone else sees which
 * are off.
 */
export function LanguageSettings() {
  const viewer = useViewer()
  const notify = useToast()
  const categories = useLoad('language-categories', (signal) => api.get('/api/v1/language/categories', { signal }))
  const settings = useLoad('language-settings', (signal) => api.get('/api/v1/settings/language', { signal }))
  const [draft, setDraft] = useState<LanguageCategory[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const saved = settings.data?.disabled ?? []
  const disabled = draft ?? saved
  const dirty = draft !== null && [...draft].sort().join() !== [...saved].sort().join()
  const items = categories.data?.items ?? []
  const admin = viewer.isAdmin

  const save = () => {
    setBusy(true)
    setError(null)
    api.put('/api/v1/settings/language', { body: { disabled } }).then(
      (s) => {
        setBusy(false)
        settings.setData(() => s)
        setDraft(null)
        invalidateLanguageChecks()
        notify('Language check saved')
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  const offTitles = items.filter((c) => saved.includes(c.id)).map((c) => c.title)
  return (
    <section className="card" aria-labelledby="language-heading">
      <div className="card-header">
        <div>
          <h2 id="language-heading">Language check</h2>
          <p className="muted small">
            While people write guide questions, notes, findings and summaries, Debrief underlines wording that tends to
            blame or narrow what people say, and suggests how/what phrasing. A category switched off here is off for
            everyone.
          </p>
        </div>
      </div>
      <ErrorCallout error={categories.error ?? settings.error} />
      {!admin && settings.data && (
        <Callout tone="info">
          <p>
            {offTitles.length === 0
              ? 'Every category is on for your organization.'
              : `Switched off for your organization: ${offTitles.join(', ')}.`}{' '}
            Admins change this.
          </p>
        </Callout>
      )}
      {(categories.loading && !categories.data) || (settings.loading && !settings.data) ? (
        <LoadingBlock />
      ) : (
        <ul className="toggle-list" aria-label="Language-check categories">
          {items.map((c) => {
            const on = !disabled.includes(c.id)
            const descId = `lc-cat-${c.id}`
            return (
              <li key={c.id} className="toggle-row" data-testid="language-category">
                <div className="toggle-text">
                  {admin ? (
                    <label htmlFor={`lc-toggle-${c.id}`} className="toggle-title">
                      {c.title}
                    </label>
                  ) : (
                    <span className="toggle-title">{c.title}</span>
                  )}
                  <p id={descId} className="muted small">
                    {c.description}
                  </p>
                </div>
                {admin ? (
                  <input
                    id={`lc-toggle-${c.id}`}
                    type="checkbox"
                    role="switch"
                    className="switch"
                    checked={on}
                    aria-describedby={descId}
                    disabled={busy}
                    onChange={(e) =>
                      setDraft(e.target.checked ? disabled.filter((x) => x !== c.id) : [...disabled, c.id])
                    }
                  />
                ) : (
                  <Badge tone={on ? 'green' : 'neutral'}>{on ? 'On' : 'Off'}</Badge>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {admin && (
        <>
          <ErrorCallout error={error} title="The language check was not saved" />
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-secondary"
              disabled={!dirty || busy}
              onClick={() => {
                setDraft(null)
                setError(null)
              }}
            >
              Discard changes
            </button>
            <button type="button" className="btn btn-primary" disabled={!dirty || busy} onClick={save}>
              {busy ? 'Saving…' : 'Save language check'}
            </button>
          </div>
        </>
      )}
    </section>
  )
}
