package accounts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

var browser = accounts.Client{IP: "192.0.2.10", UserAgent: "Mozilla/5.0"}

// ---- First-run set-up ----------------------------------------------------

func TestSetup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk)

		need, err := svc.NeedsSetup(ctx)
		if err != nil || !need {
			t.Fatalf("NeedsSetup on an empty database = %v, %v; want true", need, err)
		}
		tok, err := svc.IssueSetupToken(ctx)
		if err != nil || len(tok) < 20 {
			t.Fatalf("IssueSetupToken = %q, %v", tok, err)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM app_settings WHERE value = ?", tok); n != 0 {
			t.Fatal("the set-up token is stored in clear")
		}
		in := accounts.SetupInput{Token: tok, Email: " Root@Example.com", Name: "Root", Password: goodPassword}

		// Validation comes with field names, and does not use up the token.
		_, _, err = svc.CompleteSetup(ctx, accounts.SetupInput{Token: tok, Email: "nope", Name: " ", Password: "short"}, browser)
		wantFields(t, err, apperr.Invalid, "email", "name", "password")
		missing := in
		missing.Token = "  "
		_, _, err = svc.CompleteSetup(ctx, missing, browser)
		wantFields(t, err, apperr.Invalid, "token")

		wrong := in
		wrong.Token = tok + "x"
		_, _, err = svc.CompleteSetup(ctx, wrong, browser)
		wantCode(t, err, apperr.Forbidden)
		if need, _ := svc.NeedsSetup(ctx); !need {
			t.Fatal("a wrong set-up token created an account")
		}

		secret, sess, err := svc.CompleteSetup(ctx, in, browser)
		if err != nil {
			t.Fatalf("CompleteSetup: %v", err)
		}
		u := sess.User
		if secret == "" || sess.CSRFToken == "" || u.Email != "root@example.com" || u.Role != actor.Admin || !u.Active {
			t.Fatalf("CompleteSetup = %q, %+v; want an active admin root@example.com with a session", secret, sess)
		}
		if u.LastSignInAt == nil || !u.LastSignInAt.Equal(clk.Now()) {
			t.Fatalf("LastSignInAt = %v, want %v", u.LastSignInAt, clk.Now())
		}
		auth, err := svc.AuthenticateSession(ctx, secret)
		if err != nil {
			t.Fatalf("AuthenticateSession after set-up: %v", err)
		}
		if auth.Actor.UserID != u.ID || auth.Actor.Role != actor.Admin || auth.CSRFToken != sess.CSRFToken {
			t.Fatalf("AuthenticateSession = %+v; want admin %s with CSRF %q", auth, u.ID, sess.CSRFToken)
		}
		if need, _ := svc.NeedsSetup(ctx); need {
			t.Fatal("NeedsSetup still true after set-up")
		}
		// The password works for a normal sign-in.
		signIn(t, svc, "root@example.com", goodPassword, "192.0.2.11")

		// Single use: the same token, or any other attempt, is now refused.
		again := in
		again.Email = "second@example.com"
		_, _, err = svc.CompleteSetup(ctx, again, browser)
		wantCode(t, err, apperr.Conflict)
		if tok2, err := svc.IssueSetupToken(ctx); err != nil || tok2 != "" {
			t.Fatalf("IssueSetupToken with users = %q, %v; want empty", tok2, err)
		}
		if n, _ := svc.CountUsers(ctx); n != 1 {
			t.Fatalf("CountUsers = %d, want 1", n)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM app_settings WHERE key = ?", "setup_token_sha256"); n != 0 {
			t.Fatalf("%d set-up tokens left after set-up, want 0", n)
		}
	})
}

func TestSetupTokenReplacedByNewOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		first, err := svc.IssueSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		second, err := svc.IssueSetupToken(ctx)
		if err != nil || second == "" || second == first {
			t.Fatalf("second IssueSetupToken = %q, %v; want a new token", second, err)
		}
		in := accounts.SetupInput{Token: first, Email: "root@example.com", Name: "Root", Password: goodPassword}
		_, _, err = svc.CompleteSetup(ctx, in, browser)
		wantCode(t, err, apperr.Forbidden)
		in.Token = " " + second + " "
		if _, _, err := svc.CompleteSetup(ctx, in, browser); err != nil {
			t.Fatalf("CompleteSetup with the newest token: %v", err)
		}
	})
}

func TestSetupRefusedWhenUsersExist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		tok, err := svc.IssueSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The CLI created an admin in the meantime.
		createUser(t, svc, "cli@example.com", "CLI Admin", actor.Admin)
		_, _, err = svc.CompleteSetup(ctx, accounts.SetupInput{Token: tok, Email: "web@example.com", Name: "Web", Password: goodPassword}, browser)
		wantCode(t, err, apperr.Conflict)
		if n, _ := svc.CountUsers(ctx); n != 1 {
			t.Fatalf("CountUsers = %d, want 1", n)
		}
	})
}

// ---- Sign-in ---------------------------------------------------------------

func TestSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk)
		insertPerson(t, db, "Ann", "ann@example.com") // a different email: no link
		ann := createUser(t, svc, "ann.user@example.com", "Ann", actor.Facilitator)

		clk.Advance(time.Hour)
		secret, sess := signIn(t, svc, "  ANN.user@example.com ", goodPassword, browser.IP)
		if sess.User.ID != ann.ID || sess.CSRFToken == "" || sess.User.LastSignInAt == nil ||
			!sess.User.LastSignInAt.Equal(clk.Now()) {
			t.Fatalf("SignIn session = %+v; want Ann, CSRF token, LastSignInAt %v", sess, clk.Now())
		}
		if sess.User.PersonID != nil {
			t.Fatalf("linked to person %s with a different email", *sess.User.PersonID)
		}
		if got, _ := svc.GetUser(ctx, cli, ann.ID); got.LastSignInAt == nil || !got.LastSignInAt.Equal(clk.Now()) {
			t.Fatalf("stored LastSignInAt = %v, want %v", got.LastSignInAt, clk.Now())
		}
		// The cookie secret is not what the database stores.
		if n := countRows(t, db, "SELECT COUNT(*) FROM sessions WHERE id = ?", secret); n != 0 {
			t.Fatal("session secret stored in clear")
		}
		var ip, ua string
		if err := db.Gorm.Raw("SELECT ip, user_agent FROM sessions WHERE user_id = ?", ann.ID).Row().Scan(&ip, &ua); err != nil {
			t.Fatal(err)
		}
		if ip != browser.IP || ua != "test" {
			t.Fatalf("session ip, user agent = %q, %q", ip, ua)
		}
		// Two sign-ins are two sessions with their own CSRF tokens.
		secret2, sess2 := signIn(t, svc, "ann.user@example.com", goodPassword, browser.IP)
		if secret2 == secret || sess2.CSRFToken == sess.CSRFToken {
			t.Fatal("two sign-ins share a secret or CSRF token")
		}

		// Missing input is invalid, with field names.
		_, _, err := svc.SignIn(ctx, " ", "", browser)
		wantFields(t, err, apperr.Invalid, "email", "password")

		// A person added after the account is linked at the next sign-in.
		late := insertPerson(t, db, "Ann Late", "ann.user@example.com")
		_, sess3 := signIn(t, svc, "ann.user@example.com", goodPassword, browser.IP)
		if sess3.User.PersonID == nil || *sess3.User.PersonID != late {
			t.Fatalf("PersonID after sign-in = %v, want %s", sess3.User.PersonID, late)
		}
		auth, err := svc.AuthenticateSession(ctx, secret)
		if err != nil || auth.Actor.PersonID != late {
			t.Fatalf("actor PersonID = %+v, %v; want %s", auth.Actor, err, late)
		}
	})
}

func TestSignInFailuresLookAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		createUser(t, svc, "bea@example.com", "Bea", actor.Member)
		off := createUser(t, svc, "off@example.com", "Off", actor.Member)
		inactive := false
		if _, err := svc.UpdateUser(ctx, cli, off.ID, accounts.UserPatch{Active: &inactive}); err != nil {
			t.Fatal(err)
		}

		var msgs []string
		for _, c := range []struct{ email, pw string }{
			{"bea@example.com", "wrong password!"},
			{"nobody@example.com", goodPassword},
			{"off@example.com", goodPassword},
		} {
			secret, _, err := svc.SignIn(ctx, c.email, c.pw, accounts.Client{IP: "198.51.100.1"})
			wantCode(t, err, apperr.Unauthenticated)
			if secret != "" {
				t.Fatalf("failed sign-in for %s returned a secret", c.email)
			}
			if !accounts.IsUnauthenticated(err) {
				t.Fatalf("IsUnauthenticated(%v) = false", err)
			}
			msgs = append(msgs, err.Error())
		}
		if msgs[0] != msgs[1] || msgs[1] != msgs[2] {
			t.Fatalf("failure messages differ, which tells accounts apart: %q", msgs)
		}
		if strings.Contains(strings.ToLower(msgs[0]), "unknown") || strings.Contains(msgs[0], "nobody") {
			t.Fatalf("failure message leaks detail: %q", msgs[0])
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM sessions"); n != 0 {
			t.Fatalf("%d sessions after failed sign-ins", n)
		}
	})
}

func limitOpts(o *accounts.Options) {
	o.SignInLimit = 3
	o.SignInWindow = 15 * time.Minute
}

// ip returns a distinct address per call so a test can keep the address
// limit out of the way.
func ipFor(i int) string { return fmt.Sprintf("203.0.113.%d", i) }

func TestSignInAccountLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, limitOpts)
		createUser(t, svc, "cat@example.com", "Cat", actor.Member)

		for i := range 3 {
			_, _, err := svc.SignIn(ctx, "cat@example.com", "not the password", accounts.Client{IP: ipFor(i)})
			wantCode(t, err, apperr.Unauthenticated)
			clk.Advance(time.Minute)
		}
		// Three failures at t0, t0+1m, t0+2m; now t0+3m. The oldest leaves
		// the window at t0+15m, 12 minutes from now.
		_, _, err := svc.SignIn(ctx, "CAT@example.com", goodPassword, accounts.Client{IP: ipFor(10)})
		e := wantCode(t, err, apperr.TooManyRequests)
		if e.RetryAfter != 720 {
			t.Fatalf("RetryAfter = %d, want 720", e.RetryAfter)
		}
		if !strings.Contains(e.Message, "12 minutes") {
			t.Fatalf("message %q does not say 12 minutes", e.Message)
		}
		// Refused attempts do not extend the lock-out.
		_, _, err = svc.SignIn(ctx, "cat@example.com", "still wrong", accounts.Client{IP: ipFor(11)})
		wantCode(t, err, apperr.TooManyRequests)

		clk.Advance(720*time.Second - time.Second)
		_, _, err = svc.SignIn(ctx, "cat@example.com", goodPassword, accounts.Client{IP: ipFor(12)})
		if e := wantCode(t, err, apperr.TooManyRequests); e.RetryAfter != 1 {
			t.Fatalf("RetryAfter one second before the window = %d, want 1", e.RetryAfter)
		}
		clk.Advance(time.Second)
		signIn(t, svc, "cat@example.com", goodPassword, ipFor(13))
	})
}

func TestSignInAddressLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, limitOpts)
		createUser(t, svc, "dee@example.com", "Dee", actor.Member)
		const attacker = "198.51.100.66"

		for i := range 3 {
			_, _, err := svc.SignIn(ctx, fmt.Sprintf("guess%d@example.com", i), "password123", accounts.Client{IP: attacker})
			wantCode(t, err, apperr.Unauthenticated)
		}
		_, _, err := svc.SignIn(ctx, "dee@example.com", goodPassword, accounts.Client{IP: attacker})
		if e := wantCode(t, err, apperr.TooManyRequests); e.RetryAfter != 900 {
			t.Fatalf("RetryAfter = %d, want 900", e.RetryAfter)
		}
		// Another address is not affected, nor is the account.
		signIn(t, svc, "dee@example.com", goodPassword, "198.51.100.67")

		clk.Advance(15 * time.Minute)
		signIn(t, svc, "dee@example.com", goodPassword, attacker)
	})
}

// A right password clears the account's failures, but not the address's:
// one good sign-in must not let an address go on guessing other accounts.
func TestSignInSuccessClearsAccountNotAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock(), limitOpts)
		createUser(t, svc, "eli@example.com", "Eli", actor.Member)
		createUser(t, svc, "fay@example.com", "Fay", actor.Member)
		const home = "192.0.2.50"
		fail := func(email, ip string) {
			t.Helper()
			_, _, err := svc.SignIn(ctx, email, "wrong wrong wrong", accounts.Client{IP: ip})
			wantCode(t, err, apperr.Unauthenticated)
		}

		fail("eli@example.com", home)
		fail("eli@example.com", home)
		signIn(t, svc, "eli@example.com", goodPassword, home) // account: 0, home: 2

		// Eli's account starts again from zero: two more failures elsewhere
		// leave it under the limit.
		fail("eli@example.com", "192.0.2.51")
		fail("eli@example.com", "192.0.2.52")
		signIn(t, svc, "eli@example.com", goodPassword, "192.0.2.53")

		// The home address still carries its two failures: one more and it
		// is locked, even for a right password for another account.
		fail("fay@example.com", home)
		_, _, err := svc.SignIn(ctx, "fay@example.com", goodPassword, accounts.Client{IP: home})
		wantCode(t, err, apperr.TooManyRequests)
		signIn(t, svc, "fay@example.com", goodPassword, "192.0.2.54")
	})
}

// The limit lives in the database: a second serve process (another Service
// on the same database) sees the failures the first one counted.
func TestSignInLimitSharedAcrossServices(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		one := newService(t, db, clk, limitOpts)
		two := newService(t, db, clk, limitOpts)
		createUser(t, one, "gus@example.com", "Gus", actor.Member)

		for i := range 3 {
			_, _, err := one.SignIn(ctx, "gus@example.com", "nope nope nope", accounts.Client{IP: ipFor(i)})
			wantCode(t, err, apperr.Unauthenticated)
		}
		_, _, err := two.SignIn(ctx, "gus@example.com", goodPassword, accounts.Client{IP: ipFor(9)})
		wantCode(t, err, apperr.TooManyRequests)
		if n := countRows(t, db, "SELECT COUNT(*) FROM sign_in_attempts WHERE scope = 'account' AND key = 'gus@example.com'"); n != 3 {
			t.Fatalf("%d account attempts stored, want 3", n)
		}

		clk.Advance(16 * time.Minute)
		signIn(t, two, "gus@example.com", goodPassword, ipFor(9))
	})
}

// Old attempts are pruned as new failures are recorded.
func TestSignInAttemptsPruned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, limitOpts)
		for i := range 2 {
			_, _, _ = svc.SignIn(ctx, fmt.Sprintf("x%d@example.com", i), "whatever123", accounts.Client{IP: "192.0.2.1"})
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM sign_in_attempts"); n != 4 {
			t.Fatalf("%d attempts, want 4 (2 account + 2 address)", n)
		}
		clk.Advance(time.Hour)
		_, _, _ = svc.SignIn(ctx, "y@example.com", "whatever123", accounts.Client{})
		if n := countRows(t, db, "SELECT COUNT(*) FROM sign_in_attempts"); n != 1 {
			t.Fatalf("%d attempts after the window, want 1 (the new account attempt only)", n)
		}
	})
}

