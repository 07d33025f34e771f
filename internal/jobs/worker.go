package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// JobArgs is what a job carries: a struct encoded as JSON, with a Kind
// that names its worker. It has River's river.JobArgs method set, restated
// so that features can define job arguments without importing River. It is
// an alias of the bare interface type, so a feature's own interface that
// declares a parameter as interface{ Kind() string } (or an alias of it)
// is satisfied by the Runner's methods without importing this package. A
// kind is stored with every job and must not change once jobs of it exist.
type JobArgs = interface {
	Kind() string
}

// Job is one run of a job as its worker sees it.
type Job[T JobArgs] struct {
	ID    int64
	Kind  string
	Queue string
	Args  T
	// Attempt is this run's number, from 1. A snoozed run does not count.
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
}

// LastAttempt reports whether a failure of this run ends the job.
func (j Job[T]) LastAttempt() bool { return j.Attempt >= j.MaxAttempts }

// RetryAfter makes a failed attempt's retry wait d (a server's
// Retry-After) instead of the backoff. It still counts as an attempt, so
// a server that keeps answering 429 cannot keep a job alive forever.
func RetryAfter(d time.Duration, err error) error {
	return &retryAfterError{after: max(d, 0), err: err}
}

// GiveUp ends the job now whatever attempts remain (River cancels it); the
// worker's OnFinalFailure hook runs.
func GiveUp(err error) error { return &giveUpError{err: err} }

// Snooze runs the job again after d without counting this run as an
// attempt: for "not ready yet" (a conference link still being created),
// not for failures.
func Snooze(d time.Duration) error { return &snoozeError{after: max(d, 0)} }

type retryAfterError struct {
	after time.Duration
	err   error
}

func (e *retryAfterError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("retry after %s", e.after)
	}
	return fmt.Sprintf("retry after %s: %v", e.after, e.err)
}

func (e *retryAfterError) Unwrap() error { return e.err }

type giveUpError struct{ err error }

func (e *giveUpError) Error() string {
	if e.err == nil {
		return "gave up"
	}
	return "gave up: " + e.err.Error()
}

func (e *giveUpError) Unwrap() error { return e.err }

type snoozeError struct{ after time.Duration }

func (e *snoozeError) Error() string { return fmt.Sprintf("snooze %s", e.after) }

// WorkerOption adjusts a worker added with AddWorker.
type WorkerOption[T JobArgs] func(*worker[T])

// OnFinalFailure registers fn to run when a job of this kind ends without
// success through its worker: GiveUp, or an error (or panic) on the last
// attempt. It is where a feature records the failure (a booking marked
// failed with the reason). It runs with a context that outlives the job's
// (the job may have timed out) but is bounded by FinalFailureTimeout. It
// does not run when a run is interrupted by Stop (the job is simply run
// again later), nor when River's rescuer discards a job whose process
// died during its last attempt: a feature that must never leave work
// pending needs its own sweep for that rare case.
func OnFinalFailure[T JobArgs](fn func(ctx context.Context, j Job[T], err error)) WorkerOption[T] {
	return func(w *worker[T]) { w.onFinal = fn }
}

// WithTimeout overrides Config.JobTimeout for this kind; -1 means none.
func WithTimeout[T JobArgs](d time.Duration) WorkerOption[T] {
	return func(w *worker[T]) { w.timeout = d }
}

// FinalFailureTimeout bounds an OnFinalFailure hook.
const FinalFailureTimeout = 15 * time.Second

// AddWorker registers fn as the worker for T's kind. fn's result decides
// what happens next: nil completes the job; RetryAfter, GiveUp and Snooze
// do what they say; any other error is retried with the Runner's backoff
// until MaxAttempts. A panic is an error. It panics if the kind is
// already registered, like river.AddWorker.
func AddWorker[T JobArgs](w *river.Workers, fn func(ctx context.Context, j Job[T]) error, opts ...WorkerOption[T]) {
	wk := &worker[T]{fn: fn}
	for _, o := range opts {
		o(wk)
	}
	river.AddWorker[T](w, wk)
}

