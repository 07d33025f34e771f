package google

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	gcal "google.golang.org/api/calendar/v3"

	"github.com/debrief-dev/debrief/internal/calendar"
)

// FreeBusy reads busy times for many calendars over [start, end). The
// calendars are asked in batches of at most MaxFreeBusyCalendars and the
// window in chunks of at most Config.FreeBusyChunk, so the number of
// queries is ceil(calendars/50) × ceil((end-start)/chunk): 60 people over
// 90 days with the default 60-day chunk is 2 × 2 = 4 queries. Up to
// Config.FreeBusyParallel queries run at once.
//
// A calendar Google could not read (a per-calendar error), or one whose
// batch failed for any chunk, has Availability.Err set: unknown over the
// whole window, never free. The call itself fails only when every query
// failed, or when ctx ends.
func (p *Provider) FreeBusy(ctx context.Context, calendars []string, start, end time.Time) (map[string]calendar.Availability, error) {
	if !end.After(start) {
		return nil, permanent("freebusy: empty window %s to %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	out := make(map[string]calendar.Availability, len(calendars))
	var ids []string
	for _, id := range calendars {
		if _, seen := out[id]; seen {
			continue
		}
		if id == "" {
			out[id] = calendar.Availability{Err: permanent("freebusy: empty calendar id")}
			continue
		}
		out[id] = calendar.Availability{}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return out, nil
	}

	windows := splitWindow(start.UTC(), end.UTC(), p.fbChunk)
	type query struct {
		ids []string
		w   calendar.Interval
		res *gcal.FreeBusyResponse
		err error
	}
	var queries []*query
	for b := 0; b < len(ids); b += MaxFreeBusyCalendars {
		batch := ids[b:min(b+MaxFreeBusyCalendars, len(ids))]
		for _, w := range windows {
			queries = append(queries, &query{ids: batch, w: w})
		}
	}

	// A few workers take the queries in order (strictly in order with one
	// worker), so a long window never opens dozens of connections at once.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(p.fbParallel, len(queries)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(queries) || ctx.Err() != nil {
					return
				}
				q := queries[i]
				q.res, q.err = p.freeBusyQuery(ctx, q.ids, q.w)
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("google %s: %w", opFreeBusy, context.Cause(ctx))
	}

	busy := make(map[string][]calendar.Interval, len(ids))
	failed := make(map[string]error)
	var firstErr error
	ok := 0
	for _, q := range queries {
		if q.err != nil {
			if firstErr == nil {
				firstErr = q.err
			}
			for _, id := range q.ids {
				if failed[id] == nil {
					failed[id] = q.err
				}
			}
			continue
		}
		ok++
		for _, id := range q.ids {
			c, found := q.res.Calendars[id]
			switch {
			case !found:
				if failed[id] == nil {
					failed[id] = &calendar.Error{Kind: calendar.Retryable, Err: fmt.Errorf("google %s: no answer for calendar %s", opFreeBusy, id)}
				}
			case len(c.Errors) > 0:
				if failed[id] == nil {
					failed[id] = calendarError(id, c.Errors)
				}
			default:
				for _, tp := range c.Busy {
					iv, keep, err := period(tp, q.w)
					if err != nil {
						// A busy period we cannot read must not
						// turn into free time.
						if failed[id] == nil {
							failed[id] = &calendar.Error{Kind: calendar.Permanent, Err: fmt.Errorf("google %s: calendar %s: %w", opFreeBusy, id, err)}
						}
						break
					}
					if keep {
						busy[id] = append(busy[id], iv)
					}
				}
			}
		}
	}
	if ok == 0 {
		return nil, firstErr
	}
	for _, id := range ids {
		if err := failed[id]; err != nil {
			out[id] = calendar.Availability{Err: err}
			continue
		}
		out[id] = calendar.Availability{Busy: mergeIntervals(busy[id])}
	}
	return out, nil
}

func (p *Provider) freeBusyQuery(ctx context.Context, ids []string, w calendar.Interval) (*gcal.FreeBusyResponse, error) {
	req := &gcal.FreeBusyRequest{
		TimeMin:  w.Start.Format(time.RFC3339),
		TimeMax:  w.End.Format(time.RFC3339),
		TimeZone: "UTC",
	}
	for _, id := range ids {
		req.Items = append(req.Items, &gcal.FreeBusyRequestItem{Id: id})
	}
	return do(ctx, p, opFreeBusy, func(ctx context.Context) (*gcal.FreeBusyResponse, error) {
		return p.svc.Freebusy.Query(req).Context(ctx).Do()
	})
}

// splitWindow cuts [start, end) into consecutive pieces of at most chunk.
func splitWindow(start, end time.Time, chunk time.Duration) []calendar.Interval {
	var out []calendar.Interval
	for s := start; s.Before(end); s = s.Add(chunk) {
		e := s.Add(chunk)
		if e.After(end) {
			e = end
		}
		out = append(out, calendar.Interval{Start: s, End: e})
	}
	return out
}

// calendarError turns freeBusy's per-calendar errors into an error whose
// kind says whether asking again could help.
func calendarError(id string, errs []*gcal.Error) error {
	kind, reason := calendar.Permanent, ""
	for _, e := range errs {
		if e == nil {
			continue
		}
		if reason == "" {
			reason = e.Reason
		}
		switch e.Reason {
		case "notFound":
			kind = calendar.NotFound
		case "internalError", "backendError":
			kind = calendar.Retryable
		}
	}
	if reason == "" {
		reason = "unknown error"
	}
	return &calendar.Error{Kind: kind, Err: fmt.Errorf("google %s: calendar %s: %s", opFreeBusy, id, reason)}
}

// period parses one busy period and clips it to the query's window; keep
// is false when nothing of it is left.
func period(tp *gcal.TimePeriod, w calendar.Interval) (iv calendar.Interval, keep bool, err error) {
	if tp == nil {
		return calendar.Interval{}, false, nil
	}
	s, err1 := time.Parse(time.RFC3339, tp.Start)
	e, err2 := time.Parse(time.RFC3339, tp.End)
	if err := errors.Join(err1, err2); err != nil {
		return calendar.Interval{}, false, fmt.Errorf("unreadable busy period: %w", err)
	}
	s, e = s.UTC(), e.UTC()
	if s.Before(w.Start) {
		s = w.Start
	}
	if e.After(w.End) {
		e = w.End
	}
	return calendar.Interval{Start: s, End: e}, e.After(s), nil
}

// mergeIntervals sorts and joins overlapping or touching intervals, which
// also stitches a busy period split at a chunk boundary back together.
func mergeIntervals(ivs []calendar.Interval) []calendar.Interval {
	if len(ivs) == 0 {
		return nil
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].Start.Before(ivs[j].Start) })
	out := []calendar.Interval{ivs[0]}
	for _, iv := range ivs[1:] {
		last := &out[len(out)-1]
		if !iv.Start.After(last.End) {
			if iv.End.After(last.End) {
				last.End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}
