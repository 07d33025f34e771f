// Starts `debrief serve` on a fresh SQLite database in a temp dir, waits for
// the lines it prints on first run, and hands the URLs to the tests through
// environment variables. The returned function stops the server.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const frontendDir = fileURLToPath(new URL('..', import.meta.url))
const START_TIMEOUT_MS = 90_000

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = resolve(frontendDir, process.env.DEBRIEF_BIN ?? '../bin/debrief')
  if (!existsSync(bin)) {
    throw new Error(
      `Debrief binary not found at ${bin}. Build it first (npm run build in frontend/, then go build -o bin/debrief ./cmd/debrief) or set DEBRIEF_BIN.`,
    )
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'debrief-e2e-'))
  const resultsDir = join(frontendDir, 'test-results')
  mkdirSync(resultsDir, { recursive: true })
  const log = createWriteStream(join(resultsDir, 'debrief-server.log'))

  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      DEBRIEF_ADDR: '127.0.0.1:0',
      DEBRIEF_DATA_DIR: dataDir,
      DEBRIEF_DATABASE_URL: `sqlite:${join(dataDir, 'e2e.db')}`,
      // Calendar writes that cannot succeed (scheduling.spec.ts) give up in seconds, not an hour.
      DEBRIEF_JOBS_RETRY_BASE: process.env.DEBRIEF_JOBS_RETRY_BASE ?? '10ms',
      DEBRIEF_JOBS_RETRY_CAP: process.env.DEBRIEF_JOBS_RETRY_CAP ?? '50ms',
      DEBRIEF_JOBS_POLL_INTERVAL: process.env.DEBRIEF_JOBS_POLL_INTERVAL ?? '100ms',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stderr.pipe(log)

  const urls = await new Promise<{ base: string; setup: string }>((resolvePromise, reject) => {
    let base = ''
    let setup = ''
    const seen: string[] = []
    const timer = setTimeout(() => {
      reject(
        new Error(`debrief serve did not print its URLs within ${String(START_TIMEOUT_MS)} ms:\n${seen.join('\n')}`),
      )
    }, START_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout })
    lines.on('line', (line) => {
      log.write(`${line}\n`)
      seen.push(line)
      const running = /Debrief is running at (http\S+)/.exec(line)
      if (running?.[1]) base = running[1].replace(/\/$/, '')
      const setupMatch = /(http\S*\/setup\?token=\S+)/.exec(line)
      if (setupMatch?.[1]) setup = setupMatch[1]
      if (base && setup) {
        clearTimeout(timer)
        resolvePromise({ base, setup })
      }
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      reject(
        new Error(`debrief serve exited early (code ${String(code)}, signal ${String(signal)}):\n${seen.join('\n')}`),
      )
    })
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })

  process.env.DEBRIEF_BASE_URL = urls.base
  process.env.DEBRIEF_SETUP_URL = urls.setup

  const running = () => child.exitCode === null && child.signalCode === null
  return async () => {
    if (running()) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()))
      child.kill('SIGTERM')
      const timeout = new Promise<void>((r) => setTimeout(r, 10_000))
      await Promise.race([exited, timeout])
      if (running()) child.kill('SIGKILL')
    }
    log.end()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
