package jobs

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// Backoff is exponential backoff with full jitter: after attempt n fails
// the job waits a uniformly random time in [0, min(Cap, Base·2^(n-1))].
// It is River's ClientRetryPolicy for every Runner.
type Backoff struct {
	Base time.Duration
	Cap  time.Duration
}

// Ceiling is the longest wait after attempt (1-based) fails.
func (b Backoff) Ceiling(attempt int) time.Duration {
	if b.Base <= 0 || b.Cap <= 0 {
		return 0
	}
	d := min(b.Base, b.Cap)
	for i := 1; i < attempt; i++ {
		if d > b.Cap/2 {
			return b.Cap
		}
		d *= 2
	}
	return d
}

// Delay draws the wait after attempt fails.
func (b Backoff) Delay(attempt int) time.Duration {
	c := b.Ceiling(attempt)
	if c <= 0 {
		return 0
	}
	return rand.N(c + 1)
}

// NextRetry implements river.ClientRetryPolicy. job.Attempt is the attempt
// that just failed.
func (b Backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(b.Delay(job.Attempt))
}
