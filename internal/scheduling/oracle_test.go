package scheduling

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// The oracle below shares no code with the engine. It walks the window one
// minute at a time and reads wall clocks with time.Time.In only: no offset
// segments, no interval merging, no candidate index arithmetic.
//
// Working time: let H(u) be the highest local wall-clock reading at or
// before u. A range occurrence from wall time A to wall time B covers u when
// A <= H(u) < B. That is the "takes effect when the clock first reaches it"
// rule stated without reference to how the engine computes it.

// wallOf reads t's local wall clock as seconds since 1970-01-01 00:00 local.
func wallOf(t time.Time, l *time.Location) int64 {
	lt := t.In(l)
	y, mo, d := lt.Date()
	h, mi, s := lt.Clock()
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC).Unix()
}

func dateOf(t time.Time, l *time.Location) int64 {
	y, mo, d := t.In(l).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

type oracleSlot struct {
	start               time.Time
	reqFree             bool
	optFree             int
	free, busy, unknown []string
}

func oracle(req Request, people []Person, cals []Calendar) []oracleSlot {
	w0, w1 := req.Window.Start, req.Window.End
	minutes := int(w1.Sub(w0) / time.Minute)
	byID := map[string]Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	type minuteInfo struct{ working, busy, unknown []bool }
	info := map[string]minuteInfo{}
	ids := append(slices.Clone(req.Required), req.Optional...)
	for _, id := range ids {
		p := byID[id]
		mi := minuteInfo{make([]bool, minutes), make([]bool, minutes), make([]bool, minutes)}
		// H needs history: nothing older than 27 hours can hold a later
		// wall clock than now.
		high := int64(-1 << 62)
		for u := w0.Add(-27 * time.Hour); u.Before(w1); u = u.Add(time.Minute) {
			high = max(high, wallOf(u, p.Zone))
			if u.Before(w0) {
				continue
			}
			m := int(u.Sub(w0) / time.Minute)
			day := high / 86400
			if high < 0 && high%86400 != 0 {
				day--
			}
			for dd := day - 1; dd <= day; dd++ {
				wd := time.Unix(dd*86400, 0).UTC().Weekday()
				for _, r := range p.Hours[wd] {
					a := dd*86400 + int64(r.Start)*60
					b := dd*86400 + int64(r.End)*60
					if r.End <= r.Start {
						b += 86400
					}
					if a <= high && high < b {
						mi.working[m] = true
					}
				}
			}
		}
		failed := true
		for _, c := range cals {
			if c.PersonID != id {
				continue
			}
			if !c.Failed {
				failed = false
			}
		}
		for _, c := range cals {
			if c.PersonID != id {
				continue
			}
			if c.Failed {
				failed = true
			}
			mark := func(ivs []Interval, into []bool) {
				for _, iv := range ivs {
					if !iv.End.After(iv.Start) {
						continue
					}
					lo, hi := iv.Start.Add(-req.Buffer), iv.End.Add(req.Buffer)
					for m := range minutes {
						u := w0.Add(time.Duration(m) * time.Minute)
						if !u.Before(lo) && u.Before(hi) {
							into[m] = true
						}
					}
				}
			}
			mark(c.Busy, mi.busy)
			mark(c.Meetings, mi.busy)
			mark(c.Unknown, mi.unknown)
		}
		if failed {
			for m := range mi.unknown {
				mi.unknown[m] = true
			}
		}
		info[id] = mi
	}

	// Existing meetings per local date, each distinct meeting once.
	meetingDays := map[string]map[int64]int{}
	for _, id := range ids {
		seen := map[[2]int64]bool{}
		counts := map[int64]int{}
		for _, c := range cals {
			if c.PersonID != id {
				continue
			}
			for _, m := range c.Meetings {
				key := [2]int64{m.Start.UnixNano(), m.End.UnixNano()}
				if seen[key] {
					continue
				}
				seen[key] = true
				counts[dateOf(m.Start, byID[id].Zone)]++
			}
		}
		meetingDays[id] = counts
	}
	overLimit := func(id string, s time.Time) bool {
		d := dateOf(s, byID[id].Zone)
		counts := meetingDays[id]
		if req.MaxPerDay > 0 && counts[d] >= req.MaxPerDay {
			return true
		}
		if req.MaxPerWeek > 0 {
			for first := d - 6; first <= d; first++ {
				n := 0
				for x := first; x < first+7; x++ {
					n += counts[x]
				}
				if n >= req.MaxPerWeek {
					return true
				}
			}
		}
		return false
	}

	var out []oracleSlot
	durMin := int(req.Duration / time.Minute)
	for s := w0; !s.Add(req.Duration).After(w1); s = s.Add(req.Step) {
		if s.Before(req.NotBefore) {
			continue
		}
		m0 := int(s.Sub(w0) / time.Minute)
		sl := oracleSlot{start: s, reqFree: true, free: []string{}, busy: []string{}, unknown: []string{}}
		for i, id := range ids {
			mi := info[id]
			st := "free"
			for m := m0; m < m0+durMin; m++ {
				if !mi.working[m] || mi.busy[m] {
					st = "busy"
				}
			}
			if st == "free" && overLimit(id, s) {
				st = "busy"
			}
			if st == "free" {
				for m := m0; m < m0+durMin; m++ {
					if mi.unknown[m] {
						st = "unknown"
					}
				}
			}
			required := i < len(req.Required)
			switch st {
			case "free":
				sl.free = append(sl.free, id)
				if !required {
					sl.optFree++
				}
			case "busy":
				sl.busy = append(sl.busy, id)
			default:
				sl.unknown = append(sl.unknown, id)
			}
			if required && st != "free" {
				sl.reqFree = false
			}
		}
		if sl.optFree >= req.MinOptional {
			out = append(out, sl)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].reqFree != out[j].reqFree {
			return out[i].reqFree
		}
		return out[i].optFree > out[j].optFree
	})
	if req.Limit > 0 && len(out) > req.Limit {
		out = out[:req.Limit]
	}
	return out
}

