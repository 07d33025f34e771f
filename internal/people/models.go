package people

import (
	"encoding/json"
	"fmt"
	"time"
)

// Level is one rung of the organization's ladder. Position is 1-based and
// gives the order from the first rung (e.g. engineer) upwards.
type Level struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	// PeopleCount counts everyone on the level, inactive people included,
	// because they too keep the level from being deleted.
	PeopleCount int `json:"people_count"`
}

// LevelInput is one entry of a ladder replacement: with an ID it renames or
// moves an existing level, without one it creates a level.
type LevelInput struct {
	ID   *string `json:"id,omitempty"`
	Name string  `json:"name"`
}

// Person is a person as the API shows them.
type Person struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Email        string   `json:"email"`
	Team         string   `json:"team"`
	Level        *string  `json:"level"`
	LevelID      *string  `json:"level_id"`
	ManagerID    *string  `json:"manager_id"`
	ManagerName  *string  `json:"manager_name"`
	Timezone     string   `json:"timezone"`
	WorkingHours string   `json:"working_hours"`
	CalendarID   string   `json:"calendar_id"`
	Systems      []string `json:"systems"`
	Active       bool     `json:"active"`
	// Times are UTC.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PersonRef is the short form other features embed (events, timelines).
type PersonRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Team     string `json:"team"`
	Timezone string `json:"timezone"`
}

// Ref returns the short form of p.
func (p Person) Ref() PersonRef {
	return PersonRef{ID: p.ID, Name: p.Name, Team: p.Team, Timezone: p.Timezone}
}

// PersonInput creates a person. Level is a level name; an empty or null
// level, manager_id or manager_email means none. Give the manager by
// manager_id or manager_email, not both.
type PersonInput struct {
	Name         string   `json:"name"`
	Email        string   `json:"email"`
	Team         string   `json:"team"`
	Level        *string  `json:"level"`
	ManagerID    *string  `json:"manager_id,omitempty"`
	ManagerEmail *string  `json:"manager_email,omitempty"`
	Timezone     string   `json:"timezone"`
	WorkingHours string   `json:"working_hours"`
	CalendarID   string   `json:"calendar_id,omitempty"`
	Systems      []string `json:"systems,omitempty"`
}

// PersonPatch changes the fields that are set and leaves the rest alone.
// Level and manager can be cleared, so they use Nullable to tell a JSON null
// (clear) from an absent field (keep). Active false deactivates the person.
type PersonPatch struct {
	Name         *string   `json:"name,omitempty"`
	Email        *string   `json:"email,omitempty"`
	Team         *string   `json:"team,omitempty"`
	Level        Nullable  `json:"level,omitzero"`
	ManagerID    Nullable  `json:"manager_id,omitzero"`
	ManagerEmail Nullable  `json:"manager_email,omitzero"`
	Timezone     *string   `json:"timezone,omitempty"`
	WorkingHours *string   `json:"working_hours,omitempty"`
	CalendarID   *string   `json:"calendar_id,omitempty"`
	Systems      *[]string `json:"systems,omitempty"`
	Active       *bool     `json:"active,omitempty"`
}

// Nullable is a PATCH field whose value can be cleared. Absent from the JSON
// (Set false) keeps the stored value; null (or "") clears it; a string sets
// it. encoding/json calls UnmarshalJSON for null too, which a plain *string
// cannot tell apart from absence.
type Nullable struct {
	Set   bool
	Value *string
}

// SetTo returns a Nullable that sets the value to s.
func SetTo(s string) Nullable { return Nullable{Set: true, Value: &s} }

// SetNull returns a Nullable that clears the value.
func SetNull() Nullable { return Nullable{Set: true} }

// UnmarshalJSON implements json.Unmarshaler.
func (n *Nullable) UnmarshalJSON(b []byte) error {
	n.Set = true
	n.Value = nil
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a string or null: %w", err)
	}
	n.Value = &s
	return nil
}

// MarshalJSON implements json.Marshaler.
func (n Nullable) MarshalJSON() ([]byte, error) {
	if n.Value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*n.Value)
}

// IsZero lets `omitzero` drop a field that was never set.
func (n Nullable) IsZero() bool { return !n.Set }

// value returns the set string, "" for null.
func (n Nullable) value() string {
	if n.Value == nil {
		return ""
	}
	return *n.Value
}

// ActiveFilter selects people by their active flag.
type ActiveFilter string

// Active filter values; the zero value means ActiveOnly.
const (
	ActiveOnly   ActiveFilter = "true"
	InactiveOnly ActiveFilter = "false"
	ActiveAll    ActiveFilter = "all"
)

// ListFilter is the query of a people list. Level is a level name (matched
// case-insensitively), Team an exact team name, Q a case-insensitive
// substring of name, email or team.
type ListFilter struct {
	Q      string
	Team   string
	Level  string
	Active ActiveFilter
	Limit  int
	Cursor string
}

// PersonList is one page of people.
type PersonList struct {
	Items      []Person `json:"items"`
	NextCursor string   `json:"next_cursor"`
}

// Team is a team name and how many active people are on it.
type Team struct {
	Name        string `json:"name"`
	PeopleCount int    `json:"people_count"`
}

// ImportReport says what a CSV import did (or, for a dry run, would do).
type ImportReport struct {
	DryRun    bool             `json:"dry_run"`
	Created   int              `json:"created"`
	Updated   int              `json:"updated"`
	Unchanged int              `json:"unchanged"`
	Errors    []ImportRowError `json:"errors"`
}

// ImportRowError is one problem with one row. Line is the 1-based line the
// record starts on (the header is line 1). A row may have several errors.
type ImportRowError struct {
	Line    int    `json:"line"`
	Email   string `json:"email"`
	Field   string `json:"field"`
	Message string `json:"message"`
}
