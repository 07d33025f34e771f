// Compiles the unit tests (src/**/*.test.ts and what they import) with tsc
// into .test-build/ and runs them with Node's own test runner. No test
// framework needed; Node 20 cannot run TypeScript directly.
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, '.test-build')
rmSync(out, { recursive: true, force: true })
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.test.json')], { stdio: 'inherit' })

const files = []
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p)
    else if (e.name.endsWith('.test.js')) files.push(relative(root, p))
  }
}
walk(out)
if (files.length === 0) {
  console.error('no unit tests found')
  process.exit(1)
}
const res = spawnSync(process.execPath, ['--test', ...files], { cwd: root, stdio: 'inherit' })
process.exit(res.status ?? 1)
