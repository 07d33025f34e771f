package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/bookings"
)

// BookingQueue adapts a Runner to bookings.Enqueuer. It exists before the
// Runner does (the booking service is built first, because the Runner's
// workers call it), so Bind sets the Runner afterwards.
type BookingQueue struct {
	r *Runner
}

// Bind attaches the Runner that stores the jobs.
func (q *BookingQueue) Bind(r *Runner) { q.r = r }

// EnqueueTx implements bookings.Enqueuer.
func (q *BookingQueue) EnqueueTx(ctx context.Context, tx *gorm.DB, args bookings.JobArgs, o *bookings.EnqueueOpts) error {
	if q.r == nil {
		return errors.New("jobs: booking queue used before a runner was bound")
	}
	opts := &InsertOpts{}
	if o != nil {
		opts.Unique = o.UniqueByArgs
		opts.ScheduledAt = o.ScheduledAt
	}
	return q.r.EnqueueTx(ctx, tx, args, opts)
}

// RegisterBookingWorkers adds the workers that finish bookings: pushing
// them to the calendar, cancelling them there, and reading responses.
func RegisterBookingWorkers(w *river.Workers, svc *bookings.Service) {
	AddWorker(w, func(ctx context.Context, j Job[bookings.PushArgs]) error {
		return bookingResult(svc.Push(ctx, j.Args.BookingID, j.Attempt, j.MaxAttempts))
	})
	AddWorker(w, func(ctx context.Context, j Job[bookings.CancelArgs]) error {
		return bookingResult(svc.CancelRemote(ctx, j.Args.BookingID, j.Attempt, j.MaxAttempts))
	})
	AddWorker(w, func(ctx context.Context, _ Job[bookings.SyncArgs]) error {
		return svc.SyncResponses(ctx)
	})
	AddWorker(w, func(ctx context.Context, _ Job[bookings.RequeueArgs]) error {
		_, err := svc.RequeueStalled(ctx, stalledAfter)
		return err
	})
}

// stalledAfter is how long a booking may stay pending before the sweep
// gives it a new push job: far longer than a normal push with its
// retries takes to get going, so the sweep only catches lost jobs.
const stalledAfter = 15 * time.Minute

// BookingPeriodic lists the leader's periodic booking work: reading
// responses every syncEvery, and sweeping bookings whose push job was lost.
func BookingPeriodic(syncEvery time.Duration) []Periodic {
	return []Periodic{
		{ID: "booking_sync_responses", Every: syncEvery, RunOnStart: true,
			Args: func() JobArgs { return bookings.SyncArgs{} }, Opts: &InsertOpts{Unique: true}},
		{ID: "booking_requeue_stalled", Every: 5 * time.Minute, RunOnStart: true,
			Args: func() JobArgs { return bookings.RequeueArgs{} }, Opts: &InsertOpts{Unique: true}},
	}
}

// bookingResult maps the booking service's verdicts onto River's: its own
// Retry-After, giving up (the booking is already marked failed with the
// reason), or the ordinary backoff for anything else.
func bookingResult(err error) error {
	var re *bookings.RetryError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bookings.ErrGiveUp):
		return GiveUp(err)
	case errors.As(err, &re) && re.After > 0:
		return RetryAfter(re.After, err)
	}
	return err
}
