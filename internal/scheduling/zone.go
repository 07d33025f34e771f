package scheduling

import (
	"math"
	"time"
)

const secondsPerDay = 86400

// offsetSpread bounds how far apart two instants with the same local wall
// clock can be: UTC offsets stay within -12h..+14h, plus an hour of slack.
const offsetSpread = 27 * 3600

// segment is a span of Unix seconds [start, end) during which a zone keeps
// one UTC offset. Unbounded ends use the int64 extremes.
type segment struct {
	start, end, off int64
}

func segmentAt(loc *time.Location, unix int64) segment {
	t := time.Unix(unix, 0).In(loc)
	_, off := t.Zone()
	s, e := t.ZoneBounds()
	seg := segment{start: math.MinInt64, end: math.MaxInt64, off: int64(off)}
	if !s.IsZero() {
		seg.start = s.Unix()
	}
	if !e.IsZero() {
		seg.end = e.Unix()
	}
	return seg
}

// zoneCursor converts local wall-clock times to instants for one zone. It
// remembers the offset segment of the last answer because expansion walks
// forward through dates, so almost every lookup is two comparisons.
type zoneCursor struct {
	loc *time.Location
	seg segment
	ok  bool
}

// firstReaching returns the earliest instant (Unix seconds) at which the
// local wall clock, given as civil seconds since 1970-01-01 00:00, reads wall
// or later. That one rule gives the documented behaviour at clock changes:
// inside a spring-forward gap it is the end of the gap, and for a time that
// occurs twice after a fall-back it is the first occurrence. time.Date is not
// used because it normalizes gap times an hour early.
func (z *zoneCursor) firstReaching(wall int64) int64 {
	if z.ok {
		u := wall - z.seg.off
		// No earlier segment can reach wall if this one started more than the
		// offset spread before u.
		if u < z.seg.end && z.seg.start <= u-offsetSpread {
			return u
		}
	}
	best := int64(math.MaxInt64)
	var bestSeg segment
	for t := wall - offsetSpread; ; {
		seg := segmentAt(z.loc, t)
		// Within a segment the wall clock only moves forward, so its earliest
		// instant at or past wall is either wall-off or the segment start.
		u := max(seg.start, wall-seg.off)
		if u < seg.end && u < best {
			best, bestSeg = u, seg
		}
		if seg.end == math.MaxInt64 || seg.end > wall+offsetSpread {
			break
		}
		t = seg.end
	}
	z.seg, z.ok = bestSeg, true
	return best
}

// civilDay is the local calendar date of t in loc, as days since 1970-01-01.
func civilDay(t time.Time, loc *time.Location) int64 {
	_, off := t.In(loc).Zone()
	return floorDiv(t.Unix()+int64(off), secondsPerDay)
}

// weekdayOf gives the weekday of a civil day; 1970-01-01 was a Thursday.
func weekdayOf(day int64) time.Weekday {
	return time.Weekday(((day+4)%7 + 7) % 7)
}

// dayPiece is a span of Unix seconds during which the local date is day.
type dayPiece struct {
	start, end, day int64
}

// localDays splits [from, to) into pieces of constant local date. It follows
// the zone's offset segments rather than computing midnights, so it agrees
// with t.In(loc).Date() even where a clock change crosses midnight.
func localDays(loc *time.Location, from, to int64, out []dayPiece) []dayPiece {
	seg := segmentAt(loc, from)
	for t := from; t < to; {
		if t >= seg.end {
			seg = segmentAt(loc, t)
		}
		day := floorDiv(t+seg.off, secondsPerDay)
		end := min((day+1)*secondsPerDay-seg.off, seg.end, to)
		if n := len(out); n > 0 && out[n-1].day == day && out[n-1].end == t {
			out[n-1].end = end
		} else {
			out = append(out, dayPiece{start: t, end: end, day: day})
		}
		t = end
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }
