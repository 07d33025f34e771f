package calendartest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
)

func TestErrorFaultsApplyNothing(t *testing.T) {
	cases := []struct {
		kind   calendartest.FaultKind
		code   int
		reason string
	}{
		{calendartest.Fault429, 429, "rateLimitExceeded"},
		{calendartest.Fault403RateLimit, 403, "rateLimitExceeded"},
		{calendartest.Fault403UserRateLimit, 403, "userRateLimitExceeded"},
		{calendartest.Fault500, 500, "backendError"},
		{calendartest.Fault503, 503, "backendError"},
	}
	for i, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			s, svc := newFake(t, calendartest.Options{Faults: calendartest.Faults{RetryAfter: 2 * time.Second}})
			ctx := ctxT(t)
			id := fmt.Sprintf("fault%04d", i)
			if err := s.InjectFault(calendartest.OpInsert, tc.kind, 1); err != nil {
				t.Fatal(err)
			}
			_, err := svc.Events.Insert(org, booking(id, "x", t0)).Context(ctx).Do()
			gerr := apiErr(t, err, tc.code, tc.reason)
			if tc.kind == calendartest.Fault429 && gerr.Header.Get("Retry-After") != "2" {
				t.Fatalf("Retry-After = %q", gerr.Header.Get("Retry-After"))
			}
			// The client library sent the request once: it does not
			// retry calendar calls by itself.
			if n := s.Stats().Requests[calendartest.OpInsert]; n != 1 {
				t.Fatalf("fake saw %d inserts, want 1", n)
			}
			if n := len(s.Events("")); n != 0 {
				t.Fatalf("failed insert stored %d events", n)
			}
			if _, err := svc.Events.Insert(org, booking(id, "x", t0)).Context(ctx).Do(); err != nil {
				t.Fatalf("retry after the fault: %v", err)
			}
			st := s.Stats()
			if st.Faults[tc.kind] != 1 || st.FaultsByOp[calendartest.OpInsert] != 1 || st.Live != 1 {
				t.Fatalf("stats: %+v", st)
			}
		})
	}
}

func TestScriptedFaultsOnPatchAndDelete(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{})
	ctx := ctxT(t)
	ins, err := svc.Events.Insert(org, booking("script001", "x", t0)).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InjectFault(calendartest.OpPatch, calendartest.Fault503, 3); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_, err := svc.Events.Patch(org, ins.Id, &calendar.Event{Summary: "y"}).Context(ctx).Do()
		apiErr(t, err, 503, "")
	}
	if e := s.Events(org)[0]; e.Summary != "x" || e.ETag != ins.Etag {
		t.Fatalf("failed patches changed the event: %+v", e)
	}
	if _, err := svc.Events.Patch(org, ins.Id, &calendar.Event{Summary: "y"}).Context(ctx).Do(); err != nil {
		t.Fatalf("fourth patch: %v", err)
	}
	// Op "" hits the next calendar call of any kind.
	if err := s.InjectFault("", calendartest.Fault500, 1); err != nil {
		t.Fatal(err)
	}
	apiErr(t, svc.Events.Delete(org, ins.Id).Context(ctx).Do(), 500, "backendError")
	if e := s.Events(org)[0]; e.Status != "confirmed" {
		t.Fatalf("failed delete cancelled the event")
	}
	if err := s.InjectFault(calendartest.OpInsert, "bogus", 1); err == nil {
		t.Fatal("unknown fault kind accepted")
	}
}

func TestSlowReplyStillApplies(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{Faults: calendartest.Faults{SlowDelay: 300 * time.Millisecond}})
	if err := s.InjectFault(calendartest.OpInsert, calendartest.FaultSlow, 2); err != nil {
		t.Fatal(err)
	}
	// The client gives up first...
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := svc.Events.Insert(org, booking("pause0001", "x", t0)).Context(ctx).Do()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a deadline error, got %v", err)
	}
	// ...but the server still does the work, as Google would.
	deadline := time.Now().Add(5 * time.Second)
	for s.CountByExtendedProperty("debriefBooking", "pause0001") != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("slow insert never applied: %+v", s.Requests())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A patient client just gets the reply late.
	start := time.Now()
	if _, err := svc.Events.Insert(org, booking("pause0002", "x", t0)).Context(ctxT(t)).Do(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Fatalf("slow reply took only %v", d)
	}
}

