// Scheduling end to end: three people in different zones, find times, see the
// grid and ranked suggestions, book the best one on the built-in calendar,
// download its .ics, lose a race for a time (409 clash shown), and make a
// calendar feed URL on a person page.
import { expect, test, type Page } from '@playwright/test'
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { apiAs, baseUrl, shots, signIn } from './helpers'

test.describe.configure({ mode: 'serial' })

mkdirSync(shots, { recursive: true })

const people = [
  {
    name: 'Priya Raman',
    email: 'priya.sched@example.com',
    timezone: 'Europe/London',
    working_hours: 'mon-fri 09:00-17:00',
  },
  {
    name: 'Mateo Silva',
    email: 'mateo.sched@example.com',
    timezone: 'America/New_York',
    working_hours: 'mon-fri 08:00-16:00',
  },
  {
    name: 'Lena Vogel',
    email: 'lena.sched@example.com',
    timezone: 'Europe/Berlin',
    working_hours: 'mon-fri 10:00-18:00',
  },
]
const organizer = {
  name: 'Olive Organizer',
  email: 'olive.sched@example.com',
  timezone: 'Europe/Berlin',
  working_hours: 'mon-fri 08:00-18:00',
}

async function addPerson(page: Page, name: string) {
  const search = page.getByRole('combobox', { name: 'People' })
  await search.fill(name.split(' ')[0] ?? name)
  await page.getByRole('option', { name: new RegExp(name) }).click()
  await expect(page.getByRole('list', { name: 'People to schedule' })).toContainText(name)
}

