import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { api, isAbort } from '../api/client'
import { placeFlags, remapFlags, type CheckKind, type PlacedFlag } from './langcheck'

/** Wait this long after the last keystroke before asking the server. */
export const CHECK_DEBOUNCE_MS = 300
/** The API refuses longer texts. */
const MAX_CODE_POINTS = 100_000
/** Requests in flight at once, across every field on the page (a guide editor has dozens). */
const MAX_CONCURRENT = 4
const CACHE_SIZE = 300

// Results by kind and text, shared by every field: undo, redo and remounts
// show their hints at once. Cleared when the team's settings change.
const cache = new Map<string, PlacedFlag[]>()
let epoch = 0
const listeners = new Set<() => void>()

function remember(key: string, flags: PlacedFlag[]) {
  cache.delete(key)
  cache.set(key, flags)
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
}

/** Forget cached results, e.g. after an admin switched categories off; fields check again. */
export function invalidateLanguageChecks(): void {
  cache.clear()
  epoch++
  for (const fn of listeners) fn()
}

const subscribe = (fn: () => void) => {
  listeners.add(fn)
  return () => {
    listeners.delete(fn)
  }
}
const getEpoch = () => epoch

let active = 0
const waiting: Array<() => void> = []

function slot(signal: AbortSignal): Promise<() => void> {
  const release = () => {
    active--
    waiting.shift()?.()
  }
  if (active < MAX_CONCURRENT) {
    active++
    return Promise.resolve(release)
  }
  return new Promise((resolve, reject) => {
    const go = () => {
      signal.removeEventListener('abort', onAbort)
      active++
      resolve(release)
    }
    const onAbort = () => {
      const i = waiting.indexOf(go)
      if (i >= 0) waiting.splice(i, 1)
      reject(new DOMException('aborted', 'AbortError'))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    waiting.push(go)
  })
}

async function check(text: string, kind: CheckKind, signal: AbortSignal): Promise<PlacedFlag[]> {
  const release = await slot(signal)
  try {
    const res = await api.post('/api/v1/language/check', { body: { text, kind }, signal })
    return placeFlags(text, res.flags)
  } finally {
    release()
  }
}

export type CheckStatus = 'off' | 'pending' | 'ready' | 'error'

export interface LanguageCheck {
  /** Flags placed on the current text (UTF-16 offsets). */
  flags: PlacedFlag[]
  /** "ready" when the flags were computed for exactly this text. */
  status: CheckStatus
}

interface Result {
  text: string
  kind: CheckKind
  flags: PlacedFlag[]
  epoch: number
  failed?: boolean
}

/**
 * Checks `text` as the person types: waits for a pause, cancels answers that
 * went stale, and, until the next answer, follows the last flags through the
 * edits so underlines stay on their words.
 */
export function useLanguageCheck(text: string, kind: CheckKind, enabled = true): LanguageCheck {
  const [result, setResult] = useState<Result | null>(null)
  const currentEpoch = useSyncExternalStore(subscribe, getEpoch)
  const active = enabled && text.trim() !== '' && text.length <= MAX_CODE_POINTS * 2
  const key = `${kind}\u0000${text}`
  const cached = active ? cache.get(key) : undefined

  useEffect(() => {
    if (!active || cache.has(key)) return
    const ctrl = new AbortController()
    const timer = window.setTimeout(() => {
      check(text, kind, ctrl.signal).then(
        (flags) => {
          if (ctrl.signal.aborted) return
          remember(key, flags)
          setResult({ text, kind, flags, epoch: currentEpoch })
        },
        (err: unknown) => {
          if (ctrl.signal.aborted || isAbort(err)) return
          setResult((prev) => ({
            text,
            kind,
            flags: prev?.kind === kind ? remapFlags(prev.text, text, prev.flags) : [],
            epoch: currentEpoch,
            failed: true,
          }))
        },
      )
    }, CHECK_DEBOUNCE_MS)
    return () => {
      window.clearTimeout(timer)
      ctrl.abort()
    }
  }, [active, key, text, kind, currentEpoch])

  return useMemo<LanguageCheck>(() => {
    if (!active) return { flags: [], status: 'off' }
    if (cached) return { flags: cached, status: 'ready' }
    if (!result || result.kind !== kind) return { flags: [], status: 'pending' }
    if (result.text === text && result.epoch === currentEpoch) {
      return { flags: result.flags, status: result.failed ? 'error' : 'ready' }
    }
    return { flags: remapFlags(result.text, text, result.flags), status: 'pending' }
  }, [active, cached, result, kind, text, currentEpoch])
}
