package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/jobs"
)

type settingArgs struct {
	Key string `json:"key"`
}

func (settingArgs) Kind() string { return "jobs_test.setting" }

func insertSetting(tx *gorm.DB, key, value string) error {
	return tx.Exec("INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?)",
		key, value, time.Now().UTC()).Error
}

// GORM and River share the database: a job enqueued in a GORM transaction
// exists exactly when the transaction commits, and sees its writes.
func TestEnqueueTxSharesTheTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		var (
			mu   sync.Mutex
			runs = map[string]int{}
			seen = map[string]string{}
		)
		r := start(t, db, testConfig(), func(w *river.Workers) {
			jobs.AddWorker(w, func(ctx context.Context, j jobs.Job[settingArgs]) error {
				var vals []string
				err := db.Gorm.WithContext(ctx).Raw("SELECT value FROM app_settings WHERE key = ?", j.Args.Key).Scan(&vals).Error
				mu.Lock()
				defer mu.Unlock()
				runs[j.Args.Key]++
				seen[j.Args.Key] = strings.Join(vals, ",")
				return err
			})
		})

		if err := r.EnqueueTx(ctx, db.Gorm, settingArgs{Key: "outside"}, nil); !errors.Is(err, jobs.ErrNotInTransaction) {
			t.Fatalf("EnqueueTx outside a transaction: %v, want ErrNotInTransaction", err)
		}

		errRollback := errors.New("roll back")
		err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := insertSetting(tx, "rolled-back", "no"); err != nil {
				return err
			}
			if err := r.EnqueueTx(ctx, tx, settingArgs{Key: "rolled-back"}, nil); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("rolled-back transaction: %v", err)
		}
		err = db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := insertSetting(tx, "committed", "yes"); err != nil {
				return err
			}
			return r.EnqueueTx(ctx, tx, settingArgs{Key: "committed"}, nil)
		})
		if err != nil {
			t.Fatalf("committed transaction: %v", err)
		}

		waitIdle(t, r)
		time.Sleep(300 * time.Millisecond) // room for a duplicate run to show
		waitIdle(t, r)

		mu.Lock()
		defer mu.Unlock()
		if runs["rolled-back"] != 0 || runs["committed"] != 1 || len(runs) != 1 {
			t.Fatalf("runs = %v, want committed once and nothing else", runs)
		}
		if seen["committed"] != "yes" {
			t.Fatalf("the job saw %q, want the committed row", seen["committed"])
		}
		list, err := r.Client().JobList(ctx, river.NewJobListParams())
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Jobs) != 1 || list.Jobs[0].State != rivertype.JobStateCompleted {
			t.Fatalf("River holds %d jobs (%v), want one completed", len(list.Jobs), states(list.Jobs))
		}
	})
}

func states(rows []*rivertype.JobRow) []rivertype.JobState {
	out := make([]rivertype.JobState, len(rows))
	for i, r := range rows {
		out[i] = r.State
	}
	return out
}

type pushArgs struct {
	BookingID string `json:"booking_id"`
}

func (pushArgs) Kind() string { return "jobs_test.push" }

// A unique enqueue is skipped while an equal job waits, and allowed again
// once it has completed.
func TestUniqueEnqueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		var ran atomic.Int32
		r := newRunner(t, db, testConfig(), func(w *river.Workers) {
			jobs.AddWorker(w, func(context.Context, jobs.Job[pushArgs]) error {
				ran.Add(1)
				return nil
			})
		})
		unique := &jobs.InsertOpts{Unique: true}
		insert := func(args pushArgs, opts *jobs.InsertOpts) jobs.Inserted {
			t.Helper()
			var ins jobs.Inserted
			err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				var err error
				ins, err = r.InsertTx(ctx, tx, args, opts)
				return err
			})
			if err != nil {
				t.Fatalf("InsertTx: %v", err)
			}
			return ins
		}
		first := insert(pushArgs{"b1"}, unique)
		second := insert(pushArgs{"b1"}, unique)
		other := insert(pushArgs{"b2"}, unique)
		plain := insert(pushArgs{"b1"}, nil)
		if first.Duplicate || !second.Duplicate || second.ID != first.ID {
			t.Fatalf("first %+v, second %+v: want the second skipped as the first's duplicate", first, second)
		}
		if other.Duplicate || plain.Duplicate {
			t.Fatalf("other %+v, plain %+v: want both inserted", other, plain)
		}

		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		waitIdle(t, r)
		if n := ran.Load(); n != 3 {
			t.Fatalf("ran %d jobs, want 3", n)
		}
		if again := insert(pushArgs{"b1"}, unique); again.Duplicate {
			t.Fatal("a completed job blocked a new unique enqueue")
		}
		waitIdle(t, r)
		if n := ran.Load(); n != 4 {
			t.Fatalf("ran %d jobs, want 4", n)
		}
	})
}

