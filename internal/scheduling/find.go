package scheduling

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Limits on a request. They keep one call's work bounded (a 90-day window at
// a one-minute step is about 130,000 candidates) and catch unit mistakes.
const (
	MaxWindow   = 90 * 24 * time.Hour
	MinStep     = time.Minute
	MaxDuration = 24 * time.Hour
	MaxBuffer   = 24 * time.Hour
)

// Interval is the half-open span [Start, End).
type Interval struct {
	Start, End time.Time
}

// Person is someone who may be invited.
type Person struct {
	ID    string
	Zone  *time.Location
	Hours WorkingHours
}

// Calendar is what is known about one person's time over (at least) the
// window. A person may have several, e.g. one from the calendar provider and
// one from Debrief's own bookings; they are combined. A person with none is
// unknown, because missing data must never read as free.
type Calendar struct {
	PersonID string
	// Busy is time the person is taken.
	Busy []Interval
	// Unknown is time the source could not report, e.g. a failed batch.
	Unknown []Interval
	// Failed means the source could not be read at all: the person is unknown
	// over the whole window except where something known rules them out.
	Failed bool
	// Meetings are existing Debrief meetings. They are busy (even when the
	// provider failed, because Debrief knows them itself) and they count
	// towards MaxPerDay and MaxPerWeek by their local start date. Meetings up
	// to six days either side of the window matter for the weekly limit.
	Meetings []Interval
}

// Request describes the meeting to place. Durations are real (elapsed) time.
type Request struct {
	Required []string // person IDs who must attend
	Optional []string // person IDs who should attend if they can
	Window   Interval // every slot lies inside it
	Duration time.Duration
	// Step spaces candidate starts, counted from Window.Start.
	Step time.Duration
	// MinOptional drops slots with fewer optional people free.
	MinOptional int
	// Buffer is kept clear on both sides of busy and unknown time.
	Buffer time.Duration
	// MaxPerDay and MaxPerWeek cap a person's Debrief meetings per local date
	// and per any seven consecutive local dates, counting the new one;
	// 0 means no cap.
	MaxPerDay, MaxPerWeek int
	// NotBefore drops slots starting earlier (e.g. before a soak ends) without
	// moving the step grid; zero means no bound.
	NotBefore time.Time
	// Limit caps the number of slots returned; 0 returns all.
	Limit int
}

// Slot is one candidate meeting time with everyone's status. Slots are
// ranked: all required free first, then most optional free, then earliest.
type Slot struct {
	Start, End time.Time
	// Score orders slots (higher is better, ties go to the earlier start):
	// (len(Optional)+1 if RequiredFree else 0) + OptionalFree.
	Score        int
	RequiredFree bool
	OptionalFree int
	// Person IDs by status, required people first, each in request order.
	Free, Busy, Unknown []string
}

// ErrInvalidRequest matches (errors.Is) every validation error from Find.
var ErrInvalidRequest = errors.New("invalid scheduling request")

// FieldError names the part of the input that is wrong, using the field
// names an API would use (window.end, required[1], people[0].zone, ...).
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists every problem found, so a client can fix them all
// at once.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalidRequest.Error())
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Message)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidRequest) work without wrapping.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

type validator struct{ fields []FieldError }

func (v *validator) add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// attendee is a person resolved from the request, in request order.
type attendee struct {
	person   *Person
	required bool
	cals     []int // indexes into calendars
}

