// Display formatting for instants, always in an explicit zone.
const cache = new Map<string, Intl.DateTimeFormat>()

function fmt(zone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(opts)}`
  let f = cache.get(key)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(undefined, { ...opts, timeZone: zone })
    } catch {
      f = new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' })
    }
    cache.set(key, f)
  }
  return f
}

function toDate(v: string | Date): Date {
  return typeof v === 'string' ? new Date(v) : v
}

/** "25 Nov 2026, 18:09" */
export function formatDateTime(v: string | Date, zone: string): string {
  return fmt(zone, { dateStyle: 'medium', timeStyle: 'short' }).format(toDate(v))
}

/** "25 Nov 2026" */
export function formatDate(v: string | Date, zone: string): string {
  return fmt(zone, { dateStyle: 'medium' }).format(toDate(v))
}

/** "18:09" */
export function formatTime(v: string | Date, zone: string): string {
  return fmt(zone, { timeStyle: 'short' }).format(toDate(v))
}

/** "Wed 18:09" — a person's local time right now. */
export function formatWeekdayTime(v: string | Date, zone: string): string {
  return fmt(zone, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(toDate(v))
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone, for grouping. */
export function dayKey(v: string | Date, zone: string): string {
  const parts = fmt(zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(toDate(v))
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}

/** "Wednesday, 25 November 2026" for a day heading. */
export function formatDayHeading(v: string | Date, zone: string): string {
  return fmt(zone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(toDate(v))
}

/** "3 minutes ago", "in 2 days" — rough and friendly. */
export function formatRelative(v: string | Date, now: Date = new Date()): string {
  const diff = toDate(v).getTime() - now.getTime()
  const abs = Math.abs(diff)
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
  const minute = 60_000
  const hour = 60 * minute
  const day = 24 * hour
  if (abs < minute) return 'just now'
  if (abs < hour) return rtf.format(Math.round(diff / minute), 'minute')
  if (abs < day) return rtf.format(Math.round(diff / hour), 'hour')
  if (abs < 30 * day) return rtf.format(Math.round(diff / day), 'day')
  if (abs < 365 * day) return rtf.format(Math.round(diff / (30 * day)), 'month')
  return rtf.format(Math.round(diff / (365 * day)), 'year')
}

/** "1 person", "3 people" */
export function plural(n: number, one: string, many: string): string {
  return `${String(n)} ${n === 1 ? one : many}`
}

/** Splits "a, b ,c" into ["a","b","c"] without empties or duplicates. */
export function splitList(s: string): string[] {
  const out: string[] = []
  for (const part of s.split(',')) {
    const t = part.trim()
    if (t && !out.includes(t)) out.push(t)
  }
  return out
}

/** The host of a URL for display, or the URL itself. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
