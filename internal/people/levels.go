package people

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// DefaultLevels is the ladder a new installation starts with.
func DefaultLevels() []string {
	return []string{"engineer", "senior engineer", "staff engineer", "manager", "director", "VP"}
}

// Levels returns the ladder in order, with how many people are on each rung.
func (s *Service) Levels(ctx context.Context) ([]Level, error) {
	return levelsWithCounts(ctx, s.db)
}

func levelsWithCounts(ctx context.Context, tx *gorm.DB) ([]Level, error) {
	var out []Level
	err := tx.WithContext(ctx).Raw(`SELECT l.id AS id, l.name AS name, l.position AS position, COUNT(p.id) AS people_count
		FROM levels l LEFT JOIN people p ON p.level_id = l.id
		GROUP BY l.id, l.name, l.position
		ORDER BY l.position, l.name`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list levels: %w", err)
	}
	if out == nil {
		out = []Level{}
	}
	return out, nil
}

// EnsureDefaultLevels gives a fresh database the default ladder. It does
// nothing when any level exists, so an admin's ladder is never overwritten;
// ReplaceLevels refuses an empty ladder so that this cannot bring the
// defaults back behind an admin's back.
func (s *Service) EnsureDefaultLevels(ctx context.Context) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&levelRow{}).Count(&n).Error; err != nil {
			return fmt.Errorf("count levels: %w", err)
		}
		if n > 0 {
			return nil
		}
		now := s.timestamp()
		rows := make([]levelRow, 0, len(DefaultLevels()))
		for i, name := range DefaultLevels() {
			rows = append(rows, levelRow{ID: idgen.New(), Name: name, Position: i + 1, CreatedAt: now})
		}
		if err := tx.Create(&rows).Error; err != nil {
			return fmt.Errorf("insert default levels: %w", err)
		}
		return nil
	})
	// Two processes starting together on one PostgreSQL database can both
	// see an empty table; the loser's insert hits the unique name, and the
	// ladder it wanted is there.
	if err != nil && isUniqueViolation(err) {
		return nil
	}
	return err
}

