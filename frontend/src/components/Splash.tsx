import { useSession } from '../auth/session'
import { Callout, LoadingBlock } from './ui'

export function Splash() {
  return (
    <div className="splash">
      <LoadingBlock label="Opening Debrief…" />
    </div>
  )
}

export function SessionError() {
  const { state, retry } = useSession()
  if (state.status !== 'error') return null
  return (
    <div className="auth-page">
      <div className="auth-card">
        <Callout tone="error" title="Debrief cannot be reached" role="alert">
          <p>{state.error.detail}</p>
        </Callout>
        <button type="button" className="btn btn-primary" onClick={retry}>
          Try again
        </button>
      </div>
    </div>
  )
}