type outcomeArgs struct {
	Case string `json:"case"`
}

func (outcomeArgs) Kind() string { return "jobs_test.outcome" }

// Retries, RetryAfter, GiveUp, Snooze, panics and the final-failure hook.
func TestWorkerOutcomes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		rec := newRecorder()
		var (
			finalMu sync.Mutex
			finals  = map[string][]jobs.Job[outcomeArgs]{}
			reasons = map[string]error{}
		)
		const retryAfter = 300 * time.Millisecond
		r := start(t, db, testConfig(), func(w *river.Workers) {
			jobs.AddWorker(w, func(ctx context.Context, j jobs.Job[outcomeArgs]) error {
				rec.add(j.Args.Case, j.Attempt, j.MaxAttempts)
				switch j.Args.Case {
				case "flaky":
					if j.Attempt < 3 {
						return fmt.Errorf("flaky failure %d", j.Attempt)
					}
				case "retry-after":
					if j.Attempt == 1 {
						return jobs.RetryAfter(retryAfter, errors.New("429"))
					}
				case "give-up":
					return jobs.GiveUp(errors.New("permanent"))
				case "always-fails":
					return errors.New("still down")
				case "panics":
					panic("boom")
				case "snooze":
					if len(rec.get("snooze")) == 1 {
						return jobs.Snooze(50 * time.Millisecond)
					}
				}
				return nil
			}, jobs.OnFinalFailure(func(ctx context.Context, j jobs.Job[outcomeArgs], err error) {
				if ctx.Err() != nil {
					t.Errorf("final hook got a finished context")
				}
				finalMu.Lock()
				defer finalMu.Unlock()
				finals[j.Args.Case] = append(finals[j.Args.Case], j)
				reasons[j.Args.Case] = err
			}))
		})

		ids := map[string]int64{}
		for _, c := range []string{"flaky", "retry-after", "give-up", "always-fails", "panics", "snooze"} {
			opts := &jobs.InsertOpts{}
			switch c {
			case "always-fails":
				opts.MaxAttempts = 3
			case "panics":
				opts.MaxAttempts = 2
			}
			ins, err := r.Insert(ctx, outcomeArgs{c}, opts)
			if err != nil {
				t.Fatal(err)
			}
			ids[c] = ins.ID
		}
		begin := time.Now()
		waitIdle(t, r)
		// River's default policy would wait 1 s and then 16 s.
		if took := time.Since(begin); took > 5*time.Second {
			t.Fatalf("took %s: the millisecond backoff was not used", took)
		}

		finalMu.Lock()
		defer finalMu.Unlock()

		t.Run("retries with backoff", func(t *testing.T) {
			runs := rec.get("flaky")
			if got := attempts(runs); !slices.Equal(got, []int{1, 2, 3}) {
				t.Fatalf("attempts %v, want 1 2 3", got)
			}
			for i := 1; i < len(runs); i++ {
				if gap := runs[i].at.Sub(runs[i-1].at); gap > 2*time.Second {
					t.Errorf("retry %d waited %s, want at most the 40 ms cap plus a poll", i, gap)
				}
			}
			row := jobRow(t, r, ids["flaky"])
			if row.State != rivertype.JobStateCompleted || len(row.Errors) != 2 {
				t.Fatalf("state %s with %d errors, want completed with 2", row.State, len(row.Errors))
			}
			if len(finals["flaky"]) != 0 {
				t.Fatal("final hook ran for a job that succeeded")
			}
		})

		t.Run("RetryAfter waits and counts", func(t *testing.T) {
			runs := rec.get("retry-after")
			if got := attempts(runs); !slices.Equal(got, []int{1, 2}) {
				t.Fatalf("attempts %v, want 1 2", got)
			}
			if gap := runs[1].at.Sub(runs[0].at); gap < retryAfter {
				t.Fatalf("retried after %s, want at least %s", gap, retryAfter)
			}
		})

		t.Run("GiveUp stops at once", func(t *testing.T) {
			if got := attempts(rec.get("give-up")); !slices.Equal(got, []int{1}) {
				t.Fatalf("attempts %v, want just 1", got)
			}
			if row := jobRow(t, r, ids["give-up"]); row.State != rivertype.JobStateCancelled {
				t.Fatalf("state %s, want cancelled", row.State)
			}
			f := finals["give-up"]
			if len(f) != 1 || f[0].Attempt != 1 || !strings.Contains(reasons["give-up"].Error(), "permanent") {
				t.Fatalf("final hook calls %+v reason %v, want one at attempt 1 with the cause", f, reasons["give-up"])
			}
		})

		t.Run("last attempt reaches the final hook", func(t *testing.T) {
			runs := rec.get("always-fails")
			if got := attempts(runs); !slices.Equal(got, []int{1, 2, 3}) {
				t.Fatalf("attempts %v, want 1 2 3", got)
			}
			f := finals["always-fails"]
			if len(f) != 1 || f[0].Attempt != 3 || f[0].MaxAttempts != 3 || !f[0].LastAttempt() {
				t.Fatalf("final hook calls %+v, want one with attempt == max == 3", f)
			}
			if row := jobRow(t, r, ids["always-fails"]); row.State != rivertype.JobStateDiscarded {
				t.Fatalf("state %s, want discarded", row.State)
			}
		})

		t.Run("a panic is a failure", func(t *testing.T) {
			if got := attempts(rec.get("panics")); !slices.Equal(got, []int{1, 2}) {
				t.Fatalf("attempts %v, want 1 2", got)
			}
			if f := finals["panics"]; len(f) != 1 || !strings.Contains(reasons["panics"].Error(), "boom") {
				t.Fatalf("final hook calls %+v reason %v", f, reasons["panics"])
			}
		})

		t.Run("Snooze does not count", func(t *testing.T) {
			if got := attempts(rec.get("snooze")); !slices.Equal(got, []int{1, 1}) {
				t.Fatalf("attempts %v, want 1 1", got)
			}
		})
	})
}

