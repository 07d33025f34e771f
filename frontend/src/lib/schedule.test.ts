import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  addDays,
  cellState,
  defaultWindowDates,
  gridDays,
  inSlot,
  localTimes,
  sourceError,
  visibleHours,
  windowFromDates,
  type GridPerson,
} from './schedule.ts'

const person = (over: Partial<GridPerson> = {}): GridPerson => ({
  id: 'p1',
  name: 'Ada',
  timezone: 'Europe/London',
  optional: false,
  working: [],
  busy: [],
  unknown: false,
  ...over,
})

describe('defaultWindowDates', () => {
  it('counts five business days from a weekday, today included', () => {
    // Wednesday 25 Nov 2026, 18:00 in Berlin.
    assert.deepEqual(defaultWindowDates(new Date('2026-11-25T17:00:00Z'), 'Europe/Berlin'), {
      from: '2026-11-25',
      to: '2026-12-01',
    })
  })
  it('starts on Monday from a weekend', () => {
    assert.deepEqual(defaultWindowDates(new Date('2026-11-28T12:00:00Z'), 'Europe/Berlin'), {
      from: '2026-11-30',
      to: '2026-12-04',
    })
  })
  it('uses the date in the zone, not in UTC', () => {
    // 23:30 UTC Friday is already Saturday in Tokyo.
    assert.equal(defaultWindowDates(new Date('2026-11-27T23:30:00Z'), 'Asia/Tokyo').from, '2026-11-30')
  })
})

describe('windowFromDates', () => {
  it('spans whole days in the zone and starts no earlier than now, on the step', () => {
    const w = windowFromDates('2026-11-25', '2026-11-26', 'Europe/Berlin', new Date('2026-11-25T09:07:00Z'))
    assert.deepEqual(w, { start: '2026-11-25T09:15:00Z', end: '2026-11-26T23:00:00Z' })
  })
  it('is null when the window is over', () => {
    assert.equal(windowFromDates('2026-11-20', '2026-11-21', 'UTC', new Date('2026-11-25T09:00:00Z')), null)
  })
  it('handles a DST change inside the window', () => {
    const w = windowFromDates('2026-03-28', '2026-03-29', 'Europe/Berlin', new Date('2026-03-01T00:00:00Z'))
    assert.deepEqual(w, { start: '2026-03-27T23:00:00Z', end: '2026-03-29T22:00:00Z' })
  })
})

describe('addDays', () => {
  it('crosses months and years', () => {
    assert.equal(addDays('2026-12-31', 1), '2027-01-01')
    assert.equal(addDays('2026-03-01', -1), '2026-02-28')
  })
})

describe('visibleHours and gridDays', () => {
  const london = person({ working: [{ start: '2026-11-26T09:00:00Z', end: '2026-11-26T17:00:00Z' }] })
  const ny = person({
    id: 'p2',
    timezone: 'America/New_York',
    working: [{ start: '2026-11-26T14:00:00Z', end: '2026-11-26T22:00:00Z' }],
  })
  it('covers everyone’s working time in the viewer’s zone', () => {
    assert.deepEqual(visibleHours([london, ny], 'Europe/Berlin'), { from: 10, to: 23 })
  })
  it('falls back to office hours', () => {
    assert.deepEqual(visibleHours([person()], 'UTC'), { from: 8, to: 18 })
  })
  it('widens a short span to eight hours', () => {
    const short = person({ working: [{ start: '2026-11-26T10:00:00Z', end: '2026-11-26T12:00:00Z' }] })
    const h = visibleHours([short], 'UTC')
    assert.equal(h.to - h.from, 8)
  })
  it('makes cells per day, clipped to the window', () => {
    const days = gridDays(
      { start: '2026-11-26T10:00:00Z', end: '2026-11-27T23:00:00Z' },
      { from: 9, to: 12 },
      'UTC',
      30,
    )
    assert.deepEqual(
      days.map((d) => [d.date, d.cells.length]),
      [
        ['2026-11-26', 4], // 10:00–12:00
        ['2026-11-27', 6], // 09:00–12:00
      ],
    )
  })
})

describe('cellState', () => {
  const cell = { start: Date.parse('2026-11-26T10:00:00Z'), end: Date.parse('2026-11-26T10:30:00Z') }
  it('prefers busy, then unknown, then working', () => {
    const working = [{ start: '2026-11-26T09:00:00Z', end: '2026-11-26T17:00:00Z' }]
    assert.equal(cellState(person({ working }), cell), 'working')
    assert.equal(cellState(person(), cell), 'off')
    assert.equal(cellState(person({ working, unknown: true }), cell), 'unknown')
    assert.equal(
      cellState(person({ working, busy: [{ start: '2026-11-26T10:15:00Z', end: '2026-11-26T11:00:00Z' }] }), cell),
      'busy',
    )
  })
  it('highlights cells inside a slot', () => {
    assert.equal(inSlot(cell, { start: '2026-11-26T10:00:00Z', end: '2026-11-26T10:20:00Z' }), true)
    assert.equal(inSlot(cell, { start: '2026-11-26T10:30:00Z', end: '2026-11-26T11:00:00Z' }), false)
    assert.equal(inSlot(cell, null), false)
  })
})

describe('localTimes and sourceError', () => {
  it('shows each person’s own wall time', () => {
    const t = localTimes(Date.parse('2026-11-26T15:00:00Z'), [
      { id: 'a', name: 'Ada', timezone: 'Europe/London' },
      { id: 'g', name: 'Grace', timezone: 'America/New_York' },
    ])
    assert.deepEqual(
      t.map((x) => x.time),
      ['Thu 15:00', 'Thu 10:00'],
    )
  })
  it('reads error sources', () => {
    assert.equal(sourceError('builtin'), null)
    assert.equal(sourceError('error: token expired'), 'token expired')
  })
})
