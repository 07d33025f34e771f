package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/database"
)

// Config tunes a Runner. Zero fields take the defaults shown.
type Config struct {
	// Queues maps a queue name to how many of its jobs this process runs at
	// once. Default {"default": 10}.
	Queues map[string]int
	// MaxAttempts is how many times a job runs before it fails for good,
	// unless its InsertOpts say otherwise. Default 12.
	MaxAttempts int
	// RetryBase and RetryCap shape the backoff between attempts: after
	// attempt n fails the job waits rand[0, min(RetryCap, RetryBase·2^(n-1))].
	// Defaults 1 s and 10 min (12 attempts then span roughly half an hour
	// to an hour).
	RetryBase time.Duration
	RetryCap  time.Duration
	// PollInterval is how often each queue looks for due jobs when no
	// notification has arrived; retries shorter than River's 5 s scheduler
	// interval are picked up by this poll. Default 1 s.
	PollInterval time.Duration
	// JobTimeout cancels a run's context. Default 1 min; -1 means never.
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before the leader
	// assumes its process died and runs it again. It must exceed
	// JobTimeout. Default JobTimeout + 1 min (or 1 h without a timeout).
	RescueAfter time.Duration
	// StopTimeout is how long Stop lets running jobs finish before it
	// cancels their contexts; an interrupted job runs again later without
	// losing an attempt. Default 30 s.
	StopTimeout time.Duration
	// Periodic jobs are enqueued by whichever process is River's leader.
	Periodic []Periodic
	// PollOnly skips PostgreSQL's LISTEN connection (needed behind
	// PgBouncer in transaction mode). Jobs are then found by polling.
	PollOnly bool
	// Test starts River's maintenance services (periodic jobs, retry
	// scheduling, rescue) without their random start-up stagger. Tests only.
	Test bool
}

// Periodic is a job enqueued every Every by the leader.
type Periodic struct {
	// ID names the periodic job; unique among a Runner's periodic jobs.
	ID    string
	Every time.Duration
	// Args builds each run's arguments (never nil).
	Args func() JobArgs
	// Opts apply to each inserted job; Unique avoids piling up runs when
	// one outlasts the interval.
	Opts *InsertOpts
	// RunOnStart also enqueues one run when a process becomes leader.
	RunOnStart bool
}

// InsertOpts are per-job options. A nil *InsertOpts means defaults.
type InsertOpts struct {
	// Queue defaults to "default".
	Queue string
	// Priority is 1 (first) to 4; default 1.
	Priority int
	// MaxAttempts overrides Config.MaxAttempts.
	MaxAttempts int
	// ScheduledAt delays the first run.
	ScheduledAt time.Time
	// Tags are stored with the job, for finding it.
	Tags []string
	// Unique skips the insert when a job of the same kind and the same
	// encoded args is pending, scheduled, available, retryable or running,
	// so a double-clicked "retry" enqueues one push. Completed, cancelled
	// and failed jobs do not block a new one. Beware: a job that is already
	// running also blocks, so a change made while it runs must not rely on
	// a unique enqueue to be picked up; put a revision in the args (or do
	// not use Unique) when later changes need a fresh run.
	Unique bool
}

// Inserted reports an insert.
type Inserted struct {
	ID int64
	// Duplicate is true when a Unique insert found an equal job and
	// inserted nothing; ID is then that job's.
	Duplicate bool
}

// ErrNotInTransaction is returned by EnqueueTx when the *gorm.DB it is
// given is not inside a transaction.
var ErrNotInTransaction = errors.New("jobs: EnqueueTx needs a *gorm.DB inside a transaction (db.Transaction or db.Begin)")

// Runner owns a River client on Debrief's database.
type Runner struct {
	db       *database.DB
	log      *slog.Logger
	driver   riverdriver.Driver[*sql.Tx]
	client   *river.Client[*sql.Tx]
	listen   *pgxpool.Pool
	stopping atomic.Bool

	mu      sync.Mutex
	started bool
	stopped bool
}

