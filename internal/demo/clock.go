package demo

import (
	"fmt"
	"slices"
	"time"
)

// The demo's dates are placed relative to the moment it is loaded, so the
// events always look recent: memory fades, and a facilitator would be
// scheduling chats about them now. Every moment is given as a local
// wall-clock time in someone's zone, or as a step from the event's start,
// so the story reads the same whichever day the demo is loaded — only the
// calendar dates move.

// start says when an event began: daysAgo days before today in the
// event's zone, moved back to the nearest of the allowed weekdays (none
// means any day), at a local clock time.
type start struct {
	daysAgo int
	on      []time.Weekday
	zone    string
	clock   string // HH:MM
}

// monToThu keeps an event's next-day follow-ups off the weekend. A function
// rather than a variable: the package keeps no mutable state.
func monToThu() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday}
}

func (s start) resolve(now time.Time) (time.Time, error) {
	loc, err := time.LoadLocation(s.zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("demo zone %q: %w", s.zone, err)
	}
	hh, mm, err := parseClock(s.clock)
	if err != nil {
		return time.Time{}, err
	}
	today := now.In(loc)
	day := time.Date(today.Year(), today.Month(), today.Day()-s.daysAgo, 12, 0, 0, 0, loc)
	for len(s.on) > 0 && !slices.Contains(s.on, day.Weekday()) {
		day = day.AddDate(0, 0, -1)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, loc), nil
}

// when places a moment relative to an event's start, which carries the
// event's own zone.
type when func(start time.Time) (time.Time, error)

// after is a step from the start; negative steps reach back to the
// earlier decisions that set the scene.
func after(d time.Duration) when {
	return func(start time.Time) (time.Time, error) { return start.Add(d), nil }
}

func before(d time.Duration) when { return after(-d) }

// localAt is a wall-clock time in zone on the day that is dayOffset days
// after the event's start date (as a date in the event's zone). It lets a
// story that crosses time zones say "Maria posts at 15:45 in Manila" and
// stay true whatever the season's offsets are.
func localAt(dayOffset int, zone, clock string) when {
	return func(start time.Time) (time.Time, error) {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return time.Time{}, fmt.Errorf("demo zone %q: %w", zone, err)
		}
		hh, mm, err := parseClock(clock)
		if err != nil {
			return time.Time{}, err
		}
		return time.Date(start.Year(), start.Month(), start.Day()+dayOffset, hh, mm, 0, 0, loc), nil
	}
}

func parseClock(s string) (int, int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("demo clock time %q: %w", s, err)
	}
	return t.Hour(), t.Minute(), nil
}

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
)
