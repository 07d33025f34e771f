// Package demo loads a fictional organization into Debrief — people across
// teams, levels and time zones, six events of different kinds with their
// timelines, and sign-in accounts for each role — so that someone trying
// Debrief sees it working on realistic material instead of an empty screen.
//
// Everything is written through the feature services' public APIs (the
// people CSV import, the events service, the accounts service), so demo
// data passes exactly the validation real data does, and the demo breaks
// loudly if those rules change under it. Loading is idempotent: people are
// upserted by email, and accounts and events that already exist are left
// alone.
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/pagination"
	"github.com/debrief-dev/debrief/internal/people"
)

// Password is the password of every account the demo creates. It is
// printed in the summary on purpose: these are demo credentials, for trying
// Debrief out, not for an installation holding real data.
const Password = "debrief-demo-2026"

// AdminEmail is the demo administrator's sign-in. It belongs to no person,
// as a real admin account often does not.
const AdminEmail = "admin@example.com"

// Deps are the services the demo writes through. DB is used for one thing
// only: to run each event's creation in a transaction, so that an
// interrupted load never leaves a half-written event behind (which, since
// events are matched by title, a second run would then never complete).
type Deps struct {
	DB       *gorm.DB
	People   *people.Service
	Events   *events.Service
	Accounts *accounts.Service
}

// Outcome says what loading did with one item.
type Outcome string

// Outcomes.
const (
	Created Outcome = "created"
	Present Outcome = "already present"
	Skipped Outcome = "not created"
)

// PeopleResult is what the people import did.
type PeopleResult struct {
	Created, Updated, Unchanged int
	// SystemsSet counts people whose (empty) list of known systems the
	// demo filled in; the CSV import has no systems column.
	SystemsSet int
	Teams      []string
	Levels     []string
	Zones      []string
}

// AccountResult is one demo sign-in.
type AccountResult struct {
	Role    actor.Role
	Email   string
	Name    string
	Outcome Outcome
	// Note explains a skip, a link that could not be made, or what the role
	// lets someone see.
	Note string
}

// EventResult is one demo event.
type EventResult struct {
	Title    string
	Kind     events.Kind
	Status   events.Status
	Outcome  Outcome
	Warnings []string // warning codes shown on the event
}

// Summary reports what Load did. Its String is what `debrief demo` prints.
type Summary struct {
	People   PeopleResult
	Accounts []AccountResult
	Events   []EventResult
	Password string
}

// system is the actor the demo writes people and accounts as: an admin
// with no user id, as the CLI's admin commands use.
func system() actor.Actor {
	return actor.Actor{Role: actor.Admin, Name: "debrief demo"}
}

