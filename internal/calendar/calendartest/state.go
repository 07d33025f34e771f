package calendartest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	calendar "google.golang.org/api/calendar/v3"
)

// stateVersion is written into the state file. A file with another version
// is refused, so an old file can never be half understood.
const stateVersion = 1

// Interval is a busy period [Start, End).
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// state is everything the fake must keep across its own restarts. It is the
// JSON document stored at Options.StatePath.
type state struct {
	Version int `json:"version"`
	// Rev counts changes server-wide. Each change takes the next value: it
	// orders events for sync tokens and makes each etag unique.
	Rev int64 `json:"rev"`
	// Seq numbers generated event ids and access tokens.
	Seq       int64                     `json:"seq"`
	Calendars map[string]*calendarState `json:"calendars"`
	// Tokens maps the access tokens handed out by /token to the user they
	// act as (the JWT sub claim), so "primary" can be resolved.
	Tokens map[string]string `json:"tokens,omitempty"`
}

type calendarState struct {
	Events map[string]*storedEvent `json:"events"`
	// SyncEpoch is written into sync tokens; ExpireSyncTokens moves it on,
	// which makes every older token 410 while new ones work at once.
	SyncEpoch int64 `json:"syncEpoch,omitempty"`
	// Busy holds busy periods seeded by tests (SetBusy), on top of events.
	Busy []Interval `json:"busy,omitempty"`
	// Error, when set, is the reason freeBusy reports for this calendar.
	Error string `json:"error,omitempty"`
}

type storedEvent struct {
	Event *calendar.Event `json:"event"`
	// Rev is the server revision of the event's last change.
	Rev int64 `json:"rev"`
	// ConfRequestID is the requestId of the conference create request that
	// produced the current conference, for idempotent re-sends.
	ConfRequestID string `json:"confRequestId,omitempty"`
	// ConfReadyAt is when a pending conference becomes ready.
	ConfReadyAt time.Time `json:"confReadyAt,omitzero"`
}

func newState() *state {
	return &state{Version: stateVersion, Calendars: map[string]*calendarState{}, Tokens: map[string]string{}}
}

func (st *state) calendar(id string) *calendarState {
	c := st.Calendars[id]
	if c == nil {
		c = &calendarState{Events: map[string]*storedEvent{}}
		st.Calendars[id] = c
	}
	return c
}

// lookupCalendar does not create the calendar, so reads leave no trace.
func (st *state) lookupCalendar(id string) *calendarState {
	return st.Calendars[id]
}

func loadState(path string) (*state, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("calendartest: read state: %w", err)
	}
	st := newState()
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("calendartest: parse state %s: %w", path, err)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("calendartest: state %s has version %d, want %d", path, st.Version, stateVersion)
	}
	if st.Calendars == nil {
		st.Calendars = map[string]*calendarState{}
	}
	if st.Tokens == nil {
		st.Tokens = map[string]string{}
	}
	for _, c := range st.Calendars {
		if c.Events == nil {
			c.Events = map[string]*storedEvent{}
		}
	}
	return st, nil
}

// writeFileAtomic writes through a temporary file and a rename, so a reader
// (or a fake started later) never sees half a file.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Attendee is an event attendee as stored by the fake.
type Attendee struct {
	Email          string `json:"email"`
	Optional       bool   `json:"optional,omitempty"`
	ResponseStatus string `json:"responseStatus"`
}

// Event is a snapshot of one stored event, for assertions.
type Event struct {
	CalendarID string    `json:"calendarId"`
	ID         string    `json:"id"`
	Status     string    `json:"status"`
	ETag       string    `json:"etag"`
	Sequence   int64     `json:"sequence"`
	Summary    string    `json:"summary,omitempty"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	// Attendees in the order the client sent them.
	Attendees []Attendee `json:"attendees,omitempty"`
	// Private is extendedProperties.private.
	Private map[string]string `json:"private,omitempty"`
	// ConferenceStatus is "", "pending", "success" or "failure".
	ConferenceStatus string `json:"conferenceStatus,omitempty"`
	MeetURI          string `json:"meetUri,omitempty"`
	// Resource is a copy of the whole event as the API would return it.
	Resource *calendar.Event `json:"resource"`
}

func snapshot(calID string, se *storedEvent) Event {
	ev := cloneEvent(se.Event)
	out := Event{
		CalendarID: calID,
		ID:         ev.Id,
		Status:     ev.Status,
		ETag:       ev.Etag,
		Sequence:   ev.Sequence,
		Summary:    ev.Summary,
		Resource:   ev,
	}
	out.Start, out.End, _ = eventTimes(ev)
	for _, a := range ev.Attendees {
		if a == nil {
			continue
		}
		out.Attendees = append(out.Attendees, Attendee{Email: a.Email, Optional: a.Optional, ResponseStatus: a.ResponseStatus})
	}
	if ev.ExtendedProperties != nil && len(ev.ExtendedProperties.Private) > 0 {
		out.Private = map[string]string{}
		for k, v := range ev.ExtendedProperties.Private {
			out.Private[k] = v
		}
	}
	if cd := ev.ConferenceData; cd != nil {
		if cd.CreateRequest != nil && cd.CreateRequest.Status != nil {
			out.ConferenceStatus = cd.CreateRequest.Status.StatusCode
		}
		for _, ep := range cd.EntryPoints {
			if ep != nil && ep.EntryPointType == "video" {
				out.MeetURI = ep.Uri
			}
		}
	}
	return out
}

// cloneEvent deep-copies an event through JSON, which is how it travels
// anyway; a failure is impossible for a value that came from JSON, and
// falls back to a shallow copy rather than losing the event.
func cloneEvent(ev *calendar.Event) *calendar.Event {
	b, err := json.Marshal(ev)
	if err != nil {
		c := *ev
		return &c
	}
	out := new(calendar.Event)
	if err := json.Unmarshal(b, out); err != nil {
		c := *ev
		return &c
	}
	return out
}

// eventsOf lists snapshots of one calendar's events, or of every calendar's
// when calID is empty, ordered by calendar, start and id.
func (st *state) eventsOf(calID string) []Event {
	var out []Event
	for id, c := range st.Calendars {
		if calID != "" && id != calID {
			continue
		}
		for _, se := range c.Events {
			out = append(out, snapshot(id, se))
		}
	}
	sortEvents(out)
	return out
}

func sortEvents(evs []Event) {
	sort.Slice(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.CalendarID != b.CalendarID {
			return a.CalendarID < b.CalendarID
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.ID < b.ID
	})
}

// ReadStateFile reads the events of a state file written by a Server with
// Options.StatePath, for tests that run the fake as another process. It
// sees what that process last wrote: every reply to a change is sent after
// the file is written.
func ReadStateFile(path string) ([]Event, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("calendartest: %w", err)
	}
	st, err := loadState(path)
	if err != nil {
		return nil, err
	}
	return st.eventsOf(""), nil
}

// CountByExtendedProperty counts events in evs that are not cancelled and
// whose extendedProperties.private[key] is value.
func CountByExtendedProperty(evs []Event, key, value string) int {
	n := 0
	for _, e := range evs {
		if e.Status != "cancelled" && e.Private != nil {
			if v, ok := e.Private[key]; ok && v == value {
				n++
			}
		}
	}
	return n
}

func sameEmail(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
