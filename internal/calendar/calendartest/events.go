package calendartest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	calendar "google.golang.org/api/calendar/v3"
)

// meetHost stands in for meet.google.com, so no test link can reach Google.
const meetHost = "meet.example.test"

// resolveCalendar turns "primary" into the user the token acts as, as
// Google does; with an unknown token "primary" stays a calendar id of its
// own.
func resolveCalendar(id, subject string) string {
	if id == "primary" && subject != "" {
		return subject
	}
	return id
}

// validEventID follows Google's rule for client-chosen ids: base32hex
// characters (a-v, 0-9), 5 to 1024 of them.
func validEventID(id string) bool {
	if len(id) < 5 || len(id) > 1024 {
		return false
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		if !(ch >= 'a' && ch <= 'v') && !(ch >= '0' && ch <= '9') {
			return false
		}
	}
	return true
}

// newIDLocked makes a server-chosen id. strconv's base 32 uses exactly the
// base32hex digits 0-9a-v, so the id is valid by Google's rule; the clock
// keeps ids apart across restarts of an in-memory fake.
func (s *Server) newIDLocked(now time.Time) string {
	s.st.Seq++
	return "fk" + strconv.FormatInt(now.UnixNano(), 32) + strconv.FormatInt(s.st.Seq, 32)
}

// touchLocked records a change to an event: next revision, new etag, new
// updated time.
func (s *Server) touchLocked(se *storedEvent) {
	s.st.Rev++
	se.Rev = s.st.Rev
	// Google's event etags are quoted decimal numbers; the revision keeps
	// ours unique for the life of the state.
	se.Event.Etag = fmt.Sprintf(`"%d"`, 3100000000000000+s.st.Rev)
	se.Event.Updated = stamp(s.now())
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func etagMatches(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == "*" || v == etag {
			return true
		}
	}
	return false
}

func parseEventDateTime(dt *calendar.EventDateTime, eventTZ string) (time.Time, error) {
	if dt == nil || (dt.DateTime == "" && dt.Date == "") {
		return time.Time{}, errMissingTime
	}
	tz := dt.TimeZone
	if tz == "" {
		tz = eventTZ
	}
	loc := time.UTC
	if tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return time.Time{}, fmt.Errorf("invalid time zone %q", tz)
		}
		loc = l
	}
	if dt.DateTime != "" {
		if t, err := time.Parse(time.RFC3339, dt.DateTime); err == nil {
			return t, nil
		}
		// Google accepts a dateTime without offset only with a time zone.
		if tz == "" {
			return time.Time{}, fmt.Errorf("invalid dateTime %q", dt.DateTime)
		}
		return time.ParseInLocation("2006-01-02T15:04:05", dt.DateTime, loc)
	}
	return time.ParseInLocation("2006-01-02", dt.Date, loc)
}

var errMissingTime = errors.New("missing time")

func eventTimes(ev *calendar.Event) (start, end time.Time, err error) {
	start, err = parseEventDateTime(ev.Start, "")
	if err != nil {
		return start, end, err
	}
	end, err = parseEventDateTime(ev.End, "")
	return start, end, err
}

func checkTimes(ev *calendar.Event) (reply, bool) {
	start, err := parseEventDateTime(ev.Start, "")
	if errors.Is(err, errMissingTime) {
		return badRequest("required", "Missing start time."), false
	}
	if err != nil {
		return badRequest("invalid", "Invalid start time: "+err.Error()), false
	}
	end, err := parseEventDateTime(ev.End, "")
	if errors.Is(err, errMissingTime) {
		return badRequest("required", "Missing end time."), false
	}
	if err != nil {
		return badRequest("invalid", "Invalid end time: "+err.Error()), false
	}
	if end.Before(start) {
		return apiError(http.StatusBadRequest, "calendar", "timeRangeEmpty", "The specified time range is empty."), false
	}
	return reply{}, true
}

func conferenceVersion(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("conferenceDataVersion"))
	return n
}

