package bookings_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/pagination"
)

func TestFeeds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		ana := fx.person("Ana Ruiz")
		mine := fx.book(builtin(input("Lee's chat", "09:00", "09:30", dana, lee)))
		fx.book(builtin(input("Ana's chat", "10:00", "10:30", dana, ana)))
		fx.book(input("Lee on Google", "11:00", "11:30", dana, lee))
		canceled := fx.book(builtin(input("Lee, canceled", "12:00", "12:30", dana, lee)))
		if _, err := fx.svc.Cancel(ctx, fx.facil, canceled.ID); err != nil {
			t.Fatal(err)
		}

		token, err := fx.svc.CreateFeed(ctx, fx.facil, lee)
		if err != nil || len(token) < 40 {
			t.Fatalf("token = %q %v", token, err)
		}
		var stored string
		if err := db.Gorm.Raw("SELECT token_hash FROM person_feeds WHERE person_id = ?", lee).Row().Scan(&stored); err != nil ||
			strings.Contains(stored, token) {
			t.Fatalf("stored %q for token %q (%v)", stored, token, err)
		}
		p, items, err := fx.svc.FeedBookings(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != lee || p.Name != "Lee Chen" || p.Timezone != "Europe/Berlin" {
			t.Fatalf("person = %+v", p)
		}
		var titles []string
		for _, b := range items {
			titles = append(titles, b.Title)
		}
		// Only Lee's, only built-in, the recent cancellation included so
		// subscribed apps drop it.
		if !slices.Equal(titles, []string{"Lee's chat", "Lee, canceled"}) {
			t.Fatalf("feed = %v", titles)
		}
		if items[0].ID != mine.ID || items[1].Status != bookings.StatusCanceled || items[1].Sequence != 1 {
			t.Fatalf("feed items = %+v", items)
		}
		// The organizer's feed has all three of theirs.
		dt, err := fx.svc.CreateFeed(ctx, fx.admin, dana)
		if err != nil {
			t.Fatal(err)
		}
		if _, items, _ := fx.svc.FeedBookings(ctx, dt); len(items) != 3 {
			t.Fatalf("organizer feed = %d items", len(items))
		}

		// A new token replaces the old one.
		again, err := fx.svc.CreateFeed(ctx, fx.user(actor.Member, lee), lee)
		if err != nil || again == token {
			t.Fatalf("new token = %q %v", again, err)
		}
		_, _, err = fx.svc.FeedBookings(ctx, token)
		wantCode(t, err, apperr.NotFound)
		if _, _, err := fx.svc.FeedBookings(ctx, again); err != nil {
			t.Fatal(err)
		}
		// Revoked: not found. Revoking twice is fine.
		if err := fx.svc.RevokeFeed(ctx, fx.user(actor.Member, lee), lee); err != nil {
			t.Fatal(err)
		}
		if err := fx.svc.RevokeFeed(ctx, fx.facil, lee); err != nil {
			t.Fatal(err)
		}
		_, _, err = fx.svc.FeedBookings(ctx, again)
		wantCode(t, err, apperr.NotFound)
		for _, bad := range []string{"", "nope", strings.Repeat("a", 43)} {
			_, _, err = fx.svc.FeedBookings(ctx, bad)
			wantCode(t, err, apperr.NotFound)
		}

		// Only the person themself, or people who run events.
		_, err = fx.svc.CreateFeed(ctx, fx.user(actor.Member, ana), lee)
		wantCode(t, err, apperr.Forbidden)
		_, err = fx.svc.CreateFeed(ctx, fx.user(actor.Leader, ""), lee)
		wantCode(t, err, apperr.Forbidden)
		err = fx.svc.RevokeFeed(ctx, fx.user(actor.Member, ana), lee)
		wantCode(t, err, apperr.Forbidden)
		_, err = fx.svc.CreateFeed(ctx, fx.admin, uuid.NewString())
		wantCode(t, err, apperr.NotFound)
	})
}

func TestBusyFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen", calendarID("lee@cal.example.com"))
		ana := fx.person("Ana Ruiz")
		fx.book(builtin(input("One", "09:00", "09:30", dana, lee)))
		fx.book(input("Two", "11:00", "11:30", dana, lee))
		c := fx.book(builtin(input("Canceled", "13:00", "13:30", dana, lee)))
		if _, err := fx.svc.Cancel(ctx, fx.facil, c.ID); err != nil {
			t.Fatal(err)
		}
		busy, err := fx.svc.BusyFor(ctx, []string{lee, ana, "junk"}, atTime("09:15"), atTime("18:00"))
		if err != nil {
			t.Fatal(err)
		}
		want := []calendar.Interval{{Start: atTime("09:00"), End: atTime("09:30")}, {Start: atTime("11:00"), End: atTime("11:30")}}
		if !slices.Equal(busy[lee], want) || busy[ana] == nil || len(busy[ana]) != 0 || len(busy) != 2 {
			t.Fatalf("busy = %+v", busy)
		}
		// Touching the window's edge is not busy inside it.
		if busy, _ := fx.svc.BusyFor(ctx, []string{lee}, atTime("09:30"), atTime("11:00")); len(busy[lee]) != 0 {
			t.Fatalf("edges = %+v", busy)
		}

		byCal, err := fx.svc.BusyForCalendars(ctx, []string{"LEE@cal.example.com", "lee.chen@example.com", "ana.ruiz@example.com", "stranger@example.com"},
			atTime("00:00"), atTime("23:59"))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(byCal["LEE@cal.example.com"], want) || !slices.Equal(byCal["lee.chen@example.com"], want) {
			t.Fatalf("by calendar = %+v", byCal)
		}
		if v, ok := byCal["ana.ruiz@example.com"]; !ok || len(v) != 0 {
			t.Fatalf("free person = %+v %v", v, ok)
		}
		if _, ok := byCal["stranger@example.com"]; ok {
			t.Fatal("a calendar that is no person was answered")
		}
	})
}