func TestLostReplyAppliesButClientSeesError(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{})
	ctx := ctxT(t)
	if err := s.InjectFault(calendartest.OpInsert, calendartest.FaultLostReply, 1); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Events.Insert(org, booking("lost00001", "x", t0)).Context(ctx).Do()
	if err == nil {
		t.Fatal("lost reply: no error")
	}
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		t.Fatalf("lost reply came back as an API error: %v", err)
	}
	if n := s.CountByExtendedProperty("debriefBooking", "lost00001"); n != 1 {
		t.Fatalf("lost insert stored %d events, want 1", n)
	}
	// Retrying with the same id is how a client finds out it was applied.
	_, err = svc.Events.Insert(org, booking("lost00001", "x", t0)).Context(ctx).Do()
	apiErr(t, err, 409, "duplicate")
	if n := s.Stats().Requests[calendartest.OpInsert]; n != 2 {
		t.Fatalf("fake saw %d inserts, want 2 (no hidden retries)", n)
	}
}

// TestLostReplyToGetIsRetriedByNetHTTP pins down a client-side behaviour
// that "exactly once" tests must allow for: net/http resends a GET whose
// reply was lost on a reused keep-alive connection, so the caller never
// sees the fault.
func TestLostReplyToGetIsRetriedByNetHTTP(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{})
	ctx := ctxT(t)
	if _, err := svc.Events.Insert(org, booking("lost00002", "x", t0)).Context(ctx).Do(); err != nil {
		t.Fatal(err) // also leaves an idle keep-alive connection
	}
	if err := s.InjectFault(calendartest.OpGet, calendartest.FaultLostReply, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Events.Get(org, "lost00002").Context(ctx).Do(); err != nil {
		t.Fatalf("get after a lost reply: %v", err)
	}
	if n := s.Stats().Requests[calendartest.OpGet]; n != 2 {
		t.Fatalf("fake saw %d gets, want 2 (one lost, one resent by net/http)", n)
	}
}

// TestRandomFaultsNoDuplicates is a small version of the booking soak: a
// naive retry loop that treats 409 as "already there" ends with every
// booking stored exactly once, whatever faults were injected.
func TestRandomFaultsNoDuplicates(t *testing.T) {
	s, svc := newFake(t, calendartest.Options{Faults: calendartest.Faults{
		Rate: 0.3, Seed: 42, SlowDelay: 20 * time.Millisecond,
	}})
	ctx := ctxT(t)
	const n = 60
	for i := range n {
		id := fmt.Sprintf("soak%05d", i)
		for attempt := 0; ; attempt++ {
			if attempt > 20 {
				t.Fatalf("%s: gave up", id)
			}
			_, err := svc.Events.Insert(org, booking(id, "x", t0.Add(time.Duration(i)*time.Hour))).Context(ctx).Do()
			var gerr *googleapi.Error
			if err == nil || (errors.As(err, &gerr) && gerr.Code == 409) {
				break
			}
		}
	}
	for i := range n {
		if c := s.CountByExtendedProperty("debriefBooking", fmt.Sprintf("soak%05d", i)); c != 1 {
			t.Fatalf("booking %d stored %d times", i, c)
		}
	}
	st := s.Stats()
	if st.Live != n {
		t.Fatalf("%d live events, want %d", st.Live, n)
	}
	for _, k := range calendartest.AllFaultKinds() {
		if st.Faults[k] == 0 {
			t.Errorf("no %s fault in %d requests", k, st.Requests[calendartest.OpInsert])
		}
	}
}

func TestRandomFaultsAreDeterministic(t *testing.T) {
	run := func() []calendartest.FaultKind {
		s, svc := newFake(t, calendartest.Options{Faults: calendartest.Faults{
			Rate: 0.5, Seed: 7, Kinds: []calendartest.FaultKind{calendartest.Fault429, calendartest.Fault500},
		}})
		for range 30 {
			_, _ = svc.Events.Get(org, "nothing0").Context(ctxT(t)).Do()
		}
		var out []calendartest.FaultKind
		for _, r := range s.Requests() {
			out = append(out, r.Fault)
		}
		return out
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	if !slices.Contains(a, calendartest.Fault429) || !slices.Contains(a, "") {
		t.Fatalf("unexpected fault sequence %v", a)
	}
}

func TestFaultsOverControlRoute(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	svc := newService(t, url)
	body := `{"rate":1,"kinds":["403-userRateLimitExceeded"],"ops":["events.list"]}`
	req, err := http.NewRequest(http.MethodPut, url+"/_fake/faults", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT /_fake/faults: %s", resp.Status)
	}
	ctx := ctxT(t)
	_, err = svc.Events.List(org).Context(ctx).Do()
	apiErr(t, err, 403, "userRateLimitExceeded")
	// Other operations are spared.
	if _, err := svc.Events.Insert(org, booking("spared001", "x", t0)).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFaults(calendartest.Faults{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Events.List(org).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
}
