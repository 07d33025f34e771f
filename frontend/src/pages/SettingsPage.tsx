import { useRef, useState, type SyntheticEvent } from 'react'
import { api, toApiError, type ApiError } from '../api/client'
import type { Level } from '../api/types'
import { DownIcon, PlusIcon, UpIcon } from '../components/icons'
import { LanguageSettings } from '../components/LanguageSettings'
import { GoogleConnectionCard } from '../components/GoogleConnectionCard'
import { useToast } from '../components/toast'
import { Callout, EmptyState, ErrorCallout, LoadingBlock, PageHeader } from '../components/ui'
import { plural } from '../lib/format'
import { useLoad, useTitle } from '../lib/hooks'
import { useViewer } from '../auth/session'

interface Row {
  key: string
  id?: string
  name: string
  people: number
}

let nextKey = 1
const fromLevels = (items: Level[]): Row[] =>
  items.map((l) => ({ key: l.id, id: l.id, name: l.name, people: l.people_count }))

const EXAMPLE = ['Engineer', 'Senior engineer', 'Staff engineer', 'Manager', 'Director', 'VP']

export default function SettingsPage() {
  useTitle('Settings')
  const viewer = useViewer()
  if (!viewer.isAdmin) {
    return (
      <div className="page">
        <PageHeader title="Settings" description="How your organization has set up Debrief. Admins change these." />
        <LanguageSettings />
      </div>
    )
  }
  return <AdminSettings />
}

