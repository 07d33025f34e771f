package accounts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/pagination"
)

func TestCreateUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk)

		u, err := svc.CreateUser(ctx, cli, accounts.NewUser{
			Email: "  Alice@Example.COM ", Name: "  Alice Ng ", Role: "facilitator", Password: goodPassword})
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if u.Email != "alice@example.com" || u.Name != "Alice Ng" || u.Role != actor.Facilitator || !u.Active {
			t.Fatalf("created user = %+v; want normalized email and name, role facilitator, active", u)
		}
		if _, err := uuid.Parse(u.ID); err != nil {
			t.Fatalf("user id %q is not a uuid", u.ID)
		}
		if !u.CreatedAt.Equal(clk.Now()) || u.LastSignInAt != nil || u.PersonID != nil {
			t.Fatalf("created user = %+v; want CreatedAt %v, no sign-in, no person", u, clk.Now())
		}
		got, err := svc.GetUser(ctx, cli, u.ID)
		if err != nil || got.Email != u.Email || got.Role != actor.Facilitator || !got.CreatedAt.Equal(clk.Now()) {
			t.Fatalf("GetUser = %+v, %v; want the stored user", got, err)
		}

		entries, err := audit.List(ctx, db.Gorm, "user", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Action != "user.created" || entries[0].ActorUserID != nil {
			t.Fatalf("audit = %+v; want one user.created entry by the CLI (no actor user)", entries)
		}
	})
}

func TestCreateUserOnlyAdmins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		admin := createUser(t, svc, "admin@example.com", "Ada", actor.Admin)
		fac := createUser(t, svc, "fac@example.com", "Fay", actor.Facilitator)

		for _, a := range []actor.Actor{actorOf(fac), {UserID: fac.ID, Role: actor.Member}, {Role: actor.Leader}, {}} {
			_, err := svc.CreateUser(ctx, a, accounts.NewUser{
				Email: "new@example.com", Name: "New", Role: "member", Password: goodPassword})
			wantCode(t, err, apperr.Forbidden)
		}
		if _, err := svc.UserByEmail(ctx, "new@example.com"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a refused CreateUser still created the user (UserByEmail err = %v)", err)
		}

		// A signed-in admin may, and is recorded as the actor.
		u, err := svc.CreateUser(ctx, actorOf(admin), accounts.NewUser{
			Email: "new@example.com", Name: "New", Role: "member", Password: goodPassword})
		if err != nil {
			t.Fatalf("admin CreateUser: %v", err)
		}
		entries, err := audit.List(ctx, db.Gorm, "user", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].ActorUserID == nil || *entries[0].ActorUserID != admin.ID {
			t.Fatalf("audit = %+v; want user.created by %s", entries, admin.ID)
		}
		if n, _ := svc.CountUsers(ctx); n != 3 {
			t.Fatalf("CountUsers = %d, want 3", n)
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		ok := accounts.NewUser{Email: "bob@example.com", Name: "Bob", Role: "member", Password: goodPassword}
		with := func(f func(*accounts.NewUser)) accounts.NewUser { n := ok; f(&n); return n }

		cases := []struct {
			name   string
			in     accounts.NewUser
			fields []string
		}{
			{"short password", with(func(n *accounts.NewUser) { n.Password = "123456789" }), []string{"password"}},
			{"long password", with(func(n *accounts.NewUser) { n.Password = strings.Repeat("x", 513) }), []string{"password"}},
			{"bad email", with(func(n *accounts.NewUser) { n.Email = "bob" }), []string{"email"}},
			{"email with display name", with(func(n *accounts.NewUser) { n.Email = "Bob <bob@example.com>" }), []string{"email"}},
			{"blank name", with(func(n *accounts.NewUser) { n.Name = "   " }), []string{"name"}},
			{"long name", with(func(n *accounts.NewUser) { n.Name = strings.Repeat("n", 201) }), []string{"name"}},
			{"unknown role", with(func(n *accounts.NewUser) { n.Role = "owner" }), []string{"role"}},
			{"everything wrong", accounts.NewUser{Email: "x", Role: "", Password: "short"}, []string{"email", "name", "password", "role"}},
			{"bad person id", with(func(n *accounts.NewUser) { p := "not-a-uuid"; n.PersonID = &p }), []string{"person_id"}},
			{"unknown person", with(func(n *accounts.NewUser) { p := uuid.NewString(); n.PersonID = &p }), []string{"person_id"}},
		}
		for _, c := range cases {
			_, err := svc.CreateUser(ctx, cli, c.in)
			if err == nil {
				t.Fatalf("%s: CreateUser succeeded", c.name)
			}
			t.Run(c.name, func(t *testing.T) { wantFields(t, err, apperr.Invalid, c.fields...) })
		}
		if n, _ := svc.CountUsers(ctx); n != 0 {
			t.Fatalf("CountUsers = %d after only invalid input, want 0", n)
		}

		// Boundaries that are allowed: 10 characters (counted as runes) and 512 bytes.
		if _, err := svc.CreateUser(ctx, cli, with(func(n *accounts.NewUser) { n.Password = "ääääääääää" })); err != nil {
			t.Fatalf("10-rune password refused: %v", err)
		}
		if _, err := svc.CreateUser(ctx, cli, with(func(n *accounts.NewUser) {
			n.Email = "bob2@example.com"
			n.Password = strings.Repeat("y", 512)
		})); err != nil {
			t.Fatalf("512-byte password refused: %v", err)
		}
	})
}

