// A word-level diff for showing what changed between two versions of a text.

export interface DiffPart {
  kind: 'same' | 'add' | 'del'
  text: string
}

/** Above this many token pairs the diff gives up on detail and shows old and new whole. */
const MAX_CELLS = 1_500_000

/** Words with the white space after them, so spaces alone never count as "unchanged". */
function tokens(s: string): string[] {
  return s.match(/^\s+|\S+\s*/g) ?? []
}

/** Below this share of unchanged words, old and new are shown whole: a rewrite, not an edit. */
const MIN_SHARED = 0.4

function push(out: DiffPart[], kind: DiffPart['kind'], text: string) {
  const last = out[out.length - 1]
  if (last?.kind === kind) last.text += text
  else out.push({ kind, text })
}

/**
 * The longest-common-subsequence diff of two texts by words. Deletions come
 * before additions at each change; a text that was mostly rewritten comes
 * back as the old text deleted and the new one added.
 */
export function wordDiff(a: string, b: string): DiffPart[] {
  if (a === b) return a ? [{ kind: 'same', text: a }] : []
  const x = tokens(a)
  const y = tokens(b)
  // Trim the common ends first: most edits are small.
  let head = 0
  while (head < x.length && head < y.length && x[head] === y[head]) head++
  let tail = 0
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++
  const xs = x.slice(head, x.length - tail)
  const ys = y.slice(head, y.length - tail)
  const out: DiffPart[] = []
  if (head > 0) push(out, 'same', x.slice(0, head).join(''))
  const n = xs.length
  const m = ys.length
  const rewrite = (parts: DiffPart[]) => {
    const shared = parts.filter((p) => p.kind === 'same').reduce((k, p) => k + tokens(p.text).length, 0)
    return shared / Math.max(x.length, y.length, 1) < MIN_SHARED
  }
  if (n * m > MAX_CELLS) {
    if (n) push(out, 'del', xs.join(''))
    if (m) push(out, 'add', ys.join(''))
  } else {
    // lcs[i][j] = LCS length of xs[i..] and ys[j..]
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = xs[i] === ys[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
      }
    }
    let i = 0
    let j = 0
    const dels: string[] = []
    const adds: string[] = []
    const flush = () => {
      if (dels.length) push(out, 'del', dels.join(''))
      if (adds.length) push(out, 'add', adds.join(''))
      dels.length = 0
      adds.length = 0
    }
    while (i < n || j < m) {
      if (i < n && j < m && xs[i] === ys[j]) {
        flush()
        push(out, 'same', xs[i]!)
        i++
        j++
      } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
        adds.push(ys[j]!)
        j++
      } else {
        dels.push(xs[i]!)
        i++
      }
    }
    flush()
  }
  if (tail > 0) push(out, 'same', x.slice(x.length - tail).join(''))
  if (rewrite(out))
    return [a && { kind: 'del' as const, text: a }, b && { kind: 'add' as const, text: b }].filter((p) => !!p)
  return out
}
