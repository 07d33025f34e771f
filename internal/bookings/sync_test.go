package bookings_test

import (
	"errors"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

func TestSyncResponses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		ana := fx.person("Ana Ruiz")
		sam := fx.person("Sam Ito")
		in := input("Chat", "14:00", "14:45", dana, lee)
		in.Attendees = append(in.Attendees, bookings.AttendeeInput{PersonID: ana, Optional: true})
		b := fx.book(in)
		// Back-to-back Debrief bookings for Lee: free/busy merges them into
		// one block with b, which must not count as a conflict.
		fx.book(input("Right after", "14:45", "15:30", sam, lee))
		fx.work()
		evID := calendar.EventID(b.ID)

		// Nothing has happened: nothing to flag.
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		if got := fx.get(b.ID); got.Status != bookings.StatusConfirmed {
			t.Fatalf("quiet sync: %+v", got)
		}

		// An optional attendee declining is recorded but needs nothing.
		fx.cal.Respond(danaCal, evID, "ana.ruiz@example.com", calendar.Declined)
		fx.cal.Respond(danaCal, evID, "lee.chen@example.com", calendar.Accepted)
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		got := fx.get(b.ID)
		if got.Status != bookings.StatusConfirmed || got.Attendees[0].Response != bookings.ResponseAccepted ||
			got.Attendees[1].Response != bookings.ResponseDeclined {
			t.Fatalf("after answers: %+v", got)
		}

		// A required attendee declining: needs attention, saying who.
		fx.cal.Respond(danaCal, evID, "lee.chen@example.com", calendar.Declined)
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		got = fx.get(b.ID)
		if got.Status != bookings.StatusNeedsAttention || got.AttentionReason != "Lee Chen declined" {
			t.Fatalf("after decline: %+v", got)
		}
		entries, _ := audit.List(ctx, db.Gorm, "booking", b.ID)
		if last := entries[len(entries)-1]; last.Action != bookings.AuditNeedsAttention {
			t.Fatalf("audit = %+v", entries)
		}
		// A second sync with nothing new writes nothing new.
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		if again, _ := audit.List(ctx, db.Gorm, "booking", b.ID); len(again) != len(entries) {
			t.Fatalf("audit grew without a change: %+v", again)
		}

		// Retry clears the mark; the push re-sends the event.
		if _, err := fx.svc.Retry(ctx, fx.facil, b.ID); err != nil {
			t.Fatal(err)
		}
		fx.work()
		if got := fx.get(b.ID); got.Status != bookings.StatusConfirmed || got.AttentionReason != "" {
			t.Fatalf("after retry: %+v", got)
		}
	})
}

func TestSyncDetectsNewConflicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		ana := fx.person("Ana Ruiz")
		b := fx.book(input("Chat", "14:00", "14:45", dana, lee, ana))
		other := fx.book(input("Other chat", "16:00", "16:45", dana, ana))
		fx.work()

		// Busy that merely touches the booking from far enough away stays
		// apart; a meeting overlapping it is a conflict.
		fx.cal.SetBusy("ana.ruiz@example.com", calendar.Interval{Start: atTime("10:00"), End: atTime("11:00")})
		fx.cal.SetBusy("lee.chen@example.com", calendar.Interval{Start: atTime("14:30"), End: atTime("15:30")})
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		got := fx.get(b.ID)
		if got.Status != bookings.StatusNeedsAttention || got.AttentionReason != "Lee Chen is now busy at that time" {
			t.Fatalf("after a new meeting: %+v", got)
		}
		if got := fx.get(other.ID); got.Status != bookings.StatusConfirmed {
			t.Fatalf("unaffected booking: %+v", got)
		}

		// Two reasons at once are both given.
		fx.cal.Respond(danaCal, calendar.EventID(b.ID), "ana.ruiz@example.com", calendar.Declined)
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		if got := fx.get(b.ID); got.AttentionReason != "Ana Ruiz declined; Lee Chen is now busy at that time" {
			t.Fatalf("two reasons: %q", got.AttentionReason)
		}

		// An event deleted on the calendar needs attention too.
		fx.cal.Delete(danaCal, calendar.EventID(other.ID))
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		if got := fx.get(other.ID); got.Status != bookings.StatusNeedsAttention ||
			got.AttentionReason != "the event was deleted from Google Calendar" {
			t.Fatalf("deleted event: %+v", got)
		}

		// Free/busy failing does not stop the answers from being read.
		b2 := fx.book(input("Third", "18:00", "18:30", dana, lee))
		fx.work()
		fx.cal.Respond(danaCal, calendar.EventID(b2.ID), "lee.chen@example.com", calendar.Declined)
		fx.cal.Fail("freebusy", &calendar.Error{Kind: calendar.Retryable, Err: errors.New("503")})
		if err := fx.svc.SyncResponses(ctx); err == nil {
			t.Fatal("a free/busy failure was not reported")
		}
		if got := fx.get(b2.ID); got.AttentionReason != "Lee Chen declined" {
			t.Fatalf("declines without free/busy: %+v", got)
		}
	})
}

func TestSyncResyncsWhenTokenExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		b := fx.book(input("Chat", "14:00", "14:45", dana, lee))
		fx.work()
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		var token string
		if err := db.Gorm.Raw("SELECT sync_token FROM calendar_sync_state WHERE organizer = ?", danaCal).Row().Scan(&token); err != nil || token == "" {
			t.Fatalf("token = %q %v", token, err)
		}
		changes := fx.cal.Calls("changes")

		fx.cal.Respond(danaCal, calendar.EventID(b.ID), "lee.chen@example.com", calendar.Tentative)
		fx.cal.ExpireTokens()
		if err := fx.svc.SyncResponses(ctx); err != nil {
			t.Fatal(err)
		}
		// One refused call with the old token, one full sync.
		if n := fx.cal.Calls("changes") - changes; n != 2 {
			t.Fatalf("changes calls = %d", n)
		}
		if got := fx.get(b.ID); got.Attendees[0].Response != bookings.ResponseTentative || got.Status != bookings.StatusConfirmed {
			t.Fatalf("after resync: %+v", got)
		}
		var next string
		if err := db.Gorm.Raw("SELECT sync_token FROM calendar_sync_state WHERE organizer = ?", danaCal).Row().Scan(&next); err != nil || next == token {
			t.Fatalf("token after resync = %q (was %q) %v", next, token, err)
		}

		// A changes failure is reported and the token kept.
		fx.cal.Fail("changes", &calendar.Error{Kind: calendar.Retryable, Err: errors.New("500")})
		if err := fx.svc.SyncResponses(ctx); err == nil {
			t.Fatal("changes failure not reported")
		}

		// Past bookings are not synced.
		late := fx.service(map[string]calendar.Provider{"google": fx.cal}, fx.queue,
			bookings.WithClock(func() time.Time { return atTime("23:00") }))
		calls := fx.cal.Calls("changes")
		if err := late.SyncResponses(ctx); err != nil || fx.cal.Calls("changes") != calls {
			t.Fatalf("past bookings synced: %v", err)
		}
	})
}