function AdminSettings() {
  const notify = useToast()
  const levels = useLoad('levels', (signal) => api.get('/api/v1/settings/levels', { signal }))
  const [draft, setDraft] = useState<Row[] | null>(null)
  const [newName, setNewName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [addError, setAddError] = useState<string | null>(null)
  const inputs = useRef(new Map<string, HTMLInputElement>())

  const saved = levels.data ? fromLevels(levels.data.items) : []
  const rows = draft ?? saved
  const dirty =
    draft !== null &&
    JSON.stringify(draft.map((r) => [r.id, r.name])) !== JSON.stringify(saved.map((r) => [r.id, r.name]))

  const edit = (fn: (rows: Row[]) => Row[]) => setDraft(fn(rows))
  const move = (i: number, by: -1 | 1) => {
    edit((rs) => {
      const next = [...rs]
      const [row] = next.splice(i, 1)
      if (row) next.splice(i + by, 0, row)
      return next
    })
  }

  const add = (e: SyntheticEvent) => {
    e.preventDefault()
    const name = newName.trim()
    if (!name) return
    if (rows.some((r) => r.name.trim().toLowerCase() === name.toLowerCase())) {
      setAddError(`“${name}” is already on the ladder.`)
      return
    }
    setAddError(null)
    edit((rs) => [...rs, { key: `new-${String(nextKey++)}`, name, people: 0 }])
    setNewName('')
  }

  const save = () => {
    setBusy(true)
    setError(null)
    api
      .put('/api/v1/settings/levels', {
        body: { levels: rows.map((r) => (r.id ? { id: r.id, name: r.name.trim() } : { name: r.name.trim() })) },
      })
      .then(
        (list) => {
          setBusy(false)
          levels.setData(() => list)
          setDraft(null)
          notify('Level ladder saved')
        },
        (err: unknown) => {
          setBusy(false)
          setError(toApiError(err))
        },
      )
  }

  const rowError = (i: number) => error?.field(`levels[${String(i)}].name`) ?? error?.field(`levels[${String(i)}]`)
  const shownFields = rows.flatMap((_, i) => [`levels[${String(i)}].name`, `levels[${String(i)}]`])

  return (
    <div className="page">
      <PageHeader title="Settings" description="How your organization is set up in Debrief." />
      <section className="card" aria-labelledby="ladder-heading">
        <div className="card-header">
          <div>
            <h2 id="ladder-heading">Level ladder</h2>
            <p className="muted small">
              Levels from the first rung to the most senior. Learning teams mix levels, so people from the work and
              people who decide hear each other.
            </p>
          </div>
        </div>
        <ErrorCallout
          error={error}
          shownFields={shownFields}
          title={error?.status === 409 ? 'The ladder was not saved' : undefined}
        />
        {levels.loading && !levels.data ? (
          <LoadingBlock />
        ) : levels.error && !levels.data ? (
          <ErrorCallout error={levels.error} />
        ) : rows.length === 0 ? (
          <EmptyState title="No levels yet">
            <p>Add the levels your organization uses, lowest first — for example: {EXAMPLE.join(' → ')}.</p>
          </EmptyState>
        ) : (
          <ol className="ladder">
            {rows.map((r, i) => {
              const err = rowError(i)
              return (
                <li key={r.key} className={`ladder-row${err ? ' field-invalid' : ''}`}>
                  <span className="ladder-pos" aria-hidden="true">
                    {i + 1}
                  </span>
                  <div className="ladder-name">
                    <label className="sr-only" htmlFor={`level-${r.key}`}>
                      Level {i + 1} name
                    </label>
                    <input
                      id={`level-${r.key}`}
                      ref={(el) => {
                        if (el) inputs.current.set(r.key, el)
                        else inputs.current.delete(r.key)
                      }}
                      value={r.name}
                      maxLength={60}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `level-${r.key}-error` : undefined}
                      onChange={(e) => {
                        const name = e.target.value
                        edit((rs) => rs.map((x) => (x.key === r.key ? { ...x, name } : x)))
                      }}
                    />
                    {err && (
                      <p className="field-error" id={`level-${r.key}-error`}>
                        {err}
                      </p>
                    )}
                  </div>
                  <span className="ladder-count muted small">
                    {r.id ? plural(r.people, 'person', 'people') : 'New'}
                  </span>
                  <div className="ladder-actions">
                    <button
                      type="button"
                      className="btn btn-ghost btn-icon"
                      aria-label={`Move ${r.name || 'level'} up`}
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                    >
                      <UpIcon />
                    </button>
                    <button
                      type="button"
                      className="btn btn-ghost btn-icon"
                      aria-label={`Move ${r.name || 'level'} down`}
                      disabled={i === rows.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      <DownIcon />
                    </button>
                    <button
                      type="button"
                      className="btn btn-ghost btn-small"
                      title={r.people > 0 ? `${plural(r.people, 'person has', 'people have')} this level` : undefined}
                      onClick={() => edit((rs) => rs.filter((x) => x.key !== r.key))}
                    >
                      Delete<span className="sr-only"> {r.name}</span>
                    </button>
                  </div>
                </li>
              )
            })}
          </ol>
        )}
        <form className="ladder-add" onSubmit={add}>
          <label htmlFor="new-level" className="sr-only">
            New level name
          </label>
          <input
            id="new-level"
            placeholder="New level, e.g. Principal engineer"
            value={newName}
            maxLength={60}
            aria-invalid={addError ? true : undefined}
            aria-describedby={addError ? 'new-level-error' : undefined}
            onChange={(e) => setNewName(e.target.value)}
          />
          <button type="submit" className="btn btn-secondary" disabled={!newName.trim()}>
            <PlusIcon /> Add level
          </button>
        </form>
        {addError && (
          <p className="field-error" id="new-level-error">
            {addError}
          </p>
        )}
        {removedInUse(saved, rows).length > 0 && (
          <Callout tone="warning">
            <p>
              {removedInUse(saved, rows)
                .map((r) => `${r.name} (${plural(r.people, 'person', 'people')})`)
                .join(', ')}{' '}
              still in use. Give those people another level first, or the ladder cannot be saved.
            </p>
          </Callout>
        )}
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
            {busy ? 'Saving…' : 'Save ladder'}
          </button>
        </div>
      </section>
      <GoogleConnectionCard />
      <LanguageSettings />
    </div>
  )
}

function removedInUse(saved: Row[], rows: Row[]): Row[] {
  return saved.filter((s) => s.people > 0 && !rows.some((r) => r.id === s.id))
}