// checkCreateRequest validates a conference create request before anything
// is stored.
func checkCreateRequest(cr *calendar.CreateConferenceRequest) (reply, bool) {
	if cr.RequestId == "" {
		return badRequest("invalid", "Invalid conference create request: missing requestId."), false
	}
	if cr.ConferenceSolutionKey == nil || cr.ConferenceSolutionKey.Type != "hangoutsMeet" {
		return badRequest("invalid", "Invalid conference type value."), false
	}
	return reply{}, true
}

// startConferenceLocked puts a pending conference on the event, or a ready
// one when there is no delay.
func (s *Server) startConferenceLocked(calID string, se *storedEvent, requestID string, now time.Time) {
	se.ConfRequestID = requestID
	se.ConfReadyAt = now.Add(s.opts.ConferenceDelay)
	se.Event.HangoutLink = ""
	se.Event.ConferenceData = &calendar.ConferenceData{
		CreateRequest: &calendar.CreateConferenceRequest{
			RequestId:             requestID,
			ConferenceSolutionKey: &calendar.ConferenceSolutionKey{Type: "hangoutsMeet"},
			Status:                &calendar.ConferenceRequestStatus{StatusCode: "pending"},
		},
	}
	if s.opts.ConferenceDelay <= 0 {
		readyConference(calID, se)
	}
}

// readyConference fills in a Meet conference like Google's, with a code
// derived from the event so the link is stable.
func readyConference(calID string, se *storedEvent) {
	sum := sha256.Sum256([]byte(calID + "\x00" + se.Event.Id + "\x00" + se.ConfRequestID))
	letters := make([]byte, 10)
	for i := range letters {
		letters[i] = 'a' + sum[i]%26
	}
	code := string(letters[:3]) + "-" + string(letters[3:7]) + "-" + string(letters[7:])
	uri := "https://" + meetHost + "/" + code
	se.Event.HangoutLink = uri
	se.Event.ConferenceData = &calendar.ConferenceData{
		ConferenceId: code,
		ConferenceSolution: &calendar.ConferenceSolution{
			Key:     &calendar.ConferenceSolutionKey{Type: "hangoutsMeet"},
			Name:    "Google Meet",
			IconUri: "https://" + meetHost + "/icon.png",
		},
		CreateRequest: &calendar.CreateConferenceRequest{
			RequestId:             se.ConfRequestID,
			ConferenceSolutionKey: &calendar.ConferenceSolutionKey{Type: "hangoutsMeet"},
			Status:                &calendar.ConferenceRequestStatus{StatusCode: "success"},
		},
		EntryPoints: []*calendar.EntryPoint{{
			EntryPointType: "video",
			Uri:            uri,
			Label:          meetHost + "/" + code,
		}},
	}
	se.ConfReadyAt = time.Time{}
}

// settleLocked makes a pending conference ready once its time has come,
// which is a change like any other. It reports whether anything changed.
func (s *Server) settleLocked(calID string, se *storedEvent) bool {
	cd := se.Event.ConferenceData
	if se.ConfReadyAt.IsZero() || cd == nil || cd.CreateRequest == nil || cd.CreateRequest.Status == nil ||
		cd.CreateRequest.Status.StatusCode != "pending" || s.now().Before(se.ConfReadyAt) {
		return false
	}
	readyConference(calID, se)
	s.touchLocked(se)
	return true
}

func (s *Server) settleCalendarLocked(calID string, c *calendarState) bool {
	changed := false
	// Settle in id order, so revisions are given out deterministically.
	ids := make([]string, 0, len(c.Events))
	for id := range c.Events {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if s.settleLocked(calID, c.Events[id]) {
			changed = true
		}
	}
	return changed
}

func (s *Server) settleAllLocked() {
	changed := false
	for id, c := range s.st.Calendars {
		if s.settleCalendarLocked(id, c) {
			changed = true
		}
	}
	if changed {
		s.persistLocked()
	}
}

