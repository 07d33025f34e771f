package e2etest_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Paths of the binaries built once by TestMain.
var (
	debriefBin    string
	fakeGoogleBin string
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		// Every test here is heavy and skips itself; building would only
		// cost time.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "debrief-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2etest:", err)
		os.Exit(1)
	}
	code := func() int {
		defer func() { _ = os.RemoveAll(dir) }()
		debriefBin = filepath.Join(dir, "debrief")
		fakeGoogleBin = filepath.Join(dir, "fakegoogle")
		for _, b := range []struct{ out, pkg string }{
			{debriefBin, "github.com/debrief-dev/debrief/cmd/debrief"},
			{fakeGoogleBin, "github.com/debrief-dev/debrief/internal/calendar/calendartest/cmd/fakegoogle"},
		} {
			if err := build(b.out, b.pkg); err != nil {
				fmt.Fprintln(os.Stderr, "e2etest:", err)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// build compiles pkg into out the way the Makefile does (no cgo).
func build(out, pkg string) error {
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	start := time.Now()
	cmd := exec.Command(goBin, "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, strings.TrimSpace(string(b)))
	}
	fmt.Fprintf(os.Stderr, "e2etest: built %s in %s\n", filepath.Base(out), time.Since(start).Round(time.Millisecond))
	return nil
}
