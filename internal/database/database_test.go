package database_test

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"io/fs"
	"path"
	"slices"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/dbtest"
	"github.com/debrief-dev/debrief/migrations"
)

func versions(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := fs.ReadDir(migrations.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if path.Ext(e.Name()) == ".sql" {
			out = append(out, e.Name())
		}
	}
	return out
}

// Both dialects must carry the same migration files, or one of them would
// silently lack a table the code expects.
func TestMigrationVersionsMatch(t *testing.T) {
	pg, lite := versions(t, "postgres"), versions(t, "sqlite")
	if len(pg) == 0 {
		t.Fatal("no postgres migrations found")
	}
	if !slices.Equal(pg, lite) {
		t.Fatalf("migration files differ:\npostgres: %v\nsqlite:   %v", pg, lite)
	}
}

func TestMigrateIsIdempotentAndCurrent(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, err := database.Open(ctx, dbtest.Options(t, d))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = db.Close() }()
			if err := db.Current(ctx); err == nil {
				t.Fatal("empty database reported as current")
			}
			n, err := db.Migrate(ctx)
			if err != nil || n != len(versions(t, string(d))) {
				t.Fatalf("first migrate: n=%d err=%v", n, err)
			}
			if n, err := db.Migrate(ctx); err != nil || n != 0 {
				t.Fatalf("second migrate: n=%d err=%v", n, err)
			}
			if err := db.Current(ctx); err != nil {
				t.Fatalf("after migrate: %v", err)
			}
			st, err := db.Status(ctx)
			if err != nil || len(st) == 0 || !st[0].Applied {
				t.Fatalf("status: %+v %v", st, err)
			}
		})
	}
}

// The embedded SQLite must be the pure-Go driver with the pragmas the
// design asks for: WAL, foreign keys and a busy timeout.
func TestSQLitePragmas(t *testing.T) {
	db := dbtest.New(t, config.SQLite)
	var mode string
	var fk, timeout int
	row := db.SQL.QueryRow("PRAGMA journal_mode")
	if err := row.Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v)", mode, err)
	}
	if err := db.SQL.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d (%v)", fk, err)
	}
	if err := db.SQL.QueryRow("PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout < 1000 {
		t.Fatalf("busy_timeout = %d (%v)", timeout, err)
	}
	// A row pointing at a missing parent must be refused.
	_, err := db.SQL.Exec(`INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at)
		VALUES ('x', 'no-such-user', 'c', '2026-01-01', '2026-01-01', '2026-01-01')`)
	if err == nil {
		t.Fatal("foreign key not enforced")
	}
}

// Feature code relies on GORM's translated errors to turn constraint
// violations into Conflict; both dialects must produce them.
func TestConstraintErrorsAreTranslated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		type level struct {
			ID        string
			Name      string
			Position  int
			CreatedAt time.Time
		}
		row := level{ID: "0191d7a4-0000-7000-8000-000000000001", Name: "staff", Position: 1, CreatedAt: time.Now().UTC()}
		if err := db.Gorm.Table("levels").Create(&row).Error; err != nil {
			t.Fatal(err)
		}
		row.ID = "0191d7a4-0000-7000-8000-000000000002"
		if err := db.Gorm.Table("levels").Create(&row).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
			t.Fatalf("duplicate name: %v, want gorm.ErrDuplicatedKey", err)
		}
		err := db.Gorm.Exec(`INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at)
			VALUES ('x', '0191d7a4-0000-7000-8000-00000000000f', 'c', ?, ?, ?)`, row.CreatedAt, row.CreatedAt, row.CreatedAt).Error
		if !errors.Is(err, gorm.ErrForeignKeyViolated) {
			t.Fatalf("missing parent: %v, want gorm.ErrForeignKeyViolated", err)
		}
	})
}

// Processes that start together on one PostgreSQL database must not race
// on the schema: the migration lock makes one wait for the other.
func TestConcurrentMigrationsOnPostgres(t *testing.T) {
	opts := dbtest.Options(t, config.Postgres)
	ctx := context.Background()
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			db, err := database.Open(ctx, opts)
			if err != nil {
				errs <- err
				return
			}
			defer func() { _ = db.Close() }()
			_, err = db.Migrate(ctx)
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
	}
}
