package accounts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

func TestPasswordHashing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		a := createUser(t, svc, "uma@example.com", "Uma", actor.Member)
		b := createUser(t, svc, "vic@example.com", "Vic", actor.Member)

		ha, hb := passwordHash(t, db, a.ID), passwordHash(t, db, b.ID)
		for _, h := range []string{ha, hb} {
			if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
				t.Fatalf("stored hash %q is not argon2id with the configured parameters", h)
			}
			if parts := strings.Split(h, "$"); len(parts) != 6 || len(parts[4]) != 22 || len(parts[5]) != 43 {
				t.Fatalf("stored hash %q: want a 16-byte salt and 32-byte key in raw base64", h)
			}
			if strings.Contains(h, goodPassword) {
				t.Fatalf("stored hash %q contains the password", h)
			}
		}
		if ha == hb {
			t.Fatal("the same password hashed twice gives the same string: salts are not random")
		}
		if strings.Split(ha, "$")[4] == strings.Split(hb, "$")[4] {
			t.Fatal("two users share a salt")
		}

		// The hash verifies, and only for the right password.
		signIn(t, svc, "uma@example.com", goodPassword, "192.0.2.1")
		_, _, err := svc.SignIn(ctx, "uma@example.com", goodPassword+" ", accounts.Client{IP: "192.0.2.1"})
		wantCode(t, err, apperr.Unauthenticated)
		_, _, err = svc.SignIn(ctx, "uma@example.com", strings.ToUpper(goodPassword), accounts.Client{IP: "192.0.2.1"})
		wantCode(t, err, apperr.Unauthenticated)
	})
}

// A hash records its own cost parameters, so raising them later keeps old
// passwords working.
func TestPasswordHashKeepsItsParameters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		old := newService(t, db, clk)
		u := createUser(t, old, "wes@example.com", "Wes", actor.Member)

		stronger := newService(t, db, clk, func(o *accounts.Options) {
			o.Hash = accounts.HashParams{Memory: 2048, Time: 2, Threads: 2}
		})
		signIn(t, stronger, "wes@example.com", goodPassword, "192.0.2.2")

		pw := "reset by the stronger one"
		if _, err := stronger.UpdateUser(ctx, cli, u.ID, accounts.UserPatch{Password: &pw}); err != nil {
			t.Fatal(err)
		}
		if h := passwordHash(t, db, u.ID); !strings.HasPrefix(h, "$argon2id$v=19$m=2048,t=2,p=2$") {
			t.Fatalf("new hash %q does not use the new parameters", h)
		}
		signIn(t, old, "wes@example.com", pw, "192.0.2.2")
	})
}

// A corrupt stored hash is an internal error, never a successful sign-in.
func TestCorruptPasswordHash(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		u := createUser(t, svc, "xia@example.com", "Xia", actor.Member)
		if err := db.Gorm.Exec("UPDATE users SET password_hash = ? WHERE id = ?", "$argon2id$garbage", u.ID).Error; err != nil {
			t.Fatal(err)
		}
		secret, _, err := svc.SignIn(ctx, "xia@example.com", goodPassword, accounts.Client{IP: "192.0.2.3"})
		if err == nil || secret != "" {
			t.Fatalf("sign-in with a corrupt hash = %q, %v; want an error", secret, err)
		}
	})
}

// An account with no password (password_hash defaults to the empty string, as for an
// account meant for single sign-on) cannot be signed into with one, not
// even with the text the service hashes as its timing dummy.
func TestEmptyPasswordHashCannotSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock())
		u := createUser(t, svc, "yan@example.com", "Yan", actor.Admin)
		if err := db.Gorm.Exec("UPDATE users SET password_hash = '' WHERE id = ?", u.ID).Error; err != nil {
			t.Fatal(err)
		}
		for _, pw := range []string{goodPassword, "not a real password, used for timing"} {
			secret, _, err := svc.SignIn(ctx, "yan@example.com", pw, accounts.Client{IP: "192.0.2.3"})
			wantCode(t, err, apperr.Unauthenticated)
			if secret != "" {
				t.Fatal("a session was opened for an account without a password")
			}
		}
	})
}
