import { useState, type SyntheticEvent } from 'react'
import { Link } from 'react-router-dom'
import { ApiError, api, toApiError } from '../api/client'
import type { Involvement, InvolvementRole, PersonRef } from '../api/types'
import { entries, involvementRoles } from '../lib/labels'
import { RoleBadge } from './badges'
import { PersonPicker } from './PersonPicker'
import { useToast } from './toast'
import { ErrorCallout, Field } from './ui'

const shown = ['person_id', 'role', 'note']

export function Involvements({
  eventId,
  items,
  canEdit,
  onChange,
}: {
  eventId: string
  items: Involvement[]
  canEdit: boolean
  onChange: (items: Involvement[]) => void
}) {
  const notify = useToast()
  const [person, setPerson] = useState<PersonRef | null>(null)
  const [role, setRole] = useState<InvolvementRole>('responder')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [removeError, setRemoveError] = useState<ApiError | null>(null)
  const [pickerKey, setPickerKey] = useState(0)

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    if (!person) {
      setError(
        new ApiError({
          status: 400,
          code: 'invalid',
          title: '',
          detail: '',
          fieldErrors: [{ field: 'person_id', message: 'Choose a person.' }],
        }),
      )
      return
    }
    setBusy(true)
    setError(null)
    api
      .post('/api/v1/events/{id}/involvements', {
        path: { id: eventId },
        body: { person_id: person.id, role, note: note.trim() },
      })
      .then(
        (created) => {
          setBusy(false)
          onChange([...items, created])
          notify(`${created.person.name} added as ${involvementRoles[created.role].toLowerCase()}`)
          setPerson(null)
          setNote('')
          setPickerKey((k) => k + 1)
        },
        (err: unknown) => {
          setBusy(false)
          setError(toApiError(err))
        },
      )
  }

  const remove = (inv: Involvement) => {
    setRemoveError(null)
    api.delete('/api/v1/events/{id}/involvements/{inv_id}', { path: { id: eventId, inv_id: inv.id } }).then(
      () => {
        onChange(items.filter((x) => x.id !== inv.id))
        notify(`${inv.person.name} removed`)
      },
      (err: unknown) => setRemoveError(toApiError(err)),
    )
  }

  const sorted = [...items].sort((a, b) => a.person.name.localeCompare(b.person.name))
  return (
    <section className="card" aria-labelledby="involvements-heading">
      <div className="card-header">
        <h2 id="involvements-heading">People involved</h2>
        <span className="muted small">{items.length}</span>
      </div>
      <ErrorCallout error={removeError} />
      {sorted.length === 0 ? (
        <p className="muted card-empty">
          {canEdit
            ? 'Who responded, noticed it, wrote the change, owns the system, or was affected? Add them here — they are the people to talk to.'
            : 'No one has been added yet.'}
        </p>
      ) : (
        <ul className="stack-list">
          {sorted.map((inv) => (
            <li key={inv.id} className="stack-item">
              <div className="stack-main">
                <div className="stack-title">
                  <Link to={`/people/${inv.person.id}`}>{inv.person.name}</Link>
                </div>
                <div className="muted small stack-meta">
                  <RoleBadge role={inv.role} />
                  {[inv.person.team, inv.note].filter(Boolean).join(' · ')}
                </div>
              </div>
              {canEdit && (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => remove(inv)}>
                  Remove
                  <span className="sr-only">
                    {' '}
                    {inv.person.name} ({involvementRoles[inv.role]})
                  </span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form className="card-section form compact-form" onSubmit={submit} noValidate>
          <h3 className="section-title">Add a person</h3>
          <ErrorCallout error={error} shownFields={shown} />
          <Field label="Person" required error={error?.field('person_id')}>
            {(p) => (
              <PersonPicker
                key={pickerKey}
                control={p}
                value={person}
                onChange={setPerson}
                excludeIds={[]}
                placeholder="Search by name, email or team"
              />
            )}
          </Field>
          <Field label="Role" error={error?.field('role')}>
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.target.value as InvolvementRole)}>
                {entries(involvementRoles).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Note" error={error?.field('note')}>
            {(p) => <input {...p} value={note} placeholder="Optional" onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-secondary" disabled={busy}>
              {busy ? 'Adding…' : 'Add person'}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
