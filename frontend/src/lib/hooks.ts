import { useCallback, useEffect, useEffectEvent, useState } from 'react'
import { isAbort, toApiError, type ApiError } from '../api/client'

interface LoadResult<T> {
  key: string
  data?: T
  error?: ApiError
}

export interface Loaded<T> {
  /** The latest data; kept while a reload is in flight. */
  data: T | undefined
  error: ApiError | undefined
  loading: boolean
  reload: () => void
  /** Replace the data (e.g. with what a save returned). */
  setData: (update: (prev: T | undefined) => T | undefined) => void
}

/**
 * Loads data for a key; loads again when the key changes or reload() is
 * called. A null key loads nothing.
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [result, setResult] = useState<LoadResult<T> | null>(null)
  const [nonce, setNonce] = useState(0)
  const run = useEffectEvent((signal: AbortSignal) => load(signal))
  const current = key === null ? null : `${key}#${String(nonce)}`

  useEffect(() => {
    if (current === null) return
    const ctrl = new AbortController()
    run(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setResult({ key: current, data })
      },
      (err: unknown) => {
        if (ctrl.signal.aborted || isAbort(err)) return
        setResult((prev) => ({ key: current, data: prev?.data, error: toApiError(err) }))
      },
    )
    return () => {
      ctrl.abort()
    }
  }, [current])

  const reload = useCallback(() => {
    setNonce((n) => n + 1)
  }, [])
  const setData = useCallback((update: (prev: T | undefined) => T | undefined) => {
    setResult((prev) => (prev ? { ...prev, data: update(prev.data) } : prev))
  }, [])

  return {
    data: result?.data,
    error: result?.key === current ? result.error : undefined,
    loading: current !== null && result?.key !== current,
    reload,
    setData,
  }
}

/** The value after it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const t = window.setTimeout(() => {
      setDebounced(value)
    }, ms)
    return () => {
      window.clearTimeout(t)
    }
  }, [value, ms])
  return debounced
}

/** The current time, updated every `ms` (default a minute, on the minute). */
export function useNow(ms = 60_000): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    let interval: number | undefined
    const first = window.setTimeout(
      () => {
        setNow(new Date())
        interval = window.setInterval(() => {
          setNow(new Date())
        }, ms)
      },
      ms - (Date.now() % ms),
    )
    return () => {
      window.clearTimeout(first)
      if (interval !== undefined) window.clearInterval(interval)
    }
  }, [ms])
  return now
}

/** Sets document.title while mounted. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Debrief` : 'Debrief'
  }, [title])
}

interface Page<T> {
  items: T[]
  next_cursor: string
}

export interface Paged<T> {
  items: T[]
  /** True until the first page has arrived for the current key. */
  loading: boolean
  /** True while a new key's first page loads and the old items are still shown. */
  refreshing: boolean
  error: ApiError | undefined
  hasMore: boolean
  loadingMore: boolean
  loadMore: () => void
  reload: () => void
  /** Replace one item in place (e.g. after an edit). */
  update: (fn: (items: T[]) => T[]) => void
}

/** A cursor-paginated list: the first page loads per key; loadMore appends the next. */
export function usePaged<T>(
  key: string | null,
  fetchPage: (cursor: string, signal?: AbortSignal) => Promise<Page<T>>,
): Paged<T> {
  const first = useLoad<Page<T>>(key, (signal) => fetchPage('', signal))
  const [more, setMore] = useState<{ base: Page<T>; items: T[]; cursor: string } | null>(null)
  const [moreState, setMoreState] = useState<{ base: Page<T>; error?: ApiError; busy: boolean } | null>(null)

  const base = first.data
  const extra = base && more?.base === base ? more : null
  const items = base ? [...base.items, ...(extra?.items ?? [])] : []
  const cursor = extra ? extra.cursor : (base?.next_cursor ?? '')
  const busyMore = !!(base && moreState?.base === base && moreState.busy)

  const loadMore = () => {
    if (!base || !cursor || busyMore) return
    setMoreState({ base, busy: true })
    fetchPage(cursor).then(
      (page) => {
        setMore((prev) => ({
          base,
          items: [...(prev?.base === base ? prev.items : []), ...page.items],
          cursor: page.next_cursor,
        }))
        setMoreState({ base, busy: false })
      },
      (err: unknown) => {
        setMoreState({ base, busy: false, error: toApiError(err) })
      },
    )
  }

  const { reload: reloadFirst, setData } = first
  const reload = useCallback(() => {
    setMore(null)
    reloadFirst()
  }, [reloadFirst])

  const update = (fn: (items: T[]) => T[]) => {
    if (!base) return
    const all = fn(items)
    const n = base.items.length
    const newBase: Page<T> = { ...base, items: all.slice(0, n) }
    setData(() => newBase)
    setMore({ base: newBase, items: all.slice(n), cursor })
    setMoreState((prev) => (prev?.base === base ? { ...prev, base: newBase } : prev))
  }

  return {
    items,
    loading: first.loading && !base,
    refreshing: first.loading && !!base,
    error: first.error ?? (base && moreState?.base === base ? moreState.error : undefined),
    hasMore: !!cursor,
    loadingMore: busyMore,
    loadMore,
    reload,
    update,
  }
}
