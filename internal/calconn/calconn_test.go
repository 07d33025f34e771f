package calconn_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/audit"
	"github.com/debrief-dev/debrief/internal/calconn"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

// notConnected asserts the Manager refuses calls as not connected.
func notConnected(t *testing.T, m *calconn.Manager) {
	t.Helper()
	if m.Connected() || m.Organizer() != "" {
		t.Fatal("manager says it is connected")
	}
	now := time.Now()
	_, err := m.FreeBusy(context.Background(), []string{organizer}, now, now.Add(time.Hour))
	if calendar.KindOf(err) != calendar.Permanent || !errors.Is(err, calconn.ErrNotConnected) ||
		!strings.Contains(err.Error(), "Google Calendar is not connected") {
		t.Fatalf("FreeBusy while not connected: %v (kind %v)", err, calendar.KindOf(err))
	}
	if _, err := m.Create(context.Background(), calendar.Event{ID: "dbf00001"}); !errors.Is(err, calconn.ErrNotConnected) {
		t.Fatalf("Create while not connected: %v", err)
	}
	if err := m.Cancel(context.Background(), organizer, "dbf00001"); calendar.KindOf(err) != calendar.Permanent {
		t.Fatalf("Cancel while not connected: %v", err)
	}
}

func TestServiceAccountConnection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		svc := f.service(nil)
		m := svc.Manager()
		if m.Name() != "google" {
			t.Fatalf("name %q", m.Name())
		}
		// Another serve process on the same database, re-reading often.
		other := f.service(func(c *calconn.Config) { c.RefreshInterval = time.Millisecond })

		st, err := svc.Status(f.ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		if st.Connected || st.Source != calconn.SourceNone || !st.CanSave || !st.OAuthAvailable || st.ReadOnly {
			t.Fatalf("initial status %+v", st)
		}
		notConnected(t, m)
		if _, err := svc.Test(f.ctx, f.admin); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("test while not connected: %v", err)
		}

		st, err = svc.ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), "Organizer@Example.test", "hangoutsMeet")
		if err != nil {
			t.Fatal(err)
		}
		if !st.Connected || st.Source != calconn.SourceSettings || st.Kind != calconn.KindServiceAccount ||
			st.Organizer != organizer || st.Conference != "hangoutsMeet" ||
			st.ServiceAccountEmail != "debrief@debrief-test.iam.gserviceaccount.com" || st.ServiceAccountClientID != "1234567890" ||
			st.ConnectedBy == nil || st.ConnectedBy.ID != f.admin.UserID || st.ConnectedAt == nil || st.LastTest != nil {
			t.Fatalf("status after connect %+v", st)
		}
		f.noSecrets("status", jsonOf(t, st))
		f.noSecrets("app_settings", f.storedValues())

		// The Manager follows at once, and calls act as the organizer.
		if !m.Connected() || m.Organizer() != organizer {
			t.Fatal("manager did not switch to the new connection")
		}
		day := time.Now().UTC().Truncate(time.Hour).Add(3 * time.Hour)
		f.fake.SetBusy(organizer, calendartest.Interval{Start: day, End: day.Add(time.Hour)})
		got, err := m.FreeBusy(f.ctx, []string{organizer}, day.Add(-time.Hour), day.Add(5*time.Hour))
		if err != nil || got[organizer].Err != nil || len(got[organizer].Busy) != 1 {
			t.Fatalf("FreeBusy after connect: %+v %v", got, err)
		}

		res, err := svc.Test(f.ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK || !strings.Contains(res.Message, "1 busy period") || res.At.IsZero() || res.LatencyMS < 0 {
			t.Fatalf("test result %+v", res)
		}
		grants := f.fake.TokenGrants()
		if len(grants) < 2 {
			t.Fatalf("want a token for the manager and one for the test, got %d", len(grants))
		}
		for _, g := range grants {
			if g.Subject != organizer || g.Issuer != "debrief@debrief-test.iam.gserviceaccount.com" || !strings.Contains(g.Scope, "auth/calendar") {
				t.Fatalf("grant %+v does not act as the organizer", g)
			}
		}
		for _, r := range f.fake.Requests() {
			if r.Op == calendartest.OpFreeBusy && (r.Subject != organizer || r.Status != 200) {
				t.Fatalf("free/busy request %+v", r)
			}
		}
		st, _ = svc.Status(f.ctx, f.admin)
		if st.LastTest == nil || !st.LastTest.OK || st.LastTest.Message != res.Message {
			t.Fatalf("status keeps no last test: %+v", st.LastTest)
		}

		// The other process sees the connection too.
		if !other.Manager().Connected() || other.Manager().Organizer() != organizer {
			t.Fatal("the other process does not see the connection")
		}

		if err := svc.Disconnect(f.ctx, f.admin); err != nil {
			t.Fatal(err)
		}
		notConnected(t, m)
		time.Sleep(5 * time.Millisecond)
		notConnected(t, other.Manager())
		if err := svc.Disconnect(f.ctx, f.admin); err != nil {
			t.Fatalf("disconnecting twice: %v", err)
		}
		st, _ = svc.Status(f.ctx, f.admin)
		if st.Connected || st.Source != calconn.SourceNone || st.LastTest != nil {
			t.Fatalf("status after disconnect %+v", st)
		}

		entries, err := audit.List(f.ctx, db.Gorm, "settings", "google.connection")
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
			if e.ActorUserID == nil || *e.ActorUserID != f.admin.UserID {
				t.Fatalf("audit entry %+v not by the admin", e)
			}
			f.noSecrets("audit", e.Detail)
		}
		if !slices.Equal(actions, []string{calconn.AuditConnected, calconn.AuditDisconnected}) {
			t.Fatalf("audit %v", actions)
		}
		f.noSecrets("logs", f.logs.String())
		if !strings.Contains(f.logs.String(), "google calendar: connected") {
			t.Fatalf("no log of the connection:\n%s", f.logs.String())
		}
	})
}