type sleepArgs struct {
	ID int `json:"id"`
}

func (sleepArgs) Kind() string { return "jobs_test.sleep" }

// Stop lets a running job finish; past StopTimeout it cancels the job,
// which then keeps its attempt for the next start.
func TestStopWaitsForRunningJobs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()

		t.Run("finishes", func(t *testing.T) {
			started := make(chan struct{})
			var finished atomic.Bool
			r := start(t, db, testConfig(), func(w *river.Workers) {
				jobs.AddWorker(w, func(ctx context.Context, j jobs.Job[sleepArgs]) error {
					close(started)
					select {
					case <-time.After(500 * time.Millisecond):
					case <-ctx.Done():
						return ctx.Err()
					}
					finished.Store(true)
					return nil
				})
			})
			ins, err := r.Insert(ctx, sleepArgs{1}, nil)
			if err != nil {
				t.Fatal(err)
			}
			<-started
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := r.Stop(sctx); err != nil {
				t.Fatal(err)
			}
			if !finished.Load() {
				t.Fatal("Stop returned before the running job finished")
			}
			if row := jobRow(t, r, ins.ID); row.State != rivertype.JobStateCompleted {
				t.Fatalf("state %s, want completed", row.State)
			}
		})

		t.Run("interrupted after StopTimeout", func(t *testing.T) {
			started := make(chan struct{})
			var finalCalls atomic.Int32
			cfg := testConfig()
			cfg.StopTimeout = 200 * time.Millisecond
			cfg.MaxAttempts = 1 // an interruption must not look like a last failure
			r := start(t, db, cfg, func(w *river.Workers) {
				jobs.AddWorker(w, func(ctx context.Context, j jobs.Job[sleepArgs]) error {
					close(started)
					<-ctx.Done()
					return ctx.Err()
				}, jobs.OnFinalFailure(func(context.Context, jobs.Job[sleepArgs], error) { finalCalls.Add(1) }))
			})
			ins, err := r.Insert(ctx, sleepArgs{2}, nil)
			if err != nil {
				t.Fatal(err)
			}
			<-started
			begin := time.Now()
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := r.Stop(sctx); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(begin); took < 150*time.Millisecond {
				t.Fatalf("Stop took %s, want about StopTimeout", took)
			}
			row := jobRow(t, r, ins.ID)
			if row.State != rivertype.JobStateAvailable || row.Attempt != 0 {
				t.Fatalf("state %s attempt %d, want available with the attempt refunded", row.State, row.Attempt)
			}
			if n := finalCalls.Load(); n != 0 {
				t.Fatalf("final hook ran %d times for an interrupted job", n)
			}
		})
	})
}

type countArgs struct {
	N int `json:"n"`
}

func (countArgs) Kind() string { return "jobs_test.count" }

