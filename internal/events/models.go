// Package events owns Debrief's events — the incidents, near misses and
// stretches of normal work worth learning from — together with their
// timelines, the people involved and the links that document them.
//
// The service decides who may see and change an event; storage code reads
// the people table directly (through a small struct of its own) so the
// package does not depend on the people feature.
package events

import (
	"time"

	"github.com/debrief-dev/debrief/internal/nullable"
)

// Kind is what sort of event this was.
type Kind string

// Event kinds. Near misses and normal work are first-class on purpose: the
// method learns from what went right as well as from outages.
const (
	KindIncident   Kind = "incident"
	KindNearMiss   Kind = "near_miss"
	KindSurprise   Kind = "surprise"
	KindNormalWork Kind = "normal_work"
	KindChange     Kind = "change"
	KindGameDay    Kind = "game_day"
)

// Kinds lists every event kind in a stable order.
func Kinds() []Kind {
	return []Kind{KindIncident, KindNearMiss, KindSurprise, KindNormalWork, KindChange, KindGameDay}
}

// Status is where an event is in its review.
type Status string

// Statuses in lifecycle order; the order drives allowed transitions.
const (
	StatusOpen      Status = "open"
	StatusGathering Status = "gathering"
	StatusAnalyzing Status = "analyzing"
	StatusReviewing Status = "reviewing"
	StatusPublished Status = "published"
	StatusClosed    Status = "closed"
)

// Statuses lists every status in lifecycle order.
func Statuses() []Status {
	return []Status{StatusOpen, StatusGathering, StatusAnalyzing, StatusReviewing, StatusPublished, StatusClosed}
}

// TimelineKind classifies a timeline entry.
type TimelineKind string

// Timeline entry kinds.
const (
	TimelineObservation   TimelineKind = "observation"
	TimelineAction        TimelineKind = "action"
	TimelineCommunication TimelineKind = "communication"
	TimelineHypothesis    TimelineKind = "hypothesis"
	TimelineDecision      TimelineKind = "decision"
)

// TimelineKinds lists every timeline entry kind.
func TimelineKinds() []TimelineKind {
	return []TimelineKind{TimelineObservation, TimelineAction, TimelineCommunication, TimelineHypothesis, TimelineDecision}
}

// Role is how a person was involved in an event.
type Role string

// Involvement roles.
const (
	RoleResponder         Role = "responder"
	RoleIncidentCommander Role = "incident_commander"
	RoleChangeAuthor      Role = "change_author"
	RoleOwner             Role = "owner"
	RoleNoticed           Role = "noticed"
	RoleAffected          Role = "affected"
	RoleExpert            Role = "expert"
	RoleNewcomer          Role = "newcomer"
	RoleOther             Role = "other"
)

// Roles lists every involvement role.
func Roles() []Role {
	return []Role{RoleResponder, RoleIncidentCommander, RoleChangeAuthor, RoleOwner, RoleNoticed,
		RoleAffected, RoleExpert, RoleNewcomer, RoleOther}
}

// ReferenceKind classifies a link attached to an event.
type ReferenceKind string

// Reference kinds.
const (
	RefChatLog     ReferenceKind = "chat_log"
	RefDashboard   ReferenceKind = "dashboard"
	RefPullRequest ReferenceKind = "pull_request"
	RefTicket      ReferenceKind = "ticket"
	RefDocument    ReferenceKind = "document"
	RefRecording   ReferenceKind = "recording"
	RefOther       ReferenceKind = "other"
)

// ReferenceKinds lists every reference kind.
func ReferenceKinds() []ReferenceKind {
	return []ReferenceKind{RefChatLog, RefDashboard, RefPullRequest, RefTicket, RefDocument, RefRecording, RefOther}
}

// Warning codes.
const (
	WarnInvestigatorWasResponder    = "investigator_was_responder"
	WarnInvestigatorManagesInvolved = "investigator_manages_involved"
)

// PersonRef is the short form of a person shown inside events.
type PersonRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Team     string `json:"team"`
	Timezone string `json:"timezone"`
}

// Warning points out something about an event that may limit what the
// review learns. Warnings are computed on every read, never stored, so they
// follow changes to involvements and reporting lines.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Counts says how much has been recorded on an event, for list views.
type Counts struct {
	Timeline     int `json:"timeline"`
	Involvements int `json:"involvements"`
	References   int `json:"references"`
}