func TestBadServiceAccountKey(t *testing.T) {
	f := newFixture(t, dbtest.New(t, config.SQLite))
	svc := f.service(nil)
	set := func(k, v string) func(map[string]string) { return func(m map[string]string) { m[k] = v } }
	cases := []struct {
		name       string
		key        []byte
		organizer  string
		conference string
		fields     []string
	}{
		{"empty", nil, organizer, "", []string{"key"}},
		{"not JSON", []byte("-----BEGIN PRIVATE KEY-----"), organizer, "", []string{"key"}},
		{"OAuth client file", f.saKey(set("type", "authorized_user")), organizer, "", []string{"key.type"}},
		{"no client_email", f.saKey(set("client_email", "")), organizer, "", []string{"key.client_email"}},
		{"no private key", f.saKey(set("private_key", "")), organizer, "", []string{"key.private_key"}},
		{"garbled private key", f.saKey(set("private_key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")), organizer, "", []string{"key.private_key"}},
		{"no token_uri", f.saKey(set("token_uri", "")), organizer, "", []string{"key.token_uri"}},
		{"plain http token_uri", f.saKey(set("token_uri", "http://tokens.example.com/token")), organizer, "", []string{"key.token_uri"}},
		{"bad organizer", f.saKey(nil), "Organizer <organizer@example.test>", "", []string{"organizer"}},
		{"no organizer", f.saKey(nil), "", "", []string{"organizer"}},
		{"bad conference", f.saKey(nil), organizer, "zoom", []string{"conference"}},
		{"everything", f.saKey(func(m map[string]string) { m["type"] = "x"; m["private_key"] = "" }), "nobody", "zoom",
			[]string{"key.type", "key.private_key", "organizer", "conference"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := svc.ConnectServiceAccount(f.ctx, f.admin, c.key, c.organizer, c.conference)
			ae := wantCode(t, err, apperr.Invalid)
			if got := fieldsOf(err); !slices.Equal(got, c.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, c.fields, ae)
			}
			f.noSecrets("error", jsonOf(t, ae.Fields)+ae.Error())
		})
	}
	if st, _ := svc.Status(f.ctx, f.admin); st.Connected || st.Source != calconn.SourceNone {
		t.Fatalf("a refused key was saved: %+v", st)
	}
}

