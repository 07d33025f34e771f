// Package audit records who changed what, for changes people need to be able
// to trace later: role changes, visibility, consent, publication, bookings.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Entry is one audit record.
type Entry struct {
	ID          string `gorm:"primaryKey"`
	At          time.Time
	ActorUserID *string
	Action      string
	SubjectType string
	SubjectID   string
	Detail      string
}

// TableName keeps GORM on the migrated table.
func (Entry) TableName() string { return "audit_entries" }

// Record writes an entry inside tx, so the record commits or rolls back
// with the change it describes. detail is stored as JSON.
func Record(ctx context.Context, tx *gorm.DB, actorUserID, action, subjectType, subjectID string, detail any) error {
	var d string
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("encode audit detail: %w", err)
		}
		d = string(b)
	}
	e := Entry{
		ID: uuid.Must(uuid.NewV7()).String(), At: time.Now().UTC(),
		Action: action, SubjectType: subjectType, SubjectID: subjectID, Detail: d,
	}
	if actorUserID != "" {
		e.ActorUserID = &actorUserID
	}
	if err := tx.WithContext(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("record audit entry %s: %w", action, err)
	}
	return nil
}

// List returns the entries for one subject, oldest first.
func List(ctx context.Context, db *gorm.DB, subjectType, subjectID string) ([]Entry, error) {
	var out []Entry
	err := db.WithContext(ctx).Where("subject_type = ? AND subject_id = ?", subjectType, subjectID).
		Order("at, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	return out, nil
}
