package scheduling

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

var benchZones = []string{
	"America/New_York", "Europe/London", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "Asia/Tokyo",
	"America/Los_Angeles", "America/Sao_Paulo", "Pacific/Auckland", "Pacific/Honolulu", "Asia/Kathmandu", "America/Chicago",
}

var benchHours = []string{
	"mon-fri 09:00-17:00",
	"mon-thu 08:00-12:00,13:00-17:00; fri 08:00-13:00",
	"mon-fri 07:30-15:30",
	"mon,wed,fri 10:00-18:00; tue,thu 09:00-12:00",
	"sun-thu 22:00-06:00",
}

// benchInput builds a realistic request: people spread over zones, busy
// blocks during the day, a few existing Debrief meetings, and every
// constraint switched on so the benchmark measures the full path. The window
// starts a week before the US clock change.
func benchInput(people, days, busyEach int) ([]Person, []Calendar, Request) {
	rng := rand.New(rand.NewPCG(42, uint64(people)))
	w0 := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	w1 := w0.AddDate(0, 0, days)
	var ps []Person
	var cals []Calendar
	req := Request{
		Window:     Interval{w0, w1},
		Duration:   45 * time.Minute,
		Step:       15 * time.Minute,
		Buffer:     10 * time.Minute,
		MaxPerDay:  2,
		MaxPerWeek: 6,
		Limit:      20,
	}
	for i := range people {
		l, err := time.LoadLocation(benchZones[i%len(benchZones)])
		if err != nil {
			panic(err)
		}
		h, err := ParseWorkingHours(benchHours[i%len(benchHours)])
		if err != nil {
			panic(err)
		}
		id := fmt.Sprintf("person-%03d", i)
		ps = append(ps, Person{ID: id, Zone: l, Hours: h})
		if i < 2 {
			req.Required = append(req.Required, id)
		} else {
			req.Optional = append(req.Optional, id)
		}
		c := Calendar{PersonID: id}
		for range busyEach {
			s := w0.Add(time.Duration(rng.IntN(days*24*4)) * 15 * time.Minute)
			c.Busy = append(c.Busy, Interval{s, s.Add(time.Duration(1+rng.IntN(8)) * 15 * time.Minute)})
		}
		for range 3 {
			s := w0.Add(time.Duration(rng.IntN(days*24)) * time.Hour)
			c.Meetings = append(c.Meetings, Interval{s, s.Add(time.Hour)})
		}
		cals = append(cals, c)
	}
	return ps, cals, req
}

func benchFind(b *testing.B, people, days, busyEach int) {
	ps, cals, req := benchInput(people, days, busyEach)
	if _, err := Find(req, ps, cals); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Find(req, ps, cals); err != nil {
			b.Fatal(err)
		}
	}
}

// 12 people, 14 days, 15-minute step, 30 busy blocks each: the target is
// well under a millisecond.
func BenchmarkFind12People14Days(b *testing.B) { benchFind(b, 12, 14, 30) }

func BenchmarkFind200People30Days(b *testing.B) { benchFind(b, 200, 30, 60) }