func TestOAuthConnection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		svc := f.service(nil)
		m := svc.Manager()

		authURL, err := svc.StartOAuth(f.ctx, f.admin, callbackURL, "hangoutsMeet")
		if err != nil {
			t.Fatal(err)
		}
		u := mustURL(t, authURL)
		q := u.Query()
		for k, want := range map[string]string{
			"response_type": "code", "client_id": "debrief-web.apps.example", "redirect_uri": callbackURL,
			"access_type": "offline", "prompt": "consent", "code_challenge_method": "S256", "login_hint": f.admin.Email,
			"scope": "https://www.googleapis.com/auth/calendar openid email",
		} {
			if q.Get(k) != want {
				t.Fatalf("auth URL %s=%q, want %q", k, q.Get(k), want)
			}
		}
		if !strings.HasPrefix(authURL, f.base+"/o/oauth2/auth?") || len(q.Get("state")) < 20 || len(q.Get("code_challenge")) != 43 {
			t.Fatalf("auth URL %s", authURL)
		}
		// The state and the verifier are not stored in the clear.
		if vals := f.storedValues(); strings.Contains(vals, q.Get("state")) {
			t.Fatal("the state is stored in the clear")
		}

		back := f.consent(authURL)
		if back.Get("state") != q.Get("state") || back.Get("code") == "" {
			t.Fatalf("callback query %v", back)
		}
		// A non-admin cannot finish it (and does not use it up).
		_, err = svc.FinishOAuth(f.ctx, f.staff, back.Get("state"), back.Get("code"))
		wantCode(t, err, apperr.Forbidden)
		st, err := svc.FinishOAuth(f.ctx, f.admin, back.Get("state"), back.Get("code"))
		if err != nil {
			t.Fatal(err)
		}
		if !st.Connected || st.Kind != calconn.KindOAuth || st.Organizer != f.admin.Email || st.Source != calconn.SourceSettings ||
			st.Conference != "hangoutsMeet" || st.ConnectedBy == nil || st.ConnectedBy.Email != f.admin.Email {
			t.Fatalf("status after consent %+v", st)
		}
		f.noSecrets("status", jsonOf(t, st))
		f.noSecrets("app_settings", f.storedValues())
		if !m.Connected() || m.Organizer() != f.admin.Email {
			t.Fatal("manager did not switch to the consent")
		}
		// The callback cannot be replayed.
		_, err = svc.FinishOAuth(f.ctx, f.admin, back.Get("state"), back.Get("code"))
		wantCode(t, err, apperr.Invalid)

		res, err := svc.Test(f.ctx, f.admin)
		if err != nil || !res.OK {
			t.Fatalf("test: %+v %v", res, err)
		}
		var refreshed bool
		for _, g := range f.fake.TokenGrants() {
			if g.GrantType == "refresh_token" {
				refreshed = true
				if g.Subject != f.admin.Email || g.ClientID != "debrief-web.apps.example" {
					t.Fatalf("refresh grant %+v", g)
				}
			}
		}
		if !refreshed {
			t.Fatal("the test did not use the refresh token")
		}
		for _, r := range f.fake.Requests() {
			if r.Op == calendartest.OpFreeBusy && r.Subject != f.admin.Email {
				t.Fatalf("free/busy as %q", r.Subject)
			}
		}
		f.noSecrets("logs", f.logs.String())

		// Another admin's consent replaces it.
		authURL, err = svc.StartOAuth(f.ctx, f.admin2, callbackURL, "")
		if err != nil {
			t.Fatal(err)
		}
		back = f.consent(authURL)
		if st, err = svc.FinishOAuth(f.ctx, f.admin2, back.Get("state"), back.Get("code")); err != nil || st.Organizer != f.admin2.Email {
			t.Fatalf("second consent: %+v %v", st, err)
		}
		if m.Organizer() != f.admin2.Email {
			t.Fatal("manager kept the first consent")
		}
	})
}

func TestOAuthRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		svc := f.service(nil)
		start := func() (state, code string) {
			t.Helper()
			authURL, err := svc.StartOAuth(f.ctx, f.admin, callbackURL, "")
			if err != nil {
				t.Fatal(err)
			}
			back := f.consent(authURL)
			return back.Get("state"), back.Get("code")
		}

		_, code := start()
		_, err := svc.FinishOAuth(f.ctx, f.admin, "not-a-state-we-issued", code)
		wantCode(t, err, apperr.Invalid)
		_, err = svc.FinishOAuth(f.ctx, f.admin, "", code)
		wantCode(t, err, apperr.Invalid)

		// Expired: the admin took longer than the state's lifetime.
		state, code := start()
		f.clock.advance(calconn.DefaultStateTTL + time.Second)
		_, err = svc.FinishOAuth(f.ctx, f.admin, state, code)
		if ae := wantCode(t, err, apperr.Invalid); !strings.Contains(ae.Message, "expired") {
			t.Fatalf("expired state: %v", ae)
		}

		// Google sent an error instead of a code.
		state, _ = start()
		_, err = svc.FinishOAuth(f.ctx, f.admin, state, "")
		wantCode(t, err, apperr.Invalid)

		// Bound to the admin who started it.
		state, code = start()
		_, err = svc.FinishOAuth(f.ctx, f.admin2, state, code)
		wantCode(t, err, apperr.Forbidden)
		_, err = svc.FinishOAuth(f.ctx, f.admin, state, code)
		wantCode(t, err, apperr.Invalid) // used up by the attempt

		// A code Google does not know (or a wrong PKCE verifier) is refused
		// by the token endpoint.
		state, _ = start()
		_, err = svc.FinishOAuth(f.ctx, f.admin, state, "4/forged")
		if ae := wantCode(t, err, apperr.Invalid); !strings.Contains(ae.Message, "invalid_grant") {
			t.Fatalf("forged code: %v", ae)
		}

		// Nothing was connected by any of it, and expired states are swept.
		if st, _ := svc.Status(f.ctx, f.admin); st.Connected || st.Source != calconn.SourceNone {
			t.Fatalf("status %+v", st)
		}
		f.clock.advance(calconn.DefaultStateTTL + time.Second)
		if _, err := svc.StartOAuth(f.ctx, f.admin, callbackURL, ""); err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := db.Gorm.WithContext(f.ctx).Table("app_settings").Where("key LIKE ?", "google.oauth-state.%").Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("%d pending consents kept, want 1", n)
		}

		// Without an OAuth client, consent is not offered.
		plain := f.service(func(c *calconn.Config) { c.OAuth = calconn.OAuthClient{} })
		_, err = plain.StartOAuth(f.ctx, f.admin, callbackURL, "")
		wantCode(t, err, apperr.Unavailable)
		if st, _ := plain.Status(f.ctx, f.admin); st.OAuthAvailable {
			t.Fatal("OAuth offered without a client")
		}
		f.noSecrets("logs", f.logs.String())
	})
}