func validate(req Request, people []Person, calendars []Calendar) ([]attendee, error) {
	var v validator
	w := req.Window
	switch {
	case w.Start.IsZero():
		v.add("window.start", "is required")
	case w.End.IsZero():
		v.add("window.end", "is required")
	case !w.End.After(w.Start):
		v.add("window.end", "must be after window.start")
	case w.End.Sub(w.Start) > MaxWindow:
		v.add("window.end", "window is longer than %d days", int(MaxWindow/(24*time.Hour)))
	}
	switch {
	case req.Duration <= 0:
		v.add("duration", "must be positive")
	case req.Duration > MaxDuration:
		v.add("duration", "must be at most %s", MaxDuration)
	case w.End.After(w.Start) && req.Duration > w.End.Sub(w.Start):
		v.add("duration", "is longer than the window")
	}
	if req.Step < MinStep {
		v.add("step", "must be at least %s", MinStep)
	}
	if req.Buffer < 0 || req.Buffer > MaxBuffer {
		v.add("buffer", "must be from 0 to %s", MaxBuffer)
	}
	if req.MaxPerDay < 0 {
		v.add("max_per_day", "must not be negative")
	}
	if req.MaxPerWeek < 0 {
		v.add("max_per_week", "must not be negative")
	}
	if req.Limit < 0 {
		v.add("limit", "must not be negative")
	}
	if req.MinOptional < 0 || req.MinOptional > len(req.Optional) {
		v.add("min_optional", "is %d but there are %d optional people", req.MinOptional, len(req.Optional))
	}
	if len(req.Required)+len(req.Optional) == 0 {
		v.add("required", "at least one person must be invited")
	}

	byID := make(map[string]int, len(people))
	for i := range people {
		p := &people[i]
		if _, dup := byID[p.ID]; dup {
			v.add(fmt.Sprintf("people[%d].id", i), "person %q is listed twice", p.ID)
			continue
		}
		byID[p.ID] = i
	}

	atts := make([]attendee, 0, len(req.Required)+len(req.Optional))
	seen := make(map[string]bool, len(req.Required)+len(req.Optional))
	collect := func(field string, ids []string, required bool) {
		for i, id := range ids {
			pi, ok := byID[id]
			switch {
			case seen[id]:
				v.add(fmt.Sprintf("%s[%d]", field, i), "person %q is invited twice", id)
			case !ok:
				v.add(fmt.Sprintf("%s[%d]", field, i), "unknown person %q", id)
			default:
				p := &people[pi]
				if p.Zone == nil {
					v.add(fmt.Sprintf("people[%d].zone", pi), "person %q has no time zone", id)
				}
				if err := p.Hours.Validate(); err != nil {
					v.add(fmt.Sprintf("people[%d].hours", pi), "%v", err)
				}
				atts = append(atts, attendee{person: p, required: required})
			}
			seen[id] = true
		}
	}
	collect("required", req.Required, true)
	collect("optional", req.Optional, false)

	index := make(map[string]int, len(atts))
	for i, a := range atts {
		index[a.person.ID] = i
	}
	for ci := range calendars {
		c := &calendars[ci]
		ai, ok := index[c.PersonID]
		if !ok {
			continue // data about people not invited is harmless
		}
		checkIntervals(&v, ci, "busy", c.Busy)
		checkIntervals(&v, ci, "unknown", c.Unknown)
		checkIntervals(&v, ci, "meetings", c.Meetings)
		atts[ai].cals = append(atts[ai].cals, ci)
	}
	if len(v.fields) > 0 {
		return nil, &ValidationError{Fields: v.fields}
	}
	return atts, nil
}

func checkIntervals(v *validator, cal int, kind string, ivs []Interval) {
	for i, iv := range ivs {
		if iv.End.Before(iv.Start) {
			v.add(fmt.Sprintf("calendars[%d].%s[%d]", cal, kind, i), "ends before it starts")
		}
	}
}

// status of one person for one candidate. The zero value is busy so that a
// freshly allocated grid starts from "not available".
type status uint8

const (
	stBusy status = iota
	stFree
	stUnknown
)

// span is [start, end) in nanoseconds since the window start. Relative times
// keep the arithmetic in int64 without overflow for any window date.
type span struct{ start, end int64 }

// engine holds one Find call's grid and scratch space, reused across people
// so that the per-person work allocates nothing in the common case.
type engine struct {
	w0             time.Time
	w0Unix, w0Nsec int64
	length         int64
	dur, step, buf int64
	first          int64 // step index of the first candidate
	n              int   // number of candidates
	maxDay, maxWk  int

	work, busy, free, unknown []span
	pieces                    []dayPiece
	meetings                  []Interval
}

// Find returns the candidate slots of req, ranked, with each invited
// person's status. It returns a *ValidationError (matching
// ErrInvalidRequest) for a request it cannot answer, and an empty, non-nil
// slice when no slot qualifies.
func Find(req Request, people []Person, calendars []Calendar) ([]Slot, error) {
	atts, err := validate(req, people, calendars)
	if err != nil {
		return nil, err
	}
	e := newEngine(req)
	if e.n <= 0 {
		return []Slot{}, nil
	}
	grid := make([]status, len(atts)*e.n)
	for i := range atts {
		e.fill(atts[i], calendars, grid[i*e.n:(i+1)*e.n])
	}
	return e.rank(req, atts, grid), nil
}

