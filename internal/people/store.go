package people

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// chunkSize bounds IN lists and multi-row inserts: 500 rows of 13 columns
// stay far below PostgreSQL's 65535 and SQLite's 32766 parameter limits.
const chunkSize = 500

type levelRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	Name      string    `gorm:"column:name"`
	Position  int       `gorm:"column:position"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (levelRow) TableName() string { return "levels" }

type personRow struct {
	ID           string    `gorm:"column:id;primaryKey"`
	Name         string    `gorm:"column:name"`
	Email        string    `gorm:"column:email"`
	Team         string    `gorm:"column:team"`
	LevelID      *string   `gorm:"column:level_id"`
	ManagerID    *string   `gorm:"column:manager_id"`
	Timezone     string    `gorm:"column:timezone"`
	WorkingHours string    `gorm:"column:working_hours"`
	CalendarID   string    `gorm:"column:calendar_id"`
	Systems      string    `gorm:"column:systems"`
	Active       bool      `gorm:"column:active"`
	CreatedAt    time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt    time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (personRow) TableName() string { return "people" }

// personView is a person row with the names the API shows beside the ids.
type personView struct {
	// Row is a named field because GORM skips an embedded struct whose
	// type is unexported.
	Row         personRow `gorm:"embedded"`
	LevelName   *string   `gorm:"column:level_name"`
	ManagerName *string   `gorm:"column:manager_name"`
	// SortName is lower(name) as the database computes it: the cursor must
	// carry the database's idea of lower case (SQLite folds ASCII only), or
	// a page boundary could skip or repeat people.
	SortName string `gorm:"column:sort_name"`
}

const personColumns = "p.id, p.name, p.email, p.team, p.level_id, p.manager_id, p.timezone, " +
	"p.working_hours, p.calendar_id, p.systems, p.active, p.created_at, p.updated_at"

func personQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("people AS p").
		Select(personColumns + ", l.name AS level_name, m.name AS manager_name, lower(p.name) AS sort_name").
		Joins("LEFT JOIN levels l ON l.id = p.level_id").
		Joins("LEFT JOIN people m ON m.id = p.manager_id")
}

func (v personView) person() Person {
	r := v.Row
	return Person{
		ID: r.ID, Name: r.Name, Email: r.Email, Team: r.Team,
		Level: v.LevelName, LevelID: r.LevelID, ManagerID: r.ManagerID, ManagerName: v.ManagerName,
		Timezone: r.Timezone, WorkingHours: r.WorkingHours, CalendarID: r.CalendarID,
		Systems: decodeSystems(r.Systems), Active: r.Active,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// decodeSystems never fails: a damaged column shows as no systems rather
// than making the person unreadable.
func decodeSystems(s string) []string {
	out := []string{}
	if s == "" {
		return out
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil || out == nil {
		return []string{}
	}
	return out
}

func encodeSystems(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(s) // a []string always marshals
	return string(b)
}

// getPerson loads one person with level and manager names.
func getPerson(ctx context.Context, tx *gorm.DB, id string) (Person, bool, error) {
	var views []personView
	if err := personQuery(tx.WithContext(ctx)).Where("p.id = ?", id).Limit(1).Scan(&views).Error; err != nil {
		return Person{}, false, fmt.Errorf("load person %s: %w", id, err)
	}
	if len(views) == 0 {
		return Person{}, false, nil
	}
	return views[0].person(), true, nil
}

func findPersonRow(ctx context.Context, tx *gorm.DB, column, value string) (*personRow, error) {
	var rows []personRow
	if err := tx.WithContext(ctx).Where(column+" = ?", value).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find person by %s: %w", column, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// rowsByColumn loads people whose column is one of values, in chunks.
func rowsByColumn(ctx context.Context, tx *gorm.DB, column string, values []string) ([]personRow, error) {
	var out []personRow
	for chunk := range slices.Chunk(values, chunkSize) {
		var rows []personRow
		if err := tx.WithContext(ctx).Where(column+" IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("load people by %s: %w", column, err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

func loadLevels(ctx context.Context, tx *gorm.DB) ([]levelRow, error) {
	var rows []levelRow
	if err := tx.WithContext(ctx).Order("position, name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load levels: %w", err)
	}
	return rows, nil
}

// levelIndex resolves level names case-insensitively.
type levelIndex struct {
	byName map[string]levelRow
	names  []string
}

func newLevelIndex(rows []levelRow) levelIndex {
	ix := levelIndex{byName: make(map[string]levelRow, len(rows))}
	for _, r := range rows {
		ix.byName[strings.ToLower(r.Name)] = r
		ix.names = append(ix.names, r.Name)
	}
	return ix
}

// resolve returns the level for name, or a problem that lists the ladder
// so the person fixing the input sees the choices.
func (ix levelIndex) resolve(name string) (levelRow, string) {
	if r, ok := ix.byName[strings.ToLower(strings.TrimSpace(name))]; ok {
		return r, ""
	}
	if len(ix.names) == 0 {
		return levelRow{}, fmt.Sprintf("unknown level %q: no levels are configured", strings.TrimSpace(name))
	}
	return levelRow{}, fmt.Sprintf("unknown level %q; known levels: %s", strings.TrimSpace(name), strings.Join(ix.names, ", "))
}

// upsertByID writes rows that already exist (by id), updating only cols.
// New rows in the slice are inserted whole.
func upsertByID(ctx context.Context, tx *gorm.DB, rows []personRow, cols []string) error {
	if len(rows) == 0 {
		return nil
	}
	err := tx.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns(cols),
	}).CreateInBatches(rows, chunkSize).Error
	if err != nil {
		return fmt.Errorf("write %d people: %w", len(rows), err)
	}
	return nil
}

// isUniqueViolation recognises a unique-constraint failure on either
// dialect. GORM translates PostgreSQL's; its SQLite translator only knows
// the cgo driver's error type, so the pure-Go driver's message is matched.
func isUniqueViolation(err error) bool {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isForeignKeyViolation is isUniqueViolation's counterpart for references.
func isForeignKeyViolation(err error) bool {
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return true
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}
