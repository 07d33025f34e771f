package e2etest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	// Drivers for reading River's job table after a run.
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

// api is a script's view of one serve process: bearer token, JSON.
type api struct {
	base  string
	token string
	http  *http.Client
}

func newAPI(base, token string) *api {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32
	return &api{base: base, token: token, http: &http.Client{Timeout: 30 * time.Second, Transport: tr}}
}

// httpError is a reply with an unexpected status; anything else returned
// by do is a transport error (connection refused, reset, EOF).
type httpError struct {
	Status int
	Body   string
}

func (e *httpError) Error() string { return fmt.Sprintf("status %d: %.300s", e.Status, e.Body) }

// do sends a request and decodes a 2xx JSON reply into out (when not nil).
func (a *api) do(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	res, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = res.Body.Close() }()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return &httpError{Status: res.StatusCode, Body: string(data)}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("decode %s %s: %w: %.300s", method, path, err, data)
		}
	}
	return nil
}

func (a *api) json(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	return a.do(ctx, method, path, "application/json", body, out)
}

func isHTTPError(err error) bool {
	var he *httpError
	return errors.As(err, &he)
}

type person struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// importPeople creates n people with one CSV import and returns them in
// file order.
func importPeople(t *testing.T, a *api, n int) []person {
	t.Helper()
	ctx := context.Background()
	zones := []string{"Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"}
	var b strings.Builder
	b.WriteString("name,email,team,level,manager_email,timezone,working_hours\n")
	for i := range n {
		fmt.Fprintf(&b, "Person %02d,p%02d@example.com,team-%d,,,%s,mon-fri 09:00-17:00\n", i, i, i%4, zones[i%len(zones)])
	}
	var rep struct {
		Created int `json:"created"`
	}
	if err := a.do(ctx, "POST", "/api/v1/people/import", "text/csv", []byte(b.String()), &rep); err != nil {
		t.Fatalf("import people: %v", err)
	}
	if rep.Created != n {
		t.Fatalf("import created %d people, want %d", rep.Created, n)
	}
	var list struct {
		Items []person `json:"items"`
	}
	if err := a.json(ctx, "GET", "/api/v1/people?limit=200", nil, &list); err != nil {
		t.Fatalf("list people: %v", err)
	}
	byEmail := map[string]person{}
	for _, p := range list.Items {
		byEmail[strings.ToLower(p.Email)] = p
	}
	out := make([]person, n)
	for i := range n {
		p, ok := byEmail[fmt.Sprintf("p%02d@example.com", i)]
		if !ok {
			t.Fatalf("person p%02d@example.com not listed", i)
		}
		out[i] = p
	}
	return out
}

type attendeeIn struct {
	PersonID string `json:"person_id"`
	Optional bool   `json:"optional"`
}

type bookingIn struct {
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Start       string       `json:"start"`
	End         string       `json:"end"`
	Attendees   []attendeeIn `json:"attendees"`
	Provider    string       `json:"provider"`
}

type booking struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Status     string    `json:"status"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	ExternalID string    `json:"external_id"`
	Attempts   int       `json:"attempts"`
	LastError  string    `json:"last_error"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// bookingPlan is the i-th of a run's bookings: its own half hour (no two
// bookings of a run overlap, so no person is ever double-booked) and three
// of the people, one of them optional.
func bookingPlan(run string, i int, people []person, base time.Time) bookingIn {
	day, slot := i/8, i%8
	start := base.AddDate(0, 0, day).Add(time.Duration(slot) * time.Hour)
	n := len(people)
	return bookingIn{
		Title:       fmt.Sprintf("%s chat %03d", run, i),
		Description: "A learning review conversation (end-to-end test).",
		Start:       start.Format(time.RFC3339),
		End:         start.Add(30 * time.Minute).Format(time.RFC3339),
		Attendees: []attendeeIn{
			{PersonID: people[i%n].ID},
			{PersonID: people[(i+7)%n].ID},
			{PersonID: people[(i+13)%n].ID, Optional: true},
		},
		Provider: "google",
	}
}

// planBase is a Monday 09:00 UTC a few weeks ahead, so every booking is
// in the future (the response sync only looks at those).
func planBase() time.Time {
	d := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 21)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d.Add(9 * time.Hour)
}

