package people_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/people"
)

var testNow = time.Date(2026, 11, 25, 17, 9, 0, 0, time.UTC)

type env struct {
	db    *database.DB
	svc   *people.Service
	admin actor.Actor
	fac   actor.Actor
}

var (
	member = actor.Actor{UserID: "", Name: "Mo Member", Role: actor.Member}
	leader = actor.Actor{UserID: "", Name: "Li Leader", Role: actor.Leader}
)

// newEnv returns a service on db with the default ladder and two users
// whose ids audit entries can reference.
func newEnv(t testing.TB, db *database.DB) *env {
	t.Helper()
	e := &env{
		db:    db,
		svc:   people.NewService(db.Gorm, people.WithClock(func() time.Time { return testNow })),
		admin: addUser(t, db, "admin"),
		fac:   addUser(t, db, "facilitator"),
	}
	if err := e.svc.EnsureDefaultLevels(context.Background()); err != nil {
		t.Fatalf("EnsureDefaultLevels: %v", err)
	}
	return e
}

func addUser(t testing.TB, db *database.DB, role actor.Role) actor.Actor {
	t.Helper()
	id := uuid.NewString()
	email := string(role) + "@users.example.com"
	err := db.Gorm.Exec(`INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, email, string(role), string(role), testNow, testNow).Error
	if err != nil {
		t.Fatalf("insert user: %v", err)
	}
	return actor.Actor{UserID: id, Email: email, Name: string(role), Role: role}
}

func ptr[T any](v T) *T { return &v }

// mustCreate creates a person with sensible defaults for unset fields.
func (e *env) mustCreate(t *testing.T, in people.PersonInput) people.Person {
	t.Helper()
	if in.Timezone == "" {
		in.Timezone = "Europe/Berlin"
	}
	p, err := e.svc.Create(context.Background(), e.admin, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Email, err)
	}
	return p
}

func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	ae, ok := apperr.As(err)
	if !ok || ae.Code != code {
		t.Fatalf("want %s error, got %v (code %s)", code, err, apperr.CodeOf(err))
	}
	return ae
}

// fieldMessages maps each invalid field to its message.
func fieldMessages(t *testing.T, err error) map[string]string {
	t.Helper()
	ae := wantCode(t, err, apperr.Invalid)
	out := map[string]string{}
	for _, f := range ae.Fields {
		out[f.Field] = f.Message
	}
	return out
}

func wantFields(t *testing.T, err error, fields ...string) map[string]string {
	t.Helper()
	got := fieldMessages(t, err)
	var names []string
	for f := range got {
		names = append(names, f)
	}
	slices.Sort(names)
	slices.Sort(fields)
	if !slices.Equal(names, fields) {
		t.Fatalf("invalid fields = %v, want %v (%v)", names, fields, err)
	}
	return got
}

func wantContains(t *testing.T, what, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Fatalf("%s = %q, want it to contain %q", what, got, want)
	}
}

func countRows(t testing.TB, db *database.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Table(table).Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func auditActions(t *testing.T, db *database.DB, subjectType, subjectID string) []string {
	t.Helper()
	entries, err := audit.List(context.Background(), db.Gorm, subjectType, subjectID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

func isForbidden(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Code == apperr.Forbidden
}