test('find times, book, download the invitation, see a clash, make a feed URL', async ({ page }) => {
  const consoleErrors: string[] = []
  page.on('pageerror', (err) => consoleErrors.push(err.message))
  await signIn(page)
  const api = await apiAs(page)
  const ids: Record<string, string> = {}
  for (const p of [...people, organizer]) {
    const created = await api.post('/api/v1/people', p)
    ids[p.name] = String(created.id)
  }

  await test.step('open Schedule and pick three people, one optional', async () => {
    await page.getByRole('link', { name: 'Schedule' }).click()
    await expect(page.getByRole('heading', { name: 'Schedule', level: 1 })).toBeVisible()
    await expect(page.getByText(/Times are in Europe\/Berlin/)).toBeVisible()
    for (const p of people) await addPerson(page, p.name)
    await page.getByRole('checkbox', { name: 'Optional for Lena Vogel' }).check()
    await page.getByLabel('Length').selectOption('30')
  })

  await test.step('find times: ranked suggestions and the grid', async () => {
    await page.getByRole('button', { name: 'Find times' }).click()
    const suggestions = page.getByTestId('suggestion')
    await expect(suggestions.first()).toBeVisible()
    expect(await suggestions.count()).toBeGreaterThan(0)
    expect(await suggestions.count()).toBeLessThanOrEqual(10)
    // Each suggestion shows everyone's local time.
    await expect(suggestions.first()).toContainText('Mateo Silva')
    await expect(suggestions.first()).toContainText(/Free: .*Priya Raman/)
    await expect(page.getByTestId('avail-row')).toHaveCount(3)
    await expect(page.locator('.avail-working').first()).toBeVisible()
    // The chosen suggestion is highlighted in the grid.
    await expect(page.locator('.avail-selected').first()).toBeVisible()
    // Hovering a cell shows each person's local time.
    await page.locator('.avail-selected').first().hover()
    const readout = page.getByTestId('avail-readout')
    await expect(readout).toContainText('Priya Raman:')
    await expect(readout).toContainText('Mateo Silva:')
    // The grid scrolls inside its card; the page itself does not get wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280)
    await page.screenshot({ path: `${shots}schedule.png`, fullPage: true })
  })

  let bookedTitle = ''
  await test.step('book the top suggestion on the built-in calendar', async () => {
    await page.getByTestId('suggestion').first().getByRole('button', { name: /^Book/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Book this time' })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByLabel('Title')).toHaveValue('Chat: Priya Raman')
    await expect(dialog.getByLabel('Description')).toHaveValue(/optional/)
    // The admin has no person of their own, so someone organizes it.
    await dialog.getByRole('combobox', { name: 'Organizer' }).fill('Olive')
    await dialog.getByRole('option', { name: /Olive Organizer/ }).click()
    bookedTitle = await dialog.getByLabel('Title').inputValue()
    await dialog.getByRole('button', { name: 'Confirm booking' }).click()
    await expect(dialog).toBeHidden()
    const booking = page.getByTestId('booking').filter({ hasText: bookedTitle })
    await expect(booking).toBeVisible()
    await expect(booking.locator('[data-status]')).toHaveText('Confirmed')
  })

  await test.step('download the .ics invitation', async () => {
    const link = page.getByTestId('booking').first().getByRole('link', { name: /\.ics/ })
    const href = await link.getAttribute('href')
    expect(href).toMatch(/\/api\/v1\/bookings\/.+\/invite\.ics$/)
    const res = await page.request.get(`${baseUrl()}${href ?? ''}`)
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toMatch(/^text\/calendar/)
    expect(await res.text()).toContain('BEGIN:VCALENDAR')
    const download = page.waitForEvent('download')
    await link.click()
    expect((await download).suggestedFilename()).toMatch(/\.ics$/)
  })

  await test.step('lose the race for a time: the clash is explained', async () => {
    const top = page.getByTestId('suggestion').first()
    await expect(top).toBeVisible()
    await top.getByRole('button', { name: /^Book/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Book this time' })
    await expect(dialog).toBeVisible()
    // Someone else books the same time for Priya first.
    const start = await top.getAttribute('data-start')
    const end = await top.getAttribute('data-end')
    expect(start && end).toBeTruthy()
    await api.post('/api/v1/bookings', {
      title: 'Someone else got there first',
      start,
      end,
      organizer_person_id: ids['Olive Organizer'],
      attendees: [{ person_id: ids['Priya Raman'], optional: false }],
    })
    await dialog.getByRole('combobox', { name: 'Organizer' }).fill('Olive')
    await dialog.getByRole('option', { name: /Olive Organizer/ }).click()
    await dialog.getByRole('button', { name: 'Confirm booking' }).click()
    await expect(dialog.getByRole('alert')).toContainText('That time is no longer free')
    await expect(dialog.getByRole('alert')).toContainText(/Priya Raman|Mateo Silva|Olive Organizer/)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  })

  await test.step('create a calendar feed URL on a person page', async () => {
    await page.goto(`${baseUrl()}/people/${ids['Priya Raman'] ?? ''}`)
    await expect(page.getByRole('heading', { name: 'Calendar feed' })).toBeVisible()
    await expect(page.getByTestId('booking').filter({ hasText: bookedTitle })).toBeVisible()
    await page.getByRole('button', { name: 'Create feed URL' }).click()
    const url = page.getByLabel('Calendar feed URL')
    await expect(url).toHaveValue(/\/feeds\/.+\.ics$/)
    await expect(page.getByText('it is shown only once')).toBeVisible()
    const feed = await page.request.get(await url.inputValue())
    expect(feed.status()).toBe(200)
    expect(await feed.text()).toContain(bookedTitle)
    await page.screenshot({ path: `${shots}person-feed.png`, fullPage: true })
  })

  await test.step('from an event: Schedule a chat with its people preselected', async () => {
    const event = await api.post('/api/v1/events', {
      title: 'Queue backlog during the failover drill',
      kind: 'surprise',
      started_at: '2026-11-18T09:30:00Z',
      systems: ['queue'],
      summary: '',
    })
    const eventId = String(event.id)
    await api.post(`/api/v1/events/${eventId}/involvements`, { person_id: ids['Mateo Silva'], role: 'responder' })
    await api.post(`/api/v1/events/${eventId}/involvements`, { person_id: ids['Lena Vogel'], role: 'noticed' })
    await page.goto(`${baseUrl()}/events/${eventId}`)
    await expect(page.getByRole('link', { name: 'Schedule a chat' })).toBeVisible()
    await page.screenshot({ path: `${shots}event-schedule-link.png` })
    await page.getByRole('link', { name: 'Schedule a chat' }).click()
    await expect(page).toHaveURL(new RegExp(`/schedule\\?event=${eventId}$`))
    const picked = page.getByRole('list', { name: 'People to schedule' })
    await expect(picked).toContainText('Mateo Silva')
    await expect(picked).toContainText('Lena Vogel')
    await page.getByRole('button', { name: 'Find times' }).click()
    await page.getByTestId('suggestion').first().getByRole('button', { name: /^Book/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Book this time' })
    await expect(dialog.getByLabel('Title')).toHaveValue('Chat: Queue backlog during the failover drill')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  })

  await test.step('Settings: the Google Calendar card, and the outcome of a consent', async () => {
    await page.goto(`${baseUrl()}/settings?google=error&message=${encodeURIComponent('Consent was refused')}`)
    const card = page.getByRole('region', { name: 'Google Calendar' })
    await expect(card).toBeVisible()
    await expect(card.getByTestId('google-status')).toHaveText(/Not connected|Set by the server/)
    await expect(card.getByRole('alert')).toContainText('Consent was refused')
    // The outcome is shown once: the query is tidied away.
    await expect(page).toHaveURL(/\/settings$/)

    // Connect with a service-account key whose token endpoint is a closed local port: saving works
    // (Google is not called), and the test reports what went wrong.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const key = JSON.stringify({
      type: 'service_account',
      client_email: 'debrief-e2e@example-project.iam.gserviceaccount.com',
      client_id: '1234567890',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: 'http://127.0.0.1:9/token',
    })
    await card.getByRole('button', { name: 'Connect Google Calendar' }).click()
    await card
      .getByLabel('Service-account key (JSON)')
      .setInputFiles({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(key) })
    await card.getByLabel('Organizer email').fill(organizer.email)
    await card.getByRole('button', { name: 'Save service account' }).click()
    await expect(card.getByText('debrief-e2e@example-project.iam.gserviceaccount.com')).toBeVisible()
    await card.getByRole('button', { name: 'Test connection' }).click()
    await expect(card.getByText('Connection failed')).toBeVisible()
    await expect(card.getByText(/ ms$/)).toBeVisible()
    await page.screenshot({ path: `${shots}settings-google.png`, fullPage: true })

    // A Google booking that cannot reach Google: Sending…, then Failed with the reason, and Retry.
    await api.post('/api/v1/bookings', {
      title: 'Chat that Google never sees',
      start: '2027-01-12T14:00:00Z',
      end: '2027-01-12T14:30:00Z',
      provider: 'google',
      organizer_person_id: ids['Olive Organizer'],
      attendees: [{ person_id: ids['Lena Vogel'], optional: false }],
    })
    await page.goto(`${baseUrl()}/people/${ids['Lena Vogel'] ?? ''}`)
    const failed = page.getByTestId('booking').filter({ hasText: 'Chat that Google never sees' })
    await expect(failed.locator('[data-status]')).toHaveText(/Sending…|Failed/)
    await expect(failed.locator('[data-status]')).toHaveText('Failed', { timeout: 60_000 })
    await expect(failed).toContainText(/Google|connect|reach/i)
    await failed.getByRole('button', { name: 'Retry' }).click()
    await expect(page.getByText('Sending to the calendar again')).toBeVisible()
    await expect(failed.locator('[data-status]')).toHaveText('Failed', { timeout: 60_000 })
    await page.screenshot({ path: `${shots}booking-failed.png`, fullPage: true })

    await page.goto(`${baseUrl()}/settings`)
    await card.getByRole('button', { name: 'Disconnect' }).click()
    await page
      .getByRole('dialog', { name: 'Disconnect Google Calendar?' })
      .getByRole('button', { name: 'Disconnect' })
      .click()
    await expect(card.getByTestId('google-status')).toHaveText('Not connected')
  })

  expect(consoleErrors).toEqual([])
})

test('the sign-in page shows why a Google sign-in did not work', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const message = 'No Debrief account uses priya@example.com; ask an admin to add you'
  await page.goto(`${baseUrl()}/sign-in?error=${encodeURIComponent(message)}`)
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await expect(page.getByRole('alert')).toContainText(message)
  // Sign in with Google is offered only when the server is configured for it.
  const oidc = (await (await page.request.get(`${baseUrl()}/api/v1/auth/oidc`)).json()) as { enabled: boolean }
  await expect(page.getByRole('link', { name: /^Sign in with/ })).toHaveCount(oidc.enabled ? 1 : 0)
  await context.close()
})
