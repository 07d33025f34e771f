import { useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { api } from '../api/client'
import { useViewer } from '../auth/session'
import { CalendarFeedCard } from '../components/CalendarFeedCard'
import { PersonForm } from '../components/PersonForm'
import { useToast } from '../components/toast'
import { Badge, ConfirmButton, EmptyState, ErrorCallout, LoadingBlock } from '../components/ui'
import { formatDateTime, formatWeekdayTime } from '../lib/format'
import { useLoad, useNow, useTitle } from '../lib/hooks'
import { offsetLabel } from '../lib/time'

export default function PersonPage() {
  const { id = '' } = useParams()
  const viewer = useViewer()
  const notify = useToast()
  const now = useNow()
  const [editing, setEditing] = useState(false)
  const person = useLoad(`person:${id}`, (signal) => api.get('/api/v1/people/{id}', { path: { id }, signal }))
  const p = person.data
  useTitle(p?.name ?? 'Person')

  if (!p) {
    if (person.error) {
      return (
        <div className="page">
          {person.error.status === 404 ? (
            <EmptyState
              title="This person is not in Debrief"
              actions={
                <Link to="/people" className="btn btn-primary">
                  Back to people
                </Link>
              }
            >
              <p>They may have been removed.</p>
            </EmptyState>
          ) : (
            <ErrorCallout error={person.error} />
          )}
        </div>
      )
    }
    return <LoadingBlock label="Loading…" />
  }

  const setActive = async (active: boolean) => {
    const updated = await api.patch('/api/v1/people/{id}', { path: { id: p.id }, body: { active } })
    person.setData(() => updated)
    notify(active ? `${updated.name} is active again` : `${updated.name} is now inactive`)
  }

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/people">People</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{p.name}</span>
      </nav>
      <header className="page-header">
        <div className="page-header-text">
          <h1>
            {p.name} {!p.active && <Badge>Inactive</Badge>}
          </h1>
          <p className="page-description">{[p.level, p.team].filter(Boolean).join(' · ') || 'No team or level yet'}</p>
        </div>
        {viewer.canEdit && !editing && (
          <div className="page-actions">
            {p.active ? (
              <ConfirmButton
                className="btn btn-secondary"
                title={`Mark ${p.name} as inactive?`}
                body={
                  <p>
                    Inactive people stay on the events they are part of, but are not suggested for new chats or learning
                    teams. You can reactivate them at any time.
                  </p>
                }
                confirmLabel="Mark inactive"
                onConfirm={() => setActive(false)}
              >
                Deactivate
              </ConfirmButton>
            ) : (
              <button type="button" className="btn btn-secondary" onClick={() => void setActive(true)}>
                Reactivate
              </button>
            )}
            <button type="button" className="btn btn-primary" onClick={() => setEditing(true)}>
              Edit
            </button>
          </div>
        )}
      </header>

      {editing ? (
        <section className="card">
          <PersonForm
            initial={p}
            submitLabel="Save changes"
            onCancel={() => setEditing(false)}
            onSubmit={async (input) => {
              const updated = await api.patch('/api/v1/people/{id}', { path: { id: p.id }, body: input })
              person.setData(() => updated)
              setEditing(false)
              notify('Saved')
            }}
          />
        </section>
      ) : (
        <section className="card">
          <dl className="detail-list">
            <div>
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${p.email}`}>{p.email}</a>
              </dd>
            </div>
            <div>
              <dt>Team</dt>
              <dd>{p.team || <span className="muted">None</span>}</dd>
            </div>
            <div>
              <dt>Level</dt>
              <dd>{p.level ?? <span className="muted">None</span>}</dd>
            </div>
            <div>
              <dt>Manager</dt>
              <dd>
                {p.manager_id ? (
                  <Link to={`/people/${p.manager_id}`}>{p.manager_name}</Link>
                ) : (
                  <span className="muted">None</span>
                )}
              </dd>
            </div>
            <div>
              <dt>Time zone</dt>
              <dd>
                {p.timezone} <span className="muted">({offsetLabel(p.timezone, now)})</span>
                <div className="muted small">Now {formatWeekdayTime(now, p.timezone)} for them</div>
              </dd>
            </div>
            <div>
              <dt>Working hours</dt>
              <dd>{p.working_hours}</dd>
            </div>
            <div>
              <dt>Systems they know</dt>
              <dd>{p.systems.length > 0 ? p.systems.join(', ') : <span className="muted">None listed</span>}</dd>
            </div>
            <div>
              <dt>Calendar</dt>
              <dd>{p.calendar_id || <span className="muted">Uses their email</span>}</dd>
            </div>
            <div>
              <dt>Added</dt>
              <dd>{formatDateTime(p.created_at, viewer.timezone)}</dd>
            </div>
            <div>
              <dt>Last changed</dt>
              <dd>{formatDateTime(p.updated_at, viewer.timezone)}</dd>
            </div>
          </dl>
        </section>
      )}
      <CalendarFeedCard personId={p.id} name={p.name} canManage={viewer.canEdit || viewer.user.person_id === p.id} />
    </div>
  )
}
