import { useState, type SyntheticEvent } from 'react'
import { Link, Navigate, useLocation } from 'react-router-dom'
import { api, toApiError, type ApiError } from '../api/client'
import { useSession } from '../auth/session'
import { OidcSignIn, SignInErrorCallout } from '../components/OidcSignIn'
import { Callout, Field } from '../components/ui'
import { useTitle } from '../lib/hooks'
import { SessionError, Splash } from '../components/Splash'
import { AuthLayout, waitText } from './AuthLayout'

interface FromState {
  from?: string
  expired?: boolean
}

export function SignInPage() {
  useTitle('Sign in')
  const { state, signedIn } = useSession()
  const location = useLocation()
  const fromState = (location.state ?? {}) as FromState
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  if (state.status === 'loading') return <Splash />
  if (state.status === 'error') return <SessionError />
  if (state.status === 'signed-in') {
    const to = fromState.from && fromState.from !== '/sign-in' ? fromState.from : '/events'
    return <Navigate to={to} replace />
  }
  if (state.setupNeeded) return <Navigate to="/setup" replace />

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    api.post('/api/v1/auth/sign-in', { body: { email: email.trim(), password } }).then(
      (session) => {
        signedIn(session)
      },
      (err: unknown) => {
        setBusy(false)
        setError(toApiError(err))
      },
    )
  }

  let message: string | null = null
  if (error) {
    if (error.status === 429) {
      message =
        error.retryAfterSeconds !== null
          ? `Too many sign-in attempts. Please wait ${waitText(error.retryAfterSeconds)} and try again.`
          : 'Too many sign-in attempts. Please wait a little and try again.'
    } else if (error.fieldErrors.length === 0 || error.status !== 400) {
      message = error.detail
    }
  }

  return (
    <AuthLayout title="Sign in">
      {fromState.expired && !error && (
        <Callout tone="info" role="status">
          <p>Your session ended. Please sign in again.</p>
        </Callout>
      )}
      {message && (
        <Callout tone="error" role="alert">
          <p>{message}</p>
        </Callout>
      )}
      {!error && <SignInErrorCallout />}
      <OidcSignIn next={fromState.from && fromState.from !== '/sign-in' ? fromState.from : '/events'} />
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Email" error={error?.field('email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              name="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" error={error?.field('password')}>
          {(p) => (
            <input
              {...p}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !email || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="auth-note muted small">
        Forgot your password? An admin can set a new one for you under Users, or run{' '}
        <code>debrief admin reset-password</code> on the server.
      </p>
      <p className="sr-only">
        <Link to="/setup">First-run set-up</Link>
      </p>
    </AuthLayout>
  )
}
