package people_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/people"
)

func TestCreateGetUpdateDeactivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		boss := e.mustCreate(t, people.PersonInput{Name: "Bea Boss", Email: "bea@example.com", Level: ptr("director")})

		p, err := e.svc.Create(ctx, e.fac, people.PersonInput{
			Name: "  Ada Lovelace ", Email: " Ada@Example.COM ", Team: " Payments ",
			Level: ptr("SENIOR ENGINEER"), ManagerEmail: ptr("BEA@example.com"),
			Timezone: "America/New_York", WorkingHours: "Mon-Fri 9:00-17:00; sat 10:00-12:00",
			Systems: []string{" ledger", "api", "", "ledger"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "Ada Lovelace" || p.Email != "ada@example.com" || p.Team != "Payments" ||
			p.Level == nil || *p.Level != "senior engineer" || p.LevelID == nil ||
			p.ManagerID == nil || *p.ManagerID != boss.ID || p.ManagerName == nil || *p.ManagerName != "Bea Boss" ||
			p.Timezone != "America/New_York" || p.WorkingHours != "mon-fri 09:00-17:00; sat 10:00-12:00" ||
			!slices.Equal(p.Systems, []string{"api", "ledger"}) || !p.Active ||
			!p.CreatedAt.Equal(testNow) || !p.UpdatedAt.Equal(testNow) || p.CreatedAt.Location().String() != "UTC" {
			t.Fatalf("created person = %+v", p)
		}
		got, err := e.svc.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(p)
		b, _ := json.Marshal(got)
		if string(a) != string(b) {
			t.Fatalf("Get differs from Create:\n%s\n%s", b, a)
		}

		// Defaults: working hours, no level, no manager, systems as [].
		q := e.mustCreate(t, people.PersonInput{Name: "Quinn", Email: "quinn@example.com", Timezone: "UTC"})
		if q.WorkingHours != "mon-fri 09:00-17:00" || q.Level != nil || q.ManagerID != nil || q.Systems == nil {
			t.Fatalf("defaults = %+v", q)
		}
		js, _ := json.Marshal(q)
		for _, want := range []string{`"level":null`, `"manager_id":null`, `"systems":[]`, `"active":true`, `"created_at":"2026-11-25T17:09:00Z"`} {
			wantContains(t, "json", string(js), want)
		}

		// Patch: rename, clear the level, move the manager, keep the rest.
		up, err := e.svc.Update(ctx, e.admin, p.ID, people.PersonPatch{
			Name: ptr("Ada King"), Level: people.SetNull(), ManagerID: people.SetTo(q.ID),
		})
		if err != nil {
			t.Fatal(err)
		}
		if up.Name != "Ada King" || up.Level != nil || up.LevelID != nil || *up.ManagerName != "Quinn" ||
			up.Team != "Payments" || up.Email != "ada@example.com" || !slices.Equal(up.Systems, []string{"api", "ledger"}) {
			t.Fatalf("updated = %+v", up)
		}
		// Clearing the manager through JSON null.
		var patch people.PersonPatch
		if err := json.Unmarshal([]byte(`{"manager_email":null,"active":false}`), &patch); err != nil {
			t.Fatal(err)
		}
		off, err := e.svc.Update(ctx, e.admin, p.ID, patch)
		if err != nil {
			t.Fatal(err)
		}
		if off.Active || off.ManagerID != nil || off.Name != "Ada King" {
			t.Fatalf("deactivated = %+v", off)
		}
		// An empty patch writes nothing.
		if _, err := e.svc.Update(ctx, e.admin, p.ID, people.PersonPatch{}); err != nil {
			t.Fatal(err)
		}
		acts := auditActions(t, db, "person", p.ID)
		if !slices.Equal(acts, []string{"person.create", "person.update", "person.deactivate"}) {
			t.Fatalf("audit = %v", acts)
		}

		_, err = e.svc.Get(ctx, "0190f5e2-0000-7000-8000-000000000000")
		wantCode(t, err, apperr.NotFound)
		_, err = e.svc.Get(ctx, "nope")
		wantCode(t, err, apperr.NotFound)
		_, err = e.svc.Update(ctx, e.admin, "0190f5e2-0000-7000-8000-000000000000", people.PersonPatch{Name: ptr("x")})
		wantCode(t, err, apperr.NotFound)
	})
}

