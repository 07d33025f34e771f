// Package calendar defines how Debrief talks to calendars: the Provider
// interface, the shared types, and the error classification that the
// booking jobs use to decide whether to retry, reconcile or give up.
// google/ and builtin/ implement it; calendartest/ is the fake Google.
package calendar

import (
	"context"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Interval is a half-open time range [Start, End).
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Availability is one calendar's free/busy answer. When Err is set the
// calendar could not be read and Busy means nothing: the person is
// unknown over the range, never free.
type Availability struct {
	Busy []Interval
	Err  error
}

// Response is an attendee's answer to an invitation.
type Response string

// Responses, as Google names them.
const (
	NeedsAction Response = "needsAction"
	Accepted    Response = "accepted"
	Declined    Response = "declined"
	Tentative   Response = "tentative"
)

// Attendee is one invited person.
type Attendee struct {
	Email    string
	Name     string
	Optional bool
	Response Response
}

// Event is a calendar event as Debrief writes and reads it.
type Event struct {
	// ID is the provider's event id; Debrief chooses it (EventID) so that
	// a retried insert cannot create a second event.
	ID          string
	BookingID   string
	Title       string
	Description string
	Start, End  time.Time
	// Organizer is the calendar the event lives on.
	Organizer string
	Attendees []Attendee
	// ConferenceRequestID asks for a video link; the same id on a retry
	// returns the same conference.
	ConferenceRequestID string
	MeetURL             string
	Sequence            int
	ETag                string
	// Status is "confirmed" or "cancelled".
	Status  string
	Updated time.Time
}

// Provider is a calendar back end.
type Provider interface {
	// Name is "google" or "builtin".
	Name() string
	// FreeBusy reads busy times for many calendars over [start, end). A
	// calendar that cannot be read has Err set; the call itself fails only
	// when nothing could be read.
	FreeBusy(ctx context.Context, calendars []string, start, end time.Time) (map[string]Availability, error)
	// Create inserts ev under ev.ID. If an event with that id exists it
	// returns an *Error of kind Exists.
	Create(ctx context.Context, ev Event) (Event, error)
	// Get reads an event by id.
	Get(ctx context.Context, organizer, id string) (Event, error)
	// Update replaces the event's details. When ev.ETag is set the write
	// is conditional and a changed event yields kind Precondition.
	Update(ctx context.Context, ev Event) (Event, error)
	// Cancel cancels the event and notifies attendees. Cancelling an event
	// that is already gone is not an error.
	Cancel(ctx context.Context, organizer, id string) error
	// Changes lists events changed since syncToken ("" for a full sync)
	// and returns the token for the next call. An expired token yields kind
	// Gone: the caller starts again with "".
	Changes(ctx context.Context, organizer, syncToken string) ([]Event, string, error)
}

// Kind classifies a provider error by what the caller should do.
type Kind int

// Error kinds.
const (
	// Permanent errors will fail again: bad input, no permission.
	Permanent Kind = iota
	// Retryable errors may pass later: rate limits, 5xx, timeouts, lost
	// replies.
	Retryable
	// Exists means an insert found the id taken: fetch and reconcile.
	Exists
	// Precondition means the event changed since it was read: refetch and
	// reapply.
	Precondition
	// NotFound means there is no such event.
	NotFound
	// Gone means a sync token expired: start a full sync.
	Gone
)

func (k Kind) String() string {
	switch k {
	case Retryable:
		return "retryable"
	case Exists:
		return "exists"
	case Precondition:
		return "precondition"
	case NotFound:
		return "not_found"
	case Gone:
		return "gone"
	}
	return "permanent"
}

// Error is a classified provider error.
type Error struct {
	Kind Kind
	// RetryAfter is the server's hint, when it gave one.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string { return fmt.Sprintf("calendar (%s): %v", e.Kind, e.Err) }

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err; an unclassified error is Permanent.
// Providers classify their own errors, and leave the caller's cancelled
// context unclassified: a job that is being stopped must not mark a
// booking failed, since its write may have been applied — check ctx.Err()
// before acting on Permanent.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Permanent
}

// eventIDEncoding is base32hex in lower case without padding: Google
// accepts event ids made of the characters a–v and 0–9.
var eventIDEncoding = base32.NewEncoding("0123456789abcdefghijklmnopqrstuv").WithPadding(base32.NoPadding)

// EventID derives the provider event id from a booking id. The same
// booking always gets the same id, which is what makes a retried insert
// safe: the second insert is refused as a duplicate instead of creating a
// second event.
func EventID(bookingID string) string {
	if u, err := uuid.Parse(bookingID); err == nil {
		return "dbf" + eventIDEncoding.EncodeToString(u[:])
	}
	return "dbf" + eventIDEncoding.EncodeToString([]byte(strings.ToLower(bookingID)))
}

// ConferenceRequestID is the fixed request id for a booking's video link,
// so that retries ask for the same conference.
func ConferenceRequestID(bookingID string) string { return "debrief-" + bookingID }
