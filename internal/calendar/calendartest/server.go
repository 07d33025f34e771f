package calendartest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. The zero value is a working in-memory fake
// with no faults.
type Options struct {
	// StatePath, when set, is a JSON file holding the fake's events. It is
	// read by New (if it exists) and rewritten after every change, before
	// the reply is sent.
	StatePath string
	// Faults is the initial fault configuration.
	Faults Faults
	// ConferenceDelay is how long a requested Meet conference stays
	// "pending". Zero makes it ready at once.
	ConferenceDelay time.Duration
	// RequireIssuedTokens makes calendar calls accept only access tokens
	// issued by this fake's /token (401 otherwise). By default any bearer
	// token is accepted.
	RequireIssuedTokens bool
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logf, when set, receives the fake's own problems (a state file that
	// could not be written, a failed hang-up).
	Logf func(format string, args ...any)
}

// Request records one request the fake received.
type Request struct {
	Time       time.Time `json:"time"`
	Op         Op        `json:"op"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	CalendarID string    `json:"calendarId,omitempty"`
	EventID    string    `json:"eventId,omitempty"`
	// Subject is the user the bearer token acts as, when this fake issued
	// the token.
	Subject     string `json:"subject,omitempty"`
	SendUpdates string `json:"sendUpdates,omitempty"`
	// Status is the status the fake replied with, or decided on when the
	// reply was lost (the client never saw it).
	Status int       `json:"status"`
	Fault  FaultKind `json:"fault,omitempty"`
}

// Stats counts what the fake has seen since it was created (not persisted).
type Stats struct {
	// Requests per operation.
	Requests map[Op]int `json:"requests"`
	// Routes counts requests per "METHOD /path/{pattern}".
	Routes map[string]int `json:"routes"`
	// Statuses counts replies per HTTP status (lost replies included,
	// with the status the client never saw).
	Statuses map[int]int `json:"statuses"`
	// Faults counts injected faults per kind, FaultsByOp per operation.
	Faults     map[FaultKind]int `json:"faults"`
	FaultsByOp map[Op]int        `json:"faultsByOp"`
	// Events is the number of stored events, cancelled ones included;
	// Live leaves cancelled ones out.
	Events int `json:"events"`
	Live   int `json:"live"`
	// Unmatched counts requests for paths the fake does not serve (a
	// wrong endpoint, usually).
	Unmatched int `json:"unmatched,omitempty"`
	// PersistErrors counts failed writes of the state file.
	PersistErrors int `json:"persistErrors,omitempty"`
}

// TokenGrant records one token issued by /token.
type TokenGrant struct {
	Time      time.Time `json:"time"`
	GrantType string    `json:"grantType"`
	// Issuer and Subject are the iss and sub claims of a JWT assertion: the
	// service account and, with domain-wide delegation, the user it acts as.
	Issuer   string `json:"issuer,omitempty"`
	Subject  string `json:"subject,omitempty"`
	Scope    string `json:"scope,omitempty"`
	Audience string `json:"audience,omitempty"`
	// ClientID is set for refresh_token grants.
	ClientID    string `json:"clientId,omitempty"`
	AccessToken string `json:"accessToken"`
}

// maxLog bounds the request log, so a long soak cannot grow it for ever.
const maxLog = 20000

// Server is the fake Google. Create it with New; serve it with Start or
// through Handler (e.g. httptest.NewServer(s.Handler())). All methods are
// safe for concurrent use.
type Server struct {
	opts    Options
	handler http.Handler
	closing chan struct{}
	// initErr is a problem found by New (a bad state file, bad faults). The
	// fake then refuses every request with 500 rather than pretend to be
	// empty, and Start and Err report it.
	initErr error

	mu     sync.Mutex
	st     *state
	faults *faultState
	stats  Stats
	log    []Request
	grants []TokenGrant
	closed bool
	srv    *http.Server
	url    string
	served chan struct{}
}

// New creates a fake. With Options.StatePath it loads the state file if it
// exists; a problem with it is reported by Err and Start.
func New(opts Options) *Server {
	s := &Server{
		opts:    opts,
		closing: make(chan struct{}),
		st:      newState(),
		faults:  newFaultState(Faults{}),
		stats:   newStats(),
	}
	if err := opts.Faults.Validate(); err != nil {
		s.initErr = err
	} else {
		s.faults = newFaultState(opts.Faults)
	}
	if opts.StatePath != "" && s.initErr == nil {
		st, err := loadState(opts.StatePath)
		if err != nil {
			s.initErr = err
		} else {
			s.st = st
		}
	}
	s.handler = s.routes()
	return s
}

func newStats() Stats {
	return Stats{
		Requests:   map[Op]int{},
		Routes:     map[string]int{},
		Statuses:   map[int]int{},
		Faults:     map[FaultKind]int{},
		FaultsByOp: map[Op]int{},
	}
}

// Err reports a problem New found with its options or state file.
func (s *Server) Err() error { return s.initErr }

// Handler serves the fake's API, token endpoint and /_fake/ control routes.
func (s *Server) Handler() http.Handler { return s.handler }

// Start serves the fake on addr, which must be a loopback address
// ("127.0.0.1:0", the default for ""). It returns the base URL, e.g.
// "http://127.0.0.1:41234"; the API is under URL+"/calendar/v3/".
func (s *Server) Start(addr string) (string, error) {
	if s.initErr != nil {
		return "", s.initErr
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := checkLoopback(addr); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", errors.New("calendartest: server closed")
	}
	if s.srv != nil {
		return "", errors.New("calendartest: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("calendartest: listen: %w", err)
	}
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String()
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("calendartest: serve: %v", err)
		}
	}()
	return s.url, nil
}

// checkLoopback keeps the fake off every network but the loopback one.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("calendartest: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("calendartest: address %q is not a loopback address", addr)
	}
	return nil
}

// URL is the base URL given by Start ("" before).
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops the server started by Start, ends slow replies still waiting
// (without applying them) and, with StatePath, writes the state once more.
// It is safe to call more than once and without Start.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.closing)
	srv, served := s.srv, s.served
	s.mu.Unlock()

	var err error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if e := srv.Shutdown(ctx); e != nil {
			err = srv.Close()
		}
		<-served
	}
	s.mu.Lock()
	s.persistLocked()
	s.mu.Unlock()
	return err
}

func (s *Server) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// persistLocked writes the state file. A failure is counted and logged but
// does not fail the request: the change is already made in memory, and
// undoing it would be harder to reason about than a stale file.
func (s *Server) persistLocked() {
	if s.opts.StatePath == "" || s.initErr != nil {
		return
	}
	b, err := json.MarshalIndent(s.st, "", " ")
	if err == nil {
		err = writeFileAtomic(s.opts.StatePath, b)
	}
	if err != nil {
		s.stats.PersistErrors++
		s.logf("calendartest: write state %s: %v", s.opts.StatePath, err)
	}
}

// SetFaults replaces the fault configuration, including the scripted
// faults still pending, and restarts the random draws from f.Seed.
func (s *Server) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = newFaultState(f)
	return nil
}

// InjectFault makes the next count requests for op fail with kind (op ""
// means any calendar operation), ahead of random faults.
func (s *Server) InjectFault(op Op, kind FaultKind, count int) error {
	sf := ScriptedFault{Op: op, Kind: kind, Count: count}
	if err := sf.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.push(sf)
	return nil
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := newStats()
	for k, v := range s.stats.Requests {
		out.Requests[k] = v
	}
	for k, v := range s.stats.Routes {
		out.Routes[k] = v
	}
	for k, v := range s.stats.Statuses {
		out.Statuses[k] = v
	}
	for k, v := range s.stats.Faults {
		out.Faults[k] = v
	}
	for k, v := range s.stats.FaultsByOp {
		out.FaultsByOp[k] = v
	}
	out.PersistErrors, out.Unmatched = s.stats.PersistErrors, s.stats.Unmatched
	for _, c := range s.st.Calendars {
		for _, se := range c.Events {
			out.Events++
			if se.Event.Status != "cancelled" {
				out.Live++
			}
		}
	}
	return out
}

// Requests returns the request log (the most recent maxLog requests).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// TokenGrants returns the tokens issued by /token, oldest first.
func (s *Server) TokenGrants() []TokenGrant {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TokenGrant(nil), s.grants...)
}

// Events returns snapshots of a calendar's events, cancelled ones included,
// ordered by start then id; calendarID "" means every calendar.
func (s *Server) Events(calendarID string) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleAllLocked()
	return s.st.eventsOf(calendarID)
}

// CountByExtendedProperty counts events, over every calendar, that are not
// cancelled and whose extendedProperties.private[key] is value. A booking
// stored twice shows up as 2.
func (s *Server) CountByExtendedProperty(key, value string) int {
	return CountByExtendedProperty(s.Events(""), key, value)
}

// SetResponse records an attendee's answer ("accepted", "declined",
// "tentative", "needsAction") on an event, as if they had answered in their
// calendar. Like any change, it gives the event a new etag and shows up in
// incremental sync; it does not change sequence.
func (s *Server) SetResponse(calendarID, eventID, attendeeEmail, status string) error {
	switch status {
	case "accepted", "declined", "tentative", "needsAction":
	default:
		return fmt.Errorf("calendartest: unknown response status %q", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.lookupCalendar(calendarID)
	if c == nil || c.Events[eventID] == nil {
		return fmt.Errorf("calendartest: no event %s in calendar %s", eventID, calendarID)
	}
	se := c.Events[eventID]
	for _, a := range se.Event.Attendees {
		if a != nil && sameEmail(a.Email, attendeeEmail) {
			a.ResponseStatus = status
			s.touchLocked(se)
			s.persistLocked()
			return nil
		}
	}
	return fmt.Errorf("calendartest: %s is not invited to event %s", attendeeEmail, eventID)
}

// SetBusy replaces the busy periods seeded for a calendar; freeBusy reports
// them together with the calendar's events.
func (s *Server) SetBusy(calendarID string, busy ...Interval) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.calendar(calendarID).Busy = append([]Interval(nil), busy...)
	s.persistLocked()
}

// SetCalendarError makes freeBusy report the per-calendar error reason
// (e.g. "notFound", "internalError") for calendarID; "" clears it.
func (s *Server) SetCalendarError(calendarID, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.calendar(calendarID).Error = reason
	s.persistLocked()
}

// ExpireSyncTokens makes every sync token issued so far for calendarID
// invalid (410 fullSyncRequired), as Google does from time to time.
func (s *Server) ExpireSyncTokens(calendarID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.calendar(calendarID).SyncEpoch++
	s.persistLocked()
}

// ---- request plumbing ----

// maxBody bounds request bodies; Calendar events are small.
const maxBody = 1 << 20

// call is one API request after authentication.
type call struct {
	r       *http.Request
	body    []byte
	subject string
}

// reply is what a handler decided; the wrapper writes it, or loses it.
type reply struct {
	status int
	body   any // JSON-encoded; nil for no body
	header http.Header
}

func jsonReply(status int, body any) reply { return reply{status: status, body: body} }

// api wraps a handler with what every API call shares: counting and
// logging, bearer-token checks, and fault injection.
func (s *Server) api(op Op, needAuth bool, h func(*call) reply) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := Request{
			Time:        s.now(),
			Op:          op,
			Method:      r.Method,
			Path:        r.URL.Path,
			CalendarID:  r.PathValue("calendarId"),
			EventID:     r.PathValue("eventId"),
			SendUpdates: r.URL.Query().Get("sendUpdates"),
		}
		route := r.Pattern
		finish := func(rep reply, fault FaultKind, lost bool) {
			rec.Status, rec.Fault = rep.status, fault
			s.record(rec, route)
			if lost {
				s.hangUp(w)
				return
			}
			writeReply(w, rep)
		}
		if s.initErr != nil {
			finish(apiError(http.StatusInternalServerError, "global", "backendError", "fake not usable: "+s.initErr.Error()), "", false)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			finish(apiError(http.StatusBadRequest, "global", "badRequest", "Request body unreadable or too large."), "", false)
			return
		}
		c := &call{r: r, body: body}
		if needAuth {
			tok, ok := bearer(r)
			if !ok {
				finish(authError("required", "Login Required."), "", false)
				return
			}
			s.mu.Lock()
			subject, issued := s.st.Tokens[tok]
			s.mu.Unlock()
			if !issued && s.opts.RequireIssuedTokens {
				finish(authError("authError", "Invalid Credentials"), "", false)
				return
			}
			c.subject = subject
			rec.Subject = subject
		}

		s.mu.Lock()
		fault := s.faults.pick(op)
		slow, retryAfter := s.faults.slowDelay(), s.faults.cfg.RetryAfter
		s.mu.Unlock()

		switch fault {
		case "":
		case FaultSlow:
			t := time.NewTimer(slow)
			select {
			case <-t.C:
			case <-s.closing:
				// Shutting down: hang up without applying, so Close
				// never waits for a slow reply.
				t.Stop()
				finish(reply{}, fault, true)
				return
			}
		case FaultLostReply:
		default:
			rep := faultReply(fault)
			if fault == Fault429 && retryAfter > 0 {
				rep.header = http.Header{"Retry-After": {strconv.Itoa(max(1, int(retryAfter.Round(time.Second)/time.Second)))}}
			}
			finish(rep, fault, false)
			return
		}
		rep := h(c)
		finish(rep, fault, fault == FaultLostReply)
	})
}

func (s *Server) record(rec Request, route string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Requests[rec.Op]++
	if route != "" {
		s.stats.Routes[route]++
	}
	s.stats.Statuses[rec.Status]++
	if rec.Fault != "" {
		s.stats.Faults[rec.Fault]++
		s.stats.FaultsByOp[rec.Op]++
	}
	if len(s.log) >= maxLog {
		s.log = append(s.log[:0], s.log[len(s.log)-maxLog/2:]...)
	}
	s.log = append(s.log, rec)
}

// hangUp closes the connection without a reply. The server only speaks
// HTTP/1.1, where hijacking works; should it not, the fallback promises a
// longer body than it sends, which makes net/http cut the connection too,
// so the client fails reading the reply either way.
func (s *Server) hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		if err := conn.Close(); err != nil {
			s.logf("calendartest: hang up: %v", err)
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "1024")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("{"))
}

func writeReply(w http.ResponseWriter, rep reply) {
	for k, vs := range rep.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if rep.status == 0 {
		rep.status = http.StatusOK
	}
	if rep.body == nil {
		w.WriteHeader(rep.status)
		return
	}
	b, err := json.Marshal(rep.body)
	if err != nil {
		rep = apiError(http.StatusInternalServerError, "global", "backendError", "fake could not encode reply: "+err.Error())
		b, _ = json.Marshal(rep.body)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(rep.status)
	_, _ = w.Write(b)
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// ---- Google's JSON error format ----

type errorItem struct {
	Domain       string `json:"domain"`
	Reason       string `json:"reason"`
	Message      string `json:"message"`
	LocationType string `json:"locationType,omitempty"`
	Location     string `json:"location,omitempty"`
}

type errorBody struct {
	Code    int         `json:"code"`
	Message string      `json:"message"`
	Errors  []errorItem `json:"errors"`
	Status  string      `json:"status,omitempty"`
}

// grpcStatus is the "status" Google's JSON errors carry beside the code.
func grpcStatus(code int) string {
	switch code {
	case 400:
		return "INVALID_ARGUMENT"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 409:
		return "ALREADY_EXISTS"
	case 412:
		return "FAILED_PRECONDITION"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 500:
		return "INTERNAL"
	case 503:
		return "UNAVAILABLE"
	}
	return ""
}

func apiError(code int, domain, reason, msg string) reply {
	return apiErrorAt(code, domain, reason, msg, "", "")
}

func apiErrorAt(code int, domain, reason, msg, locType, loc string) reply {
	return jsonReply(code, map[string]errorBody{"error": {
		Code:    code,
		Message: msg,
		Errors:  []errorItem{{Domain: domain, Reason: reason, Message: msg, LocationType: locType, Location: loc}},
		Status:  grpcStatus(code),
	}})
}

func authError(reason, msg string) reply {
	rep := apiErrorAt(http.StatusUnauthorized, "global", reason, msg, "header", "Authorization")
	rep.header = http.Header{"Www-Authenticate": {`Bearer realm="https://accounts.google.com/"`}}
	return rep
}

func badRequest(reason, msg string) reply {
	return apiError(http.StatusBadRequest, "global", reason, msg)
}

func notFound() reply { return apiError(http.StatusNotFound, "global", "notFound", "Not Found") }

func faultReply(k FaultKind) reply {
	switch k {
	case Fault429:
		return apiError(http.StatusTooManyRequests, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")
	case Fault403RateLimit:
		return apiError(http.StatusForbidden, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")
	case Fault403UserRateLimit:
		return apiError(http.StatusForbidden, "usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded")
	case Fault503:
		return apiError(http.StatusServiceUnavailable, "global", "backendError", "The service is currently unavailable.")
	default:
		return apiError(http.StatusInternalServerError, "global", "backendError", "Backend Error")
	}
}
