// Package ics writes iCalendar (RFC 5545) objects for Debrief's built-in
// calendar: invitations sent as iTIP messages (RFC 5546, METHOD:REQUEST and
// METHOD:CANCEL) and per-person subscription feeds. It is pure: values in,
// bytes out, no clock and no I/O, so the same booking always renders the
// same bytes (which keeps HTTP caching and tests simple).
//
// Choices, and why:
//
//   - Times are written in UTC ("Z" form), never with TZID. Debrief books
//     single events, not recurring ones, so an instant is all a client
//     needs; it shows it in the reader's own zone either way. TZID would
//     require a VTIMEZONE block for every zone used, built from rules that
//     Go's time package does not expose, and a wrong VTIMEZONE shifts the
//     meeting silently, which is far worse than no zone at all. (TZID only
//     earns its keep for RRULEs that must follow a zone across DST.)
//   - Lines are folded at 75 octets, never inside a UTF-8 sequence, and end
//     with CRLF.
//   - Feeds carry no METHOD. METHOD marks an iTIP scheduling message, and
//     RFC 5546 forbids ATTENDEE in METHOD:PUBLISH; a feed is a plain
//     calendar that lists who is in each chat, which is valid RFC 5545 and
//     what subscription clients expect.
//   - Parameter values use RFC 6868 caret encoding, so a display name may
//     hold quotes or line breaks without corrupting the line.
//
// Parse is a strict reader for checking this package's output (tests, and
// tests elsewhere that fetch .ics over HTTP); it is not meant for arbitrary
// calendars from the wild.
package ics

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ProdID names the product that wrote a calendar (RFC 5545 §3.7.3).
const ProdID = "-//Debrief//Debrief calendar//EN"

// FeedRefresh is the polling interval a feed suggests to subscribers
// (REFRESH-INTERVAL, RFC 7986, and the older X-PUBLISHED-TTL). Chats are
// booked days ahead, so an hour keeps subscribers current without asking
// clients to poll a secret URL every few minutes; many clients poll less
// often whatever the feed says.
const FeedRefresh = time.Hour

// ErrInvalid matches (errors.Is) every error about input that cannot be
// written as a valid calendar.
var ErrInvalid = errors.New("ics: invalid calendar")

// ErrSyntax matches (errors.Is) every error from Parse.
var ErrSyntax = errors.New("ics: syntax error")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

func syntaxf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSyntax, fmt.Sprintf(format, args...))
}

// Method is the iTIP method of a calendar (RFC 5546 §1.4).
type Method string

// Methods Debrief sends. A feed has no method.
const (
	// Request invites attendees, and re-sent with a higher SEQUENCE it
	// updates the invitation they already have.
	Request Method = "REQUEST"
	// Cancel withdraws the event; it carries the same UID and a higher
	// SEQUENCE than the last REQUEST.
	Cancel Method = "CANCEL"
)

// Status is an event's STATUS.
type Status string

// Event statuses Debrief writes. The zero value means Confirmed.
const (
	Confirmed Status = "CONFIRMED"
	Cancelled Status = "CANCELLED"
)

// PartStat is an attendee's participation status (PARTSTAT).
type PartStat string

// Participation statuses. The zero value means NeedsAction.
const (
	NeedsAction PartStat = "NEEDS-ACTION"
	Accepted    PartStat = "ACCEPTED"
	Declined    PartStat = "DECLINED"
	Tentative   PartStat = "TENTATIVE"
)

// Address is a person as a calendar user: a display name (CN) and an email
// address, written as a mailto: URI.
type Address struct {
	Name  string
	Email string
}

// Attendee is one ATTENDEE of an event.
type Attendee struct {
	Address
	// Optional writes ROLE=OPT-PARTICIPANT instead of REQ-PARTICIPANT.
	Optional bool
	// PartStat defaults to NeedsAction.
	PartStat PartStat
	// RSVP asks the attendee's client to reply. Invitations set it; feeds
	// leave it off because a subscribed calendar cannot answer.
	RSVP bool
}

// Event is one VEVENT.
type Event struct {
	// UID identifies the event across every message about it; an update
	// or cancellation with a different UID would be a different event.
	UID string
	// Sequence is the revision: 0 for the first invitation, higher on
	// every update and on cancellation, so clients apply messages in
	// order and ignore stale ones.
	Sequence int
	// Stamp is DTSTAMP. Debrief uses the booking's last change, which is
	// when this revision of the invitation came into being, and keeps the
	// output stable for identical input.
	Stamp time.Time
	// Start and End are written in UTC with one-second precision.
	Start, End  time.Time
	Summary     string
	Description string
	// Location is free text; Debrief puts the video link here because it
	// is the field every client shows.
	Location string
	// URL must be an absolute http(s) URL when set.
	URL       string
	Organizer Address
	Attendees []Attendee
	// Status defaults to Confirmed.
	Status Status
	// LastModified is written when set.
	LastModified time.Time
}

