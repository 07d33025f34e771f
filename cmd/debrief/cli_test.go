package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/config"
)

func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func sqliteEnv(t *testing.T) map[string]string {
	dir := t.TempDir()
	return map[string]string{"DEBRIEF_DATA_DIR": dir, "DEBRIEF_DATABASE_URL": "sqlite:" + filepath.Join(dir, "d.db"), "DEBRIEF_LOG_LEVEL": "error"}
}

func TestUsageErrors(t *testing.T) {
	env := sqliteEnv(t)
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"migrate"},
		{"migrate", "sideways"},
		{"serve", "--port", "9"},
		{"admin"},
		{"admin", "create-user", "--email", "a@example.com", "--name", "A"},
		{"admin", "create-user", "--email", "a@example.com", "--name", "A", "--role", "king"},
		{"admin", "create-user", "--bogus"},
		{"admin", "create-token", "--email", "a@example.com"},
		{"admin", "promote"},
	} {
		_, _, err := runCLI(t, env, "", args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%q: want a usage error (exit 2), got %v", args, err)
		}
	}
	if _, _, err := runCLI(t, map[string]string{"DEBRIEF_ADDR": "nonsense"}, "", "serve"); err == nil ||
		!strings.Contains(err.Error(), "DEBRIEF_ADDR") {
		t.Errorf("bad config: %v", err)
	}
}

func TestVersionAndMigrate(t *testing.T) {
	out, _, err := runCLI(t, nil, "", "version")
	if err != nil || !strings.HasPrefix(out, "debrief ") {
		t.Fatalf("version: %q %v", out, err)
	}
	dialects(t, func(t *testing.T, d config.Dialect) {
		env := sqliteEnv(t)
		if d == config.Postgres {
			env["DEBRIEF_DATABASE_URL"] = createPG(t)
		}
		out, _, err := runCLI(t, env, "", "migrate", "status")
		if err != nil || !strings.Contains(out, "pending") {
			t.Fatalf("status before: %q %v", out, err)
		}
		out, _, err = runCLI(t, env, "", "migrate", "up")
		if err != nil || !strings.Contains(out, "applied") {
			t.Fatalf("up: %q %v", out, err)
		}
		out, _, err = runCLI(t, env, "", "migrate", "status")
		if err != nil || strings.Contains(out, "pending") || !strings.Contains(out, "00001_foundation.sql") {
			t.Fatalf("status after: %q %v", out, err)
		}
	})
}

func TestAdminCommands(t *testing.T) {
	c := loadContract(t)
	env := sqliteEnv(t)
	out, _, err := runCLI(t, env, "a long enough password\n", "admin", "create-user", "--email", "Kim@Example.com", "--name", "Kim Lead", "--role", "leader")
	if err != nil || !strings.Contains(out, "created leader kim@example.com") {
		t.Fatalf("create-user: %q %v", out, err)
	}
	if _, _, err := runCLI(t, env, "short\n", "admin", "create-user", "--email", "x@example.com", "--name", "X", "--role", "member"); err == nil ||
		!strings.Contains(err.Error(), "10 characters") {
		t.Fatalf("short password: %v", err)
	}
	if _, _, err := runCLI(t, env, "", "admin", "create-user", "--email", "y@example.com", "--name", "Y", "--role", "member"); err == nil {
		t.Fatal("empty stdin accepted")
	}
	tok, _, err := runCLI(t, env, "", "admin", "create-token", "--email", "kim@example.com", "--name", "reporting")
	if err != nil || !strings.HasPrefix(tok, "dbf_") {
		t.Fatalf("create-token: %q %v", tok, err)
	}
	if _, _, err := runCLI(t, env, "another long password\n", "admin", "reset-password", "--email", "kim@example.com"); err != nil {
		t.Fatal(err)
	}
	env["DEBRIEF_ADDR"] = "127.0.0.1:0"
	s := startWithEnv(t, env)
	if s.SetupURL != "" {
		t.Fatal("set-up link printed although an account exists")
	}
	s.signIn(t, c, "kim@example.com", "another long password")
	script := s.client(t, c)
	script.token = strings.TrimSpace(tok)
	var me session
	script.must(200, "GET", "/api/v1/auth/me", nil).decode(t, &me)
	if me.User.Role != "leader" {
		t.Fatalf("token user = %+v", me.User)
	}
}
