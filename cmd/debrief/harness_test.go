package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/debrief-dev/debrief/api"
	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/dbtest"
)

// server is a real `debrief serve` started through run() on a free port.
type server struct {
	URL      string
	SetupURL string
	env      map[string]string
	stop     context.CancelFunc
	done     chan error
}

// lineWatcher passes output through and reports the serve banner.
type lineWatcher struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			// Keep the partial line for the next write.
			w.buf.Reset()
			w.buf.WriteString(line)
			break
		}
		select {
		case w.lines <- strings.TrimSpace(line):
		default:
		}
	}
	return len(p), nil
}

// startServer runs serve on a fresh database of dialect d. extra
// overrides environment variables.
func startServer(t *testing.T, d config.Dialect, extra map[string]string) *server {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"DEBRIEF_ADDR":       "127.0.0.1:0",
		"DEBRIEF_DATA_DIR":   dir,
		"DEBRIEF_SECRET_KEY": strings.Repeat("k", 40),
		"DEBRIEF_LOG_LEVEL":  "warn",
	}
	if d == config.Postgres {
		env["DEBRIEF_DATABASE_URL"] = dbtest.CreatePostgres(t)
	} else {
		env["DEBRIEF_DATABASE_URL"] = "sqlite:" + filepath.Join(dir, "debrief.db")
	}
	for k, v := range extra {
		env[k] = v
	}
	return startWithEnv(t, env)
}

func startWithEnv(t *testing.T, env map[string]string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lineWatcher{lines: make(chan string, 16)}
	s := &server{env: env, stop: cancel, done: make(chan error, 1)}
	var errOut bytes.Buffer
	var errMu sync.Mutex
	go func() {
		s.done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, out,
			writerFunc(func(p []byte) (int, error) { errMu.Lock(); defer errMu.Unlock(); return errOut.Write(p) }))
	}()
	deadline := time.After(60 * time.Second)
	// serve prints the URL, then either the set-up link or where to sign in.
	for ready := false; !ready; {
		select {
		case line := <-out.lines:
			if u, ok := strings.CutPrefix(line, "Debrief is running at "); ok {
				s.URL = u
			}
			if i := strings.Index(line, "http"); i >= 0 && strings.Contains(line, "/setup?token=") {
				s.SetupURL = line[i:]
				ready = true
			}
			if strings.HasPrefix(line, "Sign in at ") {
				ready = true
			}
		case err := <-s.done:
			errMu.Lock()
			defer errMu.Unlock()
			t.Fatalf("serve exited early: %v\n%s", err, errOut.String())
		case <-deadline:
			t.Fatal("serve did not start within 60s")
		}
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-s.done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not shut down within 20s")
		}
	})
	return s
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// client talks to the server like the web app (cookie + CSRF header) or
// like a script (bearer token). Every response is checked against the
// OpenAPI contract, and so is every request the server accepted.
type client struct {
	t     *testing.T
	base  string
	http  *http.Client
	csrf  string
	token string
}

type contract struct {
	router routers.Router
}

// registerDecoders teaches kin-openapi the request body types the contract
// uses beyond its defaults: guides import takes Markdown. The registry is
// global, so it is filled once.
var registerDecoders sync.Once

func loadContract(t *testing.T) *contract {
	t.Helper()
	registerDecoders.Do(func() {
		openapi3filter.RegisterBodyDecoder("text/markdown", openapi3filter.PlainBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/x-markdown", openapi3filter.PlainBodyDecoder)
	})
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec)
	if err != nil {
		t.Fatalf("load openapi: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi invalid: %v", err)
	}
	doc.Servers = nil
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return &contract{router: r}
}

type checkingTransport struct {
	t        *testing.T
	contract *contract
}