// New makes a Runner. register adds the workers (see AddWorker); it may be
// nil for a process that only enqueues. New does not touch the database
// beyond reading the connection settings for PostgreSQL's listener; call
// Migrate, then Start.
func New(db *database.DB, log *slog.Logger, cfg Config, register func(w *river.Workers)) (*Runner, error) {
	if db == nil || db.SQL == nil {
		return nil, errors.New("jobs: nil database")
	}
	if log == nil {
		log = slog.Default()
	}
	cfg = withDefaults(cfg)
	r := &Runner{db: db, log: log.With(slog.String("component", "jobs"))}

	switch db.Dialect {
	case config.SQLite:
		r.driver = riversqlite.New(db.SQL)
	case config.Postgres:
		if cfg.PollOnly {
			r.driver = riverdatabasesql.New(db.SQL)
			break
		}
		pool, err := listenerPool(db.SQL)
		if errors.Is(err, errNotPgx) {
			r.log.Warn("no LISTEN connection for jobs; polling instead", slog.String("error", err.Error()))
			r.driver = riverdatabasesql.New(db.SQL)
			break
		}
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		r.listen = pool
		r.driver = riverdatabasesql.NewWithPgxListener(db.SQL, pool)
	default:
		return nil, fmt.Errorf("jobs: unknown database dialect %q", db.Dialect)
	}

	workers := river.NewWorkers()
	if register != nil {
		register(workers)
	}
	queues := make(map[string]river.QueueConfig, len(cfg.Queues))
	for name, n := range cfg.Queues {
		queues[name] = river.QueueConfig{MaxWorkers: n}
	}
	periodic := make([]*river.PeriodicJob, 0, len(cfg.Periodic))
	for _, p := range cfg.Periodic {
		if p.Every <= 0 || p.Args == nil {
			r.close()
			return nil, fmt.Errorf("jobs: periodic job %q needs Every > 0 and Args", p.ID)
		}
		opts := p.Opts
		build := p.Args
		periodic = append(periodic, river.NewPeriodicJob(
			river.PeriodicInterval(p.Every),
			func() (river.JobArgs, *river.InsertOpts) { return build(), riverOpts(opts) },
			&river.PeriodicJobOpts{ID: p.ID, RunOnStart: p.RunOnStart},
		))
	}

	client, err := river.NewClient(r.driver, &river.Config{
		Logger:               slog.New(atLeast{log.Handler(), slog.LevelWarn}).With(slog.String("component", "river")),
		Queues:               queues,
		Workers:              workers,
		MaxAttempts:          cfg.MaxAttempts,
		RetryPolicy:          Backoff{Base: cfg.RetryBase, Cap: cfg.RetryCap},
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        min(river.FetchCooldownDefault, cfg.PollInterval),
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		SoftStopTimeout:      cfg.StopTimeout,
		PeriodicJobs:         periodic,
		PollOnly:             cfg.PollOnly,
		TestOnly:             cfg.Test,
		Middleware: []rivertype.Middleware{&contextMiddleware{rc: runCtx{
			stopping: r.stopping.Load,
			log:      r.log,
		}}},
	})
	if err != nil {
		r.close()
		return nil, fmt.Errorf("jobs: configure River: %w", err)
	}
	r.client = client
	return r, nil
}

func withDefaults(c Config) Config {
	if len(c.Queues) == 0 {
		c.Queues = map[string]int{river.QueueDefault: 10}
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 12
	}
	if c.RetryBase <= 0 {
		c.RetryBase = time.Second
	}
	if c.RetryCap <= 0 {
		c.RetryCap = 10 * time.Minute
	}
	c.RetryCap = max(c.RetryCap, c.RetryBase)
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.JobTimeout == 0 {
		c.JobTimeout = time.Minute
	}
	if c.RescueAfter <= 0 {
		if c.JobTimeout > 0 {
			c.RescueAfter = c.JobTimeout + time.Minute
		} else {
			c.RescueAfter = time.Hour
		}
	}
	if c.StopTimeout <= 0 {
		c.StopTimeout = 30 * time.Second
	}
	return c
}

// errNotPgx means the pool's driver is not pgx's stdlib, so there are no
// connection settings to copy for a listener.
var errNotPgx = errors.New("not a pgx connection")

