// Time helpers. Debrief stores instants in UTC; people think in wall-clock time
// in a named IANA zone. These helpers convert between the two with the
// browser's Intl time-zone data only (no library, no cached offsets), so
// daylight-saving changes are handled for each date on its own.
//
// This file must stay free of imports: its unit tests compile it for Node.

/** A wall-clock time as written in an <input type="datetime-local">. */
export type WallTime = string // "YYYY-MM-DDTHH:mm" or "YYYY-MM-DDTHH:mm:ss"

const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partsFormatters.set(zone, f)
  }
  return f
}

interface Fields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

function fieldsAt(zone: string, epochMs: number): Fields {
  const out: Fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const p of partsFormatter(zone).formatToParts(new Date(epochMs))) {
    switch (p.type) {
      case 'year':
        out.year = Number(p.value)
        break
      case 'month':
        out.month = Number(p.value)
        break
      case 'day':
        out.day = Number(p.value)
        break
      case 'hour':
        out.hour = Number(p.value) % 24
        break
      case 'minute':
        out.minute = Number(p.value)
        break
      case 'second':
        out.second = Number(p.value)
        break
      default:
        break
    }
  }
  return out
}

function wallMs(f: Fields): number {
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second)
}

/** The zone's offset from UTC, in milliseconds, at the given instant (east positive). */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  const whole = Math.floor(epochMs / 1000) * 1000
  return wallMs(fieldsAt(zone, whole)) - whole
}

/** Whether the runtime knows this IANA zone name. */
export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

function parseWall(wall: WallTime): Fields | null {
  const m = WALL_RE.exec(wall.trim())
  if (!m) return null
  const f: Fields = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] ? Number(m[6]) : 0,
  }
  // Reject impossible dates such as 2026-02-30 rather than rolling them over.
  const check = new Date(wallMs(f))
  if (
    f.month < 1 ||
    f.month > 12 ||
    f.hour > 23 ||
    f.minute > 59 ||
    f.second > 59 ||
    check.getUTCDate() !== f.day ||
    check.getUTCMonth() !== f.month - 1
  ) {
    return null
  }
  return f
}

/**
 * Converts a wall-clock time in an IANA zone to the UTC instant it names.
 *
 * Daylight-saving edge cases follow RFC 5545 and Temporal's "compatible"
 * rule: a time that occurs twice (clocks go back) means the first
 * occurrence; a time that does not exist (clocks go forward) is read with
 * the offset in force before the change, so 02:30 on a New York
 * spring-forward night becomes 03:30 EDT.
 *
 * Returns null for a malformed wall time or an unknown zone.
 */
export function zonedWallTimeToUtc(wall: WallTime, zone: string): Date | null {
  const f = parseWall(wall)
  if (!f || !isValidTimeZone(zone)) return null
  const local = wallMs(f)
  const day = 24 * 60 * 60 * 1000
  // Offsets a day either side bracket at most one transition.
  const before = zoneOffsetMs(zone, local - day)
  const after = zoneOffsetMs(zone, local + day)
  const candidates: number[] = []
  for (const off of before === after ? [before] : [before, after]) {
    const t = local - off
    if (wallMs(fieldsAt(zone, t)) === local) candidates.push(t)
  }
  if (candidates.length > 0) return new Date(Math.min(...candidates))
  // In a gap: use the offset from before the change.
  return new Date(local - before)
}

/** Converts a wall time in a zone to an RFC 3339 UTC string ("2026-03-29T01:30:00Z"). */
export function wallTimeToRfc3339(wall: WallTime, zone: string): string | null {
  const d = zonedWallTimeToUtc(wall, zone)
  return d ? toRfc3339Utc(d) : null
}

/** RFC 3339 in UTC without milliseconds. */
export function toRfc3339Utc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** The wall time ("YYYY-MM-DDTHH:mm") that an instant shows in a zone: a datetime-local value. */
export function utcToWallTime(instant: string | Date, zone: string): WallTime {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime()
  const f = fieldsAt(zone, ms)
  return `${String(f.year).padStart(4, '0')}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}`
}

/** The browser's own zone, e.g. "Europe/Berlin" (UTC if it cannot tell). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

/** A short offset label for a zone at an instant, e.g. "UTC+01:00". */
export function offsetLabel(zone: string, at: Date = new Date()): string {
  const off = Math.round(zoneOffsetMs(zone, at.getTime()) / 60000)
  const sign = off < 0 ? '−' : '+'
  const abs = Math.abs(off)
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