// Two processes on one PostgreSQL database: jobs enqueued through either
// run once overall, spread over both (one listens for NOTIFY, one polls).
func TestTwoProcessesRunEachJobOnce(t *testing.T) {
	dbA, dbB := twoProcesses(t)
	ctx := context.Background()
	const n = 100
	var (
		perJob    [n]atomic.Int32
		perRunner [2]atomic.Int32
	)
	runner := func(db *database.DB, which int) *jobs.Runner {
		cfg := testConfig()
		cfg.PollOnly = which == 1 // one process without LISTEN, as behind PgBouncer
		return start(t, db, cfg, func(w *river.Workers) {
			jobs.AddWorker(w, func(ctx context.Context, j jobs.Job[countArgs]) error {
				perJob[j.Args.N].Add(1)
				perRunner[which].Add(1)
				time.Sleep(5 * time.Millisecond)
				return nil
			})
		})
	}
	// Both migrate: River's migrations are idempotent and serialized.
	a, b := runner(dbA, 0), runner(dbB, 1)
	for i := range n {
		r, db := a, dbA
		if i%2 == 1 {
			r, db = b, dbB
		}
		err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return r.EnqueueTx(ctx, tx, countArgs{i}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, a)
	waitIdle(t, b)
	time.Sleep(200 * time.Millisecond)
	for i := range n {
		if c := perJob[i].Load(); c != 1 {
			t.Errorf("job %d ran %d times", i, c)
		}
	}
	ra, rb := perRunner[0].Load(), perRunner[1].Load()
	t.Logf("process A ran %d jobs, process B %d", ra, rb)
	if ra == 0 || rb == 0 {
		t.Errorf("one process ran every job (A %d, B %d)", ra, rb)
	}
}

type tickArgs struct{}

func (tickArgs) Kind() string { return "jobs_test.tick" }

// A periodic job configured on two processes is enqueued by the leader
// alone.
func TestPeriodicJobRunsOnTheLeaderOnly(t *testing.T) {
	dbA, dbB := twoProcesses(t)
	var (
		built [2]atomic.Int32
		ran   atomic.Int32
	)
	runner := func(db *database.DB, which int) *jobs.Runner {
		cfg := testConfig()
		cfg.Periodic = []jobs.Periodic{{
			ID:         "tick",
			Every:      200 * time.Millisecond,
			RunOnStart: true,
			Args: func() jobs.JobArgs {
				built[which].Add(1)
				return tickArgs{}
			},
		}}
		return start(t, db, cfg, func(w *river.Workers) {
			jobs.AddWorker(w, func(context.Context, jobs.Job[tickArgs]) error {
				ran.Add(1)
				return nil
			})
		})
	}
	runner(dbA, 0)
	runner(dbB, 1)
	deadline := time.Now().Add(5 * time.Second)
	for ran.Load() < 5 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	a, b := built[0].Load(), built[1].Load()
	t.Logf("enqueued by A %d, by B %d; ran %d", a, b, ran.Load())
	if ran.Load() < 5 {
		t.Fatalf("the periodic job ran %d times in 5 s, want at least 5", ran.Load())
	}
	if (a > 0) == (b > 0) {
		t.Fatalf("enqueued by A %d times and by B %d times, want one process only", a, b)
	}
}

func TestBackoff(t *testing.T) {
	b := jobs.Backoff{Base: 100 * time.Millisecond, Cap: time.Second}
	for attempt, want := range map[int]time.Duration{
		1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond,
		5: time.Second, 30: time.Second, 1000: time.Second,
	} {
		if got := b.Ceiling(attempt); got != want {
			t.Errorf("Ceiling(%d) = %s, want %s", attempt, got, want)
		}
	}
	var sum time.Duration
	for range 1000 {
		d := b.Delay(3)
		if d < 0 || d > 400*time.Millisecond {
			t.Fatalf("Delay(3) = %s, outside [0, 400ms]", d)
		}
		sum += d
	}
	if mean := sum / 1000; mean < 150*time.Millisecond || mean > 250*time.Millisecond {
		t.Fatalf("mean Delay(3) = %s, want about 200ms (full jitter)", mean)
	}
}

// Two processes migrate at once (River's migrations take turns and are
// idempotent), and a job enqueued by one is picked up by the other through
// NOTIFY long before its next poll.
func TestTwoProcessesMigrateTogetherAndNotify(t *testing.T) {
	dbA, dbB := twoProcesses(t)
	ctx := context.Background()
	startedAt := make(chan time.Time, 1)
	register := func(w *river.Workers) {
		jobs.AddWorker(w, func(context.Context, jobs.Job[countArgs]) error {
			startedAt <- time.Now()
			return nil
		})
	}
	cfg := testConfig()
	cfg.PollInterval = 10 * time.Second
	a, err := jobs.New(dbA, testLog(), cfg, register)
	if err != nil {
		t.Fatal(err)
	}
	b, err := jobs.New(dbB, testLog(), cfg, register)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*jobs.Runner{a, b} {
		t.Cleanup(func() { _ = r.Stop(context.Background()) })
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, r := range []*jobs.Runner{a, b} {
		wg.Go(func() { errs[i] = r.Migrate(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent Migrate: %v", err)
	}
	if err := a.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}

	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // past the first fetch
	enqueued := time.Now()
	err = dbB.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return b.EnqueueTx(ctx, tx, countArgs{1}, nil) // b is not even started
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case at := <-startedAt:
		t.Logf("picked up %s after the commit", at.Sub(enqueued))
	case <-time.After(2 * time.Second):
		t.Fatal("the job was not picked up within 2 s: no NOTIFY from the other process")
	}
}
