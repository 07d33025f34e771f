import { useState } from 'react'
import { api, rawRequest, toApiError, type ApiError } from '../api/client'
import { useLoad } from '../lib/hooks'
import type { ImportReport } from '../api/types'
import { plural } from '../lib/format'
import { Callout, Dialog, ErrorCallout, Field } from './ui'
import { UploadIcon } from './icons'

/** A small sample file, using the organization's own level names where it has some. */
export function sampleCsv(levels: readonly string[]): string {
  const lv = (i: number) => levels[Math.min(i, levels.length - 1)] ?? ''
  return `name,email,team,level,manager_email,timezone,working_hours
Ada Lovelace,ada@example.com,Payments,${lv(2)},,Europe/London,mon-fri 09:00-17:00
Grace Hopper,grace@example.com,Payments,${lv(1)},ada@example.com,America/New_York,mon-fri 08:30-16:30
Katherine Johnson,katherine@example.com,Platform,${lv(1)},ada@example.com,America/Chicago,mon-thu 08:00-16:00
Margaret Hamilton,margaret@example.com,Platform,${lv(0)},katherine@example.com,Europe/Berlin,mon-fri 10:00-18:00
`
}

const COLUMNS: Array<[string, boolean, string]> = [
  ['name', true, 'Full name'],
  ['email', true, 'Unique; people are matched by email, so importing again updates them'],
  ['timezone', true, 'IANA zone, e.g. Europe/Berlin'],
  ['team', false, 'Team name'],
  ['level', false, 'A level name from the ladder (see Settings)'],
  ['manager_email', false, 'Their manager’s email (in the file or already in Debrief)'],
  ['working_hours', false, 'e.g. mon-fri 09:00-17:00 (the default)'],
]

function downloadSample(csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
  const a = document.createElement('a')
  a.href = url
  a.download = 'debrief-people-sample.csv'
  document.body.appendChild(a)
  a.click()
  a.remove()
  window.setTimeout(() => URL.revokeObjectURL(url), 1000)
}

function ReportView({ report }: { report: ImportReport }) {
  const changed = report.created + report.updated
  const rowsWithErrors = new Set(report.errors.map((e) => e.line)).size
  const verb = report.dry_run ? 'would be' : 'were'
  return (
    <div className="import-report" aria-live="polite">
      <Callout
        tone={report.errors.length > 0 ? 'warning' : 'success'}
        title={report.dry_run ? 'Check complete — nothing has been saved yet' : 'Import complete'}
      >
        <ul className="counts" aria-label="Import counts">
          <li>
            <strong data-testid="count-created">{report.created}</strong> {verb} created
          </li>
          <li>
            <strong data-testid="count-updated">{report.updated}</strong> {verb} updated
          </li>
          <li>
            <strong data-testid="count-unchanged">{report.unchanged}</strong> unchanged
          </li>
          {report.errors.length > 0 && (
            <li>
              <strong data-testid="count-errors">{rowsWithErrors}</strong>{' '}
              {rowsWithErrors === 1 ? 'row has' : 'rows have'} problems
            </li>
          )}
        </ul>
        {report.errors.length > 0 && (
          <p>
            {report.dry_run
              ? `Rows with problems will be skipped; the other ${plural(changed, 'row', 'rows')} can go in. Fix the rows below and check again, or import the rest now.`
              : 'Rows with problems were skipped. Fix them and import the file again — rows already imported will show as unchanged.'}
          </p>
        )}
      </Callout>
      {report.errors.length > 0 && (
        <div className="table-wrap">
          <table className="table table-compact" aria-label="Rows with problems">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Email</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e, i) => (
                <tr key={i} data-testid="import-error">
                  <td className="num">{e.line}</td>
                  <td>{e.email || <span className="muted">—</span>}</td>
                  <td>{e.field ? <code>{e.field}</code> : <span className="muted">row</span>}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

export function ImportDialog({
  open,
  onClose,
  onImported,
}: {
  open: boolean
  onClose: () => void
  onImported: (report: ImportReport) => void
}) {
  const [csv, setCsv] = useState('')
  const [fileName, setFileName] = useState('')
  const [busy, setBusy] = useState<'check' | 'import' | null>(null)
  const [report, setReport] = useState<ImportReport | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const levels = useLoad(open ? 'levels' : null, (signal) => api.get('/api/v1/settings/levels', { signal }))
  const sample = sampleCsv((levels.data?.items ?? []).map((l) => l.name))

  const run = (dryRun: boolean) => {
    setBusy(dryRun ? 'check' : 'import')
    setError(null)
    rawRequest<ImportReport>({
      method: 'POST',
      path: '/api/v1/people/import',
      query: { dry_run: dryRun },
      text: csv,
      contentType: 'text/csv',
    }).then(
      (r) => {
        setBusy(null)
        setReport(r)
        if (!r.dry_run) onImported(r)
      },
      (err: unknown) => {
        setBusy(null)
        setReport(null)
        setError(toApiError(err))
      },
    )
  }

  const close = () => {
    onClose()
    setReport(null)
    setError(null)
  }

  const imported = report && !report.dry_run
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Import people from CSV"
      description="Add new people and update existing ones, matched by email. Nothing is deleted."
      size="large"
    >
      <details className="columns-help">
        <summary>Expected columns</summary>
        <table className="table table-compact">
          <tbody>
            {COLUMNS.map(([col, req, desc]) => (
              <tr key={col}>
                <th scope="row">
                  <code>{col}</code>
                  {req && <span className="badge badge-neutral">required</span>}
                </th>
                <td>
                  {desc}
                  {col === 'level' && levels.data && levels.data.items.length > 0 && (
                    <div className="muted small">One of: {levels.data.items.map((l) => l.name).join(', ')}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="small muted">
          The first line names the columns, in any order. Columns Debrief does not know are reported.
        </p>
      </details>
      <div className="import-source">
        <label className="btn btn-secondary file-button">
          <UploadIcon /> Choose a .csv file
          <input
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            onChange={(e) => {
              const file = e.target.files?.[0]
              if (!file) return
              setFileName(file.name)
              setReport(null)
              void file.text().then(setCsv)
              e.target.value = ''
            }}
          />
        </label>
        <span className="muted small">{fileName ? `Loaded ${fileName}` : 'or paste the CSV below'}</span>
        <button type="button" className="link-button small push-right" onClick={() => downloadSample(sample)}>
          Download a sample CSV
        </button>
      </div>
      <Field label="CSV" hint="The first line names the columns.">
        {(p) => (
          <textarea
            {...p}
            className="mono"
            rows={8}
            spellCheck={false}
            placeholder={sample.split('\n').slice(0, 2).join('\n')}
            value={csv}
            onChange={(e) => {
              setCsv(e.target.value)
              setReport(null)
            }}
          />
        )}
      </Field>
      <ErrorCallout error={error} title="The file could not be read" />
      {report && <ReportView report={report} />}
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={close}>
          {imported ? 'Done' : 'Cancel'}
        </button>
        {!imported && (
          <>
            <button
              type="button"
              className="btn btn-secondary"
              disabled={!csv.trim() || busy !== null}
              onClick={() => run(true)}
            >
              {busy === 'check' ? 'Checking…' : 'Check (dry run)'}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!csv.trim() || busy !== null}
              onClick={() => run(false)}
            >
              {busy === 'import' ? 'Importing…' : 'Import'}
            </button>
          </>
        )}
      </div>
    </Dialog>
  )
}
