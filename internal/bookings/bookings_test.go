package bookings_test

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/pagination"
)

func TestCreateGoogleHoldsAndEnqueuesPush(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		ana := fx.person("Ana Ruiz")

		in := input("  Chat: checkout incident ", "14:00", "14:45", dana, lee)
		in.Attendees = append(in.Attendees, bookings.AttendeeInput{PersonID: ana, Optional: true})
		in.Start = "2026-11-25T15:00:00+01:00" // any offset; stored in UTC
		b, err := fx.svc.Create(ctx, fx.facil, in)
		if err != nil {
			t.Fatal(err)
		}
		if b.Title != "Chat: checkout incident" || b.Status != bookings.StatusPending || b.Provider != "google" ||
			b.Kind != bookings.KindChat || b.Sequence != 0 || b.ICSURL != nil || b.ExternalID != "" {
			t.Fatalf("booking = %+v", b)
		}
		if !b.Start.Equal(atTime("14:00")) || b.Start.Location() != time.UTC || !b.End.Equal(atTime("14:45")) {
			t.Fatalf("times = %v %v", b.Start, b.End)
		}
		if b.Organizer.ID == nil || *b.Organizer.ID != dana || b.Organizer.Name != "Dana Ortiz" || b.Organizer.Email != "dana.ortiz@example.com" {
			t.Fatalf("organizer = %+v", b.Organizer)
		}
		// Required first, then optional.
		if len(b.Attendees) != 2 || b.Attendees[0].Person.Name != "Lee Chen" || b.Attendees[0].Optional ||
			b.Attendees[1].Person.Name != "Ana Ruiz" || !b.Attendees[1].Optional ||
			b.Attendees[0].Response != bookings.ResponseNeedsAction || b.Attendees[0].Person.Timezone != "Europe/Berlin" {
			t.Fatalf("attendees = %+v", b.Attendees)
		}
		// Everyone is held, the organizer too.
		if n := fx.count("SELECT COUNT(*) FROM booking_holds WHERE booking_id = ? AND active", b.ID); n != 3 {
			t.Fatalf("holds = %d, want 3", n)
		}
		jobs := fx.jobs()
		if len(jobs) != 1 || jobs[0].Kind != bookings.KindPush || jobs[0].BookingID != b.ID || jobs[0].Unique {
			t.Fatalf("jobs = %+v", jobs)
		}
		if jobs[0].Args != `{"booking_id":"`+b.ID+`"}` {
			t.Fatalf("args = %s", jobs[0].Args)
		}
		entries, err := audit.List(ctx, db.Gorm, "booking", b.ID)
		if err != nil || len(entries) != 1 || entries[0].Action != bookings.AuditCreated || *entries[0].ActorUserID != fx.facil.UserID {
			t.Fatalf("audit = %+v %v", entries, err)
		}

		// The JSON shape is the API contract.
		raw, _ := json.Marshal(b)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		want := []string{"attempts", "attendees", "attention_reason", "canceled_at", "created_at", "description", "end",
			"event_id", "external_id", "ics_url", "id", "kind", "last_error", "meet_url", "organizer", "provider",
			"sequence", "start", "status", "title", "updated_at"}
		if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, want) {
			t.Fatalf("json keys = %v", got)
		}
		if m["start"] != "2026-11-25T14:00:00Z" || m["ics_url"] != nil || m["event_id"] != nil {
			t.Fatalf("json = %s", raw)
		}
		if !strings.Contains(string(raw), `"person":{"id":"`+lee+`","name":"Lee Chen","email":"lee.chen@example.com","timezone":"Europe/Berlin"},"optional":false,"response":"needsAction"`) {
			t.Fatalf("attendee json = %s", raw)
		}
	})
}

func TestCreateValidationLeavesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		gone := fx.person("Gone Person", inactive)

		many := make([]string, 51)
		for i := range many {
			many[i] = uuid.NewString()
		}
		cases := []struct {
			name   string
			in     bookings.Input
			fields []string
		}{
			{"end before start", input("x", "15:00", "14:00", dana, lee), []string{"end"}},
			{"too short", input("x", "14:00", "14:05", dana, lee), []string{"end"}},
			{"too long", bookings.Input{Title: "x", Start: at("08:00"), End: "2026-11-25T16:00:01Z", OrganizerPersonID: dana,
				Attendees: []bookings.AttendeeInput{{PersonID: lee}}}, []string{"end"}},
			{"bad time", bookings.Input{Title: "x", Start: "tomorrow", End: at("15:00"), OrganizerPersonID: dana,
				Attendees: []bookings.AttendeeInput{{PersonID: lee}}}, []string{"start"}},
			{"no title", input(" ", "14:00", "15:00", dana, lee), []string{"title"}},
			{"no attendees", input("x", "14:00", "15:00", dana), []string{"attendees"}},
			{"too many attendees", input("x", "14:00", "15:00", dana, many...), []string{"attendees"}},
			{"unknown attendee", input("x", "14:00", "15:00", dana, uuid.NewString()), []string{"attendees[0].person_id"}},
			{"inactive attendee", input("x", "14:00", "15:00", dana, lee, gone), []string{"attendees[1].person_id"}},
			{"duplicate", input("x", "14:00", "15:00", dana, lee, lee), []string{"attendees[1].person_id"}},
			{"organizer as attendee", input("x", "14:00", "15:00", dana, dana), []string{"attendees[0].person_id"}},
			{"unknown organizer", input("x", "14:00", "15:00", uuid.NewString(), lee), []string{"organizer_person_id"}},
			{"no organizer", input("x", "14:00", "15:00", "", lee), []string{"organizer_person_id"}},
			{"bad organizer email", func() bookings.Input {
				in := input("x", "14:00", "15:00", "", lee)
				in.OrganizerEmail = "not an email"
				return in
			}(), []string{"organizer_email"}},
			{"unknown provider", func() bookings.Input {
				in := input("x", "14:00", "15:00", dana, lee)
				in.Provider = "outlook"
				return in
			}(), []string{"provider"}},
			{"bad kind", func() bookings.Input {
				in := input("x", "14:00", "15:00", dana, lee)
				in.Kind = "party"
				return in
			}(), []string{"kind"}},
			{"unknown event", func() bookings.Input {
				in := input("x", "14:00", "15:00", dana, lee)
				in.EventID = uuid.NewString()
				return in
			}(), []string{"event_id"}},
		}
		for _, c := range cases {
			_, err := fx.svc.Create(ctx, fx.facil, c.in)
			e := wantCode(t, err, apperr.Invalid)
			if got := fieldNames(e); !slices.Equal(got, c.fields) {
				t.Errorf("%s: fields = %v (%+v), want %v", c.name, got, e.Fields, c.fields)
			}
		}
		if n := fx.count("SELECT COUNT(*) FROM bookings"); n != 0 {
			t.Fatalf("bookings after invalid input = %d", n)
		}
		if n := fx.count("SELECT COUNT(*) FROM booking_holds"); n != 0 {
			t.Fatalf("holds after invalid input = %d", n)
		}
		if len(fx.jobs()) != 0 {
			t.Fatalf("jobs after invalid input = %+v", fx.jobs())
		}

		// A failure after the job was enqueued rolls the job back with the
		// booking: the queue writes in the same transaction.
		broken := fx.service(map[string]calendar.Provider{"google": fx.cal}, failingEnqueuer{fx.queue})
		if _, err := broken.Create(ctx, fx.facil, input("x", "14:00", "15:00", dana, lee)); err == nil {
			t.Fatal("create succeeded although the enqueue failed")
		}
		if n := fx.count("SELECT COUNT(*) FROM bookings"); n != 0 || len(fx.jobs()) != 0 ||
			fx.count("SELECT COUNT(*) FROM booking_holds") != 0 {
			t.Fatalf("after a failed enqueue: %d bookings, jobs %+v", n, fx.jobs())
		}
	})
}

func TestCreateBuiltinIsConfirmedAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		b := fx.book(builtin(input("Chat", "14:00", "14:45", dana, lee)))
		if b.Status != bookings.StatusConfirmed || b.Sequence != 0 || b.Provider != "builtin" ||
			b.ICSURL == nil || *b.ICSURL != "/api/v1/bookings/"+b.ID+"/invite.ics" {
			t.Fatalf("booking = %+v", b)
		}
		if len(fx.jobs()) != 0 {
			t.Fatalf("builtin booking enqueued %+v", fx.jobs())
		}
		// Without Google configured, builtin is the default.
		plain := fx.service(nil, nil)
		b2, err := plain.Create(t.Context(), fx.facil, input("Chat 2", "15:00", "15:45", dana, lee))
		if err != nil || b2.Provider != "builtin" || b2.Status != bookings.StatusConfirmed {
			t.Fatalf("default provider: %+v %v", b2, err)
		}
		_, err = plain.Create(t.Context(), fx.facil, func() bookings.Input {
			in := input("Chat 3", "16:00", "16:45", dana, lee)
			in.Provider = "google"
			return in
		}())
		if e := wantCode(t, err, apperr.Invalid); !slices.Equal(fieldNames(e), []string{"provider"}) {
			t.Fatalf("google without google: %+v", e)
		}
	})
}

func TestOrganizerByEmailAndDefault(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db, bookings.WithDefaultOrganizer("Debrief@Example.com"))
		ctx := t.Context()
		dana := fx.person("Dana Ortiz", calendarID("dana.cal@example.com"))
		lee := fx.person("Lee Chen")

		// A mailbox that is not a person: nobody is held for it.
		b := fx.book(input("Chat", "10:00", "10:30", "", lee))
		if b.Organizer.ID != nil || b.Organizer.Email != "debrief@example.com" {
			t.Fatalf("default organizer = %+v", b.Organizer)
		}
		if n := fx.count("SELECT COUNT(*) FROM booking_holds WHERE booking_id = ?", b.ID); n != 1 {
			t.Fatalf("holds = %d", n)
		}
		// An address that is a person's calendar id links the person.
		in := input("Chat 2", "11:00", "11:30", "", lee)
		in.OrganizerEmail = "DANA.CAL@example.com"
		b, err := fx.svc.Create(ctx, fx.facil, in)
		if err != nil || b.Organizer.ID == nil || *b.Organizer.ID != dana || b.Organizer.Email != "dana.ortiz@example.com" {
			t.Fatalf("organizer by calendar id = %+v %v", b.Organizer, err)
		}
		// Builtin bookings fall back to the caller's person.
		me := fx.user("facilitator", dana)
		in = builtin(input("Chat 3", "12:00", "12:30", "", lee))
		b, err = fx.svc.Create(ctx, me, in)
		if err != nil || b.Organizer.ID == nil || *b.Organizer.ID != dana {
			t.Fatalf("organizer from caller = %+v %v", b.Organizer, err)
		}
	})
}

func TestOverlapIsAConflictNamingThePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		sam := fx.person("Sam Ito")
		lee := fx.person("Lee Chen")
		ana := fx.person("Ana Ruiz")
		first := fx.book(input("Chat: checkout incident", "14:00", "14:45", dana, lee))

		_, err := fx.svc.Create(ctx, fx.facil, input("Chat: payments", "14:30", "15:00", sam, ana, lee))
		e := wantCode(t, err, apperr.Conflict)
		if want := "Lee Chen already has 'Chat: checkout incident' from 14:00 to 14:45 UTC on Wed 25 Nov 2026"; e.Message != want {
			t.Fatalf("message = %q, want %q", e.Message, want)
		}
		if len(e.Fields) != 1 || e.Fields[0].Field != "attendees[1].person_id" {
			t.Fatalf("fields = %+v", e.Fields)
		}
		// The organizer is busy too.
		_, err = fx.svc.Create(ctx, fx.facil, input("Chat: dana again", "14:40", "15:00", dana, ana))
		e = wantCode(t, err, apperr.Conflict)
		if !strings.HasPrefix(e.Message, "Dana Ortiz already has 'Chat: checkout incident'") ||
			e.Fields[0].Field != "organizer_person_id" {
			t.Fatalf("organizer clash = %q %+v", e.Message, e.Fields)
		}
		if n := fx.count("SELECT COUNT(*) FROM bookings"); n != 1 || len(fx.jobs()) != 1 {
			t.Fatalf("a refused booking left %d bookings, jobs %v", n, kinds(fx.jobs()))
		}

		// Touching is fine on both sides; other people are unaffected.
		fx.book(input("Before", "13:15", "14:00", sam, lee))
		fx.book(input("After", "14:45", "15:30", sam, lee))
		fx.book(input("Others", "14:00", "14:45", sam, ana))

		// A canceled booking frees the slot.
		if _, err := fx.svc.Cancel(ctx, fx.facil, first.ID); err != nil {
			t.Fatal(err)
		}
		b := fx.book(input("Chat: checkout incident, again", "14:10", "14:40", dana, lee))
		if b.Status != bookings.StatusPending {
			t.Fatalf("rebooked = %+v", b)
		}
	})
}

func TestRescheduleAndUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		ana := fx.person("Ana Ruiz")
		sam := fx.person("Sam Ito")
		fx.book(input("Busy Lee", "16:00", "17:00", sam, lee))
		b := fx.book(input("Chat", "14:00", "14:45", dana, lee))
		fx.drain()

		// Into a clash: refused, and nothing changes.
		_, err := fx.svc.Update(ctx, fx.facil, b.ID, bookings.Patch{Start: ptr(at("15:30")), End: ptr(at("16:15"))})
		e := wantCode(t, err, apperr.Conflict)
		if !strings.HasPrefix(e.Message, "Lee Chen already has 'Busy Lee' from 16:00 to 17:00 UTC") {
			t.Fatalf("message = %q", e.Message)
		}
		got := fx.get(b.ID)
		if !got.Start.Equal(atTime("14:00")) || got.Sequence != 0 || len(fx.pending()) != 0 {
			t.Fatalf("after refused reschedule: %+v, jobs %v", got, kinds(fx.pending()))
		}
		// Adding a busy person clashes too.
		_, err = fx.svc.Update(ctx, fx.facil, b.ID, bookings.Patch{Start: ptr(at("16:30")), End: ptr(at("17:00")),
			Attendees: &[]bookings.AttendeeInput{{PersonID: sam}}})
		if e := wantCode(t, err, apperr.Conflict); !strings.HasPrefix(e.Message, "Sam Ito already has 'Busy Lee'") ||
			e.Fields[0].Field != "attendees[0].person_id" {
			t.Fatalf("added attendee clash = %q %+v", e.Message, e.Fields)
		}

		// A Google reschedule raises the sequence, goes back to pending and
		// queues a push; answers are reset by the new time.
		if err := db.Gorm.Exec("UPDATE booking_attendees SET response = 'accepted' WHERE booking_id = ?", b.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("UPDATE bookings SET status = 'confirmed' WHERE id = ?", b.ID).Error; err != nil {
			t.Fatal(err)
		}
		got, err = fx.svc.Update(ctx, fx.facil, b.ID, bookings.Patch{Start: ptr(at("15:00")), End: ptr(at("15:45")), Title: ptr("Chat (moved)")})
		if err != nil {
			t.Fatal(err)
		}
		if got.Sequence != 1 || got.Status != bookings.StatusPending || got.Title != "Chat (moved)" ||
			!got.Start.Equal(atTime("15:00")) || got.Attendees[0].Response != bookings.ResponseNeedsAction {
			t.Fatalf("rescheduled = %+v", got)
		}
		if k := kinds(fx.pending()); !slices.Equal(k, []string{bookings.KindPush}) {
			t.Fatalf("jobs = %v", k)
		}
		// The old slot is free, the new one held.
		fx.book(input("Takes the old slot", "14:00", "14:45", sam, lee))
		_, err = fx.svc.Create(ctx, fx.facil, input("Clash new slot", "15:30", "16:00", sam, lee))
		wantCode(t, err, apperr.Conflict)

		// Changing attendees keeps the answers of people who stay.
		fx.drain()
		if err := db.Gorm.Exec("UPDATE booking_attendees SET response = 'accepted' WHERE booking_id = ?", b.ID).Error; err != nil {
			t.Fatal(err)
		}
		got, err = fx.svc.Update(ctx, fx.facil, b.ID, bookings.Patch{Attendees: &[]bookings.AttendeeInput{{PersonID: lee}, {PersonID: ana, Optional: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Sequence != 2 || len(got.Attendees) != 2 || got.Attendees[0].Response != bookings.ResponseAccepted ||
			got.Attendees[1].Response != bookings.ResponseNeedsAction || !got.Attendees[1].Optional {
			t.Fatalf("attendees changed = %+v", got)
		}
		if n := fx.count("SELECT COUNT(*) FROM booking_holds WHERE booking_id = ? AND active", b.ID); n != 3 {
			t.Fatalf("holds = %d", n)
		}
		// A patch that changes nothing is not a new version.
		got, err = fx.svc.Update(ctx, fx.facil, b.ID, bookings.Patch{Title: ptr("Chat (moved)")})
		if err != nil || got.Sequence != 2 {
			t.Fatalf("no-op patch: %+v %v", got, err)
		}
		// Invalid patches.
		_, err = fx.svc.Update(ctx, fx.facil, b.ID, bookings.Patch{End: ptr(at("15:05"))})
		wantCode(t, err, apperr.Invalid)

		// Builtin bookings stay confirmed and enqueue nothing.
		fx.drain()
		bb := fx.book(builtin(input("Builtin", "09:00", "09:30", dana, ana)))
		got, err = fx.svc.Update(ctx, fx.facil, bb.ID, bookings.Patch{Start: ptr(at("09:30")), End: ptr(at("10:00"))})
		if err != nil || got.Status != bookings.StatusConfirmed || got.Sequence != 1 || len(fx.pending()) != 0 {
			t.Fatalf("builtin reschedule: %+v %v jobs %v", got, err, kinds(fx.pending()))
		}

		// A canceled booking cannot be changed.
		if _, err := fx.svc.Cancel(ctx, fx.facil, bb.ID); err != nil {
			t.Fatal(err)
		}
		_, err = fx.svc.Update(ctx, fx.facil, bb.ID, bookings.Patch{Title: ptr("x")})
		wantCode(t, err, apperr.Conflict)
	})
}

func TestCancel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		g := fx.book(input("Google", "14:00", "14:45", dana, lee))
		fx.work()
		if ev, ok := fx.cal.Event("dana.ortiz@example.com", calendar.EventID(g.ID)); !ok || ev.Status != "confirmed" {
			t.Fatalf("event = %+v %v", ev, ok)
		}
		c, err := fx.svc.Cancel(ctx, fx.facil, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != bookings.StatusCanceled || c.CanceledAt == nil || c.Sequence != 1 {
			t.Fatalf("canceled = %+v", c)
		}
		if n := fx.count("SELECT COUNT(*) FROM booking_holds WHERE booking_id = ? AND active", g.ID); n != 0 {
			t.Fatalf("active holds = %d", n)
		}
		if n := fx.count("SELECT COUNT(*) FROM booking_holds WHERE booking_id = ?", g.ID); n != 2 {
			t.Fatalf("holds kept as history = %d", n)
		}
		if k := kinds(fx.pending()); !slices.Equal(k, []string{bookings.KindCancel}) {
			t.Fatalf("jobs = %v", k)
		}
		// Canceling again is fine and enqueues nothing more.
		if _, err := fx.svc.Cancel(ctx, fx.facil, g.ID); err != nil {
			t.Fatal(err)
		}
		if len(fx.pending()) != 1 {
			t.Fatalf("jobs = %v", kinds(fx.pending()))
		}
		for _, r := range fx.work() {
			if r.Err != nil {
				t.Fatalf("cancel job: %v", r.Err)
			}
		}
		if ev, _ := fx.cal.Event("dana.ortiz@example.com", calendar.EventID(g.ID)); ev.Status != "cancelled" {
			t.Fatalf("event after cancel = %+v", ev)
		}
		// Running the cancel job again is harmless.
		if err := fx.svc.CancelRemote(ctx, g.ID, 1, 8); err != nil {
			t.Fatal(err)
		}

		// Builtin: the sequence goes up so the CANCEL supersedes the invite.
		b := fx.book(builtin(input("Builtin", "14:00", "14:45", dana, lee)))
		c, err = fx.svc.Cancel(ctx, fx.facil, b.ID)
		if err != nil || c.Status != bookings.StatusCanceled || c.Sequence != 1 || len(fx.pending()) != 0 {
			t.Fatalf("builtin cancel = %+v %v jobs %v", c, err, kinds(fx.pending()))
		}
		entries, _ := audit.List(ctx, db.Gorm, "booking", b.ID)
		if len(entries) != 2 || entries[1].Action != bookings.AuditCanceled {
			t.Fatalf("audit = %+v", entries)
		}
	})
}

