package bookings

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/idgen"
)

// Rows mirror the migrated tables. Automatic timestamps are off because
// the service sets them from its own clock, which tests control.

type bookingRow struct {
	ID                string     `gorm:"column:id;primaryKey"`
	Title             string     `gorm:"column:title"`
	Description       string     `gorm:"column:description"`
	EventID           *string    `gorm:"column:event_id"`
	Kind              string     `gorm:"column:kind"`
	Provider          string     `gorm:"column:provider"`
	OrganizerPersonID *string    `gorm:"column:organizer_person_id"`
	OrganizerEmail    string     `gorm:"column:organizer_email"`
	StartAt           time.Time  `gorm:"column:start_at"`
	EndAt             time.Time  `gorm:"column:end_at"`
	Status            string     `gorm:"column:status"`
	ExternalID        string     `gorm:"column:external_id"`
	ETag              string     `gorm:"column:etag"`
	Sequence          int        `gorm:"column:sequence"`
	Revision          int        `gorm:"column:revision"`
	MeetURL           string     `gorm:"column:meet_url"`
	Attempts          int        `gorm:"column:attempts"`
	LastError         string     `gorm:"column:last_error"`
	AttentionReason   string     `gorm:"column:attention_reason"`
	CreatedBy         *string    `gorm:"column:created_by"`
	CreatedAt         time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt         time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
	CanceledAt        *time.Time `gorm:"column:canceled_at"`
}

func (bookingRow) TableName() string { return "bookings" }

type attendeeRow struct {
	BookingID   string     `gorm:"column:booking_id;primaryKey"`
	PersonID    string     `gorm:"column:person_id;primaryKey"`
	Optional    bool       `gorm:"column:optional"`
	Response    string     `gorm:"column:response"`
	RespondedAt *time.Time `gorm:"column:responded_at"`
}

func (attendeeRow) TableName() string { return "booking_attendees" }

type feedRow struct {
	PersonID  string     `gorm:"column:person_id;primaryKey"`
	TokenHash string     `gorm:"column:token_hash"`
	CreatedAt time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	RevokedAt *time.Time `gorm:"column:revoked_at"`
}

func (feedRow) TableName() string { return "person_feeds" }

// personRow is the slice of the people table this package needs.
type personRow struct {
	ID         string `gorm:"column:id"`
	Name       string `gorm:"column:name"`
	Email      string `gorm:"column:email"`
	Timezone   string `gorm:"column:timezone"`
	CalendarID string `gorm:"column:calendar_id"`
	Active     bool   `gorm:"column:active"`
}

func (personRow) TableName() string { return "people" }

const personColumns = "id, name, email, timezone, calendar_id, active"

// calendar is the address a calendar provider knows the person by: the
// calendar id when one is set, else the email (DESIGN.md, Person).
func (p personRow) calendar() string {
	if c := strings.TrimSpace(p.CalendarID); c != "" {
		return c
	}
	return p.Email
}

func (p personRow) ref() PersonRef {
	return PersonRef{ID: p.ID, Name: p.Name, Email: p.Email, Timezone: p.Timezone}
}

// visible limits a query on bookings to those the caller may see: people
// who run events see all; everyone else sees the bookings they are invited
// to or organize. It is the one definition, used for single bookings and
// lists alike.
func visible(a actor.Actor) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		if a.RunsEvents() {
			return db
		}
		pid, ok := idgen.Canonical(a.PersonID)
		if !ok {
			return db.Where("1 = 0")
		}
		return db.Where("(bookings.organizer_person_id = ? OR EXISTS (SELECT 1 FROM booking_attendees va"+
			" WHERE va.booking_id = bookings.id AND va.person_id = ?))", pid, pid)
	}
}

func notFoundBooking() error { return apperr.NotFoundf("booking not found") }

// findBooking loads a booking the caller may see. Malformed ids are simply
// not found: PostgreSQL would reject them as uuids with a server error.
func findBooking(ctx context.Context, db *gorm.DB, a actor.Actor, rawID string) (bookingRow, error) {
	id, ok := idgen.Canonical(rawID)
	if !ok {
		return bookingRow{}, notFoundBooking()
	}
	var rows []bookingRow
	err := db.WithContext(ctx).Scopes(visible(a)).Where("bookings.id = ?", id).Limit(1).Find(&rows).Error
	if err != nil {
		return bookingRow{}, fmt.Errorf("load booking %s: %w", id, err)
	}
	if len(rows) == 0 {
		return bookingRow{}, notFoundBooking()
	}
	return rows[0], nil
}

