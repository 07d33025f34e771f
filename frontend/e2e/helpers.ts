// Shared by the specs: the admin account, the server's URL, signing in, and
// calling the API as the signed-in user.
//
// The set-up link the server prints is single-use. foundation.spec.ts uses it
// through the UI and runs first (files run in name order on the one worker);
// a spec run on its own calls ensureAdmin(), which completes set-up through
// the API with the same token and the same account.
import { expect, type APIRequestContext, type Page } from '@playwright/test'
import { fileURLToPath } from 'node:url'

export const admin = { name: 'Avery Admin', email: 'avery@example.com', password: 'a calm and long passphrase' }

export const shots = fileURLToPath(new URL('../test-results/', import.meta.url))

export function baseUrl(): string {
  const u = process.env.DEBRIEF_BASE_URL
  if (!u) throw new Error('DEBRIEF_BASE_URL is not set: global setup did not run')
  return u
}

/**
 * Creates the first admin through the API when no account exists yet; true when it did (the
 * request context is then signed in as the admin).
 */
export async function ensureAdmin(request: APIRequestContext): Promise<boolean> {
  const status = await request.get(`${baseUrl()}/api/v1/setup`)
  expect(status.ok()).toBe(true)
  const { needed } = (await status.json()) as { needed: boolean }
  if (!needed) return false
  const setupUrl = process.env.DEBRIEF_SETUP_URL
  if (!setupUrl) throw new Error('DEBRIEF_SETUP_URL is not set: global setup did not run')
  const token = new URL(setupUrl).searchParams.get('token') ?? ''
  const res = await request.post(`${baseUrl()}/api/v1/setup`, {
    data: { token, name: admin.name, email: admin.email, password: admin.password },
  })
  expect(res.status(), await res.text()).toBe(201)
  return true
}

export async function signIn(page: Page): Promise<void> {
  if (await ensureAdmin(page.request)) {
    // Set-up signed this browser context in already.
    await page.goto(`${baseUrl()}/events`)
    await expect(page.getByRole('heading', { name: 'Events', level: 1 })).toBeVisible()
    return
  }
  await page.goto(`${baseUrl()}/sign-in`)
  await page.getByLabel('Email').fill(admin.email)
  await page.getByLabel('Password').fill(admin.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Events', level: 1 })).toBeVisible()
}

/** JSON API calls with the page's session cookie and its CSRF token. */
export async function apiAs(page: Page) {
  const me = await page.request.get(`${baseUrl()}/api/v1/auth/me`)
  expect(me.ok()).toBe(true)
  const { csrf_token: csrf } = (await me.json()) as { csrf_token: string }
  const headers = { 'X-CSRF-Token': csrf }
  const call = async (method: 'POST' | 'PUT', path: string, data?: unknown) => {
    const res = await page.request.fetch(`${baseUrl()}${path}`, { method, headers, data: data ?? {} })
    expect(res.ok(), `${method} ${path}: ${String(res.status())} ${await res.text()}`).toBe(true)
    return (await res.json()) as Record<string, unknown>
  }
  return {
    post: (path: string, data?: unknown) => call('POST', path, data),
    put: (path: string, data?: unknown) => call('PUT', path, data),
  }
}