// Instants near clock changes, paired with the zone that changes there.
var oracleAnchors = []struct{ zone, at string }{
	{"America/New_York", "2024-03-10T07:00:00Z"},
	{"America/New_York", "2024-11-03T06:00:00Z"},
	{"Europe/London", "2024-03-31T01:00:00Z"},
	{"Europe/London", "2024-10-27T01:00:00Z"},
	{"Australia/Sydney", "2024-04-06T16:00:00Z"},
	{"Australia/Sydney", "2024-10-05T16:00:00Z"},
	{"Australia/Lord_Howe", "2024-04-06T15:00:00Z"},
	{"Australia/Lord_Howe", "2024-10-05T15:30:00Z"},
	{"Pacific/Chatham", "2024-04-06T14:00:00Z"},
	{"Pacific/Auckland", "2024-09-28T14:00:00Z"},
	{"America/St_Johns", "2024-03-10T05:30:00Z"},
	{"America/Santiago", "2024-04-07T03:00:00Z"},
	{"America/Santiago", "2024-09-08T04:00:00Z"},
	{"America/Havana", "2024-03-10T05:00:00Z"},
	{"America/Havana", "2024-11-03T05:00:00Z"},
	{"America/Sao_Paulo", "2018-02-18T02:00:00Z"}, // back from 00:00 to 23:00 the day before
	{"America/Sao_Paulo", "2018-11-04T03:00:00Z"},
	{"Pacific/Apia", "2011-12-30T10:00:00Z"}, // Samoa skipped 30 December 2011
	{"Pacific/Honolulu", "2024-06-12T12:00:00Z"},
	{"Asia/Kathmandu", "2024-06-12T12:00:00Z"},
}

var oracleZones = []string{
	"UTC", "America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe",
	"Asia/Kolkata", "Asia/Kathmandu", "Australia/Eucla", "Pacific/Chatham", "Pacific/Auckland",
	"Pacific/Honolulu", "America/St_Johns", "America/Santiago", "America/Havana", "America/Sao_Paulo",
	"Pacific/Apia",
}

