package guides

import (
	"embed"
	"fmt"
	"io/fs"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/people"
)

// builtinFS holds the guides that ship with Debrief, one debrief-guide/1
// document per file; the file name (without .json) is the guide's slug.
//
//go:embed builtin/*.json
var builtinFS embed.FS

// Audit actions this package records.
const (
	AuditCreated         = "guide.created"
	AuditCopied          = "guide.copied"
	AuditImported        = "guide.imported"
	AuditVersionSaved    = "guide.version_saved"
	AuditArchived        = "guide.archived"
	AuditUnarchived      = "guide.unarchived"
	AuditBuiltinInstall  = "guide.builtin_installed"
	AuditBuiltinUpdate   = "guide.builtin_updated"
	AuditBuiltinRetired  = "guide.builtin_retired"
	auditSubject         = "guide"
	builtinReadOnlyError = "built-in guides are read-only; copy it first and edit the copy"
)

// Service applies the rules for guides. It is safe for concurrent use.
type Service struct {
	db       *gorm.DB
	events   *events.Service
	people   *people.Service
	now      func() time.Time
	builtins fs.FS
	fonts    *fontSet
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces time.Now, so tests can pin created_at values.
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = now
		}
	}
}

// WithBuiltins replaces the embedded built-in guides, so tests can ship a
// changed built-in and see EnsureBuiltins add a version. fsys holds
// builtin/*.json like the embedded set.
func WithBuiltins(fsys fs.FS) Option {
	return func(s *Service) {
		if fsys != nil {
			s.builtins = fsys
		}
	}
}

// NewService returns a Service over db. Rendering a guide for an event
// reads the event through ev (respecting its visibility rules) and the
// person through ppl. db must be opened with TranslateError so unique
// violations surface as gorm.ErrDuplicatedKey.
func NewService(db *gorm.DB, ev *events.Service, ppl *people.Service, opts ...Option) *Service {
	s := &Service{db: db, events: ev, people: ppl, now: time.Now, builtins: builtinFS, fonts: newFontSet()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// clock is the time as stored: UTC, microseconds (PostgreSQL keeps no
// more), so what a write returns equals what a later read gives.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// canRead allows every signed-in role: guides hold no event data, and
// leaders and members benefit from seeing how conversations are run.
func canRead(a actor.Actor) error {
	if _, err := actor.ParseRole(string(a.Role)); err != nil {
		return apperr.Forbiddenf("sign in to read guides")
	}
	return nil
}

func canWrite(a actor.Actor) error {
	if !a.RunsEvents() {
		return apperr.Forbiddenf("only facilitators and admins can create and change guides")
	}
	return nil
}

// txErr adds context to a failed transaction unless the error is already
// one for the caller.
func txErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