func TestEnvironmentTakesPrecedence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		// A connection saved earlier is ignored while the environment sets one.
		if _, err := f.service(nil).ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), "saved@example.test", ""); err != nil {
			t.Fatal(err)
		}
		env := func(c *calconn.Config) {
			c.EnvCredentialsJSON, c.EnvOrganizer, c.DefaultConference = f.saKey(nil), "Env@Example.test", "hangoutsMeet"
		}
		svc := f.service(env)
		st, err := svc.Status(f.ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Connected || st.Source != calconn.SourceEnvironment || !st.ReadOnly || st.CanSave || st.OAuthAvailable ||
			st.Organizer != "env@example.test" || st.Conference != "hangoutsMeet" || st.Kind != calconn.KindServiceAccount {
			t.Fatalf("status %+v", st)
		}
		f.noSecrets("status", jsonOf(t, st))
		_, err = svc.ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), organizer, "")
		wantCode(t, err, apperr.Conflict)
		_, err = svc.StartOAuth(f.ctx, f.admin, callbackURL, "")
		wantCode(t, err, apperr.Conflict)
		wantCode(t, svc.Disconnect(f.ctx, f.admin), apperr.Conflict)

		if m := svc.Manager(); !m.Connected() || m.Organizer() != "env@example.test" {
			t.Fatal("manager does not use the environment")
		}
		res, err := svc.Test(f.ctx, f.admin)
		if err != nil || !res.OK {
			t.Fatalf("test: %+v %v", res, err)
		}
		if st, _ := svc.Status(f.ctx, f.admin); st.LastTest == nil || !st.LastTest.OK {
			t.Fatalf("last test %+v", st.LastTest)
		}
		// Unusable environment credentials stop the start.
		if _, err := calconn.New(f.ctx, db.Gorm, f.config(func(c *calconn.Config) {
			env(c)
			c.EnvCredentialsJSON = []byte(`{"type":"authorized_user"}`)
		})); err == nil {
			t.Fatal("bad environment credentials accepted")
		}
	})
}

func TestSecretKeyProblems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		if _, err := f.service(nil).ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), organizer, ""); err != nil {
			t.Fatal(err)
		}
		// DEBRIEF_SECRET_KEY changed: the saved connection cannot be used,
		// and Status says why.
		changed := f.service(func(c *calconn.Config) { c.SecretKey = keyB })
		st, err := changed.Status(f.ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		if st.Connected || st.Source != calconn.SourceSettings || !strings.Contains(st.Problem, "DEBRIEF_SECRET_KEY") || st.Organizer != organizer {
			t.Fatalf("status under another key %+v", st)
		}
		notConnected(t, changed.Manager())
		res, err := changed.Test(f.ctx, f.admin)
		if err != nil || res.OK || !strings.Contains(res.Message, "DEBRIEF_SECRET_KEY") {
			t.Fatalf("test under another key: %+v %v", res, err)
		}
		// Connecting again under the new key repairs it.
		if st, err := changed.ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), organizer, ""); err != nil || !st.Connected || st.Problem != "" {
			t.Fatalf("reconnect: %+v %v", st, err)
		}

		// No secret key at all: nothing can be saved.
		none := f.service(func(c *calconn.Config) { c.SecretKey = "" })
		_, err = none.ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), organizer, "")
		wantCode(t, err, apperr.Unavailable)
		if st, _ := none.Status(f.ctx, f.admin); st.CanSave || st.Connected {
			t.Fatalf("status without a key %+v", st)
		}
		if _, err := calconn.New(f.ctx, db.Gorm, f.config(func(c *calconn.Config) { c.SecretKey = "short" })); err == nil {
			t.Fatal("a short secret key was accepted")
		}
		f.noSecrets("logs", f.logs.String())
	})
}

func TestOnlyAdmins(t *testing.T) {
	f := newFixture(t, dbtest.New(t, config.SQLite))
	svc := f.service(nil)
	if _, err := svc.ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), organizer, ""); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"status": func() error { _, err := svc.Status(f.ctx, f.staff); return err },
		"connect": func() error {
			_, err := svc.ConnectServiceAccount(f.ctx, f.staff, f.saKey(nil), organizer, "")
			return err
		},
		"start oauth":  func() error { _, err := svc.StartOAuth(f.ctx, f.staff, callbackURL, ""); return err },
		"finish oauth": func() error { _, err := svc.FinishOAuth(f.ctx, f.staff, "state", "code"); return err },
		"test":         func() error { _, err := svc.Test(f.ctx, f.staff); return err },
		"disconnect":   func() error { return svc.Disconnect(f.ctx, f.staff) },
	} {
		wantCode(t, call(), apperr.Forbidden)
		_ = name
	}
	if st, _ := svc.Status(f.ctx, f.admin); !st.Connected || st.Organizer != organizer {
		t.Fatalf("a refused call changed the connection: %+v", st)
	}
}

