package google_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

// TestServiceAccountDelegation: the key's token_uri is honoured, and the
// token is asked for the organizer (JWT sub), so calls act as them.
func TestServiceAccountDelegation(t *testing.T) {
	s, url := startFake(t, calendartest.Options{RequireIssuedTokens: true})
	p, err := google.New(context.Background(), google.Config{
		CredentialsJSON:    serviceAccountJSON(t, url+"/token"),
		Subject:            org,
		Endpoint:           url + "/calendar/v3/",
		ConferenceSolution: "hangoutsMeet",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.CloseIdleConnections)
	ctx := ctxT(t)
	ev := booking("delegated", t0)
	ev.Organizer = "" // the delegated user's calendar
	got, err := p.Create(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	if got.Organizer != org || len(s.Events(org)) != 1 {
		t.Fatalf("event on %q; fake has %d on the organizer's calendar", got.Organizer, len(s.Events(org)))
	}
	if _, err := p.FreeBusy(ctx, []string{org}, t0, t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}

	grants := s.TokenGrants()
	if len(grants) != 1 {
		t.Fatalf("%d token grants, want 1 (the token is reused): %+v", len(grants), grants)
	}
	g := grants[0]
	if g.GrantType != "urn:ietf:params:oauth:grant-type:jwt-bearer" || g.Subject != org ||
		g.Issuer != "debrief@debrief-test.iam.gserviceaccount.com" || g.Audience != url+"/token" ||
		!strings.Contains(g.Scope, "https://www.googleapis.com/auth/calendar") {
		t.Fatalf("grant = %+v", g)
	}
	for _, r := range s.Requests() {
		if r.Op != calendartest.OpToken && r.Subject != org {
			t.Fatalf("%s made as %q, want %q", r.Op, r.Subject, org)
		}
	}
}

func TestOAuthRefreshToken(t *testing.T) {
	s, url := startFake(t, calendartest.Options{RequireIssuedTokens: true})
	p := newProvider(t, url, nil)
	if _, err := p.Create(ctxT(t), booking("oauth", t0)); err != nil {
		t.Fatal(err)
	}
	g := s.TokenGrants()
	if len(g) != 1 || g[0].GrantType != "refresh_token" || g[0].ClientID != "debrief-test" {
		t.Fatalf("grants = %+v", g)
	}
}

func TestConfigValidation(t *testing.T) {
	ctx := context.Background()
	oauth := &google.OAuthConfig{ClientID: "c", ClientSecret: "s", RefreshToken: "r"}
	for name, cfg := range map[string]google.Config{
		"nothing":        {},
		"both":           {CredentialsJSON: []byte(`{}`), OAuth: oauth},
		"not json":       {CredentialsJSON: []byte(`nope`)},
		"authorized":     {CredentialsJSON: []byte(`{"type":"authorized_user"}`)},
		"no key":         {CredentialsJSON: []byte(`{"type":"service_account","client_email":"x@y"}`)},
		"oauth partial":  {OAuth: &google.OAuthConfig{ClientID: "c"}},
		"chunk too long": {OAuth: oauth, FreeBusyChunk: google.MaxFreeBusyChunk + 1},
		"negative time":  {OAuth: oauth, Timeout: -1},
	} {
		if _, err := google.New(ctx, cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	p, err := google.New(ctx, google.Config{OAuth: oauth})
	if err != nil || p.Name() != "google" {
		t.Fatalf("%v %v", p, err)
	}
}
