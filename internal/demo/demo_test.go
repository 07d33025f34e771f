package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/demo"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/pagination"
	"github.com/debrief-dev/debrief/internal/people"
)

var admin = actor.Actor{Role: actor.Admin}

// deps wires the services as cmd/debrief does, with cheap password
// hashing: the demo must not depend on the hash parameters.
func deps(t *testing.T, db *database.DB) demo.Deps {
	t.Helper()
	acc, err := accounts.NewService(db.Gorm, accounts.Options{Hash: accounts.HashParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatalf("accounts service: %v", err)
	}
	ppl := people.NewService(db.Gorm)
	if err := ppl.EnsureDefaultLevels(context.Background()); err != nil {
		t.Fatalf("default levels: %v", err)
	}
	return demo.Deps{DB: db.Gorm, People: ppl, Events: events.NewService(db.Gorm), Accounts: acc}
}

func load(t *testing.T, d demo.Deps) demo.Summary {
	t.Helper()
	sum, err := demo.Load(context.Background(), d)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return sum
}

// counts is what the demo promises, measured through the services.
type counts struct {
	people, teams, levelsUsed int
	zones                     []string
	events                    int
	kinds                     []events.Kind
	timeline                  map[string]int // title → entries
}

func measure(t *testing.T, d demo.Deps) counts {
	t.Helper()
	ctx := context.Background()
	var c counts
	cursor := ""
	for {
		page, err := d.People.List(ctx, people.ListFilter{Active: people.ActiveAll, Limit: pagination.MaxLimit, Cursor: cursor})
		if err != nil {
			t.Fatalf("list people: %v", err)
		}
		for _, p := range page.Items {
			c.people++
			c.zones = append(c.zones, p.Timezone)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	slices.Sort(c.zones)
	c.zones = slices.Compact(c.zones)

	teams, err := d.People.Teams(ctx)
	if err != nil {
		t.Fatalf("teams: %v", err)
	}
	c.teams = len(teams)
	levels, err := d.People.Levels(ctx)
	if err != nil {
		t.Fatalf("levels: %v", err)
	}
	for _, l := range levels {
		if l.PeopleCount > 0 {
			c.levelsUsed++
		}
	}

	list, err := d.Events.List(ctx, admin, events.ListFilter{}, pagination.Page{Limit: pagination.MaxLimit})
	if err != nil {
		t.Fatalf("list events: %v", err)
	}
	c.events = len(list.Items)
	c.timeline = map[string]int{}
	for _, ev := range list.Items {
		if !slices.Contains(c.kinds, ev.Kind) {
			c.kinds = append(c.kinds, ev.Kind)
		}
		c.timeline[ev.Title] = ev.Counts.Timeline
	}
	return c
}

// southern lists zones in the southern hemisphere that the demo may use;
// the hemisphere is not something a zone name or offset tells a program.
var southern = []string{"America/Sao_Paulo", "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland", "Africa/Johannesburg"}

func TestLoadSeedsOrganization(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := deps(t, db)
		first := load(t, d)
		c := measure(t, d)

		if c.people < 40 {
			t.Errorf("people = %d, want at least 40", c.people)
		}
		if c.teams < 6 {
			t.Errorf("teams = %d, want at least 6", c.teams)
		}
		if c.levelsUsed < 5 {
			t.Errorf("levels used = %d, want at least 5", c.levelsUsed)
		}
		if len(c.zones) < 8 {
			t.Errorf("zones = %v, want at least 8", c.zones)
		}
		halfHour, south := false, false
		for _, z := range c.zones {
			loc, err := time.LoadLocation(z)
			if err != nil {
				t.Fatalf("zone %q: %v", z, err)
			}
			// Checked on two dates six months apart, since a zone's offset
			// can change with daylight saving.
			for _, at := range []time.Time{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)} {
				if _, off := at.In(loc).Zone(); off%3600 != 0 {
					halfHour = true
				}
			}
			south = south || slices.Contains(southern, z)
		}
		if !halfHour {
			t.Errorf("no zone with a half-hour offset among %v", c.zones)
		}
		if !south {
			t.Errorf("no southern-hemisphere zone among %v", c.zones)
		}

		if c.events != 6 {
			t.Errorf("events = %d, want 6", c.events)
		}
		if len(c.kinds) < 4 {
			t.Errorf("event kinds = %v, want at least 4 distinct", c.kinds)
		}
		for title, n := range c.timeline {
			if n < 8 {
				t.Errorf("event %q has %d timeline entries, want at least 8", title, n)
			}
		}
		if first.People.Created != c.people {
			t.Errorf("first load created %d people, directory has %d", first.People.Created, c.people)
		}
		for _, e := range first.Events {
			if e.Outcome != demo.Created {
				t.Errorf("first load: event %q %s, want created", e.Title, e.Outcome)
			}
		}

		// A second run changes nothing and says so.
		second := load(t, d)
		if again := measure(t, d); !equalCounts(c, again) {
			t.Errorf("counts changed on a second load:\n first %+v\nsecond %+v", c, again)
		}
		if second.People.Created != 0 || second.People.Updated != 0 || second.People.Unchanged != c.people {
			t.Errorf("second load people = %+v, want all %d unchanged", second.People, c.people)
		}
		if second.People.SystemsSet != 0 {
			t.Errorf("second load set systems for %d people, want 0", second.People.SystemsSet)
		}
		for _, e := range second.Events {
			if e.Outcome != demo.Present {
				t.Errorf("second load: event %q %s, want already present", e.Title, e.Outcome)
			}
		}
		for _, a := range second.Accounts {
			if a.Outcome != demo.Present {
				t.Errorf("second load: account %s %s, want already present", a.Email, a.Outcome)
			}
		}
		out := second.String()
		for _, want := range []string{demo.Password, "DEMO CREDENTIALS", demo.AdminEmail, "already present"} {
			if !strings.Contains(out, want) {
				t.Errorf("summary lacks %q:\n%s", want, out)
			}
		}
	})
}

