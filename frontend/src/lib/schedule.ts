// Pure helpers for the scheduling view: the default search window, the grid's
// columns in the viewer's zone, what each cell shows, and people's local times.
// No React and no API client here, so the unit tests compile it for Node.
import { utcToWallTime, zonedWallTimeToUtc } from './time.ts'

export interface Interval {
  start: string
  end: string
}

/** What the grid needs of one person (a subset of the API's PersonAvailability). */
export interface GridPerson {
  id: string
  name: string
  timezone: string
  optional: boolean
  working: Interval[]
  busy: Interval[]
  unknown: boolean
}

export type CellState = 'busy' | 'unknown' | 'working' | 'off'

export interface GridCell {
  start: number
  end: number
}

export interface GridDay {
  /** YYYY-MM-DD in the viewer's zone. */
  date: string
  cells: GridCell[]
}

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** Adds days to a YYYY-MM-DD date (calendar arithmetic, no zone). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number)
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) + days * DAY)
  return t.toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday for a YYYY-MM-DD date. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay()
}

const isBusinessDay = (date: string): boolean => {
  const w = weekday(date)
  return w !== 0 && w !== 6
}

/**
 * The default window: the next `days` business days in the zone, today included
 * when it is a business day. Returns the first and last date (inclusive).
 */
export function defaultWindowDates(now: Date, zone: string, days = 5): { from: string; to: string } {
  let date = utcToWallTime(now, zone).slice(0, 10)
  while (!isBusinessDay(date)) date = addDays(date, 1)
  const from = date
  let count = 1
  while (count < days) {
    date = addDays(date, 1)
    if (isBusinessDay(date)) count++
  }
  return { from, to: date }
}

/**
 * The API window for dates picked in the viewer's zone: from the start of `from`
 * (or now, rounded up to the step, if later) to the end of `to`. Null when the
 * dates are malformed or the window is empty.
 */
export function windowFromDates(
  from: string,
  to: string,
  zone: string,
  now: Date,
  stepMinutes = 15,
): { start: string; end: string } | null {
  const start = zonedWallTimeToUtc(`${from}T00:00`, zone)
  const end = zonedWallTimeToUtc(`${addDays(to, 1)}T00:00`, zone)
  if (!start || !end) return null
  const step = stepMinutes * MINUTE
  const earliest = Math.ceil(now.getTime() / step) * step
  const s = Math.max(start.getTime(), earliest)
  if (s >= end.getTime()) return null
  return { start: iso(s), end: iso(end.getTime()) }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function minutesOfDay(ms: number, zone: string): number {
  const wall = utcToWallTime(new Date(ms), zone)
  return Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16))
}

/**
 * The hours of the day (in the viewer's zone) the grid shows: the span that
 * covers everyone's working time, rounded out to whole hours, at least 8 hours.
 * Falls back to 08:00–18:00 when nobody has working time in the window.
 */
export function visibleHours(people: readonly GridPerson[], zone: string): { from: number; to: number } {
  let lo = Infinity
  let hi = -Infinity
  for (const p of people) {
    for (const w of p.working) {
      const s = Date.parse(w.start)
      const e = Date.parse(w.end)
      // A stretch that crosses the viewer's midnight shows the whole day.
      const sDay = utcToWallTime(new Date(s), zone).slice(0, 10)
      const eDay = utcToWallTime(new Date(e - 1), zone).slice(0, 10)
      if (sDay !== eDay) return { from: 0, to: 24 }
      lo = Math.min(lo, Math.floor(minutesOfDay(s, zone) / 60))
      hi = Math.max(hi, Math.ceil((minutesOfDay(e - 1, zone) + 1) / 60))
    }
  }
  if (!Number.isFinite(lo)) return { from: 8, to: 18 }
  while (hi - lo < 8) {
    if (lo > 0) lo--
    if (hi - lo < 8 && hi < 24) hi++
  }
  return { from: lo, to: hi }
}

/**
 * The grid's columns: for each day of the window (in the viewer's zone) the
 * cells of `cellMinutes` between the visible hours, clipped to the window.
 */
export function gridDays(
  window: Interval,
  hours: { from: number; to: number },
  zone: string,
  cellMinutes = 30,
): GridDay[] {
  const ws = Date.parse(window.start)
  const we = Date.parse(window.end)
  const out: GridDay[] = []
  let date = utcToWallTime(new Date(ws), zone).slice(0, 10)
  const last = utcToWallTime(new Date(we - 1), zone).slice(0, 10)
  for (let guard = 0; date <= last && guard < 100; guard++, date = addDays(date, 1)) {
    const cells: GridCell[] = []
    for (let m = hours.from * 60; m < hours.to * 60; m += cellMinutes) {
      const hh = String(Math.floor(m / 60)).padStart(2, '0')
      const mm = String(m % 60).padStart(2, '0')
      const s = zonedWallTimeToUtc(`${date}T${hh}:${mm}`, zone)
      if (!s) continue
      const start = s.getTime()
      const end = start + cellMinutes * MINUTE
      if (end <= ws || start >= we) continue
      // Skip the repeated hour's duplicates on a clocks-back night.
      if (cells.length > 0 && cells[cells.length - 1]!.start >= start) continue
      cells.push({ start, end })
    }
    if (cells.length > 0) out.push({ date, cells })
  }
  return out
}

function overlaps(list: readonly Interval[], start: number, end: number): boolean {
  return list.some((i) => Date.parse(i.start) < end && Date.parse(i.end) > start)
}

function covers(list: readonly Interval[], start: number, end: number): boolean {
  return list.some((i) => Date.parse(i.start) <= start && Date.parse(i.end) >= end)
}

/** What a person's cell shows: busy beats unknown beats working hours. */
export function cellState(p: GridPerson, cell: GridCell): CellState {
  if (overlaps(p.busy, cell.start, cell.end)) return 'busy'
  if (p.unknown) return 'unknown'
  if (covers(p.working, cell.start, cell.end)) return 'working'
  return 'off'
}

/** Whether a cell falls inside a slot (for highlighting the chosen suggestion). */
export function inSlot(cell: GridCell, slot: Interval | null): boolean {
  if (!slot) return false
  return cell.start < Date.parse(slot.end) && cell.end > Date.parse(slot.start)
}

/** "Wed 09:30" in a zone, 24-hour. */
export function localTime(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms))
}

/** Each person's local time at an instant, e.g. for a cell's tooltip. */
export function localTimes(
  ms: number,
  people: readonly Pick<GridPerson, 'id' | 'name' | 'timezone'>[],
): { id: string; name: string; time: string; timezone: string }[] {
  return people.map((p) => ({ id: p.id, name: p.name, timezone: p.timezone, time: localTime(ms, p.timezone) }))
}

/** The text of a person's `sources` entry when their calendar could not be read, else null. */
export function sourceError(source: string | undefined): string | null {
  if (!source?.startsWith('error')) return null
  return source.replace(/^error:\s*/, '') || 'their calendar could not be read'
}
