// Package calendartest is Debrief's fake Google Calendar API v3 (plus a fake
// OAuth 2.0 token endpoint) for tests that drive the real Google Go client,
// google.golang.org/api/calendar/v3, with injected faults.
//
// The fake serves the REST paths the client uses, under /calendar/v3/:
//
//	POST   /calendar/v3/freeBusy
//	POST   /calendar/v3/calendars/{calendarId}/events            (insert)
//	GET    /calendar/v3/calendars/{calendarId}/events            (list)
//	GET    /calendar/v3/calendars/{calendarId}/events/{eventId}  (get)
//	PATCH  /calendar/v3/calendars/{calendarId}/events/{eventId}  (patch)
//	PUT    /calendar/v3/calendars/{calendarId}/events/{eventId}  (update)
//	DELETE /calendar/v3/calendars/{calendarId}/events/{eventId}  (delete)
//	POST   /token                                                (OAuth 2.0)
//
// Point the client at it with
//
//	calendar.NewService(ctx,
//		option.WithEndpoint(url+"/calendar/v3/"),
//		option.WithHTTPClient(calendartest.BearerClient("any-token")))
//
// The endpoint needs the trailing slash: the client resolves
// "calendars/{calendarId}/events" against it as a relative URL, so
// url+"/calendar/v3" or url alone lead to paths the fake does not serve (a
// 404 whose message names the path, counted in Stats.Unmatched). Instead of
// WithHTTPClient, option.WithTokenSource or option.WithAuthCredentials
// with a token URL of url+"/token" go through the OAuth flow. Calendar calls
// without a bearer token get 401, so option.WithoutAuthentication alone is
// refused.
//
// Behaviour modelled on Google's, from its documentation and reports of
// real replies; where those are silent the choice is marked "assumed":
//   - Client-supplied event ids must be base32hex ([a-v0-9]) and 5–1024 long
//     (400 otherwise). Reusing an id, even that of a cancelled event, is 409
//     "duplicate".
//   - Deleting sets status "cancelled"; the event can still be read with get
//     (200, status cancelled). Deleting it again is 410 "deleted".
//   - Every change gives the event a new quoted etag; If-Match on patch,
//     update and delete is checked (412, reason "conditionNotMet" assumed);
//     If-None-Match on get gives 304. sequence goes up on patch, update and
//     delete.
//   - conferenceData is only read when conferenceDataVersion >= 1. A
//     createRequest for "hangoutsMeet" is "pending" at first and "success"
//     (with a video entry point) once Options.ConferenceDelay has passed;
//     becoming ready is a change, with a new etag (assumed). Sending the same
//     requestId again leaves the conference as it is.
//   - Attendees re-sent without responseStatus keep their answer (assumed).
//   - list returns nextSyncToken on its last page; a syncToken returns what
//     changed since, deleted events included; an unknown or expired token is
//     410 "fullSyncRequired".
//   - freeBusy answers at most 50 calendars per query (the rest get the
//     per-calendar error "tooManyCalendarsRequested": assumed) over at most
//     90 days (400 "timeRangeTooLong"). Busy periods are clipped to the
//     window and merged (assumed). Calendars can be made to fail with
//     per-calendar errors.
//   - Errors use Google's JSON error body, so the client returns a
//     *googleapi.Error with Code and Errors[].Reason set.
//
// Faults (Options.Faults, SetFaults, InjectFault) are 429 and 403
// rateLimitExceeded, 403 userRateLimitExceeded, 500, 503, slow replies and
// lost replies. A lost reply applies the request and then closes the
// connection without answering; a slow reply applies it after the delay;
// the error faults reply at once and change nothing.
//
// A Server can persist its state to a JSON file (Options.StatePath), so a
// fake run as its own process (cmd/fakegoogle) keeps its events when its
// clients restart, and a test can read the file (ReadStateFile) or ask the
// control endpoints under /_fake/.
//
// Faults, snapshot helpers and hooks (SetResponse, SetBusy,
// SetCalendarError, ExpireSyncTokens) are for tests; nothing here is meant
// for production.
//
// Notes on the real client (google.golang.org/api v0.312.0), which decide
// what "exactly once" tests must do themselves:
//   - The calendar/v3 methods send each request once (gensupport.SendRequest).
//     They do not retry 429, 5xx or transport errors. Only storage/v1 uses the
//     retrying path.
//   - net/http itself resends a request whose reply was lost on a reused
//     keep-alive connection if the method is GET, HEAD, OPTIONS or TRACE, or
//     if the request has an Idempotency-Key header. So a lost reply to
//     events.get or events.list can go unseen by the caller. POST, PATCH, PUT
//     and DELETE are not resent: the caller sees an error such as EOF even
//     though the change was applied.
//   - Token requests (golang.org/x/oauth2 and cloud.google.com/go/auth 2LO)
//     are not retried either.
package calendartest