func TestLoadEventsAreCompleteAndRecent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := deps(t, db)
		ctx := context.Background()
		before := time.Now()
		load(t, d)

		list, err := d.Events.List(ctx, admin, events.ListFilter{}, pagination.Page{Limit: pagination.MaxLimit})
		if err != nil {
			t.Fatalf("list events: %v", err)
		}
		statuses := map[events.Status]bool{}
		entryKinds := map[events.TimelineKind]bool{}
		warnings := map[string]bool{}
		withInvestigator := 0
		for _, ev := range list.Items {
			statuses[ev.Status] = true
			if ev.Investigator != nil {
				withInvestigator++
			}
			for _, w := range ev.Warnings {
				warnings[w.Code] = true
			}
			if ev.StartedAt.After(before) || ev.StartedAt.Before(before.AddDate(0, 0, -70)) {
				t.Errorf("%q starts %s, want within the last 70 days", ev.Title, ev.StartedAt)
			}
			if ev.Summary == "" || len(ev.Systems) == 0 {
				t.Errorf("%q has no summary or no systems", ev.Title)
			}
			det, err := d.Events.Get(ctx, admin, ev.ID)
			if err != nil {
				t.Fatalf("get %q: %v", ev.Title, err)
			}
			if len(det.Involvements) < 5 || len(det.References) < 3 {
				t.Errorf("%q has %d involvements and %d references, want at least 5 and 3",
					ev.Title, len(det.Involvements), len(det.References))
			}
			withPerson := 0
			for _, te := range det.Timeline {
				entryKinds[te.Kind] = true
				if te.OccurredAt.After(before) {
					t.Errorf("%q: entry at %s is in the future: %s", ev.Title, te.OccurredAt, te.Body)
				}
				if te.Person != nil {
					withPerson++
				} else if te.Actor == "" {
					t.Errorf("%q: entry without person or actor: %s", ev.Title, te.Body)
				}
			}
			if withPerson == 0 {
				t.Errorf("%q: no timeline entry names a person", ev.Title)
			}
		}
		if len(statuses) < 4 {
			t.Errorf("statuses used = %v, want at least 4", statuses)
		}
		for _, k := range events.TimelineKinds() {
			if !entryKinds[k] {
				t.Errorf("no timeline entry of kind %s", k)
			}
		}
		if withInvestigator < 4 {
			t.Errorf("%d events have an investigator, want most of them", withInvestigator)
		}
		for _, code := range []string{events.WarnInvestigatorWasResponder, events.WarnInvestigatorManagesInvolved} {
			if !warnings[code] {
				t.Errorf("no event shows the warning %s", code)
			}
		}
	})
}

func TestDemoSignInsWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := deps(t, db)
		ctx := context.Background()
		sum := load(t, d)

		seen := map[actor.Role]int{}
		for _, a := range sum.Accounts {
			if a.Outcome != demo.Created {
				t.Fatalf("account %s %s, want created on an empty installation", a.Email, a.Outcome)
			}
			_, sess, err := d.Accounts.SignIn(ctx, a.Email, sum.Password, accounts.Client{IP: "192.0.2.1", UserAgent: "demo test"})
			if err != nil {
				t.Fatalf("sign in as %s (%s): %v", a.Role, a.Email, err)
			}
			u := sess.User
			if u.Role != a.Role {
				t.Errorf("%s signed in with role %s, want %s", a.Email, u.Role, a.Role)
			}
			who := actor.Actor{UserID: u.ID, Role: u.Role, Email: u.Email}
			if u.PersonID != nil {
				who.PersonID = *u.PersonID
			}
			if u.Role != actor.Admin && who.PersonID == "" {
				t.Errorf("%s account %s is not linked to a person", u.Role, u.Email)
			}
			list, err := d.Events.List(ctx, who, events.ListFilter{}, pagination.Page{})
			if err != nil {
				t.Fatalf("list events as %s: %v", u.Role, err)
			}
			seen[u.Role] = len(list.Items)
		}
		if seen[actor.Admin] != 6 || seen[actor.Facilitator] != 6 {
			t.Errorf("admin sees %d events and facilitator %d, want 6 each", seen[actor.Admin], seen[actor.Facilitator])
		}
		// The member took part in some events, and the leader reads the
		// published ones: each sees some but not all.
		for _, r := range []actor.Role{actor.Member, actor.Leader} {
			if n := seen[r]; n == 0 || n == 6 {
				t.Errorf("%s sees %d events, want some but not all", r, n)
			}
		}
	})
}

func TestLoadLeavesAnExistingAdminAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := deps(t, db)
		ctx := context.Background()
		if _, err := d.Accounts.CreateUser(ctx, admin, accounts.NewUser{
			Email: "ops@example.org", Name: "Real Admin", Role: string(actor.Admin), Password: "a-real-long-password",
		}); err != nil {
			t.Fatalf("create admin: %v", err)
		}
		sum := load(t, d)
		for _, a := range sum.Accounts {
			want := demo.Created
			if a.Role == actor.Admin {
				want = demo.Skipped
			}
			if a.Outcome != want {
				t.Errorf("account %s (%s) %s, want %s", a.Email, a.Role, a.Outcome, want)
			}
		}
		if _, err := d.Accounts.UserByEmail(ctx, demo.AdminEmail); err == nil {
			t.Errorf("demo admin created although an admin existed")
		}
	})
}

func equalCounts(a, b counts) bool {
	if a.people != b.people || a.teams != b.teams || a.levelsUsed != b.levelsUsed || a.events != b.events ||
		!slices.Equal(a.zones, b.zones) || len(a.timeline) != len(b.timeline) {
		return false
	}
	for k, v := range a.timeline {
		if b.timeline[k] != v {
			return false
		}
	}
	return true
}
