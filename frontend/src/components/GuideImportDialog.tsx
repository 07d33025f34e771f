import { useState } from 'react'
import { rawRequest, toApiError, type ApiError } from '../api/client'
import type { GuideDetail } from '../api/types'
import { UploadIcon } from './icons'
import { Dialog, ErrorCallout, Field } from './ui'

type Format = 'json' | 'markdown'

/** JSON when the file name says so or the text starts like a JSON object; Markdown otherwise. */
export function detectFormat(fileName: string, text: string): Format {
  const name = fileName.toLowerCase()
  if (name.endsWith('.json')) return 'json'
  if (name.endsWith('.md') || name.endsWith('.markdown')) return 'markdown'
  return text.trimStart().startsWith('{') ? 'json' : 'markdown'
}

/** Import a guide from a debrief-guide/1 JSON document or its Markdown form. */
export function GuideImportDialog({
  open,
  onClose,
  onImported,
}: {
  open: boolean
  onClose: () => void
  onImported: (guide: GuideDetail) => void
}) {
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const format = detectFormat(fileName, text)

  const close = () => {
    onClose()
    setError(null)
  }

  const submit = () => {
    setBusy(true)
    setError(null)
    rawRequest<GuideDetail>({
      method: 'POST',
      path: '/api/v1/guides/import',
      text,
      contentType: format === 'json' ? 'application/json' : 'text/markdown',
    }).then(
      (g) => {
        setBusy(false)
        setText('')
        setFileName('')
        onImported(g)
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Import a guide"
      description="From a file exported by Debrief (.json or .md). The guide is added as a new custom guide at version 1."
      size="large"
    >
      <div className="import-source">
        <label className="btn btn-secondary file-button">
          <UploadIcon /> Choose a .json or .md file
          <input
            type="file"
            accept=".json,.md,.markdown,application/json,text/markdown"
            className="sr-only"
            onChange={(e) => {
              const file = e.target.files?.[0]
              if (!file) return
              setFileName(file.name)
              setError(null)
              void file.text().then(setText)
              e.target.value = ''
            }}
          />
        </label>
        <span className="muted small">{fileName ? `Loaded ${fileName}` : 'or paste it below'}</span>
      </div>
      <Field
        label="Guide"
        hint={
          text.trim()
            ? `Read as ${format === 'json' ? 'JSON (debrief-guide/1)' : 'Markdown'}.`
            : 'Markdown starts with “# Title”; JSON with {"format": "debrief-guide/1", …}.'
        }
      >
        {(p) => (
          <textarea
            {...p}
            className="mono"
            rows={10}
            spellCheck={false}
            value={text}
            placeholder={'# Quick chat\n\nKind: non_responder_chat\nSuggested length: 20 minutes\n…'}
            onChange={(e) => {
              setText(e.target.value)
              setError(null)
            }}
          />
        )}
      </Field>
      <ErrorCallout error={error} title="The guide could not be imported" />
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={close}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" disabled={!text.trim() || busy} onClick={submit}>
          {busy ? 'Importing…' : 'Import guide'}
        </button>
      </div>
    </Dialog>
  )
}
