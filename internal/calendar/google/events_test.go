package google_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

func TestCreateGetRoundTrip(t *testing.T) {
	s, url := startFake(t, calendartest.Options{ConferenceDelay: 150 * time.Millisecond})
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	const bid = "3f2b8a4e-6c1d-4e7a-9b0f-2d5c8e1a7b43"
	in := booking(bid, t0)

	got, err := p.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != calendar.EventID(bid) || got.BookingID != bid || got.Status != "confirmed" || got.ETag == "" ||
		got.Organizer != org || got.Title != in.Title || got.Description != in.Description ||
		!got.Start.Equal(t0) || !got.End.Equal(t0.Add(45*time.Minute)) || got.Updated.IsZero() {
		t.Fatalf("created event = %+v", got)
	}
	if got.MeetURL != "" || got.ConferenceRequestID != calendar.ConferenceRequestID(bid) {
		t.Fatalf("right after insert: meet %q request %q, want none yet and the booking's request", got.MeetURL, got.ConferenceRequestID)
	}
	if a := got.Attendees; len(a) != 2 || a[0].Email != "alice@example.test" || a[0].Name != "Alice Liddell" || a[0].Optional ||
		!a[1].Optional || a[0].Response != calendar.NeedsAction || a[1].Response != calendar.NeedsAction {
		t.Fatalf("attendees = %+v", a)
	}

	// What the fake received.
	fe := fakeEvent(t, s, org, got.ID)
	if fe.Private[google.BookingIDProperty] != bid || fe.ConferenceStatus != "pending" {
		t.Fatalf("stored private %v conference %q", fe.Private, fe.ConferenceStatus)
	}
	if cr := fe.Resource.ConferenceData.CreateRequest; cr.RequestId != calendar.ConferenceRequestID(bid) || cr.ConferenceSolutionKey.Type != "hangoutsMeet" {
		t.Fatalf("conference request = %+v", cr)
	}
	if a := fe.Resource.Attendees; len(a) != 2 || a[1].DisplayName != "Bob Builder" || !a[1].Optional || a[0].Optional {
		t.Fatalf("stored attendees = %+v", a)
	}
	if st := fe.Resource.Start.DateTime; st != "2030-03-04T15:00:00Z" {
		t.Fatalf("stored start %q, want UTC RFC 3339", st)
	}
	var inserts []calendartest.Request
	for _, r := range s.Requests() {
		if r.Op == calendartest.OpInsert {
			inserts = append(inserts, r)
		}
	}
	if len(inserts) != 1 || inserts[0].SendUpdates != "all" || inserts[0].CalendarID != org {
		t.Fatalf("inserts = %+v", inserts)
	}

	// The Meet link appears on a later Get, once the conference is ready.
	var ready calendar.Event
	for deadline := time.Now().Add(5 * time.Second); ready.MeetURL == ""; time.Sleep(30 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the Meet link never appeared")
		}
		if ready, err = p.Get(ctx, org, got.ID); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.HasPrefix(ready.MeetURL, "https://meet.example.test/") || ready.ETag == got.ETag || ready.BookingID != bid {
		t.Fatalf("ready: meet %q etag %q (was %q) booking %q", ready.MeetURL, ready.ETag, got.ETag, ready.BookingID)
	}

	// Answers come back through Get.
	if err := s.SetResponse(org, got.ID, "alice@example.test", "accepted"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResponse(org, got.ID, "bob@example.test", "declined"); err != nil {
		t.Fatal(err)
	}
	again, err := p.Get(ctx, org, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := again.Attendees; r[0].Response != calendar.Accepted || r[1].Response != calendar.Declined {
		t.Fatalf("responses = %+v", r)
	}
	if c := p.Calls(); c.Insert != 1 || c.Get < 2 {
		t.Fatalf("calls = %+v", c)
	}
}

func TestCreateDerivesIDsFromBooking(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, nil)
	in := booking("booking-42", t0)
	in.ID, in.ConferenceRequestID = "", ""
	got, err := p.Create(ctxT(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != calendar.EventID("booking-42") || got.ConferenceRequestID != calendar.ConferenceRequestID("booking-42") {
		t.Fatalf("id %q request %q", got.ID, got.ConferenceRequestID)
	}
	if got.MeetURL == "" {
		t.Fatal("no delay configured, yet no Meet link")
	}
	if n := s.CountByExtendedProperty(google.BookingIDProperty, "booking-42"); n != 1 {
		t.Fatalf("stored %d times", n)
	}
}

func TestNoConferenceWhenNotConfigured(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, func(c *google.Config) { c.ConferenceSolution = "" })
	got, err := p.Create(ctxT(t), booking("no-meet", t0))
	if err != nil {
		t.Fatal(err)
	}
	if got.MeetURL != "" || fakeEvent(t, s, org, got.ID).Resource.ConferenceData != nil {
		t.Fatalf("conference attached without a solution configured: %q", got.MeetURL)
	}
}

func TestCreateRefusesBadEventsWithoutCalling(t *testing.T) {
	_, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	for name, ev := range map[string]calendar.Event{
		"no id":        {Start: t0, End: t0.Add(time.Hour)},
		"bad id":       {ID: "UPPER-case", Start: t0, End: t0.Add(time.Hour)},
		"empty window": {ID: "abcdef", Start: t0, End: t0},
		"no email":     {ID: "abcdef", Start: t0, End: t0.Add(time.Hour), Attendees: []calendar.Attendee{{Name: "x"}}},
	} {
		_, err := p.Create(ctx, ev)
		if calendar.KindOf(err) != calendar.Permanent {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := p.Calls().Total(); n != 0 {
		t.Fatalf("%d calls for refused events", n)
	}
}

func TestCreateTwiceIsExists(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	ev := booking("twice", t0)
	if _, err := p.Create(ctx, ev); err != nil {
		t.Fatal(err)
	}
	_, err := p.Create(ctx, ev)
	wantKind(t, err, calendar.Exists)
	if n := s.CountByExtendedProperty(google.BookingIDProperty, "twice"); n != 1 {
		t.Fatalf("stored %d times", n)
	}
}

func TestUpdateWithETag(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	created, err := p.Create(ctx, booking("update", t0))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetResponse(org, created.ID, "alice@example.test", "accepted"); err != nil {
		t.Fatal(err)
	}
	cur, err := p.Get(ctx, org, created.ID)
	if err != nil {
		t.Fatal(err)
	}

	// A reschedule with the current etag.
	next := booking("update", t0.Add(24*time.Hour))
	next.Title = "Rescheduled chat"
	next.Description = ""
	next.Attendees = append(next.Attendees, calendar.Attendee{Email: "carol@example.test", Optional: true})
	next.ETag = cur.ETag
	upd, err := p.Update(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	if upd.Title != "Rescheduled chat" || upd.Description != "" || !upd.Start.Equal(t0.Add(24*time.Hour)) ||
		upd.Sequence <= cur.Sequence || upd.ETag == cur.ETag || len(upd.Attendees) != 3 {
		t.Fatalf("updated = %+v", upd)
	}
	if upd.Attendees[0].Response != calendar.Accepted {
		t.Fatalf("alice's answer lost by the update: %+v", upd.Attendees)
	}
	if upd.MeetURL != cur.MeetURL || upd.MeetURL == "" {
		t.Fatalf("meet link changed from %q to %q", cur.MeetURL, upd.MeetURL)
	}
	if upd.BookingID != "update" {
		t.Fatalf("booking id %q", upd.BookingID)
	}

	// The etag read before the reschedule is stale now.
	stale := next
	stale.ETag = cur.ETag
	_, err = p.Update(ctx, stale)
	wantKind(t, err, calendar.Precondition)

	// Refetch and reapply, as the job does.
	fresh, err := p.Get(ctx, org, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	stale.ETag = fresh.ETag
	if _, err := p.Update(ctx, stale); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Requests() {
		if r.Op == calendartest.OpPatch && r.SendUpdates != "all" {
			t.Fatalf("patch without sendUpdates=all: %+v", r)
		}
	}

	// Unconditional update, and an update of an unknown event.
	next.ETag = ""
	if _, err := p.Update(ctx, next); err != nil {
		t.Fatal(err)
	}
	missing := booking("never-created", t0)
	_, err = p.Update(ctx, missing)
	wantKind(t, err, calendar.NotFound)
}

func TestCancelTwice(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	ev, err := p.Create(ctx, booking("cancel", t0))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Cancel(ctx, org, ev.ID); err != nil {
		t.Fatal(err)
	}
	if err := p.Cancel(ctx, org, ev.ID); err != nil {
		t.Fatalf("second cancel: %v", err)
	}
	if err := p.Cancel(ctx, org, calendar.EventID("never-created")); err != nil {
		t.Fatalf("cancel of an unknown event: %v", err)
	}
	got, err := p.Get(ctx, org, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "cancelled" {
		t.Fatalf("status %q after cancel", got.Status)
	}
	if n := s.CountByExtendedProperty(google.BookingIDProperty, "cancel"); n != 0 {
		t.Fatalf("%d live events after cancel", n)
	}
	var deletes []int
	for _, r := range s.Requests() {
		if r.Op == calendartest.OpDelete {
			if r.SendUpdates != "all" {
				t.Fatalf("delete without sendUpdates=all: %+v", r)
			}
			deletes = append(deletes, r.Status)
		}
	}
	if fmt.Sprint(deletes) != "[204 410 404]" {
		t.Fatalf("delete statuses %v", deletes)
	}
	_, err = p.Get(ctx, org, calendar.EventID("never-created"))
	wantKind(t, err, calendar.NotFound)
}

func TestChangesWithSyncToken(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	now := time.Now().UTC().Truncate(time.Hour)
	p := newProvider(t, url, func(c *google.Config) { c.Now = func() time.Time { return now } })
	p.SetPageSize(2)
	ctx := ctxT(t)

	// Outside the first sync's window (ended before now-30d).
	if _, err := p.Create(ctx, booking("old", now.Add(-40*24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := p.Create(ctx, booking(fmt.Sprintf("sync-%d", i), now.Add(time.Duration(i+1)*24*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	evs, tok, err := p.Changes(ctx, org, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 5 || tok == "" {
		t.Fatalf("full sync: %d events, token %q", len(evs), tok)
	}
	for _, e := range evs {
		if !strings.HasPrefix(e.BookingID, "sync-") || e.Organizer != org {
			t.Fatalf("full sync event %+v", e)
		}
	}
	if n := p.Calls().List; n != 3 {
		t.Fatalf("%d list calls for 5 events at 2 a page, want 3", n)
	}

	// Nothing changed: nothing listed, a usable token back.
	evs, tok2, err := p.Changes(ctx, org, tok)
	if err != nil || len(evs) != 0 || tok2 == "" {
		t.Fatalf("idle sync: %d events, token %q, err %v", len(evs), tok2, err)
	}

	// An answer, a cancellation and a new booking.
	if err := s.SetResponse(org, calendar.EventID("sync-0"), "alice@example.test", "declined"); err != nil {
		t.Fatal(err)
	}
	if err := p.Cancel(ctx, org, calendar.EventID("sync-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Create(ctx, booking("sync-new", now.Add(48*time.Hour))); err != nil {
		t.Fatal(err)
	}
	evs, tok3, err := p.Changes(ctx, org, tok2)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]calendar.Event{}
	for _, e := range evs {
		got[e.BookingID] = e
	}
	if len(evs) != 3 || got["sync-0"].Attendees[0].Response != calendar.Declined ||
		got["sync-1"].Status != "cancelled" || got["sync-new"].Status != "confirmed" {
		t.Fatalf("incremental sync = %+v", evs)
	}

	// Google expires sync tokens: Gone, then a full sync starts again.
	s.ExpireSyncTokens(org)
	_, _, err = p.Changes(ctx, org, tok3)
	wantKind(t, err, calendar.Gone)
	evs, tok4, err := p.Changes(ctx, org, "")
	if err != nil || tok4 == "" || len(evs) != 6 { // cancelled one included (showDeleted)
		t.Fatalf("resync: %d events, token %q, err %v", len(evs), tok4, err)
	}
}