func newEngine(req Request) *engine {
	w0 := req.Window.Start.Round(0) // drop monotonic readings: wall time only
	e := &engine{
		w0:     w0,
		w0Unix: w0.Unix(),
		w0Nsec: int64(w0.Nanosecond()),
		length: int64(req.Window.End.Sub(w0)),
		dur:    int64(req.Duration),
		step:   int64(req.Step),
		buf:    int64(req.Buffer),
		maxDay: req.MaxPerDay,
		maxWk:  req.MaxPerWeek,
	}
	last := floorDiv(e.length-e.dur, e.step)
	if !req.NotBefore.IsZero() && req.NotBefore.After(w0) {
		if !req.NotBefore.Before(req.Window.End) {
			return e
		}
		e.first = ceilDiv(int64(req.NotBefore.Sub(w0)), e.step)
	}
	e.n = int(max(last-e.first+1, 0))
	return e
}

func (e *engine) rel(t time.Time) int64 { return int64(t.Sub(e.w0)) }

func (e *engine) relUnix(u int64) int64 { return (u-e.w0Unix)*int64(time.Second) - e.w0Nsec }

// clipped converts an interval widened by pad to window-relative time,
// clipped to the window; ok is false when nothing of it is inside.
func (e *engine) clipped(iv Interval, pad int64) (span, bool) {
	if !iv.End.After(iv.Start) {
		return span{}, false
	}
	// Clamp before subtracting: time.Time.Sub saturates for instants
	// centuries away (a zero Start meaning "since forever"), and padding a
	// saturated value would wrap around.
	lo := e.w0.Add(-time.Duration(pad))
	hi := e.w0.Add(time.Duration(e.length + pad))
	if !iv.End.After(lo) || !iv.Start.Before(hi) {
		return span{}, false
	}
	start, end := iv.Start, iv.End
	if start.Before(lo) {
		start = lo
	}
	if end.After(hi) {
		end = hi
	}
	s := max(e.rel(start)-pad, 0)
	t := min(e.rel(end)+pad, e.length)
	return span{s, t}, s < t
}

// fill computes one person's status for every candidate.
func (e *engine) fill(a attendee, calendars []Calendar, row []status) {
	p := a.person
	e.work = e.expand(p, e.work[:0])

	e.busy, e.unknown = e.busy[:0], e.unknown[:0]
	failed := len(a.cals) == 0
	for _, ci := range a.cals {
		c := &calendars[ci]
		failed = failed || c.Failed
		for _, iv := range c.Busy {
			if s, ok := e.clipped(iv, e.buf); ok {
				e.busy = append(e.busy, s)
			}
		}
		for _, iv := range c.Meetings {
			if s, ok := e.clipped(iv, e.buf); ok {
				e.busy = append(e.busy, s)
			}
		}
		// Unknown time is widened too: a meeting may hide at its edge.
		for _, iv := range c.Unknown {
			if s, ok := e.clipped(iv, e.buf); ok {
				e.unknown = append(e.unknown, s)
			}
		}
	}
	e.busy = merge(e.busy)
	e.unknown = merge(e.unknown)
	e.free = subtract(e.work, e.busy, e.free[:0])

	// Candidates whose meeting fits inside a free span.
	for _, f := range e.free {
		lo := max(ceilDiv(f.start, e.step)-e.first, 0)
		hi := min(floorDiv(f.end-e.dur, e.step)-e.first, int64(e.n)-1)
		for k := lo; k <= hi; k++ {
			row[k] = stFree
		}
	}
	if e.maxDay > 0 || e.maxWk > 0 {
		e.applyLimits(p, a, calendars, row)
	}
	if failed {
		for k := range row {
			if row[k] == stFree {
				row[k] = stUnknown
			}
		}
		return
	}
	for _, u := range e.unknown {
		// Candidate [s, s+dur) overlaps u when u.start-dur < s < u.end.
		lo := max(floorDiv(u.start-e.dur, e.step)+1-e.first, 0)
		hi := min(ceilDiv(u.end, e.step)-1-e.first, int64(e.n)-1)
		for k := lo; k <= hi; k++ {
			if row[k] == stFree {
				row[k] = stUnknown
			}
		}
	}
}

