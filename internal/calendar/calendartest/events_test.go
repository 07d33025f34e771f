package calendartest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	calendar "google.golang.org/api/calendar/v3"
)

const org = "organizer@example.test"

func TestInsertWithConferenceBecomesReady(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{ConferenceDelay: 300 * time.Millisecond})
	ctx := ctxT(t)

	ev := booking("booking0001", "Chat about the outage (optional)", t0, "alice@example.test", "bob@example.test")
	ev.ConferenceData = &calendar.ConferenceData{CreateRequest: &calendar.CreateConferenceRequest{
		RequestId:             "req-1",
		ConferenceSolutionKey: &calendar.ConferenceSolutionKey{Type: "hangoutsMeet"},
	}}
	got, err := svc.Events.Insert(org, ev).ConferenceDataVersion(1).SendUpdates("all").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Id != "booking0001" || got.Status != "confirmed" || !strings.HasPrefix(got.Etag, `"`) || got.Organizer.Email != org {
		t.Fatalf("inserted event: id=%q status=%q etag=%q organizer=%+v", got.Id, got.Status, got.Etag, got.Organizer)
	}
	if st := got.ConferenceData.CreateRequest.Status.StatusCode; st != "pending" || got.HangoutLink != "" {
		t.Fatalf("conference right after insert: status %q link %q, want pending and none", st, got.HangoutLink)
	}
	if a := got.Attendees; len(a) != 2 || a[0].ResponseStatus != "needsAction" || a[0].Optional || !a[1].Optional {
		t.Fatalf("attendees = %+v", a)
	}
	if p := got.ExtendedProperties.Private["debriefBooking"]; p != "booking0001" {
		t.Fatalf("extended property = %q", p)
	}

	var ready *calendar.Event
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		e, err := svc.Events.Get(org, "booking0001").Context(ctx).Do()
		if err != nil {
			t.Fatal(err)
		}
		if e.ConferenceData.CreateRequest.Status.StatusCode == "success" {
			ready = e
			break
		}
	}
	if ready == nil {
		t.Fatal("conference never became ready")
	}
	eps := ready.ConferenceData.EntryPoints
	if len(eps) != 1 || eps[0].EntryPointType != "video" || !strings.HasPrefix(eps[0].Uri, "https://meet.example.test/") || ready.HangoutLink != eps[0].Uri {
		t.Fatalf("ready conference: %+v link %q", eps, ready.HangoutLink)
	}
	if ready.Etag == got.Etag {
		t.Fatal("etag did not change when the conference became ready")
	}
	if evs := s.Events(org); len(evs) != 1 || evs[0].MeetURI != ready.HangoutLink || evs[0].ConferenceStatus != "success" {
		t.Fatalf("stored: %+v", evs)
	}

	// Sending the same conference request again changes nothing.
	again, err := svc.Events.Patch(org, "booking0001", &calendar.Event{ConferenceData: &calendar.ConferenceData{
		CreateRequest: &calendar.CreateConferenceRequest{RequestId: "req-1", ConferenceSolutionKey: &calendar.ConferenceSolutionKey{Type: "hangoutsMeet"}},
	}}).ConferenceDataVersion(1).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if again.HangoutLink != ready.HangoutLink || again.ConferenceData.CreateRequest.Status.StatusCode != "success" {
		t.Fatalf("same requestId re-sent: link %q status %q", again.HangoutLink, again.ConferenceData.CreateRequest.Status.StatusCode)
	}

	var sendUpdates string
	for _, r := range s.Requests() {
		if r.Op == calendartest.OpInsert {
			sendUpdates = r.SendUpdates
		}
	}
	if sendUpdates != "all" {
		t.Fatalf("recorded sendUpdates = %q", sendUpdates)
	}
	if n := s.Stats().Routes["POST /calendar/v3/calendars/{calendarId}/events"]; n != 1 {
		t.Fatalf("insert route count = %d", n)
	}
}

func TestConferenceNeedsVersion(t *testing.T) {
	_, svc := newFake(t, calendartest.Options{})
	ev := booking("booking0002", "x", t0)
	ev.ConferenceData = &calendar.ConferenceData{CreateRequest: &calendar.CreateConferenceRequest{
		RequestId: "r", ConferenceSolutionKey: &calendar.ConferenceSolutionKey{Type: "hangoutsMeet"},
	}}
	got, err := svc.Events.Insert(org, ev).Context(ctxT(t)).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.ConferenceData != nil {
		t.Fatalf("conferenceData kept without conferenceDataVersion=1: %+v", got.ConferenceData)
	}
}