// fixAttendees gives each attendee a response status (keeping the one they
// had, since Google tracks answers per attendee across edits) and marks the
// organizer.
func fixAttendees(calID string, evs, old []*calendar.EventAttendee) {
	for _, a := range evs {
		if a == nil {
			continue
		}
		if a.ResponseStatus == "" {
			a.ResponseStatus = "needsAction"
			for _, o := range old {
				if o != nil && sameEmail(o.Email, a.Email) && o.ResponseStatus != "" {
					a.ResponseStatus = o.ResponseStatus
				}
			}
		}
		if sameEmail(a.Email, calID) {
			a.Organizer, a.Self = true, true
		}
	}
}

func (s *Server) insertEvent(c *call) reply {
	calID := resolveCalendar(c.r.PathValue("calendarId"), c.subject)
	ev := new(calendar.Event)
	if err := json.Unmarshal(c.body, ev); err != nil {
		return badRequest("parseError", "Parse Error")
	}
	if ev.Id != "" && !validEventID(ev.Id) {
		return badRequest("invalid", "Invalid resource id value.")
	}
	if rep, ok := checkTimes(ev); !ok {
		return rep
	}
	version := conferenceVersion(c.r)
	var createReq *calendar.CreateConferenceRequest
	if version >= 1 && ev.ConferenceData != nil && ev.ConferenceData.CreateRequest != nil {
		createReq = ev.ConferenceData.CreateRequest
		if rep, ok := checkCreateRequest(createReq); !ok {
			return rep
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	cal := s.st.calendar(calID)
	if ev.Id == "" {
		ev.Id = s.newIDLocked(now)
	} else if cal.Events[ev.Id] != nil {
		// Google keeps the id of a cancelled event too.
		return apiError(http.StatusConflict, "global", "duplicate", "The requested identifier already exists.")
	}
	ev.Kind = "calendar#event"
	if ev.Status == "" {
		ev.Status = "confirmed"
	}
	ev.Created = stamp(now)
	ev.HtmlLink = "https://calendar.example.test/event?eid=" + base64.RawURLEncoding.EncodeToString([]byte(ev.Id+" "+calID))
	if ev.ICalUID == "" {
		ev.ICalUID = ev.Id + "@google.com"
	}
	ev.Organizer = &calendar.EventOrganizer{Email: calID, Self: true}
	creator := calID
	if c.subject != "" {
		creator = c.subject
	}
	ev.Creator = &calendar.EventCreator{Email: creator, Self: sameEmail(creator, calID)}
	fixAttendees(calID, ev.Attendees, nil)
	se := &storedEvent{Event: ev}
	switch {
	case version < 1:
		// Without conferenceDataVersion=1 Google ignores conferenceData.
		ev.ConferenceData, ev.HangoutLink = nil, ""
	case createReq != nil:
		s.startConferenceLocked(calID, se, createReq.RequestId, now)
	}
	cal.Events[ev.Id] = se
	s.touchLocked(se)
	s.persistLocked()
	return jsonReply(http.StatusOK, cloneEvent(se.Event))
}

// lookupEventLocked finds an event and settles its conference.
func (s *Server) lookupEventLocked(c *call) (string, *storedEvent) {
	calID := resolveCalendar(c.r.PathValue("calendarId"), c.subject)
	cal := s.st.lookupCalendar(calID)
	if cal == nil {
		return calID, nil
	}
	se := cal.Events[c.r.PathValue("eventId")]
	if se != nil && s.settleLocked(calID, se) {
		s.persistLocked()
	}
	return calID, se
}

func (s *Server) getEvent(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, se := s.lookupEventLocked(c)
	if se == nil {
		return notFound()
	}
	if m := c.r.Header.Get("If-None-Match"); m != "" && etagMatches(m, se.Event.Etag) {
		return reply{status: http.StatusNotModified}
	}
	return jsonReply(http.StatusOK, cloneEvent(se.Event))
}

func preconditionFailed() reply {
	return apiErrorAt(http.StatusPreconditionFailed, "global", "conditionNotMet", "Precondition Failed", "header", "If-Match")
}

// modifyEvent serves patch (merge the body into the event) and update
// (replace the event with the body).
func (s *Server) modifyEvent(c *call, replace bool) reply {
	var body map[string]any
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.UseNumber() // keep numbers exact through the round trip
	if err := dec.Decode(&body); err != nil || body == nil {
		return badRequest("parseError", "Parse Error")
	}
	version := conferenceVersion(c.r)

	s.mu.Lock()
	defer s.mu.Unlock()
	calID, se := s.lookupEventLocked(c)
	if se == nil {
		return notFound()
	}
	if m := c.r.Header.Get("If-Match"); m != "" && !etagMatches(m, se.Event.Etag) {
		return preconditionFailed()
	}
	old := se.Event
	merged := body
	if !replace {
		merged = toMap(old)
		mergePatch(merged, body)
		// A start or end that switches between date and dateTime must
		// not keep the other one from before.
		for _, k := range []string{"start", "end"} {
			pm, _ := body[k].(map[string]any)
			mm, _ := merged[k].(map[string]any)
			if pm == nil || mm == nil {
				continue
			}
			if _, ok := pm["dateTime"]; ok {
				delete(mm, "date")
			}
			if _, ok := pm["date"]; ok {
				delete(mm, "dateTime")
			}
		}
	}
	ev, err := fromMap(merged)
	if err != nil {
		return badRequest("invalid", "Invalid value: "+err.Error())
	}
	if rep, ok := checkTimes(ev); !ok {
		return rep
	}
	// Fields the server owns.
	ev.Id, ev.Kind, ev.Etag, ev.Created = old.Id, old.Kind, old.Etag, old.Created
	ev.HtmlLink, ev.ICalUID, ev.Organizer, ev.Creator = old.HtmlLink, old.ICalUID, old.Organizer, old.Creator
	ev.Sequence = max(old.Sequence+1, ev.Sequence)
	if ev.Status == "" {
		ev.Status = "confirmed"
	}
	fixAttendees(calID, ev.Attendees, old.Attendees)

	rawConf, sent := body["conferenceData"]
	keep := func() { ev.ConferenceData, ev.HangoutLink = old.ConferenceData, old.HangoutLink }
	var startReq string
	switch {
	case version < 1, !sent && !replace:
		keep()
	case !sent || rawConf == nil:
		// update without conferenceData, or an explicit null: removed.
		ev.ConferenceData, ev.HangoutLink = nil, ""
		se.ConfRequestID, se.ConfReadyAt = "", time.Time{}
	case ev.ConferenceData != nil && ev.ConferenceData.CreateRequest != nil:
		cr := ev.ConferenceData.CreateRequest
		if cr.RequestId != "" && cr.RequestId == se.ConfRequestID {
			keep() // same request again: nothing new to create
			break
		}
		if rep, ok := checkCreateRequest(cr); !ok {
			return rep
		}
		startReq = cr.RequestId
	default:
		// A conference given as is (solution and entry points).
		se.ConfRequestID, se.ConfReadyAt = "", time.Time{}
	}
	se.Event = ev
	if startReq != "" {
		s.startConferenceLocked(calID, se, startReq, s.now())
	}
	s.touchLocked(se)
	s.persistLocked()
	return jsonReply(http.StatusOK, cloneEvent(se.Event))
}

func (s *Server) deleteEvent(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, se := s.lookupEventLocked(c)
	if se == nil {
		return notFound()
	}
	if m := c.r.Header.Get("If-Match"); m != "" && !etagMatches(m, se.Event.Etag) {
		return preconditionFailed()
	}
	if se.Event.Status == "cancelled" {
		return apiError(http.StatusGone, "global", "deleted", "Resource has been deleted")
	}
	se.Event.Status = "cancelled"
	se.Event.Sequence++
	s.touchLocked(se)
	s.persistLocked()
	return reply{status: http.StatusNoContent}
}

func toMap(ev *calendar.Event) map[string]any {
	out := map[string]any{}
	b, err := json.Marshal(ev)
	if err != nil {
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	_ = dec.Decode(&out) // cannot fail: we just encoded it
	return out
}

func fromMap(m map[string]any) (*calendar.Event, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	ev := new(calendar.Event)
	if err := json.Unmarshal(b, ev); err != nil {
		return nil, err
	}
	return ev, nil
}

// mergePatch applies patch semantics: objects merge key by key, arrays and
// other values replace, null removes.
func mergePatch(dst, patch map[string]any) {
	for k, v := range patch {
		if v == nil {
			delete(dst, k)
			continue
		}
		if pm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergePatch(dm, pm)
				continue
			}
			fresh := map[string]any{}
			mergePatch(fresh, pm)
			dst[k] = fresh
			continue
		}
		dst[k] = v
	}
}

// ---- list and sync ----

type pageToken struct {
	// After is the sort key of the last event returned.
	AfterA int64  `json:"a"`
	AfterB string `json:"b"`
	// Snap is the revision when the listing began; the last page's
	// nextSyncToken is taken from it, so changes made while paging are
	// seen by the next sync.
	Snap int64 `json:"s"`
	// Sync and Since carry an incremental sync across pages, for clients
	// that send only the pageToken after the first page.
	Sync  bool  `json:"y,omitempty"`
	Since int64 `json:"r,omitempty"`
}

func encodePageToken(p pageToken) string {
	b, _ := json.Marshal(p) // plain struct: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodePageToken(s string) (pageToken, bool) {
	var p pageToken
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &p) != nil {
		return p, false
	}
	return p, true
}

