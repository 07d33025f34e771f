// Package bookings owns Debrief's calendar bookings: the calendar side of a
// chat or a learning-team session, with its organizer, attendees and their
// answers, and its state on the calendar.
//
// Three rules shape the package:
//
//   - The database, not Go, guarantees that no person holds two active
//     bookings at overlapping times (booking_holds: an exclusion constraint
//     on PostgreSQL, triggers on SQLite). A clash is an apperr Conflict that
//     names who is double-booked and with what.
//   - Writes to an external calendar never happen inside a request. The
//     request changes the booking and, in the same transaction, enqueues a
//     job through the Enqueuer interface; the job calls Push, CancelRemote
//     or SyncResponses. So a booking and its job commit or vanish together.
//   - Every job method is idempotent: event ids are derived from booking
//     ids, an insert that finds the id taken reconciles instead of failing,
//     and results are written only if the booking did not change meanwhile.
//
// The package reads the people and events tables through small row types
// of its own rather than importing those features.
package bookings

import (
	"time"
)

// Kind is what the booking is for.
type Kind string

// Booking kinds.
const (
	KindChat    Kind = "chat"
	KindSession Kind = "session"
	KindOther   Kind = "other"
)

// Kinds lists every booking kind.
func Kinds() []Kind { return []Kind{KindChat, KindSession, KindOther} }

// Status is where a booking is on its calendar.
type Status string

// Statuses. pending: the calendar write is queued or running; confirmed:
// the calendar has it (built-in bookings are confirmed at once); failed:
// the calendar refused it or kept failing, see last_error and use Retry;
// canceled: the slot is free again; needs_attention: someone required
// declined, or the time became busy for them, see attention_reason.
const (
	StatusPending        Status = "pending"
	StatusConfirmed      Status = "confirmed"
	StatusFailed         Status = "failed"
	StatusCanceled       Status = "canceled"
	StatusNeedsAttention Status = "needs_attention"
)

// Statuses lists every status.
func Statuses() []Status {
	return []Status{StatusPending, StatusConfirmed, StatusFailed, StatusCanceled, StatusNeedsAttention}
}

// Provider names, as calendar.Provider.Name returns them.
const (
	ProviderGoogle  = "google"
	ProviderBuiltin = "builtin"
)

// Response is an attendee's answer, in Google's spelling.
type Response string

// Responses.
const (
	ResponseNeedsAction Response = "needsAction"
	ResponseAccepted    Response = "accepted"
	ResponseDeclined    Response = "declined"
	ResponseTentative   Response = "tentative"
)

// Limits from the issue and the product: a booking is a conversation, not
// an all-day block, and an invitation to more than 50 people is a broadcast.
const (
	MinDuration  = 10 * time.Minute
	MaxDuration  = 8 * time.Hour
	MaxAttendees = 50

	maxTitle       = 200
	maxDescription = 8000
)

// PersonRef is a person as a booking shows them.
type PersonRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Timezone string `json:"timezone"`
}

// Organizer is whose calendar the event lives on. ID is null when the
// organizer is a calendar that is not a person, such as the mailbox a
// Google service account acts as.
type Organizer struct {
	ID    *string `json:"id"`
	Name  string  `json:"name"`
	Email string  `json:"email"`
}

// Attendee is one invited person and their answer.
type Attendee struct {
	Person   PersonRef `json:"person"`
	Optional bool      `json:"optional"`
	Response Response  `json:"response"`
}

// Booking is a booking as the API shows it. Times are UTC.
type Booking struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	EventID     *string   `json:"event_id"`
	Kind        Kind      `json:"kind"`
	Provider    string    `json:"provider"`
	Organizer   Organizer `json:"organizer"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Status      Status    `json:"status"`
	// ExternalID is the provider's event id; empty until the first push
	// succeeds, and always empty for built-in bookings.
	ExternalID string `json:"external_id"`
	MeetURL    string `json:"meet_url"`
	// Sequence is the iCalendar SEQUENCE: it goes up with every change an
	// attendee's calendar must apply, including cancellation.
	Sequence int `json:"sequence"`
	// Attempts counts tries of the current calendar write.
	Attempts int `json:"attempts"`
	// LastError is a sentence for people about the last failed write.
	LastError string `json:"last_error"`
	// AttentionReason says why the booking needs attention.
	AttentionReason string     `json:"attention_reason"`
	Attendees       []Attendee `json:"attendees"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	CanceledAt      *time.Time `json:"canceled_at"`
	// ICSURL is where the built-in calendar serves the invitation; null
	// for Google bookings, whose invitations Google sends.
	ICSURL *string `json:"ics_url"`
}

// AttendeeInput invites one person.
type AttendeeInput struct {
	PersonID string `json:"person_id"`
	Optional bool   `json:"optional,omitempty"`
}

// Input creates a booking. Start and End are RFC 3339 with an offset, kept
// as strings so a malformed value is reported against its field. Give the
// organizer as organizer_person_id or organizer_email (a calendar that need
// not be a person); with neither, the configured default organizer, then
// the caller's own person, is used. Provider defaults to the configured
// default; Kind defaults to "other".
type Input struct {
	Title             string          `json:"title"`
	Description       string          `json:"description,omitempty"`
	Start             string          `json:"start"`
	End               string          `json:"end"`
	OrganizerPersonID string          `json:"organizer_person_id,omitempty"`
	OrganizerEmail    string          `json:"organizer_email,omitempty"`
	Attendees         []AttendeeInput `json:"attendees"`
	Provider          string          `json:"provider,omitempty"`
	EventID           string          `json:"event_id,omitempty"`
	Kind              Kind            `json:"kind,omitempty"`
}

// Patch changes a booking; absent fields are left alone. Attendees, when
// present, replaces the whole list (answers of people who stay are kept).
type Patch struct {
	Title       *string          `json:"title,omitempty"`
	Description *string          `json:"description,omitempty"`
	Start       *string          `json:"start,omitempty"`
	End         *string          `json:"end,omitempty"`
	Attendees   *[]AttendeeInput `json:"attendees,omitempty"`
}

// ListFilter narrows a booking list; empty fields do not filter. It arrives
// as query parameters of the same names: status, person_id (attendee or
// organizer), event_id, from, to. From and To select bookings that overlap
// [from, to); each is RFC 3339 or a UTC date (YYYY-MM-DD, a date in To
// including that whole day).
type ListFilter struct {
	Status   Status
	PersonID string
	EventID  string
	From     string
	To       string
}

// BookingList is one page of bookings, earliest start first.
type BookingList struct {
	Items      []Booking `json:"items"`
	NextCursor string    `json:"next_cursor"`
}

// FeedPerson is whose calendar feed a token opens.
type FeedPerson struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Timezone string `json:"timezone"`
}

// ICSPath is where the HTTP layer serves a built-in booking's invitation.
func ICSPath(bookingID string) string { return "/api/v1/bookings/" + bookingID + "/invite.ics" }
