package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
)

func TestFirstRunSetupSignInAndSignOut(t *testing.T) {
	dialects(t, func(t *testing.T, d config.Dialect) {
		c := loadContract(t)
		s := startServer(t, d, nil)
		anon := s.client(t, c)
		var st map[string]bool
		anon.must(200, "GET", "/api/v1/setup", nil).decode(t, &st)
		if !st["needed"] {
			t.Fatal("fresh database should need set-up")
		}
		// A wrong token is refused and creates nothing.
		anon.must(403, "POST", "/api/v1/setup", map[string]string{
			"token": "wrong", "email": "eve@example.com", "name": "Eve", "password": "correct horse battery"}).problem(t)

		admin := s.setup(t, c)
		var me session
		admin.must(200, "GET", "/api/v1/auth/me", nil).decode(t, &me)
		if me.User.Email != "ada@example.com" || me.User.Role != "admin" || me.CSRFToken == "" {
			t.Fatalf("me = %+v", me)
		}
		anon.must(200, "GET", "/api/v1/setup", nil).decode(t, &st)
		if st["needed"] {
			t.Fatal("set-up still needed after the first admin")
		}
		// The link is single-use.
		tok := s.SetupURL[strings.Index(s.SetupURL, "token=")+6:]
		anon.must(409, "POST", "/api/v1/setup", map[string]string{
			"token": tok, "email": "eve@example.com", "name": "Eve", "password": "correct horse battery"}).problem(t)

		admin.must(204, "POST", "/api/v1/auth/sign-out", nil)
		admin.must(401, "GET", "/api/v1/auth/me", nil).problem(t)

		again := s.signIn(t, c, "ADA@example.com", "correct horse battery")
		again.must(200, "GET", "/api/v1/auth/me", nil)

		bad := s.client(t, c)
		p := bad.must(401, "POST", "/api/v1/auth/sign-in", map[string]string{"email": "ada@example.com", "password": "nope nope nope"}).problem(t)
		p2 := bad.must(401, "POST", "/api/v1/auth/sign-in", map[string]string{"email": "nobody@example.com", "password": "nope nope nope"}).problem(t)
		if p["detail"] != p2["detail"] {
			t.Fatalf("unknown email and wrong password must read the same: %q vs %q", p["detail"], p2["detail"])
		}
	})
}

func TestCookieRequestsNeedTheCSRFToken(t *testing.T) {
	c := loadContract(t)
	s := startServer(t, config.SQLite, nil)
	admin := s.setup(t, c)
	good := admin.csrf
	admin.csrf = ""
	p := admin.must(403, "POST", "/api/v1/tokens", map[string]string{"name": "x"}).problem(t)
	if !strings.Contains(p["detail"].(string), "X-CSRF-Token") {
		t.Fatalf("detail should name the header: %v", p["detail"])
	}
	admin.csrf = "forged"
	admin.must(403, "POST", "/api/v1/tokens", map[string]string{"name": "x"}).problem(t)
	admin.csrf = good
	admin.must(201, "POST", "/api/v1/tokens", map[string]string{"name": "x"})
	// Reads need no token.
	admin.csrf = ""
	admin.must(200, "GET", "/api/v1/tokens", nil)

	// A cross-site Origin is refused even for sign-in (login CSRF).
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/auth/sign-in", strings.NewReader(`{"email":"ada@example.com","password":"correct horse battery"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://evil.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 403 {
		t.Fatalf("cross-site sign-in: %d", res.StatusCode)
	}
}

func TestBearerTokens(t *testing.T) {
	c := loadContract(t)
	s := startServer(t, config.SQLite, nil)
	admin := s.setup(t, c)
	var nt struct {
		Token    string `json:"token"`
		APIToken struct {
			ID     string `json:"id"`
			Prefix string `json:"prefix"`
		} `json:"api_token"`
	}
	admin.must(201, "POST", "/api/v1/tokens", map[string]string{"name": "export script"}).decode(t, &nt)
	if !strings.HasPrefix(nt.Token, nt.APIToken.Prefix) {
		t.Fatalf("token %q should start with prefix %q", nt.Token, nt.APIToken.Prefix)
	}
	script := s.client(t, c)
	script.token = nt.Token
	// No cookie and no CSRF header: a bearer token is enough.
	script.must(201, "POST", "/api/v1/people", map[string]any{
		"name": "Lee Chen", "email": "lee@example.com", "timezone": "Asia/Tokyo", "working_hours": "mon-fri 09:00-17:00"})
	var toks struct {
		Items []struct {
			LastUsedAt *string `json:"last_used_at"`
		} `json:"items"`
	}
	admin.must(200, "GET", "/api/v1/tokens", nil).decode(t, &toks)
	if len(toks.Items) != 1 || toks.Items[0].LastUsedAt == nil {
		t.Fatalf("token list = %+v", toks)
	}
	admin.must(204, "DELETE", "/api/v1/tokens/"+nt.APIToken.ID, nil)
	script.must(401, "GET", "/api/v1/people", nil).problem(t)
	script.token = "dbf_not-a-real-token"
	script.must(401, "GET", "/api/v1/people", nil).problem(t)
	script.token = ""
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/people", nil)
	req.Header.Set("Authorization", "Basic YTpi")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("basic auth: %d", res.StatusCode)
	}
}