func TestTestReportsGoogleRefusals(t *testing.T) {
	f := newFixture(t, dbtest.New(t, config.SQLite))
	svc := f.service(nil)
	if _, err := svc.ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), organizer, ""); err != nil {
		t.Fatal(err)
	}
	// The organizer's calendar cannot be read.
	f.fake.SetCalendarError(organizer, "notFound")
	res, err := svc.Test(f.ctx, f.admin)
	if err != nil || res.OK || !strings.Contains(res.Message, "could not be read") {
		t.Fatalf("unreadable calendar: %+v %v", res, err)
	}
	f.fake.SetCalendarError(organizer, "")
	// Google's token endpoint fails.
	if err := f.fake.InjectFault(calendartest.OpToken, calendartest.Fault500, 1); err != nil {
		t.Fatal(err)
	}
	res, err = svc.Test(f.ctx, f.admin)
	if err != nil || res.OK || res.Message == "" {
		t.Fatalf("token failure: %+v %v", res, err)
	}
	if st, _ := svc.Status(f.ctx, f.admin); st.LastTest == nil || st.LastTest.OK {
		t.Fatalf("failed test not kept: %+v", st.LastTest)
	}
	res, err = svc.Test(f.ctx, f.admin)
	if err != nil || !res.OK {
		t.Fatalf("after the fault: %+v %v", res, err)
	}
}

func TestOrElseFollowsTheConnection(t *testing.T) {
	f := newFixture(t, dbtest.New(t, config.SQLite))
	svc := f.service(nil)
	p := svc.Manager().OrElse(stubProvider{})
	if p.Name() != "builtin" {
		t.Fatalf("name while not connected %q", p.Name())
	}
	now := time.Now()
	if got, err := p.FreeBusy(f.ctx, []string{organizer}, now, now.Add(time.Hour)); err != nil || got[organizer].Err == nil {
		t.Fatalf("fallback not used: %+v %v", got, err)
	}
	if _, err := svc.ConnectServiceAccount(f.ctx, f.admin, f.saKey(nil), organizer, ""); err != nil {
		t.Fatal(err)
	}
	if p.Name() != "google" {
		t.Fatalf("name while connected %q", p.Name())
	}
	if got, err := p.FreeBusy(f.ctx, []string{organizer}, now, now.Add(time.Hour)); err != nil || got[organizer].Err != nil {
		t.Fatalf("google not used: %+v %v", got, err)
	}
}

// stubProvider stands in for the built-in calendar: it marks every
// calendar with an error, so a test can tell it answered.
type stubProvider struct{ calendar.Provider }

func (stubProvider) Name() string { return "builtin" }

func (stubProvider) FreeBusy(_ context.Context, cals []string, _, _ time.Time) (map[string]calendar.Availability, error) {
	out := map[string]calendar.Availability{}
	for _, c := range cals {
		out[c] = calendar.Availability{Err: errors.New("stub")}
	}
	return out, nil
}

// Calls in flight while the connection changes finish on the provider they
// started with or fail as not connected; nothing else (run with -race).
func TestManagerUnderConcurrentSwitches(t *testing.T) {
	f := newFixture(t, dbtest.New(t, config.SQLite))
	svc := f.service(nil)
	m := svc.Manager()
	key := f.saKey(nil)
	stop := make(chan struct{})
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				now := time.Now()
				got, err := m.FreeBusy(f.ctx, []string{organizer}, now, now.Add(time.Hour))
				if err != nil && !errors.Is(err, calconn.ErrNotConnected) {
					errs <- err
					return
				}
				if err == nil && got[organizer].Err != nil {
					errs <- got[organizer].Err
					return
				}
			}
		}()
	}
	for range 5 {
		if _, err := svc.ConnectServiceAccount(f.ctx, f.admin, key, organizer, ""); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
		if err := svc.Disconnect(f.ctx, f.admin); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatalf("a call during a switch failed: %v", err)
		}
	}
}