func TestInsertIDRules(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{})
	ctx := ctxT(t)
	for _, id := range []string{"abcd", "Booking0001", "bookingwxyz", "booking-001", strings.Repeat("a", 1025)} {
		_, err := svc.Events.Insert(org, booking(id, "x", t0)).Context(ctx).Do()
		apiErr(t, err, 400, "invalid")
	}
	if _, err := svc.Events.Insert(org, booking("abcde", "x", t0)).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Events.Insert(org, booking("abcde", "again", t0)).Context(ctx).Do()
	apiErr(t, err, 409, "duplicate")
	// The same id on another calendar is fine.
	if _, err := svc.Events.Insert("other@example.test", booking("abcde", "x", t0)).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	// A server-chosen id follows the same rule.
	ev, err := svc.Events.Insert(org, booking("", "x", t0)).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !validID(ev.Id) {
		t.Fatalf("generated id %q", ev.Id)
	}
	bad := booking("abcdf", "x", t0)
	bad.End = &calendar.EventDateTime{DateTime: t0.Add(-time.Hour).Format(time.RFC3339)}
	_, err = svc.Events.Insert(org, bad).Context(ctx).Do()
	apiErr(t, err, 400, "timeRangeEmpty")
	if n := len(s.Events(org)); n != 2 {
		t.Fatalf("%d events stored on %s, want 2", n, org)
	}
}

func validID(id string) bool {
	for _, c := range id {
		if !(c >= 'a' && c <= 'v') && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return len(id) >= 5 && len(id) <= 1024
}

func TestPatchAndUpdateWithIfMatch(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{})
	ctx := ctxT(t)
	ins, err := svc.Events.Insert(org, booking("booking0003", "first", t0, "alice@example.test", "bob@example.test")).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	call := svc.Events.Patch(org, ins.Id, &calendar.Event{Summary: "second"})
	call.Header().Set("If-Match", ins.Etag)
	p1, err := call.Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if p1.Summary != "second" || p1.Sequence != 1 || p1.Etag == ins.Etag || p1.ExtendedProperties.Private["debriefBooking"] != ins.Id {
		t.Fatalf("after patch: summary %q seq %d etag %q props %+v", p1.Summary, p1.Sequence, p1.Etag, p1.ExtendedProperties)
	}

	stale := svc.Events.Patch(org, ins.Id, &calendar.Event{Summary: "lost update"})
	stale.Header().Set("If-Match", ins.Etag)
	_, err = stale.Context(ctx).Do()
	apiErr(t, err, 412, "conditionNotMet")
	upd := svc.Events.Update(org, ins.Id, booking(ins.Id, "lost update", t0))
	upd.Header().Set("If-Match", ins.Etag)
	_, err = upd.Context(ctx).Do()
	apiErr(t, err, 412, "conditionNotMet")
	if evs := s.Events(org); evs[0].Summary != "second" || evs[0].ETag != p1.Etag {
		t.Fatalf("a refused write changed the event: %+v", evs[0])
	}

	// A decline survives the organizer re-sending the guest list.
	if err := s.SetResponse(org, ins.Id, "bob@example.test", "declined"); err != nil {
		t.Fatal(err)
	}
	p2, err := svc.Events.Patch(org, ins.Id, &calendar.Event{Attendees: []*calendar.EventAttendee{
		{Email: "alice@example.test"}, {Email: "bob@example.test", Optional: true}, {Email: "carol@example.test"},
	}}).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"needsAction", "declined", "needsAction"}
	for i, a := range p2.Attendees {
		if a.ResponseStatus != want[i] {
			t.Fatalf("attendee %s: %s, want %s", a.Email, a.ResponseStatus, want[i])
		}
	}

	// update replaces the whole event.
	repl := booking(ins.Id, "replaced", t0.Add(time.Hour))
	repl.ExtendedProperties = nil
	u := svc.Events.Update(org, ins.Id, repl)
	u.Header().Set("If-Match", p2.Etag)
	u1, err := u.Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if u1.Summary != "replaced" || u1.ExtendedProperties != nil || u1.Sequence != 3 || u1.Id != ins.Id {
		t.Fatalf("after update: %+v seq %d", u1.ExtendedProperties, u1.Sequence)
	}

	_, err = svc.Events.Patch(org, "nosuchevent", &calendar.Event{Summary: "x"}).Context(ctx).Do()
	apiErr(t, err, 404, "notFound")

	// Patching an all-day event to a timed one drops the old date.
	allDay := &calendar.Event{Id: "datevent1", Start: &calendar.EventDateTime{Date: "2030-03-04"}, End: &calendar.EventDateTime{Date: "2030-03-05"}}
	if _, err := svc.Events.Insert(org, allDay).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	timed, err := svc.Events.Patch(org, "datevent1", &calendar.Event{
		Start: &calendar.EventDateTime{DateTime: t0.Format(time.RFC3339)},
		End:   &calendar.EventDateTime{DateTime: t0.Add(time.Hour).Format(time.RFC3339)},
	}).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if timed.Start.Date != "" || timed.Start.DateTime == "" {
		t.Fatalf("start after patch: %+v", timed.Start)
	}
}