func TestBadInputIsA4xxProblem(t *testing.T) {
	c := loadContract(t)
	s := startServer(t, config.SQLite, map[string]string{"DEBRIEF_MAX_BODY_BYTES": "65536"})
	admin := s.setup(t, c)
	cases := []struct {
		name, method, path string
		body               any
		ctype              string
		want               int
	}{
		{"broken json", "POST", "/api/v1/events", `{"title": "x",`, "", 400},
		{"not an object", "POST", "/api/v1/events", `[1,2]`, "", 400},
		{"wrong type", "POST", "/api/v1/events", `{"title": 7}`, "", 400},
		{"unknown field", "POST", "/api/v1/events", `{"title":"x","kind":"incident","started_at":"2026-01-01T00:00:00Z","colour":"red"}`, "", 400},
		{"two values", "POST", "/api/v1/tokens", `{"name":"a"}{"name":"b"}`, "", 400},
		{"empty body", "POST", "/api/v1/tokens", ``, "", 400},
		{"form body", "POST", "/api/v1/tokens", `name=a`, "application/x-www-form-urlencoded", 415},
		{"oversized", "POST", "/api/v1/events", `{"title":"` + strings.Repeat("a", 70000) + `"}`, "", 413},
		{"oversized csv", "POST", "/api/v1/people/import", "name,email,timezone\n" + strings.Repeat("a,b@example.com,UTC\n", 4000), "text/csv", 413},
		{"csv as json", "POST", "/api/v1/people/import", `{}`, "", 415},
		{"bad limit", "GET", "/api/v1/people?limit=abc", nil, "", 400},
		{"limit too big", "GET", "/api/v1/events?limit=5000", nil, "", 400},
		{"limit zero", "GET", "/api/v1/people?limit=0", nil, "", 400},
		{"limit negative", "GET", "/api/v1/users?limit=-1", nil, "", 400},
		{"bad cursor", "GET", "/api/v1/events?cursor=not-a-cursor", nil, "", 400},
		{"bad kind filter", "GET", "/api/v1/events?kind=disaster", nil, "", 400},
		{"unknown event", "GET", "/api/v1/events/00000000-0000-0000-0000-000000000000", nil, "", 404},
		{"malformed id", "GET", "/api/v1/events/not-a-uuid", nil, "", 404},
		{"unknown api path", "GET", "/api/v1/nothing-here", nil, "", 404},
		{"wrong method", "DELETE", "/api/v1/people", nil, "", 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != nil {
				body = tc.body
			}
			var r response
			if tc.ctype != "" {
				r = admin.do(tc.method, tc.path, body, tc.ctype)
			} else {
				r = admin.do(tc.method, tc.path, body)
			}
			if r.Status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.want, r.Body)
			}
			r.problem(t)
		})
	}
}

func TestOpsEndpoints(t *testing.T) {
	c := loadContract(t)
	s := startServer(t, config.SQLite, nil)
	anon := s.client(t, c)
	anon.must(200, "GET", "/healthz", nil)
	anon.must(200, "GET", "/readyz", nil)
	spec := anon.must(200, "GET", "/api/openapi.yaml", nil)
	if !strings.HasPrefix(string(spec.Body), "openapi: 3.0") {
		t.Fatalf("spec starts %.40q", spec.Body)
	}
	anon.must(200, "GET", "/api/v1/setup", nil)
	m := anon.must(200, "GET", "/metrics", nil)
	for _, want := range []string{
		`debrief_http_requests_total{method="GET",route="/api/v1/setup",status="200"} 1`,
		`debrief_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
		"go_goroutines",
	} {
		if !strings.Contains(string(m.Body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	page := anon.must(200, "GET", "/events/some-id", nil)
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
		if page.Header.Get(h) == "" {
			t.Errorf("web page lacks %s", h)
		}
	}
	if !strings.Contains(page.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", page.Header.Get("Content-Security-Policy"))
	}
	if anon.must(200, "GET", "/healthz", nil).Header.Get("X-Request-Id") == "" {
		t.Error("no request id header")
	}
}

func TestLanguageCheckOverHTTP(t *testing.T) {
	c := loadContract(t)
	s := startServer(t, config.SQLite, nil)
	admin := s.setup(t, c)
	var res struct {
		Flags []struct {
			Category    string   `json:"category"`
			Severity    string   `json:"severity"`
			Start       int      `json:"start"`
			End         int      `json:"end"`
			Text        string   `json:"text"`
			Suggestions []string `json:"suggestions"`
		} `json:"flags"`
	}
	// Offsets count code points: "Zoë — " is 6 of them but 8 bytes.
	admin.must(200, "POST", "/api/v1/language/check", map[string]string{"text": "Zoë — why did you restart the database?", "kind": "question"}).decode(t, &res)
	if len(res.Flags) == 0 {
		t.Fatal("no flag for a why question")
	}
	f := res.Flags[0]
	if f.Category != "why_question" || f.Severity != "warning" || f.Start != 6 || len(f.Suggestions) == 0 {
		t.Fatalf("flag = %+v", f)
	}
	if got := string([]rune("Zoë — why did you restart the database?")[f.Start:f.End]); got != f.Text {
		t.Fatalf("span %d-%d is %q, flag text %q", f.Start, f.End, got, f.Text)
	}
	admin.must(200, "POST", "/api/v1/language/check", map[string]string{"text": "The cache should expire after five minutes.", "kind": "note"}).decode(t, &res)
	for _, f := range res.Flags {
		if f.Severity == "warning" {
			t.Fatalf("innocent system expectation flagged: %+v", f)
		}
	}
	for _, body := range []any{
		map[string]string{"text": "x", "kind": "poem"},
		map[string]string{"text": "x"},
		map[string]any{"text": 5, "kind": "note"},
		map[string]string{"text": strings.Repeat("a", 100_001), "kind": "note"},
	} {
		admin.must(400, "POST", "/api/v1/language/check", body).problem(t)
	}
}