// Load writes the demo organization and returns what it created and what
// was already there. Running it again changes nothing that is already in
// place.
func Load(ctx context.Context, d Deps) (Summary, error) {
	if d.DB == nil || d.People == nil || d.Events == nil || d.Accounts == nil {
		return Summary{}, errors.New("demo: every dependency (DB, People, Events, Accounts) is required")
	}
	now := time.Now()
	sum := Summary{Password: Password}

	dir := directory()
	pr, err := loadPeople(ctx, d.People, dir)
	if err != nil {
		return Summary{}, err
	}
	sum.People = pr
	byEmail, err := peopleByEmail(ctx, d.People, dir)
	if err != nil {
		return Summary{}, err
	}
	if sum.People.SystemsSet, err = fillSystems(ctx, d.People, dir, byEmail); err != nil {
		return Summary{}, err
	}

	// Accounts after people, so the member, facilitator and leader accounts
	// link to their person by email.
	if sum.Accounts, err = ensureAccounts(ctx, d.Accounts, byEmail); err != nil {
		return Summary{}, err
	}
	creator, err := eventCreator(ctx, d.Accounts)
	if err != nil {
		return Summary{}, err
	}
	if sum.Events, err = ensureEvents(ctx, d, creator, byEmail, now); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// loadPeople imports the directory. A row error means the demo data no
// longer satisfies the people rules (or an admin changed the level ladder);
// it is reported rather than half-loading an organization with holes in it.
func loadPeople(ctx context.Context, svc *people.Service, dir []person) (PeopleResult, error) {
	csvText, err := directoryCSV(dir)
	if err != nil {
		return PeopleResult{}, err
	}
	rep, err := svc.Import(ctx, system(), bytes.NewReader(csvText), false)
	if err != nil {
		return PeopleResult{}, fmt.Errorf("import demo people: %w", err)
	}
	if len(rep.Errors) > 0 {
		var msgs []string
		for _, e := range rep.Errors {
			msgs = append(msgs, fmt.Sprintf("line %d (%s) %s: %s", e.Line, e.Email, e.Field, e.Message))
		}
		return PeopleResult{}, fmt.Errorf("import demo people: %d row(s) rejected (has the level ladder been changed from %s?): %s",
			len(rep.Errors), strings.Join(people.DefaultLevels(), ", "), strings.Join(msgs, "; "))
	}
	return PeopleResult{
		Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Teams:  distinct(dir, func(p person) string { return p.Team }),
		Levels: distinct(dir, func(p person) string { return p.Level }),
		Zones:  distinct(dir, func(p person) string { return p.Zone }),
	}, nil
}

// peopleByEmail reads back the demo people, whom events refer to by id.
// It pages through the whole directory, inactive people included, because
// the people service looks people up by id or by text search, not by a
// list of emails.
func peopleByEmail(ctx context.Context, svc *people.Service, dir []person) (map[string]people.Person, error) {
	want := make(map[string]bool, len(dir))
	for _, p := range dir {
		want[p.Email] = true
	}
	out := make(map[string]people.Person, len(dir))
	cursor := ""
	for {
		page, err := svc.List(ctx, people.ListFilter{Active: people.ActiveAll, Limit: pagination.MaxLimit, Cursor: cursor})
		if err != nil {
			return nil, fmt.Errorf("read back demo people: %w", err)
		}
		for _, p := range page.Items {
			if e := strings.ToLower(p.Email); want[e] {
				out[e] = p
			}
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	for e := range want {
		if _, ok := out[e]; !ok {
			return nil, fmt.Errorf("read back demo people: %s is missing after the import", e)
		}
	}
	return out, nil
}

// fillSystems gives demo people the systems they know. Only empty lists
// are filled, so a second run — or an admin's later edit — is left alone.
func fillSystems(ctx context.Context, svc *people.Service, dir []person, byEmail map[string]people.Person) (int, error) {
	n := 0
	for _, p := range dir {
		cur := byEmail[p.Email]
		if len(p.Systems) == 0 || len(cur.Systems) > 0 {
			continue
		}
		systems := slices.Clone(p.Systems)
		updated, err := svc.Update(ctx, system(), cur.ID, people.PersonPatch{Systems: &systems})
		if err != nil {
			return n, fmt.Errorf("set systems for demo person %s: %w", p.Email, err)
		}
		byEmail[p.Email] = updated
		n++
	}
	return n, nil
}

// demoAccount is a sign-in for one role. Person-linked accounts use the
// person's own email: accounts links an account to the person with the
// same email, which is what lets the member see their events.
type demoAccount struct {
	role  actor.Role
	email string
	name  string
	sees  string
}

func demoAccounts() []demoAccount {
	return []demoAccount{
		{actor.Admin, AdminEmail, "Demo Admin", "settings, users, people and every event"},
		{actor.Facilitator, ingrid, "Ingrid Halvorsen", "runs reviews: sees and edits every event"},
		{actor.Member, grace, "Grace Mensah", "sees the events Grace Mensah took part in"},
		{actor.Leader, olumide, "Olumide Adeyemi", "reads published and closed events"},
	}
}

// ensureAccounts creates the demo sign-ins that do not exist yet. The demo
// admin is created only on an installation with no active admin: where
// someone already administers Debrief, a well-known admin password would
// be a gift to anyone who reads the docs.
func ensureAccounts(ctx context.Context, acc *accounts.Service, byEmail map[string]people.Person) ([]AccountResult, error) {
	var out []AccountResult
	for _, da := range demoAccounts() {
		res := AccountResult{Role: da.role, Email: da.email, Name: da.name, Note: da.sees}
		u, err := acc.UserByEmail(ctx, da.email)
		switch {
		case err == nil:
			res.Outcome = Present
			res.Note = existingNote(u, da)
			out = append(out, res)
			continue
		case apperr.CodeOf(err) != apperr.NotFound:
			return nil, fmt.Errorf("look up demo account %s: %w", da.email, err)
		}
		if da.role == actor.Admin {
			has, err := hasActiveAdmin(ctx, acc)
			if err != nil {
				return nil, err
			}
			if has {
				res.Outcome = Skipped
				res.Note = "an admin account already exists; sign in with it"
				out = append(out, res)
				continue
			}
		}
		u, err = acc.CreateUser(ctx, system(), accounts.NewUser{
			Email: da.email, Name: da.name, Role: string(da.role), Password: Password,
		})
		if apperr.CodeOf(err) == apperr.Conflict {
			// Created by someone else between the look-up and now.
			res.Outcome = Present
			out = append(out, res)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create demo %s account %s: %w", da.role, da.email, err)
		}
		res.Outcome = Created
		if p, isPerson := byEmail[da.email]; isPerson && (u.PersonID == nil || *u.PersonID != p.ID) {
			res.Note += "; not linked to " + p.Name + ", who already has another account"
		}
		out = append(out, res)
	}
	return out, nil
}

// existingNote describes an account the demo found in place, flagging
// when it is not what the demo would have made, so the printed sign-ins
// never promise a role or password that is not there.
func existingNote(u accounts.User, da demoAccount) string {
	var parts []string
	if u.Role != da.role {
		parts = append(parts, fmt.Sprintf("its role is %s, not %s", u.Role, da.role))
	}
	if !u.Active {
		parts = append(parts, "it is deactivated")
	}
	parts = append(parts, "password left as it is")
	return da.sees + " (" + strings.Join(parts, "; ") + ")"
}

func hasActiveAdmin(ctx context.Context, acc *accounts.Service) (bool, error) {
	f := accounts.UserFilter{Role: string(actor.Admin), Page: pagination.Page{Limit: pagination.MaxLimit}}
	for {
		users, next, err := acc.ListUsers(ctx, system(), f)
		if err != nil {
			return false, fmt.Errorf("look for an existing admin: %w", err)
		}
		for _, u := range users {
			if u.Active {
				return true, nil
			}
		}
		if next == "" {
			return false, nil
		}
		f.Page.Cursor = next
	}
}

// eventCreator is the actor events are created as: the demo facilitator's
// account when it is a facilitator, so the audit trail reads as if Ingrid
// opened the reviews, as a facilitator would; otherwise the system actor.
func eventCreator(ctx context.Context, acc *accounts.Service) (actor.Actor, error) {
	u, err := acc.UserByEmail(ctx, ingrid)
	if apperr.CodeOf(err) == apperr.NotFound {
		return system(), nil
	}
	if err != nil {
		return actor.Actor{}, fmt.Errorf("look up demo facilitator: %w", err)
	}
	if u.Role != actor.Facilitator || !u.Active {
		return system(), nil
	}
	a := actor.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role}
	if u.PersonID != nil {
		a.PersonID = *u.PersonID
	}
	return a, nil
}

// ensureEvents creates the catalogue's events that are not there yet. An
// event is matched by title, ignoring case and surrounding space: one that
// exists is left exactly as it is, since a facilitator may have worked on it.
func ensureEvents(ctx context.Context, d Deps, creator actor.Actor, byEmail map[string]people.Person, now time.Time) ([]EventResult, error) {
	existing, err := eventsByTitle(ctx, d.Events)
	if err != nil {
		return nil, err
	}
	var out []EventResult
	for _, spec := range catalogue() {
		if ev, ok := existing[titleKey(spec.Title)]; ok {
			out = append(out, EventResult{Title: ev.Title, Kind: ev.Kind, Status: ev.Status, Outcome: Present, Warnings: warningCodes(ev.Warnings)})
			continue
		}
		ev, err := createEvent(ctx, d.DB, creator, spec, byEmail, now)
		if err != nil {
			return nil, fmt.Errorf("create demo event %q: %w", spec.Title, err)
		}
		out = append(out, EventResult{Title: ev.Title, Kind: ev.Kind, Status: ev.Status, Outcome: Created, Warnings: warningCodes(ev.Warnings)})
	}
	return out, nil
}

func titleKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func warningCodes(ws []events.Warning) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.Code)
	}
	return out
}

