package bookingstest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
)

// Operation names for faults and call counts.
const (
	OpFreeBusy = "freebusy"
	OpCreate   = "create"
	OpGet      = "get"
	OpUpdate   = "update"
	OpCancel   = "cancel"
	OpChanges  = "changes"
)

// Provider is an in-memory calendar.Provider that behaves like Google in
// the ways the booking jobs care about: client-chosen ids (a reused id is
// kind Exists, even for a cancelled event), etags checked on update
// (Precondition), cancelled events still readable, sync tokens that can be
// expired (Gone), and free/busy merged over overlapping and touching
// blocks. Faults are scripted per operation. It is safe for concurrent use.
type Provider struct {
	name string

	mu       sync.Mutex
	events   map[string]*stored // organizer|id
	version  int
	minToken int
	busy     map[string][]calendar.Interval
	faults   map[string][]error
	lost     map[string]int
	calls    map[string]int
	meetBase string
}

type stored struct {
	ev      calendar.Event
	changed int
}

// NewProvider returns an empty calendar that calls itself name ("google"
// for the bookings service to use it as Google).
func NewProvider(name string) *Provider {
	return &Provider{
		name: name, events: map[string]*stored{}, busy: map[string][]calendar.Interval{},
		faults: map[string][]error{}, lost: map[string]int{}, calls: map[string]int{},
		meetBase: "https://meet.example.test/",
	}
}

func key(organizer, id string) string { return strings.ToLower(organizer) + "|" + id }

// Fail makes the next calls of op fail with errs, one each, in order.
func (p *Provider) Fail(op string, errs ...error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults[op] = append(p.faults[op], errs...)
}

// LoseReply makes the next n calls of op apply their change and then fail
// with a Retryable error, as when a reply is lost on the way back.
func (p *Provider) LoseReply(op string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lost[op] += n
}

// Calls reports how many times op was called.
func (p *Provider) Calls(op string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[op]
}

// SetBusy seeds busy time on a calendar, besides its events.
func (p *Provider) SetBusy(cal string, ivs ...calendar.Interval) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.busy[strings.ToLower(cal)] = append(p.busy[strings.ToLower(cal)], ivs...)
}

// Respond records an attendee's answer, as if they clicked in their
// calendar. It reports whether the event and attendee exist.
func (p *Provider) Respond(organizer, id, email string, r calendar.Response) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.events[key(organizer, id)]
	if !ok {
		return false
	}
	for i, a := range s.ev.Attendees {
		if strings.EqualFold(a.Email, email) {
			s.ev.Attendees[i].Response = r
			p.touchLocked(s)
			return true
		}
	}
	return false
}

// Delete cancels an event behind Debrief's back, as a person could in
// their calendar.
func (p *Provider) Delete(organizer, id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.events[key(organizer, id)]
	if !ok {
		return false
	}
	s.ev.Status = "cancelled"
	s.ev.Sequence++
	p.touchLocked(s)
	return true
}

// ExpireTokens makes every sync token issued so far expired (Gone).
func (p *Provider) ExpireTokens() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.version++
	p.minToken = p.version
}

// Event returns a copy of a stored event.
func (p *Provider) Event(organizer, id string) (calendar.Event, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.events[key(organizer, id)]
	if !ok {
		return calendar.Event{}, false
	}
	return clone(s.ev), true
}

