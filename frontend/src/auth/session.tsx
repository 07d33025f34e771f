import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, onUnauthenticated, setCsrfToken, toApiError, type ApiError } from '../api/client'
import type { Role, Session, User } from '../api/types'
import { browserTimeZone } from '../lib/time'

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'anonymous'; setupNeeded: boolean; expired: boolean }
  | { status: 'signed-in'; session: Session; timezone: string; timezoneSource: 'person' | 'browser' }

interface SessionContextValue {
  state: SessionState
  /** Store a session returned by sign-in or setup. */
  signedIn: (session: Session) => void
  signOut: () => Promise<void>
  retry: () => void
}

const SessionContext = createContext<SessionContextValue | null>(null)

async function viewerZone(user: User): Promise<{ timezone: string; timezoneSource: 'person' | 'browser' }> {
  if (user.person_id) {
    try {
      const person = await api.get('/api/v1/people/{id}', { path: { id: user.person_id } })
      if (person.timezone) return { timezone: person.timezone, timezoneSource: 'person' }
    } catch {
      // Fall back to the browser's zone.
    }
  }
  return { timezone: browserTimeZone(), timezoneSource: 'browser' }
}

async function resolve(): Promise<SessionState> {
  try {
    const session = await api.get('/api/v1/auth/me')
    setCsrfToken(session.csrf_token)
    return { status: 'signed-in', session, ...(await viewerZone(session.user)) }
  } catch (err) {
    const e = toApiError(err)
    if (e.status !== 401) return { status: 'error', error: e }
  }
  setCsrfToken('')
  try {
    const setup = await api.get('/api/v1/setup')
    return { status: 'anonymous', setupNeeded: setup.needed, expired: false }
  } catch (err) {
    return { status: 'error', error: toApiError(err) }
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' })
  const [nonce, setNonce] = useState(0)

  useEffect(() => {
    let live = true
    void resolve().then((s) => {
      if (live) setState(s)
    })
    return () => {
      live = false
    }
  }, [nonce])

  useEffect(
    () =>
      onUnauthenticated(() => {
        setCsrfToken('')
        setState((s) => (s.status === 'signed-in' ? { status: 'anonymous', setupNeeded: false, expired: true } : s))
      }),
    [],
  )

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token)
    // Show the app at once with the browser's zone, then refine it.
    setState({ status: 'signed-in', session, timezone: browserTimeZone(), timezoneSource: 'browser' })
    void viewerZone(session.user).then((z) => {
      setState((s) => (s.status === 'signed-in' && s.session.user.id === session.user.id ? { ...s, ...z } : s))
    })
  }, [])

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/sign-out')
    } catch {
      // Signed out either way from the browser's point of view.
    }
    setCsrfToken('')
    setState({ status: 'anonymous', setupNeeded: false, expired: false })
  }, [])

  const retry = useCallback(() => {
    setState({ status: 'loading' })
    setNonce((n) => n + 1)
  }, [])

  const value = useMemo(() => ({ state, signedIn, signOut, retry }), [state, signedIn, signOut, retry])
  return <SessionContext value={value}>{children}</SessionContext>
}

export function useSession(): SessionContextValue {
  const ctx = use(SessionContext)
  if (!ctx) throw new Error('useSession outside SessionProvider')
  return ctx
}

export interface Viewer {
  user: User
  role: Role
  timezone: string
  timezoneSource: 'person' | 'browser'
  isAdmin: boolean
  /** Admins and facilitators edit people and events. */
  canEdit: boolean
}

/** The signed-in user; only for pages behind RequireAuth. */
export function useViewer(): Viewer {
  const { state } = useSession()
  if (state.status !== 'signed-in') throw new Error('useViewer without a session')
  const user = state.session.user
  return {
    user,
    role: user.role,
    timezone: state.timezone,
    timezoneSource: state.timezoneSource,
    isAdmin: user.role === 'admin',
    canEdit: user.role === 'admin' || user.role === 'facilitator',
  }
}