// ---- Sessions ---------------------------------------------------------------

func TestAuthenticateSessionRejectsBogusSecrets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		createUser(t, svc, "hal@example.com", "Hal", actor.Member)
		secret, _ := signIn(t, svc, "hal@example.com", goodPassword, browser.IP)

		for _, bogus := range []string{"", "x", secret + "x", strings.ToUpper(secret), strings.Repeat("a", 201)} {
			_, err := svc.AuthenticateSession(ctx, bogus)
			wantCode(t, err, apperr.Unauthenticated)
		}
		// The stored id is no cookie either.
		var id string
		if err := db.Gorm.Raw("SELECT id FROM sessions").Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		_, err := svc.AuthenticateSession(ctx, id)
		wantCode(t, err, apperr.Unauthenticated)
		// An API token is not a session.
		tok, err := svc.CreateTokenFor(ctx, "hal@example.com", "cli")
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthenticateSession(ctx, tok.Token)
		wantCode(t, err, apperr.Unauthenticated)
		_, err = svc.AuthenticateToken(ctx, secret)
		wantCode(t, err, apperr.Unauthenticated)
	})
}

func TestSessionExpiryAndSlidingRenewal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, func(o *accounts.Options) { o.SessionTTL = time.Hour })
		createUser(t, svc, "ivy@example.com", "Ivy", actor.Member)
		used, _ := signIn(t, svc, "ivy@example.com", goodPassword, browser.IP)
		idle, _ := signIn(t, svc, "ivy@example.com", goodPassword, browser.IP)
		quick, _ := signIn(t, svc, "ivy@example.com", goodPassword, browser.IP)
		start := clk.Now()

		// Used within a minute: no renewal (writes are throttled).
		clk.Advance(30 * time.Second)
		if _, err := svc.AuthenticateSession(ctx, quick); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour - 31*time.Second) // start + TTL - 1s
		if _, err := svc.AuthenticateSession(ctx, used); err != nil {
			t.Fatalf("session one second before expiry: %v", err)
		}
		clk.Advance(time.Second) // start + TTL
		_, err := svc.AuthenticateSession(ctx, idle)
		wantCode(t, err, apperr.Unauthenticated)
		_, err = svc.AuthenticateSession(ctx, quick)
		wantCode(t, err, apperr.Unauthenticated)
		// The used session slid forward to start + 2h - 1s.
		clk.Advance(time.Hour - 2*time.Second)
		if _, err := svc.AuthenticateSession(ctx, used); err != nil {
			t.Fatalf("renewed session before its new expiry: %v", err)
		}
		// That use renewed it again: it now ends an hour from now.
		var exp time.Time
		if err := db.Gorm.Raw("SELECT expires_at FROM sessions ORDER BY expires_at DESC LIMIT 1").Row().Scan(&exp); err != nil {
			t.Fatal(err)
		}
		if want := start.Add(3*time.Hour - 2*time.Second); !exp.Equal(want) {
			t.Fatalf("expires_at = %v, want %v", exp.UTC(), want)
		}
		clk.Advance(time.Hour)
		_, err = svc.AuthenticateSession(ctx, used)
		wantCode(t, err, apperr.Unauthenticated)
	})
}

func TestSignOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		createUser(t, svc, "jo@example.com", "Jo", actor.Member)
		laptop, _ := signIn(t, svc, "jo@example.com", goodPassword, browser.IP)
		phone, _ := signIn(t, svc, "jo@example.com", goodPassword, browser.IP)

		if err := svc.SignOut(ctx, laptop); err != nil {
			t.Fatal(err)
		}
		_, err := svc.AuthenticateSession(ctx, laptop)
		wantCode(t, err, apperr.Unauthenticated)
		if _, err := svc.AuthenticateSession(ctx, phone); err != nil {
			t.Fatalf("signing out one session ended another: %v", err)
		}
		// Signing out twice, or with nonsense, is harmless.
		if err := svc.SignOut(ctx, laptop); err != nil {
			t.Fatal(err)
		}
		if err := svc.SignOut(ctx, ""); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM sessions"); n != 1 {
			t.Fatalf("%d sessions, want 1", n)
		}
	})
}

func TestDeactivationEndsSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		kim := createUser(t, svc, "kim@example.com", "Kim", actor.Facilitator)
		createUser(t, svc, "lou@example.com", "Lou", actor.Member)
		s1, _ := signIn(t, svc, "kim@example.com", goodPassword, browser.IP)
		s2, _ := signIn(t, svc, "kim@example.com", goodPassword, browser.IP)
		other, _ := signIn(t, svc, "lou@example.com", goodPassword, browser.IP)

		off, on := false, true
		if u, err := svc.UpdateUser(ctx, cli, kim.ID, accounts.UserPatch{Active: &off}); err != nil || u.Active {
			t.Fatalf("deactivate = %+v, %v", u, err)
		}
		for _, s := range []string{s1, s2} {
			_, err := svc.AuthenticateSession(ctx, s)
			wantCode(t, err, apperr.Unauthenticated)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", kim.ID); n != 0 {
			t.Fatalf("%d sessions left for a deactivated user", n)
		}
		if _, err := svc.AuthenticateSession(ctx, other); err != nil {
			t.Fatalf("another user's session ended: %v", err)
		}
		// Reactivating does not bring old sessions back; signing in works.
		if _, err := svc.UpdateUser(ctx, cli, kim.ID, accounts.UserPatch{Active: &on}); err != nil {
			t.Fatal(err)
		}
		_, err := svc.AuthenticateSession(ctx, s1)
		wantCode(t, err, apperr.Unauthenticated)
		signIn(t, svc, "kim@example.com", goodPassword, browser.IP)
	})
}

func TestPasswordResetEndsSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		mo := createUser(t, svc, "mo@example.com", "Mo", actor.Member)
		old, _ := signIn(t, svc, "mo@example.com", goodPassword, browser.IP)

		newPW := "a much better passphrase"
		if _, err := svc.UpdateUser(ctx, cli, mo.ID, accounts.UserPatch{Password: &newPW}); err != nil {
			t.Fatal(err)
		}
		_, err := svc.AuthenticateSession(ctx, old)
		wantCode(t, err, apperr.Unauthenticated)
		_, _, err = svc.SignIn(ctx, "mo@example.com", goodPassword, browser)
		wantCode(t, err, apperr.Unauthenticated)
		signIn(t, svc, "mo@example.com", newPW, browser.IP)

		// A change that is neither keeps sessions open.
		s, _ := signIn(t, svc, "mo@example.com", newPW, browser.IP)
		name := "Mo Salah"
		if _, err := svc.UpdateUser(ctx, cli, mo.ID, accounts.UserPatch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		auth, err := svc.AuthenticateSession(ctx, s)
		if err != nil || auth.Actor.Name != name {
			t.Fatalf("session after rename = %+v, %v; want name %q", auth.Actor, err, name)
		}
	})
}

// A role change takes effect on the next request of an open session.
func TestSessionSeesCurrentRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		ned := createUser(t, svc, "ned@example.com", "Ned", actor.Facilitator)
		s, _ := signIn(t, svc, "ned@example.com", goodPassword, browser.IP)
		leader := "leader"
		if _, err := svc.UpdateUser(ctx, cli, ned.ID, accounts.UserPatch{Role: &leader}); err != nil {
			t.Fatal(err)
		}
		auth, err := svc.AuthenticateSession(ctx, s)
		if err != nil || auth.Actor.Role != actor.Leader || auth.SessionID == "" {
			t.Fatalf("AuthenticateSession = %+v, %v; want role leader", auth, err)
		}
		me, err := svc.Me(ctx, auth)
		if err != nil || me.User.Role != actor.Leader || me.CSRFToken != auth.CSRFToken {
			t.Fatalf("Me = %+v, %v", me, err)
		}
	})
}

