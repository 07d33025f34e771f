package builtin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/builtin"
	"github.com/debrief-dev/debrief/internal/calendar/ics"
)

const bookingID = "0191d7a4-5b2c-7d3e-8f40-123456789abc"

func sampleBooking() builtin.BookingView {
	return builtin.BookingView{
		BookingID:      bookingID,
		Title:          "Chat: the 2 March checkout event",
		Description:    "About the evening of 2 March, when checkouts slowed.",
		Start:          at(14, 0),
		End:            at(14, 45),
		OrganizerName:  "Ana García",
		OrganizerEmail: "ana@example.com",
		Attendees: []builtin.BookingAttendee{
			{Name: "Sam Lee", Email: "sam@example.com"},
			{Name: "Kim Park", Email: "kim@example.com", Optional: true},
		},
		VideoURL: "https://meet.example.com/dbf-abc",
		Updated:  time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC),
	}
}

// vevent parses an .ics and returns its METHOD (or "") and only VEVENT.
func vevent(t *testing.T, out []byte) (string, *ics.Component) {
	t.Helper()
	cal, err := ics.Parse(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	evs := cal.Children("VEVENT")
	if len(evs) != 1 {
		t.Fatalf("%d VEVENTs", len(evs))
	}
	m, _ := cal.Property("METHOD")
	return m.Value, evs[0]
}

func text(t *testing.T, c *ics.Component, name string) string {
	t.Helper()
	p, ok := c.Property(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	s, err := p.Text()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBookingLifecycle drives the provider the way the booking jobs will
// and renders the .ics at each step: the UID never changes and SEQUENCE
// goes 0, 1, 2 through REQUEST, updated REQUEST and CANCEL.
func TestBookingLifecycle(t *testing.T) {
	ctx := context.Background()
	p := builtin.New(&fakeSource{}, builtin.Options{Now: fixedClock})
	b := sampleBooking()

	created, err := p.Create(ctx, calendar.Event{BookingID: b.BookingID, Start: b.Start, End: b.End})
	if err != nil {
		t.Fatal(err)
	}
	b.Sequence = created.Sequence
	req, err := builtin.InvitationICS(b, b.Method())
	if err != nil {
		t.Fatal(err)
	}

	// Reschedule by an hour.
	created.Start, created.End = created.Start.Add(time.Hour), created.End.Add(time.Hour)
	updated, err := p.Update(ctx, created)
	if err != nil {
		t.Fatal(err)
	}
	b.Sequence, b.Start, b.End = updated.Sequence, updated.Start, updated.End
	b.Updated = b.Updated.Add(time.Hour)
	upd, err := builtin.InvitationICS(b, ics.Request)
	if err != nil {
		t.Fatal(err)
	}

	// Cancel: the provider has nothing to return, the bookings layer
	// raises the sequence.
	if err := p.Cancel(ctx, b.OrganizerEmail, updated.ID); err != nil {
		t.Fatal(err)
	}
	b.Cancelled, b.Sequence = true, b.Sequence+1
	b.Updated = b.Updated.Add(time.Hour)
	cancel, err := builtin.InvitationICS(b, b.Method())
	if err != nil {
		t.Fatal(err)
	}

	for i, tc := range []struct {
		doc                          []byte
		method, seq, status, dtstart string
	}{
		{req, "REQUEST", "0", "CONFIRMED", "20260309T140000Z"},
		{upd, "REQUEST", "1", "CONFIRMED", "20260309T150000Z"},
		{cancel, "CANCEL", "2", "CANCELLED", "20260309T150000Z"},
	} {
		m, e := vevent(t, tc.doc)
		got := []string{m, text(t, e, "SEQUENCE"), text(t, e, "STATUS"), text(t, e, "DTSTART"), text(t, e, "UID")}
		want := []string{tc.method, tc.seq, tc.status, tc.dtstart, bookingID + "@debrief"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("step %d: METHOD SEQUENCE STATUS DTSTART UID = %v, want %v", i, got, want)
		}
	}
	_, e := vevent(t, cancel)
	if s := text(t, e, "SUMMARY"); s != "Cancelled: Chat: the 2 March checkout event" {
		t.Errorf("cancel SUMMARY %q", s)
	}
	if d := text(t, e, "DESCRIPTION"); !strings.HasPrefix(d, "This chat has been cancelled.") {
		t.Errorf("cancel DESCRIPTION %q", d)
	}
}

func TestInvitationSaysChatOptionalAndHowToSayNo(t *testing.T) {
	out, err := builtin.InvitationICS(sampleBooking(), ics.Request)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(out)
	_, e := vevent(t, out)
	d := text(t, e, "DESCRIPTION")
	for _, want := range []string{
		"About the evening of 2 March, when checkouts slowed.\n\n",
		"This is a chat",
		"It is optional.",
		"decline this invitation or tell Ana García (ana@example.com)",
		"You don't need to give a reason.",
		"Video link: https://meet.example.com/dbf-abc",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("description lacks %q:\n%s", want, d)
		}
	}
	for _, want := range []string{
		"\r\nLOCATION:https://meet.example.com/dbf-abc\r\n",
		"\r\nURL:https://meet.example.com/dbf-abc\r\n",
		"\r\nORGANIZER;CN=Ana García:mailto:ana@example.com\r\n",
		"\r\nDTSTAMP:20260302T091500Z\r\n",
		"\r\nLAST-MODIFIED:20260302T091500Z\r\n",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	atts := e.All("ATTENDEE")
	if len(atts) != 2 {
		t.Fatalf("%d attendees", len(atts))
	}
	for i, want := range []struct{ role, mail string }{
		{"REQ-PARTICIPANT", "mailto:sam@example.com"},
		{"OPT-PARTICIPANT", "mailto:kim@example.com"},
	} {
		role, _ := atts[i].Param("ROLE")
		ps, _ := atts[i].Param("PARTSTAT")
		rsvp, _ := atts[i].Param("RSVP")
		if role != want.role || ps != "NEEDS-ACTION" || rsvp != "TRUE" || atts[i].Value != want.mail {
			t.Errorf("attendee %d: ROLE %s PARTSTAT %s RSVP %s %s", i, role, ps, rsvp, atts[i].Value)
		}
	}
	// The same booking revision renders the same bytes, so HTTP caching
	// and ETags can rely on it.
	again, _ := builtin.InvitationICS(sampleBooking(), ics.Request)
	if string(again) != doc {
		t.Error("rendering is not deterministic")
	}
}

func TestInvitationDefaultsAndMismatches(t *testing.T) {
	b := sampleBooking()
	b.Title, b.OrganizerName, b.VideoURL = "  ", "", ""
	out, err := builtin.InvitationICS(b, ics.Request)
	if err != nil {
		t.Fatal(err)
	}
	_, e := vevent(t, out)
	if s := text(t, e, "SUMMARY"); s != "Debrief chat" {
		t.Errorf("SUMMARY %q", s)
	}
	if d := text(t, e, "DESCRIPTION"); !strings.Contains(d, "tell the organizer (ana@example.com)") || strings.Contains(d, "Video") {
		t.Errorf("DESCRIPTION %q", d)
	}
	if _, ok := e.Property("URL"); ok {
		t.Error("URL written without a video link")
	}

	live := sampleBooking()
	if _, err := builtin.InvitationICS(live, ics.Cancel); !errors.Is(err, ics.ErrInvalid) {
		t.Errorf("CANCEL for a live booking: err = %v", err)
	}
	gone := sampleBooking()
	gone.Cancelled = true
	if _, err := builtin.InvitationICS(gone, ics.Request); !errors.Is(err, ics.ErrInvalid) {
		t.Errorf("REQUEST for a cancelled booking: err = %v", err)
	}
	bad := sampleBooking()
	bad.End = bad.Start
	if _, err := builtin.InvitationICS(bad, ics.Request); !errors.Is(err, ics.ErrInvalid) || !strings.Contains(err.Error(), bookingID) {
		t.Errorf("empty booking: err = %v", err)
	}
	noID := sampleBooking()
	noID.BookingID = ""
	if _, err := builtin.InvitationICS(noID, ics.Request); !errors.Is(err, ics.ErrInvalid) {
		t.Errorf("no booking id: err = %v", err)
	}
}

func sampleFeed() []builtin.BookingView {
	a := sampleBooking()
	a.Attendees[0].Response = calendar.Accepted
	b := sampleBooking()
	b.BookingID = "0191d7a4-5b2c-7d3e-8f40-00000000000b"
	b.Title = "Learning team: learn session"
	b.Start, b.End = a.Start.Add(-48*time.Hour), a.Start.Add(-46*time.Hour)
	b.Attendees[0].Response = calendar.Declined
	c := sampleBooking()
	c.BookingID = "0191d7a4-5b2c-7d3e-8f40-00000000000c"
	c.Title = "Chat, rescheduled; then cancelled"
	c.Start, c.End = a.Start.Add(24*time.Hour), a.Start.Add(25*time.Hour)
	c.Cancelled, c.Sequence = true, 2
	// Deliberately out of order: the feed sorts by start.
	return []builtin.BookingView{a, c, b}
}

func TestFeedICS(t *testing.T) {
	out, err := builtin.FeedICS("Sam Lee", sampleFeed())
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cal.Property("METHOD"); ok {
		t.Error("a feed must not carry METHOD")
	}
	if n := text(t, cal, "X-WR-CALNAME"); n != "Debrief chats: Sam Lee" {
		t.Errorf("X-WR-CALNAME %q", n)
	}
	evs := cal.Children("VEVENT")
	if len(evs) != 3 {
		t.Fatalf("%d events", len(evs))
	}
	for i, want := range []struct{ uid, seq, status, summary, partstat string }{
		{"0191d7a4-5b2c-7d3e-8f40-00000000000b@debrief", "0", "CONFIRMED", "Learning team: learn session", "DECLINED"},
		{bookingID + "@debrief", "0", "CONFIRMED", "Chat: the 2 March checkout event", "ACCEPTED"},
		{"0191d7a4-5b2c-7d3e-8f40-00000000000c@debrief", "2", "CANCELLED", "Cancelled: Chat, rescheduled; then cancelled", "NEEDS-ACTION"},
	} {
		e := evs[i]
		got := []string{text(t, e, "UID"), text(t, e, "SEQUENCE"), text(t, e, "STATUS"), text(t, e, "SUMMARY")}
		if w := []string{want.uid, want.seq, want.status, want.summary}; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("event %d: %v, want %v", i, got, w)
		}
		att := e.All("ATTENDEE")[0]
		if ps, _ := att.Param("PARTSTAT"); ps != want.partstat {
			t.Errorf("event %d PARTSTAT %q, want %q", i, ps, want.partstat)
		}
		if _, ok := att.Param("RSVP"); ok {
			t.Errorf("event %d asks for RSVP in a feed", i)
		}
	}
	if d := text(t, evs[0], "DESCRIPTION"); strings.Contains(d, "decline this invitation") || !strings.Contains(d, "tell Ana García") {
		t.Errorf("feed description should point to the organizer, not to declining: %q", d)
	}
	if _, err := builtin.FeedICS("Sam", append(sampleFeed(), sampleBooking())); !errors.Is(err, ics.ErrInvalid) {
		t.Errorf("a booking listed twice: err = %v", err)
	}
	empty, err := builtin.FeedICS("", nil)
	if err != nil || !strings.Contains(string(empty), "\r\nX-WR-CALNAME:Debrief chats\r\n") {
		t.Errorf("empty feed: %v\n%s", err, empty)
	}
}

func TestServingConstants(t *testing.T) {
	if builtin.ContentType != "text/calendar; charset=utf-8" || builtin.FeedCacheControl != "private, max-age=300" {
		t.Errorf("ContentType %q FeedCacheControl %q", builtin.ContentType, builtin.FeedCacheControl)
	}
	if got := builtin.InvitationContentType(ics.Cancel); got != "text/calendar; charset=utf-8; method=CANCEL" {
		t.Errorf("InvitationContentType %q", got)
	}
}