// expand lists the person's working stretches inside the window: ranges
// expanded per local date, then merged so touching and overnight ranges
// form one stretch.
func (e *engine) expand(p *Person, out []span) []span {
	z := zoneCursor{loc: p.Zone}
	end := e.w0.Add(time.Duration(e.length))
	d0 := civilDay(e.w0, p.Zone)
	d1 := civilDay(end.Add(-1), p.Zone)
	// The day before can reach in with an overnight range; the day after is
	// there for a fall-back that crosses midnight.
	for d := d0 - 1; d <= d1+1; d++ {
		for _, r := range p.Hours[weekdayOf(d)] {
			base := d * secondsPerDay
			a := z.firstReaching(base + int64(r.Start)*60)
			b := z.firstReaching(base + int64(r.endMinute())*60)
			s := max(e.relUnix(a), 0)
			t := min(e.relUnix(b), e.length)
			if s < t {
				out = append(out, span{s, t})
			}
		}
	}
	return merge(out)
}

// applyLimits marks candidates busy when their local start date, in the
// person's zone, would exceed the daily or rolling-weekly meeting cap.
func (e *engine) applyLimits(p *Person, a attendee, calendars []Calendar, row []status) {
	from := e.w0Unix + floorDiv(e.first*e.step+e.w0Nsec, int64(time.Second))
	to := e.w0Unix + floorDiv((e.first+int64(e.n)-1)*e.step+e.w0Nsec, int64(time.Second)) + 1
	e.pieces = localDays(p.Zone, from, to, e.pieces[:0])
	if len(e.pieces) == 0 {
		return
	}
	dayLo := e.pieces[0].day - 6
	dayHi := e.pieces[len(e.pieces)-1].day + 6
	// prefix[i] is the number of meetings on the days before dayLo+i, so any
	// seven-day total is one subtraction.
	prefix := make([]int, dayHi-dayLo+2)

	// The same meeting may come from two calendars; count it once.
	e.meetings = e.meetings[:0]
	for _, ci := range a.cals {
		e.meetings = append(e.meetings, calendars[ci].Meetings...)
	}
	slices.SortFunc(e.meetings, func(x, y Interval) int {
		if c := x.Start.Compare(y.Start); c != 0 {
			return c
		}
		return x.End.Compare(y.End)
	})
	for i, m := range e.meetings {
		if i > 0 && m.Start.Equal(e.meetings[i-1].Start) && m.End.Equal(e.meetings[i-1].End) {
			continue
		}
		if d := civilDay(m.Start, p.Zone); d >= dayLo && d <= dayHi {
			prefix[d-dayLo+1]++
		}
	}
	for i := 1; i < len(prefix); i++ {
		prefix[i] += prefix[i-1]
	}
	allowed := func(day int64) bool {
		i := day - dayLo
		if e.maxDay > 0 && prefix[i+1]-prefix[i] >= e.maxDay {
			return false
		}
		if e.maxWk > 0 {
			for w := i - 6; w <= i; w++ {
				if prefix[w+7]-prefix[w] >= e.maxWk {
					return false
				}
			}
		}
		return true
	}
	for _, pc := range e.pieces {
		if allowed(pc.day) {
			continue
		}
		lo := max(ceilDiv(e.relUnix(pc.start), e.step)-e.first, 0)
		hi := min(ceilDiv(e.relUnix(pc.end), e.step)-1-e.first, int64(e.n)-1)
		for k := lo; k <= hi; k++ {
			row[k] = stBusy
		}
	}
}

