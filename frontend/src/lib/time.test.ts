import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  isValidTimeZone,
  offsetLabel,
  utcToWallTime,
  wallTimeToRfc3339,
  zonedWallTimeToUtc,
  zoneOffsetMs,
} from './time.ts'

describe('wallTimeToRfc3339', () => {
  const cases: Array<[string, string, string, string]> = [
    ['plain winter time in Berlin', '2026-01-15T09:00', 'Europe/Berlin', '2026-01-15T08:00:00Z'],
    ['plain summer time in Berlin', '2026-07-15T09:00', 'Europe/Berlin', '2026-07-15T07:00:00Z'],
    ['UTC is unchanged', '2026-11-25T17:09', 'UTC', '2026-11-25T17:09:00Z'],
    ['seconds are kept', '2026-11-25T17:09:42', 'UTC', '2026-11-25T17:09:42Z'],
    ['New York standard time', '2026-11-25T12:00', 'America/New_York', '2026-11-25T17:00:00Z'],
    ['half-hour zone', '2026-06-01T09:30', 'Asia/Kolkata', '2026-06-01T04:00:00Z'],
    ['quarter-hour zone', '2026-06-01T12:00', 'Asia/Kathmandu', '2026-06-01T06:15:00Z'],
    ['east of the date line', '2026-06-01T08:00', 'Pacific/Kiritimati', '2026-05-31T18:00:00Z'],
    ['west of UTC, previous UTC day', '2026-06-01T20:00', 'America/Los_Angeles', '2026-06-02T03:00:00Z'],
    ['southern hemisphere summer', '2026-01-10T10:00', 'Australia/Sydney', '2026-01-09T23:00:00Z'],
    // Berlin springs forward on 2026-03-29 at 02:00 → 03:00.
    ['just before spring forward', '2026-03-29T01:59', 'Europe/Berlin', '2026-03-29T00:59:00Z'],
    ['in the spring-forward gap reads the earlier offset', '2026-03-29T02:30', 'Europe/Berlin', '2026-03-29T01:30:00Z'],
    ['right after spring forward', '2026-03-29T03:00', 'Europe/Berlin', '2026-03-29T01:00:00Z'],
    // New York: 2026-03-08 02:00 → 03:00; 02:30 does not exist and means 03:30 EDT.
    ['New York gap', '2026-03-08T02:30', 'America/New_York', '2026-03-08T07:30:00Z'],
    // Berlin falls back on 2026-10-25 at 03:00 → 02:00; 02:30 happens twice.
    ['ambiguous fall-back time is the first occurrence', '2026-10-25T02:30', 'Europe/Berlin', '2026-10-25T00:30:00Z'],
    ['after fall back', '2026-10-25T03:30', 'Europe/Berlin', '2026-10-25T02:30:00Z'],
    // Lord Howe shifts by 30 minutes.
    ['half-hour DST shift', '2026-07-01T12:00', 'Australia/Lord_Howe', '2026-07-01T01:30:00Z'],
    ['leap day', '2028-02-29T23:30', 'Europe/London', '2028-02-29T23:30:00Z'],
  ]
  for (const [name, wall, zone, want] of cases) {
    it(name, () => {
      assert.equal(wallTimeToRfc3339(wall, zone), want)
    })
  }

  it('rejects malformed or impossible input', () => {
    assert.equal(wallTimeToRfc3339('2026-02-30T10:00', 'UTC'), null)
    assert.equal(wallTimeToRfc3339('2026-13-01T10:00', 'UTC'), null)
    assert.equal(wallTimeToRfc3339('2026-01-01T24:00', 'UTC'), null)
    assert.equal(wallTimeToRfc3339('yesterday', 'UTC'), null)
    assert.equal(wallTimeToRfc3339('', 'UTC'), null)
    assert.equal(wallTimeToRfc3339('2026-01-01T10:00', 'Europe/Berln'), null)
  })
})

describe('utcToWallTime', () => {
  it('round-trips every existing wall time across a year in several zones', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago']
    for (const zone of zones) {
      const start = Date.UTC(2026, 0, 1)
      for (let t = start; t < start + 366 * 86400000; t += 37 * 60000 * 13) {
        const wall = utcToWallTime(new Date(t), zone)
        const back = zonedWallTimeToUtc(wall, zone)
        assert.ok(back, `${zone} ${wall}`)
        // Minutes are truncated by the wall format; the round trip names the
        // same wall time (ambiguous times may map to the first occurrence).
        assert.equal(utcToWallTime(back, zone), wall, `${zone} ${new Date(t).toISOString()}`)
      }
    }
  })

  it('formats an instant in a zone', () => {
    assert.equal(utcToWallTime('2026-11-25T17:09:00Z', 'Europe/Berlin'), '2026-11-25T18:09')
    assert.equal(utcToWallTime('2026-11-25T23:30:00Z', 'Asia/Tokyo'), '2026-11-26T08:30')
  })
})

describe('zone helpers', () => {
  it('knows valid zones', () => {
    assert.equal(isValidTimeZone('Europe/Berlin'), true)
    assert.equal(isValidTimeZone('Mars/Olympus'), false)
    assert.equal(isValidTimeZone(''), false)
  })
  it('computes offsets', () => {
    assert.equal(zoneOffsetMs('Asia/Kolkata', Date.UTC(2026, 5, 1)), 5.5 * 3600000)
    assert.equal(offsetLabel('America/New_York', new Date(Date.UTC(2026, 0, 1))), 'UTC−05:00')
    assert.equal(offsetLabel('Asia/Kathmandu', new Date(Date.UTC(2026, 0, 1))), 'UTC+05:45')
  })
})