// listenerPool opens (lazily) a one-connection pgxpool with the settings
// of the GORM pool's connections, for River's LISTEN.
func listenerPool(db *sql.DB) (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("listener settings: borrow a connection: %w", err)
	}
	defer func() { _ = conn.Close() }()
	var cc *pgx.ConnConfig
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("%w: the connection is a %T", errNotPgx, dc)
		}
		cc = c.Conn().Config()
		return nil
	})
	if err != nil {
		return nil, err
	}
	pc, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, fmt.Errorf("listener pool config: %w", err)
	}
	// A live connection's config has OnNotification bound to that
	// connection's buffer; left in place, notifications on the listener
	// would be delivered there and River would read nothing (pgx installs
	// its own handler only when the field is nil).
	cc.OnNotification = nil
	pc.ConnConfig = cc
	pc.MaxConns = 1
	pc.MinConns = 0
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("listener pool: %w", err)
	}
	return pool, nil
}

// postgresMigrateLock is the advisory lock key that keeps two processes
// starting together from running River's migrations at the same time.
const postgresMigrateLock int64 = 0x6465627269656601 // "debrief" + 1

// Migrate applies River's pending migrations for the dialect; with none
// pending it does nothing. On PostgreSQL it holds an advisory lock while it
// works, so processes starting together take turns.
func (r *Runner) Migrate(ctx context.Context) error {
	if r.db.Dialect == config.Postgres && r.db.SQL.Stats().MaxOpenConnections != 1 {
		conn, err := r.db.SQL.Conn(ctx)
		if err != nil {
			return fmt.Errorf("jobs: migrate: borrow a connection: %w", err)
		}
		defer func() { _ = conn.Close() }()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", postgresMigrateLock); err != nil {
			return fmt.Errorf("jobs: migrate: lock: %w", err)
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", postgresMigrateLock)
		}()
	}
	m, err := rivermigrate.New(r.driver, &rivermigrate.Config{Logger: slog.New(atLeast{r.log.Handler(), slog.LevelWarn})})
	if err != nil {
		return fmt.Errorf("jobs: migrator: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("jobs: apply River migrations: %w", err)
	}
	if n := len(res.Versions); n > 0 {
		r.log.InfoContext(ctx, "applied River migrations",
			slog.Int("count", n), slog.Int("version", res.Versions[n-1].Version))
	}
	return nil
}

// Start begins working jobs (and, on the leader, periodic jobs and
// maintenance). ctx bounds the Runner's life: cancelling it stops the
// Runner as Stop does (Stop is still needed to release its resources), so
// pass a long-lived context, not a request's.
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return errors.New("jobs: start: the runner was stopped")
	}
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	r.started = true
	// River stops by itself when ctx ends; jobs cancelled by that stop
	// must not count as failed, as with Stop.
	stopped := r.client.Stopped()
	go func() {
		select {
		case <-ctx.Done():
			r.stopping.Store(true)
		case <-stopped:
		}
	}()
	r.log.InfoContext(ctx, "jobs started")
	return nil
}

// Stop stops fetching jobs and waits for running ones: for up to
// Config.StopTimeout they may finish; then their contexts are cancelled
// and Stop waits for them to return (an interrupted job keeps its attempt
// and runs again on the next start, here or in another process). It
// returns ctx's error if ctx ends first. A stopped Runner cannot be
// started again; Stop on a Runner never started just releases it.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		r.stopping.Store(true)
		if err := r.client.Stop(ctx); err != nil {
			return fmt.Errorf("jobs: stop: %w", err)
		}
		select {
		case <-r.client.Stopped():
		case <-ctx.Done():
			return fmt.Errorf("jobs: stop: %w", ctx.Err())
		}
		r.started = false
		r.log.InfoContext(ctx, "jobs stopped")
	}
	if !r.stopped {
		r.stopped = true
		r.close()
	}
	return nil
}

// close releases the listener pool; River closes the connection it took
// from it when it stops.
func (r *Runner) close() {
	if r.listen != nil {
		r.listen.Close()
	}
}

// Client is the underlying River client, for tests and tools.
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// EnqueueTx inserts a job in the transaction tx (from db.Gorm.Transaction
// or Begin), so it exists exactly when tx commits. It never blocks on
// SQLite's single connection, which tx already holds.
func (r *Runner) EnqueueTx(ctx context.Context, tx *gorm.DB, args JobArgs, opts *InsertOpts) error {
	_, err := r.InsertTx(ctx, tx, args, opts)
	return err
}

