package calendartest

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// FaultKind is one kind of injected failure.
type FaultKind string

// The faults the fake can inject. Apart from FaultSlow and FaultLostReply,
// a fault replies with the error instead of handling the request, so the
// request changes nothing.
const (
	// Fault429 is 429 usageLimits/rateLimitExceeded (RESOURCE_EXHAUSTED).
	Fault429 FaultKind = "429"
	// Fault403RateLimit is 403 usageLimits/rateLimitExceeded, which Calendar
	// returns for per-calendar or per-user request rates.
	Fault403RateLimit FaultKind = "403-rateLimitExceeded"
	// Fault403UserRateLimit is 403 usageLimits/userRateLimitExceeded.
	Fault403UserRateLimit FaultKind = "403-userRateLimitExceeded"
	// Fault500 is 500 global/backendError.
	Fault500 FaultKind = "500"
	// Fault503 is 503 global/backendError (UNAVAILABLE).
	Fault503 FaultKind = "503"
	// FaultSlow waits Faults.SlowDelay, then handles the request as usual.
	// It still applies the request if the client has hung up meanwhile, as a
	// real server would; only Close stops the wait without applying.
	FaultSlow FaultKind = "slow"
	// FaultLostReply handles the request (a change is applied and stored),
	// then closes the connection without writing a reply.
	FaultLostReply FaultKind = "lost"
)

// AllFaultKinds lists every kind, in a fixed order. It returns a new slice
// each time, so no caller can change another's defaults.
func AllFaultKinds() []FaultKind {
	return []FaultKind{Fault429, Fault403RateLimit, Fault403UserRateLimit, Fault500, Fault503, FaultSlow, FaultLostReply}
}

// Op names an API method, as Google names them.
type Op string

// The operations the fake serves.
const (
	OpFreeBusy Op = "freebusy.query"
	OpInsert   Op = "events.insert"
	OpGet      Op = "events.get"
	OpList     Op = "events.list"
	OpPatch    Op = "events.patch"
	OpUpdate   Op = "events.update"
	OpDelete   Op = "events.delete"
	OpToken    Op = "oauth2.token"
)

// CalendarOps lists the calendar API operations; random faults apply to
// them by default (not to the token endpoint). It returns a new slice each
// time.
func CalendarOps() []Op {
	return []Op{OpFreeBusy, OpInsert, OpGet, OpList, OpPatch, OpUpdate, OpDelete}
}

// DefaultSlowDelay and MaxSlowDelay bound FaultSlow, so a test can never
// hang on the fake for long.
const (
	DefaultSlowDelay = time.Second
	MaxSlowDelay     = 30 * time.Second
)

// ScriptedFault makes the next Count requests for Op fail with Kind, e.g.
// {OpInsert, Fault503, 3} for "the next 3 inserts fail with 503". Op ""
// matches any calendar operation.
type ScriptedFault struct {
	Op    Op        `json:"op,omitempty"`
	Kind  FaultKind `json:"kind"`
	Count int       `json:"count,omitempty"` // 0 means 1
}

// Faults configures fault injection. Scripted faults are used first, in
// order; then each request for one of Ops fails with probability Rate, with
// a kind drawn from Kinds. The draws come from a generator seeded with Seed,
// so one sequence of requests always gets the same faults.
type Faults struct {
	Rate  float64     `json:"rate,omitempty"`
	Kinds []FaultKind `json:"kinds,omitempty"` // empty: AllFaultKinds()
	Ops   []Op        `json:"ops,omitempty"`   // empty: CalendarOps()
	Seed  uint64      `json:"seed,omitempty"`
	// SlowDelay is how long FaultSlow waits (default DefaultSlowDelay, at
	// most MaxSlowDelay).
	SlowDelay time.Duration `json:"slowDelay,omitempty"`
	// RetryAfter, when positive, is sent as Retry-After (whole seconds,
	// at least 1) with 429 replies.
	RetryAfter time.Duration   `json:"retryAfter,omitempty"`
	Script     []ScriptedFault `json:"script,omitempty"`
}

// Validate reports a configuration the fake cannot follow.
func (f Faults) Validate() error {
	if f.Rate < 0 || f.Rate > 1 {
		return fmt.Errorf("calendartest: fault rate %v not in [0,1]", f.Rate)
	}
	if f.SlowDelay < 0 || f.SlowDelay > MaxSlowDelay {
		return fmt.Errorf("calendartest: slow delay %v not in [0,%v]", f.SlowDelay, MaxSlowDelay)
	}
	for _, k := range f.Kinds {
		if !validKind(k) {
			return fmt.Errorf("calendartest: unknown fault kind %q", k)
		}
	}
	for _, op := range f.Ops {
		if !validOp(op) {
			return fmt.Errorf("calendartest: unknown op %q", op)
		}
	}
	for _, sf := range f.Script {
		if err := sf.validate(); err != nil {
			return err
		}
	}
	return nil
}

func (sf ScriptedFault) validate() error {
	if !validKind(sf.Kind) {
		return fmt.Errorf("calendartest: unknown fault kind %q", sf.Kind)
	}
	if sf.Op != "" && !validOp(sf.Op) {
		return fmt.Errorf("calendartest: unknown op %q", sf.Op)
	}
	if sf.Count < 0 {
		return fmt.Errorf("calendartest: negative fault count %d", sf.Count)
	}
	return nil
}

func validKind(k FaultKind) bool {
	for _, a := range AllFaultKinds() {
		if a == k {
			return true
		}
	}
	return false
}

func validOp(op Op) bool {
	if op == OpToken {
		return true
	}
	for _, a := range CalendarOps() {
		if a == op {
			return true
		}
	}
	return false
}

// faultState is the live fault configuration, guarded by Server.mu.
type faultState struct {
	cfg    Faults
	script []ScriptedFault // remaining, with Count >= 1
	rng    *rand.Rand
}

func newFaultState(f Faults) *faultState {
	fs := &faultState{cfg: f, rng: rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))}
	for _, sf := range f.Script {
		fs.push(sf)
	}
	return fs
}

func (fs *faultState) push(sf ScriptedFault) {
	if sf.Count == 0 {
		sf.Count = 1
	}
	fs.script = append(fs.script, sf)
}

// pick decides the fault for one request of op, or "" for none.
func (fs *faultState) pick(op Op) FaultKind {
	for i := range fs.script {
		sf := &fs.script[i]
		if sf.Op == op || (sf.Op == "" && op != OpToken) {
			k := sf.Kind
			sf.Count--
			if sf.Count <= 0 {
				fs.script = append(fs.script[:i], fs.script[i+1:]...)
			}
			return k
		}
	}
	if fs.cfg.Rate <= 0 || !fs.applies(op) {
		return ""
	}
	// Draw both numbers every time, so the kind sequence does not depend
	// on which requests were spared.
	p, n := fs.rng.Float64(), fs.rng.Uint64()
	if p >= fs.cfg.Rate {
		return ""
	}
	kinds := fs.cfg.Kinds
	if len(kinds) == 0 {
		kinds = AllFaultKinds()
	}
	return kinds[n%uint64(len(kinds))]
}

func (fs *faultState) applies(op Op) bool {
	ops := fs.cfg.Ops
	if len(ops) == 0 {
		ops = CalendarOps()
	}
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

func (fs *faultState) slowDelay() time.Duration {
	d := fs.cfg.SlowDelay
	if d <= 0 {
		d = DefaultSlowDelay
	}
	return min(d, MaxSlowDelay)
}