// eventsByTitle lists every event, as an admin sees them.
func eventsByTitle(ctx context.Context, svc *events.Service) (map[string]events.Event, error) {
	out := map[string]events.Event{}
	page := pagination.Page{Limit: pagination.MaxLimit}
	for {
		list, err := svc.List(ctx, system(), events.ListFilter{}, page)
		if err != nil {
			return nil, fmt.Errorf("list existing events: %w", err)
		}
		for _, ev := range list.Items {
			out[titleKey(ev.Title)] = ev
		}
		if list.NextCursor == "" {
			return out, nil
		}
		page.Cursor = list.NextCursor
	}
}

// createEvent writes one event with its timeline, involvements, references
// and status in a single transaction. The events service is built on the
// transaction so all its writes, and its own nested transactions (which
// become savepoints), land or vanish together; nothing inside may use the
// outer handle, because SQLite has one connection and would wait forever.
func createEvent(ctx context.Context, db *gorm.DB, a actor.Actor, spec eventSpec, byEmail map[string]people.Person, now time.Time) (events.EventDetail, error) {
	started, err := spec.Start.resolve(now)
	if err != nil {
		return events.EventDetail{}, err
	}
	at := func(w when) (string, error) {
		t, err := w(started)
		if err != nil {
			return "", err
		}
		if t.After(now) {
			return "", fmt.Errorf("demo time %s is in the future", t.Format(time.RFC3339))
		}
		return t.Format(time.RFC3339), nil
	}
	personID := func(email string) (string, error) {
		p, ok := byEmail[email]
		if !ok {
			return "", fmt.Errorf("demo person %s is not in the directory", email)
		}
		return p.ID, nil
	}

	in := events.EventInput{
		Title: spec.Title, Kind: spec.Kind, StartedAt: started.Format(time.RFC3339),
		Summary: spec.Summary, Severity: spec.Severity, Systems: spec.Systems,
	}
	if spec.End != nil {
		if in.EndedAt, err = at(spec.End); err != nil {
			return events.EventDetail{}, err
		}
	}
	if spec.Investigator != "" {
		// An investigator must be active; if an admin has deactivated the
		// demo's, the event is still worth having without one.
		if p := byEmail[spec.Investigator]; p.Active {
			in.InvestigatorID = p.ID
		}
	}

	var out events.EventDetail
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		svc := events.NewService(tx)
		ev, err := svc.Create(ctx, a, in)
		if err != nil {
			return fmt.Errorf("create: %w", err)
		}
		for i, e := range spec.Timeline {
			te := events.TimelineEntryInput{Actor: e.Actor, Body: e.Body, Kind: e.Kind, SourceURL: e.Source}
			if te.OccurredAt, err = at(e.At); err != nil {
				return fmt.Errorf("timeline entry %d: %w", i+1, err)
			}
			if e.Who != "" {
				if te.PersonID, err = personID(e.Who); err != nil {
					return fmt.Errorf("timeline entry %d: %w", i+1, err)
				}
			}
			if _, err := svc.AddTimelineEntry(ctx, a, ev.ID, te); err != nil {
				return fmt.Errorf("timeline entry %d: %w", i+1, err)
			}
		}
		for _, inv := range spec.Involvements {
			pid, err := personID(inv.Who)
			if err != nil {
				return fmt.Errorf("involvement: %w", err)
			}
			if _, err := svc.AddInvolvement(ctx, a, ev.ID, events.InvolvementInput{PersonID: pid, Role: inv.Role, Note: inv.Note}); err != nil {
				return fmt.Errorf("involvement of %s as %s: %w", inv.Who, inv.Role, err)
			}
		}
		for _, ref := range spec.References {
			if _, err := svc.AddReference(ctx, a, ev.ID, ref); err != nil {
				return fmt.Errorf("reference %s: %w", ref.URL, err)
			}
		}
		// Walk the lifecycle one step at a time, as a facilitator would, so
		// the audit trail shows each transition.
		for _, st := range statusPath(spec.Status) {
			if _, err := svc.Update(ctx, a, ev.ID, events.EventPatch{Status: &st}); err != nil {
				return fmt.Errorf("move to %s: %w", st, err)
			}
		}
		out, err = svc.Get(ctx, a, ev.ID)
		if err != nil {
			return fmt.Errorf("read back: %w", err)
		}
		return nil
	})
	return out, err
}

// statusPath lists the statuses after open up to and including target.
func statusPath(target events.Status) []events.Status {
	all := events.Statuses()
	i := slices.Index(all, target)
	if i <= 0 {
		return nil
	}
	return all[1 : i+1]
}
