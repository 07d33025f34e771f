package bookings

import (
	"testing"
	"time"

	"github.com/debrief-dev/debrief/internal/calendar"
)

func TestDescribeSpan(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct{ start, end, want string }{
		{"2026-11-25T14:00:00Z", "2026-11-25T14:45:00Z", "from 14:00 to 14:45 UTC on Wed 25 Nov 2026"},
		{"2026-11-25T15:00:00+01:00", "2026-11-25T15:45:00+01:00", "from 14:00 to 14:45 UTC on Wed 25 Nov 2026"},
		{"2026-11-25T23:30:00Z", "2026-11-26T00:00:00Z", "from 23:30 to 00:00 UTC on Wed 25 Nov 2026"},
		{"2026-11-25T23:30:00Z", "2026-11-26T00:15:00Z", "from Wed 25 Nov 2026 23:30 to Thu 26 Nov 2026 00:15 UTC"},
		{"2026-12-31T23:30:00Z", "2027-01-01T00:15:00Z", "from Thu 31 Dec 2026 23:30 to Fri 1 Jan 2027 00:15 UTC"},
	}
	for _, c := range cases {
		if got := describeSpan(d(c.start), d(c.end)); got != c.want {
			t.Errorf("describeSpan(%s, %s) = %q, want %q", c.start, c.end, got, c.want)
		}
	}
}

func TestCovered(t *testing.T) {
	h := func(a, b int) calendar.Interval {
		base := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		return calendar.Interval{Start: base.Add(time.Duration(a) * time.Minute), End: base.Add(time.Duration(b) * time.Minute)}
	}
	cases := []struct {
		name  string
		block calendar.Interval
		holds []calendar.Interval
		want  bool
	}{
		{"exactly one hold", h(60, 90), []calendar.Interval{h(60, 90)}, true},
		{"two touching holds", h(60, 120), []calendar.Interval{h(90, 120), h(60, 90)}, true},
		{"gap between holds", h(60, 120), []calendar.Interval{h(60, 80), h(90, 120)}, false},
		{"extends before", h(30, 90), []calendar.Interval{h(60, 90)}, false},
		{"extends after", h(60, 100), []calendar.Interval{h(60, 90)}, false},
		{"no holds", h(60, 90), nil, false},
		{"wider hold", h(60, 90), []calendar.Interval{h(0, 200)}, true},
		{"holds outside", h(60, 90), []calendar.Interval{h(0, 30), h(100, 200)}, false},
	}
	for _, c := range cases {
		if got := covered(c.block, c.holds); got != c.want {
			t.Errorf("%s: covered = %v, want %v", c.name, got, c.want)
		}
	}
}