// A second account with the same email, in any case, is a conflict on the
// email field, not an internal error.
func TestCreateUserDuplicateEmail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		createUser(t, svc, "carol@example.com", "Carol", actor.Member)

		_, err := svc.CreateUser(ctx, cli, accounts.NewUser{
			Email: "CAROL@Example.com", Name: "Other Carol", Role: "admin", Password: goodPassword})
		wantFields(t, err, apperr.Conflict, "email")
		if n, _ := svc.CountUsers(ctx); n != 1 {
			t.Fatalf("CountUsers = %d, want 1", n)
		}
	})
}

func TestCreateUserLinksPersonByEmail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		pid := insertPerson(t, db, "Dana", "dana@example.com")
		other := insertPerson(t, db, "Eve", "eve@example.com")

		u, err := svc.CreateUser(ctx, cli, accounts.NewUser{
			Email: "Dana@Example.com", Name: "Dana", Role: "member", Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		if u.PersonID == nil || *u.PersonID != pid {
			t.Fatalf("PersonID = %v, want %s (linked by email)", u.PersonID, pid)
		}
		if got, _ := svc.GetUser(ctx, cli, u.ID); got.PersonID == nil || *got.PersonID != pid {
			t.Fatalf("stored PersonID = %v, want %s", got.PersonID, pid)
		}

		// No matching person: no link.
		f := createUser(t, svc, "frank@example.com", "Frank", actor.Member)
		if f.PersonID != nil {
			t.Fatalf("Frank linked to %s with no matching person", *f.PersonID)
		}

		// An explicit person id wins over the email.
		g, err := svc.CreateUser(ctx, cli, accounts.NewUser{
			Email: "gina@example.com", Name: "Gina", Role: "member", Password: goodPassword, PersonID: &other})
		if err != nil {
			t.Fatal(err)
		}
		if g.PersonID == nil || *g.PersonID != other {
			t.Fatalf("PersonID = %v, want explicit %s", g.PersonID, other)
		}

		// A person already linked is not linked again by email...
		e, err := svc.CreateUser(ctx, cli, accounts.NewUser{
			Email: "eve@example.com", Name: "Eve", Role: "member", Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		if e.PersonID != nil {
			t.Fatalf("Eve linked to %s although Gina holds that person", *e.PersonID)
		}
		// ...and asking for it explicitly is a conflict on person_id.
		_, err = svc.CreateUser(ctx, cli, accounts.NewUser{
			Email: "hank@example.com", Name: "Hank", Role: "member", Password: goodPassword, PersonID: &pid})
		wantFields(t, err, apperr.Conflict, "person_id")
	})
}

func TestUpdateUserLastAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		ada := createUser(t, svc, "ada@example.com", "Ada", actor.Admin)
		member, inactive := "member", false

		_, err := svc.UpdateUser(ctx, actorOf(ada), ada.ID, accounts.UserPatch{Role: &member})
		wantCode(t, err, apperr.Conflict)
		_, err = svc.UpdateUser(ctx, actorOf(ada), ada.ID, accounts.UserPatch{Active: &inactive})
		wantCode(t, err, apperr.Conflict)
		if got, _ := svc.GetUser(ctx, cli, ada.ID); got.Role != actor.Admin || !got.Active {
			t.Fatalf("after refused changes Ada = %+v, want active admin", got)
		}

		// An inactive admin does not count.
		bo := createUser(t, svc, "bo@example.com", "Bo", actor.Admin)
		if _, err := svc.UpdateUser(ctx, actorOf(ada), bo.ID, accounts.UserPatch{Active: &inactive}); err != nil {
			t.Fatalf("deactivate second admin: %v", err)
		}
		_, err = svc.UpdateUser(ctx, actorOf(ada), ada.ID, accounts.UserPatch{Role: &member})
		wantCode(t, err, apperr.Conflict)

		// With a second active admin, the first may step down.
		active := true
		if _, err := svc.UpdateUser(ctx, actorOf(ada), bo.ID, accounts.UserPatch{Active: &active}); err != nil {
			t.Fatalf("reactivate Bo: %v", err)
		}
		got, err := svc.UpdateUser(ctx, actorOf(ada), ada.ID, accounts.UserPatch{Role: &member})
		if err != nil || got.Role != actor.Member {
			t.Fatalf("demote Ada with Bo admin = %+v, %v; want member", got, err)
		}
		// Now Bo is the last one.
		_, err = svc.UpdateUser(ctx, actorOf(bo), bo.ID, accounts.UserPatch{Active: &inactive})
		wantCode(t, err, apperr.Conflict)
		// Other changes to the last admin still work.
		name := "Bo Admin"
		if got, err := svc.UpdateUser(ctx, actorOf(bo), bo.ID, accounts.UserPatch{Name: &name}); err != nil || got.Name != name {
			t.Fatalf("rename last admin = %+v, %v", got, err)
		}
	})
}