// Event is an event as lists show it. Times are UTC.
type Event struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Kind      Kind       `json:"kind"`
	Status    Status     `json:"status"`
	StartedAt time.Time  `json:"started_at"`
	EndedAt   *time.Time `json:"ended_at"`
	Summary   string     `json:"summary"`
	// Severity is whatever scale the organization already uses. It is shown
	// on the event and deliberately never aggregated.
	Severity     string     `json:"severity"`
	Systems      []string   `json:"systems"`
	Investigator *PersonRef `json:"investigator"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Warnings     []Warning  `json:"warnings"`
	Counts       Counts     `json:"counts"`
}

// EventDetail is one event with everything recorded on it.
type EventDetail struct {
	Event
	Timeline     []TimelineEntry `json:"timeline"`
	Involvements []Involvement   `json:"involvements"`
	References   []Reference     `json:"references"`
	// AllowedStatuses are the statuses this caller may move the event to;
	// empty for callers who may only read it.
	AllowedStatuses []Status `json:"allowed_statuses"`
}

// EventInput creates an event. Times are RFC 3339 with any offset; they are
// kept as strings so a malformed value is reported against its field.
type EventInput struct {
	Title          string   `json:"title"`
	Kind           Kind     `json:"kind"`
	StartedAt      string   `json:"started_at"`
	EndedAt        string   `json:"ended_at,omitempty"`
	Summary        string   `json:"summary,omitempty"`
	Severity       string   `json:"severity,omitempty"`
	Systems        []string `json:"systems,omitempty"`
	InvestigatorID string   `json:"investigator_id,omitempty"`
}

// EventPatch changes some fields of an event; an absent field is left
// alone. null or an empty string clears ended_at and investigator_id; an
// empty list clears systems.
type EventPatch struct {
	Title          *string   `json:"title,omitempty"`
	Kind           *Kind     `json:"kind,omitempty"`
	StartedAt      *string   `json:"started_at,omitempty"`
	EndedAt        *string   `json:"ended_at,omitempty"`
	Summary        *string   `json:"summary,omitempty"`
	Severity       *string   `json:"severity,omitempty"`
	Systems        *[]string `json:"systems,omitempty"`
	InvestigatorID *string   `json:"investigator_id,omitempty"`
	Status         *Status   `json:"status,omitempty"`
}

// ListFilter narrows an event list. Empty fields do not filter. It has no
// JSON tags because it arrives as query parameters of the same names:
// kind, status, system, from, to, q.
type ListFilter struct {
	Kind   Kind
	Status Status
	// System matches one of the event's systems exactly, ignoring case.
	System string
	// From and To bound started_at: From inclusive, To exclusive. Each is
	// RFC 3339 or a date (YYYY-MM-DD, UTC); a date in To includes that
	// whole day.
	From string
	To   string
	// Q matches a substring of the title or summary, ignoring case.
	Q string
}

// EventList is one page of events.
type EventList struct {
	Items      []Event `json:"items"`
	NextCursor string  `json:"next_cursor"`
}

// System is a system name with how many visible events name it.
type System struct {
	Name        string `json:"name"`
	EventsCount int    `json:"events_count"`
}

// TimelineEntry is one moment in an event's timeline. Person is set when the
// actor is someone Debrief knows; otherwise Actor says who, in free text.
type TimelineEntry struct {
	ID         string       `json:"id"`
	OccurredAt time.Time    `json:"occurred_at"`
	Person     *PersonRef   `json:"person"`
	Actor      string       `json:"actor"`
	Body       string       `json:"body"`
	Kind       TimelineKind `json:"kind"`
	SourceURL  string       `json:"source_url"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// TimelineEntryInput adds a timeline entry. Give person_id or actor, not
// both; neither is allowed for moments whose actor is unknown.
type TimelineEntryInput struct {
	OccurredAt string       `json:"occurred_at"`
	PersonID   string       `json:"person_id,omitempty"`
	Actor      string       `json:"actor,omitempty"`
	Body       string       `json:"body"`
	Kind       TimelineKind `json:"kind"`
	SourceURL  string       `json:"source_url,omitempty"`
}

// TimelineEntryPatch changes some fields of a timeline entry. Setting a
// non-empty person_id clears actor and vice versa, so switching between the
// two takes one field.
type TimelineEntryPatch struct {
	OccurredAt *string       `json:"occurred_at,omitempty"`
	PersonID   *string       `json:"person_id,omitempty"`
	Actor      *string       `json:"actor,omitempty"`
	Body       *string       `json:"body,omitempty"`
	Kind       *TimelineKind `json:"kind,omitempty"`
	SourceURL  *string       `json:"source_url,omitempty"`
}

// Involvement records that a person took part in an event in some role.
type Involvement struct {
	ID        string    `json:"id"`
	Person    PersonRef `json:"person"`
	Role      Role      `json:"role"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// InvolvementInput adds an involvement.
type InvolvementInput struct {
	PersonID string `json:"person_id"`
	Role     Role   `json:"role"`
	Note     string `json:"note,omitempty"`
}

// InvolvementPatch changes an involvement's role or note.
type InvolvementPatch struct {
	Role *Role   `json:"role,omitempty"`
	Note *string `json:"note,omitempty"`
}

// Reference is a link documenting an event.
type Reference struct {
	ID        string        `json:"id"`
	URL       string        `json:"url"`
	Label     string        `json:"label"`
	Kind      ReferenceKind `json:"kind"`
	CreatedAt time.Time     `json:"created_at"`
}

// ReferenceInput adds a reference. An empty label becomes the URL's host.
type ReferenceInput struct {
	URL   string        `json:"url"`
	Label string        `json:"label"`
	Kind  ReferenceKind `json:"kind"`
}

// ReferencePatch changes some fields of a reference.
type ReferencePatch struct {
	URL   *string        `json:"url,omitempty"`
	Label *string        `json:"label,omitempty"`
	Kind  *ReferenceKind `json:"kind,omitempty"`
}

// UnmarshalJSON reads null as "" for the fields it clears: the contract
// clears with null, and a plain *string cannot tell null from absent.
func (p *EventPatch) UnmarshalJSON(b []byte) error {
	type plain EventPatch
	return nullable.DecodeClearable(b, (*plain)(p), "ended_at", "investigator_id")
}

// UnmarshalJSON reads a null person_id as "", which clears it.
func (p *TimelineEntryPatch) UnmarshalJSON(b []byte) error {
	type plain TimelineEntryPatch
	return nullable.DecodeClearable(b, (*plain)(p), "person_id")
}
