// Package jobs runs Debrief's durable background jobs on River, on the
// same database as everything else, in either dialect.
//
// # What it gives a feature
//
// A change and the job that finishes it commit together: a feature writes
// in a GORM transaction and calls [Runner.EnqueueTx] with that
// transaction, so the job exists if and only if the change does. A job
// runs at least once, and under normal operation exactly once, whichever
// process took the request; a job whose process died while running it is
// run again after [Config.RescueAfter], so work must be idempotent.
//
// Features do not import River. Job arguments are plain structs with a
// Kind method (see [JobArgs]); the River workers that call a feature's
// service methods live here, registered in the callback given to [New]:
//
//	runner, err := jobs.New(db, log, cfg, func(w *river.Workers) {
//		jobs.AddWorker(w, func(ctx context.Context, j jobs.Job[bookings.PushArgs]) error {
//			err := svc.PushBooking(ctx, j.Args.BookingID)
//			var ce *calendar.Error
//			switch {
//			case err == nil:
//				return nil
//			case errors.As(err, &ce) && ce.Kind == calendar.Retryable && ce.RetryAfter > 0:
//				return jobs.RetryAfter(ce.RetryAfter, err) // counts as an attempt
//			case calendar.KindOf(err) == calendar.Permanent:
//				return jobs.GiveUp(err) // no more attempts
//			}
//			return err // retried with exponential backoff and full jitter
//		}, jobs.OnFinalFailure(func(ctx context.Context, j jobs.Job[bookings.PushArgs], err error) {
//			_ = svc.MarkFailed(ctx, j.Args.BookingID, err.Error())
//		}))
//	})
//
// # Drivers
//
// SQLite uses riversqlite on database.DB.SQL, the very *sql.DB that GORM
// uses, so a GORM transaction's *sql.Tx (tx.Statement.ConnPool) is a
// transaction River can insert with. That pool has one connection, as
// River advises for SQLite; River's notifications are an outbox table it
// polls every 50 ms. Because the one connection is shared, code that
// holds a GORM transaction must enqueue with EnqueueTx, never Enqueue
// (which would wait for the connection the caller itself holds), and a
// worker must not keep a transaction open across a slow call such as an
// HTTP request to Google.
//
// PostgreSQL uses riverdatabasesql on GORM's own *sql.DB (pgx's stdlib
// driver) for everything: inserts, fetching and working jobs, leader
// election, periodic jobs and maintenance. Since River v0.51 this driver
// runs workers, not only inserts; with [riverdatabasesql.New] alone it works
// in poll-only mode, and [riverdatabasesql.NewWithPgxListener] adds a
// pgxpool used only for the LISTEN connection, so new jobs, leadership
// resignations and cancellations arrive by NOTIFY within milliseconds
// instead of at the next poll. The listener pool is built from the
// connection settings of the GORM pool's own connections (no second URL
// to configure) with at most one connection; [Config.PollOnly] turns it
// off for PgBouncer in transaction-pooling mode.
//
// The alternative, riverpgxv5 with its own pgxpool for working plus an
// insert-only riverdatabasesql client for EnqueueTx, was rejected: it is
// two clients with two configurations and two pools to size; the insert
// client could not wake the local producers, so every job would rely on
// NOTIFY alone; and it buys nothing, because an insert with the GORM
// transaction must go through riverdatabasesql either way. With one
// client, jobs enqueued through either path are the same jobs, and the
// connection budget is the one DEBRIEF_PG_MAX_OPEN_CONNS.
//
// Several processes on one PostgreSQL database each start a Runner. Jobs
// are locked with SELECT … FOR UPDATE SKIP LOCKED, so each job is worked
// by one process; River elects one leader (a row in river_leader with a
// TTL), and only the leader enqueues periodic jobs, schedules retries and
// rescues stuck jobs.
package jobs
