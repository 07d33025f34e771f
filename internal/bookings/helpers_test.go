package bookings_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/bookings/bookingstest"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/database"
)

// clock advances one second per call so timestamps differ; "now" stays on
// 2026-11-20, before every booking the tests make.
type clock struct {
	base time.Time
	n    atomic.Int64
}

func (c *clock) now() time.Time { return c.base.Add(time.Duration(c.n.Add(1)) * time.Second) }

type fixture struct {
	t     testing.TB
	db    *database.DB
	svc   *bookings.Service
	queue *bookingstest.Queue
	cal   *bookingstest.Provider
	clock *clock
	admin actor.Actor
	facil actor.Actor
	// linked records people who already have an account.
	linked map[string]bool
}

func newFixture(t testing.TB, db *database.DB, opts ...bookings.Option) *fixture {
	t.Helper()
	q, err := bookingstest.NewQueue(t.Context(), db.Gorm)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{base: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	fx := &fixture{t: t, db: db, queue: q, cal: bookingstest.NewProvider("google"), clock: c, linked: map[string]bool{}}
	fx.svc = fx.service(map[string]calendar.Provider{"google": fx.cal}, fx.queue, opts...)
	fx.admin = fx.user(actor.Admin, "")
	fx.facil = fx.user(actor.Facilitator, "")
	return fx
}

func (fx *fixture) service(providers map[string]calendar.Provider, enq bookings.Enqueuer, opts ...bookings.Option) *bookings.Service {
	return bookings.NewService(fx.db.Gorm, providers, enq, append([]bookings.Option{bookings.WithClock(fx.clock.now)}, opts...)...)
}

// person inserts a row into people directly: this package must not
// depend on the people feature.
func (fx *fixture) person(name string, mods ...func(*personSpec)) string {
	fx.t.Helper()
	spec := personSpec{active: true}
	for _, m := range mods {
		m(&spec)
	}
	id := uuid.NewString()
	now := time.Now().UTC()
	err := fx.db.Gorm.Exec(`INSERT INTO people (id, name, email, timezone, working_hours, calendar_id, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, name, emailOf(name), "Europe/Berlin", "mon-fri 09:00-17:00", spec.calendarID, spec.active, now, now).Error
	if err != nil {
		fx.t.Fatalf("insert person %s: %v", name, err)
	}
	return id
}

type personSpec struct {
	active     bool
	calendarID string
}

func inactive(p *personSpec) { p.active = false }

func calendarID(c string) func(*personSpec) { return func(p *personSpec) { p.calendarID = c } }

func emailOf(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
}

// user inserts an account so audit entries can point at it.
func (fx *fixture) user(role actor.Role, personID string) actor.Actor {
	fx.t.Helper()
	id := uuid.NewString()
	// users.person_id is unique; a second account for the same person
	// (another role in a matrix) keeps the link only in the Actor, which
	// is all the service reads.
	var pid any
	if personID != "" && !fx.linked[personID] {
		pid = personID
		fx.linked[personID] = true
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

// at is 25 Nov 2026 at hh:mm UTC in RFC 3339.
func at(hhmm string) string { return "2026-11-25T" + hhmm + ":00Z" }

func atTime(hhmm string) time.Time {
	t, err := time.Parse(time.RFC3339, at(hhmm))
	if err != nil {
		panic(err)
	}
	return t
}

func input(title, start, end, organizer string, attendees ...string) bookings.Input {
	in := bookings.Input{Title: title, Start: at(start), End: at(end), OrganizerPersonID: organizer, Kind: bookings.KindChat}
	for _, a := range attendees {
		in.Attendees = append(in.Attendees, bookings.AttendeeInput{PersonID: a})
	}
	return in
}

func builtin(in bookings.Input) bookings.Input {
	in.Provider = bookings.ProviderBuiltin
	return in
}

func (fx *fixture) book(in bookings.Input) bookings.Booking {
	fx.t.Helper()
	b, err := fx.svc.Create(fx.t.Context(), fx.facil, in)
	if err != nil {
		fx.t.Fatalf("book %q: %v", in.Title, err)
	}
	return b
}

func (fx *fixture) count(query string, args ...any) int {
	fx.t.Helper()
	var n int64
	if err := fx.db.Gorm.Raw(query, args...).Row().Scan(&n); err != nil {
		fx.t.Fatalf("%s: %v", query, err)
	}
	return int(n)
}

func (fx *fixture) jobs() []bookingstest.Job {
	fx.t.Helper()
	j, err := fx.queue.Jobs(fx.t.Context())
	if err != nil {
		fx.t.Fatal(err)
	}
	return j
}

func (fx *fixture) pending() []bookingstest.Job {
	fx.t.Helper()
	j, err := fx.queue.Pending(fx.t.Context())
	if err != nil {
		fx.t.Fatal(err)
	}
	return j
}

// work runs every queued job and fails the test if one ends in an error
// other than a give-up.
func (fx *fixture) work() []bookingstest.Result {
	fx.t.Helper()
	res, err := fx.queue.Work(fx.t.Context(), fx.svc, 8)
	if err != nil {
		fx.t.Fatal(err)
	}
	return res
}

// drain marks every queued job done without running it.
func (fx *fixture) drain() {
	fx.t.Helper()
	for _, j := range fx.pending() {
		if err := fx.queue.MarkDone(fx.t.Context(), j.ID); err != nil {
			fx.t.Fatal(err)
		}
	}
}

func (fx *fixture) get(id string) bookings.Booking {
	fx.t.Helper()
	b, err := fx.svc.Get(fx.t.Context(), fx.admin, id)
	if err != nil {
		fx.t.Fatalf("get %s: %v", id, err)
	}
	return b
}

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

func fieldNames(e *apperr.Error) []string {
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func kinds(jobs []bookingstest.Job) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.Kind
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// hookProvider runs a function before delegating a call, to make things
// happen while a job is talking to the calendar.
type hookProvider struct {
	*bookingstest.Provider
	beforeCreate func()
	beforeUpdate func()
}

func (h *hookProvider) Create(ctx context.Context, ev calendar.Event) (calendar.Event, error) {
	if f := h.beforeCreate; f != nil {
		h.beforeCreate = nil
		f()
	}
	return h.Provider.Create(ctx, ev)
}

func (h *hookProvider) Update(ctx context.Context, ev calendar.Event) (calendar.Event, error) {
	if f := h.beforeUpdate; f != nil {
		h.beforeUpdate = nil
		f()
	}
	return h.Provider.Update(ctx, ev)
}

// failingEnqueuer enqueues and then reports an error, to prove the job is
// written in the caller's transaction and rolls back with it.
type failingEnqueuer struct{ q *bookingstest.Queue }

func (f failingEnqueuer) EnqueueTx(ctx context.Context, tx *gorm.DB, args bookings.JobArgs, opts *bookings.EnqueueOpts) error {
	if err := f.q.EnqueueTx(ctx, tx, args, opts); err != nil {
		return err
	}
	return context.DeadlineExceeded
}
