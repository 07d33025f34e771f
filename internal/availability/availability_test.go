package availability_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/availability"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/builtin"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/people"
)

// holds is an in-memory stand-in for Debrief's bookings.
type holds map[string][]calendar.Interval

func (h holds) BusyFor(_ context.Context, ids []string, start, end time.Time) (map[string][]calendar.Interval, error) {
	out := map[string][]calendar.Interval{}
	for _, id := range ids {
		for _, iv := range h[id] {
			if iv.Start.Before(end) && start.Before(iv.End) {
				out[id] = append(out[id], iv)
			}
		}
	}
	return out, nil
}

func (h holds) Busy(ctx context.Context, ids []string, start, end time.Time) (map[string][]calendar.Interval, error) {
	return h.BusyFor(ctx, ids, start, end)
}

// failing reads nobody's calendar except the ones it knows.
type failing struct {
	calendar.Provider
	ok map[string][]calendar.Interval
}

func (f failing) Name() string { return "google" }

func (f failing) FreeBusy(_ context.Context, ids []string, _, _ time.Time) (map[string]calendar.Availability, error) {
	out := map[string]calendar.Availability{}
	for _, id := range ids {
		if b, ok := f.ok[id]; ok {
			out[id] = calendar.Availability{Busy: b}
		} else {
			out[id] = calendar.Availability{Err: errors.New("notFound")}
		}
	}
	return out, nil
}

var facilitator = actor.Actor{Role: actor.Facilitator}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func setup(t *testing.T, db *database.DB) (*people.Service, people.Person, people.Person) {
	t.Helper()
	ppl := people.NewService(db.Gorm)
	ctx := context.Background()
	admin := actor.Actor{Role: actor.Admin}
	// Kolkata is UTC+05:30, Auckland UTC+13 in November: they share
	// 20:30–22:00 UTC of the previous day... of a working day only briefly.
	a, err := ppl.Create(ctx, admin, people.PersonInput{Name: "Ana Rao", Email: "ana@example.com", Timezone: "Asia/Kolkata", WorkingHours: "mon-fri 09:00-17:00"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ppl.Create(ctx, admin, people.PersonInput{Name: "Ben Ngata", Email: "ben@example.com", Timezone: "Europe/London", WorkingHours: "mon-fri 09:00-17:00"})
	if err != nil {
		t.Fatal(err)
	}
	return ppl, a, b
}

func TestFindCombinesHoursBookingsAndCalendars(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ppl, ana, ben := setup(t, db)
		// Ana already has a Debrief chat 09:30–10:00 UTC on Wednesday.
		h := holds{ana.ID: {{Start: at("2026-11-25T09:30:00Z"), End: at("2026-11-25T10:00:00Z")}}}
		svc := availability.NewService(ppl, h, builtin.New(h, builtin.Options{}))
		res, err := svc.Find(context.Background(), facilitator, availability.Request{
			People: []string{ana.ID, ben.ID}, DurationMinutes: 30, StepMinutes: 30,
			Window: availability.Window{Start: "2026-11-25T00:00:00Z", End: "2026-11-26T00:00:00Z"},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Shared hours: London 09:00–17:00 UTC, Kolkata 03:30–11:30 UTC →
		// 09:00–11:30, minus Ana's chat 09:30–10:00.
		var both []string
		for _, s := range res.Slots {
			if len(s.Free) == 2 {
				both = append(both, s.Start.Format("15:04"))
			}
		}
		if want := []string{"09:00", "10:00", "10:30", "11:00"}; !slices.Equal(both, want) {
			t.Fatalf("slots with both free: %v, want %v", both, want)
		}
		if res.Slots[0].Start != at("2026-11-25T09:00:00Z") {
			t.Fatalf("best slot %v, want the earliest shared one", res.Slots[0].Start)
		}
		if res.Sources[ana.ID] != "builtin" || res.Sources[ben.ID] != "builtin" {
			t.Fatalf("sources %v", res.Sources)
		}
		if len(res.People) != 2 || len(res.People[0].Working) != 1 || len(res.People[0].Busy) != 1 {
			t.Fatalf("grid data %+v", res.People)
		}
	})
}

func TestUnreadableCalendarIsUnknownNeverFree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ppl, ana, ben := setup(t, db)
		prov := failing{ok: map[string][]calendar.Interval{"ben@example.com": nil}}
		svc := availability.NewService(ppl, holds{}, prov)
		res, err := svc.Find(context.Background(), facilitator, availability.Request{
			People: []string{ben.ID}, Optional: []string{ana.ID}, DurationMinutes: 60,
			Window: availability.Window{Start: "2026-11-25T09:00:00Z", End: "2026-11-25T12:00:00Z"},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Slots {
			if slices.Contains(s.Free, ana.ID) {
				t.Fatalf("Ana's calendar failed but she is free at %v", s.Start)
			}
		}
		if !slices.Contains(res.Slots[0].Unknown, ana.ID) {
			t.Fatalf("Ana should be unknown: %+v", res.Slots[0])
		}
		if res.Sources[ana.ID] != "error: notFound" || res.Sources[ben.ID] != "google" {
			t.Fatalf("sources %v", res.Sources)
		}
	})
}

func TestBadRequestsAndRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ppl, ana, _ := setup(t, db)
		svc := availability.NewService(ppl, holds{}, builtin.New(holds{}, builtin.Options{}))
		ctx := context.Background()
		ok := availability.Request{People: []string{ana.ID}, DurationMinutes: 30,
			Window: availability.Window{Start: "2026-11-25T00:00:00Z", End: "2026-11-26T00:00:00Z"}}
		if _, err := svc.Find(ctx, actor.Actor{Role: actor.Member}, ok); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("member: %v", err)
		}
		bad := []availability.Request{
			{},
			{People: []string{ana.ID}, DurationMinutes: 30, Window: availability.Window{Start: "tomorrow", End: "2026-11-26T00:00:00Z"}},
			{People: []string{ana.ID}, DurationMinutes: 30, Window: availability.Window{Start: "2026-11-26T00:00:00Z", End: "2026-11-25T00:00:00Z"}},
			{People: []string{ana.ID, ana.ID}, DurationMinutes: 30, Window: ok.Window},
			{People: []string{"0191d7a4-0000-7000-8000-000000000009"}, DurationMinutes: 30, Window: ok.Window},
			{People: []string{ana.ID}, DurationMinutes: 30, Window: ok.Window, MinOptional: 2},
		}
		for i, r := range bad {
			if _, err := svc.Find(ctx, facilitator, r); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("bad request %d: %v", i, err)
			}
		}
	})
}

func TestIDsAreMatchedWhateverTheirCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ppl, ana, ben := setup(t, db)
		svc := availability.NewService(ppl, holds{}, builtin.New(holds{}, builtin.Options{}))
		w := availability.Window{Start: "2026-11-25T00:00:00Z", End: "2026-11-26T00:00:00Z"}
		res, err := svc.Find(context.Background(), facilitator, availability.Request{
			People: []string{strings.ToUpper(ana.ID), ben.ID}, DurationMinutes: 30, Window: w})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Slots) == 0 || !slices.Contains(res.Slots[0].Free, ana.ID) {
			t.Fatalf("upper-case id not matched: %+v", res.Slots)
		}
		_, err = svc.Find(context.Background(), facilitator, availability.Request{
			People: []string{strings.ToUpper(ana.ID), ana.ID}, DurationMinutes: 30, Window: w})
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "twice") {
			t.Fatalf("same person in two spellings: %v", err)
		}
	})
}

// With the built-in calendar nothing is cached: a booking made or
// cancelled a moment ago shows at once.
func TestBuiltinAvailabilityIsNeverStale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ppl, ana, _ := setup(t, db)
		h := holds{}
		svc := availability.NewService(ppl, h, builtin.New(h, builtin.Options{}))
		req := availability.Request{People: []string{ana.ID}, DurationMinutes: 60, StepMinutes: 60,
			Window: availability.Window{Start: "2026-11-25T04:00:00Z", End: "2026-11-25T05:00:00Z"}}
		res, err := svc.Find(context.Background(), facilitator, req)
		if err != nil || len(res.Slots) != 1 || len(res.Slots[0].Free) != 1 {
			t.Fatalf("before: %+v %v", res.Slots, err)
		}
		h[ana.ID] = []calendar.Interval{{Start: at("2026-11-25T04:00:00Z"), End: at("2026-11-25T05:00:00Z")}}
		res, err = svc.Find(context.Background(), facilitator, req)
		if err != nil || len(res.Slots) != 1 || len(res.Slots[0].Busy) != 1 {
			t.Fatalf("after booking: %+v %v", res.Slots, err)
		}
	})
}
