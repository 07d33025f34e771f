package builtin_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/builtin"
)

// fakeSource records what it was asked and answers from a fixed map.
type fakeSource struct {
	mu    sync.Mutex
	calls [][]string
	busy  map[string][]calendar.Interval
	err   error
}

func (f *fakeSource) Busy(ctx context.Context, ids []string, start, end time.Time) (map[string][]calendar.Interval, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, append([]string(nil), ids...))
	if f.err != nil {
		return nil, f.err
	}
	return f.busy, nil
}

// at is a time on Monday 9 March 2026, UTC.
func at(h, m int) time.Time { return time.Date(2026, 3, 9, h, m, 0, 0, time.UTC) }

func iv(h1, m1, h2, m2 int) calendar.Interval {
	return calendar.Interval{Start: at(h1, m1), End: at(h2, m2)}
}

func fixedClock() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

func TestName(t *testing.T) {
	if got := builtin.New(&fakeSource{}, builtin.Options{}).Name(); got != "builtin" {
		t.Fatalf("Name() = %q", got)
	}
}

func TestFreeBusyPassesBookingsThrough(t *testing.T) {
	src := &fakeSource{busy: map[string][]calendar.Interval{
		// Out of order, overlapping, touching, partly outside the range,
		// wholly outside it, and empty.
		"ana": {iv(14, 0, 15, 0), iv(9, 0, 10, 0), iv(9, 30, 10, 30), iv(10, 30, 11, 0), iv(7, 0, 8, 30), iv(20, 0, 21, 0), iv(12, 0, 12, 0)},
		"sam": {iv(13, 0, 13, 45)},
		// Not asked for: must not appear.
		"kim": {iv(9, 0, 10, 0)},
	}}
	p := builtin.New(src, builtin.Options{})
	got, err := p.FreeBusy(context.Background(), []string{"ana", "sam", "lee", "ana"}, at(8, 0), at(18, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]calendar.Availability{
		"ana": {Busy: []calendar.Interval{iv(8, 0, 8, 30), iv(9, 0, 11, 0), iv(14, 0, 15, 0)}},
		"sam": {Busy: []calendar.Interval{iv(13, 0, 13, 45)}},
		// No bookings: free as far as Debrief's own calendar knows.
		"lee": {},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if len(src.calls) != 1 || !reflect.DeepEqual(src.calls[0], []string{"ana", "sam", "lee"}) {
		t.Errorf("source calls %v, want one call for ana, sam, lee", src.calls)
	}
	// The source's slices are not handed out (or modified).
	if src.busy["ana"][0] != iv(14, 0, 15, 0) {
		t.Errorf("source data modified: %v", src.busy["ana"])
	}
}

func TestFreeBusySourceErrorMakesEveryCalendarUnknown(t *testing.T) {
	dbErr := errors.New("database is locked")
	p := builtin.New(&fakeSource{err: dbErr}, builtin.Options{})
	got, err := p.FreeBusy(context.Background(), []string{"ana", "sam"}, at(8, 0), at(18, 0))
	if err != nil {
		t.Fatalf("the call failed (%v); each calendar should carry the error instead", err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d calendars, want 2", len(got))
	}
	for id, a := range got {
		if !errors.Is(a.Err, dbErr) || a.Busy != nil {
			t.Errorf("%s: %+v, want Err wrapping the source error and no busy time", id, a)
		}
	}
}

func TestFreeBusyCancelledContextFailsTheCall(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := builtin.New(&fakeSource{err: context.Canceled}, builtin.Options{})
	if _, err := p.FreeBusy(ctx, []string{"ana"}, at(8, 0), at(18, 0)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestFreeBusyEdgeCases(t *testing.T) {
	src := &fakeSource{}
	p := builtin.New(src, builtin.Options{})
	got, err := p.FreeBusy(context.Background(), nil, at(8, 0), at(18, 0))
	if err != nil || len(got) != 0 || len(src.calls) != 0 {
		t.Errorf("no calendars: got %v, %v, %d source calls", got, err, len(src.calls))
	}
	if _, err := p.FreeBusy(context.Background(), []string{"ana"}, at(8, 0), at(8, 0)); calendar.KindOf(err) != calendar.Permanent || err == nil {
		t.Errorf("empty range: err = %v, want a Permanent error", err)
	}
}

func testEvent() calendar.Event {
	return calendar.Event{
		BookingID: "0191d7a4-5b2c-7d3e-8f40-123456789abc",
		Title:     "Chat about the checkout event",
		Start:     at(14, 0),
		End:       at(14, 45),
		Organizer: "ana@example.com",
		Attendees: []calendar.Attendee{{Email: "sam@example.com"}, {Email: "kim@example.com", Optional: true}},
		Sequence:  5, // ignored by Create
	}
}

func TestCreateIsLocalAndIdempotent(t *testing.T) {
	p := builtin.New(&fakeSource{}, builtin.Options{Now: fixedClock})
	in := testEvent()
	got, err := p.Create(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != calendar.EventID(in.BookingID) {
		t.Errorf("ID = %q, want the id derived from the booking", got.ID)
	}
	if got.Sequence != 0 || got.Status != "confirmed" || !got.Updated.Equal(fixedClock()) {
		t.Errorf("Sequence %d Status %q Updated %v", got.Sequence, got.Status, got.Updated)
	}
	for _, a := range got.Attendees {
		if a.Response != calendar.NeedsAction {
			t.Errorf("attendee %s response %q", a.Email, a.Response)
		}
	}
	if in.Attendees[0].Response != "" {
		t.Error("Create changed the caller's attendees")
	}
	// A retried Create with the same id is the same write, not Exists.
	again, err := p.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("second Create: %v", err)
	}
	if !reflect.DeepEqual(again, got) {
		t.Errorf("second Create differs:\n%+v\n%+v", again, got)
	}
	// An explicit id is kept.
	in.ID = "dbfexplicit"
	if got, _ := p.Create(context.Background(), in); got.ID != "dbfexplicit" {
		t.Errorf("ID = %q", got.ID)
	}
}

func TestWritesRefuseInvalidEventsPermanently(t *testing.T) {
	p := builtin.New(&fakeSource{}, builtin.Options{Now: fixedClock})
	for name, mod := range map[string]func(*calendar.Event){
		"no ids":           func(e *calendar.Event) { e.BookingID = "" },
		"end before start": func(e *calendar.Event) { e.End = e.Start.Add(-time.Minute) },
		"no start":         func(e *calendar.Event) { e.Start = time.Time{} },
		"attendee email":   func(e *calendar.Event) { e.Attendees = []calendar.Attendee{{Name: "Sam"}} },
	} {
		ev := testEvent()
		mod(&ev)
		if _, err := p.Create(context.Background(), ev); err == nil || calendar.KindOf(err) != calendar.Permanent {
			t.Errorf("Create %s: err = %v, want Permanent", name, err)
		}
		if _, err := p.Update(context.Background(), ev); err == nil || calendar.KindOf(err) != calendar.Permanent {
			t.Errorf("Update %s: err = %v, want Permanent", name, err)
		}
	}
	ev := testEvent()
	ev.Sequence = -1
	if _, err := p.Update(context.Background(), ev); calendar.KindOf(err) != calendar.Permanent || err == nil {
		t.Errorf("negative sequence: err = %v", err)
	}
	if err := p.Cancel(context.Background(), "ana@example.com", ""); calendar.KindOf(err) != calendar.Permanent || err == nil {
		t.Errorf("Cancel without id: err = %v", err)
	}
}

func TestCreateUpdateSequence(t *testing.T) {
	p := builtin.New(&fakeSource{}, builtin.Options{Now: fixedClock})
	ctx := context.Background()
	created, err := p.Create(ctx, testEvent())
	if err != nil {
		t.Fatal(err)
	}
	moved := created
	moved.Start, moved.End = moved.Start.Add(time.Hour), moved.End.Add(time.Hour)
	moved.ETag = `"stale"` // ignored: the booking row serializes changes
	first, err := p.Update(ctx, moved)
	if err != nil {
		t.Fatal(err)
	}
	if first.Sequence != 1 || first.ID != created.ID || !first.Start.Equal(moved.Start) {
		t.Errorf("first update: Sequence %d ID %q Start %v", first.Sequence, first.ID, first.Start)
	}
	// A retry with the same input gives the same result.
	retry, err := p.Update(ctx, moved)
	if err != nil || !reflect.DeepEqual(retry, first) {
		t.Errorf("retried update: %+v, %v", retry, err)
	}
	second, err := p.Update(ctx, first)
	if err != nil || second.Sequence != 2 {
		t.Errorf("second update: Sequence %d, %v", second.Sequence, err)
	}
}

func TestCancelGetChanges(t *testing.T) {
	p := builtin.New(&fakeSource{}, builtin.Options{})
	ctx := context.Background()
	id := calendar.EventID("0191d7a4-5b2c-7d3e-8f40-123456789abc")
	for range 2 { // cancelling twice, or an event never created, is fine
		if err := p.Cancel(ctx, "ana@example.com", id); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
	}
	if _, err := p.Get(ctx, "ana@example.com", id); calendar.KindOf(err) != calendar.NotFound {
		t.Errorf("Get: err = %v, want NotFound", err)
	}
	evs, tok, err := p.Changes(ctx, "ana@example.com", "")
	if err != nil || len(evs) != 0 || tok == "" {
		t.Fatalf("Changes: %v, %q, %v", evs, tok, err)
	}
	evs, tok2, err := p.Changes(ctx, "ana@example.com", tok)
	if err != nil || len(evs) != 0 || tok2 != tok {
		t.Fatalf("Changes with token: %v, %q, %v", evs, tok2, err)
	}
}

func TestNewRefusesNilSource(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(nil) did not panic")
		}
	}()
	builtin.New(nil, builtin.Options{})
}
