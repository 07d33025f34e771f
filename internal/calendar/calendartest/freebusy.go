package calendartest

import (
	"encoding/json"
	"net/http"
	"sort"
	"time"

	calendar "google.golang.org/api/calendar/v3"
)

// Google's limits on one freeBusy query.
const (
	MaxFreeBusyCalendars = 50
	MaxFreeBusyRange     = 90 * 24 * time.Hour
)

// The reply types are our own rather than the client's, so "busy" is always
// present (the client's omits an empty list), as in Google's replies.
type fbPeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type fbError struct {
	Domain string `json:"domain"`
	Reason string `json:"reason"`
}

type fbCalendar struct {
	Busy   []fbPeriod `json:"busy"`
	Errors []fbError  `json:"errors,omitempty"`
}

type fbResponse struct {
	Kind      string                `json:"kind"`
	TimeMin   string                `json:"timeMin"`
	TimeMax   string                `json:"timeMax"`
	Calendars map[string]fbCalendar `json:"calendars"`
}

func (s *Server) freeBusy(c *call) reply {
	var req calendar.FreeBusyRequest
	if err := json.Unmarshal(c.body, &req); err != nil {
		return badRequest("parseError", "Parse Error")
	}
	tmin, err := time.Parse(time.RFC3339, req.TimeMin)
	if err != nil {
		return apiErrorAt(http.StatusBadRequest, "global", "invalid", "Bad Request", "parameter", "timeMin")
	}
	tmax, err := time.Parse(time.RFC3339, req.TimeMax)
	if err != nil {
		return apiErrorAt(http.StatusBadRequest, "global", "invalid", "Bad Request", "parameter", "timeMax")
	}
	if !tmax.After(tmin) {
		return apiErrorAt(http.StatusBadRequest, "calendar", "timeRangeEmpty", "The specified time range is empty.", "parameter", "timeMax")
	}
	if tmax.Sub(tmin) > MaxFreeBusyRange {
		return apiErrorAt(http.StatusBadRequest, "calendar", "timeRangeTooLong", "The requested time range is too long.", "parameter", "timeMax")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleAllLocked()
	out := fbResponse{
		Kind:      "calendar#freeBusy",
		TimeMin:   tmin.UTC().Format(time.RFC3339),
		TimeMax:   tmax.UTC().Format(time.RFC3339),
		Calendars: map[string]fbCalendar{},
	}
	for i, item := range req.Items {
		if item == nil {
			continue
		}
		// The reply is keyed by the id asked for, even for "primary".
		id := item.Id
		if i >= MaxFreeBusyCalendars {
			out.Calendars[id] = fbCalendar{Busy: []fbPeriod{}, Errors: []fbError{{Domain: "global", Reason: "tooManyCalendarsRequested"}}}
			continue
		}
		calID := resolveCalendar(id, c.subject)
		if cs := s.st.lookupCalendar(calID); cs != nil && cs.Error != "" {
			out.Calendars[id] = fbCalendar{Busy: []fbPeriod{}, Errors: []fbError{{Domain: "global", Reason: cs.Error}}}
			continue
		}
		busy := []fbPeriod{}
		for _, iv := range s.busyLocked(calID, tmin, tmax) {
			busy = append(busy, fbPeriod{Start: iv.Start.UTC().Format(time.RFC3339), End: iv.End.UTC().Format(time.RFC3339)})
		}
		out.Calendars[id] = fbCalendar{Busy: busy}
	}
	return jsonReply(http.StatusOK, out)
}

// busyLocked gathers a calendar's busy time in [tmin, tmax): seeded
// periods, its own opaque events, and other calendars' events it is invited
// to and has not declined (Google puts invitations on the guest's calendar).
// Periods are clipped to the window and merged where they overlap or touch.
func (s *Server) busyLocked(calID string, tmin, tmax time.Time) []Interval {
	var ivs []Interval
	if cs := s.st.lookupCalendar(calID); cs != nil {
		ivs = append(ivs, cs.Busy...)
	}
	for owner, cs := range s.st.Calendars {
		for _, se := range cs.Events {
			ev := se.Event
			if ev.Status == "cancelled" || ev.Transparency == "transparent" {
				continue
			}
			if owner != calID && !invitedAndNotDeclined(ev, calID) {
				continue
			}
			start, end, err := eventTimes(ev)
			if err != nil {
				continue
			}
			ivs = append(ivs, Interval{Start: start, End: end})
		}
	}
	var clipped []Interval
	for _, iv := range ivs {
		if iv.Start.Before(tmin) {
			iv.Start = tmin
		}
		if iv.End.After(tmax) {
			iv.End = tmax
		}
		if iv.End.After(iv.Start) {
			clipped = append(clipped, iv)
		}
	}
	sort.Slice(clipped, func(i, j int) bool { return clipped[i].Start.Before(clipped[j].Start) })
	var merged []Interval
	for _, iv := range clipped {
		if n := len(merged); n > 0 && !iv.Start.After(merged[n-1].End) {
			if iv.End.After(merged[n-1].End) {
				merged[n-1].End = iv.End
			}
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

func invitedAndNotDeclined(ev *calendar.Event, calID string) bool {
	for _, a := range ev.Attendees {
		if a != nil && sameEmail(a.Email, calID) {
			return a.ResponseStatus != "declined"
		}
	}
	return false
}