// InsertTx is EnqueueTx reporting the job id and whether a Unique insert
// was skipped.
func (r *Runner) InsertTx(ctx context.Context, tx *gorm.DB, args JobArgs, opts *InsertOpts) (Inserted, error) {
	stx, err := sqlTx(tx)
	if err != nil {
		return Inserted{}, err
	}
	res, err := r.client.InsertTx(ctx, stx, args, riverOpts(opts))
	if err != nil {
		return Inserted{}, fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return inserted(res), nil
}

// Enqueue inserts a job in its own transaction. On SQLite it must not be
// called while the same goroutine holds a GORM transaction: the one
// connection is taken, so it would wait forever; use EnqueueTx there.
func (r *Runner) Enqueue(ctx context.Context, args JobArgs, opts *InsertOpts) error {
	_, err := r.Insert(ctx, args, opts)
	return err
}

// Insert is Enqueue reporting the job id and whether a Unique insert was
// skipped.
func (r *Runner) Insert(ctx context.Context, args JobArgs, opts *InsertOpts) (Inserted, error) {
	res, err := r.client.Insert(ctx, args, riverOpts(opts))
	if err != nil {
		return Inserted{}, fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return inserted(res), nil
}

func inserted(res *rivertype.JobInsertResult) Inserted {
	return Inserted{ID: res.Job.ID, Duplicate: res.UniqueSkippedAsDuplicate}
}

// sqlTx finds the *sql.Tx under a GORM transaction.
func sqlTx(tx *gorm.DB) (*sql.Tx, error) {
	if tx == nil || tx.Statement == nil {
		return nil, ErrNotInTransaction
	}
	pool := tx.Statement.ConnPool
	if p, ok := pool.(*gorm.PreparedStmtTX); ok {
		pool = p.Tx
	}
	if t, ok := pool.(*sql.Tx); ok {
		return t, nil
	}
	return nil, fmt.Errorf("%w (its connection is a %T)", ErrNotInTransaction, pool)
}

// uniqueStates are the states in which an equal job blocks a Unique
// insert. River requires pending, scheduled, available and running.
func uniqueStates() []rivertype.JobState {
	return []rivertype.JobState{
		rivertype.JobStateAvailable,
		rivertype.JobStatePending,
		rivertype.JobStateRetryable,
		rivertype.JobStateRunning,
		rivertype.JobStateScheduled,
	}
}

func riverOpts(o *InsertOpts) *river.InsertOpts {
	if o == nil {
		return nil
	}
	ro := &river.InsertOpts{
		Queue:       o.Queue,
		Priority:    o.Priority,
		MaxAttempts: o.MaxAttempts,
		ScheduledAt: o.ScheduledAt,
		Tags:        o.Tags,
	}
	if o.Unique {
		ro.UniqueOpts = river.UniqueOpts{ByArgs: true, ByState: uniqueStates()}
	}
	return ro
}

// WaitIdle waits until no job is available, pending, running or retryable,
// and none is scheduled to run within the next minute (a snoozed job
// counts; tomorrow's reminder does not). It polls every 20 ms; for tests.
func (r *Runner) WaitIdle(ctx context.Context) error {
	busy := river.NewJobListParams().States(
		rivertype.JobStateAvailable,
		rivertype.JobStatePending,
		rivertype.JobStateRetryable,
		rivertype.JobStateRunning,
	).First(1)
	soon := river.NewJobListParams().States(rivertype.JobStateScheduled).
		OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(1)
	for {
		res, err := r.client.JobList(ctx, busy)
		if err != nil {
			return fmt.Errorf("jobs: wait idle: %w", err)
		}
		idle := len(res.Jobs) == 0
		if idle {
			res, err = r.client.JobList(ctx, soon)
			if err != nil {
				return fmt.Errorf("jobs: wait idle: %w", err)
			}
			idle = len(res.Jobs) == 0 || res.Jobs[0].ScheduledAt.After(time.Now().Add(time.Minute))
		}
		if idle {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("jobs: wait idle: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// atLeast passes on only records at or above min. River reports routine
// work (job counts every few seconds, each migration step) at INFO, which
// would drown the service's own log; its warnings and errors still show.
type atLeast struct {
	slog.Handler
	min slog.Level
}

func (h atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h atLeast) WithAttrs(as []slog.Attr) slog.Handler {
	return atLeast{h.Handler.WithAttrs(as), h.min}
}

func (h atLeast) WithGroup(name string) slog.Handler {
	return atLeast{h.Handler.WithGroup(name), h.min}
}
