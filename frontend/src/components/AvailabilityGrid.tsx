import { useMemo, useState } from 'react'
import type { AvailabilityResponse, Slot } from '../api/scheduling'
import { formatDayHeading } from '../lib/format'
import {
  cellState,
  gridDays,
  inSlot,
  localTime,
  localTimes,
  sourceError,
  visibleHours,
  type GridCell,
  type Interval,
} from '../lib/schedule'
import '../schedule.css'

const stateLabel = {
  busy: 'busy',
  unknown: 'calendar unknown',
  working: 'working hours, free',
  off: 'outside working hours',
} as const

/**
 * Everyone's availability across the window in the viewer's zone: one row per
 * person, one cell per half hour of the hours anyone works. Working hours are
 * shaded, busy time is solid, unreadable calendars are hatched. Hovering a cell
 * shows each person's local time.
 */
export function AvailabilityGrid({
  result,
  window,
  zone,
  selected,
}: {
  result: AvailabilityResponse
  window: Interval
  zone: string
  selected: Slot | null
}) {
  const hours = useMemo(() => visibleHours(result.people, zone), [result.people, zone])
  const days = useMemo(() => gridDays(window, hours, zone, 30), [window, hours, zone])
  const [hover, setHover] = useState<GridCell | null>(null)

  const tooltip = (cell: GridCell) =>
    [
      `${localTime(cell.start, zone)} your time (${zone})`,
      ...localTimes(cell.start, result.people).map((p) => `${p.name}: ${p.time} (${p.timezone})`),
    ].join('\n')

  return (
    <div className="avail">
      <div className="avail-legend" aria-hidden="true">
        <span className="avail-key avail-working" /> Working hours, free
        <span className="avail-key avail-busy" /> Busy
        <span className="avail-key avail-unknown" /> Calendar could not be read
        <span className="avail-key avail-off" /> Outside working hours
        <span className="avail-key avail-key-selected" /> Chosen time
      </div>
      <div className="avail-readout" data-testid="avail-readout">
        {hover ? (
          <>
            <strong>{localTime(hover.start, zone)}</strong> <span className="muted">your time</span>
            {localTimes(hover.start, result.people).map((p) => (
              <span key={p.id} className="avail-readout-person">
                {p.name}: <strong>{p.time}</strong>
              </span>
            ))}
          </>
        ) : (
          <span className="muted">Hover over the grid to see everyone’s local time.</span>
        )}
      </div>
      <div className="avail-scroll" role="region" aria-label="Availability grid" tabIndex={0}>
        <table className="avail-table">
          <thead>
            <tr>
              <th scope="col" className="avail-name-head">
                Person
              </th>
              {days.map((d) => (
                <th key={d.date} scope="col" colSpan={d.cells.length} className="avail-day">
                  {formatDayHeading(new Date(d.cells[0]?.start ?? 0), zone).replace(/,? \d{4}$/, '')}
                </th>
              ))}
            </tr>
            <tr>
              <th scope="col" className="avail-name-head">
                <span className="sr-only">Time</span>
              </th>
              {days.map((d) =>
                d.cells.map((c, i) => (
                  <th key={c.start} scope="col" className={`avail-hour${i === 0 ? ' avail-daystart' : ''}`}>
                    {localTime(c.start, zone).endsWith(':00') ? localTime(c.start, zone).slice(-5, -3) : ''}
                  </th>
                )),
              )}
            </tr>
          </thead>
          <tbody>
            {result.people.map((p) => {
              const err = sourceError(result.sources[p.id])
              return (
                <tr key={p.id} data-testid="avail-row">
                  <th scope="row" className="avail-name">
                    <span className="avail-person">{p.name}</span>
                    <span className="avail-zone">
                      {p.timezone}
                      {p.optional ? ' · optional' : ''}
                    </span>
                    {err && (
                      <span className="avail-error" role="note">
                        Calendar not read: {err}
                      </span>
                    )}
                  </th>
                  {days.map((d) =>
                    d.cells.map((c, i) => {
                      const state = cellState(p, c)
                      const chosen = inSlot(c, selected)
                      return (
                        <td
                          key={c.start}
                          className={`avail-cell avail-${state}${chosen ? ' avail-selected' : ''}${i === 0 ? ' avail-daystart' : ''}`}
                          title={`${p.name}: ${stateLabel[state]}\n${tooltip(c)}`}
                          onMouseEnter={() => setHover(c)}
                        >
                          <span className="sr-only">
                            {localTime(c.start, zone)} {stateLabel[state]}
                          </span>
                        </td>
                      )
                    }),
                  )}
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </div>
  )
}
