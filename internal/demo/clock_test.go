package demo

import (
	"testing"
	"time"
)

// The demo places its events relative to the moment it is loaded, and its
// stories cross zones whose offsets change with the seasons. Loading on any
// day of the year must give timelines that read in order, with nothing in
// the future and nothing older than about two months.
func TestTimelinesHoldAllYear(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for h := 0; h < 366*24; h += 7 { // every 7 hours, so every hour of the day comes up
		now := base.Add(time.Duration(h) * time.Hour)
		for _, spec := range catalogue() {
			started, err := spec.Start.resolve(now)
			if err != nil {
				t.Fatalf("%s: %v", spec.Title, err)
			}
			if started.After(now) || started.Before(now.AddDate(0, 0, -70)) {
				t.Fatalf("now %s: %q starts %s", now, spec.Title, started)
			}
			if spec.End != nil {
				end, err := spec.End(started)
				if err != nil {
					t.Fatalf("%s: %v", spec.Title, err)
				}
				if end.Before(started) || end.After(now) {
					t.Fatalf("now %s: %q ends %s (start %s)", now, spec.Title, end, started)
				}
			}
			var prev time.Time
			for i, e := range spec.Timeline {
				at, err := e.At(started)
				if err != nil {
					t.Fatalf("%s entry %d: %v", spec.Title, i+1, err)
				}
				if at.After(now) {
					t.Fatalf("now %s: %q entry %d at %s is in the future", now, spec.Title, i+1, at)
				}
				if i > 0 && at.Before(prev) {
					t.Fatalf("now %s: %q entry %d (%s) comes before entry %d (%s): %s",
						now, spec.Title, i+1, at.UTC(), i, prev.UTC(), e.Body)
				}
				prev = at
			}
		}
	}
}

// Every name the events use must be in the directory, and each entry names
// a person or a free-text actor, not both.
func TestEventsReferToDirectory(t *testing.T) {
	known := map[string]bool{}
	for _, p := range directory() {
		if known[p.Email] {
			t.Errorf("%s appears twice in the directory", p.Email)
		}
		known[p.Email] = true
	}
	for _, spec := range catalogue() {
		if spec.Investigator != "" && !known[spec.Investigator] {
			t.Errorf("%q: investigator %s not in the directory", spec.Title, spec.Investigator)
		}
		for i, e := range spec.Timeline {
			if (e.Who == "") == (e.Actor == "") {
				t.Errorf("%q entry %d: give exactly one of Who and Actor", spec.Title, i+1)
			}
			if e.Who != "" && !known[e.Who] {
				t.Errorf("%q entry %d: %s not in the directory", spec.Title, i+1, e.Who)
			}
		}
		for _, inv := range spec.Involvements {
			if !known[inv.Who] {
				t.Errorf("%q: involvement of %s, who is not in the directory", spec.Title, inv.Who)
			}
		}
	}
	for _, a := range demoAccounts() {
		if a.role != "admin" && !known[a.email] {
			t.Errorf("demo %s account %s is not a person's email, so it would not be linked", a.role, a.email)
		}
	}
}