// TestConcurrentBookingsOneWins books one person 50 times at overlapping
// times from 50 goroutines: exactly one booking commits and every other
// request gets a conflict naming the person.
func TestConcurrentBookingsOneWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		lee := fx.person("Lee Chen")
		const n = 50
		organizers := make([]string, n)
		for i := range organizers {
			organizers[i] = fx.person("Organizer " + string(rune('A'+i%26)) + string(rune('a'+i/26)))
		}
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, n)
		)
		for i := range n {
			wg.Go(func() {
				<-start
				// Every booking overlaps every other: all contain 14:30.
				in := input("Chat", "14:00", "15:00", organizers[i], lee)
				in.Start = time.Date(2026, 11, 25, 14, i%20, 0, 0, time.UTC).Format(time.RFC3339)
				in.End = time.Date(2026, 11, 25, 14, 31+i%25, 0, 0, time.UTC).Format(time.RFC3339)
				_, errs[i] = fx.svc.Create(t.Context(), fx.facil, in)
			})
		}
		close(start)
		wg.Wait()
		ok, conflicts := 0, 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case apperr.CodeOf(err) == apperr.Conflict:
				conflicts++
				if e, _ := apperr.As(err); !strings.HasPrefix(e.Message, "Lee Chen already has 'Chat'") {
					t.Errorf("conflict message = %q", e.Message)
				}
				// There is no check in Go: every refusal is the database's.
				if msg := err.Error(); !strings.Contains(msg, "23P01") && !strings.Contains(msg, "booking_overlap") {
					t.Errorf("conflict not from the database: %v", err)
				}
			default:
				t.Errorf("request %d: %v", i, err)
			}
		}
		if ok != 1 || conflicts != n-1 {
			t.Fatalf("%d succeeded and %d conflicted, want 1 and %d", ok, conflicts, n-1)
		}
		if c := fx.count("SELECT COUNT(*) FROM bookings"); c != 1 {
			t.Fatalf("bookings = %d", c)
		}
		if c := fx.count("SELECT COUNT(*) FROM booking_holds WHERE active"); c != 2 {
			t.Fatalf("holds = %d", c)
		}
		if c := len(fx.jobs()); c != 1 {
			t.Fatalf("jobs = %d", c)
		}
	})
}

