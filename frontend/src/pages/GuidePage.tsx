import { useState } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import type { GuideDetail, GuideRendered, PersonRef } from '../api/types'
import { useViewer } from '../auth/session'
import { GuideBlock, GuideKindBadge, Paragraphs, QuestionList } from '../components/guides'
import { ArchiveIcon, CopyIcon, DownloadIcon, EditIcon, EventsIcon, HistoryIcon, PrintIcon } from '../components/icons'
import { PersonPicker } from '../components/PersonPicker'
import { useToast } from '../components/toast'
import { Badge, Callout, ConfirmButton, EmptyState, ErrorCallout, Field, LoadingBlock } from '../components/ui'
import { formatDate, formatDateTime, plural } from '../lib/format'
import { useLoad, useTitle } from '../lib/hooks'

const guideUrl = (id: string, version: number, what: 'print' | 'pdf', extra?: URLSearchParams) =>
  `/api/v1/guides/${encodeURIComponent(id)}/versions/${String(version)}/${what}${extra && extra.toString() ? `?${extra.toString()}` : ''}`

function CopyButton({ guide, primary }: { guide: GuideDetail; primary?: boolean }) {
  const navigate = useNavigate()
  const notify = useToast()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  return (
    <>
      <button
        type="button"
        className={`btn ${primary ? 'btn-primary' : 'btn-secondary'}`}
        disabled={busy}
        onClick={() => {
          setBusy(true)
          setError(null)
          api.post('/api/v1/guides/{id}/copy', { path: { id: guide.id }, body: {} }).then(
            (copy) => {
              notify(`Copied to “${copy.title}” — it is yours to edit`)
              void navigate(`/guides/${copy.id}/edit`)
            },
            (err: unknown) => {
              setBusy(false)
              setError(toApiError(err))
            },
          )
        }}
      >
        <CopyIcon /> {busy ? 'Copying…' : 'Copy'}
      </button>
      {error && <ErrorCallout error={error} />}
    </>
  )
}

