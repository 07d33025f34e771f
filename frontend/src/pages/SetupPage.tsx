import { useState, type SyntheticEvent } from 'react'
import { Link, Navigate, useSearchParams } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import { useSession } from '../auth/session'
import { Callout, ErrorCallout, Field } from '../components/ui'
import { useTitle } from '../lib/hooks'
import { SessionError, Splash } from '../components/Splash'
import { AuthLayout } from './AuthLayout'

const shown = ['token', 'name', 'email', 'password']

export function SetupPage() {
  useTitle('Set up Debrief')
  const { state, signedIn } = useSession()
  const [params] = useSearchParams()
  const tokenFromUrl = params.get('token') ?? ''
  const [token, setToken] = useState(tokenFromUrl)
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  if (state.status === 'loading') return <Splash />
  if (state.status === 'error') return <SessionError />
  if (state.status === 'signed-in') return <Navigate to="/events" replace />
  if (!state.setupNeeded) {
    return (
      <AuthLayout title="Debrief is set up">
        <p>An admin account already exists, so there is nothing to set up here.</p>
        <Link to="/sign-in" className="btn btn-primary btn-block">
          Go to sign in
        </Link>
      </AuthLayout>
    )
  }

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    api.post('/api/v1/setup', { body: { token: token.trim(), name: name.trim(), email: email.trim(), password } }).then(
      (session) => {
        signedIn(session)
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  const tokenError =
    error?.field('token') ??
    (error?.status === 403
      ? 'This set-up link is not valid, or it was already used. Check the link printed by the server.'
      : undefined)

  return (
    <AuthLayout
      title="Welcome to Debrief"
      intro={
        <p>
          Create the first admin account. You can invite facilitators, members and leaders, import your people and
          record events once you are in.
        </p>
      }
    >
      <ErrorCallout error={error?.status === 403 ? null : error} shownFields={shown} />
      <form className="form" onSubmit={submit} noValidate>
        {!tokenFromUrl || error?.field('token') || error?.status === 403 ? (
          <Field
            label="Set-up token"
            required
            error={tokenError}
            hint={
              <>
                <code>debrief serve</code> prints a set-up link when it starts on an empty database. Open that link, or
                paste the token from it here.
              </>
            }
          >
            {(p) => (
              <input
                {...p}
                name="token"
                autoComplete="off"
                spellCheck={false}
                value={token}
                onChange={(e) => setToken(e.target.value)}
              />
            )}
          </Field>
        ) : (
          <Callout tone="success">
            <p>Your set-up link is valid for one use.</p>
          </Callout>
        )}
        <Field label="Your name" required error={error?.field('name')}>
          {(p) => (
            <input
              {...p}
              name="name"
              autoComplete="name"
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Email" required error={error?.field('email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" required error={error?.field('password')} hint="At least 10 characters.">
          {(p) => (
            <input
              {...p}
              type="password"
              name="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create admin account'}
        </button>
      </form>
    </AuthLayout>
  )
}