// TestDatabaseRefusesOverlap bypasses the service and writes holds with
// SQL: the constraint (PostgreSQL) or triggers (SQLite) refuse on their
// own, so the guarantee does not depend on Go code.
func TestDatabaseRefusesOverlap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		fx.book(builtin(input("Held", "14:00", "15:00", dana, lee)))

		other := uuid.NewString()
		now := time.Now().UTC()
		err := db.Gorm.Exec(`INSERT INTO bookings (id, title, kind, provider, organizer_email, start_at, end_at, status, created_at, updated_at)
			VALUES (?, 'raw', 'other', 'builtin', 'x@example.com', ?, ?, 'confirmed', ?, ?)`,
			other, atTime("14:30"), atTime("15:30"), now, now).Error
		if err != nil {
			t.Fatal(err)
		}
		hold := func(person, start, end string, active bool) error {
			if db.Gorm.Name() == "postgres" {
				return db.Gorm.Exec(`INSERT INTO booking_holds (booking_id, person_id, during, active)
					VALUES (?, ?, tstzrange(CAST(? AS timestamptz), CAST(? AS timestamptz), '[)'), ?)`,
					other, person, atTime(start), atTime(end), active).Error
			}
			return db.Gorm.Exec(`INSERT INTO booking_holds (booking_id, person_id, start_at, end_at, active) VALUES (?, ?, ?, ?, ?)`,
				other, person, atTime(start), atTime(end), active).Error
		}
		isRefusal := func(err error) bool {
			return err != nil && (strings.Contains(err.Error(), "booking_overlap") || strings.Contains(err.Error(), "23P01"))
		}
		if err := hold(lee, "14:30", "15:30", true); !isRefusal(err) {
			t.Fatalf("overlapping hold: %v", err)
		}
		if err := hold(lee, "13:00", "16:00", true); !isRefusal(err) {
			t.Fatalf("enclosing hold: %v", err)
		}
		// Touching ranges pass; an inactive hold may overlap.
		if err := hold(lee, "15:00", "15:30", true); err != nil {
			t.Fatalf("touching hold: %v", err)
		}
		if err := hold(dana, "14:30", "15:30", false); err != nil {
			t.Fatalf("inactive hold: %v", err)
		}
		// Activating it would double-book: refused.
		err = db.Gorm.Exec("UPDATE booking_holds SET active = true WHERE booking_id = ? AND person_id = ?", other, dana).Error
		if !isRefusal(err) {
			t.Fatalf("activating an overlapping hold: %v", err)
		}
		// Moving a hold into a clash is refused too.
		if db.Gorm.Name() == "postgres" {
			err = db.Gorm.Exec("UPDATE booking_holds SET during = tstzrange(CAST(? AS timestamptz), CAST(? AS timestamptz), '[)') WHERE booking_id = ? AND person_id = ?",
				atTime("14:45"), atTime("15:30"), other, lee).Error
		} else {
			err = db.Gorm.Exec("UPDATE booking_holds SET start_at = ? WHERE booking_id = ? AND person_id = ?", atTime("14:45"), other, lee).Error
		}
		if !isRefusal(err) {
			t.Fatalf("moving a hold into a clash: %v", err)
		}
	})
}

func TestListAndVisibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := t.Context()
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		ana := fx.person("Ana Ruiz")
		var ids []string
		for i, hhmm := range []string{"09:00", "10:00", "11:00", "12:00", "13:00"} {
			who := lee
			if i%2 == 1 {
				who = ana
			}
			end := strings.Replace(hhmm, ":00", ":30", 1)
			ids = append(ids, fx.book(input("Chat "+hhmm, hhmm, end, dana, who)).ID)
		}
		if _, err := fx.svc.Cancel(ctx, fx.facil, ids[4]); err != nil {
			t.Fatal(err)
		}

		// Pages of two, earliest first, no gaps or repeats.
		var seen []string
		page := pagination.Page{Limit: 2}
		for {
			l, err := fx.svc.List(ctx, fx.admin, bookings.ListFilter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range l.Items {
				seen = append(seen, b.ID)
			}
			if l.NextCursor == "" {
				break
			}
			page.Cursor = l.NextCursor
		}
		if !slices.Equal(seen, ids) {
			t.Fatalf("paged = %v, want %v", seen, ids)
		}

		list := func(f bookings.ListFilter) []string {
			t.Helper()
			l, err := fx.svc.List(ctx, fx.admin, f, pagination.Page{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, b := range l.Items {
				out = append(out, b.ID)
			}
			return out
		}
		if got := list(bookings.ListFilter{PersonID: ana}); !slices.Equal(got, []string{ids[1], ids[3]}) {
			t.Fatalf("person filter = %v", got)
		}
		if got := list(bookings.ListFilter{PersonID: dana}); len(got) != 5 {
			t.Fatalf("organizer filter = %v", got)
		}
		if got := list(bookings.ListFilter{Status: bookings.StatusCanceled}); !slices.Equal(got, []string{ids[4]}) {
			t.Fatalf("status filter = %v", got)
		}
		// Overlap semantics: 10:15–11:00 touches 10:00–10:30 only.
		if got := list(bookings.ListFilter{From: at("10:15"), To: at("11:00")}); !slices.Equal(got, []string{ids[1]}) {
			t.Fatalf("window = %v", got)
		}
		if got := list(bookings.ListFilter{From: "2026-11-26"}); len(got) != 0 {
			t.Fatalf("from tomorrow = %v", got)
		}
		if got := list(bookings.ListFilter{To: "2026-11-25"}); len(got) != 5 {
			t.Fatalf("to a date includes the day = %v", got)
		}
		_, err := fx.svc.List(ctx, fx.admin, bookings.ListFilter{Status: "nope", From: "soon"}, pagination.Page{})
		if e := wantCode(t, err, apperr.Invalid); !slices.Equal(fieldNames(e), []string{"from", "status"}) {
			t.Fatalf("fields = %v", fieldNames(e))
		}
		_, err = fx.svc.List(ctx, fx.admin, bookings.ListFilter{}, pagination.Page{Cursor: "garbage"})
		wantCode(t, err, apperr.Invalid)

		// A member sees only what they attend; a leader likewise; unlinked
		// accounts see nothing.
		member := fx.user("member", ana)
		l, err := fx.svc.List(ctx, member, bookings.ListFilter{}, pagination.Page{})
		if err != nil || len(l.Items) != 2 {
			t.Fatalf("member list = %d %v", len(l.Items), err)
		}
		leader := fx.user("leader", dana)
		if l, _ := fx.svc.List(ctx, leader, bookings.ListFilter{}, pagination.Page{}); len(l.Items) != 5 {
			t.Fatalf("organizer leader list = %d", len(l.Items))
		}
		if l, _ := fx.svc.List(ctx, fx.user("member", ""), bookings.ListFilter{}, pagination.Page{}); len(l.Items) != 0 {
			t.Fatalf("unlinked member list = %d", len(l.Items))
		}
	})
}

func TestGetNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		for _, id := range []string{"nope", uuid.NewString()} {
			_, err := fx.svc.Get(t.Context(), fx.admin, id)
			wantCode(t, err, apperr.NotFound)
		}
		if !errors.Is(&bookings.GiveUpError{Err: errors.New("x")}, bookings.ErrGiveUp) {
			t.Fatal("GiveUpError does not match ErrGiveUp")
		}
	})
}

// TestConcurrentEditsOfOneBooking moves one booking from many goroutines:
// each edit either applies or is told the booking changed, never an
// internal error, and the holds end up matching the booking.
func TestConcurrentEditsOfOneBooking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		dana := fx.person("Dana Ortiz")
		lee := fx.person("Lee Chen")
		b := fx.book(input("Chat", "09:00", "09:30", dana, lee))
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				start := time.Date(2026, 11, 25, 10+i, 0, 0, 0, time.UTC)
				_, errs[i] = fx.svc.Update(t.Context(), fx.facil, b.ID, bookings.Patch{
					Start: ptr(start.Format(time.RFC3339)), End: ptr(start.Add(30 * time.Minute).Format(time.RFC3339)),
				})
			})
		}
		wg.Wait()
		applied := 0
		for _, err := range errs {
			switch {
			case err == nil:
				applied++
			case apperr.CodeOf(err) != apperr.Conflict:
				t.Fatalf("concurrent edit: %v", err)
			}
		}
		got := fx.get(b.ID)
		if applied == 0 || got.Sequence != applied {
			t.Fatalf("%d edits applied, sequence %d", applied, got.Sequence)
		}
		busy, err := fx.svc.BusyFor(t.Context(), []string{lee, dana}, atTime("00:00"), atTime("23:59"))
		if err != nil {
			t.Fatal(err)
		}
		for _, pid := range []string{lee, dana} {
			if len(busy[pid]) != 1 || !busy[pid][0].Start.Equal(got.Start) || !busy[pid][0].End.Equal(got.End) {
				t.Fatalf("holds of %s = %+v, booking %v–%v", pid, busy[pid], got.Start, got.End)
			}
		}
	})
}