func TestDeleteCancelsThenGone(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{})
	ctx := ctxT(t)
	if _, err := svc.Events.Insert(org, booking("booking0004", "x", t0)).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if err := svc.Events.Delete(org, "booking0004").SendUpdates("all").Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Events.Get(org, "booking0004").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "cancelled" || got.Sequence != 1 {
		t.Fatalf("deleted event: status %q sequence %d", got.Status, got.Sequence)
	}
	apiErr(t, svc.Events.Delete(org, "booking0004").Context(ctx).Do(), 410, "deleted")
	_, err = svc.Events.Insert(org, booking("booking0004", "x", t0)).Context(ctx).Do()
	apiErr(t, err, 409, "duplicate")
	apiErr(t, svc.Events.Delete(org, "nosuchevent").Context(ctx).Do(), 404, "notFound")
	if n := s.CountByExtendedProperty("debriefBooking", "booking0004"); n != 0 {
		t.Fatalf("cancelled event counted: %d", n)
	}
}

func TestListAndSync(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{})
	ctx := ctxT(t)
	for i, id := range []string{"evt00001", "evt00002", "evt00003"} {
		if _, err := svc.Events.Insert(org, booking(id, "x", t0.Add(time.Duration(i)*time.Hour))).Context(ctx).Do(); err != nil {
			t.Fatal(err)
		}
	}
	// Full listing, two per page: the sync token only on the last page.
	var ids []string
	var syncTok string
	pageTok := ""
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		res, err := svc.Events.List(org).MaxResults(2).PageToken(pageTok).Context(ctx).Do()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Items {
			ids = append(ids, e.Id)
		}
		if res.NextPageToken == "" {
			syncTok = res.NextSyncToken
			break
		}
		if res.NextSyncToken != "" {
			t.Fatal("nextSyncToken on a page that is not the last")
		}
		pageTok = res.NextPageToken
	}
	if strings.Join(ids, ",") != "evt00001,evt00002,evt00003" || syncTok == "" {
		t.Fatalf("listed %v, sync token %q", ids, syncTok)
	}

	// Changes since: a patch, a delete, an insert, and a decline.
	if _, err := svc.Events.Patch(org, "evt00001", &calendar.Event{Summary: "moved"}).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if err := svc.Events.Delete(org, "evt00002").Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Events.Insert(org, booking("evt00004", "x", t0, "dave@example.test")).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Events.List(org).SyncToken(syncTok).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string]string{}
	for _, e := range res.Items {
		changed[e.Id] = e.Status
	}
	if len(changed) != 3 || changed["evt00001"] != "confirmed" || changed["evt00002"] != "cancelled" || changed["evt00004"] != "confirmed" {
		t.Fatalf("incremental sync returned %v", changed)
	}
	next := res.NextSyncToken
	if err := s.SetResponse(org, "evt00004", "dave@example.test", "declined"); err != nil {
		t.Fatal(err)
	}
	res, err = svc.Events.List(org).SyncToken(next).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 1 || res.Items[0].Attendees[0].ResponseStatus != "declined" {
		t.Fatalf("sync after a decline: %+v", res.Items)
	}

	// Without showDeleted a full list leaves cancelled events out.
	full, err := svc.Events.List(org).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Items) != 3 {
		t.Fatalf("full list has %d items, want 3", len(full.Items))
	}
	withDeleted, err := svc.Events.List(org).ShowDeleted(true).TimeMin(t0.Add(50 * time.Minute).Format(time.RFC3339)).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(withDeleted.Items) != 2 { // evt00002 (cancelled) and evt00003 end after timeMin
		t.Fatalf("showDeleted+timeMin: %d items", len(withDeleted.Items))
	}
	byProp, err := svc.Events.List(org).PrivateExtendedProperty("debriefBooking=evt00003").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(byProp.Items) != 1 || byProp.Items[0].Id != "evt00003" {
		t.Fatalf("privateExtendedProperty filter: %+v", byProp.Items)
	}

	_, err = svc.Events.List(org).SyncToken("not-a-token").Context(ctx).Do()
	apiErr(t, err, 410, "fullSyncRequired")
	s.ExpireSyncTokens(org)
	_, err = svc.Events.List(org).SyncToken(res.NextSyncToken).Context(ctx).Do()
	apiErr(t, err, 410, "fullSyncRequired")
	// The full resync that follows gives a token that works at once.
	again, err := svc.Events.List(org).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Events.List(org).SyncToken(again.NextSyncToken).Context(ctx).Do(); err != nil {
		t.Fatalf("token from the resync: %v", err)
	}
	_, err = svc.Events.List(org).SyncToken(res.NextSyncToken).TimeMin(t0.Format(time.RFC3339)).Context(ctx).Do()
	apiErr(t, err, 400, "invalid")
}

