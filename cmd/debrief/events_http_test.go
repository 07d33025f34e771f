package main

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
)

// Times are decoded as strings so the exact wire format is checked.
type wireEntry struct {
	ID         string `json:"id"`
	OccurredAt string `json:"occurred_at"`
	Person     *struct {
		ID string `json:"id"`
	} `json:"person"`
	Actor     string `json:"actor"`
	Body      string `json:"body"`
	Kind      string `json:"kind"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

type wireEvent struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	Status       string  `json:"status"`
	StartedAt    string  `json:"started_at"`
	EndedAt      *string `json:"ended_at"`
	Investigator *struct {
		ID string `json:"id"`
	} `json:"investigator"`
	Systems         []string    `json:"systems"`
	Timeline        []wireEntry `json:"timeline"`
	AllowedStatuses []string    `json:"allowed_statuses"`
	Counts          struct {
		Timeline     int `json:"timeline"`
		Involvements int `json:"involvements"`
		References   int `json:"references"`
	} `json:"counts"`
}

func TestEventLifecycleOverHTTP(t *testing.T) {
	dialects(t, func(t *testing.T, d config.Dialect) {
		c := loadContract(t)
		s := startServer(t, d, nil)
		fac := s.setup(t, c)

		var pat, quinn struct{ ID string }
		fac.must(201, "POST", "/api/v1/people", map[string]any{"name": "Pat Pager", "email": "pat@example.com",
			"timezone": "America/New_York", "team": "sre"}).decode(t, &pat)
		fac.must(201, "POST", "/api/v1/people", map[string]any{"name": "Quinn Investigator", "email": "quinn@example.com",
			"timezone": "Europe/Dublin"}).decode(t, &quinn)

		// ------------------------------------------------------------ create
		var ev wireEvent
		fac.must(201, "POST", "/api/v1/events", map[string]any{
			"title": "Checkout latency", "kind": "incident", "summary": "p99 doubled",
			"started_at": "2026-03-08T01:00:00-05:00", "ended_at": "2026-03-08T04:00:00-04:00",
			"systems": []string{"checkout"}, "investigator_id": quinn.ID,
		}).decode(t, &ev)
		if ev.Status != "open" || ev.StartedAt != "2026-03-08T06:00:00Z" || ev.EndedAt == nil || *ev.EndedAt != "2026-03-08T08:00:00Z" {
			t.Fatalf("created event = %+v", ev)
		}
		if !slices.Equal(ev.AllowedStatuses, []string{"gathering", "closed"}) {
			t.Errorf("allowed_statuses of an open event = %v", ev.AllowedStatuses)
		}
		evPath := "/api/v1/events/" + ev.ID

		// ------------------------------------------------------------ timeline
		add := func(in map[string]any, wantAt string) wireEntry {
			t.Helper()
			var e wireEntry
			fac.must(201, "POST", evPath+"/timeline", in).decode(t, &e)
			if e.OccurredAt != wantAt {
				t.Errorf("occurred_at %q came back as %q, want %q", in["occurred_at"], e.OccurredAt, wantAt)
			}
			if !strings.HasSuffix(e.CreatedAt, "Z") || e.CreatedAt != e.UpdatedAt {
				t.Errorf("created_at %q updated_at %q", e.CreatedAt, e.UpdatedAt)
			}
			return e
		}
		// Added out of order, across the New York DST change, with a +05:45
		// zone that ties with another entry, and with nanoseconds that are
		// kept to the microsecond.
		a := add(map[string]any{"occurred_at": "2026-03-08T03:30:00-04:00", "actor": "pager", "body": "paged the on-call", "kind": "action"},
			"2026-03-08T07:30:00Z")
		b := add(map[string]any{"occurred_at": "2026-03-08T01:30:00-05:00", "person_id": pat.ID, "body": "noticed slow checkouts", "kind": "observation"},
			"2026-03-08T06:30:00Z")
		cc := add(map[string]any{"occurred_at": "2026-03-08T12:15:00+05:45", "actor": "status page", "body": "posted an update", "kind": "communication"},
			"2026-03-08T06:30:00Z")
		dd := add(map[string]any{"occurred_at": "2026-03-08T07:00:00.123456789Z", "actor": "Pat", "body": "maybe the cache", "kind": "hypothesis"},
			"2026-03-08T07:00:00.123456Z")
		if b.Person == nil || b.Person.ID != pat.ID || b.Actor != "" {
			t.Errorf("entry with person_id = %+v", b)
		}
		timeline := func() []string {
			t.Helper()
			var l struct {
				Items []wireEntry `json:"items"`
			}
			fac.must(200, "GET", evPath+"/timeline", nil).decode(t, &l)
			var out []string
			for _, e := range l.Items {
				out = append(out, e.ID+"@"+e.OccurredAt)
			}
			// The event detail shows the same order.
			var d wireEvent
			fac.must(200, "GET", evPath, nil).decode(t, &d)
			var det []string
			for _, e := range d.Timeline {
				det = append(det, e.ID+"@"+e.OccurredAt)
			}
			if !slices.Equal(out, det) || d.Counts.Timeline != len(out) {
				t.Errorf("detail timeline %v (count %d) differs from the timeline %v", det, d.Counts.Timeline, out)
			}
			return out
		}
		at := func(e wireEntry, when string) string { return e.ID + "@" + when }
		want := []string{at(b, "2026-03-08T06:30:00Z"), at(cc, "2026-03-08T06:30:00Z"),
			at(dd, "2026-03-08T07:00:00.123456Z"), at(a, "2026-03-08T07:30:00Z")}
		if got := timeline(); !slices.Equal(got, want) {
			t.Errorf("timeline order\ngot  %v\nwant %v", got, want)
		}

		// Moving an entry re-sorts the timeline.
		var moved wireEntry
		fac.must(200, "PATCH", evPath+"/timeline/"+a.ID, map[string]any{"occurred_at": "2026-03-08T00:45:00-06:00"}).decode(t, &moved)
		if moved.OccurredAt != "2026-03-08T06:45:00Z" || moved.Body != "paged the on-call" || moved.Actor != "pager" {
			t.Errorf("moved entry = %+v", moved)
		}
		if moved.UpdatedAt < moved.CreatedAt || moved.CreatedAt != a.CreatedAt {
			t.Errorf("moved entry times: created %s→%s updated %s", a.CreatedAt, moved.CreatedAt, moved.UpdatedAt)
		}
		want = []string{at(b, "2026-03-08T06:30:00Z"), at(cc, "2026-03-08T06:30:00Z"),
			at(a, "2026-03-08T06:45:00Z"), at(dd, "2026-03-08T07:00:00.123456Z")}
		if got := timeline(); !slices.Equal(got, want) {
			t.Errorf("timeline after the move\ngot  %v\nwant %v", got, want)
		}
		// Not both a person and an actor.
		p := fac.must(400, "POST", evPath+"/timeline", map[string]any{"occurred_at": "2026-03-08T06:00:00Z",
			"person_id": pat.ID, "actor": "someone", "body": "x", "kind": "action"}).problem(t)
		if errs, _ := p["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["field"] != "actor" {
			t.Errorf("person and actor: %v", p)
		}
		// An offset-less time is not RFC 3339.
		fac.must(400, "POST", evPath+"/timeline", map[string]any{"occurred_at": "2026-03-08T06:00:00",
			"actor": "x", "body": "x", "kind": "action"}).problem(t)
		// The contract: `person_id: null` clears the person.
		var cleared wireEntry
		fac.must(200, "PATCH", evPath+"/timeline/"+b.ID, map[string]any{"person_id": nil}).decode(t, &cleared)
		if cleared.Person != nil {
			t.Errorf("PATCH person_id:null left person %s on the entry", cleared.Person.ID)
		}

		// ------------------------------------------------------------ involvements
		var inv1, inv2 struct{ ID string }
		fac.must(201, "POST", evPath+"/involvements", map[string]any{"person_id": pat.ID, "role": "responder"}).decode(t, &inv1)
		p = fac.must(409, "POST", evPath+"/involvements", map[string]any{"person_id": pat.ID, "role": "responder", "note": "again"}).problem(t)
		if p["type"] != "https://debrief.dev/problems/conflict" || !strings.Contains(p["detail"].(string), "Pat Pager") ||
			!strings.Contains(p["detail"].(string), "responder") {
			t.Errorf("duplicate involvement problem: %v", p)
		}
		// Another role for the same person is fine; changing it into a duplicate is not.
		fac.must(201, "POST", evPath+"/involvements", map[string]any{"person_id": pat.ID, "role": "incident_commander"}).decode(t, &inv2)
		p = fac.must(409, "PATCH", evPath+"/involvements/"+inv2.ID, map[string]any{"role": "responder"}).problem(t)
		if p["type"] != "https://debrief.dev/problems/conflict" {
			t.Errorf("duplicate by patch: %v", p)
		}
		var det wireEvent
		fac.must(200, "GET", evPath, nil).decode(t, &det)
		if det.Counts.Involvements != 2 {
			t.Errorf("involvements count = %d", det.Counts.Involvements)
		}

		// ------------------------------------------------------------ status
		statusConflict := func(to string, allowed ...string) {
			t.Helper()
			p := fac.must(409, "PATCH", evPath, map[string]any{"status": to}).problem(t)
			det := p["detail"].(string)
			if p["type"] != "https://debrief.dev/problems/conflict" || !strings.Contains(det, to) ||
				!strings.Contains(det, strings.Join(allowed, ", ")) {
				t.Errorf("→ %s: problem %v should name the allowed targets %v", to, p, allowed)
			}
		}
		move := func(to string, allowed ...string) {
			t.Helper()
			var e wireEvent
			fac.must(200, "PATCH", evPath, map[string]any{"status": to}).decode(t, &e)
			if e.Status != to || !slices.Equal(e.AllowedStatuses, allowed) {
				t.Errorf("→ %s: status %s allowed %v, want %v", to, e.Status, e.AllowedStatuses, allowed)
			}
		}
		statusConflict("published", "gathering", "closed")
		statusConflict("analyzing", "gathering", "closed")
		move("gathering", "open", "analyzing", "closed")
		move("gathering", "open", "analyzing", "closed") // the status it has: not a transition
		statusConflict("reviewing", "open", "analyzing", "closed")
		fac.must(400, "PATCH", evPath, map[string]any{"status": "done"}).problem(t)
		move("closed", "published")
		statusConflict("open", "published")
		// A refused transition changed nothing.
		fac.must(200, "GET", evPath, nil).decode(t, &det)
		if det.Status != "closed" {
			t.Errorf("status after refused transitions = %s", det.Status)
		}

		// The contract: `ended_at` and `investigator_id` accept null to clear.
		fac.must(200, "PATCH", evPath, map[string]any{"ended_at": nil, "investigator_id": nil}).decode(t, &det)
		if det.EndedAt != nil || det.Investigator != nil {
			t.Errorf("PATCH {ended_at: null, investigator_id: null} kept ended_at=%v investigator=%v", det.EndedAt != nil, det.Investigator != nil)
		}

		// ------------------------------------------------------------ lists
		mk := func(title, kind, started, summary string, systems []string, status ...string) string {
			t.Helper()
			var e wireEvent
			in := map[string]any{"title": title, "kind": kind, "started_at": started, "summary": summary}
			if systems != nil {
				in["systems"] = systems
			}
			fac.must(201, "POST", "/api/v1/events", in).decode(t, &e)
			for _, st := range status {
				fac.must(200, "PATCH", "/api/v1/events/"+e.ID, map[string]any{"status": st})
			}
			return e.ID
		}
		l1 := ev.ID // Checkout latency, 2026-03-08T06:00Z, closed
		l7 := mk("Schema change", "change", "2026-01-20T12:00:00Z", "", []string{"db"}, "gathering", "analyzing")
		l3 := mk("DNS surprise", "surprise", "2026-02-15T23:30:00-05:00", "Resolver LATENCY spike", []string{"dns", "checkout"}, "gathering")
		l2 := mk("Payments near miss", "near_miss", "2026-03-01T10:00:00Z", "", []string{"payments"})
		l4 := mk("Quiet deploy at 100%", "normal_work", "2026-03-31T23:59:59Z", "", nil)
		l5 := mk("Game day A", "game_day", "2026-04-01T00:00:00Z", "", []string{"payments"})
		l6 := mk("Game day B", "game_day", "2026-04-01T00:00:00Z", "", nil)
		l0 := mk("Latest", "incident", "2026-05-01T00:00:00+02:00", "", nil)
		byStart := map[string]string{l0: "l0", l1: "l1", l2: "l2", l3: "l3", l4: "l4", l5: "l5", l6: "l6", l7: "l7"}
		// Ties on started_at go by id, descending; ids grow with creation.
		all := []string{"l0", "l6", "l5", "l4", "l1", "l2", "l3", "l7"}

		page := func(query string) ([]string, string) {
			t.Helper()
			var l struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
				NextCursor string `json:"next_cursor"`
			}
			fac.must(200, "GET", "/api/v1/events?"+query, nil).decode(t, &l)
			var out []string
			for _, it := range l.Items {
				name, ok := byStart[it.ID]
				if !ok {
					t.Fatalf("unknown event %s in the list", it.ID)
				}
				out = append(out, name)
			}
			return out, l.NextCursor
		}
		walk := func(query string, limit int) ([]string, int) {
			t.Helper()
			var out []string
			cursor, pages := "", 0
			for {
				q := query + "&limit=" + strconv.Itoa(limit)
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				items, next := page(q)
				pages++
				if len(items) > limit || (next != "" && len(items) != limit) {
					t.Fatalf("page %d of %q: %v next %q", pages, query, items, next)
				}
				out = append(out, items...)
				if next == "" {
					return out, pages
				}
				if pages > 10 {
					t.Fatal("pagination does not end")
				}
				cursor = next
			}
		}
		got, _ := page("limit=200")
		if !slices.Equal(got, all) {
			t.Fatalf("full list\ngot  %v\nwant %v", got, all)
		}
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"kind=game_day", []string{"l6", "l5"}},
			{"kind=near_miss", []string{"l2"}},
			{"status=open", []string{"l0", "l6", "l5", "l4", "l2"}},
			{"status=gathering", []string{"l3"}},
			{"status=closed", []string{"l1"}},
			{"kind=game_day&status=open", []string{"l6", "l5"}},
			{"kind=incident&status=published", nil},
			{"system=checkout", []string{"l1", "l3"}},
			{"system=payments", []string{"l5", "l2"}},
			{"system=nothing", nil},
			// Dates are whole UTC days: March includes 03-31T23:59:59 but
			// not 04-01T00:00.
			{"from=2026-03-01&to=2026-03-31", []string{"l4", "l1", "l2"}},
			{"from=2026-04-01", []string{"l0", "l6", "l5"}},
			{"to=2026-02-16", []string{"l3", "l7"}},
			{"to=2026-02-15", []string{"l7"}},
			// An RFC 3339 from is inclusive, in any offset.
			{"from=" + url.QueryEscape("2026-03-08T01:00:00-05:00"), []string{"l0", "l6", "l5", "l4", "l1"}},
			// An RFC 3339 to is exclusive (openapi.yaml, listEvents `to`).
			{"to=" + url.QueryEscape("2026-03-08T06:00:00Z"), []string{"l2", "l3", "l7"}},
			{"from=" + url.QueryEscape("2026-03-01T10:00:00Z") + "&to=" + url.QueryEscape("2026-04-01T00:00:00Z"), []string{"l4", "l1", "l2"}},
			// q matches title and summary, ignoring case; % and _ are literal.
			{"q=latency", []string{"l1", "l3"}},
			{"q=GAME%20DAY", []string{"l6", "l5"}},
			{"q=" + url.QueryEscape("100%"), []string{"l4"}},
			{"q=_", nil},
			{"q=latency&kind=surprise", []string{"l3"}},
		} {
			if got, next := page(tc.query); !slices.Equal(got, tc.want) || next != "" {
				t.Errorf("%s: got %v (next %q), want %v", tc.query, got, next, tc.want)
			}
		}
		for _, bad := range []string{"from=yesterday", "to=2026-13-01", "from=2026-03-02&to=2026-03-01", "status=done", "limit=0"} {
			fac.must(400, "GET", "/api/v1/events?"+bad, nil).problem(t)
		}

		// Cursor pagination walks every event once, in order, the tie on
		// started_at (l6, l5) split across a page boundary.
		if got, pages := walk("", 2); !slices.Equal(got, all) || pages != 4 {
			t.Errorf("limit=2 walk: %v in %d pages, want %v in 4", got, pages, all)
		}
		if got, pages := walk("status=open", 2); !slices.Equal(got, []string{"l0", "l6", "l5", "l4", "l2"}) || pages != 3 {
			t.Errorf("status=open walk: %v in %d pages", got, pages)
		}
		if got, _ := walk("", 3); !slices.Equal(got, all) {
			t.Errorf("limit=3 walk: %v", got)
		}

		// Systems: merged ignoring case, counted per event.
		var sys struct {
			Items []struct {
				Name        string `json:"name"`
				EventsCount int    `json:"events_count"`
			} `json:"items"`
		}
		fac.must(200, "GET", "/api/v1/systems", nil).decode(t, &sys)
		var sysGot []string
		for _, it := range sys.Items {
			sysGot = append(sysGot, it.Name+":"+strconv.Itoa(it.EventsCount))
		}
		if !slices.Equal(sysGot, []string{"checkout:2", "db:1", "dns:1", "payments:2"}) {
			t.Errorf("systems = %v", sysGot)
		}
	})
}