func randomCase(t *testing.T, rng *rand.Rand) (Request, []Person, []Calendar) {
	anchor := oracleAnchors[rng.IntN(len(oracleAnchors))]
	w0 := at(t, anchor.at).Add(-time.Duration(rng.IntN(48*60)) * time.Minute)
	length := time.Duration(4*60+rng.IntN(68*60)) * time.Minute
	w1 := w0.Add(length)
	pick := func(xs []int) int { return xs[rng.IntN(len(xs))] }
	minutes := func(n int) time.Duration { return time.Duration(n) * time.Minute }

	req := Request{
		Window:   Interval{w0, w1},
		Duration: minutes(pick([]int{15, 30, 45, 60, 90, 120, 240})),
		Step:     minutes(pick([]int{5, 10, 15, 20, 30, 60})),
		Buffer:   minutes(pick([]int{0, 0, 5, 10, 15})),
	}
	if req.Duration > length {
		req.Duration = minutes(15)
	}
	if rng.IntN(3) == 0 {
		req.MaxPerDay = 1 + rng.IntN(2)
	}
	if rng.IntN(3) == 0 {
		req.MaxPerWeek = 1 + rng.IntN(3)
	}
	if rng.IntN(4) == 0 {
		req.NotBefore = w0.Add(minutes(rng.IntN(int(length / time.Minute))))
	}
	if rng.IntN(4) == 0 {
		req.Limit = 1 + rng.IntN(10)
	}

	n := 1 + rng.IntN(4)
	var people []Person
	var cals []Calendar
	randIv := func(from time.Time, span time.Duration, maxLen int) Interval {
		s := from.Add(minutes(rng.IntN(int(span / time.Minute))))
		return Interval{s, s.Add(minutes(1 + rng.IntN(maxLen)))}
	}
	for i := range n {
		id := fmt.Sprintf("p%d", i)
		zone := oracleZones[rng.IntN(len(oracleZones))]
		if i == 0 || rng.IntN(2) == 0 {
			zone = anchor.zone
		}
		people = append(people, Person{ID: id, Zone: loc(t, zone), Hours: randomHours(rng)})
		if i < 1+rng.IntN(2) || i == 0 {
			req.Required = append(req.Required, id)
		} else {
			req.Optional = append(req.Optional, id)
		}
		if rng.IntN(12) == 0 {
			continue // no calendar at all
		}
		c := Calendar{PersonID: id, Failed: rng.IntN(8) == 0}
		for range rng.IntN(7) {
			iv := randIv(w0.Add(-3*time.Hour), length+6*time.Hour, 180)
			c.Busy = append(c.Busy, iv)
			if rng.IntN(4) == 0 { // a block touching the previous one
				c.Busy = append(c.Busy, Interval{iv.End, iv.End.Add(minutes(30))})
			}
		}
		if rng.IntN(4) == 0 {
			c.Unknown = append(c.Unknown, randIv(w0, length, 240))
		}
		for range rng.IntN(4) {
			c.Meetings = append(c.Meetings, randIv(w0.Add(-8*24*time.Hour), length+16*24*time.Hour, 60))
		}
		cals = append(cals, c)
		if rng.IntN(6) == 0 && len(c.Meetings) > 0 { // a second source repeating a meeting
			cals = append(cals, Calendar{PersonID: id, Meetings: c.Meetings[:1]})
		}
	}
	if len(req.Optional) > 0 && rng.IntN(3) == 0 {
		req.MinOptional = rng.IntN(len(req.Optional) + 1)
	}
	return req, people, cals
}

func describe(req Request, people []Person, cals []Calendar) string {
	var b strings.Builder
	fmt.Fprintf(&b, "window %s..%s dur %s step %s buf %s perDay %d perWeek %d notBefore %s minOpt %d limit %d\n",
		req.Window.Start.Format(time.RFC3339), req.Window.End.Format(time.RFC3339), req.Duration, req.Step, req.Buffer,
		req.MaxPerDay, req.MaxPerWeek, req.NotBefore.Format(time.RFC3339), req.MinOptional, req.Limit)
	fmt.Fprintf(&b, "required %v optional %v\n", req.Required, req.Optional)
	for _, p := range people {
		fmt.Fprintf(&b, "  %s %s %q\n", p.ID, p.Zone, p.Hours.String())
	}
	for _, c := range cals {
		fmt.Fprintf(&b, "  cal %s failed=%v busy=%v unknown=%v meetings=%v\n", c.PersonID, c.Failed, c.Busy, c.Unknown, c.Meetings)
	}
	return b.String()
}

func TestFindMatchesBruteForce(t *testing.T) {
	cases := 400
	if testing.Short() {
		cases = 60
	}
	freeSeen, unknownSeen := 0, 0
	for seed := range uint64(cases) {
		rng := rand.New(rand.NewPCG(seed, 0x5eed))
		req, people, cals := randomCase(t, rng)
		got, err := Find(req, people, cals)
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, describe(req, people, cals))
		}
		want := oracle(req, people, cals)
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d slots, oracle %d\n%s", seed, len(got), len(want), describe(req, people, cals))
		}
		for i := range want {
			g, w := got[i], want[i]
			if !g.Start.Equal(w.start) || !g.End.Equal(w.start.Add(req.Duration)) ||
				g.RequiredFree != w.reqFree || g.OptionalFree != w.optFree ||
				!slices.Equal(g.Free, w.free) || !slices.Equal(g.Busy, w.busy) || !slices.Equal(g.Unknown, w.unknown) {
				t.Fatalf("seed %d slot %d:\n got  %s free=%v busy=%v unknown=%v\n want %s free=%v busy=%v unknown=%v\n%s",
					seed, i, g.Start.UTC().Format(time.RFC3339), g.Free, g.Busy, g.Unknown,
					w.start.UTC().Format(time.RFC3339), w.free, w.busy, w.unknown, describe(req, people, cals))
			}
			freeSeen += len(w.free)
			unknownSeen += len(w.unknown)
		}
	}
	// Guard against a generator that only ever produces busy people.
	if freeSeen == 0 || unknownSeen == 0 {
		t.Errorf("weak generator: %d free and %d unknown statuses seen", freeSeen, unknownSeen)
	}
}