// listBookings returns every booking with the given status ("" for all).
func listBookings(ctx context.Context, a *api, status string) ([]booking, error) {
	var all []booking
	cursor := ""
	for {
		q := url.Values{"limit": {"200"}}
		if status != "" {
			q.Set("status", status)
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page struct {
			Items      []booking `json:"items"`
			NextCursor string    `json:"next_cursor"`
		}
		if err := a.json(ctx, "GET", "/api/v1/bookings?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		cursor = page.NextCursor
	}
}

// waitSettled polls until no booking is pending, then returns them all.
// A failed booking ends the wait at once.
func waitSettled(t *testing.T, a *api, timeout time.Duration) []booking {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	for {
		var pending, failed struct {
			Items []booking `json:"items"`
		}
		err := a.json(ctx, "GET", "/api/v1/bookings?status=pending&limit=1", nil, &pending)
		if err == nil {
			err = a.json(ctx, "GET", "/api/v1/bookings?status=failed&limit=5", nil, &failed)
		}
		switch {
		case err != nil:
			t.Fatalf("poll bookings: %v", err)
		case len(failed.Items) > 0:
			for _, b := range failed.Items {
				t.Errorf("booking %s (%s) failed after %d attempts: %s", b.ID, b.Title, b.Attempts, b.LastError)
			}
			t.FailNow()
		case len(pending.Items) == 0:
			all, err := listBookings(ctx, a, "")
			if err != nil {
				t.Fatalf("list bookings: %v", err)
			}
			return all
		case time.Now().After(deadline):
			t.Fatalf("bookings still pending after %s (e.g. %s %q, %d attempts: %s)", timeout,
				pending.Items[0].ID, pending.Items[0].Title, pending.Items[0].Attempts, pending.Items[0].LastError)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// fakeGet reads one of the fake's /_fake/ control routes.
func fakeGet(t *testing.T, f *fakeGoogle, path string, out any) {
	t.Helper()
	res, err := http.Get(f.URL + path)
	if err != nil {
		t.Fatalf("fake %s: %v", path, err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("fake %s: status %d", path, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatalf("fake %s: %v", path, err)
	}
}

func fakeEvents(t *testing.T, f *fakeGoogle) []calendartest.Event {
	t.Helper()
	var evs []calendartest.Event
	fakeGet(t, f, "/_fake/events", &evs)
	return evs
}

func fakeStats(t *testing.T, f *fakeGoogle) calendartest.Stats {
	t.Helper()
	var st calendartest.Stats
	fakeGet(t, f, "/_fake/stats", &st)
	return st
}

func fakeRequests(t *testing.T, f *fakeGoogle) []calendartest.Request {
	t.Helper()
	var rs []calendartest.Request
	fakeGet(t, f, "/_fake/requests", &rs)
	return rs
}

// checkCalendar asserts that the fake holds exactly one live event per
// booking (found by the booking id in its private extended property),
// under the event id Debrief recorded, at the booked time; and nothing
// else.
func checkCalendar(t *testing.T, f *fakeGoogle, bookings []booking, want int) {
	t.Helper()
	if len(bookings) != want {
		t.Errorf("Debrief lists %d bookings, want %d", len(bookings), want)
	}
	evs := fakeEvents(t, f)
	byBooking := map[string][]calendartest.Event{}
	for _, e := range evs {
		if e.Status == "cancelled" {
			t.Errorf("event %s is cancelled; nothing was cancelled", e.ID)
			continue
		}
		if e.CalendarID != organizer {
			t.Errorf("event %s is on calendar %q, want the organizer's", e.ID, e.CalendarID)
		}
		id := e.Private[google.BookingIDProperty]
		if id == "" {
			t.Errorf("event %s carries no booking id", e.ID)
			continue
		}
		byBooking[id] = append(byBooking[id], e)
	}
	if len(evs) != want {
		t.Errorf("the fake holds %d events, want exactly %d", len(evs), want)
	}
	seen := map[string]bool{}
	for _, b := range bookings {
		seen[b.ID] = true
		got := byBooking[b.ID]
		switch {
		case b.Status != "confirmed":
			t.Errorf("booking %s (%s) is %s: %s", b.ID, b.Title, b.Status, b.LastError)
		case len(got) == 0:
			t.Errorf("booking %s (%s) has no event: missing", b.ID, b.Title)
		case len(got) > 1:
			t.Errorf("booking %s (%s) has %d events: duplicated", b.ID, b.Title, len(got))
		case got[0].ID != b.ExternalID:
			t.Errorf("booking %s: event id %s, Debrief recorded %q", b.ID, got[0].ID, b.ExternalID)
		case !got[0].Start.Equal(b.Start) || !got[0].End.Equal(b.End):
			t.Errorf("booking %s: event at %s–%s, booked %s–%s", b.ID, got[0].Start, got[0].End, b.Start, b.End)
		}
	}
	for id := range byBooking {
		if !seen[id] {
			t.Errorf("the fake has an event for booking %s, which Debrief does not list", id)
		}
	}
}

// pushJob is one River job that writes a booking to the calendar.
type pushJob struct {
	BookingID   string
	State       string
	Attempt     int
	AttemptedBy []string
	// Errors is how many attempts River recorded as failed.
	Errors int
	// BookingStatus is the status of the job's booking.
	BookingStatus string
}

// pushJobs reads River's job table directly (the serve processes may be
// dead or stopped).
func pushJobs(t *testing.T, databaseURL string) []pushJob {
	t.Helper()
	var driver, dsn, q string
	switch {
	case strings.HasPrefix(databaseURL, "sqlite:"):
		driver = "sqlite"
		dsn = "file:" + strings.TrimPrefix(databaseURL, "sqlite:") + "?_pragma=busy_timeout(5000)"
		q = `SELECT json_extract(j.args, '$.booking_id'), j.state, j.attempt, COALESCE(json(j.attempted_by), '[]'),
				COALESCE(json_array_length(j.errors), 0), COALESCE(b.status, '')
			FROM river_job j LEFT JOIN bookings b ON b.id = json_extract(j.args, '$.booking_id')
			WHERE j.kind = 'booking_push'`
	default:
		driver, dsn = "pgx", databaseURL
		q = `SELECT j.args->>'booking_id', j.state, j.attempt, COALESCE(array_to_json(j.attempted_by)::text, '[]'),
				COALESCE(array_length(j.errors, 1), 0), COALESCE(b.status, '')
			FROM river_job j LEFT JOIN bookings b ON b.id::text = j.args->>'booking_id'
			WHERE j.kind = 'booking_push'`
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("read river_job: %v", err)
	}
	defer func() { _ = rows.Close() }()
	var out []pushJob
	for rows.Next() {
		var j pushJob
		var by string
		if err := rows.Scan(&j.BookingID, &j.State, &j.Attempt, &by, &j.Errors, &j.BookingStatus); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(by), &j.AttemptedBy); err != nil {
			t.Fatalf("attempted_by %q: %v", by, err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitJobsDone polls River's job table until every push job has
// completed: a booking can be confirmed while a job for it is still to
// run (a rescued job whose work was done before the kill).
func waitJobsDone(t *testing.T, databaseURL string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		jobs := pushJobs(t, databaseURL)
		left := 0
		for _, j := range jobs {
			if j.State != "completed" {
				left++
			}
		}
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d push jobs not completed after %s", left, timeout)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// checkOneJobEach asserts one push job per booking, each completed, and
// returns how many attempts they took in all.
func checkOneJobEach(t *testing.T, jobs []pushJob, bookings []booking) (attempts int) {
	t.Helper()
	per := map[string]int{}
	for _, j := range jobs {
		per[j.BookingID]++
		attempts += j.Attempt
		if j.State != "completed" {
			t.Errorf("push job for booking %s is %s after %d attempts", j.BookingID, j.State, j.Attempt)
		}
	}
	for _, b := range bookings {
		if per[b.ID] != 1 {
			t.Errorf("booking %s has %d push jobs, want 1", b.ID, per[b.ID])
		}
	}
	if len(jobs) != len(bookings) {
		t.Errorf("%d push jobs for %d bookings", len(jobs), len(bookings))
	}
	return attempts
}

// checkRanOnce asserts that no push ran more often than River accounted
// for, on a run without kills: every attempt but the last of each job
// ended in an error River recorded (a job fetched twice at once would
// count an attempt with no error), and each attempt sent exactly one
// events.insert (a booking's event id is derived from its id, so every
// push starts by inserting it; a push running outside River's accounting
// would add inserts). The fake refuses a second insert of an id, so
// exactly one insert per booking may create its event.
func checkRanOnce(t *testing.T, jobs []pushJob, attempts int, ins insertCounts, nBookings int) {
	t.Helper()
	for _, j := range jobs {
		if j.Errors != j.Attempt-1 {
			t.Errorf("push job for booking %s: %d attempts but %d recorded failures", j.BookingID, j.Attempt, j.Errors)
		}
	}
	if ins.total != attempts {
		t.Errorf("the fake saw %d events.insert requests for %d push attempts, want one each", ins.total, attempts)
	}
	if ins.created != nBookings {
		t.Errorf("%d inserts created an event, want %d (one per booking)", ins.created, nBookings)
	}
}
