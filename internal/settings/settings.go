// Package settings owns organization-wide preferences that admins change at
// run time, kept in the app_settings table so every serve process sees the
// same values.
package settings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/langcheck"
)

const languageKey = "language.disabled_categories"

type row struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (row) TableName() string { return "app_settings" }

// Service reads and writes settings.
type Service struct {
	db *gorm.DB
}

// NewService returns a Service over db.
func NewService(db *gorm.DB) *Service { return &Service{db: db} }

// Language is the team-wide language-check preference.
type Language struct {
	// Disabled lists categories nobody is warned about, for teams that
	// have decided a rule does not help them.
	Disabled []langcheck.Category `json:"disabled"`
}

// Language returns the current preference; nothing disabled by default.
func (s *Service) Language(ctx context.Context) (Language, error) {
	var r row
	err := s.db.WithContext(ctx).Where("key = ?", languageKey).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Language{Disabled: []langcheck.Category{}}, nil
	}
	if err != nil {
		return Language{}, fmt.Errorf("read language settings: %w", err)
	}
	var l Language
	if err := json.Unmarshal([]byte(r.Value), &l); err != nil {
		return Language{}, fmt.Errorf("decode language settings: %w", err)
	}
	if l.Disabled == nil {
		l.Disabled = []langcheck.Category{}
	}
	return l, nil
}

// SetLanguage replaces the preference. Admins only.
func (s *Service) SetLanguage(ctx context.Context, a actor.Actor, l Language) (Language, error) {
	if !a.IsAdmin() {
		return Language{}, apperr.Forbiddenf("only admins can change the language check for everyone")
	}
	known := map[langcheck.Category]bool{}
	for _, c := range langcheck.Categories() {
		known[c.ID] = true
	}
	var f apperr.Fields
	out := []langcheck.Category{}
	for i, c := range l.Disabled {
		if !known[c] {
			f.Add(fmt.Sprintf("disabled[%d]", i), "%q is not a language-check category", c)
			continue
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if err := f.Err(); err != nil {
		return Language{}, err
	}
	slices.Sort(out)
	l = Language{Disabled: out}
	b, err := json.Marshal(l)
	if err != nil {
		return Language{}, fmt.Errorf("encode language settings: %w", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r := row{Key: languageKey, Value: string(b), UpdatedAt: time.Now().UTC()}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}},
			DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).Create(&r).Error; err != nil {
			return fmt.Errorf("save language settings: %w", err)
		}
		return audit.Record(ctx, tx, a.UserID, "settings.language_changed", "settings", languageKey, l)
	})
	if err != nil {
		return Language{}, err
	}
	return l, nil
}