// ReplaceLevels makes the ladder exactly in: entries with an id rename or
// reorder that level, entries without one create a level, and levels left
// out are deleted — unless people are still on them (Conflict). Only admins
// may do this. It returns the new ladder.
func (s *Service) ReplaceLevels(ctx context.Context, a actor.Actor, in []LevelInput) ([]Level, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	type wanted struct {
		id   string // "" for a new level
		name string
	}
	var v apperr.Fields
	switch {
	case len(in) == 0:
		v.Add("levels", "must list at least one level")
	case len(in) > MaxLevels:
		v.Add("levels", "at most %d levels are allowed, got %d", MaxLevels, len(in))
	}
	want := make([]wanted, len(in))
	byName := map[string]int{}
	byID := map[string]int{}
	for i, l := range in {
		name, problem := levelName(l.Name)
		if problem != "" {
			v.Add(fmt.Sprintf("levels[%d].name", i), "%s", problem)
		} else if j, dup := byName[strings.ToLower(name)]; dup {
			v.Add(fmt.Sprintf("levels[%d].name", i), "%q is already used by levels[%d]; level names are compared ignoring case", name, j)
		} else {
			byName[strings.ToLower(name)] = i
		}
		want[i].name = name
		if l.ID != nil && strings.TrimSpace(*l.ID) != "" {
			id, ok := idgen.Canonical(*l.ID)
			switch {
			case !ok:
				v.Add(fmt.Sprintf("levels[%d].id", i), "no level with id %q", *l.ID)
			default:
				if j, dup := byID[id]; dup {
					v.Add(fmt.Sprintf("levels[%d].id", i), "the same level is already listed as levels[%d]", j)
				}
				byID[id] = i
				want[i].id = id
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}

	var out []Level
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		existing, err := loadLevels(ctx, tx)
		if err != nil {
			return err
		}
		current := make(map[string]levelRow, len(existing))
		for _, r := range existing {
			current[r.ID] = r
		}
		for i, w := range want {
			if _, ok := current[w.id]; w.id != "" && !ok {
				v.Add(fmt.Sprintf("levels[%d].id", i), "no level with id %q", w.id)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}

		var removed []levelRow
		for _, r := range existing {
			if _, kept := byID[r.ID]; !kept {
				removed = append(removed, r)
			}
		}
		if err := checkLevelsUnused(ctx, tx, removed); err != nil {
			return err
		}
		if len(removed) > 0 {
			ids := make([]string, len(removed))
			for i, r := range removed {
				ids[i] = r.ID
			}
			if err := tx.Where("id IN ?", ids).Delete(&levelRow{}).Error; err != nil {
				if isForeignKeyViolation(err) {
					return apperr.Wrap(apperr.Conflict, err, "a level being removed was just given to someone; try again")
				}
				return fmt.Errorf("delete levels: %w", err)
			}
		}

		// Names are unique in the table, so a swap (A↔B) would collide
		// half-way; renamed levels step through a placeholder first.
		for _, w := range want {
			if w.id != "" && current[w.id].Name != w.name {
				if err := tx.Model(&levelRow{}).Where("id = ?", w.id).Update("name", "~renaming~"+w.id).Error; err != nil {
					return fmt.Errorf("rename level %s: %w", w.id, err)
				}
			}
		}
		now := s.timestamp()
		var created []levelRow
		for i, w := range want {
			pos := i + 1
			if w.id == "" {
				created = append(created, levelRow{ID: idgen.New(), Name: w.name, Position: pos, CreatedAt: now})
				continue
			}
			if old := current[w.id]; old.Name != w.name || old.Position != pos {
				err := tx.Model(&levelRow{}).Where("id = ?", w.id).
					Updates(map[string]any{"name": w.name, "position": pos}).Error
				if err != nil {
					return fmt.Errorf("update level %s: %w", w.id, err)
				}
			}
		}
		if len(created) > 0 {
			if err := tx.Create(&created).Error; err != nil {
				return fmt.Errorf("create levels: %w", err)
			}
		}

		before := make([]string, len(existing))
		for i, r := range existing {
			before[i] = r.Name
		}
		after := make([]string, len(want))
		for i, w := range want {
			after[i] = w.name
		}
		if err := audit.Record(ctx, tx, a.UserID, "levels.replace", "levels", "ladder",
			map[string]any{"before": before, "after": after}); err != nil {
			return err
		}
		out, err = levelsWithCounts(ctx, tx)
		return err
	})
	if err != nil {
		if _, ok := apperr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("replace levels: %w", err)
	}
	return out, nil
}

// checkLevelsUnused returns a Conflict naming every level in removed that
// people are on, with counts, so the admin knows whom to move first.
func checkLevelsUnused(ctx context.Context, tx *gorm.DB, removed []levelRow) error {
	if len(removed) == 0 {
		return nil
	}
	ids := make([]string, len(removed))
	for i, r := range removed {
		ids[i] = r.ID
	}
	var counts []struct {
		LevelID string
		N       int
	}
	err := tx.WithContext(ctx).Table("people").Select("level_id, COUNT(*) AS n").
		Where("level_id IN ?", ids).Group("level_id").Scan(&counts).Error
	if err != nil {
		return fmt.Errorf("count people on removed levels: %w", err)
	}
	if len(counts) == 0 {
		return nil
	}
	used := map[string]int{}
	for _, c := range counts {
		used[c.LevelID] = c.N
	}
	var parts []string
	for _, r := range removed {
		if n := used[r.ID]; n > 0 {
			parts = append(parts, fmt.Sprintf("level %q is used by %d %s", r.Name, n, plural(n, "person", "people")))
		}
	}
	return apperr.Conflictf("%s; move them to another level before removing it", strings.Join(parts, "; "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