func TestPatchJSON(t *testing.T) {
	var p people.PersonPatch
	if err := json.Unmarshal([]byte(`{"level":"staff engineer","manager_id":null}`), &p); err != nil {
		t.Fatal(err)
	}
	if !p.Level.Set || p.Level.Value == nil || *p.Level.Value != "staff engineer" {
		t.Fatalf("level = %+v", p.Level)
	}
	if !p.ManagerID.Set || p.ManagerID.Value != nil || p.ManagerEmail.Set {
		t.Fatalf("manager = %+v %+v", p.ManagerID, p.ManagerEmail)
	}
	if err := json.Unmarshal([]byte(`{"level":3}`), &p); err == nil {
		t.Fatal("a number for level was accepted")
	}
	out, _ := json.Marshal(people.PersonPatch{Level: people.SetNull()})
	if string(out) != `{"level":null}` {
		t.Fatalf("marshal = %s", out)
	}
}

func TestCreateValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		_, err := e.svc.Create(ctx, e.admin, people.PersonInput{
			Name: " ", Email: "not-an-email", Timezone: "Local", WorkingHours: "mon-fri 9-5",
			Level: ptr("wizard"), ManagerEmail: ptr("nobody@example.com"), Systems: []string{strings.Repeat("s", 101)},
		})
		got := wantFields(t, err, "name", "email", "timezone", "working_hours", "level", "manager_email", "systems")
		wantContains(t, "level", got["level"], `unknown level "wizard"; known levels: engineer, senior engineer, staff engineer, manager, director, VP`)
		wantContains(t, "working_hours", got["working_hours"], `time "9" is not a clock time`)
		wantContains(t, "manager_email", got["manager_email"], "nobody@example.com")

		for _, tc := range []struct{ tz, want string }{
			{"", "is required"},
			{"Mars/Olympus", `unknown time zone "Mars/Olympus"`},
			{"Local", "not an IANA time zone"},
		} {
			_, err := e.svc.Create(ctx, e.admin, people.PersonInput{Name: "Z", Email: "z@example.com", Timezone: tc.tz})
			wantContains(t, "timezone", wantFields(t, err, "timezone")["timezone"], tc.want)
		}
		for _, bad := range []string{"a@b", "Ann <ann@example.com>", "ann@@example.com", "ann example@x.com", "@example.com"} {
			_, err := e.svc.Create(ctx, e.admin, people.PersonInput{Name: "Z", Email: bad, Timezone: "UTC"})
			wantFields(t, err, "email")
		}
		_, err = e.svc.Create(ctx, e.admin, people.PersonInput{Name: "Z", Email: "z@example.com", Timezone: "UTC",
			ManagerID: ptr("x"), ManagerEmail: ptr("y@example.com")})
		wantFields(t, err, "manager_id")
		_, err = e.svc.Create(ctx, e.admin, people.PersonInput{Name: "Z", Email: "z@example.com", Timezone: "UTC",
			ManagerEmail: ptr("Z@example.com")})
		wantContains(t, "self", wantFields(t, err, "manager_email")["manager_email"], "own manager")
		_, err = e.svc.Create(ctx, e.admin, people.PersonInput{Name: "Bad\x00Name", Email: "z@example.com", Timezone: "UTC"})
		wantFields(t, err, "name")
		if n := countRows(t, db, "people"); n != 0 {
			t.Fatalf("invalid input stored %d people", n)
		}
	})
}

