package bookings_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

const danaCal = "dana.ortiz@example.com"

func retryable(after time.Duration, msg string) error {
	return &calendar.Error{Kind: calendar.Retryable, RetryAfter: after, Err: errors.New(msg)}
}

func TestPushSuccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen", calendarID("lee@cal.example.com"))
		ana := fx.person("Ana Ruiz")
		in := input("Chat", "14:00", "14:45", dana, lee)
		in.Description = "How did the checkout incident look from where you were?"
		in.Attendees = append(in.Attendees, bookings.AttendeeInput{PersonID: ana, Optional: true})
		b := fx.book(in)

		if err := fx.svc.Push(ctx, b.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		ev, ok := fx.cal.Event(danaCal, calendar.EventID(b.ID))
		if !ok {
			t.Fatalf("no event; have %+v", fx.cal.Events())
		}
		if ev.BookingID != b.ID || ev.ConferenceRequestID != calendar.ConferenceRequestID(b.ID) || ev.Title != "Chat" ||
			ev.Description != in.Description || !ev.Start.Equal(atTime("14:00")) || !ev.End.Equal(atTime("14:45")) {
			t.Fatalf("event = %+v", ev)
		}
		emails := map[string]bool{}
		for _, a := range ev.Attendees {
			emails[a.Email] = a.Optional
		}
		if len(emails) != 2 || emails["lee@cal.example.com"] || !emails["ana.ruiz@example.com"] {
			t.Fatalf("attendees = %+v (calendar id wins over email)", ev.Attendees)
		}
		got := fx.get(b.ID)
		if got.Status != bookings.StatusConfirmed || got.ExternalID != calendar.EventID(b.ID) || got.MeetURL == "" ||
			got.Attempts != 1 || got.LastError != "" {
			t.Fatalf("confirmed = %+v", got)
		}
		var etag string
		if err := db.Gorm.Raw("SELECT etag FROM bookings WHERE id = ?", b.ID).Row().Scan(&etag); err != nil || etag != ev.ETag {
			t.Fatalf("etag = %q (%v), want %q", etag, err, ev.ETag)
		}

		// Running the job again (River re-runs a job whose process died
		// before it recorded the job as done) changes nothing on the
		// calendar and sends attendees no "updated invitation".
		updates, gets := fx.cal.Calls(bookingsOpUpdate), fx.cal.Calls(bookingsOpGet)
		if err := fx.svc.Push(ctx, b.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		if n := len(fx.cal.Events()); n != 1 || fx.cal.Calls(bookingsOpCreate) != 1 {
			t.Fatalf("events = %d, creates = %d", n, fx.cal.Calls(bookingsOpCreate))
		}
		if fx.cal.Calls(bookingsOpUpdate) != updates || fx.cal.Calls(bookingsOpGet) != gets {
			t.Fatalf("a repeated push of a confirmed booking called the calendar: updates %d→%d, gets %d→%d",
				updates, fx.cal.Calls(bookingsOpUpdate), gets, fx.cal.Calls(bookingsOpGet))
		}

		// A reschedule pushes an update to the same event.
		if _, err := fx.svc.Update(ctx, fx.facil, b.ID, bookings.Patch{Start: ptr(at("15:00")), End: ptr(at("15:30"))}); err != nil {
			t.Fatal(err)
		}
		fx.drain()
		if err := fx.svc.Push(ctx, b.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		ev, _ = fx.cal.Event(danaCal, calendar.EventID(b.ID))
		if !ev.Start.Equal(atTime("15:00")) || len(fx.cal.Events()) != 1 {
			t.Fatalf("after reschedule: %+v", ev)
		}
		if got := fx.get(b.ID); got.Status != bookings.StatusConfirmed || got.MeetURL == "" {
			t.Fatalf("after reschedule push: %+v", got)
		}
	})
}

const (
	bookingsOpCreate = "create"
	bookingsOpUpdate = "update"
	bookingsOpGet    = "get"
)

