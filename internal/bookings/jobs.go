package bookings

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// JobArgs is a job's payload. Kind names the job for the queue; the args
// marshal to JSON with the field names below.
type JobArgs interface{ Kind() string }

// Job kinds. Stable strings: they are stored with queued jobs.
const (
	KindPush   = "booking_push"
	KindCancel = "booking_cancel"
	KindSync   = "booking_sync_responses"
)

// PushArgs asks for the booking's current details to be written to its
// calendar (Service.Push).
type PushArgs struct {
	BookingID string `json:"booking_id"`
}

// Kind implements JobArgs.
func (PushArgs) Kind() string { return KindPush }

// CancelArgs asks for the booking's calendar event to be cancelled
// (Service.CancelRemote).
type CancelArgs struct {
	BookingID string `json:"booking_id"`
}

// Kind implements JobArgs.
func (CancelArgs) Kind() string { return KindCancel }

// SyncArgs asks for attendee answers and new conflicts to be read
// (Service.SyncResponses). It is meant to run periodically.
type SyncArgs struct{}

// Kind implements JobArgs.
func (SyncArgs) Kind() string { return KindSync }

// EnqueueOpts tunes one enqueue.
type EnqueueOpts struct {
	// UniqueByArgs asks the queue not to add the job when one of the same
	// kind and args is still waiting or running. Finished jobs must not
	// count, or a Retry after a failure could never enqueue again.
	UniqueByArgs bool
	// ScheduledAt delays the job; zero means now.
	ScheduledAt time.Time
}

// Enqueuer adds a job inside tx, the GORM transaction of the change that
// needs it, so the job exists if and only if the change commits.
// internal/jobs implements it; bookings never imports the queue.
type Enqueuer interface {
	EnqueueTx(ctx context.Context, tx *gorm.DB, args JobArgs, opts *EnqueueOpts) error
}

// RetryError says the job should run again later. After is the calendar's
// own hint (Retry-After); zero means "use your backoff policy".
type RetryError struct {
	After time.Duration
	Err   error
}

func (e *RetryError) Error() string {
	if e.After > 0 {
		return fmt.Sprintf("retry in %s: %v", e.After, e.Err)
	}
	return fmt.Sprintf("retry: %v", e.Err)
}

func (e *RetryError) Unwrap() error { return e.Err }

// ErrGiveUp is matched (errors.Is) by every GiveUpError.
var ErrGiveUp = errors.New("giving up")

// GiveUpError says running the job again cannot help: the booking has
// been marked failed with a reason, and a person must act (Retry, edit or
// cancel). The queue should not retry it.
type GiveUpError struct {
	Err error
}

func (e *GiveUpError) Error() string { return "giving up: " + e.Err.Error() }

func (e *GiveUpError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrGiveUp) true.
func (e *GiveUpError) Is(target error) bool { return target == ErrGiveUp }

func (s *Service) enqueue(ctx context.Context, tx *gorm.DB, args JobArgs, opts *EnqueueOpts) error {
	if s.enq == nil {
		return fmt.Errorf("enqueue %s: no job queue is configured", args.Kind())
	}
	if err := s.enq.EnqueueTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}
