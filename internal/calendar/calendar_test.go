package calendar_test

import (
	"regexp"
	"testing"

	"github.com/debrief-dev/debrief/internal/calendar"
)

func TestEventIDIsStableAndGoogleSafe(t *testing.T) {
	id := "0191d7a4-5b2c-7d3e-8f40-123456789abc"
	a, b := calendar.EventID(id), calendar.EventID(id)
	if a != b {
		t.Fatalf("not stable: %q vs %q", a, b)
	}
	if !regexp.MustCompile(`^[a-v0-9]{5,1000}$`).MatchString(a) {
		t.Fatalf("%q is not a valid Google event id", a)
	}
	if calendar.EventID("0191d7a4-5b2c-7d3e-8f40-123456789abd") == a {
		t.Fatal("different bookings share an event id")
	}
}
