package accounts_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

func oidcSubject(t *testing.T, db *database.DB, userID string) string {
	t.Helper()
	var s *string
	if err := db.Gorm.Raw("SELECT oidc_subject FROM users WHERE id = ?", userID).Scan(&s).Error; err != nil {
		t.Fatalf("read oidc_subject: %v", err)
	}
	if s == nil {
		return ""
	}
	return *s
}

func TestSignInExternal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk)
		pid := insertPerson(t, db, "Priya", "priya@example.com")
		u := createUser(t, svc, "priya@example.com", "Priya", actor.Member)
		if u.PersonID == nil || *u.PersonID != pid {
			t.Fatalf("user not linked to person: %+v", u)
		}
		if got := oidcSubject(t, db, u.ID); got != "" {
			t.Fatalf("new user has subject %q", got)
		}

		// First sign-in: the subject is recorded, a session opens.
		secret, sess, err := svc.SignInExternal(ctx, " Priya@Example.com ", "google-sub-1", browser)
		if err != nil {
			t.Fatalf("SignInExternal: %v", err)
		}
		if secret == "" || sess.CSRFToken == "" || sess.User.ID != u.ID || sess.User.LastSignInAt == nil {
			t.Fatalf("session = %+v", sess)
		}
		if got := oidcSubject(t, db, u.ID); got != "google-sub-1" {
			t.Fatalf("subject recorded as %q", got)
		}
		a, err := svc.AuthenticateSession(ctx, secret)
		if err != nil || a.Actor.UserID != u.ID || a.Actor.PersonID != pid {
			t.Fatalf("AuthenticateSession = %+v, %v", a, err)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM audit_entries WHERE action = ? AND subject_id = ?", "user.oidc_linked", u.ID); n != 1 {
			t.Fatalf("%d link audit entries, want 1", n)
		}

		// The same subject again: fine, and not audited again.
		if _, _, err := svc.SignInExternal(ctx, "priya@example.com", "google-sub-1", browser); err != nil {
			t.Fatalf("second sign-in: %v", err)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM audit_entries WHERE action = ?", "user.oidc_linked"); n != 1 {
			t.Fatalf("%d link audit entries after a second sign-in, want 1", n)
		}

		// Another account at the provider with the same address: refused,
		// and the recorded subject stays.
		_, _, err = svc.SignInExternal(ctx, "priya@example.com", "google-sub-2", browser)
		e := wantCode(t, err, apperr.Unauthenticated)
		if !strings.Contains(e.Message, "different account at the identity provider") {
			t.Fatalf("message = %q", e.Message)
		}
		if got := oidcSubject(t, db, u.ID); got != "google-sub-1" {
			t.Fatalf("subject changed to %q", got)
		}

		// The password still works beside it.
		signIn(t, svc, "priya@example.com", goodPassword, "192.0.2.99")

		// No account: no self-registration, and the message says what to do.
		_, _, err = svc.SignInExternal(ctx, "newcomer@example.com", "google-sub-3", browser)
		e = wantCode(t, err, apperr.Unauthenticated)
		if e.Message != "no Debrief account uses newcomer@example.com; ask an admin to add you" {
			t.Fatalf("message = %q", e.Message)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM users WHERE email = ?", "newcomer@example.com"); n != 0 {
			t.Fatal("an account was created")
		}

		// A subject already linked to someone else cannot sign in to a
		// second account, even one with no subject yet.
		createUser(t, svc, "omar@example.com", "Omar", actor.Member)
		_, _, err = svc.SignInExternal(ctx, "omar@example.com", "google-sub-1", browser)
		e = wantCode(t, err, apperr.Unauthenticated)
		if !strings.Contains(e.Message, "already signs in to another Debrief account") {
			t.Fatalf("message = %q", e.Message)
		}

		// A deactivated account is refused and its sessions are gone.
		if _, err := svc.UpdateUser(ctx, cli, u.ID, accounts.UserPatch{Active: new(false)}); err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.SignInExternal(ctx, "priya@example.com", "google-sub-1", browser)
		e = wantCode(t, err, apperr.Unauthenticated)
		if !strings.Contains(e.Message, "deactivated") {
			t.Fatalf("message = %q", e.Message)
		}
		if _, err := svc.AuthenticateSession(ctx, secret); !accounts.IsUnauthenticated(err) {
			t.Fatalf("session of a deactivated user: %v", err)
		}

		// Nothing to go on.
		_, _, err = svc.SignInExternal(ctx, "", "x", browser)
		wantCode(t, err, apperr.Unauthenticated)
		_, _, err = svc.SignInExternal(ctx, "omar@example.com", "", browser)
		wantCode(t, err, apperr.Unauthenticated)
	})
}

func TestSignInExternalRateLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, func(o *accounts.Options) { o.SignInLimit = 3 })
		createUser(t, svc, "ada@example.com", "Ada", actor.Admin)
		from := accounts.Client{IP: "198.51.100.7"}
		for range 3 {
			_, _, err := svc.SignInExternal(ctx, "nobody@example.com", "sub-x", from)
			wantCode(t, err, apperr.Unauthenticated)
		}
		// The address is over the limit: even a good sign-in from it waits.
		_, _, err := svc.SignInExternal(ctx, "ada@example.com", "sub-ada", from)
		e := wantCode(t, err, apperr.TooManyRequests)
		if e.RetryAfter <= 0 {
			t.Fatalf("no Retry-After: %+v", e)
		}
		// From elsewhere it works, and it clears the account's failures.
		if _, _, err := svc.SignInExternal(ctx, "ada@example.com", "sub-ada", browser); err != nil {
			t.Fatal(err)
		}
		// Wrong subjects count against the account like wrong passwords.
		for i := range 3 {
			_, _, err := svc.SignInExternal(ctx, "ada@example.com", "sub-eve", accounts.Client{IP: "203.0.113." + string(rune('1'+i))})
			wantCode(t, err, apperr.Unauthenticated)
		}
		_, _, err = svc.SignInExternal(ctx, "ada@example.com", "sub-ada", accounts.Client{IP: "203.0.113.50"})
		wantCode(t, err, apperr.TooManyRequests)
		clk.Advance(16 * time.Minute)
		if _, _, err := svc.SignInExternal(ctx, "ada@example.com", "sub-ada", accounts.Client{IP: "203.0.113.50"}); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestSignInExternalFirstUseRace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		u := createUser(t, svc, "ada@example.com", "Ada", actor.Admin)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, _, errs[i] = svc.SignInExternal(ctx, "ada@example.com", "sub-"+string(rune('a'+i)), accounts.Client{IP: "192.0.2." + string(rune('1'+i))})
			})
		}
		wg.Wait()
		won := ""
		for i, err := range errs {
			if err == nil {
				if won != "" {
					t.Fatalf("two different subjects signed in to one account: %s and sub-%c", won, 'a'+i)
				}
				won = "sub-" + string(rune('a'+i))
				continue
			}
			if c := apperr.CodeOf(err); c != apperr.Unauthenticated && c != apperr.Conflict {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if won == "" || oidcSubject(t, db, u.ID) != won {
			t.Fatalf("winner %q, recorded %q", won, oidcSubject(t, db, u.ID))
		}
	})
}
