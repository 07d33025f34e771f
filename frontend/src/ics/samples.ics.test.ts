// The built-in calendar's .ics output, read by a real outside parser (ical.js).
//
// The Go test TestExportSamples (internal/calendar/builtin) writes one of each
// kind of file Debrief serves — request.ics, update.ics, cancel.ics,
// tricky.ics (quotes, commas, emoji, CJK, RFC 6868 parameters) and feed.ics —
// plus manifest.json with what each must contain, taken from the inputs. This
// test parses every .ics file there and compares. Run both with `npm run
// test:ics` after generating the samples:
//
//   dir=$(mktemp -d)
//   DEBRIEF_ICS_SAMPLES_DIR=$dir go test -run TestExportSamples ./internal/calendar/builtin
//   cd frontend && DEBRIEF_ICS_SAMPLES_DIR=$dir npm run test:ics
//
// Without DEBRIEF_ICS_SAMPLES_DIR the test is skipped on a developer machine
// and fails in CI (CI set), so CI cannot pass without checking the files.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import ICAL from 'ical.js'

interface Person {
  name: string
  email: string
  role?: string
  partstat?: string
}

interface SampleEvent {
  uid: string
  sequence: number
  status: string
  summary: string
  description: string
  start: string
  end: string
  organizer: Person
  attendees: Person[]
}

interface Sample {
  file: string
  method: string
  name?: string
  events: SampleEvent[]
}

const dir = process.env.DEBRIEF_ICS_SAMPLES_DIR ?? ''
const inCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0'
const HOW = 'dir=$(mktemp -d); DEBRIEF_ICS_SAMPLES_DIR=$dir go test -run TestExportSamples ./internal/calendar/builtin'

const text = (v: unknown): string => {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  // ical.js values (Time, Duration, …) print themselves in iCalendar form.
  return (v as { toString(): string }).toString()
}
const param = (p: ICAL.Property, name: string): string => text(p.getParameter(name))
const utc = (t: unknown): string => {
  assert.ok(t instanceof ICAL.Time, 'a date-time value')
  return t.toJSDate().toISOString()
}

describe('.ics samples parsed by ical.js', () => {
  if (!dir) {
    it(
      'needs DEBRIEF_ICS_SAMPLES_DIR',
      { skip: inCI ? false : `DEBRIEF_ICS_SAMPLES_DIR is not set; generate samples with: ${HOW}` },
      () => {
        assert.fail(`DEBRIEF_ICS_SAMPLES_DIR is not set. CI must generate the samples first: ${HOW}`)
      },
    )
    return
  }

  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Sample[]

  it('has a manifest entry for every .ics file, and a file for every entry', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ics'))
      .sort()
    assert.deepEqual(files, manifest.map((m) => m.file).sort())
    for (const want of ['request.ics', 'update.ics', 'cancel.ics', 'tricky.ics', 'feed.ics']) {
      assert.ok(files.includes(want), `${want} is among the samples`)
    }
  })

  for (const sample of manifest) {
    describe(sample.file, () => {
      const raw = readFileSync(join(dir, sample.file), 'utf8')
      let cal: ICAL.Component

      it('is well-formed: CRLF line ends, lines folded at 75 octets', () => {
        assert.ok(raw.endsWith('\r\n'), 'ends with CRLF')
        const lines = raw.slice(0, -2).split('\r\n')
        for (const [i, line] of lines.entries()) {
          assert.ok(!line.includes('\n'), `line ${String(i + 1)} has a bare LF`)
          assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line ${String(i + 1)} is longer than 75 octets`)
        }
      })

      it('parses as one VCALENDAR with the expected method', () => {
        cal = new ICAL.Component(ICAL.parse(raw) as unknown[])
        assert.equal(cal.name, 'vcalendar')
        assert.equal(text(cal.getFirstPropertyValue('version')), '2.0')
        assert.ok(text(cal.getFirstPropertyValue('prodid')), 'has a PRODID')
        assert.equal(text(cal.getFirstPropertyValue('method')), sample.method, 'METHOD')
        if (sample.name) assert.equal(text(cal.getFirstPropertyValue('x-wr-calname')), sample.name, 'X-WR-CALNAME')
        assert.equal(cal.getAllSubcomponents('vevent').length, sample.events.length, 'number of VEVENTs')
      })

      sample.events.forEach((want, i) => {
        it(`event ${String(i + 1)}: ${want.summary}`, () => {
          const ve = cal.getAllSubcomponents('vevent')[i]
          assert.ok(ve, 'the event is there')
          const ev = new ICAL.Event(ve)
          assert.equal(ev.uid, want.uid, 'UID')
          assert.equal(ev.sequence, want.sequence, 'SEQUENCE')
          assert.equal(text(ve.getFirstPropertyValue('status')), want.status, 'STATUS')
          assert.equal(ev.summary, want.summary, 'SUMMARY')
          assert.equal(ev.description, want.description, 'DESCRIPTION')
          assert.equal(utc(ve.getFirstPropertyValue('dtstart')), new Date(want.start).toISOString(), 'DTSTART')
          assert.equal(utc(ve.getFirstPropertyValue('dtend')), new Date(want.end).toISOString(), 'DTEND')
          assert.ok(ve.getFirstPropertyValue('dtstamp'), 'has a DTSTAMP')

          const org = ve.getFirstProperty('organizer')
          assert.ok(org, 'has an ORGANIZER')
          assert.equal(text(org.getFirstValue()).toLowerCase(), `mailto:${want.organizer.email}`, 'ORGANIZER address')
          assert.equal(param(org, 'cn'), want.organizer.name, 'ORGANIZER CN')

          const attendees = ve.getAllProperties('attendee')
          assert.equal(attendees.length, want.attendees.length, 'number of ATTENDEEs')
          want.attendees.forEach((a, j) => {
            const got = attendees[j]!
            const who = `attendee ${String(j + 1)}`
            assert.equal(text(got.getFirstValue()).toLowerCase(), `mailto:${a.email}`, `${who} address`)
            assert.equal(param(got, 'cn'), a.name, `${who} CN`)
            assert.equal(param(got, 'role'), a.role ?? 'REQ-PARTICIPANT', `${who} ROLE`)
            assert.equal(param(got, 'partstat'), a.partstat ?? 'NEEDS-ACTION', `${who} PARTSTAT`)
          })
        })
      })
    })
  }
})