// Calendar is one VCALENDAR.
type Calendar struct {
	// Method is empty for a feed.
	Method Method
	// Name is shown by subscription clients as the calendar's name (NAME
	// and X-WR-CALNAME); empty for invitations.
	Name string
	// RefreshInterval, when positive, suggests how often to poll a feed.
	RefreshInterval time.Duration
	// Events are written in this order.
	Events []Event
}

// Invitation renders an iTIP message for one event: Request for a new or
// updated invitation, Cancel to withdraw it. A zero Status is filled in
// from the method (Confirmed for Request, Cancelled for Cancel); a Status
// that contradicts the method is an error, because a REQUEST with
// STATUS:CANCELLED (or the reverse) is treated differently by different
// clients.
func Invitation(m Method, ev Event) ([]byte, error) {
	if ev.Status == "" {
		ev.Status = Confirmed
		if m == Cancel {
			ev.Status = Cancelled
		}
	}
	return Marshal(Calendar{Method: m, Events: []Event{ev}})
}

// Feed renders a subscription calendar named name holding events in the
// given order. Cancelled events belong in it for a while (STATUS:CANCELLED)
// so that subscribers that already have them drop them.
func Feed(name string, events []Event) ([]byte, error) {
	return Marshal(Calendar{Name: name, RefreshInterval: FeedRefresh, Events: events})
}

// Marshal renders c, or reports why it would not be valid.
func Marshal(c Calendar) ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	var w bytes.Buffer
	writeFolded(&w, "BEGIN:VCALENDAR")
	writeFolded(&w, "PRODID:"+escapeText(ProdID))
	writeFolded(&w, "VERSION:2.0")
	writeFolded(&w, "CALSCALE:GREGORIAN")
	if c.Method != "" {
		writeFolded(&w, "METHOD:"+string(c.Method))
	}
	if c.Name != "" {
		writeFolded(&w, "NAME:"+escapeText(c.Name))
		writeFolded(&w, "X-WR-CALNAME:"+escapeText(c.Name))
	}
	if c.RefreshInterval > 0 {
		d := formatDuration(c.RefreshInterval)
		writeFolded(&w, "REFRESH-INTERVAL;VALUE=DURATION:"+d)
		writeFolded(&w, "X-PUBLISHED-TTL:"+d)
	}
	for i := range c.Events {
		writeEvent(&w, &c.Events[i])
	}
	writeFolded(&w, "END:VCALENDAR")
	return w.Bytes(), nil
}

func writeEvent(w *bytes.Buffer, ev *Event) {
	status := ev.Status
	if status == "" {
		status = Confirmed
	}
	writeFolded(w, "BEGIN:VEVENT")
	writeFolded(w, "UID:"+escapeText(ev.UID))
	writeFolded(w, "SEQUENCE:"+strconv.Itoa(ev.Sequence))
	writeFolded(w, "DTSTAMP:"+formatTime(ev.Stamp))
	writeFolded(w, "DTSTART:"+formatTime(ev.Start))
	writeFolded(w, "DTEND:"+formatTime(ev.End))
	writeFolded(w, "SUMMARY:"+escapeText(ev.Summary))
	if ev.Description != "" {
		writeFolded(w, "DESCRIPTION:"+escapeText(ev.Description))
	}
	if ev.Location != "" {
		writeFolded(w, "LOCATION:"+escapeText(ev.Location))
	}
	if ev.URL != "" {
		// URI values are not TEXT: no backslash escaping.
		writeFolded(w, "URL:"+ev.URL)
	}
	if ev.Organizer.Email != "" {
		writeFolded(w, "ORGANIZER"+cn(ev.Organizer.Name)+":mailto:"+ev.Organizer.Email)
	}
	for _, a := range ev.Attendees {
		role, ps := "REQ-PARTICIPANT", a.PartStat
		if a.Optional {
			role = "OPT-PARTICIPANT"
		}
		if ps == "" {
			ps = NeedsAction
		}
		line := "ATTENDEE" + cn(a.Name) + ";ROLE=" + role + ";PARTSTAT=" + string(ps)
		if a.RSVP {
			line += ";RSVP=TRUE"
		}
		writeFolded(w, line+":mailto:"+a.Email)
	}
	writeFolded(w, "STATUS:"+string(status))
	// A cancelled event that lingers in a feed must not block the
	// subscriber's time in clients that still show it.
	if status == Cancelled {
		writeFolded(w, "TRANSP:TRANSPARENT")
	} else {
		writeFolded(w, "TRANSP:OPAQUE")
	}
	if !ev.LastModified.IsZero() {
		writeFolded(w, "LAST-MODIFIED:"+formatTime(ev.LastModified))
	}
	writeFolded(w, "END:VEVENT")
}

// cn is the CN parameter, left out when nothing of the name survives
// encoding (an empty CN= would show as a blank name in some clients).
func cn(name string) string {
	v := paramValue(name)
	if v == "" {
		return ""
	}
	return ";CN=" + v
}