// rank orders candidates by (all required free, optional free) with a
// counting sort, which keeps equal keys in start order for free.
func (e *engine) rank(req Request, atts []attendee, grid []status) []Slot {
	nOpt := len(req.Optional)
	allReq := make([]bool, e.n)
	scores := make([]int32, e.n) // optional people free, then the full score
	for k := range allReq {
		allReq[k] = true
	}
	for i, a := range atts {
		row := grid[i*e.n : (i+1)*e.n]
		if a.required {
			for k, st := range row {
				if st != stFree {
					allReq[k] = false
				}
			}
			continue
		}
		for k, st := range row {
			if st == stFree {
				scores[k]++
			}
		}
	}
	for k, ok := range allReq {
		if ok {
			scores[k] += int32(nOpt + 1)
		}
	}

	buckets := make([]int, 2*(nOpt+1))
	kept := 0
	for _, s := range scores {
		if int(s)%(nOpt+1) >= req.MinOptional {
			buckets[s]++
			kept++
		}
	}
	// Turn counts into start offsets, highest score first.
	pos := 0
	for s := len(buckets) - 1; s >= 0; s-- {
		c := buckets[s]
		buckets[s] = pos
		pos += c
	}
	order := make([]int32, kept)
	for k, s := range scores {
		if int(s)%(nOpt+1) >= req.MinOptional {
			order[buckets[s]] = int32(k)
			buckets[s]++
		}
	}
	if req.Limit > 0 && len(order) > req.Limit {
		order = order[:req.Limit]
	}

	out := make([]Slot, len(order))
	names := make([]string, len(order)*len(atts))
	for i, k := range order {
		var nFree, nBusy int
		for ai := range atts {
			switch grid[ai*e.n+int(k)] {
			case stFree:
				nFree++
			case stBusy:
				nBusy++
			}
		}
		base := i * len(atts)
		lists := names[base : base+len(atts)]
		fi, bi, ui := 0, nFree, nFree+nBusy
		for ai, a := range atts {
			switch grid[ai*e.n+int(k)] {
			case stFree:
				lists[fi] = a.person.ID
				fi++
			case stBusy:
				lists[bi] = a.person.ID
				bi++
			default:
				lists[ui] = a.person.ID
				ui++
			}
		}
		s := scores[k]
		start := e.w0.Add(time.Duration((e.first + int64(k)) * e.step))
		out[i] = Slot{
			Start:        start,
			End:          start.Add(time.Duration(e.dur)),
			Score:        int(s),
			RequiredFree: int(s) > nOpt,
			OptionalFree: int(s) % (nOpt + 1),
			// Full slice expressions stop an append by the caller from
			// overwriting the next list in the shared backing array.
			Free:    lists[0:nFree:nFree],
			Busy:    lists[nFree : nFree+nBusy : nFree+nBusy],
			Unknown: lists[nFree+nBusy : len(atts) : len(atts)],
		}
	}
	return out
}

// merge sorts spans and joins those that overlap or touch.
func merge(s []span) []span {
	if len(s) < 2 {
		return s
	}
	slices.SortFunc(s, func(a, b span) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
	out := s[:1]
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.start <= last.end {
			last.end = max(last.end, x.end)
			continue
		}
		out = append(out, x)
	}
	return out
}

// subtract returns a minus b; both must be merged (sorted, disjoint).
func subtract(a, b []span, out []span) []span {
	j := 0
	for _, x := range a {
		for j < len(b) && b[j].end <= x.start {
			j++
		}
		start := x.start
		for k := j; k < len(b) && b[k].start < x.end; k++ {
			if b[k].start > start {
				out = append(out, span{start, b[k].start})
			}
			start = max(start, b[k].end)
		}
		if start < x.end {
			out = append(out, span{start, x.end})
		}
	}
	return out
}

// WorkingIntervals returns p's working stretches inside window (merged, so
// touching and overnight ranges are one interval), in p's zone. It is the
// same expansion Find uses, exposed for availability grids.
func (p Person) WorkingIntervals(window Interval) ([]Interval, error) {
	var v validator
	if p.Zone == nil {
		v.add("zone", "person %q has no time zone", p.ID)
	}
	if err := p.Hours.Validate(); err != nil {
		v.add("hours", "%v", err)
	}
	if !window.End.After(window.Start) {
		v.add("window.end", "must be after window.start")
	} else if window.End.Sub(window.Start) > MaxWindow {
		v.add("window.end", "window is longer than %d days", int(MaxWindow/(24*time.Hour)))
	}
	if len(v.fields) > 0 {
		return nil, &ValidationError{Fields: v.fields}
	}
	w0 := window.Start.Round(0)
	e := &engine{w0: w0, w0Unix: w0.Unix(), w0Nsec: int64(w0.Nanosecond()), length: int64(window.End.Sub(w0))}
	spans := e.expand(&p, nil)
	out := make([]Interval, len(spans))
	for i, s := range spans {
		out[i] = Interval{
			Start: w0.Add(time.Duration(s.start)).In(p.Zone),
			End:   w0.Add(time.Duration(s.end)).In(p.Zone),
		}
	}
	return out, nil
}
