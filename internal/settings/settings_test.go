package settings_test

import (
	"context"
	"slices"
	"testing"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/langcheck"
	"github.com/debrief-dev/debrief/internal/settings"
)

func TestLanguageSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := settings.NewService(db.Gorm)
		l, err := s.Language(ctx)
		if err != nil || len(l.Disabled) != 0 {
			t.Fatalf("default: %+v %v", l, err)
		}
		admin := actor.Actor{Role: actor.Admin}
		got, err := s.SetLanguage(ctx, admin, settings.Language{Disabled: []langcheck.Category{"minimizing", "hindsight", "minimizing"}})
		if err != nil {
			t.Fatal(err)
		}
		want := []langcheck.Category{"hindsight", "minimizing"}
		if !slices.Equal(got.Disabled, want) {
			t.Fatalf("saved %v, want %v", got.Disabled, want)
		}
		// A second service (another process) reads the same value.
		l, err = settings.NewService(db.Gorm).Language(ctx)
		if err != nil || !slices.Equal(l.Disabled, want) {
			t.Fatalf("read back %v %v", l.Disabled, err)
		}
		if _, err := s.SetLanguage(ctx, admin, settings.Language{Disabled: []langcheck.Category{"rudeness"}}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("unknown category: %v", err)
		}
		if _, err := s.SetLanguage(ctx, actor.Actor{Role: actor.Facilitator}, settings.Language{}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("facilitator: %v", err)
		}
		if _, err := s.SetLanguage(ctx, admin, settings.Language{}); err != nil {
			t.Fatal(err)
		}
		if l, _ := s.Language(ctx); len(l.Disabled) != 0 {
			t.Fatalf("cleared: %v", l.Disabled)
		}
	})
}