// formatTime writes a UTC DATE-TIME (RFC 5545 §3.3.5, form #2).
func formatTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// formatDuration writes a positive duration in whole seconds in the
// simplest RFC 5545 form. It never mixes hours and seconds without
// minutes, which the grammar does not allow (PT1H5S is invalid).
func formatDuration(d time.Duration) string {
	s := int64(d / time.Second)
	switch {
	case s%3600 == 0:
		return "PT" + strconv.FormatInt(s/3600, 10) + "H"
	case s%60 == 0:
		return "PT" + strconv.FormatInt(s/60, 10) + "M"
	}
	return "PT" + strconv.FormatInt(s, 10) + "S"
}

func (c *Calendar) validate() error {
	switch c.Method {
	case "", Request, Cancel:
	default:
		return invalidf("unknown method %q", c.Method)
	}
	if c.RefreshInterval < 0 || (c.RefreshInterval > 0 && c.RefreshInterval < time.Second) {
		return invalidf("refresh interval %v is not a positive number of seconds", c.RefreshInterval)
	}
	if c.Method != "" {
		// An iTIP message is about one event; several VEVENTs would only
		// be instances of one recurring event, which Debrief never books.
		if len(c.Events) != 1 {
			return invalidf("a %s holds exactly one event, not %d", c.Method, len(c.Events))
		}
	}
	seen := make(map[string]bool, len(c.Events))
	for i := range c.Events {
		ev := &c.Events[i]
		if err := ev.validate(c.Method); err != nil {
			return err
		}
		if seen[ev.UID] {
			return invalidf("event UID %q appears twice", ev.UID)
		}
		seen[ev.UID] = true
	}
	return nil
}

func (ev *Event) validate(m Method) error {
	if ev.UID == "" {
		return invalidf("an event has no UID")
	}
	if hasControl(ev.UID) || !utf8.ValidString(ev.UID) {
		return invalidf("event UID %q holds control characters or invalid UTF-8", ev.UID)
	}
	fail := func(format string, args ...any) error {
		return invalidf("event %q: %s", ev.UID, fmt.Sprintf(format, args...))
	}
	if ev.Sequence < 0 {
		return fail("sequence %d is negative", ev.Sequence)
	}
	for _, t := range []struct {
		name     string
		t        time.Time
		optional bool
	}{{"stamp", ev.Stamp, false}, {"start", ev.Start, false}, {"end", ev.End, false}, {"last modified", ev.LastModified, true}} {
		if t.t.IsZero() {
			if t.optional {
				continue
			}
			return fail("%s time is missing", t.name)
		}
		// DATE-TIME has four year digits.
		if y := t.t.UTC().Year(); y < 1 || y > 9999 {
			return fail("%s time %v is out of range", t.name, t.t)
		}
	}
	// Compare what is written: sub-second parts are dropped.
	if !ev.End.Truncate(time.Second).After(ev.Start.Truncate(time.Second)) {
		return fail("end %v is not after start %v", ev.End, ev.Start)
	}
	switch ev.Status {
	case "", Confirmed:
		if m == Cancel {
			return fail("a CANCEL must have status CANCELLED")
		}
	case Cancelled:
		if m == Request {
			return fail("a REQUEST cannot have status CANCELLED; send a CANCEL")
		}
	default:
		return fail("unknown status %q", ev.Status)
	}
	if ev.URL != "" {
		if err := checkURL(ev.URL); err != nil {
			return fail("%v", err)
		}
	}
	if ev.Organizer.Email != "" {
		if err := checkEmail(ev.Organizer.Email); err != nil {
			return fail("organizer: %v", err)
		}
	}
	for i, a := range ev.Attendees {
		if err := checkEmail(a.Email); err != nil {
			return fail("attendee %d: %v", i, err)
		}
		switch a.PartStat {
		case "", NeedsAction, Accepted, Declined, Tentative:
		default:
			return fail("attendee %d: unknown participation status %q", i, a.PartStat)
		}
	}
	if m != "" {
		// RFC 5546 §3.2.2 and §3.2.5: both need the organizer, and the
		// attendees are who the message is for.
		if ev.Organizer.Email == "" {
			return fail("a %s needs an organizer", m)
		}
		if len(ev.Attendees) == 0 {
			return fail("a %s needs at least one attendee", m)
		}
	}
	return nil
}

// checkEmail accepts what can follow "mailto:" on a content line without
// escaping: iCalendar does not escape URI values, so anything that could
// end the line or the value is refused rather than written.
func checkEmail(s string) error {
	if s == "" {
		return errors.New("email is missing")
	}
	if !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n\"<>:;,") || hasControl(s) {
		return fmt.Errorf("email %q holds characters a calendar address cannot", s)
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return fmt.Errorf("email %q is not an address", s)
	}
	return nil
}

func checkURL(s string) error {
	if !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n\"") || hasControl(s) {
		return fmt.Errorf("URL %q holds characters a URI cannot", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("URL %q: %w", s, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("URL %q is not an absolute http(s) URL", s)
	}
	return nil
}
