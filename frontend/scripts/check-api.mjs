// Fails when src/api/schema.d.ts is out of date with ../api/openapi.yaml:
// regenerates the types into a temp file and compares. Fix with `npm run gen:api`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const committed = join(root, 'src/api/schema.d.ts')
const dir = mkdtempSync(join(tmpdir(), 'debrief-api-'))
const fresh = join(dir, 'schema.d.ts')
try {
  const bin = join(root, 'node_modules/.bin/openapi-typescript')
  execFileSync(bin, [join(root, '../api/openapi.yaml'), '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] })
  const a = readFileSync(committed, 'utf8')
  const b = readFileSync(fresh, 'utf8')
  if (a !== b) {
    const al = a.split('\n')
    const bl = b.split('\n')
    let i = 0
    while (i < al.length && al[i] === bl[i]) i++
    console.error(`src/api/schema.d.ts is out of date with api/openapi.yaml (first difference at line ${i + 1}):`)
    console.error(`  committed: ${al[i] ?? '<end of file>'}`)
    console.error(`  generated: ${bl[i] ?? '<end of file>'}`)
    console.error('Run `npm run gen:api` in frontend/ and commit the result.')
    process.exitCode = 1
  } else {
    console.log('src/api/schema.d.ts matches api/openapi.yaml')
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
