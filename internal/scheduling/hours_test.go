package scheduling

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

func TestParseWorkingHoursValid(t *testing.T) {
	tests := []struct {
		in, canonical string
	}{
		{"mon-fri 09:00-17:00", "mon-fri 09:00-17:00"},
		{"mon-thu 09:00-12:00,13:00-17:00; fri 09:00-13:00", "mon-thu 09:00-12:00,13:00-17:00; fri 09:00-13:00"},
		{"sat 22:00-06:00", "sat 22:00-06:00"},
		{"mon,wed,fri 08:30-16:30", "mon,wed,fri 08:30-16:30"},
		{"MON-Fri 9:00-17:00", "mon-fri 09:00-17:00"},
		{"Monday, Tuesday 09:00 - 12:00 , 12:00-13:00", "mon-tue 09:00-12:00,12:00-13:00"},
		{"fri-mon 10:00-14:00", "mon,fri-sun 10:00-14:00"},
		{"sun-sat 00:00-24:00", "mon-sun 00:00-24:00"},
		{"mon 13:00-17:00,09:00-12:00", "mon 09:00-12:00,13:00-17:00"},
		{"tue 09:00-17:00; mon 09:00-17:00", "mon-tue 09:00-17:00"},
		{"mon 09:00-17:00; wed 09:00-17:00; tue 10:00-11:00", "mon,wed 09:00-17:00; tue 10:00-11:00"},
		{"mon-fri 09:00-17:00\nsat 10:00-12:00;\n sun 22:00-00:00;", "mon-fri 09:00-17:00; sat 10:00-12:00; sun 22:00-00:00"},
		{"mon 09:00-12:00; mon 12:00-13:00", "mon 09:00-12:00,12:00-13:00"},
		{"sat 10:00-24:00; sun 00:00-04:00", "sat 10:00-24:00; sun 00:00-04:00"},
		{"", ""},
		{"  ;  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := ParseWorkingHours(tt.in)
			if err != nil {
				t.Fatalf("ParseWorkingHours(%q): %v", tt.in, err)
			}
			if got := w.String(); got != tt.canonical {
				t.Errorf("String() = %q, want %q", got, tt.canonical)
			}
			again, err := ParseWorkingHours(w.String())
			if err != nil {
				t.Fatalf("reparse %q: %v", w.String(), err)
			}
			if !reflect.DeepEqual(again, w) {
				t.Errorf("round trip changed the value: %#v -> %#v", w, again)
			}
		})
	}
}

func TestParseWorkingHoursValues(t *testing.T) {
	w, err := ParseWorkingHours("mon-thu 09:00-12:00,13:00-17:00; fri 09:00-13:00; sat 22:00-06:00")
	if err != nil {
		t.Fatal(err)
	}
	want := WorkingHours{
		time.Monday:    {{540, 720}, {780, 1020}},
		time.Tuesday:   {{540, 720}, {780, 1020}},
		time.Wednesday: {{540, 720}, {780, 1020}},
		time.Thursday:  {{540, 720}, {780, 1020}},
		time.Friday:    {{540, 780}},
		time.Saturday:  {{1320, 360}},
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("got %#v\nwant %#v", w, want)
	}
	if !w[time.Saturday][0].Overnight() || w[time.Saturday][0].Length() != 8*time.Hour {
		t.Errorf("sat range: overnight=%v length=%v, want true 8h", w[time.Saturday][0].Overnight(), w[time.Saturday][0].Length())
	}
}

func TestParseWorkingHoursErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"mo 09:00-17:00", `day "mo" is not a weekday (use mon, tue, wed, thu, fri, sat, sun)`},
		{"mon-fri 17:00-09:00", `range 17:00-09:00 crosses midnight and lasts 16h; a range crossing midnight may last at most 14h (did you mean 09:00-17:00?)`},
		{"mon 20:00-10:30", `range 20:00-10:30 crosses midnight and lasts 14h30m; a range crossing midnight may last at most 14h (did you mean 10:30-20:00?)`},
		{"mon 09:00-09:00", `range 09:00-09:00 is empty (use 00:00-24:00 for a whole day)`},
		{"mon 9-17", `time "9" is not a clock time (want HH:MM, like 09:00)`},
		{"mon 9:0-17:00", `time "9:0" is not a clock time (want HH:MM, like 09:00)`},
		{"mon 25:00-26:00", `time "25:00" is out of range (want 00:00 to 24:00)`},
		{"mon 09:60-10:00", `time "09:60" is out of range (want 00:00 to 24:00)`},
		{"mon 24:00-01:00", `range 24:00-01:00: start must be from 00:00 to 23:59`},
		{"mon 09:00-12:00,11:00-13:00", `on mon, ranges 09:00-12:00 and 11:00-13:00 overlap`},
		{"mon 22:00-06:00,23:00-23:30", `on mon, ranges 22:00-06:00 and 23:00-23:30 overlap`},
		{"mon-fri 09:00-17:00; wed 16:00-18:00", `on wed, ranges 09:00-17:00 and 16:00-18:00 overlap`},
		{"mon-fri", `"mon-fri" has no times (want days then times, like "mon-fri 09:00-17:00")`},
		{"09:00-17:00", `"09:00-17:00" has no days (want days then times, like "mon-fri 09:00-17:00")`},
		{"mon 09:00", `range "09:00" needs a start and an end (like 09:00-17:00)`},
		{"mon,,fri 09:00-17:00", `empty day in "mon,,fri"`},
		{"mon- 09:00-17:00", `day range "mon-" needs a first and a last day (like mon-fri)`},
		{"mon-fry 09:00-17:00", `day "fry" is not a weekday (use mon, tue, wed, thu, fri, sat, sun)`},
		{"mon 09:00-17:00,,18:00-19:00", `empty time range in "09:00-17:00,,18:00-19:00"`},
		{"mon-fri 09:00-17:00 sat 10:00-12:00", `"mon-fri 09:00-17:00 sat 10:00-12:00": days must come before the times; separate groups with ";"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseWorkingHours(tt.in)
			if err == nil {
				t.Fatalf("ParseWorkingHours(%q) succeeded, want error %q", tt.in, tt.msg)
			}
			if err.Error() != tt.msg {
				t.Errorf("error = %q\nwant    %q", err.Error(), tt.msg)
			}
		})
	}
}

func TestWorkingHoursValidateConstructed(t *testing.T) {
	w := WorkingHours{time.Tuesday: {{Start: 600, End: 540}}}
	want := "tue: range 10:00-09:00 crosses midnight and lasts 23h; a range crossing midnight may last at most 14h (did you mean 09:00-10:00?)"
	if err := w.Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate() = %v, want %q", err, want)
	}
	w = WorkingHours{time.Friday: {{Start: 540, End: 1441}}}
	if err := w.Validate(); err == nil || err.Error() != "fri: range 09:00-Clock(1441): end must be from 00:00 to 24:00" {
		t.Errorf("Validate() = %v", err)
	}
	// Unsorted input is valid; String still prints the canonical order.
	w = WorkingHours{time.Monday: {{780, 1020}, {540, 720}}}
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := w.String(); got != "mon 09:00-12:00,13:00-17:00" {
		t.Errorf("String() = %q", got)
	}
}

func TestWorkingHoursJSON(t *testing.T) {
	type doc struct {
		Hours WorkingHours `json:"hours"`
	}
	w, err := ParseWorkingHours("mon-fri 09:00-17:00; sat 22:00-06:00")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(doc{Hours: w})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"hours":"mon-fri 09:00-17:00; sat 22:00-06:00"}` {
		t.Errorf("Marshal = %s", b)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Hours, w) {
		t.Errorf("Unmarshal = %#v, want %#v", back.Hours, w)
	}
	err = json.Unmarshal([]byte(`{"hours":"mo 09:00-17:00"}`), &back)
	if err == nil || err.Error() != `day "mo" is not a weekday (use mon, tue, wed, thu, fri, sat, sun)` {
		t.Errorf("Unmarshal invalid: %v", err)
	}
	if _, err := json.Marshal(doc{Hours: WorkingHours{time.Monday: {{540, 540}}}}); err == nil {
		t.Error("Marshal of invalid hours succeeded")
	}
}

// Every generated WorkingHours survives String and ParseWorkingHours.
func TestWorkingHoursRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 500 {
		w := randomHours(rng)
		got, err := ParseWorkingHours(w.String())
		if err != nil {
			t.Fatalf("case %d: parse %q: %v", i, w.String(), err)
		}
		if !reflect.DeepEqual(normalizeHours(got), normalizeHours(w)) {
			t.Fatalf("case %d: %q parsed to %q", i, w.String(), got.String())
		}
	}
}

// normalizeHours treats nil and empty day lists alike.
func normalizeHours(w WorkingHours) WorkingHours {
	for d := range w {
		if len(w[d]) == 0 {
			w[d] = nil
		}
	}
	return w
}

// randomHours makes valid working hours, sorted per day, with boundaries on
// a 15-minute grid and extra weight on the small hours where clocks change.
func randomHours(rng *rand.Rand) WorkingHours {
	var w WorkingHours
	clock := func(lo int) Clock {
		if rng.IntN(3) == 0 && lo < 300 {
			return Clock(lo + 15*rng.IntN((300-lo)/15))
		}
		return Clock(lo + 15*rng.IntN((1440-lo)/15))
	}
	// end picks an end after start: same day, or past midnight within
	// MaxOvernight when that is possible.
	end := func(start Clock) Clock {
		maxNext := int(start) + int(MaxOvernight/time.Minute) - 1440
		if maxNext >= 0 && rng.IntN(3) == 0 {
			return Clock(15 * rng.IntN(maxNext/15+1))
		}
		return start + Clock(15*(1+rng.IntN((1440-int(start))/15)))
	}
	for d := range w {
		switch rng.IntN(8) {
		case 0:
			continue
		case 1:
			w[d] = []Range{{0, EndOfDay}}
			continue
		}
		r1 := Range{Start: clock(0)}
		r1.End = end(r1.Start)
		w[d] = []Range{r1}
		if !r1.Overnight() && r1.End < EndOfDay && rng.IntN(2) == 0 {
			r2 := Range{Start: r1.End}
			if rng.IntN(2) == 0 {
				r2.Start = clock(int(r1.End))
			}
			if r2.Start < EndOfDay {
				r2.End = end(r2.Start)
				w[d] = append(w[d], r2)
			}
		}
	}
	if err := w.Validate(); err != nil {
		panic(err)
	}
	return w
}
