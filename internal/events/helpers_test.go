package events_test

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/events"
)

// clock advances one second per call so created_at values differ and the
// tie-breaks that depend on them are exercised deterministically.
type clock struct {
	base time.Time
	n    atomic.Int64
}

func (c *clock) now() time.Time {
	return c.base.Add(time.Duration(c.n.Add(1)) * time.Second)
}

type fixture struct {
	t     testing.TB
	db    *database.DB
	svc   *events.Service
	clock *clock
	admin actor.Actor
	facil actor.Actor
}

func newFixture(t testing.TB, db *database.DB) *fixture {
	t.Helper()
	c := &clock{base: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	fx := &fixture{t: t, db: db, clock: c, svc: events.NewService(db.Gorm, events.WithClock(c.now))}
	fx.admin = fx.user(actor.Admin, "")
	fx.facil = fx.user(actor.Facilitator, "")
	return fx
}

type personOpt func(*personSpec)

type personSpec struct {
	team, manager string
	inactive      bool
}

func team(s string) personOpt       { return func(p *personSpec) { p.team = s } }
func managedBy(id string) personOpt { return func(p *personSpec) { p.manager = id } }
func inactive() personOpt           { return func(p *personSpec) { p.inactive = true } }

// person inserts a row into people directly: this package must not depend
// on the people feature, and its tests should not either.
func (fx *fixture) person(name string, opts ...personOpt) string {
	fx.t.Helper()
	spec := personSpec{team: "platform"}
	for _, o := range opts {
		o(&spec)
	}
	id := uuid.NewString()
	var manager any
	if spec.manager != "" {
		manager = spec.manager
	}
	now := time.Now().UTC()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "." + id[:8] + "@example.com"
	err := fx.db.Gorm.Exec(`INSERT INTO people (id, name, email, team, manager_id, timezone, working_hours, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, name, email, spec.team, manager, "Europe/Berlin", "mon-fri 09:00-17:00", !spec.inactive, now, now).Error
	if err != nil {
		fx.t.Fatalf("insert person %s: %v", name, err)
	}
	return id
}

// user inserts an account so audit entries can point at it.
func (fx *fixture) user(role actor.Role, personID string) actor.Actor {
	fx.t.Helper()
	id := uuid.NewString()
	var pid any
	if personID != "" {
		pid = personID
	}
	now := time.Now().UTC()
	email := string(role) + "." + id[:8] + "@example.com"
	err := fx.db.Gorm.Exec(`INSERT INTO users (id, email, name, role, person_id, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, email, string(role)+" user", string(role), pid, true, now, now).Error
	if err != nil {
		fx.t.Fatalf("insert user: %v", err)
	}
	return actor.Actor{UserID: id, PersonID: personID, Name: string(role) + " user", Email: email, Role: role}
}

// event creates an event as the admin with sensible defaults.
func (fx *fixture) event(title string, mod ...func(*events.EventInput)) events.EventDetail {
	fx.t.Helper()
	in := events.EventInput{Title: title, Kind: events.KindIncident, StartedAt: "2026-11-01T10:00:00Z"}
	for _, m := range mod {
		m(&in)
	}
	d, err := fx.svc.Create(fx.t.Context(), fx.admin, in)
	if err != nil {
		fx.t.Fatalf("create event %q: %v", title, err)
	}
	return d
}

func (fx *fixture) setStatus(id string, s events.Status) {
	fx.t.Helper()
	if err := fx.db.Gorm.Exec("UPDATE events SET status = ? WHERE id = ?", string(s), id).Error; err != nil {
		fx.t.Fatalf("set status: %v", err)
	}
}

func (fx *fixture) involve(eventID, personID string, role events.Role) events.Involvement {
	fx.t.Helper()
	inv, err := fx.svc.AddInvolvement(fx.t.Context(), fx.admin, eventID, events.InvolvementInput{PersonID: personID, Role: role})
	if err != nil {
		fx.t.Fatalf("add involvement: %v", err)
	}
	return inv
}

func ptr[T any](v T) *T { return &v }

func wantCode(t testing.TB, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("got %v (code %s), want %s", err, apperr.CodeOf(err), code)
	}
	return e
}

// wantFields asserts an Invalid error naming exactly these fields.
func wantFields(t testing.TB, err error, fields ...string) {
	t.Helper()
	e := wantCode(t, err, apperr.Invalid)
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
	}
	slices.Sort(got)
	got = slices.Compact(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("invalid fields = %v, want %v (%+v)", got, want, e.Fields)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func ids(list []events.Event) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.ID
	}
	return out
}

func titles(list []events.Event) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Title
	}
	return out
}

func codes(ws []events.Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Code
	}
	return out
}

func sortedStrings(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
