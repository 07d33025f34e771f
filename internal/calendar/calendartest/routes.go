package calendartest

import (
	"encoding/json"
	"net/http"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	const events = "/calendar/v3/calendars/{calendarId}/events"
	const event = events + "/{eventId}"
	mux.Handle("POST /calendar/v3/freeBusy", s.api(OpFreeBusy, true, s.freeBusy))
	mux.Handle("POST "+events, s.api(OpInsert, true, s.insertEvent))
	mux.Handle("GET "+events, s.api(OpList, true, s.listEvents))
	mux.Handle("GET "+event, s.api(OpGet, true, s.getEvent))
	mux.Handle("PATCH "+event, s.api(OpPatch, true, func(c *call) reply { return s.modifyEvent(c, false) }))
	mux.Handle("PUT "+event, s.api(OpUpdate, true, func(c *call) reply { return s.modifyEvent(c, true) }))
	mux.Handle("DELETE "+event, s.api(OpDelete, true, s.deleteEvent))
	oauth := newOAuthFake(s) // oauth.go: a user's consent, and the code grant on /token
	mux.HandleFunc("GET /o/oauth2/auth", oauth.authorize)
	mux.Handle("POST /token", s.api(OpToken, false, oauth.token))

	// Control routes, for a fake running in another process. They are not
	// counted and never faulted. Bodies are the Go types as encoding/json
	// writes them (durations in nanoseconds).
	mux.HandleFunc("GET /_fake/stats", func(w http.ResponseWriter, r *http.Request) {
		writeReply(w, jsonReply(http.StatusOK, s.Stats()))
	})
	mux.HandleFunc("GET /_fake/events", func(w http.ResponseWriter, r *http.Request) {
		evs := s.Events(r.URL.Query().Get("calendarId"))
		if evs == nil {
			evs = []Event{}
		}
		writeReply(w, jsonReply(http.StatusOK, evs))
	})
	mux.HandleFunc("GET /_fake/count", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		writeReply(w, jsonReply(http.StatusOK, map[string]int{"count": s.CountByExtendedProperty(q.Get("key"), q.Get("value"))}))
	})
	mux.HandleFunc("GET /_fake/requests", func(w http.ResponseWriter, r *http.Request) {
		writeReply(w, jsonReply(http.StatusOK, s.Requests()))
	})
	mux.HandleFunc("GET /_fake/tokens", func(w http.ResponseWriter, r *http.Request) {
		writeReply(w, jsonReply(http.StatusOK, s.TokenGrants()))
	})
	mux.HandleFunc("PUT /_fake/oauth", oauth.configure)
	mux.HandleFunc("PUT /_fake/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&f); err != nil {
			writeReply(w, badRequest("parseError", err.Error()))
			return
		}
		if err := s.SetFaults(f); err != nil {
			writeReply(w, badRequest("invalid", err.Error()))
			return
		}
		writeReply(w, reply{status: http.StatusNoContent})
	})
	mux.HandleFunc("POST /_fake/response", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			CalendarID     string `json:"calendarId"`
			EventID        string `json:"eventId"`
			Email          string `json:"email"`
			ResponseStatus string `json:"responseStatus"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in); err != nil {
			writeReply(w, badRequest("parseError", err.Error()))
			return
		}
		if err := s.SetResponse(in.CalendarID, in.EventID, in.Email, in.ResponseStatus); err != nil {
			writeReply(w, badRequest("invalid", err.Error()))
			return
		}
		writeReply(w, reply{status: http.StatusNoContent})
	})

	// Anything else gets Google's JSON 404 rather than net/http's text. The
	// message names the path: a client whose endpoint lacks the trailing
	// "/calendar/v3/" would otherwise take this for "event not found".
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.stats.Unmatched++
		s.mu.Unlock()
		writeReply(w, apiError(http.StatusNotFound, "global", "notFound", "Not Found (fake Google has no route for "+r.Method+" "+r.URL.Path+")"))
	})
	return mux
}
