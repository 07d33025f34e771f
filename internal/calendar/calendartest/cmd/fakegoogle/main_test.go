package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"
)

func TestRunServesUntilCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(runCtx, []string{"-state", path, "-conference-delay", "0", "-seed", "3"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL printed: %v", err)
	}
	url := strings.TrimSpace(line)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q", url)
	}
	go io.Copy(io.Discard, pr) //nolint:errcheck // drain anything else printed

	svc, err := calendar.NewService(ctx, option.WithEndpoint(url+"/calendar/v3/"),
		option.WithHTTPClient(calendartest.BearerClient("t")))
	if err != nil {
		t.Fatal(err)
	}
	ev := &calendar.Event{
		Id:    "process01",
		Start: &calendar.EventDateTime{DateTime: "2030-01-02T10:00:00Z"},
		End:   &calendar.EventDateTime{DateTime: "2030-01-02T10:30:00Z"},
	}
	if _, err := svc.Events.Insert("organizer@example.test", ev).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("run did not stop")
	}
	evs, err := calendartest.ReadStateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].ID != "process01" {
		t.Fatalf("state file holds %+v", evs)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-fault-rate", "2"},
		{"-fault-kinds", "429,teapot"},
		{"extra"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
