// Measures what the language hints cost while typing in the guide editor.
// Runs only when MEASURE=1 (tagged @measure; see playwright.config.ts):
//
//   MEASURE=1 DEBRIEF_BIN=… npx playwright test measure-hints
//
// Prints, and writes to test-results/hint-latency.json:
// - hint latency: last keystroke → underline painted (debounce + request + render), and the
//   request's own round trip, over several questions typed fresh (no cache hits);
// - main-thread time per keystroke (Chrome's TaskDuration less DevToolsCommandDuration, and its
//   script/layout/style parts, from the DevTools protocol's Performance.getMetrics) and
//   keystroke → next frame, for a plain <input> and for a checked field (short question and a
//   long opener), on this machine and with the CPU slowed down 4×.
import { expect, test, type CDPSession, type Page } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { apiAs, baseUrl, shots, signIn } from './helpers'

test.describe.configure({ mode: 'serial' })

const TRIALS = 12
const NOUNS = [
  'the database',
  'the cache',
  'the queue',
  'the broker',
  'the load balancer',
  'the scheduler',
  'the replica',
  'the ingress',
  'the worker pool',
  'the search index',
  'the gateway',
  'the consumer',
  'the indexer',
  'the proxy',
]
const TYPED =
  'What did you see on the dashboards when the first alert fired, and who else was looking at them with you at that point'
const KEY_DELAY_MS = 35
// A long opener (about 1,100 characters) to see whether the mirror's cost grows with the text.
const OPENER = Array.from(
  { length: 6 },
  (_, i) =>
    `Paragraph ${String(i + 1)}: thanks for talking with me about what happened. I am here to understand how it looked from where you were, and nothing you say is held against you.`,
).join('\n\n')

interface Instrumented {
  lastKey: number
  frames: number[]
  readyAt: number
  renderedAt: number
}
type W = Window & { __m: Instrumented }

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN
  const r = (n: number) => Math.round(n * 10) / 10
  return { n: s.length, p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1] ?? NaN) }
}

async function instrument(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as W
    w.__m = { lastKey: 0, frames: [], readyAt: 0, renderedAt: 0 }
    document.addEventListener(
      'keydown',
      () => {
        const t0 = performance.now()
        w.__m.lastKey = t0
        // After the frame that follows the keystroke has been produced.
        requestAnimationFrame(() => setTimeout(() => w.__m.frames.push(performance.now() - t0), 0))
      },
      true,
    )
  })
}

async function taskTime(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics')
  const get = (n: string) => (metrics.find((m) => m.name === n)?.value ?? 0) * 1000
  return {
    // Everything on the renderer's main thread, less the DevTools commands that deliver the keys.
    mainThread: get('TaskDuration') - get('DevToolsCommandDuration'),
    script: get('ScriptDuration'),
    layout: get('LayoutDuration'),
    style: get('RecalcStyleDuration'),
  }
}

