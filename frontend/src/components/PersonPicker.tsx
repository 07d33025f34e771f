import { useId, useState, type KeyboardEvent } from 'react'
import { api } from '../api/client'
import type { PersonRef } from '../api/types'
import { useDebounced, useLoad } from '../lib/hooks'
import type { ControlProps } from './ui'

/**
 * Choose a person by typing part of a name, email or team. Arrow keys move,
 * Enter picks, Escape closes the list.
 */
export function PersonPicker({
  value,
  onChange,
  control,
  placeholder = 'Search people by name, email or team',
  excludeIds = [],
  autoFocus,
}: {
  value: PersonRef | null
  onChange: (person: PersonRef | null) => void
  control: ControlProps
  placeholder?: string
  excludeIds?: readonly string[]
  autoFocus?: boolean
}) {
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  // After "Change", put the cursor in the search field that replaces the choice.
  const [focusSearch, setFocusSearch] = useState(false)
  const q = useDebounced(text.trim(), 200)
  const listId = useId()
  const results = useLoad(open && !value ? `people?q=${q}` : null, (signal) =>
    api.get('/api/v1/people', { query: { q, limit: 8 }, signal }),
  )
  const options: PersonRef[] = (results.data?.items ?? [])
    .filter((p) => !excludeIds.includes(p.id))
    .map((p) => ({ id: p.id, name: p.name, team: p.team, timezone: p.timezone }))
  const activeIndex = Math.min(active, Math.max(0, options.length - 1))

  if (value) {
    const clear = () => {
      onChange(null)
      setText('')
      setOpen(true)
      setFocusSearch(true)
    }
    return (
      <div className="picked">
        <input
          {...control}
          type="text"
          readOnly
          className="picked-name"
          value={value.team ? `${value.name} · ${value.team}` : value.name}
          onKeyDown={(e) => {
            // Backspace or Delete clears the choice so the person can be searched again.
            if (e.key === 'Backspace' || e.key === 'Delete') {
              e.preventDefault()
              clear()
            }
          }}
        />
        <button type="button" className="btn btn-ghost btn-small" onClick={clear}>
          Change<span className="sr-only"> person</span>
        </button>
      </div>
    )
  }

  const pick = (p: PersonRef) => {
    onChange(p)
    setOpen(false)
    setText('')
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setOpen(true)
      setActive(Math.min(activeIndex + 1, options.length - 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive(Math.max(activeIndex - 1, 0))
    } else if (e.key === 'Enter') {
      const p = options[activeIndex]
      if (open && p) {
        e.preventDefault()
        pick(p)
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault()
        e.stopPropagation()
        setOpen(false)
      }
    }
  }

  const showList = open && (options.length > 0 || (!results.loading && results.data !== undefined))
  return (
    <div className="combobox">
      <input
        {...control}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && options[activeIndex] ? `${listId}-${String(activeIndex)}` : undefined}
        placeholder={placeholder}
        value={text}
        autoFocus={autoFocus || focusSearch}
        onChange={(e) => {
          setText(e.target.value)
          setOpen(true)
          setActive(0)
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <ul className="combobox-list" role="listbox" id={listId}>
          {options.length === 0 ? (
            <li className="combobox-empty">No one matches “{q}”.</li>
          ) : (
            options.map((p, i) => (
              <li
                key={p.id}
                id={`${listId}-${String(i)}`}
                role="option"
                aria-selected={i === activeIndex}
                className={i === activeIndex ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault()
                  pick(p)
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span>{p.name}</span>
                {p.team && <span className="muted small">{p.team}</span>}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  )
}
