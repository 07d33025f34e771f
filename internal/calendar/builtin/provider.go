// Package builtin is Debrief's own calendar, the provider used when Google
// is not configured: everything except the Google call itself works on a
// fresh machine.
//
// The bookings table is the only store. The provider keeps nothing of its
// own, so there is nothing to lose, migrate or keep in step across several
// serve processes:
//
//   - FreeBusy reports Debrief's own bookings, read through a BusySource the
//     bookings layer supplies. It does not apply working hours: the
//     scheduling engine does that for every provider from each person's
//     zone and hours (scheduling.Person), and time outside working hours
//     must show as "outside hours" in the grid, not as "busy". Applying them
//     here as well would count them twice.
//   - Create, Update and Cancel are local bookkeeping: they check the event,
//     stamp it and return it. Invitations reach people as .ics files
//     (InvitationICS, offered for download by the HTTP layer) and through
//     each person's subscription feed (FeedICS).
//   - Get and Changes have nothing to read: responses to .ics invitations go
//     to the organizer's mailbox, not to Debrief.
package builtin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
)

// Name is the provider's name, as Provider.Name reports it.
const Name = "builtin"

// syncToken is what Changes hands out. It never expires because there is
// never anything to sync; it is not empty so that a caller that stores it
// does not mistake it for "no sync yet".
const syncToken = "builtin"

// BusySource reads Debrief's own bookings. The bookings package implements
// it.
type BusySource interface {
	// Busy returns, for each calendar id asked for, the intervals of
	// active bookings that overlap [start, end). A calendar id is whatever
	// the caller uses for builtin calendars (the bookings layer decides;
	// person ids, say). A calendar missing from the map has no bookings in
	// the range. An error means nothing could be read.
	Busy(ctx context.Context, calendarIDs []string, start, end time.Time) (map[string][]calendar.Interval, error)
}

// Options configure a Provider.
type Options struct {
	// Now is the clock for Event.Updated; nil means time.Now.
	Now func() time.Time
}

// Provider is the built-in calendar. It is safe for concurrent use.
type Provider struct {
	source BusySource
	now    func() time.Time
}

var _ calendar.Provider = (*Provider)(nil)