func TestUpdateUserAuditsRoleAndActive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		ada := createUser(t, svc, "ada@example.com", "Ada", actor.Admin)
		cy := createUser(t, svc, "cy@example.com", "Cy", actor.Member)

		fac := "facilitator"
		if _, err := svc.UpdateUser(ctx, actorOf(ada), cy.ID, accounts.UserPatch{Role: &fac}); err != nil {
			t.Fatal(err)
		}
		// A rename is not audited; deactivation is.
		name, off := "Cy Young", false
		if _, err := svc.UpdateUser(ctx, actorOf(ada), cy.ID, accounts.UserPatch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.UpdateUser(ctx, actorOf(ada), cy.ID, accounts.UserPatch{Active: &off}); err != nil {
			t.Fatal(err)
		}
		entries, err := audit.List(ctx, db.Gorm, "user", cy.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		want := []string{"user.created", "user.role_changed", "user.active_changed"}
		if !slices.Equal(actions, want) {
			t.Fatalf("audit actions = %v, want %v", actions, want)
		}
		rc := entries[1]
		if rc.ActorUserID == nil || *rc.ActorUserID != ada.ID {
			t.Fatalf("role change actor = %v, want %s", rc.ActorUserID, ada.ID)
		}
		var detail map[string]string
		if err := json.Unmarshal([]byte(rc.Detail), &detail); err != nil {
			t.Fatalf("detail %q: %v", rc.Detail, err)
		}
		if detail["from"] != "member" || detail["to"] != "facilitator" {
			t.Fatalf("role change detail = %v, want from member to facilitator", detail)
		}
		if entries[2].Detail != `{"active":false}` {
			t.Fatalf("active change detail = %s", entries[2].Detail)
		}
	})
}

func TestUpdateUserRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		ada := createUser(t, svc, "ada@example.com", "Ada", actor.Admin)
		cy := createUser(t, svc, "cy@example.com", "Cy", actor.Facilitator)

		name := "Hacked"
		_, err := svc.UpdateUser(ctx, actorOf(cy), cy.ID, accounts.UserPatch{Name: &name})
		wantCode(t, err, apperr.Forbidden)
		_, err = svc.GetUser(ctx, actorOf(cy), ada.ID)
		wantCode(t, err, apperr.Forbidden)
		if me, err := svc.GetUser(ctx, actorOf(cy), cy.ID); err != nil || me.Name != "Cy" {
			t.Fatalf("GetUser(self) = %+v, %v", me, err)
		}

		blank, bad, short := "  ", "root", "short"
		_, err = svc.UpdateUser(ctx, actorOf(ada), cy.ID, accounts.UserPatch{Name: &blank, Role: &bad, Password: &short})
		wantFields(t, err, apperr.Invalid, "name", "password", "role")

		_, err = svc.UpdateUser(ctx, actorOf(ada), uuid.NewString(), accounts.UserPatch{Name: &name})
		wantCode(t, err, apperr.NotFound)
		_, err = svc.UpdateUser(ctx, actorOf(ada), "nope", accounts.UserPatch{Name: &name})
		wantCode(t, err, apperr.NotFound)
		_, err = svc.GetUser(ctx, cli, "nope")
		wantCode(t, err, apperr.NotFound)

		// Linking and unlinking a person.
		pid := insertPerson(t, db, "Cy", "cy.person@example.com")
		got, err := svc.UpdateUser(ctx, actorOf(ada), cy.ID, accounts.UserPatch{PersonID: &pid})
		if err != nil || got.PersonID == nil || *got.PersonID != pid {
			t.Fatalf("link person = %+v, %v", got, err)
		}
		none := ""
		got, err = svc.UpdateUser(ctx, actorOf(ada), cy.ID, accounts.UserPatch{PersonID: &none})
		if err != nil || got.PersonID != nil {
			t.Fatalf("unlink person = %+v, %v", got, err)
		}
		missing := uuid.NewString()
		_, err = svc.UpdateUser(ctx, actorOf(ada), cy.ID, accounts.UserPatch{PersonID: &missing})
		wantFields(t, err, apperr.Invalid, "person_id")
	})
}

// Linking a person that another account already holds is a conflict on
// person_id; the patch cannot change the email, so blaming it is wrong.
func TestUpdateUserPersonAlreadyLinked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		pid := insertPerson(t, db, "Dee", "dee@example.com")
		dee := createUser(t, svc, "dee@example.com", "Dee", actor.Member)
		if dee.PersonID == nil {
			t.Fatal("Dee was not linked by email")
		}
		ed := createUser(t, svc, "ed@example.com", "Ed", actor.Member)

		_, err := svc.UpdateUser(ctx, cli, ed.ID, accounts.UserPatch{PersonID: &pid})
		wantFields(t, err, apperr.Conflict, "person_id")
		if got, _ := svc.GetUser(ctx, cli, ed.ID); got.PersonID != nil {
			t.Fatalf("Ed linked to %s after a conflict", *got.PersonID)
		}
	})
}

func TestListUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		people := []struct {
			email, name string
			role        actor.Role
		}{
			{"erin@example.com", "Erin Alvarez", actor.Member},
			{"alice@example.com", "Alice Ng", actor.Admin},
			{"dan@example.com", "Dan Li", actor.Leader},
			{"bob@example.com", "Bob Malik", actor.Facilitator},
			{"carla@corp.example", "Carla Diaz", actor.Member},
		}
		var ada accounts.User
		for _, p := range people {
			u := createUser(t, svc, p.email, p.name, p.role)
			if p.role == actor.Admin {
				ada = u
			}
		}

		var seen []string
		cursor := ""
		pages := 0
		for {
			page, next, err := svc.ListUsers(ctx, actorOf(ada), accounts.UserFilter{
				Page: pagination.Page{Limit: 2, Cursor: cursor}})
			if err != nil {
				t.Fatalf("page %d: %v", pages, err)
			}
			pages++
			if len(page) == 0 || len(page) > 2 {
				t.Fatalf("page %d has %d users", pages, len(page))
			}
			for _, u := range page {
				seen = append(seen, u.Email)
			}
			if next == "" {
				break
			}
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			cursor = next
		}
		want := []string{"alice@example.com", "bob@example.com", "carla@corp.example", "dan@example.com", "erin@example.com"}
		if pages != 3 || !slices.Equal(seen, want) {
			t.Fatalf("walked %d pages: %v; want 3 pages: %v", pages, seen, want)
		}

		emails := func(f accounts.UserFilter) []string {
			t.Helper()
			us, next, err := svc.ListUsers(ctx, actorOf(ada), f)
			if err != nil {
				t.Fatalf("ListUsers(%+v): %v", f, err)
			}
			if next != "" {
				t.Fatalf("ListUsers(%+v) has a next page", f)
			}
			var out []string
			for _, u := range us {
				out = append(out, u.Email)
			}
			return out
		}
		check := func(f accounts.UserFilter, want ...string) {
			t.Helper()
			if got := emails(f); !slices.Equal(got, want) {
				t.Fatalf("ListUsers(q=%q role=%q) = %v, want %v", f.Q, f.Role, got, want)
			}
		}
		check(accounts.UserFilter{Q: "ALI"}, "alice@example.com", "bob@example.com") // Alice, Malik
		check(accounts.UserFilter{Q: "corp.example"}, "carla@corp.example")
		check(accounts.UserFilter{Q: "  dan@  "}, "dan@example.com")
		check(accounts.UserFilter{Q: "nobody"})
		check(accounts.UserFilter{Role: "member"}, "carla@corp.example", "erin@example.com")
		// q matches Alice (admin), Bob (facilitator), Carla, Erin (members):
		// the role filter must apply to every q match.
		check(accounts.UserFilter{Q: "a", Role: "member"}, "carla@corp.example", "erin@example.com")
		check(accounts.UserFilter{Q: "ali", Role: "facilitator"}, "bob@example.com")

		_, _, err := svc.ListUsers(ctx, actorOf(ada), accounts.UserFilter{Role: "owner"})
		wantFields(t, err, apperr.Invalid, "role")
		_, _, err = svc.ListUsers(ctx, actorOf(ada), accounts.UserFilter{Page: pagination.Page{Cursor: "garbage!"}})
		wantFields(t, err, apperr.Invalid, "cursor")
		_, _, err = svc.ListUsers(ctx, actorOf(ada), accounts.UserFilter{Page: pagination.Page{Limit: 201}})
		wantFields(t, err, apperr.Invalid, "limit")

		for _, r := range []actor.Role{actor.Facilitator, actor.Member, actor.Leader} {
			_, _, err := svc.ListUsers(ctx, actor.Actor{UserID: ada.ID, Role: r}, accounts.UserFilter{})
			wantCode(t, err, apperr.Forbidden)
		}
	})
}

func TestUserByEmailAndCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		if n, err := svc.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("CountUsers = %d, %v", n, err)
		}
		for i := range 3 {
			createUser(t, svc, fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("U%d", i), actor.Member)
		}
		if n, err := svc.CountUsers(ctx); err != nil || n != 3 {
			t.Fatalf("CountUsers = %d, %v; want 3", n, err)
		}
		u, err := svc.UserByEmail(ctx, " U1@EXAMPLE.com")
		if err != nil || u.Name != "U1" {
			t.Fatalf("UserByEmail = %+v, %v", u, err)
		}
		_, err = svc.UserByEmail(ctx, "u9@example.com")
		wantCode(t, err, apperr.NotFound)
	})
}