// Events returns copies of every stored event, cancelled ones included.
func (p *Provider) Events() []calendar.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]calendar.Event, 0, len(p.events))
	for _, s := range p.events {
		out = append(out, clone(s.ev))
	}
	slices.SortFunc(out, func(a, b calendar.Event) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Put stores an event as it is, as if someone else had created it.
func (p *Provider) Put(ev calendar.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &stored{ev: clone(ev)}
	p.events[key(ev.Organizer, ev.ID)] = s
	p.touchLocked(s)
}

func clone(ev calendar.Event) calendar.Event {
	ev.Attendees = slices.Clone(ev.Attendees)
	return ev
}

// Name implements calendar.Provider.
func (p *Provider) Name() string { return p.name }

// begin counts a call and pops a scripted fault.
func (p *Provider) beginLocked(op string) error {
	p.calls[op]++
	if f := p.faults[op]; len(f) > 0 {
		p.faults[op] = f[1:]
		return f[0]
	}
	return nil
}

// lostLocked reports whether this call's reply is to be lost.
func (p *Provider) lostLocked(op string) error {
	if p.lost[op] > 0 {
		p.lost[op]--
		return &calendar.Error{Kind: calendar.Retryable, Err: errors.New("connection closed before the reply (fake lost reply)")}
	}
	return nil
}

func (p *Provider) touchLocked(s *stored) {
	p.version++
	s.changed = p.version
	s.ev.ETag = fmt.Sprintf(`"%d"`, p.version)
	s.ev.Updated = time.Now().UTC()
}

// FreeBusy implements calendar.Provider.
func (p *Provider) FreeBusy(_ context.Context, cals []string, start, end time.Time) (map[string]calendar.Availability, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.beginLocked(OpFreeBusy); err != nil {
		return nil, err
	}
	out := make(map[string]calendar.Availability, len(cals))
	for _, c := range cals {
		lc := strings.ToLower(c)
		ivs := slices.Clone(p.busy[lc])
		for _, s := range p.events {
			ev := s.ev
			if ev.Status == "cancelled" || !involves(ev, lc) {
				continue
			}
			ivs = append(ivs, calendar.Interval{Start: ev.Start, End: ev.End})
		}
		out[c] = calendar.Availability{Busy: mergeClip(ivs, start, end)}
	}
	return out, nil
}

func involves(ev calendar.Event, cal string) bool {
	if strings.EqualFold(ev.Organizer, cal) {
		return true
	}
	for _, a := range ev.Attendees {
		if strings.EqualFold(a.Email, cal) {
			return a.Response != calendar.Declined
		}
	}
	return false
}

// mergeClip clips to [start, end) and merges blocks that overlap or
// touch, as Google's free/busy does.
func mergeClip(ivs []calendar.Interval, start, end time.Time) []calendar.Interval {
	var clipped []calendar.Interval
	for _, iv := range ivs {
		if iv.Start.Before(start) {
			iv.Start = start
		}
		if iv.End.After(end) {
			iv.End = end
		}
		if iv.End.After(iv.Start) {
			clipped = append(clipped, iv)
		}
	}
	slices.SortFunc(clipped, func(a, b calendar.Interval) int { return a.Start.Compare(b.Start) })
	out := []calendar.Interval{}
	for _, iv := range clipped {
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			if iv.End.After(out[n-1].End) {
				out[n-1].End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// Create implements calendar.Provider.
func (p *Provider) Create(_ context.Context, ev calendar.Event) (calendar.Event, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.beginLocked(OpCreate); err != nil {
		return calendar.Event{}, err
	}
	k := key(ev.Organizer, ev.ID)
	if _, ok := p.events[k]; ok {
		return calendar.Event{}, &calendar.Error{Kind: calendar.Exists, Err: fmt.Errorf("event %s already exists", ev.ID)}
	}
	s := &stored{ev: clone(ev)}
	s.ev.Status, s.ev.Sequence = "confirmed", 0
	for i, a := range s.ev.Attendees {
		if a.Response == "" {
			s.ev.Attendees[i].Response = calendar.NeedsAction
		}
	}
	if ev.ConferenceRequestID != "" {
		s.ev.MeetURL = p.meetBase + ev.ID
	}
	p.events[k] = s
	p.touchLocked(s)
	if err := p.lostLocked(OpCreate); err != nil {
		return calendar.Event{}, err
	}
	return clone(s.ev), nil
}

// Get implements calendar.Provider.
func (p *Provider) Get(_ context.Context, organizer, id string) (calendar.Event, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.beginLocked(OpGet); err != nil {
		return calendar.Event{}, err
	}
	s, ok := p.events[key(organizer, id)]
	if !ok {
		return calendar.Event{}, &calendar.Error{Kind: calendar.NotFound, Err: fmt.Errorf("no event %s", id)}
	}
	return clone(s.ev), nil
}

// Update implements calendar.Provider. Attendees who stay keep the answer
// the calendar has; new ones start as needsAction.
func (p *Provider) Update(_ context.Context, ev calendar.Event) (calendar.Event, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.beginLocked(OpUpdate); err != nil {
		return calendar.Event{}, err
	}
	s, ok := p.events[key(ev.Organizer, ev.ID)]
	if !ok {
		return calendar.Event{}, &calendar.Error{Kind: calendar.NotFound, Err: fmt.Errorf("no event %s", ev.ID)}
	}
	if ev.ETag != "" && ev.ETag != s.ev.ETag {
		return calendar.Event{}, &calendar.Error{Kind: calendar.Precondition, Err: fmt.Errorf("etag %s is not %s", ev.ETag, s.ev.ETag)}
	}
	answers := map[string]calendar.Response{}
	for _, a := range s.ev.Attendees {
		answers[strings.ToLower(a.Email)] = a.Response
	}
	next := clone(ev)
	for i, a := range next.Attendees {
		if r, ok := answers[strings.ToLower(a.Email)]; ok {
			next.Attendees[i].Response = r
		} else {
			next.Attendees[i].Response = calendar.NeedsAction
		}
	}
	next.Status = "confirmed"
	next.Sequence = s.ev.Sequence + 1
	next.MeetURL = s.ev.MeetURL
	if next.BookingID == "" {
		next.BookingID = s.ev.BookingID
	}
	s.ev = next
	p.touchLocked(s)
	if err := p.lostLocked(OpUpdate); err != nil {
		return calendar.Event{}, err
	}
	return clone(s.ev), nil
}

// Cancel implements calendar.Provider.
func (p *Provider) Cancel(_ context.Context, organizer, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.beginLocked(OpCancel); err != nil {
		return err
	}
	s, ok := p.events[key(organizer, id)]
	if !ok || s.ev.Status == "cancelled" {
		return nil
	}
	s.ev.Status = "cancelled"
	s.ev.Sequence++
	p.touchLocked(s)
	return p.lostLocked(OpCancel)
}

// Changes implements calendar.Provider. Tokens are version numbers.
func (p *Provider) Changes(_ context.Context, organizer, token string) ([]calendar.Event, string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.beginLocked(OpChanges); err != nil {
		return nil, "", err
	}
	since := 0
	if token != "" {
		n, err := strconv.Atoi(token)
		if err != nil || n < p.minToken {
			return nil, "", &calendar.Error{Kind: calendar.Gone, Err: errors.New("sync token expired; full sync required")}
		}
		since = n
	}
	var out []calendar.Event
	for _, s := range p.events {
		if strings.EqualFold(s.ev.Organizer, organizer) && s.changed > since {
			out = append(out, clone(s.ev))
		}
	}
	slices.SortFunc(out, func(a, b calendar.Event) int { return strings.Compare(a.ID, b.ID) })
	return out, strconv.Itoa(p.version), nil
}

var _ calendar.Provider = (*Provider)(nil)