// New returns the built-in provider reading bookings from source.
func New(source BusySource, opts Options) *Provider {
	if source == nil {
		// A nil source would make every person look free or unknown at
		// run time; this is a wiring mistake and should stop start-up.
		panic("builtin.New: nil BusySource")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Provider{source: source, now: now}
}

// Name returns "builtin".
func (p *Provider) Name() string { return Name }

// FreeBusy returns each calendar's bookings over [start, end), clipped to
// the range, sorted and merged (as Google returns busy time). When the
// source fails, every calendar gets Availability.Err and the call itself
// succeeds: the availability API reports per person, and a person whose
// bookings could not be read must show as unknown with the reason, never
// as free. Only a cancelled or expired ctx fails the call, because then no
// one is waiting for the answer.
func (p *Provider) FreeBusy(ctx context.Context, calendars []string, start, end time.Time) (map[string]calendar.Availability, error) {
	if !end.After(start) {
		return nil, &calendar.Error{Kind: calendar.Permanent, Err: fmt.Errorf("builtin: free/busy range end %v is not after start %v", end, start)}
	}
	ids := make([]string, 0, len(calendars))
	seen := make(map[string]bool, len(calendars))
	for _, id := range calendars {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	out := make(map[string]calendar.Availability, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	busy, err := p.source.Busy(ctx, ids, start, end)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		err = fmt.Errorf("builtin: reading bookings: %w", err)
		for _, id := range ids {
			out[id] = calendar.Availability{Err: err}
		}
		return out, nil
	}
	for _, id := range ids {
		out[id] = calendar.Availability{Busy: normalize(busy[id], start, end)}
	}
	return out, nil
}

// normalize clips intervals to [start, end), drops empty ones, sorts and
// merges overlapping or touching ones. It copies: the caller's slices are
// not the source's.
func normalize(in []calendar.Interval, start, end time.Time) []calendar.Interval {
	var out []calendar.Interval
	for _, iv := range in {
		if iv.Start.Before(start) {
			iv.Start = start
		}
		if iv.End.After(end) {
			iv.End = end
		}
		if iv.End.After(iv.Start) {
			out = append(out, iv)
		}
	}
	slices.SortFunc(out, func(a, b calendar.Interval) int {
		return cmp.Or(a.Start.Compare(b.Start), a.End.Compare(b.End))
	})
	merged := out[:0]
	for _, iv := range out {
		if n := len(merged); n > 0 && !iv.Start.After(merged[n-1].End) {
			if iv.End.After(merged[n-1].End) {
				merged[n-1].End = iv.End
			}
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

// Create records nothing and returns ev as the calendar now holds it:
// Sequence 0, status confirmed, Updated now, ID derived from the booking
// when empty.
//
// Unlike Google, an id that "exists" is not an error. There is no store in
// which a first attempt could have left an event behind; the booking row is
// the event, so a retried Create is the same write and returns the same
// result. Answering Exists would only send the job down the reconcile path
// to a Get that has nothing to read.
func (p *Provider) Create(_ context.Context, ev calendar.Event) (calendar.Event, error) {
	ev, err := p.prepare(ev, "create")
	if err != nil {
		return calendar.Event{}, err
	}
	ev.Sequence = 0
	ev.Status = "confirmed"
	return ev, nil
}

// Update returns ev with Sequence one above the one it was given, status
// confirmed and Updated now. The sequence comes from the input, never from
// stored state (there is none), so a retried Update with the same input
// gives the same sequence: the bookings layer stores the result and sends
// that stored sequence on the next change. ETag is ignored: concurrent
// changes are serialized on the booking row, not here.
func (p *Provider) Update(_ context.Context, ev calendar.Event) (calendar.Event, error) {
	ev, err := p.prepare(ev, "update")
	if err != nil {
		return calendar.Event{}, err
	}
	if ev.Sequence < 0 {
		return calendar.Event{}, permanent("update %s: negative sequence %d", ev.ID, ev.Sequence)
	}
	ev.Sequence++
	ev.Status = "confirmed"
	return ev, nil
}

// Cancel succeeds for any id, as cancelling a missing event must. It
// cannot return the cancelled event, so the bookings layer raises the
// booking's sequence itself when it cancels; the CANCEL from
// InvitationICS carries that sequence.
func (p *Provider) Cancel(_ context.Context, _, id string) error {
	if id == "" {
		return permanent("cancel: no event id")
	}
	return nil
}

// Get reports NotFound: the provider keeps no events. Callers read the
// booking instead.
func (p *Provider) Get(_ context.Context, _, id string) (calendar.Event, error) {
	return calendar.Event{}, &calendar.Error{
		Kind: calendar.NotFound,
		Err:  fmt.Errorf("builtin: event %q: the built-in calendar keeps no events of its own; read the booking", id),
	}
}

// Changes reports no changes: attendees answer .ics invitations by email
// to the organizer, so there are no responses for Debrief to sync.
func (p *Provider) Changes(_ context.Context, _, _ string) ([]calendar.Event, string, error) {
	return nil, syncToken, nil
}

// prepare checks what every write needs and fills in the id and time. An
// invalid event is Permanent: retrying the job would fail the same way.
func (p *Provider) prepare(ev calendar.Event, op string) (calendar.Event, error) {
	if ev.ID == "" {
		if ev.BookingID == "" {
			return ev, permanent("%s: event has neither an id nor a booking id", op)
		}
		ev.ID = calendar.EventID(ev.BookingID)
	}
	if ev.Start.IsZero() || !ev.End.After(ev.Start) {
		return ev, permanent("%s %s: end %v is not after start %v", op, ev.ID, ev.End, ev.Start)
	}
	// Copy the attendees so that the returned event shares no memory with
	// the caller's.
	ev.Attendees = slices.Clone(ev.Attendees)
	for i := range ev.Attendees {
		if ev.Attendees[i].Email == "" {
			return ev, permanent("%s %s: attendee %d has no email", op, ev.ID, i)
		}
		if ev.Attendees[i].Response == "" {
			ev.Attendees[i].Response = calendar.NeedsAction
		}
	}
	ev.Updated = p.now()
	return ev, nil
}

func permanent(format string, args ...any) error {
	return &calendar.Error{Kind: calendar.Permanent, Err: errors.New("builtin: " + fmt.Sprintf(format, args...))}
}
