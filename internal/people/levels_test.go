package people_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/people"
)

func levelNames(ls []people.Level) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

func levelByName(t *testing.T, ls []people.Level, name string) people.Level {
	t.Helper()
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("no level %q in %v", name, levelNames(ls))
	return people.Level{}
}

func TestEnsureDefaultLevels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := people.NewService(db.Gorm)
		ls, err := svc.Levels(ctx)
		if err != nil || len(ls) != 0 {
			t.Fatalf("fresh database: levels %v, err %v; want none", ls, err)
		}
		for range 2 {
			if err := svc.EnsureDefaultLevels(ctx); err != nil {
				t.Fatal(err)
			}
		}
		ls, err = svc.Levels(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"engineer", "senior engineer", "staff engineer", "manager", "director", "VP"}
		if !slices.Equal(levelNames(ls), want) {
			t.Fatalf("levels = %v, want %v", levelNames(ls), want)
		}
		for i, l := range ls {
			if l.Position != i+1 || l.PeopleCount != 0 || l.ID == "" {
				t.Fatalf("level %d = %+v", i, l)
			}
		}

		// A ladder the admin chose survives a restart.
		e := &env{db: db, svc: svc, admin: addUser(t, db, "admin")}
		if _, err := svc.ReplaceLevels(ctx, e.admin, []people.LevelInput{{ID: &ls[0].ID, Name: "IC"}}); err != nil {
			t.Fatal(err)
		}
		if err := svc.EnsureDefaultLevels(ctx); err != nil {
			t.Fatal(err)
		}
		ls, _ = svc.Levels(ctx)
		if !slices.Equal(levelNames(ls), []string{"IC"}) {
			t.Fatalf("after restart levels = %v, want [IC]", levelNames(ls))
		}
	})
}

func TestReplaceLevels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		before, _ := e.svc.Levels(ctx)
		eng := levelByName(t, before, "engineer")
		senior := levelByName(t, before, "senior engineer")
		staff := levelByName(t, before, "staff engineer")
		mgr := levelByName(t, before, "manager")
		e.mustCreate(t, people.PersonInput{Name: "Ann", Email: "ann@example.com", Level: ptr("Senior Engineer")})

		// Swap two names (which collides half-way without care), rename
		// with a case change, reorder, create one and drop the unused rest.
		got, err := e.svc.ReplaceLevels(ctx, e.admin, []people.LevelInput{
			{ID: &staff.ID, Name: "engineer"},
			{ID: &eng.ID, Name: " staff engineer "},
			{ID: &senior.ID, Name: "Senior"},
			{Name: "principal"},
			{ID: &mgr.ID, Name: "manager"},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"engineer", "staff engineer", "Senior", "principal", "manager"}
		if !slices.Equal(levelNames(got), want) {
			t.Fatalf("levels = %v, want %v", levelNames(got), want)
		}
		for i, l := range got {
			if l.Position != i+1 {
				t.Fatalf("%s at position %d, want %d", l.Name, l.Position, i+1)
			}
		}
		if got[0].ID != staff.ID || got[1].ID != eng.ID || got[2].ID != senior.ID || got[4].ID != mgr.ID {
			t.Fatalf("ids not kept: %+v", got)
		}
		if got[2].PeopleCount != 1 || got[0].PeopleCount != 0 {
			t.Fatalf("people counts: %+v", got)
		}
		ann, err := e.svc.List(ctx, people.ListFilter{Q: "ann"})
		if err != nil || len(ann.Items) != 1 || ann.Items[0].Level == nil || *ann.Items[0].Level != "Senior" {
			t.Fatalf("Ann's level after rename: %+v %v", ann.Items, err)
		}
		if acts := auditActions(t, db, "levels", "ladder"); !slices.Equal(acts, []string{"levels.replace"}) {
			t.Fatalf("audit = %v", acts)
		}

		// Removing levels people are on is a conflict naming each and its count.
		e.mustCreate(t, people.PersonInput{Name: "Bo", Email: "bo@example.com", Level: ptr("manager")})
		e.mustCreate(t, people.PersonInput{Name: "Cy", Email: "cy@example.com", Level: ptr("manager")})
		_, err = e.svc.ReplaceLevels(ctx, e.admin, []people.LevelInput{{ID: &staff.ID, Name: "engineer"}})
		ae := wantCode(t, err, apperr.Conflict)
		wantContains(t, "conflict", ae.Message, `level "Senior" is used by 1 person`)
		wantContains(t, "conflict", ae.Message, `level "manager" is used by 2 people`)
		after, _ := e.svc.Levels(ctx)
		if !slices.Equal(levelNames(after), want) {
			t.Fatalf("a refused replace changed the ladder: %v", levelNames(after))
		}
	})
}

func TestReplaceLevelsValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		ls, _ := e.svc.Levels(ctx)

		_, err := e.svc.ReplaceLevels(ctx, e.admin, []people.LevelInput{{Name: "Lead"}, {Name: " lead"}, {Name: "  "}})
		got := wantFields(t, err, "levels[1].name", "levels[2].name")
		wantContains(t, "duplicate", got["levels[1].name"], "levels[0]")

		long := make([]byte, people.MaxLevelNameLen+1)
		for i := range long {
			long[i] = 'x'
		}
		_, err = e.svc.ReplaceLevels(ctx, e.admin, []people.LevelInput{{Name: string(long)}})
		wantFields(t, err, "levels[0].name")

		var many []people.LevelInput
		for i := range people.MaxLevels + 1 {
			many = append(many, people.LevelInput{Name: fmt.Sprintf("L%d", i)})
		}
		_, err = e.svc.ReplaceLevels(ctx, e.admin, many)
		wantFields(t, err, "levels")

		_, err = e.svc.ReplaceLevels(ctx, e.admin, nil)
		wantFields(t, err, "levels")

		_, err = e.svc.ReplaceLevels(ctx, e.admin, []people.LevelInput{
			{ID: ptr("not-a-uuid"), Name: "a"},
			{ID: ptr("0190f5e2-0000-7000-8000-000000000000"), Name: "b"},
			{ID: &ls[0].ID, Name: "c"}, {ID: &ls[0].ID, Name: "d"},
		})
		wantFields(t, err, "levels[0].id", "levels[3].id")
		_, err = e.svc.ReplaceLevels(ctx, e.admin, []people.LevelInput{{ID: ptr("0190f5e2-0000-7000-8000-000000000000"), Name: "b"}})
		wantFields(t, err, "levels[0].id")

		// Exactly 20 is fine.
		if _, err := e.svc.ReplaceLevels(ctx, e.admin, many[:people.MaxLevels]); err != nil {
			t.Fatalf("20 levels: %v", err)
		}

		for _, a := range []struct {
			name string
			err  error
		}{
			{"facilitator", func() error { _, err := e.svc.ReplaceLevels(ctx, e.fac, many[:1]); return err }()},
			{"member", func() error { _, err := e.svc.ReplaceLevels(ctx, member, many[:1]); return err }()},
			{"leader", func() error { _, err := e.svc.ReplaceLevels(ctx, leader, many[:1]); return err }()},
		} {
			if !isForbidden(a.err) {
				t.Fatalf("%s replacing levels: %v, want forbidden", a.name, a.err)
			}
		}
		after, _ := e.svc.Levels(ctx)
		if len(after) != people.MaxLevels {
			t.Fatalf("levels = %d, want %d", len(after), people.MaxLevels)
		}
	})
}