test('language hints: latency while typing @measure', { tag: '@measure' }, async ({ page }) => {
  test.skip(!process.env.MEASURE, 'measurements run with MEASURE=1')
  test.setTimeout(300_000)
  await signIn(page)
  const api = await apiAs(page)
  await api.put('/api/v1/settings/language', { disabled: [] })
  const copy = await api.post('/api/v1/guides/responder-chat/copy', { title: 'Latency measurement' })
  await page.goto(`${baseUrl()}/guides/${String(copy.id)}/edit`)
  await expect(page.getByRole('heading', { name: 'Question 2' })).toBeVisible()
  // Let the checks of the loaded guide settle first.
  await expect(page.locator('.lc[data-lc-status="pending"]')).toHaveCount(0, { timeout: 30_000 })
  await instrument(page)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')

  const field = page.getByLabel('Question 2 text', { exact: true })
  const root = page.getByTestId('question-editor').nth(1).locator('.lc').first()

  // 1. Last keystroke → hint painted.
  const latency: number[] = []
  const toDom: number[] = []
  const roundTrip: number[] = []
  for (let i = 0; i < TRIALS; i++) {
    await field.fill('')
    await page.waitForTimeout(400)
    await root.evaluate((el) => {
      const w = window as unknown as W
      w.__m.readyAt = 0
      w.__m.renderedAt = 0
      performance.clearResourceTimings()
      const obs = new MutationObserver(() => {
        if (el.getAttribute('data-lc-status') === 'ready' && el.querySelector('mark')) {
          obs.disconnect()
          w.__m.renderedAt = performance.now()
          requestAnimationFrame(() =>
            setTimeout(() => {
              w.__m.readyAt = performance.now()
            }, 0),
          )
        }
      })
      obs.observe(el, { attributes: true, subtree: true, childList: true })
    })
    await field.focus()
    await page.keyboard.type(`Why did you restart ${NOUNS[i % NOUNS.length]!}?`, { delay: KEY_DELAY_MS })
    await page.waitForFunction(() => (window as unknown as W).__m.readyAt > 0, undefined, { timeout: 10_000 })
    const m = await page.evaluate(() => {
      const w = window as unknown as W
      const checks = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/v1/language/check'))
        .map((e) => e.duration)
      return { paint: w.__m.readyAt - w.__m.lastKey, dom: w.__m.renderedAt - w.__m.lastKey, rtt: checks.at(-1) ?? NaN }
    })
    latency.push(m.paint)
    toDom.push(m.dom)
    roundTrip.push(m.rtt)
  }
  await page.screenshot({ path: `${shots}measure-hints.png` })

  // 2. Main-thread time per keystroke, plain vs checked. Rounds alternate the fields; each
  //    number is the median over rounds (per-keystroke work) or over all keystrokes (frames).
  interface Run {
    work: Record<string, number>
    frames: number[]
  }
  const typeAndMeasure = async (target: ReturnType<Page['getByLabel']>, text: string): Promise<Run> => {
    await target.focus()
    await target.press('End')
    await page.waitForTimeout(400)
    await page.evaluate(() => {
      ;(window as unknown as W).__m.frames = []
    })
    const before = await taskTime(cdp)
    await page.keyboard.type(text, { delay: KEY_DELAY_MS })
    // Include the check that follows the last keystroke.
    await page.waitForTimeout(1000)
    const after = await taskTime(cdp)
    const frames = await page.evaluate(() => (window as unknown as W).__m.frames)
    const work: Record<string, number> = {}
    for (const k of Object.keys(after)) work[k] = (after[k]! - before[k]!) / text.length
    return { work, frames }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b)
    return Math.round((s[Math.floor(s.length / 2)] ?? NaN) * 100) / 100
  }
  const summarize = (runs: Run[]) => ({
    perKeystrokeMs: Object.fromEntries(
      ['mainThread', 'script', 'layout', 'style'].map((k) => [k, median(runs.map((r) => r.work[k]!))]),
    ),
    keyToFrameMs: stats(runs.flatMap((r) => r.frames)),
  })

  const title = page.getByRole('textbox', { name: 'Title', exact: true })
  const q4 = page.getByLabel('Question 4 text', { exact: true })
  const opener = page.getByLabel('What you say first')
  const fields = {
    plainInput: async () => {
      await title.fill('Latency')
      return typeAndMeasure(title, ` ${TYPED}`)
    },
    checkedQuestion: async () => {
      await q4.fill('')
      return typeAndMeasure(q4, TYPED)
    },
    checkedOpenerLong: async () => {
      await opener.fill(OPENER)
      return typeAndMeasure(opener, ` ${TYPED}.`)
    },
  }
  type Name = keyof typeof fields
  const names = Object.keys(fields) as Name[]
  const measureRounds = async (rounds: number) => {
    const runs: Record<Name, Run[]> = { plainInput: [], checkedQuestion: [], checkedOpenerLong: [] }
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? names : [...names].reverse()
      for (const n of order) runs[n].push(await fields[n]())
    }
    return Object.fromEntries(names.map((n) => [n, summarize(runs[n])]))
  }
  await measureRounds(1) // warm-up: JIT, caches, fonts
  const normal = await measureRounds(3)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
  const slow = await measureRounds(2)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })

  const openerLength = OPENER.length
  const result = {
    when: new Date().toISOString(),
    note: `Typing at ${String(KEY_DELAY_MS)} ms per key; debounce 300 ms; the long opener starts at ${String(openerLength)} characters. perKeystrokeMs: medians over rounds; keyToFrameMs: over all keystrokes.`,
    hintLatency: {
      lastKeyToHintPaintedMs: stats(latency),
      lastKeyToHintInDomMs: stats(toDom),
      checkRequestRoundTripMs: stats(roundTrip),
    },
    perKeystroke: { cpu1x: normal, cpu4x: slow },
  }
  console.log(`\nLanguage-hint measurements\n${JSON.stringify(result, null, 2)}\n`)
  writeFileSync(`${shots}hint-latency.json`, `${JSON.stringify(result, null, 2)}\n`)
  // Sanity: a hint arrives well within a second on this machine.
  expect(result.hintLatency.lastKeyToHintPaintedMs.p50).toBeLessThan(1000)
})