type worker[T JobArgs] struct {
	river.WorkerDefaults[T]
	fn      func(ctx context.Context, j Job[T]) error
	onFinal func(ctx context.Context, j Job[T], err error)
	timeout time.Duration
	// retryAt carries a RetryAfter from Work to NextRetry, which River
	// calls for the same job right after Work returns. Keyed by job id.
	retryAt sync.Map
}

func (w *worker[T]) Timeout(*river.Job[T]) time.Duration { return w.timeout }

func (w *worker[T]) NextRetry(rj *river.Job[T]) time.Time {
	if v, ok := w.retryAt.LoadAndDelete(rj.ID); ok {
		return v.(time.Time) // only time.Time is stored
	}
	return time.Time{} // the client's Backoff
}

func (w *worker[T]) Work(ctx context.Context, rj *river.Job[T]) error {
	j := Job[T]{
		ID: rj.ID, Kind: rj.Kind, Queue: rj.Queue, Args: rj.Args,
		Attempt: rj.Attempt, MaxAttempts: rj.MaxAttempts, CreatedAt: rj.CreatedAt,
	}
	err := w.call(ctx, j)
	if err == nil {
		return nil
	}
	var (
		snooze *snoozeError
		giveUp *giveUpError
		after  *retryAfterError
	)
	switch {
	case errors.As(err, &snooze):
		return river.JobSnooze(snooze.after)
	case errors.As(err, &giveUp):
		w.final(ctx, j, err)
		return river.JobCancel(err)
	case interrupted(ctx, err):
		// River puts the job back without spending the attempt.
		return err
	case j.LastAttempt():
		w.final(ctx, j, err)
		return err
	case errors.As(err, &after):
		w.retryAt.Store(j.ID, time.Now().Add(after.after))
	}
	return err
}

func (w *worker[T]) call(ctx context.Context, j Job[T]) (err error) {
	defer func() {
		if p := recover(); p != nil {
			loggerFrom(ctx).ErrorContext(ctx, "job panicked",
				slog.String("kind", j.Kind), slog.Int64("job_id", j.ID),
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			err = fmt.Errorf("job %s %d panicked: %v", j.Kind, j.ID, p)
		}
	}()
	return w.fn(ctx, j)
}

func (w *worker[T]) final(ctx context.Context, j Job[T], err error) {
	loggerFrom(ctx).WarnContext(ctx, "job failed for good",
		slog.String("kind", j.Kind), slog.Int64("job_id", j.ID),
		slog.Int("attempt", j.Attempt), slog.Int("max_attempts", j.MaxAttempts),
		slog.String("error", err.Error()))
	if w.onFinal == nil {
		return
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), FinalFailureTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			loggerFrom(ctx).ErrorContext(ctx, "final-failure hook panicked",
				slog.String("kind", j.Kind), slog.Int64("job_id", j.ID), slog.Any("panic", p))
		}
	}()
	w.onFinal(hctx, j, err)
}

// runCtx is what a Runner's middleware puts in every job's context.
type runCtx struct {
	stopping func() bool
	log      *slog.Logger
}

type runCtxKey struct{}

func runInfo(ctx context.Context) (runCtx, bool) {
	rc, ok := ctx.Value(runCtxKey{}).(runCtx)
	return rc, ok
}

func loggerFrom(ctx context.Context) *slog.Logger {
	if rc, ok := runInfo(ctx); ok && rc.log != nil {
		return rc.log
	}
	return slog.Default()
}

// interrupted reports whether err is the job giving way to Stop: River
// then makes the job available again with its attempt refunded, so it is
// neither a failure nor final.
func interrupted(ctx context.Context, err error) bool {
	rc, ok := runInfo(ctx)
	return ok && rc.stopping() && ctx.Err() != nil && errors.Is(err, context.Canceled)
}

// contextMiddleware gives every job's context the Runner's logger and a
// way to tell a Stop from a timeout.
type contextMiddleware struct {
	river.MiddlewareDefaults
	rc runCtx
}

func (m *contextMiddleware) Work(ctx context.Context, _ *rivertype.JobRow, doInner func(context.Context) error) error {
	return doInner(context.WithValue(ctx, runCtxKey{}, m.rc))
}
