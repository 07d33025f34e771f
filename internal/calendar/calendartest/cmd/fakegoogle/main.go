// Command fakegoogle runs calendartest's fake Google Calendar as a process
// of its own, so it outlives the clients it serves (a test can kill and
// restart a client while the fake keeps its events). It prints its base URL
// on the first line of stdout and serves until SIGINT or SIGTERM.
//
//	fakegoogle -state /tmp/fake.json -fault-rate 0.3 -seed 7 -conference-delay 1s
//
// Point the Google client at URL+"/calendar/v3/" and its token URL at
// URL+"/token". The /_fake/ routes report what the fake holds.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakegoogle:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fakegoogle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
	statePath := fs.String("state", "", "JSON file to keep the fake's events in (kept across restarts)")
	rate := fs.Float64("fault-rate", 0, "probability in [0,1] that a calendar request gets a fault")
	kinds := fs.String("fault-kinds", "", "comma-separated fault kinds (default all: "+joinKinds()+")")
	seed := fs.Uint64("seed", 1, "seed for fault draws")
	slow := fs.Duration("slow-delay", 500*time.Millisecond, "how long a slow reply waits (at most 30s)")
	confDelay := fs.Duration("conference-delay", time.Second, "how long a Meet conference stays pending")
	requireTokens := fs.Bool("require-issued-tokens", false, "accept only access tokens issued by /token")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	f := calendartest.Faults{Rate: *rate, Seed: *seed, SlowDelay: *slow}
	if *kinds != "" {
		for _, k := range strings.Split(*kinds, ",") {
			f.Kinds = append(f.Kinds, calendartest.FaultKind(strings.TrimSpace(k)))
		}
	}
	s := calendartest.New(calendartest.Options{
		StatePath:           *statePath,
		Faults:              f,
		ConferenceDelay:     *confDelay,
		RequireIssuedTokens: *requireTokens,
		Logf: func(format string, a ...any) {
			fmt.Fprintf(stderr, format+"\n", a...)
		},
	})
	url, err := s.Start(*addr)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(stdout, url); err != nil {
		s.Close()
		return err
	}
	<-ctx.Done()
	return s.Close()
}

func joinKinds() string {
	var b strings.Builder
	for i, k := range calendartest.AllFaultKinds() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(k))
	}
	return b.String()
}