func TestPushReconciles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")

		// Lost reply: the insert applied, the job saw an error and runs
		// again; the second insert finds the id taken and adopts the event.
		b := fx.book(input("Lost reply", "09:00", "09:30", dana, lee))
		fx.cal.LoseReply(bookingsOpCreate, 1)
		var re *bookings.RetryError
		if err := fx.svc.Push(ctx, b.ID, 1, 8); !errors.As(err, &re) {
			t.Fatalf("first attempt: %v", err)
		}
		if got := fx.get(b.ID); got.Status != bookings.StatusPending || !strings.Contains(got.LastError, "trying again") {
			t.Fatalf("between attempts: %+v", got)
		}
		if err := fx.svc.Push(ctx, b.ID, 2, 8); err != nil {
			t.Fatal(err)
		}
		if got := fx.get(b.ID); got.Status != bookings.StatusConfirmed || got.Attempts != 2 || got.ExternalID == "" || got.LastError != "" {
			t.Fatalf("adopted: %+v", got)
		}
		if n := len(fx.cal.Events()); n != 1 || fx.cal.Calls(bookingsOpUpdate) != 0 {
			t.Fatalf("events = %d, updates = %d", n, fx.cal.Calls(bookingsOpUpdate))
		}

		// Lost reply, then a reschedule before the retry: the adopted
		// event is updated to the new time.
		b2 := fx.book(input("Lost then moved", "10:00", "10:30", dana, lee))
		fx.cal.LoseReply(bookingsOpCreate, 1)
		_ = fx.svc.Push(ctx, b2.ID, 1, 8)
		if _, err := fx.svc.Update(ctx, fx.facil, b2.ID, bookings.Patch{Start: ptr(at("11:00")), End: ptr(at("11:30"))}); err != nil {
			t.Fatal(err)
		}
		if err := fx.svc.Push(ctx, b2.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		ev, _ := fx.cal.Event(danaCal, calendar.EventID(b2.ID))
		if !ev.Start.Equal(atTime("11:00")) || fx.cal.Calls(bookingsOpUpdate) != 1 {
			t.Fatalf("reconciled event = %+v (updates %d)", ev, fx.cal.Calls(bookingsOpUpdate))
		}

		// An event under our id that belongs to another booking is a
		// permanent failure, not adopted.
		b3 := fx.book(input("Squatted", "12:00", "12:30", dana, lee))
		fx.cal.Put(calendar.Event{ID: calendar.EventID(b3.ID), BookingID: "someone-else", Organizer: danaCal, Title: "Other"})
		err := fx.svc.Push(ctx, b3.ID, 1, 8)
		if !errors.Is(err, bookings.ErrGiveUp) {
			t.Fatalf("squatted: %v", err)
		}
		if got := fx.get(b3.ID); got.Status != bookings.StatusFailed || !strings.Contains(got.LastError, "belongs to another booking") {
			t.Fatalf("squatted booking = %+v", got)
		}

		// Precondition: the event changed since we stored its etag (an
		// attendee answered); refetch and reapply, keeping the answer.
		fx.cal.Respond(danaCal, calendar.EventID(b.ID), "lee.chen@example.com", calendar.Accepted)
		if _, err := fx.svc.Update(ctx, fx.facil, b.ID, bookings.Patch{Title: ptr("Lost reply (renamed)")}); err != nil {
			t.Fatal(err)
		}
		if err := fx.svc.Push(ctx, b.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		ev, _ = fx.cal.Event(danaCal, calendar.EventID(b.ID))
		if ev.Title != "Lost reply (renamed)" || ev.Attendees[0].Response != calendar.Accepted {
			t.Fatalf("after precondition: %+v", ev)
		}
		if got := fx.get(b.ID); got.Status != bookings.StatusConfirmed {
			t.Fatalf("after precondition: %+v", got)
		}

		// NotFound on update: the event vanished; create it again.
		b4 := fx.book(input("Vanishing", "13:00", "13:30", dana, lee))
		if err := fx.svc.Push(ctx, b4.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.Update(ctx, fx.facil, b4.ID, bookings.Patch{Title: ptr("Vanishing (renamed)")}); err != nil {
			t.Fatal(err)
		}
		fx.cal.Fail(bookingsOpUpdate, &calendar.Error{Kind: calendar.NotFound, Err: errors.New("gone")})
		creates := fx.cal.Calls(bookingsOpCreate)
		if err := fx.svc.Push(ctx, b4.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		// The create finds the id taken (the fake still has it), reads it
		// and updates it: no duplicate either way.
		if fx.cal.Calls(bookingsOpCreate) != creates+1 || fx.get(b4.ID).Status != bookings.StatusConfirmed {
			t.Fatalf("after not found: creates %d, %+v", fx.cal.Calls(bookingsOpCreate)-creates, fx.get(b4.ID))
		}
		ev, _ = fx.cal.Event(danaCal, calendar.EventID(b4.ID))
		if ev.Title != "Vanishing (renamed)" {
			t.Fatalf("after not found: %+v", ev)
		}
	})
}

func TestPushFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")

		// Retryable with a hint: a RetryError carrying it.
		b := fx.book(input("Rate limited", "09:00", "09:30", dana, lee))
		fx.cal.Fail(bookingsOpCreate, retryable(7*time.Second, "googleapi: Error 429: rateLimitExceeded"))
		err := fx.svc.Push(ctx, b.ID, 1, 8)
		var re *bookings.RetryError
		if !errors.As(err, &re) || re.After != 7*time.Second || calendar.KindOf(err) != calendar.Retryable {
			t.Fatalf("retryable: %v", err)
		}
		if got := fx.get(b.ID); got.Status != bookings.StatusPending || got.Attempts != 1 {
			t.Fatalf("after a retryable error: %+v", got)
		}

		// The last attempt still failing: failed, with the reason and a
		// pointer to Retry, and the queue told to give up.
		fx.cal.Fail(bookingsOpCreate, retryable(0, "googleapi: Error 503: backendError"))
		err = fx.svc.Push(ctx, b.ID, 8, 8)
		if !errors.Is(err, bookings.ErrGiveUp) {
			t.Fatalf("last attempt: %v", err)
		}
		got := fx.get(b.ID)
		if got.Status != bookings.StatusFailed || got.Attempts != 8 ||
			got.LastError != "Google Calendar kept failing after 8 attempts (last answer: googleapi: Error 503: backendError); use Retry to try again" {
			t.Fatalf("failed = %+v", got)
		}
		entries, _ := audit.List(ctx, db.Gorm, "booking", b.ID)
		if last := entries[len(entries)-1]; last.Action != bookings.AuditFailed || last.ActorUserID != nil {
			t.Fatalf("audit = %+v", entries)
		}

		// Retry: pending again with a unique push; a double click adds
		// nothing.
		fx.drain()
		r, err := fx.svc.Retry(ctx, fx.facil, b.ID)
		if err != nil || r.Status != bookings.StatusPending || r.Attempts != 0 {
			t.Fatalf("retry = %+v %v", r, err)
		}
		if _, err := fx.svc.Retry(ctx, fx.facil, b.ID); err != nil {
			t.Fatal(err)
		}
		p := fx.pending()
		if len(p) != 1 || p[0].Kind != bookings.KindPush || !p[0].Unique {
			t.Fatalf("jobs after double retry = %+v", p)
		}
		fx.work()
		if got := fx.get(b.ID); got.Status != bookings.StatusConfirmed || got.LastError != "" {
			t.Fatalf("after retry = %+v", got)
		}
		_, err = fx.svc.Retry(ctx, fx.facil, b.ID)
		wantCode(t, err, apperr.Conflict)

		// Permanent: failed at once, whatever the attempt.
		b2 := fx.book(input("Forbidden", "10:00", "10:30", dana, lee))
		fx.cal.Fail(bookingsOpCreate, &calendar.Error{Kind: calendar.Permanent, Err: errors.New("googleapi: Error 403: forbiddenForNonOrganizer")})
		err = fx.svc.Push(ctx, b2.ID, 1, 8)
		var gu *bookings.GiveUpError
		if !errors.As(err, &gu) {
			t.Fatalf("permanent: %v", err)
		}
		if got := fx.get(b2.ID); got.Status != bookings.StatusFailed ||
			got.LastError != "Google Calendar refused the booking: googleapi: Error 403: forbiddenForNonOrganizer" {
			t.Fatalf("permanent = %+v", got)
		}

		// Through the queue's runner: 8 attempts of 503, then failed.
		b3 := fx.book(input("Always 503", "11:00", "11:30", dana, lee))
		for range 8 {
			fx.cal.Fail(bookingsOpCreate, retryable(0, "googleapi: Error 503"))
		}
		res := fx.work()
		var last error
		for _, r := range res {
			if r.Job.BookingID == b3.ID {
				last = r.Err
				if r.Attempts != 8 {
					t.Fatalf("attempts = %d", r.Attempts)
				}
			}
		}
		if !errors.Is(last, bookings.ErrGiveUp) || fx.get(b3.ID).Status != bookings.StatusFailed {
			t.Fatalf("after 8 failures: %v %+v", last, fx.get(b3.ID))
		}

		// A provider that is no longer configured: failed, with why.
		b4 := fx.book(input("No google", "12:00", "12:30", dana, lee))
		bare := fx.service(nil, fx.queue)
		if err := bare.Push(ctx, b4.ID, 1, 8); !errors.Is(err, bookings.ErrGiveUp) {
			t.Fatalf("unconfigured: %v", err)
		}
		if got := fx.get(b4.ID); got.Status != bookings.StatusFailed || !strings.Contains(got.LastError, "not configured") {
			t.Fatalf("unconfigured = %+v", got)
		}

		// Jobs about nothing give up instead of retrying forever.
		if err := fx.svc.Push(ctx, "not-an-id", 1, 8); !errors.Is(err, bookings.ErrGiveUp) {
			t.Fatalf("bad id: %v", err)
		}
	})
}

func TestPushCanceledAndConcurrentChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")

		// Canceled before any push: the push does nothing at all.
		b := fx.book(input("Never sent", "09:00", "09:30", dana, lee))
		if _, err := fx.svc.Cancel(ctx, fx.facil, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := fx.svc.Push(ctx, b.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		if fx.cal.Calls(bookingsOpCreate) != 0 || len(fx.cal.Events()) != 0 {
			t.Fatalf("push of a canceled booking reached the calendar: %+v", fx.cal.Events())
		}

		// Rescheduled while the push was talking to the calendar: the
		// stale details are not confirmed; another push is queued and
		// brings the calendar up to date.
		hook := &hookProvider{Provider: fx.cal}
		svc := fx.service(map[string]calendar.Provider{"google": hook}, fx.queue)
		b2 := fx.book(input("Moved mid-push", "10:00", "10:30", dana, lee))
		fx.drain()
		hook.beforeCreate = func() {
			if _, err := fx.svc.Update(ctx, fx.facil, b2.ID, bookings.Patch{Start: ptr(at("10:30")), End: ptr(at("11:00"))}); err != nil {
				t.Error(err)
			}
		}
		if err := svc.Push(ctx, b2.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		got := fx.get(b2.ID)
		if got.Status != bookings.StatusPending || got.ExternalID == "" {
			t.Fatalf("after a stale push: %+v", got)
		}
		// One push from the reschedule, one from the stale push.
		if k := kinds(fx.pending()); !slices.Equal(k, []string{bookings.KindPush, bookings.KindPush}) {
			t.Fatalf("jobs = %v", k)
		}
		fx.work()
		ev, _ := fx.cal.Event(danaCal, calendar.EventID(b2.ID))
		if got := fx.get(b2.ID); got.Status != bookings.StatusConfirmed || !ev.Start.Equal(atTime("10:30")) || len(fx.cal.Events()) != 1 {
			t.Fatalf("converged: %+v / %+v", got, ev)
		}

		// Canceled while the push was creating the event: the cancel job
		// found nothing, so the push queues another cancel.
		b3 := fx.book(input("Canceled mid-push", "12:00", "12:30", dana, lee))
		fx.drain()
		hook.beforeCreate = func() {
			if _, err := fx.svc.Cancel(ctx, fx.facil, b3.ID); err != nil {
				t.Error(err)
			}
			if err := fx.svc.CancelRemote(ctx, b3.ID, 1, 8); err != nil {
				t.Error(err)
			}
			fx.drain()
		}
		if err := svc.Push(ctx, b3.ID, 1, 8); err != nil {
			t.Fatal(err)
		}
		if k := kinds(fx.pending()); !slices.Equal(k, []string{bookings.KindCancel}) {
			t.Fatalf("jobs = %v", k)
		}
		fx.work()
		ev, _ = fx.cal.Event(danaCal, calendar.EventID(b3.ID))
		if ev.Status != "cancelled" || fx.get(b3.ID).Status != bookings.StatusCanceled {
			t.Fatalf("event = %+v, booking %+v", ev, fx.get(b3.ID))
		}

		// A push whose reply was lost, then a cancel, then the retry: the
		// retry cancels what the lost attempt created.
		b4 := fx.book(input("Lost then canceled", "13:00", "13:30", dana, lee))
		fx.drain()
		fx.cal.LoseReply(bookingsOpCreate, 1)
		_ = fx.svc.Push(ctx, b4.ID, 1, 8)
		if _, err := fx.svc.Cancel(ctx, fx.facil, b4.ID); err != nil {
			t.Fatal(err)
		}
		fx.drain() // the cancel job is lost too, say
		if err := fx.svc.Push(ctx, b4.ID, 2, 8); err != nil {
			t.Fatal(err)
		}
		if ev, _ := fx.cal.Event(danaCal, calendar.EventID(b4.ID)); ev.Status != "cancelled" {
			t.Fatalf("event = %+v", ev)
		}
	})
}

func TestCancelRemoteFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		b := fx.book(input("Chat", "09:00", "09:30", dana, lee))
		fx.work()
		if _, err := fx.svc.Cancel(ctx, fx.facil, b.ID); err != nil {
			t.Fatal(err)
		}
		fx.cal.Fail("cancel", retryable(time.Second, "googleapi: Error 500"))
		var re *bookings.RetryError
		if err := fx.svc.CancelRemote(ctx, b.ID, 1, 3); !errors.As(err, &re) || re.After != time.Second {
			t.Fatalf("retryable cancel: %v", err)
		}
		fx.cal.Fail("cancel", retryable(0, "googleapi: Error 500"))
		if err := fx.svc.CancelRemote(ctx, b.ID, 3, 3); !errors.Is(err, bookings.ErrGiveUp) {
			t.Fatalf("last cancel attempt: %v", err)
		}
		got := fx.get(b.ID)
		if got.Status != bookings.StatusCanceled || !strings.Contains(got.LastError, "could not cancel") {
			t.Fatalf("after failed cancel: %+v", got)
		}
		// An event already gone is fine.
		fx.cal.Fail("cancel", &calendar.Error{Kind: calendar.NotFound, Err: errors.New("gone")})
		if err := fx.svc.CancelRemote(ctx, b.ID, 1, 3); err != nil {
			t.Fatal(err)
		}
		// A stale cancel job for a live booking does nothing.
		b2 := fx.book(input("Live", "10:00", "10:30", dana, lee))
		fx.work()
		calls := fx.cal.Calls("cancel")
		if err := fx.svc.CancelRemote(ctx, b2.ID, 1, 3); err != nil || fx.cal.Calls("cancel") != calls {
			t.Fatalf("stale cancel: %v", err)
		}
	})
}
