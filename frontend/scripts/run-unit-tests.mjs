// Compiles the unit tests (src/**/*.test.ts and what they import) with tsc
// into .test-build/ and runs them with Node's own test runner. No test
// framework needed; Node 20 cannot run TypeScript directly.
//
//   node scripts/run-unit-tests.mjs            every test except *.ics.test.ts
//   node scripts/run-unit-tests.mjs --ics      only *.ics.test.ts (needs DEBRIEF_ICS_SAMPLES_DIR)
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// The .ics checks read files a Go test writes; they run on their own (npm run test:ics).
const ics = process.argv.includes('--ics')
const wanted = (name) => name.endsWith('.test.js') && name.endsWith('.ics.test.js') === ics
const out = join(root, '.test-build')
rmSync(out, { recursive: true, force: true })
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.test.json')], { stdio: 'inherit' })

const files = []
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p)
    else if (wanted(e.name)) files.push(relative(root, p))
  }
}
walk(out)
if (files.length === 0) {
  console.error('no unit tests found')
  process.exit(1)
}
const res = spawnSync(process.execPath, ['--test', ...files], { cwd: root, stdio: 'inherit' })
process.exit(res.status ?? 1)