// ---- API tokens ---------------------------------------------------------------

func TestTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk)
		ola := createUser(t, svc, "ola@example.com", "Ola", actor.Facilitator)

		nt, err := svc.CreateToken(ctx, actorOf(ola), "  ci script  ")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(nt.Token, "dbf_") || len(nt.Token) < 40 {
			t.Fatalf("token %q does not look like dbf_ + 32 random bytes", nt.Token)
		}
		at := nt.APIToken
		if at.Name != "ci script" || at.Prefix != nt.Token[:10] || !at.CreatedAt.Equal(clk.Now()) ||
			at.LastUsedAt != nil || at.RevokedAt != nil {
			t.Fatalf("APIToken = %+v", at)
		}

		// Stored hashed: nothing in the row is, or contains, the secret.
		var hash, prefix string
		if err := db.Gorm.Raw("SELECT token_hash, prefix FROM api_tokens WHERE id = ?", at.ID).Row().Scan(&hash, &prefix); err != nil {
			t.Fatal(err)
		}
		if hash == "" || hash == nt.Token || strings.Contains(hash, nt.Token[4:]) || strings.Contains(nt.Token, hash) {
			t.Fatalf("token_hash %q reveals the secret %q", hash, nt.Token)
		}
		if len(prefix) >= len(nt.Token)/2 {
			t.Fatalf("stored prefix %q is too much of the secret", prefix)
		}

		clk.Advance(time.Hour)
		auth, err := svc.AuthenticateToken(ctx, nt.Token)
		if err != nil {
			t.Fatalf("AuthenticateToken: %v", err)
		}
		if auth.Actor.UserID != ola.ID || auth.Actor.Role != actor.Facilitator || auth.CSRFToken != "" || auth.SessionID != "" {
			t.Fatalf("AuthenticateToken = %+v; want Ola without CSRF/session", auth)
		}
		used := clk.Now()
		list, err := svc.ListTokens(ctx, actorOf(ola))
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(used) {
			t.Fatalf("ListTokens = %+v, %v; want last_used_at %v", list, err, used)
		}
		// Touched at most once a minute.
		clk.Advance(30 * time.Second)
		if _, err := svc.AuthenticateToken(ctx, nt.Token); err != nil {
			t.Fatal(err)
		}
		list, _ = svc.ListTokens(ctx, actorOf(ola))
		if !list[0].LastUsedAt.Equal(used) {
			t.Fatalf("last_used_at = %v after 30 s, want still %v", list[0].LastUsedAt, used)
		}
		clk.Advance(time.Minute)
		if _, err := svc.AuthenticateToken(ctx, nt.Token); err != nil {
			t.Fatal(err)
		}
		list, _ = svc.ListTokens(ctx, actorOf(ola))
		if !list[0].LastUsedAt.Equal(clk.Now()) {
			t.Fatalf("last_used_at = %v, want %v", list[0].LastUsedAt, clk.Now())
		}

		for _, bogus := range []string{"", "dbf_", "dbf_nope", strings.TrimPrefix(nt.Token, "dbf_"), nt.Token + "x", "dbf_" + strings.Repeat("a", 200)} {
			_, err := svc.AuthenticateToken(ctx, bogus)
			wantCode(t, err, apperr.Unauthenticated)
		}

		// Revoke; revoking again is fine.
		if err := svc.RevokeToken(ctx, actorOf(ola), at.ID); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthenticateToken(ctx, nt.Token)
		wantCode(t, err, apperr.Unauthenticated)
		if err := svc.RevokeToken(ctx, actorOf(ola), at.ID); err != nil {
			t.Fatalf("second revoke: %v", err)
		}
		list, _ = svc.ListTokens(ctx, actorOf(ola))
		if len(list) != 1 || list[0].RevokedAt == nil || !list[0].RevokedAt.Equal(clk.Now()) {
			t.Fatalf("ListTokens after revoke = %+v; want revoked_at %v", list, clk.Now())
		}
	})
}

func TestTokenNameValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		u := createUser(t, svc, "pat@example.com", "Pat", actor.Member)
		for _, name := range []string{"", "   ", strings.Repeat("n", 101)} {
			_, err := svc.CreateToken(ctx, actorOf(u), name)
			wantFields(t, err, apperr.Invalid, "name")
		}
		if _, err := svc.CreateToken(ctx, actorOf(u), strings.Repeat("é", 100)); err != nil {
			t.Fatalf("100-rune name refused: %v", err)
		}
		_, err := svc.CreateTokenFor(ctx, "ghost@example.com", "x")
		wantCode(t, err, apperr.NotFound)
	})
}

func TestTokensBelongToTheirOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk)
		quinn := createUser(t, svc, "quinn@example.com", "Quinn", actor.Admin)
		ray := createUser(t, svc, "ray@example.com", "Ray", actor.Member)

		q1, err := svc.CreateToken(ctx, actorOf(quinn), "first")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Second)
		q2, err := svc.CreateToken(ctx, actorOf(quinn), "second")
		if err != nil {
			t.Fatal(err)
		}
		r1, err := svc.CreateTokenFor(ctx, "RAY@example.com", "ray's")
		if err != nil {
			t.Fatal(err)
		}

		list, err := svc.ListTokens(ctx, actorOf(quinn))
		if err != nil || len(list) != 2 || list[0].ID != q2.APIToken.ID || list[1].ID != q1.APIToken.ID {
			t.Fatalf("Quinn's tokens = %+v, %v; want second then first", list, err)
		}
		list, err = svc.ListTokens(ctx, actorOf(ray))
		if err != nil || len(list) != 1 || list[0].ID != r1.APIToken.ID {
			t.Fatalf("Ray's tokens = %+v, %v", list, err)
		}

		// Not even an admin revokes someone else's token through this call.
		err = svc.RevokeToken(ctx, actorOf(quinn), r1.APIToken.ID)
		wantCode(t, err, apperr.NotFound)
		err = svc.RevokeToken(ctx, actorOf(ray), q1.APIToken.ID)
		wantCode(t, err, apperr.NotFound)
		for _, tok := range []string{q1.Token, q2.Token, r1.Token} {
			if _, err := svc.AuthenticateToken(ctx, tok); err != nil {
				t.Fatalf("token revoked by someone else: %v", err)
			}
		}
		if auth, _ := svc.AuthenticateToken(ctx, r1.Token); auth.Actor.UserID != ray.ID {
			t.Fatalf("Ray's token authenticates as %s", auth.Actor.UserID)
		}
	})
}

// An id that is not a uuid names no token: NotFound on both dialects.
func TestRevokeTokenMalformedID(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		u := createUser(t, svc, "sid@example.com", "Sid", actor.Member)
		err := svc.RevokeToken(ctx, actorOf(u), "not-a-token-id")
		wantCode(t, err, apperr.NotFound)
	})
}

func TestTokenOfDeactivatedUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		createUser(t, svc, "admin@example.com", "Admin", actor.Admin)
		tia := createUser(t, svc, "tia@example.com", "Tia", actor.Facilitator)
		nt, err := svc.CreateToken(ctx, actorOf(tia), "bot")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AuthenticateToken(ctx, nt.Token); err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := svc.UpdateUser(ctx, cli, tia.ID, accounts.UserPatch{Active: &off}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthenticateToken(ctx, nt.Token)
		wantCode(t, err, apperr.Unauthenticated)
	})
}
