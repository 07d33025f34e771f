package google_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	"github.com/debrief-dev/debrief/internal/calendar/google"
)

// pushBooking is what the booking job does with each attempt: insert under
// the booking's id; Exists means an earlier attempt got through, which Get
// confirms by the booking id; Retryable is tried again (the real job waits
// with backoff and jitter between attempts, and gives up after its last).
func pushBooking(ctx context.Context, p *google.Provider, ev calendar.Event) (attempts int, err error) {
	for attempts = 1; attempts <= 50; attempts++ {
		_, err := p.Create(ctx, ev)
		if err == nil {
			return attempts, nil
		}
		switch calendar.KindOf(err) {
		case calendar.Retryable:
			continue
		case calendar.Exists:
			got, err := p.Get(ctx, ev.Organizer, ev.ID)
			if calendar.KindOf(err) == calendar.Retryable {
				continue // the next insert is Exists again, then Get
			}
			if err != nil {
				return attempts, err
			}
			if got.BookingID != ev.BookingID {
				return attempts, fmt.Errorf("event %s holds booking %q, not %q", ev.ID, got.BookingID, ev.BookingID)
			}
			return attempts, nil
		default:
			return attempts, err
		}
	}
	return attempts, fmt.Errorf("booking %s: gave up", ev.BookingID)
}

// TestRetryLoopUnderFaults: 200 bookings against 30% random faults of
// every kind, lost replies included: exactly 200 events, none twice.
func TestRetryLoopUnderFaults(t *testing.T) {
	s, url := startFake(t, calendartest.Options{Faults: calendartest.Faults{
		Rate:      0.3,
		Seed:      20300304,
		SlowDelay: 150 * time.Millisecond,
	}})
	// Slow replies outlast the per-call timeout: the insert is applied
	// after the client gave up, as with a real timeout.
	p := newProvider(t, url, func(c *google.Config) { c.Timeout = 75 * time.Millisecond })
	ctx := ctxT(t)

	const n, workers = 200, 8
	began := time.Now()
	ids := make(chan int)
	var mu sync.Mutex
	var errs []error
	total := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				bid := fmt.Sprintf("b1f0c0de-0000-4000-8000-%012d", i)
				ev := booking(bid, t0.Add(time.Duration(i)*time.Hour))
				a, err := pushBooking(ctx, p, ev)
				mu.Lock()
				total += a
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		ids <- i
	}
	close(ids)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d bookings failed, first: %v", len(errs), errs[0])
	}

	st := s.Stats()
	if st.Events != n || st.Live != n {
		t.Fatalf("fake holds %d events (%d live), want %d", st.Events, st.Live, n)
	}
	elapsed := time.Since(began)
	evs := s.Events("") // one snapshot: Server.CountByExtendedProperty takes one per call
	for i := range n {
		bid := fmt.Sprintf("b1f0c0de-0000-4000-8000-%012d", i)
		if c := calendartest.CountByExtendedProperty(evs, google.BookingIDProperty, bid); c != 1 {
			t.Fatalf("booking %s stored %d times", bid, c)
		}
	}
	if st.Faults[calendartest.FaultLostReply] == 0 || st.Faults[calendartest.FaultSlow] == 0 {
		t.Fatalf("the run met no lost or slow reply: %v", st.Faults)
	}
	calls := p.Calls()
	t.Logf("%v: %d bookings: %d attempts, %d inserts, %d gets; faults %v", elapsed, n, total, calls.Insert, calls.Get, st.Faults)
}
