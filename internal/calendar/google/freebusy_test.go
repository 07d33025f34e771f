package google_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

func people(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("person%02d@example.test", i)
	}
	return ids
}

// TestFreeBusy60PeopleOver90Days is the figure the issue asks for: 60
// calendars over 90 days take ceil(60/50) × ceil(90/60) = 2 × 2 = 4
// freeBusy queries with the default 60-day chunk.
func TestFreeBusy60PeopleOver90Days(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	ids := people(60)
	start, end := t0, t0.Add(90*24*time.Hour)
	boundary := start.Add(google.DefaultFreeBusyChunk)

	// Busy across the boundary between the two chunks: one period back.
	s.SetBusy(ids[0], calendartest.Interval{Start: boundary.Add(-time.Hour), End: boundary.Add(time.Hour)})
	// Busy before the window, clipped; and in the second batch.
	s.SetBusy(ids[55], calendartest.Interval{Start: start.Add(-time.Hour), End: start.Add(time.Hour)},
		calendartest.Interval{Start: end.Add(-2 * time.Hour), End: end.Add(time.Hour)})
	s.SetCalendarError(ids[7], "notFound")
	s.SetCalendarError(ids[52], "internalError")

	got, err := p.FreeBusy(ctx, ids, start, end)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 60 {
		t.Fatalf("%d calendars answered", len(got))
	}
	if n := p.Calls().FreeBusy; n != 4 {
		t.Fatalf("%d freeBusy calls for 60 people over 90 days, want 4", n)
	}
	if n := s.Stats().Requests[calendartest.OpFreeBusy]; n != 4 {
		t.Fatalf("fake saw %d freeBusy requests, want 4", n)
	}
	for i, id := range ids {
		a := got[id]
		switch i {
		case 7:
			if calendar.KindOf(a.Err) != calendar.NotFound || a.Busy != nil {
				t.Fatalf("%s: %+v", id, a)
			}
		case 52:
			if calendar.KindOf(a.Err) != calendar.Retryable || a.Busy != nil {
				t.Fatalf("%s: %+v", id, a)
			}
		case 0:
			want := []calendar.Interval{{Start: boundary.Add(-time.Hour), End: boundary.Add(time.Hour)}}
			if a.Err != nil || fmt.Sprint(a.Busy) != fmt.Sprint(want) {
				t.Fatalf("%s busy %v err %v, want %v", id, a.Busy, a.Err, want)
			}
		case 55:
			want := []calendar.Interval{{Start: start, End: start.Add(time.Hour)}, {Start: end.Add(-2 * time.Hour), End: end}}
			if a.Err != nil || fmt.Sprint(a.Busy) != fmt.Sprint(want) {
				t.Fatalf("%s busy %v err %v, want %v", id, a.Busy, a.Err, want)
			}
		default:
			if a.Err != nil || len(a.Busy) != 0 {
				t.Fatalf("%s: %+v", id, a)
			}
		}
	}
}

func TestFreeBusyCallCounts(t *testing.T) {
	_, url := startFake(t, calendartest.Options{})
	for _, tc := range []struct {
		people int
		days   int
		want   int64
	}{
		{1, 1, 1},
		{50, 60, 1},
		{51, 60, 2},
		{60, 30, 2},
		{60, 61, 4},
		{120, 90, 6},
		{10, 200, 4},
	} {
		p := newProvider(t, url, nil)
		if _, err := p.FreeBusy(ctxT(t), people(tc.people), t0, t0.Add(time.Duration(tc.days)*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := p.Calls().FreeBusy; n != tc.want {
			t.Errorf("%d people over %d days: %d calls, want %d", tc.people, tc.days, n, tc.want)
		}
	}
}

func TestFreeBusyFailedQueryMarksItsCalendars(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	// One query at a time, so the first query (batch 1, chunk 1) is the
	// one that meets the fault.
	p := newProvider(t, url, func(c *google.Config) { c.FreeBusyParallel = 1 })
	ids := people(60)
	s.SetBusy(ids[51], calendartest.Interval{Start: t0, End: t0.Add(time.Hour)})
	if err := s.InjectFault(calendartest.OpFreeBusy, calendartest.Fault403UserRateLimit, 1); err != nil {
		t.Fatal(err)
	}
	got, err := p.FreeBusy(ctxT(t), ids, t0, t0.Add(90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		a := got[id]
		if i < 50 {
			if calendar.KindOf(a.Err) != calendar.Retryable {
				t.Fatalf("%s in the failed batch: %+v", id, a)
			}
			continue
		}
		if a.Err != nil {
			t.Fatalf("%s: %v", id, a.Err)
		}
	}
	if b := got[ids[51]].Busy; len(b) != 1 || !b[0].Start.Equal(t0) {
		t.Fatalf("busy %v", b)
	}
}

func TestFreeBusyFailsWhenNothingCouldBeRead(t *testing.T) {
	s, url := startFake(t, calendartest.Options{Faults: calendartest.Faults{RetryAfter: 3 * time.Second}})
	p := newProvider(t, url, nil)
	if err := s.InjectFault(calendartest.OpFreeBusy, calendartest.Fault429, 2); err != nil {
		t.Fatal(err)
	}
	got, err := p.FreeBusy(ctxT(t), people(3), t0, t0.Add(100*24*time.Hour))
	ce := wantKind(t, err, calendar.Retryable)
	if ce.RetryAfter != 3*time.Second || got != nil {
		t.Fatalf("retry after %v, result %v", ce.RetryAfter, got)
	}

	_, err = p.FreeBusy(ctxT(t), people(3), t0, t0)
	wantKind(t, err, calendar.Permanent)

	got, err = p.FreeBusy(ctxT(t), []string{"a@example.test", "a@example.test", ""}, t0, t0.Add(time.Hour))
	if err != nil || len(got) != 2 || got["a@example.test"].Err != nil || got[""].Err == nil {
		t.Fatalf("duplicates and empty id: %v %v", got, err)
	}
}
