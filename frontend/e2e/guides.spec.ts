// Question guides end to end: the library, a built-in guide's preview, a copy
// edited with the language check's hints (hover, one-click rephrasing),
// keyboard and drag-and-drop reordering, a save to version 2, the history's
// diff, using the guide for an event, and an admin switching the "why
// questions" category off for everyone.
import { expect, test, type Locator, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { apiAs, shots, signIn } from './helpers'

test.describe.configure({ mode: 'serial' })
mkdirSync(shots, { recursive: true })

const WHY = 'Why did you restart the database?'
const REPHRASED = 'What led up to restarting the database?'

/** The editor card of question n (1-based). */
const question = (page: Page, n: number): Locator => page.getByTestId('question-editor').nth(n - 1)
const questionText = (page: Page, n: number): Locator => page.getByLabel(`Question ${String(n)} text`, { exact: true })

async function hover(page: Page, target: Locator) {
  const box = await target.boundingBox()
  if (!box) throw new Error('nothing to hover')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
}

test('guides: copy a built-in guide, edit it with language hints, save, compare versions', async ({ page }) => {
  const consoleErrors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text())
  })
  page.on('pageerror', (err) => consoleErrors.push(err.message))

  await signIn(page)
  const api = await apiAs(page)
  const event = await api.post('/api/v1/events', {
    title: 'Search results went stale after the index rebuild',
    kind: 'surprise',
    started_at: '2026-11-18T09:30:00Z',
    systems: ['search'],
    summary: '',
  })
  // Every category on, whatever an earlier run left.
  await api.put('/api/v1/settings/language', { disabled: [] })

  await test.step('the library lists built-in guides and filters by kind', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Guides' }).click()
    await expect(page.getByRole('heading', { name: 'Guides', level: 1 })).toBeVisible()
    const builtin = page.getByRole('region', { name: 'Built-in guides' })
    await expect(builtin.getByTestId('guide-card')).toHaveCount(6)
    const responder = builtin
      .getByTestId('guide-card')
      .filter({ has: page.getByRole('heading', { name: 'Responder chat', exact: true }) })
    await expect(responder).toContainText('14 questions')
    await expect(responder).toContainText('45 min')
    await page.getByLabel('Kind').selectOption('learn_session')
    await expect(page.getByTestId('guide-card')).toHaveCount(1)
    await page.getByLabel('Kind').selectOption('')
    await page.getByRole('searchbox', { name: 'Search guides' }).fill('near-miss')
    await expect(page.getByTestId('guide-card')).toHaveCount(1)
    await page.getByRole('searchbox', { name: 'Search guides' }).fill('')
    await expect(page.getByTestId('guide-card')).toHaveCount(6)
    await page.mouse.move(0, 0)
    await page.screenshot({ path: `${shots}guides-library.png`, fullPage: true })
  })

  await test.step('a built-in guide previews read-only with numbered questions and section chips', async () => {
    await page.getByRole('link', { name: 'Responder chat', exact: true }).click()
    await expect(page.getByRole('heading', { name: 'Responder chat', level: 1 })).toBeVisible()
    await expect(page.getByText('Built-in guides are read-only — copy to edit')).toBeVisible()
    await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0)
    await expect(page.getByTestId('guide-question')).toHaveCount(14)
    // A chip names its section on keyboard focus too.
    const chip = page.getByTestId('guide-question').nth(1).locator('.chip').first()
    await expect(chip).toContainText('Narrative & timelines')
    await expect(page.getByRole('link', { name: /Print/ })).toHaveAttribute(
      'href',
      /\/api\/v1\/guides\/[0-9a-f-]{36}\/versions\/1\/print$/,
    )
    await page.screenshot({ path: `${shots}guide-preview.png` })
    await chip.focus()
    await page
      .getByTestId('guide-question')
      .nth(1)
      .screenshot({ path: `${shots}guide-chip-tooltip.png` })
  })

  await test.step('use the guide with an event: placeholders are filled in', async () => {
    await page.getByRole('button', { name: 'Use with an event' }).click()
    await page.getByLabel('Event', { exact: true }).selectOption(String(event.id))
    await page.getByRole('button', { name: 'Show the guide for this event' }).click()
    const rendered = page.getByTestId('rendered-guide')
    await expect(rendered).toContainText('Thanks for making time to talk about Search results went stale')
    await expect(rendered).not.toContainText('{{event.title}}')
  })

  let guideUrl = ''
  await test.step('copy it: the copy opens in the editor', async () => {
    await page.getByRole('button', { name: 'Copy', exact: true }).click()
    await expect(page).toHaveURL(/\/guides\/[0-9a-f-]{36}\/edit$/)
    await expect(page.getByRole('heading', { name: 'Edit “Copy of Responder chat”' })).toBeVisible()
    guideUrl = page.url().replace(/\/edit$/, '')
  })

  await test.step('a why question is underlined; hovering shows the hint; one click rephrases it', async () => {
    const q2 = question(page, 2)
    await questionText(page, 2).fill(WHY)
    const mark = q2.locator('mark.lc-warning')
    await expect(mark).toHaveText('Why')
    // The hint is also a button under the field, for keyboard and screen-reader users.
    await expect(
      q2.getByRole('button', { name: 'why question: “Why did you…” — Ask how or what instead' }),
    ).toBeVisible()

    await hover(page, mark)
    const popover = page.getByRole('group', { name: 'Why questions: hint' })
    await expect(popover).toBeVisible()
    await expect(popover).toContainText('"Why" asks people to justify themselves')
    await page.screenshot({ path: `${shots}guide-hint.png` })
    await popover.getByRole('button', { name: REPHRASED }).click()

    await expect(questionText(page, 2)).toHaveValue(REPHRASED)
    await expect(q2.locator('mark')).toHaveCount(0)
    await expect(q2.locator('.lc').first()).toHaveAttribute('data-lc-status', 'ready')
    await expect(q2.getByRole('button', { name: /why question/ })).toHaveCount(0)
  })

  await test.step('the hint list works from the keyboard too', async () => {
    const probe = page.getByLabel('Probe 1 of question 3', { exact: true })
    await probe.fill('Why did you page the database team?')
    const hintButton = question(page, 3).getByRole('button', { name: /^why question:/ })
    await hintButton.focus()
    await page.keyboard.press('Enter')
    await expect(hintButton).toHaveAttribute('aria-expanded', 'true')
    await page.keyboard.press('Tab')
    await expect(page.locator(':focus')).toHaveText(/What led up to paging the database team\?/)
    await page.keyboard.press('Enter')
    await expect(probe).toHaveValue('What led up to paging the database team?')
    await expect(question(page, 3).locator('mark')).toHaveCount(0)
  })

  await test.step('reorder with the keyboard: Alt+ArrowUp moves a question up and keeps focus', async () => {
    const third = await questionText(page, 3).inputValue()
    await questionText(page, 3).focus()
    await page.keyboard.press('Alt+ArrowUp')
    await expect(questionText(page, 2)).toHaveValue(third)
    await expect(questionText(page, 3)).toHaveValue(REPHRASED)
    await expect(questionText(page, 2)).toBeFocused()
    // And the buttons.
    await page.getByRole('button', { name: 'Move question 2 down' }).click()
    await expect(questionText(page, 3)).toHaveValue(third)
    await page.getByRole('button', { name: 'Move question 3 up' }).click()
    await expect(questionText(page, 2)).toHaveValue(third)
  })

  await test.step('drag and drop a question by its handle', async () => {
    const last = await questionText(page, 14).inputValue()
    await question(page, 14)
      .locator('.drag-handle')
      .dragTo(question(page, 13), {
        targetPosition: { x: 40, y: 8 },
      })
    await expect(questionText(page, 13)).toHaveValue(last)
  })

  await test.step('save: a new version with a note', async () => {
    await expect(page.getByText('Unsaved changes — saving makes version 2.')).toBeVisible()
    await page.getByLabel('Version note').fill('Ask how, not why; the first picture comes earlier')
    await page.getByRole('button', { name: 'Save new version' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Earlier versions are kept' })).toContainText(
      'Saved as version 2',
    )
    await expect(page.getByText('Version 2, saved.')).toBeVisible()
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: `${shots}guide-editor.png`, fullPage: true })
  })

  await test.step('history: both versions, and the diff shows the changed and moved questions', async () => {
    await page.getByRole('link', { name: 'See the history and what changed' }).click()
    await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible()
    const rows = page.getByTestId('version-row')
    await expect(rows).toHaveCount(2)
    await expect(rows.first()).toContainText('v2')
    await expect(rows.first()).toContainText('Ask how, not why')
    await expect(rows.first()).toContainText('You')

    const diff = page.getByTestId('guide-diff')
    await expect(page.getByRole('heading', { name: 'Compare version 1 with version 2' })).toBeVisible()
    const changed = diff.getByTestId('diff-changed').filter({ hasText: 'restarting the database' })
    await expect(changed).toBeVisible()
    await expect(changed.locator('ins')).toContainText('What led up to restarting the database?')
    await expect(changed.locator('del')).toContainText('How did this first reach you')
    await expect(diff.getByTestId('diff-moved').first()).toContainText('Moved from')
    await page.screenshot({ path: `${shots}guide-history.png`, fullPage: true })

    // Any version can be viewed as it was.
    await rows.nth(1).getByRole('link', { name: /View/ }).click()
    await expect(page.getByText('You are looking at version 1')).toBeVisible()
    await expect(page.getByTestId('guide-question').nth(1)).toContainText('How did this first reach you')
  })

  await test.step('an admin switches "why questions" off and the hint disappears', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    const toggle = page.getByRole('switch', { name: 'Why questions' })
    await expect(toggle).toBeChecked()
    await toggle.uncheck()
    await page.getByRole('button', { name: 'Save language check' }).click()
    await expect(page.getByText('Language check saved')).toBeVisible()
    await page.getByRole('region', { name: 'Language check' }).screenshot({ path: `${shots}settings-language.png` })

    await page.goto(`${guideUrl}/edit`)
    await questionText(page, 1).fill('Why did you just restart the database?')
    const q1 = question(page, 1)
    await expect(q1.locator('.lc').first()).toHaveAttribute('data-lc-status', 'ready')
    // "just" is still flagged (minimizing); "why" is not.
    await expect(q1.locator('mark')).toHaveText(['just'])
    await expect(q1.getByRole('button', { name: /^minimizing:/ })).toBeVisible()
    await expect(q1.getByRole('button', { name: /^why question:/ })).toHaveCount(0)
  })

  await test.step('leaving with unsaved changes asks first', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Guides' }).click()
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' })
    await expect(dialog).toBeVisible()
    await dialog.getByRole('button', { name: 'Keep editing' }).click()
    await expect(page).toHaveURL(/\/edit$/)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Guides' }).click()
    await dialog.getByRole('button', { name: 'Leave' }).click()
    await expect(page.getByRole('heading', { name: 'Guides', level: 1 })).toBeVisible()
  })

  await test.step('put the category back on', async () => {
    await api.put('/api/v1/settings/language', { disabled: [] })
  })

  expect(consoleErrors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
})
