package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/builtin"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/calendar/ics"
	"github.com/debrief-dev/debrief/internal/config"
)

// Bookings, invitations, feeds and availability through the real server.

type wireAttendee struct {
	Person struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"person"`
	Optional bool   `json:"optional"`
	Response string `json:"response"`
}

type wireBooking struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	Provider   string         `json:"provider"`
	Status     string         `json:"status"`
	Start      string         `json:"start"`
	End        string         `json:"end"`
	Sequence   int            `json:"sequence"`
	Attendees  []wireAttendee `json:"attendees"`
	CanceledAt *string        `json:"canceled_at"`
	ICSURL     *string        `json:"ics_url"`
}

type wireBookingList struct {
	Items      []wireBooking `json:"items"`
	NextCursor string        `json:"next_cursor"`
}

func bookingIDs(l wireBookingList) []string {
	out := make([]string, len(l.Items))
	for i, b := range l.Items {
		out[i] = b.ID
	}
	return out
}

// bkPerson creates a person as admin and returns their id.
func bkPerson(t *testing.T, admin *client, name, email, zone string) string {
	t.Helper()
	var p struct{ ID string }
	admin.must(201, "POST", "/api/v1/people", map[string]any{"name": name, "email": email, "timezone": zone,
		"working_hours": "mon-fri 09:00-17:00"}).decode(t, &p)
	return p.ID
}

// bookingBody is a valid built-in booking of people (the first required,
// the rest optional) from start for minutes.
func bookingBody(title string, start time.Time, minutes int, people ...string) map[string]any {
	atts := make([]map[string]any, len(people))
	for i, p := range people {
		atts[i] = map[string]any{"person_id": p, "optional": i > 0}
	}
	return map[string]any{"title": title, "start": start.Format(time.RFC3339),
		"end":             start.Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339),
		"organizer_email": "desk@example.com", "attendees": atts, "provider": "builtin", "kind": "chat"}
}

// icsProp is the value of a property of c, failing when it is missing.
func icsProp(t *testing.T, c *ics.Component, name string) string {
	t.Helper()
	p, ok := c.Property(name)
	if !ok {
		t.Fatalf("%s has no %s", c.Name, name)
	}
	return p.Value
}

// invitation downloads a booking's invitation and parses it.
func invitation(t *testing.T, c *client, b wireBooking, method ics.Method) *ics.Component {
	t.Helper()
	if b.ICSURL == nil || *b.ICSURL != "/api/v1/bookings/"+b.ID+"/invite.ics" {
		t.Fatalf("ics_url = %v", b.ICSURL)
	}
	r := c.must(200, "GET", *b.ICSURL, nil)
	if ct := r.Header.Get("Content-Type"); ct != builtin.InvitationContentType(method) {
		t.Errorf("invitation content type %q, want %q", ct, builtin.InvitationContentType(method))
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".ics") {
		t.Errorf("Content-Disposition %q", cd)
	}
	cal, err := ics.Parse(r.Body)
	if err != nil {
		t.Fatalf("invitation does not parse: %v\n%s", err, r.Body)
	}
	if got := icsProp(t, cal, "METHOD"); got != string(method) {
		t.Errorf("METHOD %s, want %s", got, method)
	}
	evs := cal.Children("VEVENT")
	if len(evs) != 1 {
		t.Fatalf("%d VEVENTs in an invitation", len(evs))
	}
	ev := evs[0]
	if uid := icsProp(t, ev, "UID"); uid != builtin.UID(b.ID) {
		t.Errorf("UID %s, want %s", uid, builtin.UID(b.ID))
	}
	return ev
}

func attendeeAddrs(ev *ics.Component) []string {
	var out []string
	for _, p := range ev.All("ATTENDEE") {
		role, _ := p.Param("ROLE")
		out = append(out, strings.ToLower(p.Value)+" "+role)
	}
	slices.Sort(out)
	return out
}

func TestBookingsOverHTTP(t *testing.T) {
	dialects(t, func(t *testing.T, d config.Dialect) {
		c := loadContract(t)
		s := startServer(t, d, nil)
		admin := s.setup(t, c)
		pat := bkPerson(t, admin, "Pat Pager", "pat@example.com", "America/New_York")
		kai := bkPerson(t, admin, "Kai Kim", "kai@example.com", "Europe/Berlin")
		lee := bkPerson(t, admin, "Lee Lim", "lee@example.com", "Asia/Kolkata")
		day := time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC)

		// ------------------------------------------------------------ create
		var b wireBooking
		admin.must(201, "POST", "/api/v1/bookings", bookingBody("Chat about checkout", day.Add(15*time.Hour), 45, pat, kai)).decode(t, &b)
		if b.Status != "confirmed" || b.Provider != "builtin" || b.Sequence != 0 || b.Start != "2027-03-02T15:00:00Z" ||
			b.End != "2027-03-02T15:45:00Z" || len(b.Attendees) != 2 || b.Attendees[0].Person.ID != pat || !b.Attendees[1].Optional {
			t.Fatalf("created booking = %+v", b)
		}
		ev := invitation(t, admin, b, ics.Request)
		if got := icsProp(t, ev, "SEQUENCE"); got != "0" {
			t.Errorf("SEQUENCE %s, want 0", got)
		}
		if got := icsProp(t, ev, "DTSTART"); got != "20270302T150000Z" {
			t.Errorf("DTSTART %s", got)
		}
		if got, want := attendeeAddrs(ev), []string{"mailto:kai@example.com OPT-PARTICIPANT", "mailto:pat@example.com REQ-PARTICIPANT"}; !slices.Equal(got, want) {
			t.Errorf("attendees %v, want %v", got, want)
		}
		var got wireBooking
		admin.must(200, "GET", "/api/v1/bookings/"+b.ID, nil).decode(t, &got)
		if got.ID != b.ID || got.Title != b.Title {
			t.Errorf("get = %+v", got)
		}

		// ------------------------------------------------------------ reschedule
		admin.must(200, "PATCH", "/api/v1/bookings/"+b.ID, map[string]string{
			"start": "2027-03-02T11:00:00-05:00", "end": "2027-03-02T11:30:00-05:00"}).decode(t, &b)
		if b.Sequence != 1 || b.Start != "2027-03-02T16:00:00Z" || b.End != "2027-03-02T16:30:00Z" || b.Status != "confirmed" {
			t.Fatalf("rescheduled booking = %+v", b)
		}
		ev = invitation(t, admin, b, ics.Request)
		if icsProp(t, ev, "SEQUENCE") != "1" || icsProp(t, ev, "DTSTART") != "20270302T160000Z" {
			t.Errorf("rescheduled invitation: SEQUENCE %s DTSTART %s", icsProp(t, ev, "SEQUENCE"), icsProp(t, ev, "DTSTART"))
		}

		// ------------------------------------------------------------ clash
		p := admin.must(409, "POST", "/api/v1/bookings", bookingBody("Overlap", day.Add(16*time.Hour+15*time.Minute), 30, lee, pat)).problem(t)
		if p["type"] != "https://debrief.dev/problems/conflict" || !strings.Contains(p["detail"].(string), "Pat Pager") ||
			strings.Contains(p["detail"].(string), "Lee Lim") {
			t.Errorf("clash problem = %v", p)
		}
		// Touching is fine.
		var second wireBooking
		admin.must(201, "POST", "/api/v1/bookings", bookingBody("Follow-up", day.Add(16*time.Hour+30*time.Minute), 30, pat, lee)).decode(t, &second)
		// Moving the first booking onto the second is refused and changes nothing.
		p = admin.must(409, "PATCH", "/api/v1/bookings/"+b.ID, map[string]string{"end": "2027-03-02T16:45:00Z"}).problem(t)
		if !strings.Contains(p["detail"].(string), "Pat Pager") {
			t.Errorf("reschedule clash problem = %v", p)
		}
		admin.must(200, "GET", "/api/v1/bookings/"+b.ID, nil).decode(t, &got)
		if got.Sequence != 1 || got.End != "2027-03-02T16:30:00Z" {
			t.Errorf("refused reschedule changed the booking: %+v", got)
		}

		// ------------------------------------------------------------ list
		var l wireBookingList
		admin.must(200, "GET", "/api/v1/bookings?person_id="+kai, nil).decode(t, &l)
		if !slices.Equal(bookingIDs(l), []string{b.ID}) {
			t.Errorf("kai's bookings = %v", bookingIDs(l))
		}
		admin.must(200, "GET", "/api/v1/bookings?limit=1&status=confirmed&from=2027-03-02&to=2027-03-02", nil).decode(t, &l)
		if !slices.Equal(bookingIDs(l), []string{b.ID}) || l.NextCursor == "" {
			t.Fatalf("first page = %v next %q", bookingIDs(l), l.NextCursor)
		}
		admin.must(200, "GET", "/api/v1/bookings?limit=1&status=confirmed&from=2027-03-02&to=2027-03-02&cursor="+url.QueryEscape(l.NextCursor), nil).decode(t, &l)
		if !slices.Equal(bookingIDs(l), []string{second.ID}) || l.NextCursor != "" {
			t.Errorf("second page = %v next %q", bookingIDs(l), l.NextCursor)
		}
		admin.must(200, "GET", "/api/v1/bookings?from=2027-03-02T16:30:00Z&to=2027-03-03", nil).decode(t, &l)
		if !slices.Equal(bookingIDs(l), []string{second.ID}) {
			t.Errorf("bookings overlapping [16:30, end of day) = %v", bookingIDs(l))
		}
		p = admin.must(400, "GET", "/api/v1/bookings?status=maybe&from=yesterday", nil).problem(t)
		if fe := fieldNames(p); !slices.Contains(fe, "status") || !slices.Contains(fe, "from") {
			t.Errorf("bad filters: %v", p)
		}

		// ------------------------------------------------------------ retry, cancel
		admin.must(409, "POST", "/api/v1/bookings/"+b.ID+"/retry", nil).problem(t)
		admin.must(200, "DELETE", "/api/v1/bookings/"+b.ID, nil).decode(t, &b)
		if b.Status != "canceled" || b.Sequence != 2 || b.CanceledAt == nil {
			t.Fatalf("canceled booking = %+v", b)
		}
		ev = invitation(t, admin, b, ics.Cancel)
		if icsProp(t, ev, "SEQUENCE") != "2" || icsProp(t, ev, "STATUS") != "CANCELLED" {
			t.Errorf("cancellation: SEQUENCE %s STATUS %s", icsProp(t, ev, "SEQUENCE"), icsProp(t, ev, "STATUS"))
		}
		// Canceling again changes nothing; editing a canceled booking is a conflict.
		admin.must(200, "DELETE", "/api/v1/bookings/"+b.ID, nil).decode(t, &got)
		if got.Sequence != 2 || got.Status != "canceled" {
			t.Errorf("second cancel = %+v", got)
		}
		admin.must(409, "PATCH", "/api/v1/bookings/"+b.ID, map[string]string{"title": "Back"}).problem(t)
		// The freed time can be booked again.
		var third wireBooking
		admin.must(201, "POST", "/api/v1/bookings", bookingBody("Rebooked", day.Add(16*time.Hour), 30, kai, pat)).decode(t, &third)

		admin.must(404, "GET", "/api/v1/bookings/00000000-0000-4000-8000-000000000000", nil).problem(t)
		admin.must(404, "GET", "/api/v1/bookings/not-a-uuid/invite.ics", nil).problem(t)

		// ------------------------------------------------------------ feed
		var fu struct{ URL string }
		r := admin.must(201, "POST", "/api/v1/people/"+pat+"/feed", nil)
		r.decode(t, &fu)
		if !strings.HasPrefix(fu.URL, s.URL+"/feeds/") || !strings.HasSuffix(fu.URL, ".ics") || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("feed url %q (server %s), Cache-Control %q", fu.URL, s.URL, r.Header.Get("Cache-Control"))
		}
		feedPath := strings.TrimPrefix(fu.URL, s.URL)
		anon := s.client(t, c) // no cookie, no token: the URL is the credential
		r = anon.must(200, "GET", feedPath, nil)
		if r.Header.Get("Content-Type") != builtin.ContentType || r.Header.Get("Cache-Control") != builtin.FeedCacheControl {
			t.Errorf("feed headers %v", r.Header)
		}
		cal, err := ics.Parse(r.Body)
		if err != nil {
			t.Fatalf("feed does not parse: %v\n%s", err, r.Body)
		}
		if _, ok := cal.Property("METHOD"); ok {
			t.Errorf("a feed has a METHOD")
		}
		status := map[string]string{}
		for _, e := range cal.Children("VEVENT") {
			status[icsProp(t, e, "UID")] = icsProp(t, e, "STATUS")
		}
		wantStatus := map[string]string{builtin.UID(b.ID): "CANCELLED", builtin.UID(second.ID): "CONFIRMED", builtin.UID(third.ID): "CONFIRMED"}
		if fmt.Sprint(status) != fmt.Sprint(wantStatus) {
			t.Errorf("feed events %v, want %v", status, wantStatus)
		}
		// Kai's feed has only Kai's bookings.
		admin.must(201, "POST", "/api/v1/people/"+kai+"/feed", nil).decode(t, &fu)
		kaiFeed := strings.TrimPrefix(fu.URL, s.URL)
		if kaiFeed == feedPath {
			t.Fatal("two people got the same feed URL")
		}
		r = anon.must(200, "GET", kaiFeed, nil)
		if bytes.Contains(r.Body, []byte(second.ID)) || !bytes.Contains(r.Body, []byte(third.ID)) {
			t.Errorf("kai's feed:\n%s", r.Body)
		}
		// A new URL replaces the old one; revoking turns it off.
		admin.must(201, "POST", "/api/v1/people/"+pat+"/feed", nil).decode(t, &fu)
		newPath := strings.TrimPrefix(fu.URL, s.URL)
		anon.must(404, "GET", feedPath, nil).problem(t)
		anon.must(200, "GET", newPath, nil)
		admin.must(204, "DELETE", "/api/v1/people/"+pat+"/feed", nil)
		admin.must(204, "DELETE", "/api/v1/people/"+pat+"/feed", nil)
		p = anon.must(404, "GET", newPath, nil).problem(t)
		if strings.Contains(fmt.Sprint(p), strings.TrimSuffix(strings.TrimPrefix(newPath, "/feeds/"), ".ics")) {
			t.Errorf("the 404 repeats the secret token: %v", p)
		}
		anon.must(404, "GET", "/feeds/nonsense.ics", nil).problem(t)
		anon.must(404, "GET", strings.TrimSuffix(kaiFeed, ".ics"), nil).problem(t)
		anon.must(200, "GET", kaiFeed, nil)
		admin.must(404, "POST", "/api/v1/people/00000000-0000-4000-8000-000000000000/feed", nil).problem(t)
	})
}

// fieldNames lists the fields of a problem's errors.
func fieldNames(p map[string]any) []string {
	var out []string
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			out = append(out, fmt.Sprint(m["field"]))
		}
	}
	return out
}

// TestConcurrentBookingsOfOnePerson: 50 requests at once book the same
// person at overlapping times; the database lets exactly one through and
// every other request gets a 409 problem.
func TestConcurrentBookingsOfOnePerson(t *testing.T) {
	dialects(t, func(t *testing.T, d config.Dialect) {
		c := loadContract(t)
		s := startServer(t, d, nil)
		admin := s.setup(t, c)
		pat := bkPerson(t, admin, "Pat Pager", "pat@example.com", "America/New_York")
		var nt struct {
			Token string `json:"token"`
		}
		admin.must(201, "POST", "/api/v1/tokens", map[string]string{"name": "load"}).decode(t, &nt)

		const n = 50
		start := time.Date(2027, 5, 4, 14, 0, 0, 0, time.UTC)
		type result struct {
			status int
			ctype  string
			body   []byte
			err    error
		}
		results := make([]result, n)
		var (
			wg   sync.WaitGroup
			gate = make(chan struct{})
		)
		for i := range n {
			// One client (and connection) per request, all sharing the
			// admin's token; booking i starts i minutes later and lasts an
			// hour, so every pair overlaps.
			hc := s.client(t, c).http
			body, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("Race %02d", i),
				"start":           start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
				"end":             start.Add(time.Duration(i)*time.Minute + time.Hour).Format(time.RFC3339),
				"organizer_email": "desk@example.com", "provider": "builtin",
				"attendees": []map[string]any{{"person_id": pat}}})
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, err := http.NewRequest("POST", s.URL+"/api/v1/bookings", bytes.NewReader(body))
				if err != nil {
					results[i].err = err
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+nt.Token)
				<-gate
				res, err := hc.Do(req)
				if err != nil {
					results[i].err = err
					return
				}
				defer func() { _ = res.Body.Close() }()
				b, err := io.ReadAll(res.Body)
				results[i] = result{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), body: b, err: err}
			}()
		}
		began := time.Now()
		close(gate)
		wg.Wait()
		t.Logf("%s: %d concurrent bookings answered in %v", d, n, time.Since(began).Round(time.Millisecond))

		counts := map[int]int{}
		var winner wireBooking
		for i, r := range results {
			if r.err != nil {
				t.Fatalf("request %d: %v", i, r.err)
			}
			counts[r.status]++
			switch r.status {
			case 201:
				if err := json.Unmarshal(r.body, &winner); err != nil {
					t.Fatal(err)
				}
			case 409:
				var p struct {
					Type   string `json:"type"`
					Detail string `json:"detail"`
				}
				if err := json.Unmarshal(r.body, &p); err != nil || !strings.HasPrefix(r.ctype, "application/problem+json") ||
					p.Type != "https://debrief.dev/problems/conflict" || p.Detail == "" {
					t.Errorf("request %d: 409 that is no conflict problem: %s %s", i, r.ctype, r.body)
				}
			default:
				t.Errorf("request %d: status %d: %s", i, r.status, r.body)
			}
		}
		if counts[201] != 1 || counts[409] != n-1 {
			t.Fatalf("statuses %v, want exactly one 201 and %d × 409", counts, n-1)
		}
		var l wireBookingList
		admin.must(200, "GET", "/api/v1/bookings?limit=200&person_id="+pat, nil).decode(t, &l)
		if !slices.Equal(bookingIDs(l), []string{winner.ID}) {
			t.Errorf("pat's bookings %v, want only the winner %s", bookingIDs(l), winner.ID)
		}
	})
}

type wireAvailability struct {
	Slots []struct {
		Start   string   `json:"start"`
		End     string   `json:"end"`
		Score   int      `json:"score"`
		Free    []string `json:"free"`
		Busy    []string `json:"busy"`
		Unknown []string `json:"unknown"`
	} `json:"slots"`
	Sources map[string]string `json:"sources"`
	People  []struct {
		ID       string `json:"id"`
		Timezone string `json:"timezone"`
		Optional bool   `json:"optional"`
		Working  []struct {
			Start string `json:"start"`
			End   string `json:"end"`
		} `json:"working"`
		Busy []struct {
			Start string `json:"start"`
			End   string `json:"end"`
		} `json:"busy"`
		Unknown bool `json:"unknown"`
	} `json:"people"`
}

func TestAvailabilityOverHTTP(t *testing.T) {
	dialects(t, func(t *testing.T, d config.Dialect) {
		c := loadContract(t)
		s := startServer(t, d, nil)
		admin := s.setup(t, c)
		// Tuesday 6 April 2027: New York is UTC-4 and Berlin UTC+2, so
		// 09:00-17:00 in both overlap from 13:00 to 15:00 UTC.
		pat := bkPerson(t, admin, "Pat Pager", "pat@example.com", "America/New_York")
		kai := bkPerson(t, admin, "Kai Kim", "kai@example.com", "Europe/Berlin")
		req := map[string]any{"people": []string{pat, kai},
			"window":           map[string]string{"start": "2027-04-06T00:00:00Z", "end": "2027-04-07T00:00:00Z"},
			"duration_minutes": 30, "step_minutes": 30, "limit": 50}
		var av wireAvailability
		admin.must(200, "POST", "/api/v1/availability", req).decode(t, &av)
		bothFree := func(av wireAvailability) []string {
			var out []string
			for _, sl := range av.Slots {
				if slices.Contains(sl.Free, pat) && slices.Contains(sl.Free, kai) {
					out = append(out, sl.Start)
				}
			}
			return out
		}
		want := []string{"2027-04-06T13:00:00Z", "2027-04-06T13:30:00Z", "2027-04-06T14:00:00Z", "2027-04-06T14:30:00Z"}
		if got := bothFree(av); !slices.Equal(got, want) {
			t.Fatalf("slots with both free %v, want %v\n%+v", got, want, av.Slots)
		}
		if av.Slots[0].Start != want[0] {
			t.Errorf("best slot %s, want the earliest with everyone free", av.Slots[0].Start)
		}
		if av.Sources[pat] != "builtin" || av.Sources[kai] != "builtin" {
			t.Errorf("sources %v", av.Sources)
		}
		if len(av.People) != 2 {
			t.Fatalf("people %+v", av.People)
		}
		for _, p := range av.People {
			if len(p.Working) == 0 || p.Unknown {
				t.Errorf("person %+v: no working hours, or unknown", p)
			}
		}
		if av.People[0].ID != pat || av.People[0].Working[0].Start != "2027-04-06T13:00:00Z" ||
			av.People[1].Working[0].Start != "2027-04-06T07:00:00Z" {
			t.Errorf("working hours %+v", av.People)
		}

		// Booking the best slot takes it away.
		admin.must(201, "POST", "/api/v1/bookings", bookingBody("Taken", time.Date(2027, 4, 6, 13, 0, 0, 0, time.UTC), 30, pat, kai))
		admin.must(200, "POST", "/api/v1/availability", req).decode(t, &av)
		if got := bothFree(av); !slices.Equal(got, want[1:]) {
			t.Errorf("after booking 13:00, slots with both free %v, want %v", got, want[1:])
		}
		for _, sl := range av.Slots {
			if sl.Start == want[0] && (slices.Contains(sl.Free, pat) || !slices.Contains(sl.Busy, pat)) {
				t.Errorf("booked slot still shows pat free: %+v", sl)
			}
		}
		if b := av.People[0].Busy; len(b) != 1 || b[0].Start != want[0] || b[0].End != want[1] {
			t.Errorf("pat's busy times %+v", b)
		}

		// Bad input is a 400 with per-field errors.
		p := admin.must(400, "POST", "/api/v1/availability", map[string]any{"people": []string{},
			"window": map[string]string{"start": "tomorrow", "end": "2027-04-07T00:00:00Z"}, "duration_minutes": 0}).problem(t)
		fe := fieldNames(p)
		for _, f := range []string{"people", "window.start", "duration_minutes"} {
			if !slices.Contains(fe, f) {
				t.Errorf("problem lacks field %s: %v", f, p)
			}
		}
		p = admin.must(400, "POST", "/api/v1/availability", map[string]any{"people": []string{pat, "00000000-0000-4000-8000-000000000000"},
			"window": req["window"], "duration_minutes": 30}).problem(t)
		if !slices.Contains(fieldNames(p), "people") {
			t.Errorf("unknown person: %v", p)
		}
		admin.must(400, "POST", "/api/v1/availability", `{"people":[],"windo":{}}`).problem(t)

		// Members may not look at people's availability.
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "pat@example.com", "name": "Pat Pager",
			"role": "member", "password": "a long password for pat"})
		member := s.signIn(t, c, "pat@example.com", "a long password for pat")
		member.must(403, "POST", "/api/v1/availability", req).problem(t)
	})
}

// TestFeedURLUsesBaseURL: with DEBRIEF_BASE_URL the feed URL is built on it,
// whatever Host the request came with.
func TestFeedURLUsesBaseURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c := loadContract(t)
	base := "http://" + addr + "/"
	s := startServer(t, config.SQLite, map[string]string{"DEBRIEF_ADDR": addr, "DEBRIEF_BASE_URL": base})
	admin := s.setup(t, c)
	pat := bkPerson(t, admin, "Pat Pager", "pat@example.com", "America/New_York")
	var nt struct {
		Token string `json:"token"`
	}
	admin.must(201, "POST", "/api/v1/tokens", map[string]string{"name": "script"}).decode(t, &nt)
	req, err := http.NewRequest("POST", "http://"+addr+"/api/v1/people/"+pat+"/feed", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "elsewhere.example:8443"
	req.Header.Set("Authorization", "Bearer "+nt.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var fu struct{ URL string }
	if err := json.NewDecoder(res.Body).Decode(&fu); err != nil || res.StatusCode != 201 {
		t.Fatalf("status %d, %v", res.StatusCode, err)
	}
	if !strings.HasPrefix(fu.URL, "http://"+addr+"/feeds/") || !strings.HasSuffix(fu.URL, ".ics") {
		t.Fatalf("feed URL %q, want it on %s", fu.URL, base)
	}
	s.client(t, c).must(200, "GET", strings.TrimPrefix(fu.URL, "http://"+addr), nil)
}

// TestGoogleBookingHasNoInvitationFile: Google sends its own invitations,
// so a Google booking has no ics_url, its invite.ics is a 404 that says so,
// and it stays out of feeds.
func TestGoogleBookingHasNoInvitationFile(t *testing.T) {
	fake := calendartest.New(calendartest.Options{})
	u, err := fake.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	creds := filepath.Join(t.TempDir(), "sa.json")
	if err := os.WriteFile(creds, serviceAccountKey(t, u+"/token"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := loadContract(t)
	s := startServer(t, config.SQLite, map[string]string{"DEBRIEF_GOOGLE_CREDENTIALS_FILE": creds,
		"DEBRIEF_GOOGLE_ORGANIZER": "organizer@example.com", "DEBRIEF_GOOGLE_ENDPOINT": u + "/calendar/v3/"})
	admin := s.setup(t, c)
	pat := bkPerson(t, admin, "Pat Pager", "pat@example.com", "America/New_York")
	in := bookingBody("On Google", time.Date(2027, 6, 1, 14, 0, 0, 0, time.UTC), 30, pat)
	delete(in, "organizer_email")
	in["provider"] = "google"
	var b wireBooking
	admin.must(201, "POST", "/api/v1/bookings", in).decode(t, &b)
	if b.Provider != "google" || b.ICSURL != nil {
		t.Fatalf("google booking = %+v", b)
	}
	p := admin.must(404, "GET", "/api/v1/bookings/"+b.ID+"/invite.ics", nil).problem(t)
	if !strings.Contains(p["detail"].(string), "Google sends the invitation itself") {
		t.Errorf("problem = %v", p)
	}
	var fu struct{ URL string }
	admin.must(201, "POST", "/api/v1/people/"+pat+"/feed", nil).decode(t, &fu)
	r := s.client(t, c).must(200, "GET", strings.TrimPrefix(fu.URL, s.URL), nil)
	if bytes.Contains(r.Body, []byte(b.ID)) {
		t.Errorf("a Google booking is in the feed:\n%s", r.Body)
	}
}

// serviceAccountKey makes a Google service-account key file whose token_uri
// is tokenURL (the fake's).
func serviceAccountKey(t *testing.T, tokenURL string) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "debrief-test", "private_key_id": "key-1",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": "debrief@debrief-test.iam.gserviceaccount.com", "client_id": "1234567890",
		"token_uri": tokenURL,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
