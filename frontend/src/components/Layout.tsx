import { Suspense, useEffect, useRef, useState } from 'react'
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom'
import { useSession, useViewer } from '../auth/session'
import { roles } from '../lib/labels'
import {
  ChevronIcon,
  ClockIcon,
  EventsIcon,
  GuidesIcon,
  KeyIcon,
  PeopleIcon,
  SettingsIcon,
  SignOutIcon,
  UsersIcon,
} from './icons'
import { LoadingBlock } from './ui'

export function Logo() {
  return (
    <svg className="logo" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" className="logo-bg" />
      <path d="M9 8h7.5a8 8 0 0 1 0 16H9z" fill="none" stroke="#fff" strokeWidth="3" />
      <circle cx="16" cy="16" r="2.5" className="logo-dot" />
    </svg>
  )
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  const first = parts[0]?.[0] ?? '?'
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : ''
  return (first + last).toUpperCase()
}

function UserMenu() {
  const viewer = useViewer()
  const { signOut } = useSession()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false)
        buttonRef.current?.focus()
      }
    }
    document.addEventListener('mousedown', onDown)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('mousedown', onDown)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  return (
    <div className="user-menu" ref={ref}>
      {open && (
        <div className="user-menu-panel" id="user-menu-panel">
          <div className="user-menu-who">
            <div className="user-menu-email">{viewer.user.email}</div>
            <div className="muted small">
              Times shown in {viewer.timezone}
              {viewer.timezoneSource === 'browser' ? ' (this browser)' : ''}
            </div>
          </div>
          <Link to="/account/tokens" className="user-menu-item" onClick={() => setOpen(false)}>
            <KeyIcon /> API tokens
          </Link>
          <button
            type="button"
            className="user-menu-item"
            onClick={() => {
              void signOut().then(() => navigate('/sign-in', { replace: true }))
            }}
          >
            <SignOutIcon /> Sign out
          </button>
        </div>
      )}
      <button
        ref={buttonRef}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(viewer.user.name)}
        </span>
        <span className="user-menu-text">
          <span className="user-menu-name">{viewer.user.name}</span>
          <span className="user-menu-role">{roles[viewer.role]}</span>
        </span>
        <span className="sr-only">Account menu</span>
        <ChevronIcon />
      </button>
    </div>
  )
}

export function Layout() {
  const viewer = useViewer()
  const location = useLocation()
  const mainRef = useRef<HTMLElement>(null)
  const first = useRef(true)

  // Move focus to the page on navigation so keyboard and screen-reader users start at the top.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    mainRef.current?.focus({ preventScroll: true })
    window.scrollTo(0, 0)
  }, [location.pathname])

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link to="/events" className="brand">
          <Logo />
          <span>Debrief</span>
        </Link>
        <nav aria-label="Main" className="nav">
          <NavLink to="/events" className="nav-link">
            <EventsIcon /> Events
          </NavLink>
          <NavLink to="/people" className="nav-link">
            <PeopleIcon /> People
          </NavLink>
          {viewer.canEdit && (
            <NavLink to="/schedule" className="nav-link">
              <ClockIcon /> Schedule
            </NavLink>
          )}
          <NavLink to="/guides" className="nav-link">
            <GuidesIcon /> Guides
          </NavLink>
          {!viewer.isAdmin && (
            <NavLink to="/settings" className="nav-link">
              <SettingsIcon /> Settings
            </NavLink>
          )}
          {viewer.isAdmin && (
            <>
              <div className="nav-section" role="presentation">
                Admin
              </div>
              <NavLink to="/admin/users" className="nav-link">
                <UsersIcon /> Users
              </NavLink>
              <NavLink to="/settings" className="nav-link">
                <SettingsIcon /> Settings
              </NavLink>
            </>
          )}
        </nav>
        <UserMenu />
      </aside>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        <Suspense fallback={<LoadingBlock />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  )
}
