// Package people keeps Debrief's directory of the people it talks to: their
// place on the organization's level ladder, team, manager, time zone, working
// hours and the systems they know. Events, chats and learning teams refer to
// these records; the CSV import keeps them in step with an HR export.
//
// Reads are open to every signed-in role (the HTTP layer checks sign-in);
// writes take the caller's actor.Actor and check the role here, so no caller
// of the service can forget to.
package people

import (
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
)

// Service holds the people rules and their storage.
type Service struct {
	db  *gorm.DB
	now func() time.Time
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces time.Now, so tests can pin created_at and updated_at.
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = now
		}
	}
}

// NewService returns a Service on db.
func NewService(db *gorm.DB, opts ...Option) *Service {
	s := &Service{db: db, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// timestamp is the clock reading as stored: UTC, and microseconds because
// PostgreSQL keeps no more, so what a write returns equals what a read gives.
func (s *Service) timestamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

func requireEditor(a actor.Actor) error {
	if !a.RunsEvents() {
		return apperr.Forbiddenf("only admins and facilitators can change people")
	}
	return nil
}

func requireAdmin(a actor.Actor) error {
	if !a.IsAdmin() {
		return apperr.Forbiddenf("only admins can change the level ladder")
	}
	return nil
}
