import { defineConfig } from '@playwright/test'

// Browser tests drive Debian's Chromium (/usr/bin/chromium) against the real
// `debrief` binary started by e2e/global-setup.ts. Playwright never downloads
// a browser here: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 and an explicit executablePath.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/artifacts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Measurements (tagged @measure, e.g. e2e/measure-hints.spec.ts) run only with MEASURE=1.
  grepInvert: process.env.MEASURE ? undefined : /@measure/,
  // Generous: CI machines have two cores.
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
})
