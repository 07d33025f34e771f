// Package dbtest gives tests a fresh, migrated database on each dialect so
// one suite proves the same behaviour on SQLite and PostgreSQL.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	// pgx's database/sql driver, used only to create and drop databases.
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/database"
)

// AdminURL is the PostgreSQL server tests create databases on. Override
// with DEBRIEF_TEST_POSTGRES_URL.
func AdminURL() string {
	if v := os.Getenv("DEBRIEF_TEST_POSTGRES_URL"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Dialects lists the dialects every storage test runs on.
func Dialects() []config.Dialect { return []config.Dialect{config.SQLite, config.Postgres} }

// Each runs fn once per dialect, each time on a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// New returns a fresh migrated database of the given dialect, closed and
// removed when the test ends.
func New(t testing.TB, d config.Dialect) *database.DB {
	t.Helper()
	opts := Options(t, d)
	ctx := context.Background()
	db, err := database.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// Options creates an empty database of dialect d (a temp file, or a new
// PostgreSQL database) and returns how to open it. The database is dropped
// when the test ends.
func Options(t testing.TB, d config.Dialect) database.Options {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	switch d {
	case config.SQLite:
		path := filepath.Join(t.TempDir(), "debrief.db")
		return database.Options{URL: "sqlite:" + path, Dialect: config.SQLite, SQLitePath: path, Logger: log}
	case config.Postgres:
		u := CreatePostgres(t)
		return database.Options{URL: u, Dialect: config.Postgres, MaxOpenConns: 10, MaxIdleConns: 5, Logger: log}
	}
	t.Fatalf("unknown dialect %q", d)
	return database.Options{}
}

// URL returns a DEBRIEF_DATABASE_URL for a fresh empty database of dialect
// d, for tests that start the whole binary.
func URL(t testing.TB, d config.Dialect) string {
	t.Helper()
	return Options(t, d).URL
}

// CreatePostgres makes a new empty database on the test server and returns
// its URL. When the server is unreachable the test is skipped on a laptop
// but fails under CI, so storage code is never silently untested there.
func CreatePostgres(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", AdminURL())
	if err != nil {
		t.Fatalf("open postgres admin connection: %v", err)
	}
	defer func() { _ = admin.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL at %s is unreachable and CI is set: %v", AdminURL(), err)
		}
		t.Skipf("PostgreSQL unreachable (%v); set CI=1 to make this a failure", err)
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	name := "debrief_test_" + hex.EncodeToString(buf)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", AdminURL())
		if err != nil {
			return
		}
		defer func() { _ = a.Close() }()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(AdminURL())
	if err != nil {
		t.Fatalf("parse %s: %v", AdminURL(), err)
	}
	u.Path = "/" + name
	return fmt.Sprint(u)
}
