package jobs_test

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/internal/jobs"
)

// testLog discards unless JOBS_TEST_LOG is set (then it goes to stderr).
func testLog() *slog.Logger {
	if os.Getenv("JOBS_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func testConfig() jobs.Config {
	return jobs.Config{
		PollInterval: 50 * time.Millisecond,
		RetryBase:    10 * time.Millisecond,
		RetryCap:     40 * time.Millisecond,
		MaxAttempts:  5,
		JobTimeout:   10 * time.Second,
		StopTimeout:  5 * time.Second,
		Test:         true,
	}
}

// newRunner makes and migrates a Runner that is stopped when the test
// ends; start starts it too.
func newRunner(t *testing.T, db *database.DB, cfg jobs.Config, register func(*river.Workers)) *jobs.Runner {
	t.Helper()
	r, err := jobs.New(db, testLog(), cfg, register)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	if err := r.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return r
}

func start(t *testing.T, db *database.DB, cfg jobs.Config, register func(*river.Workers)) *jobs.Runner {
	t.Helper()
	r := newRunner(t, db, cfg, register)
	if err := r.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	return r
}

func waitIdle(t *testing.T, r *jobs.Runner) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := r.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
}

// twoProcesses opens one fresh migrated PostgreSQL database twice, as two
// serve processes would.
func twoProcesses(t *testing.T) (*database.DB, *database.DB) {
	t.Helper()
	opts := dbtest.Options(t, config.Postgres)
	open := func() *database.DB {
		db, err := database.Open(context.Background(), opts)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	a, b := open(), open()
	if _, err := a.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return a, b
}

// jobRow reads a job's row from River.
func jobRow(t *testing.T, r *jobs.Runner, id int64) *rivertype.JobRow {
	t.Helper()
	row, err := r.Client().JobGet(context.Background(), id)
	if err != nil {
		t.Fatalf("JobGet %d: %v", id, err)
	}
	return row
}

// recorder notes each run of a job kind.
type recorder struct {
	mu   sync.Mutex
	runs map[string][]run
}

type run struct {
	attempt, max int
	at           time.Time
}

func newRecorder() *recorder { return &recorder{runs: map[string][]run{}} }

func (r *recorder) add(key string, attempt, maxAttempts int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs[key] = append(r.runs[key], run{attempt, maxAttempts, time.Now()})
}

func (r *recorder) get(key string) []run {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]run(nil), r.runs[key]...)
}

func attempts(rs []run) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = r.attempt
	}
	return out
}
