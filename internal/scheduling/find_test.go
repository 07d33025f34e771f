package scheduling

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the machine's zoneinfo
)

func loc(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return l
}

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return v
}

func hours(t testing.TB, s string) WorkingHours {
	t.Helper()
	w, err := ParseWorkingHours(s)
	if err != nil {
		t.Fatalf("hours %q: %v", s, err)
	}
	return w
}

// TestWorkingIntervals pins the expansion of wall-clock hours to exact
// instants around clock changes, in odd offsets and across the date line.
func TestWorkingIntervals(t *testing.T) {
	tests := []struct {
		name, zone, hours, from, to string
		want                        []string // pairs of RFC 3339 UTC instants
	}{
		// New York springs forward at 02:00 EST on Sunday 2024-03-10.
		{"NY spring: hours shrink by the gap", "America/New_York", "sun 01:00-05:00", "2024-03-08T00:00:00Z", "2024-03-13T00:00:00Z",
			[]string{"2024-03-10T06:00:00Z", "2024-03-10T09:00:00Z"}},
		{"NY spring: 02:30 starts at 03:00 EDT, not 01:30 EST", "America/New_York", "sun 02:30-04:00", "2024-03-08T00:00:00Z", "2024-03-13T00:00:00Z",
			[]string{"2024-03-10T07:00:00Z", "2024-03-10T08:00:00Z"}},
		{"NY spring: 01:30-02:30 ends at the end of the gap", "America/New_York", "sun 01:30-02:30", "2024-03-08T00:00:00Z", "2024-03-13T00:00:00Z",
			[]string{"2024-03-10T06:30:00Z", "2024-03-10T07:00:00Z"}},
		{"NY spring: range inside the gap vanishes", "America/New_York", "sun 02:00-02:45", "2024-03-08T00:00:00Z", "2024-03-13T00:00:00Z",
			nil},
		{"NY spring: night shift is 7 hours", "America/New_York", "sat 22:00-06:00", "2024-03-08T00:00:00Z", "2024-03-13T00:00:00Z",
			[]string{"2024-03-10T03:00:00Z", "2024-03-10T10:00:00Z"}},
		{"NY spring: day shift is 8 hours of EDT", "America/New_York", "sun 09:00-17:00", "2024-03-08T00:00:00Z", "2024-03-13T00:00:00Z",
			[]string{"2024-03-10T13:00:00Z", "2024-03-10T21:00:00Z"}},
		// New York falls back at 02:00 EDT on Sunday 2024-11-03.
		{"NY fall: day shift is 8 hours of EST", "America/New_York", "sun 09:00-17:00", "2024-11-01T00:00:00Z", "2024-11-06T00:00:00Z",
			[]string{"2024-11-03T14:00:00Z", "2024-11-03T22:00:00Z"}},
		{"NY fall: night shift is 9 hours", "America/New_York", "sat 22:00-06:00", "2024-11-01T00:00:00Z", "2024-11-06T00:00:00Z",
			[]string{"2024-11-03T02:00:00Z", "2024-11-03T11:00:00Z"}},
		{"NY fall: repeated 01:30 starts at its first occurrence", "America/New_York", "sun 01:30-03:00", "2024-11-01T00:00:00Z", "2024-11-06T00:00:00Z",
			[]string{"2024-11-03T05:30:00Z", "2024-11-03T08:00:00Z"}},
		{"NY fall: repeated 01:30 ends at its first occurrence", "America/New_York", "sun 00:00-01:30", "2024-11-01T00:00:00Z", "2024-11-06T00:00:00Z",
			[]string{"2024-11-03T04:00:00Z", "2024-11-03T05:30:00Z"}},
		{"NY fall: 01:00-02:00 is two real hours", "America/New_York", "sun 01:00-02:00", "2024-11-01T00:00:00Z", "2024-11-06T00:00:00Z",
			[]string{"2024-11-03T05:00:00Z", "2024-11-03T07:00:00Z"}},
		// London: forward at 01:00 GMT on 2024-03-31, back at 02:00 BST on 2024-10-27.
		{"London spring: 01:30 starts at 02:00 BST", "Europe/London", "sun 01:30-03:00", "2024-03-29T00:00:00Z", "2024-04-02T00:00:00Z",
			[]string{"2024-03-31T01:00:00Z", "2024-03-31T02:00:00Z"}},
		{"London spring: night shift is 7 hours", "Europe/London", "sat 22:00-06:00", "2024-03-29T00:00:00Z", "2024-04-02T00:00:00Z",
			[]string{"2024-03-30T22:00:00Z", "2024-03-31T05:00:00Z"}},
		{"London fall: night shift is 9 hours", "Europe/London", "sat 23:00-07:00", "2024-10-25T00:00:00Z", "2024-10-29T00:00:00Z",
			[]string{"2024-10-26T22:00:00Z", "2024-10-27T07:00:00Z"}},
		{"London fall: day shift", "Europe/London", "sun 09:00-17:00", "2024-10-25T00:00:00Z", "2024-10-29T00:00:00Z",
			[]string{"2024-10-27T09:00:00Z", "2024-10-27T17:00:00Z"}},
		// Sydney: back at 03:00 AEDT on 2024-04-07, forward at 02:00 AEST on 2024-10-06.
		{"Sydney fall: night shift is 9 hours", "Australia/Sydney", "sat 22:00-06:00", "2024-04-04T00:00:00Z", "2024-04-09T00:00:00Z",
			[]string{"2024-04-06T11:00:00Z", "2024-04-06T20:00:00Z"}},
		{"Sydney fall: repeated 02:30 starts at its first occurrence", "Australia/Sydney", "sun 02:30-04:00", "2024-04-04T00:00:00Z", "2024-04-09T00:00:00Z",
			[]string{"2024-04-06T15:30:00Z", "2024-04-06T18:00:00Z"}},
		{"Sydney spring: 02:30 starts at 03:00 AEDT", "Australia/Sydney", "sun 02:30-09:00", "2024-10-03T00:00:00Z", "2024-10-08T00:00:00Z",
			[]string{"2024-10-05T16:00:00Z", "2024-10-05T22:00:00Z"}},
		{"Sydney spring: night shift is 7 hours", "Australia/Sydney", "sat 22:00-06:00", "2024-10-03T00:00:00Z", "2024-10-08T00:00:00Z",
			[]string{"2024-10-05T12:00:00Z", "2024-10-05T19:00:00Z"}},
		// Lord Howe moves by half an hour: 02:00 +10:30 becomes 02:30 +11.
		{"Lord Howe: half-hour gap", "Australia/Lord_Howe", "sun 02:00-03:00", "2024-10-03T00:00:00Z", "2024-10-08T00:00:00Z",
			[]string{"2024-10-05T15:30:00Z", "2024-10-05T16:00:00Z"}},
		{"Lord Howe: range inside the half-hour gap vanishes", "Australia/Lord_Howe", "sun 02:00-02:15", "2024-10-03T00:00:00Z", "2024-10-08T00:00:00Z",
			nil},
		// Santiago springs forward at midnight: Sunday 2024-09-08 starts at 01:00.
		{"Santiago: missing midnight starts at 01:00", "America/Santiago", "sun 00:00-02:00", "2024-09-05T00:00:00Z", "2024-09-10T00:00:00Z",
			[]string{"2024-09-08T04:00:00Z", "2024-09-08T05:00:00Z"}},
		{"Kolkata +05:30", "Asia/Kolkata", "mon 09:00-17:00", "2024-03-09T00:00:00Z", "2024-03-14T00:00:00Z",
			[]string{"2024-03-11T03:30:00Z", "2024-03-11T11:30:00Z"}},
		{"Kathmandu +05:45", "Asia/Kathmandu", "mon 09:00-17:00", "2024-03-09T00:00:00Z", "2024-03-14T00:00:00Z",
			[]string{"2024-03-11T03:15:00Z", "2024-03-11T11:15:00Z"}},
		{"Eucla +08:45", "Australia/Eucla", "mon 09:00-17:00", "2024-03-09T00:00:00Z", "2024-03-14T00:00:00Z",
			[]string{"2024-03-11T00:15:00Z", "2024-03-11T08:15:00Z"}},
		{"Chatham +13:45: Monday starts on Sunday UTC", "Pacific/Chatham", "mon 09:00-17:00", "2024-03-09T00:00:00Z", "2024-03-14T00:00:00Z",
			[]string{"2024-03-10T19:15:00Z", "2024-03-11T03:15:00Z"}},
		// The same UTC hour is Monday morning in Auckland and Sunday in Honolulu.
		{"Auckland Monday", "Pacific/Auckland", "mon 09:00-10:00", "2024-06-01T00:00:00Z", "2024-06-05T00:00:00Z",
			[]string{"2024-06-02T21:00:00Z", "2024-06-02T22:00:00Z"}},
		{"Honolulu Sunday", "Pacific/Honolulu", "sun 11:00-12:00", "2024-06-01T00:00:00Z", "2024-06-05T00:00:00Z",
			[]string{"2024-06-02T21:00:00Z", "2024-06-02T22:00:00Z"}},
		{"touching ranges are one stretch", "UTC", "mon 09:00-12:00,12:00-13:00", "2024-03-10T00:00:00Z", "2024-03-12T00:00:00Z",
			[]string{"2024-03-11T09:00:00Z", "2024-03-11T13:00:00Z"}},
		{"ranges touching at midnight are one stretch", "UTC", "mon 20:00-24:00; tue 00:00-04:00", "2024-03-10T00:00:00Z", "2024-03-14T00:00:00Z",
			[]string{"2024-03-11T20:00:00Z", "2024-03-12T04:00:00Z"}},
		{"overnight range joins the next day's", "UTC", "mon 22:00-02:00; tue 02:00-03:00", "2024-03-10T00:00:00Z", "2024-03-14T00:00:00Z",
			[]string{"2024-03-11T22:00:00Z", "2024-03-12T03:00:00Z"}},
		{"a minute's gap keeps stretches apart", "UTC", "mon 20:00-23:59; tue 00:00-04:00", "2024-03-10T00:00:00Z", "2024-03-14T00:00:00Z",
			[]string{"2024-03-11T20:00:00Z", "2024-03-11T23:59:00Z", "2024-03-12T00:00:00Z", "2024-03-12T04:00:00Z"}},
		{"clipped to the window", "UTC", "mon-sun 09:00-17:00", "2024-03-11T12:00:00Z", "2024-03-12T10:00:00Z",
			[]string{"2024-03-11T12:00:00Z", "2024-03-11T17:00:00Z", "2024-03-12T09:00:00Z", "2024-03-12T10:00:00Z"}},
		{"overnight range from the day before the window", "UTC", "sun 22:00-06:00", "2024-03-11T00:00:00Z", "2024-03-12T00:00:00Z",
			[]string{"2024-03-11T00:00:00Z", "2024-03-11T06:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Person{ID: "p", Zone: loc(t, tt.zone), Hours: hours(t, tt.hours)}
			got, err := p.WorkingIntervals(Interval{at(t, tt.from), at(t, tt.to)})
			if err != nil {
				t.Fatal(err)
			}
			var gotS []string
			for _, iv := range got {
				gotS = append(gotS, iv.Start.UTC().Format(time.RFC3339), iv.End.UTC().Format(time.RFC3339))
			}
			if !slices.Equal(gotS, tt.want) {
				t.Errorf("got  %v\nwant %v", gotS, tt.want)
			}
		})
	}
}

