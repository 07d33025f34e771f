// Command debrief runs the Debrief service and its administration tasks.
// main only adapts the process to run, which holds everything else so it
// can be driven from tests.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	// Time zones are validated on every person; embedding the database keeps
	// that working in minimal container images without zoneinfo files.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err == nil {
		return
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(os.Stderr, "debrief:", ue.msg)
		fmt.Fprintln(os.Stderr, "Run `debrief help` for usage.")
		os.Exit(2)
	}
	fmt.Fprintln(os.Stderr, "debrief:", err)
	os.Exit(1)
}