func encodeSyncToken(calID string, rev, epoch int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(calID + "\n" + strconv.FormatInt(rev, 10) + "\n" + strconv.FormatInt(epoch, 10)))
}

func decodeSyncToken(tok string) (cal string, rev, epoch int64, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", 0, 0, false
	}
	parts := strings.Split(string(b), "\n")
	if len(parts) != 3 {
		return "", 0, 0, false
	}
	rev, err1 := strconv.ParseInt(parts[1], 10, 64)
	epoch, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, 0, false
	}
	return parts[0], rev, epoch, true
}

type eventList struct {
	Kind          string            `json:"kind"`
	Etag          string            `json:"etag"`
	Summary       string            `json:"summary"`
	Updated       string            `json:"updated"`
	TimeZone      string            `json:"timeZone"`
	AccessRole    string            `json:"accessRole"`
	Items         []*calendar.Event `json:"items"`
	NextPageToken string            `json:"nextPageToken,omitempty"`
	NextSyncToken string            `json:"nextSyncToken,omitempty"`
}

type listed struct {
	a  int64
	b  string
	se *storedEvent
}

func (s *Server) listEvents(c *call) reply {
	q := c.r.URL.Query()
	calID := resolveCalendar(c.r.PathValue("calendarId"), c.subject)
	syncTok := q.Get("syncToken")
	if syncTok != "" {
		// Google refuses filters that would make a sync incomplete.
		for _, p := range []string{"timeMin", "timeMax", "privateExtendedProperty", "sharedExtendedProperty", "iCalUID", "orderBy", "q", "updatedMin"} {
			if q.Has(p) {
				return badRequest("invalid", "The "+p+" parameter cannot be used together with syncToken.")
			}
		}
	}
	var timeMin, timeMax time.Time
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"timeMin", &timeMin}, {"timeMax", &timeMax}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return apiErrorAt(http.StatusBadRequest, "global", "invalid", "Bad Request", "parameter", p.name)
			}
			*p.dst = t
		}
	}
	if !timeMin.IsZero() && !timeMax.IsZero() && !timeMax.After(timeMin) {
		return apiErrorAt(http.StatusBadRequest, "calendar", "timeRangeEmpty", "The specified time range is empty.", "parameter", "timeMax")
	}
	orderBy := q.Get("orderBy")
	switch orderBy {
	case "", "updated":
	case "startTime":
		if q.Get("singleEvents") != "true" {
			return badRequest("badRequest", "The requested ordering is not available for the particular query.")
		}
	default:
		return apiErrorAt(http.StatusBadRequest, "global", "invalid", "Invalid Value", "parameter", "orderBy")
	}
	maxResults := 250
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return apiErrorAt(http.StatusBadRequest, "global", "invalid", "Invalid Value", "parameter", "maxResults")
		}
		maxResults = min(n, 2500)
	}
	privFilters, sharedFilters := q["privateExtendedProperty"], q["sharedExtendedProperty"]
	icalUID := q.Get("iCalUID")
	showDeleted := q.Get("showDeleted") == "true"

	s.mu.Lock()
	defer s.mu.Unlock()
	page := pageToken{AfterA: -1 << 63, Snap: s.st.Rev}
	if v := q.Get("pageToken"); v != "" {
		p, ok := decodePageToken(v)
		if !ok {
			return apiErrorAt(http.StatusBadRequest, "global", "invalid", "Invalid page token value.", "parameter", "pageToken")
		}
		page = p
	}
	cal := s.st.lookupCalendar(calID)
	var since int64 = -1
	if syncTok != "" {
		tcal, rev, epoch, ok := decodeSyncToken(syncTok)
		if !ok || tcal != calID || rev > s.st.Rev || epoch != syncEpoch(cal) {
			return apiError(http.StatusGone, "calendar", "fullSyncRequired", "Sync token is no longer valid, a full sync is required.")
		}
		since = rev
	} else if page.Sync {
		since = page.Since
	}
	var items []listed
	if cal != nil {
		if s.settleCalendarLocked(calID, cal) {
			s.persistLocked()
		}
		for id, se := range cal.Events {
			ev := se.Event
			if since >= 0 {
				if se.Rev > since {
					items = append(items, listed{se.Rev, id, se})
				}
				continue
			}
			if ev.Status == "cancelled" && !showDeleted {
				continue
			}
			start, end, err := eventTimes(ev)
			if err != nil {
				continue
			}
			if (!timeMin.IsZero() && !end.After(timeMin)) || (!timeMax.IsZero() && !start.Before(timeMax)) {
				continue
			}
			if icalUID != "" && ev.ICalUID != icalUID {
				continue
			}
			if !matchProps(ev, privFilters, sharedFilters) {
				continue
			}
			if orderBy == "updated" {
				items = append(items, listed{se.Rev, id, se})
			} else {
				items = append(items, listed{start.UnixNano(), id, se})
			}
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].a != items[j].a {
			return items[i].a < items[j].a
		}
		return items[i].b < items[j].b
	})
	out := eventList{
		Kind:       "calendar#events",
		Etag:       fmt.Sprintf(`"p%d"`, s.st.Rev),
		Summary:    calID,
		Updated:    stamp(s.now()),
		TimeZone:   "UTC",
		AccessRole: "owner",
		Items:      []*calendar.Event{},
	}
	var last listed
	for _, it := range items {
		if it.a < page.AfterA || (it.a == page.AfterA && it.b <= page.AfterB) {
			continue
		}
		if len(out.Items) == maxResults {
			out.NextPageToken = encodePageToken(pageToken{AfterA: last.a, AfterB: last.b, Snap: page.Snap, Sync: since >= 0, Since: since})
			break
		}
		out.Items = append(out.Items, cloneEvent(it.se.Event))
		last = it
	}
	if out.NextPageToken == "" {
		out.NextSyncToken = encodeSyncToken(calID, page.Snap, syncEpoch(cal))
	}
	return jsonReply(http.StatusOK, out)
}

func syncEpoch(c *calendarState) int64 {
	if c == nil {
		return 0
	}
	return c.SyncEpoch
}

// matchProps applies privateExtendedProperty / sharedExtendedProperty
// filters ("key=value"); every one must match.
func matchProps(ev *calendar.Event, priv, shared []string) bool {
	var pm, sm map[string]string
	if ev.ExtendedProperties != nil {
		pm, sm = ev.ExtendedProperties.Private, ev.ExtendedProperties.Shared
	}
	for _, f := range priv {
		k, v, _ := strings.Cut(f, "=")
		if got, ok := pm[k]; !ok || got != v {
			return false
		}
	}
	for _, f := range shared {
		k, v, _ := strings.Cut(f, "=")
		if got, ok := sm[k]; !ok || got != v {
			return false
		}
	}
	return true
}
