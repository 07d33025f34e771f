package accounts_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
)

// goodPassword is long enough for validatePassword.
const goodPassword = "correct horse battery"

// cli is how the command line acts: an admin with no account of its own.
var cli = actor.Actor{Role: actor.Admin, Name: "debrief admin"}

// clock is a settable time source for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fastHash keeps argon2id cheap in tests.
var fastHash = accounts.HashParams{Memory: 1024, Time: 1, Threads: 1}

// newService builds a Service over db with a cheap hash and clk as its
// clock; mods adjust the options further.
func newService(t *testing.T, db *database.DB, clk *clock, mods ...func(*accounts.Options)) *accounts.Service {
	t.Helper()
	o := accounts.Options{Hash: fastHash, Now: clk.Now}
	for _, m := range mods {
		m(&o)
	}
	svc, err := accounts.NewService(db.Gorm, o)
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	return svc
}

func createUser(t *testing.T, svc *accounts.Service, email, name string, role actor.Role) accounts.User {
	t.Helper()
	u, err := svc.CreateUser(context.Background(), cli,
		accounts.NewUser{Email: email, Name: name, Role: string(role), Password: goodPassword})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

// actorOf is the actor the HTTP layer would build for u.
func actorOf(u accounts.User) actor.Actor {
	a := actor.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role}
	if u.PersonID != nil {
		a.PersonID = *u.PersonID
	}
	return a
}

func signIn(t *testing.T, svc *accounts.Service, email, password, ip string) (string, accounts.Session) {
	t.Helper()
	secret, sess, err := svc.SignIn(context.Background(), email, password, accounts.Client{IP: ip, UserAgent: "test"})
	if err != nil {
		t.Fatalf("SignIn(%s from %q): %v", email, ip, err)
	}
	if secret == "" {
		t.Fatalf("SignIn(%s) returned an empty session secret", email)
	}
	return secret, sess
}

// wantCode fails unless err carries code, and returns the *apperr.Error.
func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("got code %s (%v), want %s", got, err, code)
	}
	e, _ := apperr.As(err)
	return e
}

// fieldNames lists the fields an apperr.Error complains about, sorted.
func fieldNames(err error) []string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func wantFields(t *testing.T, err error, code apperr.Code, fields ...string) {
	t.Helper()
	wantCode(t, err, code)
	slices.Sort(fields)
	if got := fieldNames(err); !slices.Equal(got, fields) {
		t.Fatalf("error %q names fields %v, want %v", err, got, fields)
	}
}

// insertPerson adds a people row directly, as the people feature would.
func insertPerson(t *testing.T, db *database.DB, name, email string) string {
	t.Helper()
	id := uuid.NewString()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Gorm.Exec(`INSERT INTO people (id, name, email, team, timezone, working_hours, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, name, email, "sre", "Europe/Berlin", "{}", now, now).Error
	if err != nil {
		t.Fatalf("insert person %s: %v", email, err)
	}
	return id
}

func countRows(t *testing.T, db *database.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func passwordHash(t *testing.T, db *database.DB, userID string) string {
	t.Helper()
	var h string
	if err := db.Gorm.Raw("SELECT password_hash FROM users WHERE id = ?", userID).Scan(&h).Error; err != nil {
		t.Fatalf("read password_hash: %v", err)
	}
	return h
}