/** Fill the guide's placeholders for one event (and person), with add-ons, as a facilitator would use it. */
function UseWithEvent({ guide, version }: { guide: GuideDetail; version: number }) {
  const viewer = useViewer()
  const [eventId, setEventId] = useState('')
  const [person, setPerson] = useState<PersonRef | null>(null)
  const [addOns, setAddOns] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [rendered, setRendered] = useState<GuideRendered | null>(null)
  const events = useLoad('guide-events', (signal) => api.get('/api/v1/events', { query: { limit: 100 }, signal }))
  const addOnList = useLoad(guide.add_on ? null : 'guide-add-ons', (signal) =>
    api.get('/api/v1/guides', { query: { add_on: true, limit: 50 }, signal }),
  )

  const render = () => {
    setBusy(true)
    setError(null)
    api
      .post('/api/v1/guides/render', {
        body: {
          guide_id: guide.id,
          version,
          event_id: eventId || undefined,
          person_id: person?.id,
          add_on_ids: addOns.length > 0 ? addOns : undefined,
          timezone: person ? undefined : viewer.timezone,
        },
      })
      .then(
        (r) => {
          setBusy(false)
          setRendered(r)
        },
        (err: unknown) => {
          setBusy(false)
          setError(toApiError(err))
        },
      )
  }

  const printParams = new URLSearchParams()
  if (rendered?.event) printParams.set('event_id', rendered.event.id)
  if (rendered?.person) printParams.set('person_id', rendered.person.id)
  if (rendered) {
    printParams.set('timezone', rendered.timezone)
    for (const a of rendered.add_ons) printParams.append('add_on_ids', a.guide_id)
  }

  const eventItems = events.data?.items ?? []
  return (
    <section className="card" id="use-with-event" aria-labelledby="use-heading">
      <div className="card-header">
        <div>
          <h2 id="use-heading">Use with an event</h2>
          <p className="muted small">
            Fills in the event’s title, times and timeline and the person’s name, so the guide reads as you will use it.
          </p>
        </div>
      </div>
      <div className="form-row">
        <Field label="Event">
          {(p) => (
            <select {...p} value={eventId} onChange={(e) => setEventId(e.target.value)}>
              <option value="">{events.loading ? 'Loading events…' : 'Choose an event'}</option>
              {eventItems.map((ev) => (
                <option key={ev.id} value={ev.id}>
                  {ev.title} — {formatDate(ev.started_at, viewer.timezone)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Talking with" hint="Optional: for their name and time zone.">
          {(p) => <PersonPicker control={p} value={person} onChange={setPerson} placeholder="Search people" />}
        </Field>
      </div>
      {!guide.add_on && (addOnList.data?.items.length ?? 0) > 0 && (
        <fieldset className="fieldset">
          <legend className="field-label">Add-ons</legend>
          {addOnList.data?.items.map((a) => (
            <label key={a.id} className="checkbox">
              <input
                type="checkbox"
                checked={addOns.includes(a.id)}
                onChange={(e) => setAddOns((xs) => (e.target.checked ? [...xs, a.id] : xs.filter((x) => x !== a.id)))}
              />
              {a.title} <span className="muted small">({plural(a.question_count, 'question', 'questions')})</span>
            </label>
          ))}
        </fieldset>
      )}
      <ErrorCallout error={error ?? events.error} />
      <div className="form-actions form-actions-start">
        <button type="button" className="btn btn-primary" disabled={busy || !eventId} onClick={render}>
          {busy ? 'Filling in…' : 'Show the guide for this event'}
        </button>
        {rendered && (
          <a
            className="btn btn-secondary"
            href={guideUrl(guide.id, version, 'print', printParams)}
            target="_blank"
            rel="noopener noreferrer"
          >
            <PrintIcon /> Print for this event<span className="sr-only"> (opens in a new tab)</span>
          </a>
        )}
      </div>
      {rendered && (
        <div className="rendered" data-testid="rendered-guide" aria-live="polite">
          <div className="rendered-head">
            <h3>{rendered.title}</h3>
            <span className="muted small">
              {rendered.event ? `For ${rendered.event.title}` : 'No event'}
              {rendered.person ? ` · with ${rendered.person.name}` : ''} · about {rendered.suggested_minutes} min ·
              times in {rendered.timezone}
            </span>
          </div>
          {rendered.missing.length > 0 && (
            <Callout tone="info">
              <p>
                Not filled in (no data yet): {rendered.missing.map((m) => `{{${m}}}`).join(', ')}. They read as a
                general phrase instead.
              </p>
            </Callout>
          )}
          <GuideBlock title="Opener">
            <Paragraphs text={rendered.opener} />
          </GuideBlock>
          {rendered.parts.map((part) => (
            <GuideBlock key={`${part.guide_id}:${String(part.version)}`} title={part.intro ? part.title : 'Questions'}>
              {part.intro && <Paragraphs text={part.intro} />}
              <QuestionList questions={part.questions} start={part.questions[0]?.number ?? 1} />
            </GuideBlock>
          ))}
          <GuideBlock title="Closer">
            <Paragraphs text={rendered.closer} />
          </GuideBlock>
        </div>
      )}
    </section>
  )
}

export default function GuidePage() {
  const { id = '' } = useParams()
  const [params] = useSearchParams()
  const viewer = useViewer()
  const notify = useToast()
  const guide = useLoad(`guide:${id}`, (signal) => api.get('/api/v1/guides/{id}', { path: { id }, signal }))
  const g = guide.data
  const wanted = Number(params.get('version') ?? '')
  const pinned = g && Number.isInteger(wanted) && wanted >= 1 && wanted !== g.current_version ? wanted : null
  const old = useLoad(pinned && g ? `guide:${g.id}:v${String(pinned)}` : null, (signal) =>
    api.get('/api/v1/guides/{id}/versions/{version}', { path: { id: g!.id, version: pinned! }, signal }),
  )
  const [using, setUsing] = useState(false)
  useTitle(g?.title ?? 'Guide')

  if (!g) {
    if (guide.error) {
      return (
        <div className="page">
          {guide.error.status === 404 ? (
            <EmptyState
              title="This guide is not available"
              actions={
                <Link to="/guides" className="btn btn-primary">
                  Back to guides
                </Link>
              }
            >
              <p>It may have been removed, or the link is wrong.</p>
            </EmptyState>
          ) : (
            <ErrorCallout error={guide.error} />
          )}
        </div>
      )
    }
    return <LoadingBlock label="Loading guide…" />
  }

  const version = pinned ?? g.current_version
  const shown = pinned ? old.data : { ...g, note: '', version: g.current_version }
  const canEdit = viewer.canEdit
  const exportUrl = (format: 'json' | 'markdown') =>
    `/api/v1/guides/${encodeURIComponent(g.id)}/export?format=${format}&version=${String(version)}`

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/guides">Guides</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{g.title}</span>
      </nav>
      <header className="guide-header">
        <div className="guide-header-text">
          <h1>{shown?.title ?? g.title}</h1>
          <div className="badges">
            <GuideKindBadge kind={g.kind} />
            {g.builtin ? <Badge tone="outline">Built-in</Badge> : <Badge tone="slate">Custom</Badge>}
            <Badge tone="outline">Version {version}</Badge>
            {g.archived && <Badge tone="amber">Archived</Badge>}
          </div>
          {shown?.description && <p className="page-description">{shown.description}</p>}
          <p className="muted small">
            About {shown?.content.suggested_minutes ?? g.suggested_minutes} minutes ·{' '}
            {plural(shown?.content.questions.length ?? g.question_count, 'question', 'questions')}
            {g.copied_from && <> · copied from version {g.copied_from.version} of another guide</>}
          </p>
        </div>
        <div className="guide-actions" role="group" aria-label="Guide actions">
          {canEdit && !g.builtin && !g.archived && (
            <Link to={`/guides/${g.id}/edit`} className="btn btn-primary">
              <EditIcon /> Edit
            </Link>
          )}
          {canEdit && <CopyButton guide={g} primary={g.builtin} />}
          <button
            type="button"
            className="btn btn-secondary"
            aria-expanded={using}
            aria-controls="use-with-event"
            onClick={() => setUsing((u) => !u)}
          >
            <EventsIcon /> Use with an event
          </button>
          <Link to={`/guides/${g.id}/history`} className="btn btn-secondary">
            <HistoryIcon /> History
          </Link>
          <a
            className="btn btn-secondary"
            href={guideUrl(g.id, version, 'print')}
            target="_blank"
            rel="noopener noreferrer"
          >
            <PrintIcon /> Print<span className="sr-only"> (opens in a new tab)</span>
          </a>
          <a className="btn btn-secondary" href={guideUrl(g.id, version, 'pdf')} download>
            <DownloadIcon /> PDF
          </a>
          <details className="menu">
            <summary className="btn btn-secondary">
              <DownloadIcon /> Export
            </summary>
            <div className="menu-panel">
              <a className="menu-item" href={exportUrl('json')} download>
                JSON (debrief-guide/1)
              </a>
              <a className="menu-item" href={exportUrl('markdown')} download>
                Markdown
              </a>
            </div>
          </details>
          {canEdit && !g.builtin && (
            <ConfirmButton
              className="btn btn-ghost"
              tone={g.archived ? 'primary' : 'danger'}
              title={g.archived ? 'Unarchive this guide?' : 'Archive this guide?'}
              body={
                <p>
                  {g.archived
                    ? 'It comes back to the library and can be edited again.'
                    : 'It leaves the library and cannot be edited, but stays readable, printable and exportable. You can unarchive it later.'}
                </p>
              }
              confirmLabel={g.archived ? 'Unarchive' : 'Archive'}
              onConfirm={async () => {
                const path = { id: g.id }
                const updated = g.archived
                  ? await api.post('/api/v1/guides/{id}/unarchive', { path })
                  : await api.post('/api/v1/guides/{id}/archive', { path })
                guide.setData(() => updated)
                notify(updated.archived ? 'Guide archived' : 'Guide unarchived')
              }}
            >
              <ArchiveIcon /> {g.archived ? 'Unarchive' : 'Archive'}
            </ConfirmButton>
          )}
        </div>
      </header>

      {g.builtin && canEdit && (
        <Callout tone="info" title="Built-in guides are read-only — copy to edit">
          <p>A copy keeps the questions and their ids, so you can compare it with the original later.</p>
        </Callout>
      )}
      {g.archived && (
        <Callout tone="warning">
          <p>
            This guide is archived: it is not in the library and cannot be edited
            {canEdit ? ' until you unarchive it' : ''}.
          </p>
        </Callout>
      )}
      {pinned && (
        <Callout tone="info" title={`You are looking at version ${String(pinned)}`}>
          <p>
            {old.data?.note ? <>“{old.data.note}” · </> : null}
            {old.data ? `Saved ${formatDateTime(old.data.created_at, viewer.timezone)}. ` : ''}
            The current version is {g.current_version}. <Link to={`/guides/${g.id}`}>Show the current version</Link> ·{' '}
            <Link to={`/guides/${g.id}/history?from=${String(pinned)}&to=${String(g.current_version)}`}>
              Compare with it
            </Link>
          </p>
        </Callout>
      )}
      <ErrorCallout error={pinned ? old.error : undefined} />
      {using && <UseWithEvent guide={g} version={version} />}

      {shown ? (
        <div className="guide-doc card">
          <GuideBlock title="Opener" id="opener-heading">
            <Paragraphs text={shown.content.opener} />
          </GuideBlock>
          <GuideBlock title="Questions" id="questions-heading">
            <QuestionList questions={shown.content.questions} />
          </GuideBlock>
          <GuideBlock title="Closer" id="closer-heading">
            <Paragraphs text={shown.content.closer} />
          </GuideBlock>
          <p className="muted small guide-legend">
            Codes next to a question name the finding sections its answers usually feed (hover or focus one for its
            name). <span className="ph">{'{{event.title}}'}</span> and the like are filled in for an event.
          </p>
        </div>
      ) : (
        <LoadingBlock label="Loading version…" />
      )}
    </div>
  )
}