// loadRow reads a booking with no visibility rules, for the job methods.
func loadRow(ctx context.Context, db *gorm.DB, id string) (bookingRow, bool, error) {
	var rows []bookingRow
	if err := db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return bookingRow{}, false, fmt.Errorf("load booking %s: %w", id, err)
	}
	if len(rows) == 0 {
		return bookingRow{}, false, nil
	}
	return rows[0], true, nil
}

func loadPeople(ctx context.Context, db *gorm.DB, ids []string) (map[string]personRow, error) {
	out := make(map[string]personRow, len(ids))
	ids = uniq(ids)
	if len(ids) == 0 {
		return out, nil
	}
	var rows []personRow
	if err := db.WithContext(ctx).Select(personColumns).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	for _, p := range rows {
		out[p.ID] = p
	}
	return out, nil
}

func loadAttendees(ctx context.Context, db *gorm.DB, bookingIDs []string) (map[string][]attendeeRow, error) {
	out := make(map[string][]attendeeRow, len(bookingIDs))
	if len(bookingIDs) == 0 {
		return out, nil
	}
	var rows []attendeeRow
	if err := db.WithContext(ctx).Where("booking_id IN ?", bookingIDs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load attendees: %w", err)
	}
	for _, r := range rows {
		out[r.BookingID] = append(out[r.BookingID], r)
	}
	return out, nil
}

// insertHolds marks every person in personIDs busy for [start, end) on
// behalf of booking. The database refuses the insert when it would
// double-book someone. Holds are written in a fixed (sorted) order so two
// transactions booking overlapping groups of people wait on each other in
// the same order instead of deadlocking on PostgreSQL.
func insertHolds(ctx context.Context, tx *gorm.DB, bookingID string, personIDs []string, start, end time.Time) error {
	ids := uniq(personIDs)
	if len(ids) == 0 {
		return nil
	}
	var (
		sql  strings.Builder
		args []any
	)
	if isPostgres(tx) {
		sql.WriteString("INSERT INTO booking_holds (booking_id, person_id, during, active) VALUES ")
		for i, pid := range ids {
			if i > 0 {
				sql.WriteString(", ")
			}
			sql.WriteString("(?, ?, tstzrange(CAST(? AS timestamptz), CAST(? AS timestamptz), '[)'), true)")
			args = append(args, bookingID, pid, start, end)
		}
	} else {
		sql.WriteString("INSERT INTO booking_holds (booking_id, person_id, start_at, end_at, active) VALUES ")
		for i, pid := range ids {
			if i > 0 {
				sql.WriteString(", ")
			}
			sql.WriteString("(?, ?, ?, ?, true)")
			args = append(args, bookingID, pid, start, end)
		}
	}
	if err := tx.WithContext(ctx).Exec(sql.String(), args...).Error; err != nil {
		return fmt.Errorf("insert booking holds: %w", err)
	}
	return nil
}

// replaceHolds moves a booking's holds to a new time and set of people.
// Deleting and re-inserting inside the transaction is enough: the
// constraint only compares against other bookings' rows.
func replaceHolds(ctx context.Context, tx *gorm.DB, bookingID string, personIDs []string, start, end time.Time) error {
	if err := tx.WithContext(ctx).Exec("DELETE FROM booking_holds WHERE booking_id = ?", bookingID).Error; err != nil {
		return fmt.Errorf("clear booking holds: %w", err)
	}
	return insertHolds(ctx, tx, bookingID, personIDs, start, end)
}

// releaseHolds frees the booking's slot; the rows stay as history.
func releaseHolds(ctx context.Context, tx *gorm.DB, bookingID string) error {
	if err := tx.WithContext(ctx).Exec("UPDATE booking_holds SET active = false WHERE booking_id = ?", bookingID).Error; err != nil {
		return fmt.Errorf("release booking holds: %w", err)
	}
	return nil
}

func isPostgres(db *gorm.DB) bool { return db.Name() == "postgres" }

