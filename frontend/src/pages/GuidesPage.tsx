import { useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import type { Guide, GuideKind } from '../api/types'
import { useViewer } from '../auth/session'
import { GuideImportDialog } from '../components/GuideImportDialog'
import { GuideKindBadge } from '../components/guides'
import { GuidesIcon, UploadIcon } from '../components/icons'
import { useToast } from '../components/toast'
import { Badge, EmptyState, ErrorCallout, Filter, LoadingBlock, PageHeader, SearchBox, Spinner } from '../components/ui'
import { plural } from '../lib/format'
import { guideKindOrder, guideKinds } from '../lib/guides'
import { useDebounced, usePaged, useTitle } from '../lib/hooks'

function GuideCard({ guide }: { guide: Guide }) {
  return (
    <li className={`guide-card${guide.archived ? ' archived' : ''}`} data-testid="guide-card">
      <div className="guide-card-top">
        <GuideKindBadge kind={guide.kind} />
        {guide.builtin ? <Badge tone="outline">Built-in</Badge> : <Badge tone="slate">Custom</Badge>}
        {guide.archived && <Badge tone="amber">Archived</Badge>}
      </div>
      <h3 className="guide-card-title">
        <Link to={`/guides/${guide.id}`} className="stretched">
          {guide.title}
        </Link>
      </h3>
      {guide.description && <p className="guide-card-desc">{guide.description}</p>}
      <dl className="guide-card-meta">
        <div>
          <dt className="sr-only">Suggested length</dt>
          <dd>{guide.suggested_minutes} min</dd>
        </div>
        <div>
          <dt className="sr-only">Questions</dt>
          <dd>{plural(guide.question_count, 'question', 'questions')}</dd>
        </div>
        <div>
          <dt className="sr-only">Version</dt>
          <dd>v{guide.current_version}</dd>
        </div>
      </dl>
    </li>
  )
}

export default function GuidesPage() {
  useTitle('Guides')
  const viewer = useViewer()
  const navigate = useNavigate()
  const notify = useToast()
  const [params, setParams] = useSearchParams()
  const [text, setText] = useState(params.get('q') ?? '')
  const q = useDebounced(text.trim(), 300)
  const [importing, setImporting] = useState(false)
  const kind = (params.get('kind') ?? '') as GuideKind | ''
  const source = params.get('source') ?? ''
  const archived = params.get('archived') === '1'

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(name, value)
    else next.delete(name)
    setParams(next, { replace: true })
  }

  const query = {
    q: q || undefined,
    kind: kind || undefined,
    builtin: source === 'builtin' ? true : source === 'custom' ? false : undefined,
    archived: archived ? ('all' as const) : undefined,
    limit: 100,
  }
  const list = usePaged(JSON.stringify(query), (cursor, signal) =>
    api.get('/api/v1/guides', { query: { ...query, cursor: cursor || undefined }, signal }),
  )
  const builtins = list.items.filter((g) => g.builtin)
  const custom = list.items.filter((g) => !g.builtin)
  const filtered = !!(q || kind || source)

  return (
    <div className="page">
      <PageHeader
        title="Guides"
        description="Question guides for 1:1 chats and learning-team sessions. Built-in guides follow Debrief's method; copy one to make it your own."
        actions={
          viewer.canEdit && (
            <button type="button" className="btn btn-secondary" onClick={() => setImporting(true)}>
              <UploadIcon /> Import
            </button>
          )
        }
      />
      <div className="filters" role="search" aria-label="Filter guides">
        <SearchBox label="Search guides" placeholder="Search titles and descriptions" value={text} onChange={setText} />
        <Filter label="Kind">
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setParam('kind', e.target.value)}>
              <option value="">All kinds</option>
              {guideKindOrder.map((k) => (
                <option key={k} value={k}>
                  {guideKinds[k]}
                </option>
              ))}
            </select>
          )}
        </Filter>
        <Filter label="Source">
          {(id) => (
            <select id={id} value={source} onChange={(e) => setParam('source', e.target.value)}>
              <option value="">Built-in and custom</option>
              <option value="builtin">Built-in</option>
              <option value="custom">Custom</option>
            </select>
          )}
        </Filter>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={archived}
            onChange={(e) => setParam('archived', e.target.checked ? '1' : '')}
          />
          Show archived
        </label>
        {list.refreshing && <Spinner label="Updating…" />}
      </div>

      <ErrorCallout error={list.error} />
      {list.loading ? (
        <LoadingBlock label="Loading guides…" />
      ) : list.items.length === 0 ? (
        <EmptyState title={filtered ? 'No guides match these filters' : 'No guides yet'} icon={<GuidesIcon />}>
          <p>{filtered ? 'Try another kind or search.' : 'Built-in guides appear here once Debrief has started.'}</p>
        </EmptyState>
      ) : (
        <>
          {builtins.length > 0 && (
            <section aria-labelledby="builtin-heading" className="guide-section">
              <h2 id="builtin-heading">Built-in guides</h2>
              <p className="muted small">Read-only. Copy one to adapt it for your organization.</p>
              <ul className="guide-grid">
                {builtins.map((g) => (
                  <GuideCard key={g.id} guide={g} />
                ))}
              </ul>
            </section>
          )}
          {custom.length > 0 && (
            <section aria-labelledby="custom-heading" className="guide-section">
              <h2 id="custom-heading">Your organization’s guides</h2>
              <p className="muted small">
                Every save keeps the earlier versions; see a guide’s history to compare them.
              </p>
              <ul className="guide-grid">
                {custom.map((g) => (
                  <GuideCard key={g.id} guide={g} />
                ))}
              </ul>
            </section>
          )}
          {list.hasMore && (
            <div className="load-more">
              <button type="button" className="btn btn-secondary" disabled={list.loadingMore} onClick={list.loadMore}>
                {list.loadingMore ? 'Loading…' : 'Show more guides'}
              </button>
            </div>
          )}
        </>
      )}
      <GuideImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={(g) => {
          setImporting(false)
          notify(`Imported “${g.title}”`)
          void navigate(`/guides/${g.id}`)
        }}
      />
    </div>
  )
}
