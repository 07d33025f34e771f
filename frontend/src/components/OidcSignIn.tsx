import { useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import { useLoad } from '../lib/hooks'
import { Callout } from './ui'

/** The sign-in error a redirect put in `?error=` (from Google sign-in), or null. */
export function useSignInError(): string | null {
  const [params] = useSearchParams()
  return params.get('error')
}

/**
 * "Sign in with Google" when the server offers it: a plain link (a top-level
 * navigation, not a form post, which the CSP's form-action would refuse).
 */
export function OidcSignIn({ next = '/events' }: { next?: string }) {
  const info = useLoad('oidc-info', (signal) => api.get('/api/v1/auth/oidc', { signal }))
  if (!info.data?.enabled) return null
  return (
    <div className="oidc">
      <a className="btn btn-secondary btn-block" href={`/api/v1/auth/oidc/start?next=${encodeURIComponent(next)}`}>
        Sign in with {info.data.name || 'Google'}
      </a>
      <div className="oidc-or" aria-hidden="true">
        <span>or</span>
      </div>
    </div>
  )
}

/** Shows the `?error=` text a failed Google sign-in came back with. */
export function SignInErrorCallout() {
  const error = useSignInError()
  if (!error) return null
  return (
    <Callout tone="error" role="alert" title="You were not signed in">
      <p>{error}</p>
    </Callout>
  )
}