// PostgreSQL error codes the service turns into conflicts.
const (
	pgExclusionViolation = "23P01"
	pgDeadlockDetected   = "40P01"
)

// isOverlap reports whether err is the database refusing a double
// booking: PostgreSQL's exclusion violation, or the SQLite trigger's
// RAISE(ABORT, 'booking_overlap'). GORM does not translate either.
func isOverlap(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == pgExclusionViolation
	}
	return strings.Contains(err.Error(), "booking_overlap")
}

func isDeadlock(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == pgDeadlockDetected
}

// clash is one existing booking that keeps a person busy.
type clash struct {
	PersonID  string    `gorm:"column:person_id"`
	Name      string    `gorm:"column:name"`
	BookingID string    `gorm:"column:booking_id"`
	Title     string    `gorm:"column:title"`
	StartAt   time.Time `gorm:"column:start_at"`
	EndAt     time.Time `gorm:"column:end_at"`
}

// findClashes lists the active bookings, other than exclude, that keep any
// of personIDs busy during [start, end). Holds always carry their
// booking's times, so the bookings table answers for both dialects.
func findClashes(ctx context.Context, db *gorm.DB, exclude string, personIDs []string, start, end time.Time) ([]clash, error) {
	var out []clash
	if len(personIDs) == 0 {
		return out, nil
	}
	q := db.WithContext(ctx).Table("booking_holds h").
		Select("h.person_id, p.name, b.id AS booking_id, b.title, b.start_at, b.end_at").
		Joins("JOIN bookings b ON b.id = h.booking_id").
		Joins("JOIN people p ON p.id = h.person_id").
		Where("h.active AND h.person_id IN ? AND b.start_at < ? AND b.end_at > ?", uniq(personIDs), end, start)
	if exclude != "" {
		q = q.Where("h.booking_id <> ?", exclude)
	}
	if err := q.Order("p.name, b.start_at, b.id").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("find clashing bookings: %w", err)
	}
	return out, nil
}

// conflictError explains a refused double booking. It runs after the
// failed transaction: on PostgreSQL the exclusion check waits for the
// other transaction to commit, so the booking it clashed with is visible
// by then. field is where the form should show it.
func (s *Service) conflictError(ctx context.Context, cause error, bookingID string, personIDs []string, start, end time.Time, field func(personID string) string) error {
	clashes, err := findClashes(ctx, s.db, bookingID, personIDs, start, end)
	if err != nil || len(clashes) == 0 {
		// The other booking was cancelled in the meantime, or the lookup
		// failed; the refusal itself still stands.
		return apperr.Wrap(apperr.Conflict, cause,
			"someone in this booking already has another booking at that time; pick another time and try again")
	}
	const maxNamed = 3
	var (
		parts  []string
		fields []apperr.FieldError
		seen   = map[string]bool{}
	)
	for _, c := range clashes {
		if seen[c.PersonID] {
			continue
		}
		seen[c.PersonID] = true
		if len(parts) == maxNamed {
			parts = append(parts, "and others")
			break
		}
		msg := fmt.Sprintf("%s already has '%s' %s", c.Name, c.Title, describeSpan(c.StartAt, c.EndAt))
		parts = append(parts, msg)
		fields = append(fields, apperr.FieldError{Field: field(c.PersonID), Message: msg})
	}
	e := apperr.Wrap(apperr.Conflict, cause, "%s", strings.Join(parts, "; "))
	e.Fields = fields
	return e
}

// describeSpan says when a booking is, in UTC: "from 14:00 to 14:45 UTC on
// Wed 25 Nov 2026", or with both dates when it crosses midnight.
func describeSpan(start, end time.Time) string {
	start, end = start.UTC(), end.UTC()
	sameDay := start.Year() == end.Year() && start.YearDay() == end.YearDay()
	endsAtMidnight := end.Equal(start.Truncate(24 * time.Hour).Add(24 * time.Hour))
	if sameDay || endsAtMidnight {
		return fmt.Sprintf("from %s to %s UTC on %s", start.Format("15:04"), end.Format("15:04"), start.Format("Mon 2 Jan 2006"))
	}
	return fmt.Sprintf("from %s to %s UTC", start.Format("Mon 2 Jan 2006 15:04"), end.Format("Mon 2 Jan 2006 15:04"))
}

func uniq(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
