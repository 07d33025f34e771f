// The foundation flow, end to end against the real binary: first-run set-up,
// sign out and in, import people from CSV, record an event with a timeline,
// involvements and references, sign out.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { admin, baseUrl, shots, signIn } from './helpers'

test.describe.configure({ mode: 'serial' })

mkdirSync(shots, { recursive: true })

// Line 4 has a misspelt time zone.
// Levels are from the default ladder a new Debrief starts with.
const csvWithProblem = `name,email,team,level,manager_email,timezone,working_hours
Ada Lovelace,ada@example.com,Payments,manager,,Europe/London,mon-fri 09:00-17:00
Grace Hopper,grace@example.com,Payments,senior engineer,ada@example.com,America/New_York,mon-fri 08:30-16:30
Katherine Johnson,katherine@example.com,Platform,staff engineer,ada@example.com,Europe/Berln,mon-thu 08:00-16:00
Margaret Hamilton,margaret@example.com,Platform,manager,ada@example.com,Europe/Berlin,mon-fri 10:00-18:00
Alan Turing,alan@example.com,Platform,engineer,margaret@example.com,Europe/London,
`
const csvFixed = csvWithProblem.replace('Europe/Berln', 'Europe/Berlin')

async function signOut(page: Page) {
  await page.getByRole('button', { name: /account menu/i }).click()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await expect(page).toHaveURL(/\/sign-in$/)
}