// TestAuthorizationMatrix checks every service operation for every role:
// admins and facilitators do everything; members and leaders read only the
// bookings they attend or organize and change nothing.
func TestAuthorizationMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		ana := fx.person("Ana Ruiz")

		type who struct {
			name string
			a    actor.Actor
			// sees is whether the caller may read Lee's booking.
			sees, writes bool
		}
		callers := []who{
			{"admin", fx.admin, true, true},
			{"facilitator", fx.facil, true, true},
			{"member attending", fx.user(actor.Member, lee), true, false},
			{"member organizing", fx.user(actor.Member, dana), true, false},
			{"member elsewhere", fx.user(actor.Member, ana), false, false},
			{"leader attending", fx.user(actor.Leader, lee), true, false},
			{"leader elsewhere", fx.user(actor.Leader, ""), false, false},
		}
		slot := 0
		for _, c := range callers {
			slot++
			start := time.Date(2026, 11, 26, 8+slot, 0, 0, 0, time.UTC)
			b := fx.book(builtin(bookings.Input{Title: "Lee " + c.name, Start: start.Format(time.RFC3339),
				End: start.Add(30 * time.Minute).Format(time.RFC3339), OrganizerPersonID: dana,
				Attendees: []bookings.AttendeeInput{{PersonID: lee}}}))
			// A Google booking in failed state, for Retry.
			g := fx.book(bookings.Input{Title: "Lee google " + c.name, Start: start.Add(30 * time.Minute).Format(time.RFC3339),
				End: start.Add(time.Hour).Format(time.RFC3339), OrganizerPersonID: dana,
				Attendees: []bookings.AttendeeInput{{PersonID: lee}}})
			if err := db.Gorm.Exec("UPDATE bookings SET status = 'failed' WHERE id = ?", g.ID).Error; err != nil {
				t.Fatal(err)
			}

			readCode, writeCode := apperr.Code(""), apperr.Code("")
			if !c.sees {
				readCode, writeCode = apperr.NotFound, apperr.NotFound
			} else if !c.writes {
				writeCode = apperr.Forbidden
			}
			check := func(op string, err error, want apperr.Code) {
				t.Helper()
				if want == "" && err != nil || want != "" && apperr.CodeOf(err) != want {
					t.Errorf("%s %s: got %v, want %q", c.name, op, err, want)
				}
			}
			_, err := fx.svc.Get(ctx, c.a, b.ID)
			check("get", err, readCode)

			l, err := fx.svc.List(ctx, c.a, bookings.ListFilter{}, pagination.Page{Limit: 200})
			check("list", err, "")
			found := slices.ContainsFunc(l.Items, func(x bookings.Booking) bool { return x.ID == b.ID })
			if found != c.sees {
				t.Errorf("%s list shows the booking: %v", c.name, found)
			}

			createCode := apperr.Code("")
			if !c.writes {
				createCode = apperr.Forbidden
			}
			_, err = fx.svc.Create(ctx, c.a, builtin(bookings.Input{Title: "New " + c.name,
				Start: start.Add(24 * time.Hour).Format(time.RFC3339), End: start.Add(25 * time.Hour).Format(time.RFC3339),
				OrganizerPersonID: dana, Attendees: []bookings.AttendeeInput{{PersonID: ana}}}))
			check("create", err, createCode)

			_, err = fx.svc.Update(ctx, c.a, b.ID, bookings.Patch{Title: ptr("renamed")})
			check("update", err, writeCode)
			_, err = fx.svc.Retry(ctx, c.a, g.ID)
			check("retry", err, writeCode)
			_, err = fx.svc.Cancel(ctx, c.a, b.ID)
			check("cancel", err, writeCode)

			if c.writes {
				if got := fx.get(b.ID); got.Status != bookings.StatusCanceled || got.Title != "renamed" {
					t.Errorf("%s: writes did not apply: %+v", c.name, got)
				}
			} else if got := fx.get(b.ID); got.Status != bookings.StatusConfirmed || got.Title != b.Title {
				t.Errorf("%s: a refused write applied: %+v", c.name, got)
			}
		}
	})
}
