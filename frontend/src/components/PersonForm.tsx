import { useMemo, useState, type SyntheticEvent } from 'react'
import { api, toApiError, type ApiError } from '../api/client'
import type { Person, PersonInput, PersonRef } from '../api/types'
import { splitList } from '../lib/format'
import { useLoad } from '../lib/hooks'
import { browserTimeZone } from '../lib/time'
import { PersonPicker } from './PersonPicker'
import { ErrorCallout, Field } from './ui'

const shown = [
  'name',
  'email',
  'team',
  'level',
  'manager_id',
  'manager_email',
  'timezone',
  'working_hours',
  'calendar_id',
  'systems',
]

export const WORKING_HOURS_HINT =
  'Days and local hours, e.g. “mon-fri 09:00-17:00” or “mon-thu 08:00-16:00, fri 08:00-12:00”.'

/** All IANA zones the browser knows, grouped by region for the select. */
function zoneGroups(extra: string): Array<[string, string[]]> {
  let zones: string[] = []
  try {
    zones = Intl.supportedValuesOf('timeZone')
  } catch {
    zones = []
  }
  const all = new Set(zones)
  all.add('UTC')
  if (extra) all.add(extra)
  const groups = new Map<string, string[]>()
  for (const z of [...all].sort()) {
    const region = z.includes('/') ? z.slice(0, z.indexOf('/')) : 'Other'
    const list = groups.get(region) ?? []
    list.push(z)
    groups.set(region, list)
  }
  return [...groups.entries()]
}

export function TimeZoneSelect({
  value,
  onChange,
  ...rest
}: {
  value: string
  onChange: (zone: string) => void
  id: string
  'aria-describedby'?: string
  'aria-invalid'?: true
}) {
  const groups = useMemo(() => zoneGroups(value), [value])
  return (
    <select {...rest} name="timezone" value={value} onChange={(e) => onChange(e.target.value)}>
      {groups.map(([region, zones]) => (
        <optgroup key={region} label={region}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  )
}

/** Add or edit a person. */
export function PersonForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: Person
  submitLabel: string
  onSubmit: (input: PersonInput) => Promise<void>
  onCancel: () => void
}) {
  const [name, setName] = useState(initial?.name ?? '')
  const [email, setEmail] = useState(initial?.email ?? '')
  const [team, setTeam] = useState(initial?.team ?? '')
  const [level, setLevel] = useState(initial?.level ?? '')
  const [manager, setManager] = useState<PersonRef | null>(
    initial?.manager_id
      ? { id: initial.manager_id, name: initial.manager_name ?? 'Manager', team: '', timezone: '' }
      : null,
  )
  const [timezone, setTimezone] = useState(initial?.timezone ?? browserTimeZone())
  const [hours, setHours] = useState(initial?.working_hours ?? 'mon-fri 09:00-17:00')
  const [calendarId, setCalendarId] = useState(initial?.calendar_id ?? '')
  const [systems, setSystems] = useState((initial?.systems ?? []).join(', '))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [local, setLocal] = useState<Record<string, string>>({})

  const levels = useLoad('levels', (signal) => api.get('/api/v1/settings/levels', { signal }))
  const teams = useLoad('teams', (signal) => api.get('/api/v1/teams', { signal }))

  const submit = (e: SyntheticEvent) => {
    e.preventDefault()
    const errs: Record<string, string> = {}
    if (!name.trim()) errs.name = 'Enter their name.'
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) errs.email = 'Enter an email address like name@example.com.'
    if (initial && manager?.id === initial.id) errs.manager_id = 'A person cannot be their own manager.'
    setLocal(errs)
    if (Object.keys(errs).length > 0) return
    setBusy(true)
    setError(null)
    onSubmit({
      name: name.trim(),
      email: email.trim(),
      team: team.trim(),
      level: level || null,
      manager_id: manager?.id ?? null,
      timezone,
      working_hours: hours.trim(),
      calendar_id: calendarId.trim(),
      systems: splitList(systems),
    }).catch((err: unknown) => {
      setBusy(false)
      setError(toApiError(err))
    })
  }
  const fe = (n: string) => local[n] ?? error?.field(n)

  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorCallout error={error} shownFields={shown} />
      <div className="form-row">
        <Field label="Name" required error={fe('name')}>
          {(p) => <input {...p} name="name" autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Email" required error={fe('email')}>
          {(p) => <input {...p} type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Team" error={fe('team')}>
          {(p) => (
            <>
              <input {...p} name="team" list="team-options" value={team} onChange={(e) => setTeam(e.target.value)} />
              <datalist id="team-options">
                {(teams.data?.items ?? []).map((t) => (
                  <option key={t.name} value={t.name} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          label="Level"
          error={fe('level')}
          hint={levels.data?.items.length === 0 ? 'Admins set up the level ladder under Settings.' : undefined}
        >
          {(p) => (
            <select {...p} name="level" value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">No level</option>
              {(levels.data?.items ?? []).map((l) => (
                <option key={l.id} value={l.name}>
                  {l.name}
                </option>
              ))}
              {level && levels.data && !levels.data.items.some((l) => l.name === level) && (
                <option value={level}>{level}</option>
              )}
            </select>
          )}
        </Field>
      </div>
      <Field label="Manager" error={fe('manager_id') ?? fe('manager_email')}>
        {(p) => (
          <PersonPicker
            control={p}
            value={manager}
            onChange={setManager}
            excludeIds={initial ? [initial.id] : []}
            placeholder="Search for their manager"
          />
        )}
      </Field>
      <div className="form-row">
        <Field
          label="Time zone"
          required
          error={fe('timezone')}
          hint="Chats are proposed in their working hours, in this zone."
        >
          {(p) => <TimeZoneSelect {...p} value={timezone} onChange={setTimezone} />}
        </Field>
        <Field label="Working hours" error={fe('working_hours')} hint={WORKING_HOURS_HINT}>
          {(p) => (
            <input
              {...p}
              name="working_hours"
              placeholder="mon-fri 09:00-17:00"
              value={hours}
              onChange={(e) => setHours(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Systems they know" error={fe('systems')} hint="Separate with commas.">
          {(p) => <input {...p} name="systems" value={systems} onChange={(e) => setSystems(e.target.value)} />}
        </Field>
        <Field label="Calendar id" error={fe('calendar_id')} hint="Leave empty to use their email.">
          {(p) => (
            <input {...p} name="calendar_id" value={calendarId} onChange={(e) => setCalendarId(e.target.value)} />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  )
}
