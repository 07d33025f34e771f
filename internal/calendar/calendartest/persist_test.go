package calendartest_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	calendar "google.golang.org/api/calendar/v3"
)

func TestStateSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fake.json")
	ctx := ctxT(t)

	s1 := calendartest.New(calendartest.Options{StatePath: path})
	url1, err := s1.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	svc1 := newService(t, url1)
	for _, id := range []string{"keep00001", "keep00002", "keep00003"} {
		if _, err := svc1.Events.Insert(org, booking(id, "x", t0, "alice@example.test")).Context(ctx).Do(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s1.SetResponse(org, "keep00002", "alice@example.test", "declined"); err != nil {
		t.Fatal(err)
	}
	list, err := svc1.Events.List(org).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	// The file is current while the fake runs, as another process sees it.
	evs, err := calendartest.ReadStateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 || evs[1].Attendees[0].ResponseStatus != "declined" {
		t.Fatalf("state file: %+v", evs)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	s2, url2 := startFake(t, calendartest.Options{StatePath: path})
	svc2 := newService(t, url2)
	got, err := svc2.Events.Get(org, "keep00001").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Etag != evs[0].ETag {
		t.Fatalf("etag after restart %s, want %s", got.Etag, evs[0].ETag)
	}
	_, err = svc2.Events.Insert(org, booking("keep00001", "x", t0)).Context(ctx).Do()
	apiErr(t, err, 409, "duplicate")
	// A sync token from before the restart still works.
	res, err := svc2.Events.List(org).SyncToken(list.NextSyncToken).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 0 {
		t.Fatalf("sync after restart returned %d changes", len(res.Items))
	}
	if _, err := svc2.Events.Patch(org, "keep00003", &calendar.Event{Summary: "y"}).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if n := s2.CountByExtendedProperty("debriefBooking", "keep00003"); n != 1 {
		t.Fatalf("count = %d", n)
	}

	// The control routes give the same view over HTTP.
	resp, err := http.Get(url2 + "/_fake/count?key=debriefBooking&value=keep00002")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c struct{ Count int }
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || c.Count != 1 {
		t.Fatalf("/_fake/count: %+v %v", c, err)
	}
}

func TestBadStateFileIsReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fake.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, svc := newFakeUnchecked(t, calendartest.Options{StatePath: path})
	if s.Err() == nil {
		t.Fatal("corrupt state file accepted")
	}
	if _, err := s.Start(""); err == nil {
		t.Fatal("Start accepted a corrupt state file")
	}
	_, err := svc.Events.Get(org, "anything").Context(ctxT(t)).Do()
	apiErr(t, err, 500, "backendError")
	// The fake must not overwrite the file it could not read.
	s.Close()
	if b, _ := os.ReadFile(path); string(b) != "{not json" {
		t.Fatalf("state file rewritten: %q", b)
	}
}