func TestEmailUnique(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.mustCreate(t, people.PersonInput{Name: "Ann", Email: "ann@example.com"})
		bo := e.mustCreate(t, people.PersonInput{Name: "Bo", Email: "bo@example.com"})
		_, err := e.svc.Create(ctx, e.admin, people.PersonInput{Name: "Ann 2", Email: " ANN@example.com", Timezone: "UTC"})
		ae := wantCode(t, err, apperr.Conflict)
		if len(ae.Fields) != 1 || ae.Fields[0].Field != "email" {
			t.Fatalf("conflict fields = %+v", ae.Fields)
		}
		_, err = e.svc.Update(ctx, e.admin, bo.ID, people.PersonPatch{Email: ptr("Ann@Example.com")})
		wantCode(t, err, apperr.Conflict)
		// Changing only the case of one's own email is no conflict.
		if _, err := e.svc.Update(ctx, e.admin, bo.ID, people.PersonPatch{Email: ptr("BO@example.com")}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestManagerRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		a := e.mustCreate(t, people.PersonInput{Name: "A", Email: "a@example.com"})
		b := e.mustCreate(t, people.PersonInput{Name: "B", Email: "b@example.com", ManagerID: &a.ID})
		c := e.mustCreate(t, people.PersonInput{Name: "C", Email: "c@example.com", ManagerEmail: ptr("b@example.com")})

		_, err := e.svc.Update(ctx, e.admin, a.ID, people.PersonPatch{ManagerID: people.SetTo(c.ID)})
		msg := wantFields(t, err, "manager_id")["manager_id"]
		wantContains(t, "cycle", msg, "A → C → B → A")
		_, err = e.svc.Update(ctx, e.admin, a.ID, people.PersonPatch{ManagerEmail: people.SetTo("b@example.com")})
		wantContains(t, "cycle", wantFields(t, err, "manager_email")["manager_email"], "A → B → A")
		_, err = e.svc.Update(ctx, e.admin, b.ID, people.PersonPatch{ManagerID: people.SetTo(b.ID)})
		wantContains(t, "self", wantFields(t, err, "manager_id")["manager_id"], "own manager")
		_, err = e.svc.Update(ctx, e.admin, b.ID, people.PersonPatch{ManagerEmail: people.SetTo("B@example.com")})
		wantContains(t, "self", wantFields(t, err, "manager_email")["manager_email"], "own manager")
		_, err = e.svc.Update(ctx, e.admin, b.ID, people.PersonPatch{ManagerID: people.SetTo("0190f5e2-0000-7000-8000-000000000000")})
		wantFields(t, err, "manager_id")

		// Moving C under A is fine: no loop.
		up, err := e.svc.Update(ctx, e.admin, c.ID, people.PersonPatch{ManagerID: people.SetTo(a.ID)})
		if err != nil || *up.ManagerID != a.ID {
			t.Fatalf("move C: %+v %v", up, err)
		}
		m, err := e.svc.ManagerOf(ctx, []string{a.ID, b.ID, c.ID, "junk"})
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != 2 || m[b.ID] != a.ID || m[c.ID] != a.ID {
			t.Fatalf("ManagerOf = %v", m)
		}
		refs, err := e.svc.Refs(ctx, []string{a.ID, strings.ToUpper(b.ID), "junk", "0190f5e2-0000-7000-8000-000000000000"})
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != 2 || refs[a.ID] != (people.PersonRef{ID: a.ID, Name: "A", Team: "", Timezone: "Europe/Berlin"}) || refs[b.ID].Name != "B" {
			t.Fatalf("Refs = %+v", refs)
		}
	})
}

func TestWritesNeedAFacilitatorOrAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		p := e.mustCreate(t, people.PersonInput{Name: "Ann", Email: "ann@example.com"})
		for _, who := range []struct {
			name string
			a    any
		}{{"member", member}, {"leader", leader}} {
			a := member
			if who.name == "leader" {
				a = leader
			}
			_, err := e.svc.Create(ctx, a, people.PersonInput{Name: "X", Email: "x@example.com", Timezone: "UTC"})
			if !isForbidden(err) {
				t.Fatalf("%s create: %v", who.name, err)
			}
			_, err = e.svc.Update(ctx, a, p.ID, people.PersonPatch{Active: ptr(false)})
			if !isForbidden(err) {
				t.Fatalf("%s update: %v", who.name, err)
			}
			_, err = e.svc.Import(ctx, a, strings.NewReader("name,email,timezone\nX,x@example.com,UTC\n"), false)
			if !isForbidden(err) {
				t.Fatalf("%s import: %v", who.name, err)
			}
		}
		got, err := e.svc.Get(ctx, p.ID)
		if err != nil || !got.Active || countRows(t, db, "people") != 1 {
			t.Fatalf("a forbidden write changed data: %+v %v", got, err)
		}
	})
}

func TestListSearchFilterAndPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		type spec struct {
			name, team, level string
			active            bool
		}
		specs := []spec{
			{"alice", "Payments", "engineer", true}, {"Alice", "Payments", "manager", true},
			{"ALICE", "Search", "engineer", true}, {"Bob", "payments", "", true},
			{"carol_x", "Search", "staff engineer", true}, {"Carol%", "", "", true},
			{"dave", "Payments", "engineer", false}, {"Eve", "Infra", "engineer", true},
		}
		for i := range 22 {
			specs = append(specs, spec{fmt.Sprintf("Person %02d", i), []string{"Infra", "Search"}[i%2], "senior engineer", i%5 != 0})
		}
		byID := map[string]spec{}
		for i, s := range specs {
			p := e.mustCreate(t, people.PersonInput{Name: s.name, Email: fmt.Sprintf("p%02d@corp.example.com", i), Team: s.team, Level: ptr(s.level)})
			if !s.active {
				if _, err := e.svc.Update(ctx, e.admin, p.ID, people.PersonPatch{Active: ptr(false)}); err != nil {
					t.Fatal(err)
				}
			}
			byID[p.ID] = s
		}

		// Walk every page; the union must be every active person once, in
		// (lower(name), id) order.
		all := walk(t, e.svc, people.ListFilter{Limit: 4})
		var wantActive int
		for _, s := range specs {
			if s.active {
				wantActive++
			}
		}
		if len(all) != wantActive {
			t.Fatalf("pages gave %d people, want %d", len(all), wantActive)
		}
		seen := map[string]bool{}
		for i, p := range all {
			if seen[p.ID] {
				t.Fatalf("%s appears twice", p.Name)
			}
			seen[p.ID] = true
			if !byID[p.ID].active {
				t.Fatalf("inactive %s listed by default", p.Name)
			}
			if i > 0 {
				prev := all[i-1]
				lp, lc := strings.ToLower(prev.Name), strings.ToLower(p.Name)
				if lp > lc || (lp == lc && prev.ID > p.ID) {
					t.Fatalf("out of order: %q/%s then %q/%s", prev.Name, prev.ID, p.Name, p.ID)
				}
			}
		}
		if names := names(all[:3]); !slices.Equal(lower(names), []string{"alice", "alice", "alice"}) {
			t.Fatalf("first page starts %v", names)
		}
		if len(walk(t, e.svc, people.ListFilter{Active: people.ActiveAll, Limit: 7})) != len(specs) {
			t.Fatal("active=all does not list everyone")
		}
		inactive := walk(t, e.svc, people.ListFilter{Active: people.InactiveOnly})
		if len(inactive) != len(specs)-wantActive {
			t.Fatalf("inactive = %d, want %d", len(inactive), len(specs)-wantActive)
		}

		check := func(f people.ListFilter, want ...string) {
			t.Helper()
			got := names(walk(t, e.svc, f))
			if !slices.Equal(got, want) {
				t.Fatalf("%+v gave %v, want %v", f, got, want)
			}
		}
		// q matches name, email and team, ignoring case; % and _ are literal.
		check(people.ListFilter{Q: "ALI"}, "alice", "Alice", "ALICE")
		check(people.ListFilter{Q: "%"}, "Carol%")
		check(people.ListFilter{Q: "_x"}, "carol_x")
		check(people.ListFilter{Q: "p03@CORP"}, "Bob")
		check(people.ListFilter{Q: "PAYMENTS"}, "alice", "Alice", "Bob")
		check(people.ListFilter{Team: "Payments"}, "alice", "Alice")
		check(people.ListFilter{Level: "ENGINEER"}, "alice", "ALICE", "Eve")
		check(people.ListFilter{Level: "engineer", Active: people.ActiveAll}, "alice", "ALICE", "dave", "Eve")
		check(people.ListFilter{Level: "engineer", Team: "Search", Q: "alice"}, "ALICE")
		check(people.ListFilter{Level: "no such level"})

		_, err := e.svc.List(ctx, people.ListFilter{Active: "maybe"})
		wantFields(t, err, "active")
		_, err = e.svc.List(ctx, people.ListFilter{Cursor: "garbage"})
		wantFields(t, err, "cursor")
		_, err = e.svc.List(ctx, people.ListFilter{Limit: 201})
		wantFields(t, err, "limit")

		teams, err := e.svc.Teams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Teams differing only in case are separate; their relative order is
		// the database collation's business, so compare them sorted.
		for i := 1; i < len(teams); i++ {
			if strings.ToLower(teams[i-1].Name) > strings.ToLower(teams[i].Name) {
				t.Fatalf("teams out of order: %+v", teams)
			}
		}
		slices.SortFunc(teams, func(a, b people.Team) int { return strings.Compare(a.Name, b.Name) })
		want := []people.Team{{"Infra", 9}, {"Payments", 2}, {"Search", 11}, {"payments", 1}}
		if !slices.Equal(teams, want) {
			t.Fatalf("teams = %+v, want %+v", teams, want)
		}
	})
}

func walk(t *testing.T, svc *people.Service, f people.ListFilter) []people.Person {
	t.Helper()
	var out []people.Person
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("pagination does not end")
		}
		page, err := svc.List(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if f.Limit > 0 && len(page.Items) > f.Limit {
			t.Fatalf("page of %d items, limit %d", len(page.Items), f.Limit)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		f.Cursor = page.NextCursor
	}
}

func names(ps []people.Person) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}
