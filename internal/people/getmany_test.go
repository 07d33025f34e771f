package people_test

import (
	"context"
	"testing"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/people"
)

func TestGetManyKeepsOrderAndRefusesUnknownIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		a := e.mustCreate(t, people.PersonInput{Name: "Ana", Email: "ana@example.com", Timezone: "Asia/Kolkata"})
		b := e.mustCreate(t, people.PersonInput{Name: "Ben", Email: "ben@example.com", Timezone: "Pacific/Auckland"})
		got, err := e.svc.GetMany(context.Background(), []string{b.ID, a.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID || got[1].Timezone != "Asia/Kolkata" {
			t.Fatalf("got %+v", got)
		}
		_, err = e.svc.GetMany(context.Background(), []string{a.ID, "0191d7a4-0000-7000-8000-000000000009"})
		if apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unknown id: %v", err)
		}
		if _, err := e.svc.GetMany(context.Background(), []string{"nope"}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("malformed id: %v", err)
		}
	})
}