func starts(slots []Slot, onlyRequiredFree bool) []string {
	var out []string
	for _, s := range slots {
		if !onlyRequiredFree || s.RequiredFree {
			out = append(out, s.Start.UTC().Format(time.RFC3339))
		}
	}
	return out
}

func known(ids ...string) []Calendar {
	var out []Calendar
	for _, id := range ids {
		out = append(out, Calendar{PersonID: id})
	}
	return out
}

func TestFindDateLine(t *testing.T) {
	people := []Person{
		{ID: "akl", Zone: loc(t, "Pacific/Auckland"), Hours: hours(t, "mon-fri 09:00-17:00")},
		{ID: "hnl", Zone: loc(t, "Pacific/Honolulu"), Hours: hours(t, "mon-fri 09:00-17:00")},
	}
	req := Request{
		Required: []string{"akl", "hnl"},
		Window:   Interval{at(t, "2024-06-02T00:00:00Z"), at(t, "2024-06-09T00:00:00Z")},
		Duration: 6 * time.Hour,
		Step:     time.Hour,
	}
	slots, err := Find(req, people, known("akl", "hnl"))
	if err != nil {
		t.Fatal(err)
	}
	// Honolulu Monday-Thursday 11:00-17:00 is Auckland Tuesday-Friday
	// 09:00-15:00; Auckland's Monday is Honolulu's Sunday.
	want := []string{"2024-06-03T21:00:00Z", "2024-06-04T21:00:00Z", "2024-06-05T21:00:00Z", "2024-06-06T21:00:00Z"}
	if got := starts(slots, true); !slices.Equal(got, want) {
		t.Errorf("all-free starts = %v, want %v", got, want)
	}
	if got := starts(slots[:4], false); !slices.Equal(got, want) {
		t.Errorf("top four = %v, want %v", got, want)
	}
	if len(slots) != 163 { // (168h - 6h) / 1h + 1
		t.Errorf("len(slots) = %d, want 163", len(slots))
	}
	if s := slots[4]; s.RequiredFree || s.Start.UTC().Format(time.RFC3339) != "2024-06-02T00:00:00Z" {
		t.Errorf("fifth slot = %v %v, want the earliest not-free slot", s.Start, s.RequiredFree)
	}
}

