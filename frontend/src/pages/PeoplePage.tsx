import { useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { api } from '../api/client'
import { useViewer } from '../auth/session'
import { ImportDialog } from '../components/ImportDialog'
import { PersonForm } from '../components/PersonForm'
import { PeopleIcon, PlusIcon, UploadIcon } from '../components/icons'
import { useToast } from '../components/toast'
import {
  Badge,
  Dialog,
  EmptyState,
  ErrorCallout,
  Filter,
  LoadingBlock,
  PageHeader,
  SearchBox,
  Spinner,
} from '../components/ui'
import { formatWeekdayTime, plural } from '../lib/format'
import { useDebounced, useLoad, useNow, usePaged, useTitle } from '../lib/hooks'

export default function PeoplePage() {
  useTitle('People')
  const viewer = useViewer()
  const notify = useToast()
  const navigate = useNavigate()
  const now = useNow()
  const [text, setText] = useState('')
  const q = useDebounced(text.trim(), 250)
  const [team, setTeam] = useState('')
  const [level, setLevel] = useState('')
  const [showInactive, setShowInactive] = useState(false)
  const [adding, setAdding] = useState(false)
  const [importing, setImporting] = useState(false)

  const query = {
    q: q || undefined,
    team: team || undefined,
    level: level || undefined,
    active: showInactive ? ('all' as const) : ('true' as const),
  }
  const list = usePaged(JSON.stringify(query), (cursor, signal) =>
    api.get('/api/v1/people', { query: { ...query, cursor: cursor || undefined }, signal }),
  )
  const teams = useLoad('teams', (signal) => api.get('/api/v1/teams', { signal }))
  const levels = useLoad('levels', (signal) => api.get('/api/v1/settings/levels', { signal }))
  const filtered = !!(q || team || level)

  const actions = viewer.canEdit ? (
    <>
      <button type="button" className="btn btn-secondary" onClick={() => setImporting(true)}>
        <UploadIcon /> Import CSV
      </button>
      <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
        <PlusIcon /> Add person
      </button>
    </>
  ) : null

  return (
    <div className="page">
      <PageHeader
        title="People"
        description="Everyone Debrief may talk to — with their team, level, manager, time zone and working hours."
        actions={actions}
      />

      <div className="filters" role="search" aria-label="Filter people">
        <SearchBox label="Search people" placeholder="Search by name, email or team" value={text} onChange={setText} />
        <Filter label="Team">
          {(id) => (
            <select id={id} value={team} onChange={(e) => setTeam(e.target.value)}>
              <option value="">All teams</option>
              {(teams.data?.items ?? []).map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name || '(no team)'} ({t.people_count})
                </option>
              ))}
            </select>
          )}
        </Filter>
        <Filter label="Level">
          {(id) => (
            <select id={id} value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">All levels</option>
              {(levels.data?.items ?? []).map((l) => (
                <option key={l.id} value={l.name}>
                  {l.name}
                </option>
              ))}
            </select>
          )}
        </Filter>
        <label className="checkbox">
          <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />
          Show inactive
        </label>
      </div>

      <ErrorCallout error={list.error} />

      {list.loading ? (
        <LoadingBlock label="Loading people…" />
      ) : list.items.length === 0 && !list.error ? (
        filtered ? (
          <EmptyState title="No one matches">
            <p>Try another search, or clear the team and level filters.</p>
          </EmptyState>
        ) : (
          <EmptyState icon={<PeopleIcon />} title="No people yet" actions={actions}>
            <p>
              Debrief uses people’s teams, levels, managers, time zones and working hours to suggest who to talk to and
              when.
            </p>
            {viewer.canEdit ? (
              <p>Import a CSV export from your HR system, or add people one at a time.</p>
            ) : (
              <p>A facilitator or admin can import them.</p>
            )}
          </EmptyState>
        )
      ) : (
        <div className={`table-wrap${list.refreshing ? ' refreshing' : ''}`} aria-busy={list.refreshing}>
          <table className="table">
            <caption className="sr-only">People, by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Team</th>
                <th scope="col">Level</th>
                <th scope="col">Manager</th>
                <th scope="col">Time zone</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((p) => (
                <tr key={p.id} className={p.active ? undefined : 'inactive'}>
                  <td>
                    <Link to={`/people/${p.id}`} className="row-title">
                      {p.name}
                    </Link>
                    {!p.active && (
                      <>
                        {' '}
                        <Badge>Inactive</Badge>
                      </>
                    )}
                  </td>
                  <td className="muted">{p.email}</td>
                  <td>{p.team || <span className="muted">—</span>}</td>
                  <td>{p.level ?? <span className="muted">—</span>}</td>
                  <td>
                    {p.manager_id ? (
                      <Link to={`/people/${p.manager_id}`}>{p.manager_name}</Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <div>{p.timezone.replace(/_/g, ' ')}</div>
                    <div className="muted small" title={`Local time for ${p.name}`}>
                      {formatWeekdayTime(now, p.timezone)} local
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!list.loading && list.items.length > 0 && (
        <div className="load-more">
          <span className="muted small">Showing {plural(list.items.length, 'person', 'people')}</span>
          {list.hasMore && (
            <button type="button" className="btn btn-secondary" onClick={list.loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? <Spinner label="Loading more" /> : null} Load more
            </button>
          )}
        </div>
      )}

      <Dialog open={adding} onClose={() => setAdding(false)} title="Add a person" size="large">
        <PersonForm
          submitLabel="Add person"
          onCancel={() => setAdding(false)}
          onSubmit={async (input) => {
            const p = await api.post('/api/v1/people', { body: input })
            setAdding(false)
            notify(`${p.name} added`)
            void navigate(`/people/${p.id}`)
          }}
        />
      </Dialog>
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={() => {
          list.reload()
          teams.reload()
          levels.reload()
        }}
      />
    </div>
  )
}
