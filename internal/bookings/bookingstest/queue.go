// Package bookingstest holds test doubles for the bookings package: a job
// queue that stores jobs in the caller's transaction (so they vanish when
// it rolls back, as River's do), a small runner that works those jobs
// through the service's job methods, and an in-memory calendar.Provider
// with scripted faults. They are for tests only.
package bookingstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/bookings"
)

// Queue is a bookings.Enqueuer that writes jobs to a table of its own,
// bookingstest_jobs, inside the caller's transaction.
type Queue struct {
	db *gorm.DB
}

// Job is one enqueued job.
type Job struct {
	ID        int64  `gorm:"column:id"`
	Kind      string `gorm:"column:kind"`
	BookingID string `gorm:"column:booking_id"`
	Args      string `gorm:"column:args"`
	Unique    bool   `gorm:"column:is_unique"`
	Done      bool   `gorm:"column:done"`
}

// NewQueue creates the jobs table on db if needed.
func NewQueue(ctx context.Context, db *gorm.DB) (*Queue, error) {
	ddl := `CREATE TABLE IF NOT EXISTS bookingstest_jobs (
		id integer PRIMARY KEY AUTOINCREMENT, kind text NOT NULL, booking_id text NOT NULL,
		args text NOT NULL, is_unique boolean NOT NULL, done boolean NOT NULL DEFAULT false)`
	if db.Name() == "postgres" {
		ddl = `CREATE TABLE IF NOT EXISTS bookingstest_jobs (
			id bigserial PRIMARY KEY, kind text NOT NULL, booking_id text NOT NULL,
			args text NOT NULL, is_unique boolean NOT NULL, done boolean NOT NULL DEFAULT false)`
	}
	if err := db.WithContext(ctx).Exec(ddl).Error; err != nil {
		return nil, fmt.Errorf("create bookingstest_jobs: %w", err)
	}
	return &Queue{db: db}, nil
}

// ErrNotInTransaction is returned when EnqueueTx gets a *gorm.DB that is
// not inside a transaction: a job enqueued that way would survive a
// rollback of the change that needed it.
var ErrNotInTransaction = errors.New("bookingstest: EnqueueTx needs a *gorm.DB inside a transaction")

// EnqueueTx implements bookings.Enqueuer.
func (q *Queue) EnqueueTx(ctx context.Context, tx *gorm.DB, args bookings.JobArgs, opts *bookings.EnqueueOpts) error {
	if _, ok := tx.Statement.ConnPool.(gorm.TxCommitter); !ok {
		return ErrNotInTransaction
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return fmt.Errorf("encode %s args: %w", args.Kind(), err)
	}
	var probe struct {
		BookingID string `json:"booking_id"`
	}
	_ = json.Unmarshal(raw, &probe)
	unique := opts != nil && opts.UniqueByArgs
	if unique {
		var n int64
		err := tx.WithContext(ctx).Table("bookingstest_jobs").
			Where("kind = ? AND args = ? AND NOT done", args.Kind(), string(raw)).Count(&n).Error
		if err != nil {
			return fmt.Errorf("check unique job: %w", err)
		}
		if n > 0 {
			return nil
		}
	}
	err = tx.WithContext(ctx).Exec("INSERT INTO bookingstest_jobs (kind, booking_id, args, is_unique, done) VALUES (?, ?, ?, ?, false)",
		args.Kind(), probe.BookingID, string(raw), unique).Error
	if err != nil {
		return fmt.Errorf("insert job: %w", err)
	}
	return nil
}

// Jobs lists every job ever enqueued, oldest first.
func (q *Queue) Jobs(ctx context.Context) ([]Job, error) { return q.list(ctx, false) }

// Pending lists the jobs not yet worked, oldest first.
func (q *Queue) Pending(ctx context.Context) ([]Job, error) { return q.list(ctx, true) }

func (q *Queue) list(ctx context.Context, pendingOnly bool) ([]Job, error) {
	var out []Job
	db := q.db.WithContext(ctx).Table("bookingstest_jobs")
	if pendingOnly {
		db = db.Where("NOT done")
	}
	if err := db.Order("id").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return out, nil
}

// MarkDone records that a job was worked.
func (q *Queue) MarkDone(ctx context.Context, id int64) error {
	if err := q.db.WithContext(ctx).Exec("UPDATE bookingstest_jobs SET done = true WHERE id = ?", id).Error; err != nil {
		return fmt.Errorf("mark job %d done: %w", id, err)
	}
	return nil
}

// Result is how working one job ended.
type Result struct {
	Job      Job
	Attempts int
	// Err is the last error; nil when the job succeeded.
	Err error
}

// Work runs every pending job (and the jobs those enqueue) through svc,
// the way internal/jobs does but without waiting: a *bookings.RetryError
// runs the job again at once, up to maxAttempts; anything else ends it.
func (q *Queue) Work(ctx context.Context, svc *bookings.Service, maxAttempts int) ([]Result, error) {
	var out []Result
	for {
		pending, err := q.Pending(ctx)
		if err != nil {
			return out, err
		}
		if len(pending) == 0 {
			return out, nil
		}
		for _, j := range pending {
			r := Result{Job: j}
			for attempt := 1; attempt <= maxAttempts; attempt++ {
				r.Attempts = attempt
				r.Err = run(ctx, svc, j, attempt, maxAttempts)
				var retry *bookings.RetryError
				if !errors.As(r.Err, &retry) {
					break
				}
			}
			out = append(out, r)
			if err := q.MarkDone(ctx, j.ID); err != nil {
				return out, err
			}
		}
	}
}

func run(ctx context.Context, svc *bookings.Service, j Job, attempt, maxAttempts int) error {
	switch j.Kind {
	case bookings.KindPush:
		return svc.Push(ctx, j.BookingID, attempt, maxAttempts)
	case bookings.KindCancel:
		return svc.CancelRemote(ctx, j.BookingID, attempt, maxAttempts)
	case bookings.KindSync:
		return svc.SyncResponses(ctx)
	}
	return fmt.Errorf("bookingstest: unknown job kind %q", j.Kind)
}