func TestFreeBusyInChunks(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{})
	ctx := ctxT(t)
	var ids []string
	for i := range 60 {
		ids = append(ids, "p"+string(rune('a'+i/26))+string(rune('a'+i%26))+"@example.test")
	}
	s.SetBusy(ids[0], calendartest.Interval{Start: t0.Add(-time.Hour), End: t0.Add(time.Hour)})
	s.SetBusy(ids[55], calendartest.Interval{Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour)},
		calendartest.Interval{Start: t0.Add(3 * time.Hour), End: t0.Add(4 * time.Hour)})
	s.SetCalendarError(ids[7], "notFound")
	// An invitation makes the guest busy, until they decline.
	if _, err := svc.Events.Insert(org, booking("fbevent01", "x", t0.Add(5*time.Hour), ids[3], ids[4])).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResponse(org, "fbevent01", ids[4], "declined"); err != nil {
		t.Fatal(err)
	}

	tmin, tmax := t0, t0.Add(24*time.Hour)
	got := map[string]*calendar.FreeBusyCalendar{}
	for start := 0; start < len(ids); start += calendartest.MaxFreeBusyCalendars {
		chunk := ids[start:min(start+calendartest.MaxFreeBusyCalendars, len(ids))]
		req := &calendar.FreeBusyRequest{TimeMin: tmin.Format(time.RFC3339), TimeMax: tmax.Format(time.RFC3339), TimeZone: "UTC"}
		for _, id := range chunk {
			req.Items = append(req.Items, &calendar.FreeBusyRequestItem{Id: id})
		}
		res, err := svc.Freebusy.Query(req).Context(ctx).Do()
		if err != nil {
			t.Fatal(err)
		}
		for id, c := range res.Calendars {
			got[id] = &c
		}
	}
	if len(got) != 60 {
		t.Fatalf("%d calendars answered, want 60", len(got))
	}
	for i, id := range ids {
		c := got[id]
		if i == 7 {
			if len(c.Errors) != 1 || c.Errors[0].Reason != "notFound" {
				t.Fatalf("%s errors = %+v", id, c.Errors)
			}
			continue
		}
		if len(c.Errors) != 0 {
			t.Fatalf("%s errors = %+v", id, c.Errors)
		}
	}
	wantBusy := map[int]string{
		0:  "2030-03-04T15:00:00Z-2030-03-04T16:00:00Z", // clipped to timeMin
		3:  "2030-03-04T20:00:00Z-2030-03-04T20:45:00Z",
		55: "2030-03-04T17:00:00Z-2030-03-04T19:00:00Z", // touching periods merged
	}
	for i, id := range ids {
		var spans []string
		for _, b := range got[id].Busy {
			spans = append(spans, b.Start+"-"+b.End)
		}
		if strings.Join(spans, ",") != wantBusy[i] {
			t.Fatalf("%s busy = %v, want %q", id, spans, wantBusy[i])
		}
	}
	if n := s.Stats().Requests[calendartest.OpFreeBusy]; n != 2 {
		t.Fatalf("%d freeBusy requests, want 2", n)
	}

	// One query over the limit: the calendars past 50 are refused.
	req := &calendar.FreeBusyRequest{TimeMin: tmin.Format(time.RFC3339), TimeMax: tmax.Format(time.RFC3339)}
	for _, id := range ids[:51] {
		req.Items = append(req.Items, &calendar.FreeBusyRequestItem{Id: id})
	}
	res, err := svc.Freebusy.Query(req).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Calendars[ids[50]].Errors; len(e) != 1 || e[0].Reason != "tooManyCalendarsRequested" {
		t.Fatalf("51st calendar errors = %+v", e)
	}
	req.Items = req.Items[:1]
	req.TimeMax = tmin.Add(91 * 24 * time.Hour).Format(time.RFC3339)
	_, err = svc.Freebusy.Query(req).Context(ctx).Do()
	apiErr(t, err, 400, "timeRangeTooLong")
}
