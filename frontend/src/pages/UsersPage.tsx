import { useState, type SyntheticEvent } from 'react'
import { Link } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import type { PersonRef, Role, User } from '../api/types'
import { useViewer } from '../auth/session'
import { PersonPicker } from '../components/PersonPicker'
import { PlusIcon, UsersIcon } from '../components/icons'
import { useToast } from '../components/toast'
import {
  Badge,
  ConfirmButton,
  Dialog,
  EmptyState,
  ErrorCallout,
  Field,
  Filter,
  LoadingBlock,
  PageHeader,
  SearchBox,
  Spinner,
} from '../components/ui'
import { formatRelative } from '../lib/format'
import { useDebounced, useLoad, usePaged, useTitle } from '../lib/hooks'
import { entries, roleHints, roles } from '../lib/labels'

const shown = ['email', 'name', 'role', 'password', 'person_id']

const personCache = new Map<string, Promise<PersonRef>>()
function loadPersonRef(id: string): Promise<PersonRef> {
  let p = personCache.get(id)
  if (!p) {
    p = api
      .get('/api/v1/people/{id}', { path: { id } })
      .then((x) => ({ id: x.id, name: x.name, team: x.team, timezone: x.timezone }))
    p.catch(() => personCache.delete(id))
    personCache.set(id, p)
  }
  return p
}

function LinkedPerson({ id }: { id: string | null }) {
  const person = useLoad(id ? `person:${id}` : null, () => loadPersonRef(id ?? ''))
  if (!id) return <span className="muted">—</span>
  return <Link to={`/people/${id}`}>{person.data?.name ?? 'Linked person'}</Link>
}