test('first-run set-up, people import, an event with a timeline, sign out', async ({ page }) => {
  const setupUrl = process.env.DEBRIEF_SETUP_URL
  expect(setupUrl, 'the server printed a set-up link').toBeTruthy()
  const consoleErrors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text())
  })
  page.on('pageerror', (err) => consoleErrors.push(err.message))

  await test.step('an anonymous visitor is sent to set-up while no account exists', async () => {
    await page.goto(`${baseUrl()}/events`)
    await expect(page).toHaveURL(/\/setup$/)
  })

  await test.step('create the first admin from the set-up link', async () => {
    await page.goto(setupUrl!)
    await expect(page.getByRole('heading', { name: 'Welcome to Debrief' })).toBeVisible()
    await page.getByLabel('Your name').fill(admin.name)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill(admin.password)
    await page.getByRole('button', { name: 'Create admin account' }).click()
    await expect(page.getByRole('heading', { name: 'Events', level: 1 })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'No events yet' })).toBeVisible()
    await expect(page.getByRole('button', { name: /account menu/i })).toContainText(admin.name)
    await expect(page.getByRole('link', { name: 'Users' })).toBeVisible()
  })

  await test.step('sign out and sign in again', async () => {
    await signOut(page)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('alert')).toBeVisible()
    await page.getByLabel('Password').fill(admin.password)
    await page.getByLabel('Password').press('Enter')
    await expect(page.getByRole('heading', { name: 'Events', level: 1 })).toBeVisible()
  })

  await test.step('import people from CSV, see the bad row, fix it', async () => {
    await page.getByRole('link', { name: 'People' }).click()
    await expect(page.getByRole('heading', { name: 'No people yet' })).toBeVisible()
    await page.getByRole('button', { name: 'Import CSV' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Import people from CSV' })
    await expect(dialog).toBeVisible()
    await dialog.getByLabel('CSV', { exact: true }).fill(csvWithProblem)

    await dialog.getByRole('button', { name: 'Check (dry run)' }).click()
    await expect(dialog.getByText('Check complete — nothing has been saved yet')).toBeVisible()
    const errorRow = dialog.getByTestId('import-error')
    await expect(errorRow).toHaveCount(1)
    await expect(errorRow.locator('td').first()).toHaveText('4')
    await expect(errorRow).toContainText('katherine@example.com')
    await expect(errorRow).toContainText('Europe/Berln')
    await expect(dialog.getByTestId('count-created')).toHaveText('4')

    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(dialog.getByText('Import complete')).toBeVisible()
    await expect(dialog.getByTestId('count-created')).toHaveText('4')
    await expect(dialog.getByTestId('import-error')).toHaveCount(1)

    // Fix the row and import the whole file again: one new person, the rest unchanged.
    await dialog.getByLabel('CSV', { exact: true }).fill(csvFixed)
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(dialog.getByText('Import complete')).toBeVisible()
    await expect(dialog.getByTestId('count-created')).toHaveText('1')
    await expect(dialog.getByTestId('count-unchanged')).toHaveText('4')
    await expect(dialog.getByTestId('import-error')).toHaveCount(0)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(dialog).toBeHidden()

    const rows = page.locator('table tbody tr')
    await expect(rows).toHaveCount(5)
    await expect(page.getByRole('link', { name: 'Katherine Johnson' })).toBeVisible()
    // Sorted by name, with managers and zones.
    await expect(rows.first()).toContainText('Ada Lovelace')
    await expect(rows.filter({ hasText: 'Grace Hopper' })).toContainText('America/New York')
    await expect(rows.filter({ hasText: 'Alan Turing' })).toContainText('Margaret Hamilton')

    // The search narrows the list.
    await page.getByRole('searchbox', { name: 'Search people' }).fill('platform')
    await expect(rows).toHaveCount(3)
    await page.getByRole('searchbox', { name: 'Search people' }).fill('')
    await expect(rows).toHaveCount(5)
    await page.screenshot({ path: `${shots}people.png`, fullPage: true })
  })

  let eventUrl = ''
  await test.step('record a near miss', async () => {
    await page.getByRole('link', { name: 'Events' }).click()
    await page.getByRole('button', { name: 'Record an event' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Record an event' })
    await dialog.getByLabel('Title').fill('Checkout latency rose during the card-network change')
    await dialog.getByLabel('Kind').selectOption({ label: 'Near miss' })
    await dialog.getByLabel('Started').fill('2026-11-20T14:00')
    await dialog.getByLabel('Systems').fill('checkout, payments')
    await dialog.getByRole('button', { name: 'Record event' }).click()
    await expect(page).toHaveURL(/\/events\/[0-9a-f-]{36}$/)
    await expect(
      page.getByRole('heading', { level: 1, name: 'Checkout latency rose during the card-network change' }),
    ).toBeVisible()
    await expect(page.locator('.event-header')).toContainText('Near miss')
    await expect(page.locator('.event-header')).toContainText('Open')
    eventUrl = page.url()
  })

  await test.step('add two timeline entries out of order; they show sorted by time', async () => {
    await expect(page.getByText('Times in Europe/Berlin')).toBeVisible()
    const timeline = page.getByRole('region', { name: 'Timeline' })

    await timeline.getByLabel('When').fill('2026-11-20T14:30')
    await timeline.getByLabel('Kind').selectOption('communication')
    await timeline.getByRole('button', { name: 'Not a person? Describe who instead' }).click()
    await timeline.getByLabel('Who (not a person in Debrief)').fill('Latency alert')
    await timeline.getByLabel('What happened').fill('The checkout latency alert paged the on-call engineer.')
    await timeline.getByRole('button', { name: 'Add entry' }).click()
    await expect(timeline.getByTestId('timeline-entry')).toHaveCount(1)

    await timeline.getByLabel('When').fill('2026-11-20T14:10')
    await timeline.getByLabel('Kind').selectOption('action')
    await timeline.getByRole('button', { name: 'Pick a person instead' }).click()
    await timeline.getByRole('combobox', { name: 'Who' }).fill('Grace')
    await page.getByRole('option', { name: /Grace Hopper/ }).click()
    await timeline.getByLabel('What happened').fill('Grace started rolling out the card-network client change.')
    // Enter in the text area saves the entry.
    await timeline.getByLabel('What happened').press('Enter')
    await expect(timeline.getByTestId('timeline-entry')).toHaveCount(2)

    const entries = timeline.getByTestId('timeline-entry')
    await expect(entries.nth(0)).toContainText('14:10')
    await expect(entries.nth(0)).toContainText('Grace Hopper')
    await expect(entries.nth(0)).toContainText('rolling out')
    await expect(entries.nth(1)).toContainText('14:30')
    await expect(entries.nth(1)).toContainText('Latency alert')

    // The API stored the wall times from Europe/Berlin as UTC.
    const id = eventUrl.split('/').pop() ?? ''
    const res = await page.request.get(`${baseUrl()}/api/v1/events/${id}/timeline`)
    expect(res.status()).toBe(200)
    const body = (await res.json()) as { items: Array<{ occurred_at: string }> }
    expect(body.items.map((e) => e.occurred_at)).toEqual(['2026-11-20T13:10:00Z', '2026-11-20T13:30:00Z'])

    // Inline edit: Escape cancels and leaves the entry as it was.
    await entries.nth(1).getByRole('button', { name: /^Edit/ }).click()
    const editBody = timeline.getByLabel('What happened').first()
    await editBody.fill('changed my mind')
    await editBody.press('Escape')
    await expect(entries.nth(1)).toContainText('The checkout latency alert paged the on-call engineer.')
    await expect(timeline.getByRole('button', { name: 'Save entry' })).toHaveCount(0)

    // Sorted the same after a reload.
    await page.reload()
    await expect(page.getByRole('region', { name: 'Timeline' }).getByTestId('timeline-entry').first()).toContainText(
      '14:10',
    )
  })

  await test.step('add an involvement and a reference', async () => {
    const people = page.getByRole('region', { name: 'People involved' })
    await people.getByRole('combobox', { name: 'Person' }).fill('Grace')
    await page.getByRole('option', { name: /Grace Hopper/ }).click()
    await people.getByLabel('Role').selectOption({ label: 'Change author' })
    await people.getByLabel('Note').fill('Wrote and rolled out the change')
    await people.getByRole('button', { name: 'Add person' }).click()
    await expect(people.getByRole('listitem').filter({ hasText: 'Grace Hopper' })).toContainText('Change author')

    const refs = page.getByRole('region', { name: 'References' })
    await refs.getByLabel('URL').fill('https://chat.example.com/archives/C0INC42')
    await refs.getByLabel('Label').fill('#inc-checkout-latency')
    await refs.getByLabel('Kind').selectOption({ label: 'Chat log' })
    await refs.getByRole('button', { name: 'Add link' }).click()
    const link = refs.getByRole('link', { name: /#inc-checkout-latency/ })
    await expect(link).toBeVisible()
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer')
    await expect(link).toHaveAttribute('href', 'https://chat.example.com/archives/C0INC42')
  })

  await test.step('move the status on', async () => {
    await page.getByLabel('Move to').selectOption('gathering')
    await expect(page.locator('.status-step.current')).toHaveText('Gathering')
  })

  await test.step('screenshot the event page', async () => {
    await page.mouse.move(0, 0)
    await page.evaluate(() => window.scrollTo(0, 0))
    await expect(page.locator('.toast')).toHaveCount(0, { timeout: 15_000 })
    await page.screenshot({ path: `${shots}event.png`, fullPage: true })
  })

  await test.step('the events list shows it, and filters by kind and date', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click()
    const rows = page.locator('table tbody tr')
    await expect(rows).toHaveCount(1)
    await expect(rows.first()).toContainText('Near miss')
    await expect(rows.first()).toContainText('Gathering')
    await page.getByLabel('From').fill('2026-11-20')
    await page.getByLabel('To').fill('2026-11-20')
    await expect(rows).toHaveCount(1)
    await page.getByLabel('To').fill('2026-11-19')
    await expect(page.getByText('The “To” date is before the “From” date.')).toBeVisible()
    await page.getByLabel('From').fill('2026-11-01')
    await expect(page.getByRole('heading', { name: 'No events match these filters' })).toBeVisible()
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.getByLabel('Kind').selectOption('near_miss')
    await expect(rows).toHaveCount(1)
    await expect(page).toHaveURL(/kind=near_miss/)
  })

  await test.step('sign out', async () => {
    await signOut(page)
    // Signed out for real: the app sends us back to sign in.
    await page.goto(eventUrl)
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  })

  expect(consoleErrors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
})

test('admin pages: level ladder, users and API tokens', async ({ page }) => {
  await signIn(page)

  await test.step('level ladder: add, reorder and save; a level in use cannot go', async () => {
    await page.getByRole('link', { name: 'Settings' }).click()
    await expect(page.getByRole('heading', { name: 'Level ladder' })).toBeVisible()
    const rows = page.locator('.ladder-row')
    await expect(rows.first()).toBeVisible()
    const before = await rows.count()
    expect(before).toBeGreaterThan(0)
    await page.getByLabel('New level name').fill('Principal engineer')
    await page.getByLabel('New level name').press('Enter')
    await expect(rows).toHaveCount(before + 1)
    await page.getByRole('button', { name: 'Move Principal engineer up' }).click()
    await page.getByRole('button', { name: 'Save ladder' }).click()
    await expect(page.getByText('Level ladder saved')).toBeVisible()
    await expect(rows.nth(before - 1).locator('input')).toHaveValue('Principal engineer')

    // Grace has "senior engineer": deleting it is refused and the reason shown.
    const senior = rows.filter({ has: page.locator('input[value="senior engineer"]') })
    await expect(senior).toContainText('1 person')
    await senior.getByRole('button', { name: /Delete/ }).click()
    await expect(page.getByText(/still in use/)).toBeVisible()
    await page.getByRole('button', { name: 'Save ladder' }).click()
    await expect(page.getByRole('alert')).toContainText(/senior engineer/i)
    await page.getByRole('region', { name: 'Level ladder' }).getByRole('button', { name: 'Discard changes' }).click()
    await expect(rows).toHaveCount(before + 1)
    await page.screenshot({ path: `${shots}settings.png`, fullPage: true })
  })

  await test.step('users: add a facilitator linked to a person, change a role', async () => {
    await page.getByRole('link', { name: 'Users' }).click()
    await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible()
    await page.getByRole('button', { name: 'Add user' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add a user' })
    await dialog.getByLabel('Name').fill('Margaret Hamilton')
    await dialog.getByLabel('Email').fill('margaret@example.com')
    await dialog.getByLabel('Role').selectOption('facilitator')
    await dialog.getByLabel('Password').fill('another long passphrase')
    await dialog.getByRole('combobox', { name: 'Linked person' }).fill('Marg')
    await page.getByRole('option', { name: /Margaret Hamilton/ }).click()
    await dialog.getByRole('button', { name: 'Add user' }).click()
    await expect(dialog).toBeHidden()
    const row = page.locator('tbody tr').filter({ hasText: 'margaret@example.com' })
    await expect(row).toBeVisible()
    await expect(row.getByRole('link', { name: 'Margaret Hamilton' })).toBeVisible()
    await row.getByRole('combobox', { name: /Role for/ }).selectOption('member')
    await expect(page.getByText('Margaret Hamilton is now member')).toBeVisible()

    // The only admin cannot demote themselves.
    const me = page.locator('tbody tr').filter({ hasText: admin.email })
    await me.getByRole('combobox', { name: /Role for/ }).selectOption('facilitator')
    await expect(page.getByRole('alert')).toBeVisible()
    await expect(me.getByRole('combobox', { name: /Role for/ })).toHaveValue('admin')
    await page.screenshot({ path: `${shots}users.png`, fullPage: true })
  })

  await test.step('API tokens: create, shown once, used, revoked', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() })
    await page.getByRole('button', { name: /account menu/i }).click()
    await page.getByRole('link', { name: 'API tokens' }).click()
    await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'No tokens yet' })).toBeVisible()
    await page.getByLabel('Token name').fill('weekly export')
    await page.getByRole('button', { name: 'Create token' }).click()
    const secretBox = page.getByLabel('New API token')
    await expect(secretBox).toHaveValue(/^dbf_/)
    const secret = await secretBox.inputValue()
    await page.getByRole('button', { name: 'Copy' }).click()
    await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible()

    const me = await page.request.get(`${baseUrl()}/api/v1/auth/me`, {
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(me.status()).toBe(200)

    await page.reload()
    await expect(page.getByLabel('New API token')).toHaveCount(0)
    const row = page.locator('tbody tr').filter({ hasText: 'weekly export' })
    await expect(row).not.toContainText('Never')
    await page.screenshot({ path: `${shots}tokens.png`, fullPage: true })

    await row.getByRole('button', { name: /Revoke/ }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click()
    await expect(row).toContainText('Revoked')
    const after = await page.request.get(`${baseUrl()}/api/v1/auth/me`, {
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(after.status()).toBe(401)
  })

  await test.step('sign out', async () => {
    await signOut(page)
  })
})
