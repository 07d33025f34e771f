package google_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

// TestErrorFaultsAreRetryable: rate limits and server errors change
// nothing and are Retryable; the provider sends each request once.
func TestErrorFaultsAreRetryable(t *testing.T) {
	for _, kind := range []calendartest.FaultKind{
		calendartest.Fault429, calendartest.Fault403RateLimit, calendartest.Fault403UserRateLimit,
		calendartest.Fault500, calendartest.Fault503,
	} {
		t.Run(string(kind), func(t *testing.T) {
			s, url := startFake(t, calendartest.Options{})
			p := newProvider(t, url, nil)
			ctx := ctxT(t)
			if err := s.InjectFault(calendartest.OpInsert, kind, 1); err != nil {
				t.Fatal(err)
			}
			ev := booking("fault-"+string(kind), t0)
			_, err := p.Create(ctx, ev)
			ce := wantKind(t, err, calendar.Retryable)
			if ce.RetryAfter != 0 {
				t.Fatalf("retry after %v without a Retry-After header", ce.RetryAfter)
			}
			if n := len(s.Events("")); n != 0 {
				t.Fatalf("%d events stored by a refused insert", n)
			}
			if n := s.Stats().Requests[calendartest.OpInsert]; n != 1 {
				t.Fatalf("fake saw %d inserts, want 1: the provider must not retry", n)
			}
			if _, err := p.Create(ctx, ev); err != nil {
				t.Fatalf("retry: %v", err)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	_, url := startFake(t, calendartest.Options{Faults: calendartest.Faults{
		RetryAfter: 7 * time.Second,
		Script:     []calendartest.ScriptedFault{{Op: calendartest.OpGet, Kind: calendartest.Fault429}},
	}})
	p := newProvider(t, url, nil)
	_, err := p.Get(ctxT(t), org, "abcdef12")
	ce := wantKind(t, err, calendar.Retryable)
	if ce.RetryAfter != 7*time.Second {
		t.Fatalf("RetryAfter = %v, want 7s", ce.RetryAfter)
	}
}

// TestLostReplyOnInsert: the insert is applied but the reply never comes.
// The caller sees Retryable; its retry is Exists, and Get shows the event
// is the booking's.
func TestLostReplyOnInsert(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	if err := s.InjectFault(calendartest.OpInsert, calendartest.FaultLostReply, 1); err != nil {
		t.Fatal(err)
	}
	ev := booking("lost-reply", t0)
	_, err := p.Create(ctx, ev)
	wantKind(t, err, calendar.Retryable)
	if n := s.CountByExtendedProperty(google.BookingIDProperty, "lost-reply"); n != 1 {
		t.Fatalf("lost insert stored %d events, want 1", n)
	}
	_, err = p.Create(ctx, ev)
	wantKind(t, err, calendar.Exists)
	got, err := p.Get(ctx, org, ev.ID)
	if err != nil || got.BookingID != "lost-reply" {
		t.Fatalf("reconcile: %+v %v", got, err)
	}
	if n := s.Stats().Requests[calendartest.OpInsert]; n != 2 {
		t.Fatalf("fake saw %d inserts, want 2", n)
	}
}

func TestLostReplyOnCancelThenRetry(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	ev, err := p.Create(ctx, booking("lost-cancel", t0))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InjectFault(calendartest.OpDelete, calendartest.FaultLostReply, 1); err != nil {
		t.Fatal(err)
	}
	wantKind(t, p.Cancel(ctx, org, ev.ID), calendar.Retryable)
	if err := p.Cancel(ctx, org, ev.ID); err != nil {
		t.Fatalf("retried cancel: %v", err)
	}
}

// TestSlowReplyTimesOut: the per-call timeout gives up (Retryable) while
// the fake still applies the insert; the retry then finds it.
func TestSlowReplyTimesOut(t *testing.T) {
	s, url := startFake(t, calendartest.Options{Faults: calendartest.Faults{SlowDelay: 300 * time.Millisecond}})
	p := newProvider(t, url, func(c *google.Config) { c.Timeout = 100 * time.Millisecond })
	ctx := ctxT(t)
	// Fetch the token first, so the timeout only meets the slow insert.
	if _, err := p.Get(ctx, org, "warmup1"); calendar.KindOf(err) != calendar.NotFound {
		t.Fatal(err)
	}
	if err := s.InjectFault(calendartest.OpInsert, calendartest.FaultSlow, 1); err != nil {
		t.Fatal(err)
	}
	ev := booking("slow", t0)
	_, err := p.Create(ctx, ev)
	wantKind(t, err, calendar.Retryable)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the per-call deadline in the chain: %v", err)
	}
	for deadline := time.Now().Add(5 * time.Second); s.CountByExtendedProperty(google.BookingIDProperty, "slow") != 1; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("slow insert never applied")
		}
	}
	_, err = p.Create(ctx, ev)
	wantKind(t, err, calendar.Exists)
}

// TestCallerCancellationIsNotRetryable: when the caller gives up, the
// error says so (context.Canceled) and is no *calendar.Error verdict.
func TestCallerCancellationIsNotRetryable(t *testing.T) {
	s, url := startFake(t, calendartest.Options{Faults: calendartest.Faults{SlowDelay: 2 * time.Second}})
	p := newProvider(t, url, nil)
	if err := s.InjectFault(calendartest.OpInsert, calendartest.FaultSlow, 1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := p.Create(ctx, booking("caller-gone", t0))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	var ce *calendar.Error
	if errors.As(err, &ce) || calendar.KindOf(err) == calendar.Retryable {
		t.Fatalf("caller cancellation classified as %v", err)
	}
}

func TestServerRefusalsArePermanent(t *testing.T) {
	_, url := startFake(t, calendartest.Options{})
	// The fake knows only hangoutsMeet: another solution is a 400.
	p := newProvider(t, url, func(c *google.Config) { c.ConferenceSolution = "eventHangout" })
	_, err := p.Create(ctxT(t), booking("bad-conference", t0))
	wantKind(t, err, calendar.Permanent)
}

func TestTokenEndpointErrors(t *testing.T) {
	s, url := startFake(t, calendartest.Options{})
	if err := s.InjectFault(calendartest.OpToken, calendartest.Fault503, 1); err != nil {
		t.Fatal(err)
	}
	p := newProvider(t, url, nil)
	ctx := ctxT(t)
	_, err := p.Get(ctx, org, "abcdef12")
	wantKind(t, err, calendar.Retryable)
	_, err = p.Get(ctx, org, "abcdef12")
	wantKind(t, err, calendar.NotFound) // token fetched this time

	// A token endpoint that refuses the request (here 404) is Permanent.
	sa := newProvider(t, url, func(c *google.Config) {
		c.OAuth = nil
		c.CredentialsJSON = serviceAccountJSON(t, url+"/no-such-token-endpoint")
	})
	_, err = sa.Get(ctx, org, "abcdef12")
	wantKind(t, err, calendar.Permanent)
}

func TestEndpointWithoutTrailingSlash(t *testing.T) {
	_, url := startFake(t, calendartest.Options{})
	p := newProvider(t, url, func(c *google.Config) { c.Endpoint = url + "/calendar/v3" })
	if _, err := p.Create(ctxT(t), booking("slash", t0)); err != nil {
		t.Fatal(err)
	}
}
