package guides_test

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
	"github.com/debrief-dev/debrief/internal/guides"
	"github.com/debrief-dev/debrief/internal/people"
)

// clock advances one second per call so created_at values differ.
type clock struct {
	base time.Time
	n    atomic.Int64
}

func (c *clock) now() time.Time { return c.base.Add(time.Duration(c.n.Add(1)) * time.Second) }

type fixture struct {
	t      testing.TB
	db     *database.DB
	svc    *guides.Service
	events *events.Service
	people *people.Service
	admin  actor.Actor
	facil  actor.Actor
	member actor.Actor
	leader actor.Actor
}

func newFixture(t testing.TB, db *database.DB, opts ...guides.Option) *fixture {
	t.Helper()
	c := &clock{base: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	ev := events.NewService(db.Gorm)
	ppl := people.NewService(db.Gorm)
	fx := &fixture{t: t, db: db, events: ev, people: ppl,
		svc: guides.NewService(db.Gorm, ev, ppl, append([]guides.Option{guides.WithClock(c.now)}, opts...)...)}
	fx.admin = fx.user(actor.Admin, "")
	fx.facil = fx.user(actor.Facilitator, "")
	fx.member = fx.user(actor.Member, "")
	fx.leader = fx.user(actor.Leader, "")
	return fx
}

// user inserts an account directly, as the events tests do, so audit
// entries and created_by can point at it without the accounts feature.
func (fx *fixture) user(role actor.Role, personID string) actor.Actor {
	fx.t.Helper()
	id := uuid.NewString()
	var pid any
	if personID != "" {
		pid = personID
	}
	now := time.Now().UTC()
	email := string(role) + "." + id[:8] + "@example.com"
	name := strings.ToUpper(string(role[:1])) + string(role[1:]) + " User"
	err := fx.db.Gorm.Exec(`INSERT INTO users (id, email, name, role, person_id, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, email, name, string(role), pid, true, now, now).Error
	if err != nil {
		fx.t.Fatalf("insert user: %v", err)
	}
	return actor.Actor{UserID: id, PersonID: personID, Name: name, Email: email, Role: role}
}

// person inserts a row into people directly.
func (fx *fixture) person(name, tz string) string {
	fx.t.Helper()
	id := uuid.NewString()
	now := time.Now().UTC()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "." + id[:8] + "@example.com"
	err := fx.db.Gorm.Exec(`INSERT INTO people (id, name, email, team, timezone, working_hours, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, name, email, "platform", tz, "mon-fri 09:00-17:00", true, now, now).Error
	if err != nil {
		fx.t.Fatalf("insert person %s: %v", name, err)
	}
	return id
}

func (fx *fixture) ensureBuiltins() {
	fx.t.Helper()
	if err := fx.svc.EnsureBuiltins(fx.t.Context()); err != nil {
		fx.t.Fatalf("EnsureBuiltins: %v", err)
	}
}

// builtin returns the built-in guide with slug.
func (fx *fixture) builtin(slug string) guides.GuideDetail {
	fx.t.Helper()
	g, err := fx.svc.Get(fx.t.Context(), fx.facil, slug)
	if err != nil {
		fx.t.Fatalf("get %s: %v", slug, err)
	}
	return g
}

// create makes a custom guide from sampleContent.
func (fx *fixture) create(title string, mod ...func(*guides.GuideInput)) guides.GuideDetail {
	fx.t.Helper()
	in := guides.GuideInput{Title: title, Kind: guides.KindResponderChat, Description: "For tests.", Content: sampleContent()}
	for _, m := range mod {
		m(&in)
	}
	g, err := fx.svc.Create(fx.t.Context(), fx.facil, in)
	if err != nil {
		fx.t.Fatalf("create %q: %v", title, err)
	}
	return g
}

func sampleContent() guides.Content {
	return guides.Content{
		Opener: "Thanks for talking with me about {{event.title}}. May I take notes?",
		Questions: []guides.Question{
			{ID: "first", Text: "How did this first reach you?", Probes: []string{"What were you doing?"}, Sections: []guides.Section{"NAR"}},
			{ID: "second", Text: "What did you look at first?", Probes: []string{"What did it show?", "Where next?"}, Sections: []guides.Section{"NAR", "EXP"}},
			{ID: "third", Text: "What surprised you?", Probes: []string{"What did you expect?"}, Sections: []guides.Section{"EXP"}},
		},
		Closer:           "Who else would be good to talk to?",
		SuggestedMinutes: 30,
	}
}

// saveInput turns a guide's current state into a save request.
func saveInput(g guides.GuideDetail) guides.SaveInput {
	c := g.Content
	c.Questions = slices.Clone(c.Questions)
	return guides.SaveInput{Title: g.Title, Description: g.Description, Content: c}
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

// wantFields asserts an Invalid error naming exactly these fields and
// returns the messages by field.
func wantFields(t testing.TB, err error, fields ...string) map[string]string {
	t.Helper()
	e := wantCode(t, err, apperr.Invalid)
	got := map[string]string{}
	var names []string
	for _, f := range e.Fields {
		if _, seen := got[f.Field]; !seen {
			names = append(names, f.Field)
		}
		got[f.Field] += f.Message + "\n"
	}
	slices.Sort(names)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Fatalf("invalid fields = %v, want %v (%+v)", names, want, e.Fields)
	}
	return got
}

func questionIDs(qs []guides.Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}
