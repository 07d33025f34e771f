// Package database opens Debrief's database in either dialect and applies
// the embedded migrations. It is the only place that knows about drivers,
// pragmas and pool sizes.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	// The pure-Go SQLite driver registers itself as "sqlite"; no cgo needed.
	msqlite "modernc.org/sqlite"

	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/migrations"
)

// DB is an open database: GORM for the feature stores and the underlying
// *sql.DB for migrations and health checks.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect config.Dialect
}

// Options are the parts of config.Config that Open needs.
type Options struct {
	URL          string
	Dialect      config.Dialect
	SQLitePath   string
	MaxOpenConns int
	MaxIdleConns int
	Logger       *slog.Logger
}

// OptionsFrom picks the database settings out of the configuration.
func OptionsFrom(c config.Config, log *slog.Logger) Options {
	return Options{
		URL: c.DatabaseURL, Dialect: c.Dialect, SQLitePath: c.SQLitePath,
		MaxOpenConns: c.PGMaxOpenConns, MaxIdleConns: c.PGMaxIdleConns, Logger: log,
	}
}

// Open connects to the database. It does not migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	var (
		sqlDB *sql.DB
		dial  gorm.Dialector
		err   error
	)
	switch o.Dialect {
	case config.SQLite:
		sqlDB, err = openSQLite(o.SQLitePath)
		if err != nil {
			return nil, err
		}
		dial = sqliteDialector{sqlite.Dialector{DriverName: "sqlite", Conn: sqlDB}}
	case config.Postgres:
		dial = postgres.New(postgres.Config{DSN: o.URL})
	default:
		return nil, fmt.Errorf("unknown database dialect %q", o.Dialect)
	}

	g, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", o.Dialect, err)
	}
	if sqlDB == nil {
		sqlDB, err = g.DB()
		if err != nil {
			return nil, fmt.Errorf("get postgres pool: %w", err)
		}
		sqlDB.SetMaxOpenConns(max(o.MaxOpenConns, 1))
		sqlDB.SetMaxIdleConns(o.MaxIdleConns)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", o.Dialect, err)
	}
	return &DB{Gorm: g, SQL: sqlDB, Dialect: o.Dialect}, nil
}

func openSQLite(path string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create directory for %s: %w", path, err)
		}
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// One connection makes this process the single writer SQLite wants and
	// keeps transactions from waiting on each other's locks; WAL still
	// lets other processes (backups, the CLI) read.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Close releases the connection pool.
func (d *DB) Close() error { return d.SQL.Close() }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

func (d *DB) provider() (*goose.Provider, error) {
	var (
		dialect goose.Dialect
		dir     string
	)
	switch d.Dialect {
	case config.Postgres:
		dialect, dir = goose.DialectPostgres, "postgres"
	default:
		dialect, dir = goose.DialectSQLite3, "sqlite"
	}
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", dir, err)
	}
	var opts []goose.ProviderOption
	if d.Dialect == config.Postgres {
		// Several serve processes may start together on one database; an
		// advisory lock makes them migrate one after the other.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, d.SQL, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

// Migrate applies every pending migration and returns how many ran.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	p, err := d.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("apply migrations: %w", err)
	}
	return len(res), nil
}

// Status lists every known migration.
func (d *DB) Status(ctx context.Context) ([]MigrationStatus, error) {
	p, err := d.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{
			Version:   s.Source.Version,
			Name:      filepath.Base(s.Source.Path),
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// ErrPending is returned by Current when migrations are outstanding.
var ErrPending = errors.New("database has pending migrations")

// Current reports whether every migration has been applied; /readyz uses it.
func (d *DB) Current(ctx context.Context) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("check migrations: %w", err)
	}
	if pending {
		return ErrPending
	}
	return nil
}

// sqliteDialector teaches GORM's SQLite dialect the modernc driver's
// errors: GORM's own translator only understands the cgo driver's error
// type, so without this a duplicate key on SQLite would surface as an
// internal error instead of gorm.ErrDuplicatedKey.
type sqliteDialector struct {
	sqlite.Dialector
}

// Extended result codes from https://sqlite.org/rescode.html.
const (
	sqliteConstraintCheck      = 275
	sqliteConstraintForeignKey = 787
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

func (d sqliteDialector) Translate(err error) error {
	var se *msqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
		return gorm.ErrDuplicatedKey
	case sqliteConstraintForeignKey:
		return gorm.ErrForeignKeyViolated
	case sqliteConstraintCheck:
		return gorm.ErrCheckConstraintViolated
	}
	return err
}

// EscapeLike makes % and _ in a search term match themselves in a
// `LIKE ? ESCAPE '\'` pattern, on both dialects.
func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