function UserForm({ user, onDone, onCancel }: { user?: User; onDone: (u: User) => void; onCancel: () => void }) {
  const [email, setEmail] = useState(user?.email ?? '')
  const [name, setName] = useState(user?.name ?? '')
  const [role, setRole] = useState<Role>(user?.role ?? 'facilitator')
  const [password, setPassword] = useState('')
  const [person, setPerson] = useState<PersonRef | null>(null)
  const [personTouched, setPersonTouched] = useState(false)
  const linked = useLoad(user?.person_id && !personTouched ? `person:${user.person_id}` : null, () =>
    loadPersonRef(user?.person_id ?? ''),
  )
  const shownPerson = personTouched ? person : (linked.data ?? null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const done = (u: User) => {
      setBusy(false)
      onDone(u)
    }
    const fail = (err: unknown) => {
      setBusy(false)
      setError(toApiError(err))
    }
    if (user) {
      api
        .patch('/api/v1/users/{id}', {
          path: { id: user.id },
          body: {
            name: name.trim(),
            role,
            ...(password ? { password } : {}),
            ...(personTouched ? { person_id: person?.id ?? null } : {}),
          },
        })
        .then(done, fail)
    } else {
      api
        .post('/api/v1/users', {
          body: { email: email.trim(), name: name.trim(), role, password, person_id: person?.id ?? null },
        })
        .then(done, fail)
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorCallout error={error} shownFields={shown} />
      <div className="form-row">
        <Field label="Name" required error={error?.field('name')}>
          {(p) => <input {...p} autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field
          label="Email"
          required={!user}
          error={error?.field('email')}
          hint={user ? 'Email cannot be changed.' : undefined}
        >
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="off"
              value={email}
              readOnly={!!user}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label="Role" required error={error?.field('role')} hint={roleHints[role]}>
        {(p) => (
          <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {entries(roles).map(([r, label]) => (
              <option key={r} value={r}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={user ? 'New password' : 'Password'}
        required={!user}
        error={error?.field('password')}
        hint={
          user
            ? 'Leave empty to keep the current password. At least 10 characters.'
            : 'At least 10 characters. Share it with them privately.'
        }
      >
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="Linked person"
        error={error?.field('person_id')}
        hint="Link the account to their entry in People, so times show in their zone and they see events they took part in."
      >
        {(p) => (
          <PersonPicker
            control={p}
            value={shownPerson}
            onChange={(v) => {
              setPersonTouched(true)
              setPerson(v)
            }}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : user ? 'Save changes' : 'Add user'}
        </button>
      </div>
    </form>
  )
}

export default function UsersPage() {
  useTitle('Users')
  const viewer = useViewer()
  const notify = useToast()
  const [text, setText] = useState('')
  const q = useDebounced(text.trim(), 250)
  const [role, setRole] = useState<Role | ''>('')
  const [adding, setAdding] = useState(false)
  const [editing, setEditing] = useState<User | null>(null)
  const [rowError, setRowError] = useState<ApiError | null>(null)
  const query = { q: q || undefined, role: role || undefined }
  const list = usePaged(JSON.stringify(query), (cursor, signal) =>
    api.get('/api/v1/users', { query: { ...query, cursor: cursor || undefined }, signal }),
  )

  const replace = (u: User) => list.update((items) => items.map((x) => (x.id === u.id ? u : x)))

  const patch = async (u: User, body: { role?: Role; active?: boolean }) => {
    setRowError(null)
    try {
      const updated = await api.patch('/api/v1/users/{id}', { path: { id: u.id }, body })
      replace(updated)
      return updated
    } catch (err) {
      setRowError(toApiError(err))
      throw err
    }
  }

  return (
    <div className="page">
      <PageHeader
        title="Users"
        description="Accounts that can sign in to Debrief, and what each may do."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            <PlusIcon /> Add user
          </button>
        }
      />
      <div className="filters" role="search" aria-label="Filter users">
        <SearchBox label="Search users" placeholder="Search by name or email" value={text} onChange={setText} />
        <Filter label="Role">
          {(id) => (
            <select id={id} value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">Any role</option>
              {entries(roles).map(([r, label]) => (
                <option key={r} value={r}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Filter>
      </div>
      <ErrorCallout error={list.error ?? rowError} />
      {list.loading ? (
        <LoadingBlock />
      ) : list.items.length === 0 ? (
        <EmptyState icon={<UsersIcon />} title={q || role ? 'No users match' : 'No users yet'} />
      ) : (
        <div className={`table-wrap${list.refreshing ? ' refreshing' : ''}`} aria-busy={list.refreshing}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Linked person</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((u) => (
                <tr key={u.id} className={u.active ? undefined : 'inactive'}>
                  <td>
                    <div className="row-title">
                      {u.name} {u.id === viewer.user.id && <Badge tone="blue">You</Badge>}{' '}
                      {!u.active && <Badge>Deactivated</Badge>}
                    </div>
                    <div className="muted small">{u.email}</div>
                  </td>
                  <td>
                    <select
                      aria-label={`Role for ${u.name}`}
                      className="select-compact"
                      value={u.role}
                      onChange={(e) => {
                        const r = e.target.value as Role
                        void patch(u, { role: r }).then(
                          (x) => notify(`${x.name} is now ${roles[x.role].toLowerCase()}`),
                          () => undefined,
                        )
                      }}
                    >
                      {entries(roles).map(([r, label]) => (
                        <option key={r} value={r}>
                          {label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <LinkedPerson id={u.person_id} />
                  </td>
                  <td className="nowrap">
                    {u.last_sign_in_at ? formatRelative(u.last_sign_in_at) : <span className="muted">Never</span>}
                  </td>
                  <td className="actions-cell">
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(u)}>
                      Edit<span className="sr-only"> {u.name}</span>
                    </button>
                    {u.active ? (
                      <ConfirmButton
                        title={`Deactivate ${u.name}?`}
                        body={
                          <p>
                            They will be signed out and cannot sign in until reactivated. Their API tokens stop working.
                          </p>
                        }
                        confirmLabel="Deactivate"
                        onConfirm={async () => {
                          await patch(u, { active: false })
                          notify(`${u.name} deactivated`)
                        }}
                      >
                        Deactivate<span className="sr-only"> {u.name}</span>
                      </ConfirmButton>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        onClick={() =>
                          void patch(u, { active: true }).then(
                            () => notify(`${u.name} reactivated`),
                            () => undefined,
                          )
                        }
                      >
                        Reactivate<span className="sr-only"> {u.name}</span>
                      </button>
                    )}
                  </td>
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
      <Dialog open={adding} onClose={() => setAdding(false)} title="Add a user" size="large">
        <UserForm
          onCancel={() => setAdding(false)}
          onDone={(u) => {
            setAdding(false)
            list.reload()
            notify(`${u.name} can now sign in`)
          }}
        />
      </Dialog>
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={`Edit ${editing?.name ?? 'user'}`}
        size="large"
      >
        {editing && (
          <UserForm
            key={editing.id}
            user={editing}
            onCancel={() => setEditing(null)}
            onDone={(u) => {
              setEditing(null)
              replace(u)
              notify('Saved')
            }}
          />
        )}
      </Dialog>
    </div>
  )
}
