package calendartest_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar/calendartest"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
)

// newFake serves a fake through httptest and returns a real Google client
// pointed at it.
func newFake(t *testing.T, opts calendartest.Options) (*calendartest.Server, *calendar.Service) {
	t.Helper()
	s, svc := newFakeUnchecked(t, opts)
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return s, svc
}

func newFakeUnchecked(t *testing.T, opts calendartest.Options) (*calendartest.Server, *calendar.Service) {
	t.Helper()
	s := calendartest.New(opts)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	// Cleanups run last-in first-out: closing the fake first ends slow
	// replies, so ts.Close does not wait for them.
	t.Cleanup(func() { s.Close() })
	return s, newService(t, ts.URL)
}

func newService(t *testing.T, baseURL string, extra ...option.ClientOption) *calendar.Service {
	t.Helper()
	opts := append([]option.ClientOption{
		option.WithEndpoint(baseURL + "/calendar/v3/"),
		option.WithHTTPClient(calendartest.BearerClient("test-token")),
	}, extra...)
	svc, err := calendar.NewService(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// booking is an event as Debrief would send it.
func booking(id, summary string, start time.Time, attendees ...string) *calendar.Event {
	ev := &calendar.Event{
		Id:      id,
		Summary: summary,
		Start:   &calendar.EventDateTime{DateTime: start.Format(time.RFC3339)},
		End:     &calendar.EventDateTime{DateTime: start.Add(45 * time.Minute).Format(time.RFC3339)},
		ExtendedProperties: &calendar.EventExtendedProperties{
			Private: map[string]string{"debriefBooking": id},
		},
	}
	for i, a := range attendees {
		ev.Attendees = append(ev.Attendees, &calendar.EventAttendee{Email: a, Optional: i > 0})
	}
	return ev
}

// apiErr asserts err is a *googleapi.Error with the given code and reason.
func apiErr(t *testing.T, err error, code int, reason string) *googleapi.Error {
	t.Helper()
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) {
		t.Fatalf("want *googleapi.Error %d %s, got %T %v", code, reason, err, err)
	}
	if gerr.Code != code {
		t.Fatalf("code = %d, want %d (%v)", gerr.Code, code, gerr)
	}
	if reason != "" && (len(gerr.Errors) == 0 || gerr.Errors[0].Reason != reason) {
		t.Fatalf("reason = %+v, want %s", gerr.Errors, reason)
	}
	return gerr
}

var t0 = time.Date(2030, 3, 4, 15, 0, 0, 0, time.UTC)
