// Package availability answers "when can these people meet?": it gathers
// each person's zone and working hours, their calendar's free/busy and
// Debrief's own bookings, and hands them to the pure scheduling engine.
// A calendar that could not be read makes its person unknown, never free.
package availability

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/people"
	"github.com/debrief-dev/debrief/internal/scheduling"
)

// HoldSource reports Debrief's own active bookings per person; the bookings
// package implements it.
type HoldSource interface {
	BusyFor(ctx context.Context, personIDs []string, start, end time.Time) (map[string][]calendar.Interval, error)
}

// PeopleSource loads people by id; people.Service implements it.
type PeopleSource interface {
	GetMany(ctx context.Context, ids []string) ([]people.Person, error)
}

// Service finds meeting times.
type Service struct {
	people   PeopleSource
	holds    HoldSource
	provider calendar.Provider
	now      func() time.Time
	ttl      time.Duration

	mu    sync.Mutex
	cache map[cacheKey]cacheEntry
}

type cacheKey struct {
	calendar   string
	start, end int64
}

type cacheEntry struct {
	av      calendar.Availability
	fetched time.Time
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithCacheTTL sets how long a free/busy answer is reused; 0 disables the
// cache. The default is 30 seconds: long enough that paging through
// suggestions or redrawing the grid does not call Google again, short
// enough that a meeting someone just accepted shows up.
func WithCacheTTL(d time.Duration) Option { return func(s *Service) { s.ttl = d } }

// NewService returns a Service reading calendars through provider.
func NewService(ppl PeopleSource, holds HoldSource, provider calendar.Provider, opts ...Option) *Service {
	s := &Service{people: ppl, holds: holds, provider: provider, now: time.Now, ttl: 30 * time.Second,
		cache: map[cacheKey]cacheEntry{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Window is the range to search, RFC 3339 strings.
type Window struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Request is the body of POST /api/v1/availability.
type Request struct {
	People          []string `json:"people"`
	Optional        []string `json:"optional"`
	Window          Window   `json:"window"`
	DurationMinutes int      `json:"duration_minutes"`
	StepMinutes     int      `json:"step_minutes"`
	MinOptional     int      `json:"min_optional"`
	BufferMinutes   int      `json:"buffer_minutes"`
	MaxPerDay       int      `json:"max_per_day"`
	MaxPerWeek      int      `json:"max_per_week"`
	NotBefore       string   `json:"not_before"`
	Limit           int      `json:"limit"`
}

// Slot is one suggestion.
type Slot struct {
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Score   int       `json:"score"`
	Free    []string  `json:"free"`
	Busy    []string  `json:"busy"`
	Unknown []string  `json:"unknown"`
}

// PersonView is what the grid draws for one person.
type PersonView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
	Optional bool   `json:"optional"`
	// Working are the person's working stretches inside the window.
	Working []calendar.Interval `json:"working"`
	// Busy are busy times from their calendar and Debrief's bookings.
	Busy []calendar.Interval `json:"busy"`
	// Unknown is true when their calendar could not be read.
	Unknown bool `json:"unknown"`
}

// Response is the answer.
type Response struct {
	Slots []Slot `json:"slots"`
	// Sources says where each person's availability came from:
	// "google", "builtin" or "error: <why>".
	Sources map[string]string `json:"sources"`
	People  []PersonView      `json:"people"`
}

const (
	defaultLimit = 20
	maxLimit     = 500
	maxPeople    = 200
)

// Find ranks candidate slots. Facilitators and admins only: the answer
// reveals when people are busy.
func (s *Service) Find(ctx context.Context, a actor.Actor, in Request) (Response, error) {
	if !a.RunsEvents() {
		return Response{}, apperr.Forbiddenf("only facilitators and admins can look at people's availability")
	}
	req, err := s.parse(in)
	if err != nil {
		return Response{}, err
	}
	ppl, err := s.people.GetMany(ctx, append(slices.Clone(req.Required), req.Optional...))
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return Response{}, &apperr.Error{Code: apperr.Invalid, Message: err.Error(),
				Fields: []apperr.FieldError{{Field: "people", Message: err.Error()}}}
		}
		return Response{}, err
	}
	// Use the stored (canonical) ids from here on: the request may spell an
	// id in upper case, and the same person twice must be caught even then.
	ids := make([]string, len(ppl))
	seen := map[string]bool{}
	var f apperr.Fields
	for i, p := range ppl {
		ids[i] = p.ID
		if seen[p.ID] {
			f.Add("people", "%s is listed twice", p.Name)
		}
		seen[p.ID] = true
	}
	if err := f.Err(); err != nil {
		return Response{}, err
	}
	req.Required, req.Optional = ids[:len(req.Required)], ids[len(req.Required):]

	// Meetings up to a week either side of the window count towards the
	// weekly limit, so Debrief's own bookings are read over that range.
	hStart, hEnd := req.Window.Start.AddDate(0, 0, -7), req.Window.End.AddDate(0, 0, 7)
	holds, err := s.holds.BusyFor(ctx, ids, hStart, hEnd)
	if err != nil {
		return Response{}, fmt.Errorf("read Debrief bookings: %w", err)
	}

	calIDs := make([]string, len(ppl))
	for i, p := range ppl {
		calIDs[i] = calendarID(p)
	}
	fb := s.freeBusy(ctx, calIDs, req.Window.Start, req.Window.End)

	persons := make([]scheduling.Person, 0, len(ppl))
	calendars := make([]scheduling.Calendar, 0, len(ppl))
	sources := make(map[string]string, len(ppl))
	views := make([]PersonView, 0, len(ppl))
	for i, p := range ppl {
		zone, err := time.LoadLocation(p.Timezone)
		if err != nil {
			return Response{}, fmt.Errorf("time zone of %s: %w", p.Name, err)
		}
		hours, err := scheduling.ParseWorkingHours(p.WorkingHours)
		if err != nil {
			return Response{}, fmt.Errorf("working hours of %s: %w", p.Name, err)
		}
		sp := scheduling.Person{ID: p.ID, Zone: zone, Hours: hours}
		persons = append(persons, sp)
		av := fb[calIDs[i]]
		cal := scheduling.Calendar{PersonID: p.ID, Meetings: toSched(holds[p.ID])}
		view := PersonView{ID: p.ID, Name: p.Name, Timezone: p.Timezone, Optional: i >= len(req.Required)}
		if av.Err != nil {
			cal.Failed = true
			view.Unknown = true
			sources[p.ID] = "error: " + av.Err.Error()
		} else {
			cal.Busy = toSched(av.Busy)
			sources[p.ID] = s.provider.Name()
		}
		calendars = append(calendars, cal)
		work, err := sp.WorkingIntervals(req.Window)
		if err != nil {
			return Response{}, fmt.Errorf("working hours of %s: %w", p.Name, err)
		}
		view.Working = fromSched(work)
		view.Busy = mergeClip(append(slices.Clone(av.Busy), holds[p.ID]...), req.Window.Start, req.Window.End)
		views = append(views, view)
	}

	slots, err := scheduling.Find(req, persons, calendars)
	if err != nil {
		var ve *scheduling.ValidationError
		if errors.As(err, &ve) {
			out := &apperr.Error{Code: apperr.Invalid, Message: "the availability request is not valid"}
			for _, f := range ve.Fields {
				out.Fields = append(out.Fields, apperr.FieldError{Field: apiField(f.Field), Message: f.Message})
			}
			return Response{}, out
		}
		return Response{}, fmt.Errorf("find slots: %w", err)
	}
	res := Response{Slots: make([]Slot, len(slots)), Sources: sources, People: views}
	for i, sl := range slots {
		res.Slots[i] = Slot{Start: sl.Start.UTC(), End: sl.End.UTC(), Score: sl.Score,
			Free: nonNil(sl.Free), Busy: nonNil(sl.Busy), Unknown: nonNil(sl.Unknown)}
	}
	return res, nil
}

func (s *Service) parse(in Request) (scheduling.Request, error) {
	var f apperr.Fields
	req := scheduling.Request{Required: in.People, Optional: in.Optional, MinOptional: in.MinOptional,
		MaxPerDay: in.MaxPerDay, MaxPerWeek: in.MaxPerWeek}
	if len(in.People) == 0 {
		f.Add("people", "name at least one required person")
	}
	if n := len(in.People) + len(in.Optional); n > maxPeople {
		f.Add("people", "at most %d people at once (got %d)", maxPeople, n)
	}
	seen := map[string]bool{}
	for i, id := range append(slices.Clone(in.People), in.Optional...) {
		if seen[id] {
			field := fmt.Sprintf("people[%d]", i)
			if i >= len(in.People) {
				field = fmt.Sprintf("optional[%d]", i-len(in.People))
			}
			f.Add(field, "%s is listed twice", id)
		}
		seen[id] = true
	}
	parse := func(field, v string, required bool) time.Time {
		if v == "" {
			if required {
				f.Add(field, "is required (RFC 3339)")
			}
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			f.Add(field, "must be an RFC 3339 time such as 2026-11-25T09:00:00Z")
		}
		return t.UTC()
	}
	req.Window = scheduling.Interval{Start: parse("window.start", in.Window.Start, true), End: parse("window.end", in.Window.End, true)}
	if !req.Window.Start.IsZero() && !req.Window.End.IsZero() {
		switch {
		case !req.Window.End.After(req.Window.Start):
			f.Add("window.end", "must be after window.start")
		case req.Window.End.Sub(req.Window.Start) > scheduling.MaxWindow:
			f.Add("window.end", "the window may span at most %d days", int(scheduling.MaxWindow.Hours()/24))
		}
	}
	req.NotBefore = parse("not_before", in.NotBefore, false)
	if in.DurationMinutes <= 0 {
		f.Add("duration_minutes", "must be a positive number of minutes")
	}
	req.Duration = time.Duration(in.DurationMinutes) * time.Minute
	step := in.StepMinutes
	if step == 0 {
		step = 15
	}
	if step < 0 {
		f.Add("step_minutes", "must be a positive number of minutes")
	}
	req.Step = time.Duration(step) * time.Minute
	if in.BufferMinutes < 0 {
		f.Add("buffer_minutes", "must not be negative")
	}
	req.Buffer = time.Duration(in.BufferMinutes) * time.Minute
	switch {
	case in.Limit == 0:
		req.Limit = defaultLimit
	case in.Limit < 0 || in.Limit > maxLimit:
		f.Add("limit", "must be between 1 and %d", maxLimit)
	default:
		req.Limit = in.Limit
	}
	if in.MinOptional < 0 || in.MinOptional > len(in.Optional) {
		f.Add("min_optional", "must be between 0 and the number of optional people (%d)", len(in.Optional))
	}
	if in.MaxPerDay < 0 {
		f.Add("max_per_day", "must not be negative")
	}
	if in.MaxPerWeek < 0 {
		f.Add("max_per_week", "must not be negative")
	}
	return req, f.Err()
}

// freeBusy asks the provider for calendars not in the cache.
func (s *Service) freeBusy(ctx context.Context, ids []string, start, end time.Time) map[string]calendar.Availability {
	out := make(map[string]calendar.Availability, len(ids))
	now := s.now()
	if s.provider.Name() == "builtin" {
		// The built-in calendar reads Debrief's own bookings, which are
		// cheap and must be fresh: a slot freed a moment ago is free.
		got, err := s.provider.FreeBusy(ctx, ids, start, end)
		for _, id := range ids {
			if err != nil {
				out[id] = calendar.Availability{Err: err}
			} else {
				out[id] = got[id] // absent means no bookings
			}
		}
		return out
	}
	var missing []string
	s.mu.Lock()
	for _, id := range ids {
		e, ok := s.cache[cacheKey{id, start.Unix(), end.Unix()}]
		if ok && now.Sub(e.fetched) < s.ttl {
			out[id] = e.av
		} else if !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return out
	}
	got, err := s.provider.FreeBusy(ctx, missing, start, end)
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, e := range s.cache {
		// Drop stale entries as we go so the cache cannot grow without bound.
		if now.Sub(e.fetched) >= s.ttl {
			delete(s.cache, k)
		}
	}
	for _, id := range missing {
		av, ok := got[id]
		switch {
		case err != nil:
			av = calendar.Availability{Err: err}
		case !ok:
			av = calendar.Availability{Err: errors.New("the calendar service did not report this calendar")}
		}
		out[id] = av
		if av.Err == nil && s.ttl > 0 {
			s.cache[cacheKey{id, start.Unix(), end.Unix()}] = cacheEntry{av: av, fetched: now}
		}
	}
	return out
}

// calendarID is the calendar to read for p: their calendar id when set,
// otherwise their email, which is what Google Workspace uses.
func calendarID(p people.Person) string {
	if p.CalendarID != "" {
		return p.CalendarID
	}
	return p.Email
}

func toSched(ivs []calendar.Interval) []scheduling.Interval {
	out := make([]scheduling.Interval, len(ivs))
	for i, iv := range ivs {
		out[i] = scheduling.Interval{Start: iv.Start, End: iv.End}
	}
	return out
}

func fromSched(ivs []scheduling.Interval) []calendar.Interval {
	out := make([]calendar.Interval, len(ivs))
	for i, iv := range ivs {
		out[i] = calendar.Interval{Start: iv.Start.UTC(), End: iv.End.UTC()}
	}
	return out
}

// mergeClip sorts, merges and clips intervals to [start, end) for drawing.
func mergeClip(ivs []calendar.Interval, start, end time.Time) []calendar.Interval {
	slices.SortFunc(ivs, func(a, b calendar.Interval) int { return a.Start.Compare(b.Start) })
	out := []calendar.Interval{}
	for _, iv := range ivs {
		if iv.Start.Before(start) {
			iv.Start = start
		}
		if iv.End.After(end) {
			iv.End = end
		}
		if !iv.End.After(iv.Start) {
			continue
		}
		iv.Start, iv.End = iv.Start.UTC(), iv.End.UTC()
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			if iv.End.After(out[n-1].End) {
				out[n-1].End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// apiField maps the engine's field names onto the request's.
func apiField(f string) string {
	switch {
	case f == "duration":
		return "duration_minutes"
	case f == "step":
		return "step_minutes"
	case f == "buffer":
		return "buffer_minutes"
	case len(f) > 8 && f[:8] == "required":
		return "people" + f[8:]
	}
	return f
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
