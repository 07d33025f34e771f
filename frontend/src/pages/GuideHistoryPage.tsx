import type { ReactNode } from 'react'
import { Link, useParams, useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import type { GuideDiff, GuideQuestion, GuideSection, GuideVersion } from '../api/types'
import { useViewer } from '../auth/session'
import { GuideKindBadge, SectionChip } from '../components/guides'
import { Badge, EmptyState, ErrorCallout, Filter, LoadingBlock, Spinner } from '../components/ui'
import { wordDiff } from '../lib/diff'
import { formatDateTime, formatRelative, plural } from '../lib/format'
import { useLoad, useTitle } from '../lib/hooks'

/** Old and new text with the words that changed marked. */
function TextDiff({ from, to, block }: { from: string; to: string; block?: boolean }) {
  const parts = wordDiff(from, to)
  const rewrite = parts.every((p) => p.kind !== 'same') && parts.length === 2
  const Tag = block || rewrite ? 'div' : 'span'
  return (
    <Tag className={`text-diff${block ? ' block' : ''}${rewrite ? ' rewrite' : ''}`}>
      {parts.map((p, i) =>
        p.kind === 'same' ? (
          <span key={i}>{p.text}</span>
        ) : p.kind === 'add' ? (
          <ins key={i}>
            <span className="sr-only">[added: </span>
            {p.text}
            <span className="sr-only">]</span>
          </ins>
        ) : (
          <del key={i}>
            <span className="sr-only">[removed: </span>
            {p.text}
            <span className="sr-only">]</span>
          </del>
        ),
      )}
    </Tag>
  )
}

function ListDiff({ from, to }: { from: string[]; to: string[] }) {
  const removed = from.filter((p) => !to.includes(p))
  const added = to.filter((p) => !from.includes(p))
  return (
    <ul className="diff-list">
      {removed.map((p) => (
        <li key={`-${p}`} className="diff-del">
          <span className="diff-sign" aria-hidden="true">
            −
          </span>
          <span className="sr-only">Removed: </span>
          {p}
        </li>
      ))}
      {added.map((p) => (
        <li key={`+${p}`} className="diff-add">
          <span className="diff-sign" aria-hidden="true">
            +
          </span>
          <span className="sr-only">Added: </span>
          {p}
        </li>
      ))}
    </ul>
  )
}

function SectionDiff({ from, to }: { from: GuideSection[]; to: GuideSection[] }) {
  const all = [...new Set([...from, ...to])]
  return (
    <span className="chips">
      {all.map((c) => {
        const state = from.includes(c) && to.includes(c) ? 'same' : to.includes(c) ? 'add' : 'del'
        return (
          <span key={c} className={`chip-diff chip-${state}`}>
            {state === 'add' ? (
              <span className="sr-only">added </span>
            ) : state === 'del' ? (
              <span className="sr-only">removed </span>
            ) : null}
            <SectionChip code={c} />
          </span>
        )
      })}
    </span>
  )
}

function Change({ label, children, tone = 'changed' }: { label: ReactNode; children: ReactNode; tone?: string }) {
  return (
    <div className={`diff-item diff-${tone}`} data-testid={`diff-${tone}`}>
      <div className="diff-label">{label}</div>
      <div className="diff-body">{children}</div>
    </div>
  )
}

function DiffView({ diff, to }: { diff: GuideDiff; to: GuideVersion | undefined }) {
  const q = diff.questions
  const textOf = (id: string): string => to?.content.questions.find((x: GuideQuestion) => x.id === id)?.text ?? id
  const counts = [
    q.changed.length && plural(q.changed.length, 'question changed', 'questions changed'),
    q.added.length && plural(q.added.length, 'question added', 'questions added'),
    q.removed.length && plural(q.removed.length, 'question removed', 'questions removed'),
    q.moved.length && plural(q.moved.length, 'question moved', 'questions moved'),
    diff.opener && 'opener changed',
    diff.closer && 'closer changed',
    diff.title && 'title changed',
    diff.description && 'description changed',
    diff.suggested_minutes && 'length changed',
  ].filter(Boolean)
  if (counts.length === 0) {
    return <p className="muted">These versions are the same.</p>
  }
  const changedIds = new Set(q.changed.map((c) => c.id))
  return (
    <div className="diff" data-testid="guide-diff">
      <p className="diff-summary">{counts.join(' · ')}</p>
      {diff.title && (
        <Change label="Title">
          <TextDiff from={diff.title.from} to={diff.title.to} />
        </Change>
      )}
      {diff.description && (
        <Change label="Description">
          <TextDiff from={diff.description.from} to={diff.description.to} block />
        </Change>
      )}
      {diff.suggested_minutes && (
        <Change label="Suggested length">
          <del>{diff.suggested_minutes.from} min</del> → <ins>{diff.suggested_minutes.to} min</ins>
        </Change>
      )}
      {diff.opener && (
        <Change label="Opener">
          <TextDiff from={diff.opener.from} to={diff.opener.to} block />
        </Change>
      )}
      {q.changed.map((c) => {
        const at = to?.content.questions.findIndex((x) => x.id === c.id) ?? -1
        const mv = q.moved.find((m) => m.id === c.id)
        return (
          <Change
            key={`c-${c.id}`}
            label={
              <>
                Question {at >= 0 ? at + 1 : ''} changed
                {mv && (
                  <span className="moved-mark" title="Also moved">
                    {' '}
                    ↕ moved from {mv.from}
                  </span>
                )}
              </>
            }
          >
            {c.fields.includes('text') ? <TextDiff from={c.from.text} to={c.to.text} /> : <span>{c.to.text}</span>}
            {c.fields.includes('probes') && (
              <div className="diff-sub">
                <span className="diff-sub-label">Probes</span>
                <ListDiff from={c.from.probes} to={c.to.probes} />
              </div>
            )}
            {c.fields.includes('sections') && (
              <div className="diff-sub">
                <span className="diff-sub-label">Sections</span>
                <SectionDiff from={c.from.sections} to={c.to.sections} />
              </div>
            )}
          </Change>
        )
      })}
      {q.added.map((a) => (
        <Change key={`a-${a.question.id}`} tone="added" label={`Added as question ${String(a.position)}`}>
          <ins className="whole">
            <span className="sr-only">[added: </span>
            {a.question.text}
            <span className="sr-only">]</span>
          </ins>
          {a.question.probes.length > 0 && <ListDiff from={[]} to={a.question.probes} />}
        </Change>
      ))}
      {q.removed.map((r) => (
        <Change key={`r-${r.question.id}`} tone="removed" label={`Removed (was question ${String(r.position)})`}>
          <del className="whole">
            <span className="sr-only">[removed: </span>
            {r.question.text}
            <span className="sr-only">]</span>
          </del>
        </Change>
      ))}
      {q.moved
        .filter((m) => !changedIds.has(m.id))
        .map((m) => (
          <Change
            key={`m-${m.id}`}
            tone="moved"
            label={
              <>
                <span aria-hidden="true">↕ </span>Moved from {m.from} to {m.to}
              </>
            }
          >
            <span>{textOf(m.id)}</span>
          </Change>
        ))}
      {diff.closer && (
        <Change label="Closer">
          <TextDiff from={diff.closer.from} to={diff.closer.to} block />
        </Change>
      )}
    </div>
  )
}

export default function GuideHistoryPage() {
  const { id = '' } = useParams()
  const viewer = useViewer()
  const [params, setParams] = useSearchParams()
  const guide = useLoad(`guide:${id}`, (signal) => api.get('/api/v1/guides/{id}', { path: { id }, signal }))
  const g = guide.data
  const versions = useLoad(g ? `guide-versions:${g.id}:${String(g.current_version)}` : null, (signal) =>
    api.get('/api/v1/guides/{id}/versions', { path: { id: g!.id }, signal }),
  )
  // Authors are user ids; admins can see everyone's names.
  const users = useLoad(viewer.isAdmin ? 'users:all' : null, (signal) =>
    api.get('/api/v1/users', { query: { limit: 200 }, signal }),
  )
  useTitle(g ? `History of ${g.title}` : 'Guide history')

  const current = g?.current_version ?? 1
  const num = (name: string, fallback: number) => {
    const n = Number(params.get(name))
    return Number.isInteger(n) && n >= 1 && n <= current ? n : fallback
  }
  const to = num('to', current)
  const from = num('from', Math.max(1, to - 1))
  const comparable = !!g && from !== to
  const diff = useLoad(comparable ? `guide-diff:${g.id}:${String(from)}:${String(to)}` : null, (signal) =>
    api.get('/api/v1/guides/{id}/diff', { path: { id: g!.id }, query: { from, to }, signal }),
  )
  const toVersion = useLoad(comparable ? `guide:${g.id}:v${String(to)}` : null, (signal) =>
    api.get('/api/v1/guides/{id}/versions/{version}', { path: { id: g!.id, version: to }, signal }),
  )

  const author = (userId: string | null) => {
    if (!userId) return 'Debrief'
    if (userId === viewer.user.id) return 'You'
    return users.data?.items.find((u) => u.id === userId)?.name ?? 'A colleague'
  }
  const compare = (f: number, t: number) => {
    const next = new URLSearchParams(params)
    next.set('from', String(f))
    next.set('to', String(t))
    setParams(next, { replace: true })
  }

  if (!g) {
    return guide.error ? (
      <div className="page">
        <ErrorCallout error={guide.error} />
      </div>
    ) : (
      <LoadingBlock label="Loading history…" />
    )
  }

  const list = versions.data?.items ?? []
  const options = list.length > 0 ? list.map((v) => v.version) : [current]
  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/guides">Guides</Link>
        <span aria-hidden="true">/</span>
        <Link to={`/guides/${g.id}`}>{g.title}</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">History</span>
      </nav>
      <header className="page-header">
        <div className="page-header-text">
          <h1>History</h1>
          <div className="badges">
            <GuideKindBadge kind={g.kind} />
            <Badge tone="outline">Current: version {g.current_version}</Badge>
          </div>
          <p className="page-description">
            Every save of “{g.title}” is kept as it was. Chats record the version they used.
          </p>
        </div>
      </header>

      <section className="card" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <ErrorCallout error={versions.error} />
        {versions.loading && !versions.data ? (
          <LoadingBlock />
        ) : list.length === 0 ? (
          <EmptyState title="No versions" />
        ) : (
          <div className="table-wrap">
            <table className="table" aria-labelledby="versions-heading">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Saved</th>
                  <th scope="col">By</th>
                  <th scope="col">Note</th>
                  <th scope="col" className="num">
                    Questions
                  </th>
                  <th scope="col" className="actions-cell">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((v) => (
                  <tr key={v.version} data-testid="version-row">
                    <th scope="row">
                      v{v.version}
                      {v.version === g.current_version && <Badge tone="green">Current</Badge>}
                    </th>
                    <td title={formatDateTime(v.created_at, viewer.timezone)}>
                      {formatDateTime(v.created_at, viewer.timezone)}
                      <div className="muted small">{formatRelative(v.created_at)}</div>
                    </td>
                    <td>{author(v.created_by)}</td>
                    <td>{v.note || <span className="muted">—</span>}</td>
                    <td className="num">{v.question_count}</td>
                    <td className="actions-cell">
                      <Link
                        className="btn btn-ghost btn-small"
                        to={
                          v.version === g.current_version
                            ? `/guides/${g.id}`
                            : `/guides/${g.id}?version=${String(v.version)}`
                        }
                      >
                        View<span className="sr-only"> version {v.version}</span>
                      </Link>
                      {v.version > 1 && (
                        <button
                          type="button"
                          className="btn btn-ghost btn-small"
                          onClick={() => compare(v.version - 1, v.version)}
                        >
                          Changes<span className="sr-only"> in version {v.version}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="diff-heading">
        <div className="card-header">
          <h2 id="diff-heading">
            Compare version {from} with version {to}
          </h2>
          {diff.loading && <Spinner label="Comparing…" />}
        </div>
        <div className="filters">
          <Filter label="From">
            {(fid) => (
              <select id={fid} value={from} onChange={(e) => compare(Number(e.target.value), to)}>
                {options.map((v) => (
                  <option key={v} value={v}>
                    Version {v}
                  </option>
                ))}
              </select>
            )}
          </Filter>
          <Filter label="To">
            {(tid) => (
              <select id={tid} value={to} onChange={(e) => compare(from, Number(e.target.value))}>
                {options.map((v) => (
                  <option key={v} value={v}>
                    Version {v}
                  </option>
                ))}
              </select>
            )}
          </Filter>
        </div>
        {!comparable ? (
          <p className="muted">
            {current === 1 ? 'There is only one version so far. Each save adds one.' : 'Pick two different versions.'}
          </p>
        ) : (
          <>
            <ErrorCallout error={diff.error} />
            {diff.data && <DiffView diff={diff.data} to={toVersion.data} />}
          </>
        )}
      </section>
    </div>
  )
}
