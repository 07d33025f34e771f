import { lazy, Suspense, type ReactNode } from 'react'
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom'
import { SessionProvider, useSession, useViewer } from './auth/session'
// Before the router: lets a page with unsaved changes hold Back/Forward.
import './lib/popGuard'
import { Layout } from './components/Layout'
import { ToastProvider } from './components/toast'
import { SessionError, Splash } from './components/Splash'
import { Callout, LoadingBlock } from './components/ui'
import { SignInPage } from './pages/SignInPage'
import { SetupPage } from './pages/SetupPage'
import { NotFoundPage } from './pages/NotFoundPage'

const EventsPage = lazy(() => import('./pages/EventsPage'))
const EventPage = lazy(() => import('./pages/EventPage'))
const PeoplePage = lazy(() => import('./pages/PeoplePage'))
const PersonPage = lazy(() => import('./pages/PersonPage'))
const UsersPage = lazy(() => import('./pages/UsersPage'))
const SettingsPage = lazy(() => import('./pages/SettingsPage'))
const TokensPage = lazy(() => import('./pages/TokensPage'))
const SchedulePage = lazy(() => import('./pages/SchedulePage'))
const GuidesPage = lazy(() => import('./pages/GuidesPage'))
const GuidePage = lazy(() => import('./pages/GuidePage'))
const GuideEditPage = lazy(() => import('./pages/GuideEditPage'))
const GuideHistoryPage = lazy(() => import('./pages/GuideHistoryPage'))

export function App() {
  return (
    <SessionProvider>
      <ToastProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </ToastProvider>
    </SessionProvider>
  )
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/sign-in" element={<SignInPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/events" replace />} />
        <Route path="/events" element={<EventsPage />} />
        <Route path="/events/:id" element={<EventPage />} />
        <Route path="/people" element={<PeoplePage />} />
        <Route path="/people/:id" element={<PersonPage />} />
        <Route path="/schedule" element={<SchedulePage />} />
        <Route path="/guides" element={<GuidesPage />} />
        <Route path="/guides/:id" element={<GuidePage />} />
        <Route
          path="/guides/:id/edit"
          element={
            <RequireEditor>
              <GuideEditPage />
            </RequireEditor>
          }
        />
        <Route path="/guides/:id/history" element={<GuideHistoryPage />} />
        <Route
          path="/admin/users"
          element={
            <RequireAdmin>
              <UsersPage />
            </RequireAdmin>
          }
        />
        {/* Everyone sees which language-check categories are off; admins change settings. */}
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/account/tokens" element={<TokensPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  )
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession()
  const location = useLocation()
  if (state.status === 'loading') return <Splash />
  if (state.status === 'error') return <SessionError />
  if (state.status === 'anonymous') {
    if (state.setupNeeded) return <Navigate to="/setup" replace />
    return (
      <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search, expired: state.expired }} />
    )
  }
  return <>{children}</>
}

function RequireAdmin({ children }: { children: ReactNode }) {
  const { state } = useSession()
  if (state.status === 'signed-in' && state.session.user.role !== 'admin') {
    return (
      <div className="page">
        <Callout tone="info" title="This page is for admins">
          <p>Ask an admin of your Debrief if you need something changed here.</p>
        </Callout>
      </div>
    )
  }
  return <Suspense fallback={<LoadingBlock />}>{children}</Suspense>
}

function RequireEditor({ children }: { children: ReactNode }) {
  const viewer = useViewer()
  if (!viewer.canEdit) {
    return (
      <div className="page">
        <Callout tone="info" title="Guides are edited by facilitators">
          <p>You can read every guide and print it. Ask a facilitator or an admin if a guide needs a change.</p>
        </Callout>
      </div>
    )
  }
  return <>{children}</>
}
