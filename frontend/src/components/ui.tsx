import { useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react'
import { toApiError, type ApiError } from '../api/client'
import { AlertIcon, CheckIcon, InfoIcon, SearchIcon } from './icons'

/** Props a Field hands to its control so label, hint and error are wired up. */
export interface ControlProps {
  id: string
  'aria-describedby'?: string
  'aria-invalid'?: true
}

/**
 * A labelled form control with an optional hint and error message:
 * <Field label="Email" error={err?.field('email')}>{(p) => <input {...p} />}</Field>
 */
export function Field({
  label,
  hint,
  error,
  required,
  className,
  children,
}: {
  label: ReactNode
  hint?: ReactNode
  error?: string | undefined
  required?: boolean
  className?: string
  children: (props: ControlProps) => ReactNode
}) {
  const id = useId()
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined
  const props: ControlProps = { id }
  if (describedBy) props['aria-describedby'] = describedBy
  if (error) props['aria-invalid'] = true
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children(props)}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  )
}

type Tone = 'info' | 'warning' | 'error' | 'success'

export function Callout({
  tone = 'info',
  title,
  children,
  role,
  className,
}: {
  tone?: Tone
  title?: ReactNode
  children?: ReactNode
  role?: 'alert' | 'status'
  className?: string
}) {
  const icon = tone === 'success' ? <CheckIcon /> : tone === 'info' ? <InfoIcon /> : <AlertIcon />
  return (
    <div className={`callout callout-${tone}${className ? ` ${className}` : ''}`} role={role}>
      <span className="callout-icon">{icon}</span>
      <div className="callout-body">
        {title && <p className="callout-title">{title}</p>}
        {children}
      </div>
    </div>
  )
}

/**
 * Shows an API error above a form: the detail, plus any field errors that are
 * not shown next to an input (listed in `shownFields`).
 */
export function ErrorCallout({
  error,
  shownFields = [],
  title,
}: {
  error: ApiError | null | undefined
  shownFields?: readonly string[]
  title?: string
}) {
  if (!error) return null
  const others = error.otherFieldErrors(shownFields)
  const hasShown = error.fieldErrors.length > others.length
  return (
    <Callout tone="error" role="alert" title={title}>
      <p>{hasShown && others.length === 0 ? 'Please check the highlighted fields.' : error.detail}</p>
      {others.length > 0 && (
        <ul className="plain-list">
          {others.map((e, i) => (
            <li key={i}>
              {e.field ? <strong>{e.field}: </strong> : null}
              {e.message}
            </li>
          ))}
        </ul>
      )}
      {error.requestId && error.status >= 500 && <p className="muted small">Request id: {error.requestId}</p>}
    </Callout>
  )
}

export function EmptyState({
  title,
  children,
  actions,
  icon,
}: {
  title: string
  children?: ReactNode
  actions?: ReactNode
  icon?: ReactNode
}) {
  return (
    <div className="empty">
      {icon && <div className="empty-icon">{icon}</div>}
      <h2 className="empty-title">{title}</h2>
      {children && <div className="empty-text">{children}</div>}
      {actions && <div className="empty-actions">{actions}</div>}
    </div>
  )
}

export function Badge({ tone = 'neutral', children }: { tone?: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="sr-only">{label}</span>
    </span>
  )
}

export function LoadingBlock({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading-block">
      <Spinner label={label} />
      <span aria-hidden="true">{label}</span>
    </div>
  )
}

export function PageHeader({
  title,
  description,
  actions,
  eyebrow,
}: {
  title: ReactNode
  description?: ReactNode
  actions?: ReactNode
  eyebrow?: ReactNode
}) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        {eyebrow && <div className="eyebrow">{eyebrow}</div>}
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  )
}

/** A modal dialog on the native <dialog> element: focus is trapped, Escape closes. */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  size = 'medium',
}: {
  open: boolean
  onClose: () => void
  title: ReactNode
  description?: ReactNode
  children: ReactNode
  size?: 'small' | 'medium' | 'large'
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      onClose={() => {
        if (open) onClose()
      }}
    >
      {open && (
        <div className="dialog-inner">
          <header className="dialog-header">
            <div>
              <h2 id={titleId}>{title}</h2>
              {description && <p className="muted">{description}</p>}
            </div>
            <button type="button" className="btn btn-ghost btn-icon" aria-label="Close" onClick={onClose}>
              <span aria-hidden="true">×</span>
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </div>
      )}
    </dialog>
  )
}

/** A button that asks for confirmation in a small dialog before acting. */
export function ConfirmButton({
  children,
  title,
  body,
  confirmLabel,
  onConfirm,
  className = 'btn btn-ghost btn-small',
  tone = 'danger',
  ...rest
}: {
  children: ReactNode
  title: string
  body?: ReactNode
  confirmLabel: string
  onConfirm: () => Promise<void>
  tone?: 'danger' | 'primary'
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'title'>) {
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  return (
    <>
      <button
        type="button"
        className={className}
        {...rest}
        onClick={() => {
          setError(null)
          setOpen(true)
        }}
      >
        {children}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={title} size="small">
        {body && <div className="dialog-text">{body}</div>}
        <ErrorCallout error={error} />
        <div className="form-actions">
          <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button
            type="button"
            className={`btn btn-${tone}`}
            disabled={busy}
            autoFocus
            onClick={() => {
              setBusy(true)
              onConfirm().then(
                () => {
                  setBusy(false)
                  setOpen(false)
                },
                (err: unknown) => {
                  setBusy(false)
                  setError(toApiError(err))
                },
              )
            }}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </Dialog>
    </>
  )
}

/** A compact labelled filter control for list pages. */
export function Filter({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId()
  return (
    <div className="filter">
      <label htmlFor={id} className="filter-label">
        {label}
      </label>
      {children(id)}
    </div>
  )
}

/** A search field with an icon and a visually hidden label. */
export function SearchBox({
  label,
  value,
  onChange,
  placeholder,
}: {
  label: string
  value: string
  onChange: (value: string) => void
  placeholder: string
}) {
  const id = useId()
  return (
    <div className="search-box">
      <SearchIcon />
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input id={id} type="search" placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  )
}