func TestFindDST(t *testing.T) {
	ny, lon := loc(t, "America/New_York"), loc(t, "Europe/London")
	tests := []struct {
		name     string
		people   []Person
		from, to string
		duration time.Duration
		want     []string
	}{
		{
			// Between the US and EU changes New York is on EDT and London
			// on GMT, so the shared day is four hours instead of three.
			name: "NY and London overlap grows to 4h in March",
			people: []Person{
				{ID: "a", Zone: ny, Hours: hours(t, "mon-fri 09:00-17:00")},
				{ID: "b", Zone: lon, Hours: hours(t, "mon-fri 09:00-17:00")},
			},
			from: "2024-03-04T00:00:00Z", to: "2024-03-16T00:00:00Z", duration: 4 * time.Hour,
			want: []string{"2024-03-11T13:00:00Z", "2024-03-12T13:00:00Z", "2024-03-13T13:00:00Z", "2024-03-14T13:00:00Z", "2024-03-15T13:00:00Z"},
		},
		{
			name:   "NY spring night shift fits exactly 7h",
			people: []Person{{ID: "a", Zone: ny, Hours: hours(t, "sat 22:00-06:00")}},
			from:   "2024-03-09T00:00:00Z", to: "2024-03-11T00:00:00Z", duration: 7 * time.Hour,
			want: []string{"2024-03-10T03:00:00Z"},
		},
		{
			name:   "NY spring night shift cannot fit 7h30m",
			people: []Person{{ID: "a", Zone: ny, Hours: hours(t, "sat 22:00-06:00")}},
			from:   "2024-03-09T00:00:00Z", to: "2024-03-11T00:00:00Z", duration: 7*time.Hour + 30*time.Minute,
			want: nil,
		},
		{
			name:   "NY fall night shift fits 9h",
			people: []Person{{ID: "a", Zone: ny, Hours: hours(t, "sat 22:00-06:00")}},
			from:   "2024-11-02T00:00:00Z", to: "2024-11-04T00:00:00Z", duration: 9 * time.Hour,
			want: []string{"2024-11-03T02:00:00Z"},
		},
		{
			name:   "Sydney spring: 02:30-04:00 is 1h, starting 03:00 AEDT",
			people: []Person{{ID: "a", Zone: loc(t, "Australia/Sydney"), Hours: hours(t, "sun 02:30-04:00")}},
			from:   "2024-10-05T00:00:00Z", to: "2024-10-06T00:00:00Z", duration: time.Hour,
			want: []string{"2024-10-05T16:00:00Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ids []string
			for _, p := range tt.people {
				ids = append(ids, p.ID)
			}
			req := Request{Required: ids, Window: Interval{at(t, tt.from), at(t, tt.to)}, Duration: tt.duration, Step: 30 * time.Minute}
			slots, err := Find(req, tt.people, known(ids...))
			if err != nil {
				t.Fatal(err)
			}
			if got := starts(slots, true); !slices.Equal(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestFindAcrossLocalMidnight(t *testing.T) {
	tokyo := loc(t, "Asia/Tokyo")
	win := Interval{at(t, "2024-03-15T20:00:00Z"), at(t, "2024-03-16T04:00:00Z")}
	tests := []struct {
		name, hours string
		want        []string
	}{
		{"overnight range", "fri 22:00-02:00",
			[]string{"2024-03-15T22:00:00Z", "2024-03-15T22:30:00Z", "2024-03-15T23:00:00Z", "2024-03-15T23:30:00Z",
				"2024-03-16T00:00:00Z", "2024-03-16T00:30:00Z", "2024-03-16T01:00:00Z"}},
		{"ranges touching at midnight", "fri 22:00-24:00; sat 00:00-02:00",
			[]string{"2024-03-15T22:00:00Z", "2024-03-15T22:30:00Z", "2024-03-15T23:00:00Z", "2024-03-15T23:30:00Z",
				"2024-03-16T00:00:00Z", "2024-03-16T00:30:00Z", "2024-03-16T01:00:00Z"}},
		{"a gap at midnight blocks crossing it", "fri 22:00-23:59; sat 00:00-02:00",
			[]string{"2024-03-15T22:00:00Z", "2024-03-15T22:30:00Z", "2024-03-16T00:00:00Z", "2024-03-16T00:30:00Z", "2024-03-16T01:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			people := []Person{
				{ID: "night", Zone: time.UTC, Hours: hours(t, tt.hours)},
				{ID: "tokyo", Zone: tokyo, Hours: hours(t, "sat 07:00-12:00")}, // Fri 22:00Z - Sat 03:00Z
			}
			req := Request{Required: []string{"night", "tokyo"}, Window: win, Duration: time.Hour, Step: 30 * time.Minute}
			slots, err := Find(req, people, known("night", "tokyo"))
			if err != nil {
				t.Fatal(err)
			}
			if got := starts(slots, true); !slices.Equal(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestFindBusyBlocks(t *testing.T) {
	day := func(hhmm string) time.Time { return at(t, "2024-03-11T"+hhmm+":00Z") }
	busy := []Interval{
		{day("10:00"), day("11:00")}, {day("11:00"), day("12:00")}, // touching
		{day("13:00"), day("14:00")}, {day("13:30"), day("14:30")}, // overlapping
		{day("15:00"), day("15:00")}, // empty: ignored
	}
	tests := []struct {
		name   string
		buffer time.Duration
		step   time.Duration
		free   []string
	}{
		{"no buffer: touching ends are free", 0, 30 * time.Minute,
			[]string{"09:00", "12:00", "14:30", "15:00", "15:30", "16:00"}},
		{"15-minute buffer", 15 * time.Minute, 15 * time.Minute,
			[]string{"14:45", "15:00", "15:15", "15:30", "15:45", "16:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			people := []Person{{ID: "p", Zone: time.UTC, Hours: hours(t, "mon 09:00-17:00")}}
			req := Request{Required: []string{"p"}, Window: Interval{day("09:00"), day("17:00")},
				Duration: time.Hour, Step: tt.step, Buffer: tt.buffer}
			slots, err := Find(req, people, []Calendar{{PersonID: "p", Busy: busy}})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, hm := range tt.free {
				want = append(want, day(hm).Format(time.RFC3339))
			}
			if got := starts(slots, true); !slices.Equal(got, want) {
				t.Errorf("free starts %v\nwant        %v", got, want)
			}
			for _, s := range slots {
				if !s.RequiredFree && !slices.Equal(s.Busy, []string{"p"}) {
					t.Errorf("slot %v: busy = %v, want [p]", s.Start, s.Busy)
				}
			}
		})
	}
}

// Blocks reaching centuries away still count, buffer included.
func TestFindOpenEndedBusy(t *testing.T) {
	day := func(hhmm string) time.Time { return at(t, "2024-03-11T"+hhmm+":00Z") }
	people := []Person{{ID: "p", Zone: time.UTC, Hours: hours(t, "mon 00:00-24:00")}}
	cals := []Calendar{{PersonID: "p", Busy: []Interval{
		{time.Time{}, day("09:00")},
		{day("11:00"), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
	}}}
	req := Request{Required: []string{"p"}, Window: Interval{day("09:00"), day("11:00")},
		Duration: 30 * time.Minute, Step: 30 * time.Minute, Buffer: 30 * time.Minute}
	slots, err := Find(req, people, cals)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2024-03-11T09:30:00Z", "2024-03-11T10:00:00Z"}
	if got := starts(slots, true); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func slotAt(t *testing.T, slots []Slot, s string) Slot {
	t.Helper()
	want := at(t, s)
	for _, sl := range slots {
		if sl.Start.Equal(want) {
			return sl
		}
	}
	t.Fatalf("no slot at %s", s)
	return Slot{}
}

func checkStatus(t *testing.T, s Slot, free, busy, unknown []string) {
	t.Helper()
	if !slices.Equal(s.Free, free) || !slices.Equal(s.Busy, busy) || !slices.Equal(s.Unknown, unknown) {
		t.Errorf("slot %s: free=%v busy=%v unknown=%v, want free=%v busy=%v unknown=%v",
			s.Start.UTC().Format(time.RFC3339), s.Free, s.Busy, s.Unknown, free, busy, unknown)
	}
}

func TestFindUnknown(t *testing.T) {
	day := func(hhmm string) time.Time { return at(t, "2024-03-11T"+hhmm+":00Z") }
	people := []Person{
		{ID: "req", Zone: time.UTC, Hours: hours(t, "mon 00:00-24:00")},
		{ID: "failed", Zone: time.UTC, Hours: hours(t, "mon 09:00-12:00")},
		{ID: "missing", Zone: time.UTC, Hours: hours(t, "mon 09:00-17:00")},
		{ID: "partial", Zone: time.UTC, Hours: hours(t, "mon 09:00-17:00")},
	}
	cals := []Calendar{
		{PersonID: "req"},
		// Debrief knows its own meeting even when the provider failed.
		{PersonID: "failed", Failed: true, Meetings: []Interval{{day("10:00"), day("11:00")}}},
		{PersonID: "partial", Unknown: []Interval{{day("14:00"), day("15:00")}}},
		{PersonID: "partial", Busy: []Interval{{day("16:00"), day("17:00")}}},
		{PersonID: "nobody", Busy: []Interval{{day("09:00"), day("17:00")}}},
	}
	req := Request{
		Required: []string{"req"},
		Optional: []string{"failed", "missing", "partial"},
		Window:   Interval{day("09:00"), day("18:00")},
		Duration: time.Hour,
		Step:     time.Hour,
	}
	slots, err := Find(req, people, cals)
	if err != nil {
		t.Fatal(err)
	}
	none := []string{}
	checkStatus(t, slotAt(t, slots, "2024-03-11T09:00:00Z"), []string{"req", "partial"}, none, []string{"failed", "missing"})
	checkStatus(t, slotAt(t, slots, "2024-03-11T10:00:00Z"), []string{"req", "partial"}, []string{"failed"}, []string{"missing"})
	checkStatus(t, slotAt(t, slots, "2024-03-11T13:00:00Z"), []string{"req", "partial"}, []string{"failed"}, []string{"missing"})
	checkStatus(t, slotAt(t, slots, "2024-03-11T14:00:00Z"), []string{"req"}, []string{"failed"}, []string{"missing", "partial"})
	checkStatus(t, slotAt(t, slots, "2024-03-11T16:00:00Z"), []string{"req"}, []string{"failed", "partial"}, []string{"missing"})
	checkStatus(t, slotAt(t, slots, "2024-03-11T17:00:00Z"), []string{"req"}, []string{"failed", "missing", "partial"}, none)
	// Unknown is never counted as free in the ranking.
	if s := slots[0]; s.OptionalFree != 1 || !s.RequiredFree || s.Score != 5 {
		t.Errorf("best slot = %+v, want one optional free and score 5", s)
	}
}

func TestFindMeetingLimits(t *testing.T) {
	tokyo := loc(t, "Asia/Tokyo")
	t.Run("per local day", func(t *testing.T) {
		people := []Person{{ID: "p", Zone: tokyo, Hours: hours(t, "mon-sun 00:00-24:00")}}
		// 16:00Z on Monday is 01:00 on Tuesday in Tokyo: Tuesday is full.
		cals := []Calendar{{PersonID: "p", Meetings: []Interval{{at(t, "2024-03-11T16:00:00Z"), at(t, "2024-03-11T16:30:00Z")}}}}
		req := Request{Required: []string{"p"}, Window: Interval{at(t, "2024-03-11T00:00:00Z"), at(t, "2024-03-13T00:00:00Z")},
			Duration: 30 * time.Minute, Step: time.Hour, MaxPerDay: 1}
		slots, err := Find(req, people, cals)
		if err != nil {
			t.Fatal(err)
		}
		for s, free := range map[string]bool{
			"2024-03-11T14:00:00Z": true,  // Monday 23:00 JST
			"2024-03-11T15:00:00Z": false, // Tuesday 00:00 JST
			"2024-03-12T14:00:00Z": false, // Tuesday 23:00 JST
			"2024-03-12T15:00:00Z": true,  // Wednesday 00:00 JST
		} {
			if got := slotAt(t, slots, s).RequiredFree; got != free {
				t.Errorf("%s free = %v, want %v", s, got, free)
			}
		}
		if n := len(starts(slots, true)); n != 24 {
			t.Errorf("%d free slots, want 24 (48 hours minus Tuesday JST)", n)
		}
	})
	t.Run("rolling week", func(t *testing.T) {
		people := []Person{{ID: "p", Zone: time.UTC, Hours: hours(t, "mon-sun 09:00-17:00")}}
		m := func(d string) Interval { return Interval{at(t, d+"T10:00:00Z"), at(t, d+"T11:00:00Z")} }
		// The same meeting from two sources counts once.
		cals := []Calendar{
			{PersonID: "p", Meetings: []Interval{m("2024-03-04"), m("2024-03-08")}},
			{PersonID: "p", Meetings: []Interval{m("2024-03-08")}},
		}
		req := Request{Required: []string{"p"}, Window: Interval{at(t, "2024-03-09T00:00:00Z"), at(t, "2024-03-13T00:00:00Z")},
			Duration: time.Hour, Step: 8 * time.Hour, MaxPerWeek: 2}
		slots, err := Find(req, people, cals)
		if err != nil {
			t.Fatal(err)
		}
		// Mar 9 and 10 share a seven-day span with both meetings; Mar 11 does not.
		want := []string{"2024-03-11T16:00:00Z", "2024-03-12T16:00:00Z"}
		if got := starts(slots, true); !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		req.MaxPerWeek = 3
		slots, err = Find(req, people, cals)
		if err != nil {
			t.Fatal(err)
		}
		if got := starts(slots, true); len(got) != 4 {
			t.Errorf("with a cap of 3: %v, want 4 free slots", got)
		}
	})
}

func TestFindRanking(t *testing.T) {
	day := func(hhmm string) time.Time { return at(t, "2024-03-11T"+hhmm+":00Z") }
	iv := func(a, b string) Interval { return Interval{day(a), day(b)} }
	var people []Person
	for _, id := range []string{"r1", "r2", "o1", "o2", "o3"} {
		people = append(people, Person{ID: id, Zone: time.UTC, Hours: hours(t, "mon 08:00-18:00")})
	}
	cals := []Calendar{
		{PersonID: "r1", Busy: []Interval{iv("09:00", "10:00")}},
		{PersonID: "r2"},
		{PersonID: "o1", Busy: []Interval{iv("10:00", "11:00"), iv("13:00", "14:00")}},
		{PersonID: "o2", Busy: []Interval{iv("10:00", "11:00"), iv("13:00", "14:00")}},
		{PersonID: "o3", Busy: []Interval{iv("13:00", "14:00")}},
	}
	req := Request{
		Required: []string{"r1", "r2"}, Optional: []string{"o1", "o2", "o3"},
		Window: Interval{day("09:00"), day("14:00")}, Duration: time.Hour, Step: time.Hour,
	}
	tests := []struct {
		name        string
		minOptional int
		limit       int
		want        []string
		scores      []int
	}{
		{"required, then optional, then earliest", 0, 0, []string{"11:00", "12:00", "10:00", "13:00", "09:00"}, []int{7, 7, 5, 4, 3}},
		{"min optional drops slots", 1, 0, []string{"11:00", "12:00", "10:00", "09:00"}, []int{7, 7, 5, 3}},
		{"limit keeps the best", 0, 2, []string{"11:00", "12:00"}, []int{7, 7}},
		{"min optional 3", 3, 0, []string{"11:00", "12:00", "09:00"}, []int{7, 7, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req
			r.MinOptional, r.Limit = tt.minOptional, tt.limit
			slots, err := Find(r, people, cals)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, hm := range tt.want {
				want = append(want, day(hm).Format(time.RFC3339))
			}
			if got := starts(slots, false); !slices.Equal(got, want) {
				t.Errorf("order %v\nwant  %v", got, want)
			}
			var scores []int
			for _, s := range slots {
				scores = append(scores, s.Score)
			}
			if !slices.Equal(scores, tt.scores) {
				t.Errorf("scores %v, want %v", scores, tt.scores)
			}
		})
	}
	slots, err := Find(req, people, cals)
	if err != nil {
		t.Fatal(err)
	}
	checkStatus(t, slots[2], []string{"r1", "r2", "o3"}, []string{"o1", "o2"}, []string{})
	// The lists share storage; appending to one must not clobber the next.
	free := append(slots[2].Free, "x")
	_ = free
	if !slices.Equal(slots[2].Busy, []string{"o1", "o2"}) {
		t.Errorf("append to Free changed Busy: %v", slots[2].Busy)
	}
}

func TestFindGridAndNotBefore(t *testing.T) {
	people := []Person{{ID: "p", Zone: time.UTC, Hours: hours(t, "mon 00:00-24:00")}}
	req := Request{
		Required:  []string{"p"},
		Window:    Interval{at(t, "2024-03-11T09:07:00Z"), at(t, "2024-03-11T10:37:00Z")},
		Duration:  30 * time.Minute,
		Step:      15 * time.Minute,
		NotBefore: at(t, "2024-03-11T09:30:00Z"),
	}
	slots, err := Find(req, people, known("p"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2024-03-11T09:37:00Z", "2024-03-11T09:52:00Z", "2024-03-11T10:07:00Z"}
	if got := starts(slots, false); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := slots[2].End; !got.Equal(at(t, "2024-03-11T10:37:00Z")) {
		t.Errorf("last end = %v", got)
	}
	// Slots keep the window's location.
	ny := loc(t, "America/New_York")
	req.Window.Start = req.Window.Start.In(ny)
	slots, err = Find(req, people, known("p"))
	if err != nil {
		t.Fatal(err)
	}
	if slots[0].Start.Location() != ny {
		t.Errorf("slot location = %v, want %v", slots[0].Start.Location(), ny)
	}
}

func TestFindEmpty(t *testing.T) {
	people := []Person{
		{ID: "p", Zone: time.UTC, Hours: hours(t, "mon-fri 09:00-17:00")},
		{ID: "never", Zone: time.UTC},
	}
	base := Request{
		Required: []string{"p"},
		Window:   Interval{at(t, "2024-03-11T09:00:00Z"), at(t, "2024-03-11T17:00:00Z")},
		Duration: time.Hour,
		Step:     30 * time.Minute,
	}
	tests := []struct {
		name string
		edit func(*Request)
	}{
		{"not before the window end", func(r *Request) { r.NotBefore = at(t, "2024-03-11T17:00:00Z") }},
		{"last start is before not-before", func(r *Request) { r.NotBefore = at(t, "2024-03-11T16:01:00Z") }},
		{"min optional nobody meets", func(r *Request) { r.Optional = []string{"never"}; r.MinOptional = 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.edit(&r)
			slots, err := Find(r, people, known("p", "never"))
			if err != nil {
				t.Fatal(err)
			}
			if slots == nil || len(slots) != 0 {
				t.Errorf("got %v, want an empty non-nil slice", slots)
			}
		})
	}
	// Nobody free is not empty: the slots are returned, ranked, not free.
	r := base
	r.Window = Interval{at(t, "2024-03-16T09:00:00Z"), at(t, "2024-03-16T17:00:00Z")} // Saturday
	slots, err := Find(r, people, known("p"))
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) != 15 || len(starts(slots, true)) != 0 {
		t.Errorf("weekend: %d slots, %d free; want 15 and 0", len(slots), len(starts(slots, true)))
	}
}

func TestFindValidation(t *testing.T) {
	people := []Person{
		{ID: "p", Zone: time.UTC, Hours: hours(t, "mon-fri 09:00-17:00")},
		{ID: "nozone"},
		{ID: "bad", Zone: time.UTC, Hours: WorkingHours{time.Monday: {{600, 600}}}},
	}
	start := at(t, "2024-03-11T09:00:00Z")
	ok := Request{Required: []string{"p"}, Window: Interval{start, start.Add(8 * time.Hour)}, Duration: time.Hour, Step: 15 * time.Minute}
	tests := []struct {
		name   string
		edit   func(*Request)
		cals   []Calendar
		fields []string
	}{
		{"end before start", func(r *Request) { r.Window.End = start.Add(-time.Hour) }, nil, []string{"window.end"}},
		{"missing start", func(r *Request) { r.Window.Start = time.Time{} }, nil, []string{"window.start"}},
		{"window too long", func(r *Request) { r.Window.End = start.Add(91 * 24 * time.Hour) }, nil, []string{"window.end"}},
		{"zero duration and step", func(r *Request) { r.Duration, r.Step = 0, 0 }, nil, []string{"duration", "step"}},
		{"duration longer than window", func(r *Request) { r.Duration = 9 * time.Hour }, nil, []string{"duration"}},
		{"negatives", func(r *Request) { r.Buffer, r.MaxPerDay, r.MaxPerWeek, r.Limit = -1, -1, -1, -1 }, nil,
			[]string{"buffer", "max_per_day", "max_per_week", "limit"}},
		{"min optional too high", func(r *Request) { r.MinOptional = 1 }, nil, []string{"min_optional"}},
		{"nobody", func(r *Request) { r.Required = nil }, nil, []string{"required"}},
		{"unknown and repeated people", func(r *Request) { r.Optional = []string{"ghost", "p"} }, nil, []string{"optional[0]", "optional[1]"}},
		{"person without zone or with bad hours", func(r *Request) { r.Optional = []string{"nozone", "bad"} }, nil,
			[]string{"people[1].zone", "people[2].hours"}},
		{"inverted busy interval", func(r *Request) {},
			[]Calendar{{PersonID: "p", Busy: []Interval{{start.Add(time.Hour), start}}}}, []string{"calendars[0].busy[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			_, err := Find(r, people, tt.cals)
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("err = %v, want ErrInvalidRequest", err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err %T is not a *ValidationError", err)
			}
			var fields []string
			for _, f := range ve.Fields {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", fields, tt.fields, err)
			}
		})
	}
	_, err := Find(Request{Required: []string{"ghost"}, Window: ok.Window, Duration: time.Hour, Step: time.Hour}, people, nil)
	if want := `invalid scheduling request: required[0]: unknown person "ghost"`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	dup := append(slices.Clone(people), Person{ID: "p", Zone: time.UTC})
	_, err = Find(ok, dup, nil)
	if err == nil || !strings.Contains(err.Error(), `people[3].id: person "p" is listed twice`) {
		t.Errorf("duplicate person: %v", err)
	}
	if _, err := Find(ok, people, known("p")); err != nil {
		t.Errorf("valid request: %v", err)
	}
}

func TestFindDeterministic(t *testing.T) {
	people, cals, req := benchInput(6, 7, 20)
	a, err := Find(req, people, cals)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Find(req, people, cals)
	if !reflect.DeepEqual(a, b) {
		t.Error("two calls on the same input differ")
	}
}
