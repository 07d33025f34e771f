import type { ReactNode } from 'react'
import { Logo } from '../components/Layout'

export function AuthLayout({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <div className="auth-page">
      <main className="auth-card" id="main">
        <div className="auth-brand">
          <Logo />
          <span>Debrief</span>
        </div>
        <h1>{title}</h1>
        {intro && <div className="auth-intro">{intro}</div>}
        {children}
      </main>
      <p className="auth-footer">Learn from incidents, near misses and everyday work — by talking to people.</p>
    </div>
  )
}

/** "45 seconds", "3 minutes" */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${String(seconds)} second${seconds === 1 ? '' : 's'}`
  const m = Math.ceil(seconds / 60)
  return `${String(m)} minute${m === 1 ? '' : 's'}`
}