func (ct checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resBody, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(resBody))

	// Route on a copy whose URL has no host so the spec's relative server
	// matches.
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, rerr := ct.contract.router.FindRoute(probe)
	if rerr != nil {
		if strings.HasPrefix(req.URL.Path, "/api/") && res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
			ct.t.Errorf("contract: %s %s is not in openapi.yaml (%v) but answered %d", req.Method, req.URL.Path, rerr, res.StatusCode)
		}
		return res, nil
	}
	in := &openapi3filter.RequestValidationInput{
		Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	if res.StatusCode < 300 {
		// The server accepted this request, so the contract must too.
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			ct.t.Errorf("contract: accepted request %s %s does not match openapi.yaml: %v", req.Method, req.URL.Path, err)
		}
	}
	resType := res.Header.Get("Content-Type")
	isJSON := strings.Contains(resType, "json")
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			// Only JSON bodies have schemas worth checking; the YAML spec,
			// Prometheus text, Markdown, HTML, CSS and PDF are plain strings
			// or binary in the contract (checked for their media type below).
			ExcludeResponseBody: !isJSON},
	}
	out.SetBodyBytes(resBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		ct.t.Errorf("contract: response %d to %s %s does not match openapi.yaml: %v\nbody: %.500s",
			res.StatusCode, req.Method, req.URL.Path, err, resBody)
	} else if !isJSON && req.Method != http.MethodHead && len(resBody) > 0 {
		// The body is not validated, but its media type must still be one
		// the contract lists for this status.
		if content := responseContent(route.Operation, res.StatusCode); len(content) > 0 && content.Get(resType) == nil {
			ct.t.Errorf("contract: response %d to %s %s has content type %q, which openapi.yaml does not list (%v)",
				res.StatusCode, req.Method, req.URL.Path, resType, slices.Sorted(maps.Keys(content)))
		}
	}
	return res, nil
}

// responseContent is the content map the contract gives for status.
func responseContent(op *openapi3.Operation, status int) openapi3.Content {
	if op == nil || op.Responses == nil {
		return nil
	}
	ref := op.Responses.Status(status)
	if ref == nil {
		ref = op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return nil
	}
	return ref.Value.Content
}

func (s *server) client(t *testing.T, c *contract) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: s.URL, http: &http.Client{
		Jar: jar, Timeout: 30 * time.Second, Transport: checkingTransport{t: t, contract: c},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d response: %v\n%s", r.Status, err, r.Body)
	}
}

// problem decodes a problem+json body and checks its basic shape.
func (r response) problem(t *testing.T) map[string]any {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("status %d with content type %q, want application/problem+json\n%s", r.Status, ct, r.Body)
	}
	var p map[string]any
	r.decode(t, &p)
	if int(p["status"].(float64)) != r.Status || p["detail"] == "" {
		t.Fatalf("malformed problem: %s", r.Body)
	}
	return p
}

// do sends a request. body may be nil, a []byte/string sent as-is with
// contentType, or a value sent as JSON.
func (c *client) do(method, path string, body any, contentType ...string) response {
	c.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/json"
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	if len(contentType) > 0 {
		ctype = contentType[0]
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = res.Body.Close() }()
	data, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: data}
}

// must sends a request and fails the test unless the status is want.
func (c *client) must(want int, method, path string, body any, contentType ...string) response {
	c.t.Helper()
	r := c.do(method, path, body, contentType...)
	if r.Status != want {
		c.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, r.Status, want, r.Body)
	}
	return r
}

type session struct {
	User struct {
		ID    string `json:"id"`
		Email string `json:"email"`
		Role  string `json:"role"`
	} `json:"user"`
	CSRFToken string `json:"csrf_token"`
}

// setup creates the first admin through the printed set-up link and
// returns a signed-in client.
func (s *server) setup(t *testing.T, c *contract) *client {
	t.Helper()
	if s.SetupURL == "" {
		t.Fatal("serve printed no set-up link")
	}
	tok := s.SetupURL[strings.Index(s.SetupURL, "token=")+len("token="):]
	cl := s.client(t, c)
	r := cl.must(http.StatusCreated, "POST", "/api/v1/setup", map[string]string{
		"token": tok, "email": "ada@example.com", "name": "Ada Admin", "password": "correct horse battery",
	})
	var sess session
	r.decode(t, &sess)
	cl.csrf = sess.CSRFToken
	return cl
}

// signIn returns a client signed in as email.
func (s *server) signIn(t *testing.T, c *contract, email, password string) *client {
	t.Helper()
	cl := s.client(t, c)
	r := cl.must(http.StatusOK, "POST", "/api/v1/auth/sign-in", map[string]string{"email": email, "password": password})
	var sess session
	r.decode(t, &sess)
	cl.csrf = sess.CSRFToken
	return cl
}

func dialects(t *testing.T, fn func(t *testing.T, d config.Dialect)) {
	for _, d := range dbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}

func createPG(t *testing.T) string {
	t.Helper()
	return dbtest.CreatePostgres(t)
}
