package httpapi

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/builtin"
)

// Bookings, their .ics invitations and people's calendar feeds. Who may do
// what is decided by the bookings service: it sees every booking for
// admins and facilitators and only their own for everyone else, and lets
// only admins and facilitators change them.

// feedPrefix is where calendar feeds are served: outside /api, because a
// calendar app subscribes with the URL alone (the token is the credential).
const feedPrefix = "/feeds/"

func (s *Server) listBookings(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	f := bookings.ListFilter{Status: bookings.Status(q.Get("status")), PersonID: q.Get("person_id"),
		EventID: q.Get("event_id"), From: q.Get("from"), To: q.Get("to")}
	res, err := s.Bookings.List(c.Request().Context(), a, f, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(res.Items, res.NextCursor))
}

func (s *Server) createBooking(c echo.Context) error {
	return withBody(c, http.StatusCreated, func(ctx context.Context, a actor.Actor, in bookings.Input) (any, error) {
		return s.Bookings.Create(ctx, a, in)
	})
}

func (s *Server) getBooking(c echo.Context) error {
	return asCaller(c, http.StatusOK, func(ctx context.Context, a actor.Actor) (any, error) {
		return s.Bookings.Get(ctx, a, c.Param("id"))
	})
}

func (s *Server) updateBooking(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in bookings.Patch) (any, error) {
		return s.Bookings.Update(ctx, a, c.Param("id"), in)
	})
}

// cancelBooking answers 200 with the canceled booking rather than 204: the
// caller needs its new sequence and status, and a built-in booking's
// ics_url now serves the CANCEL to send to attendees. Canceling again is
// 200 too.
func (s *Server) cancelBooking(c echo.Context) error {
	return asCaller(c, http.StatusOK, func(ctx context.Context, a actor.Actor) (any, error) {
		return s.Bookings.Cancel(ctx, a, c.Param("id"))
	})
}

func (s *Server) retryBooking(c echo.Context) error {
	return asCaller(c, http.StatusOK, func(ctx context.Context, a actor.Actor) (any, error) {
		return s.Bookings.Retry(ctx, a, c.Param("id"))
	})
}

// bookingInvitation serves a built-in booking's invitation: METHOD:REQUEST
// while it stands, METHOD:CANCEL once canceled, always with the same UID
// and the booking's sequence. Anyone who may read the booking may download
// it.
func (s *Server) bookingInvitation(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	b, err := s.Bookings.Get(c.Request().Context(), a, c.Param("id"))
	if err != nil {
		return err
	}
	if b.Provider != bookings.ProviderBuiltin {
		return apperr.NotFoundf("this booking is on %s Calendar; %s sends the invitation itself",
			providerTitle(b.Provider), providerTitle(b.Provider))
	}
	v := bookingView(b)
	m := v.Method()
	body, err := builtin.InvitationICS(v, m)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment",
		map[string]string{"filename": "debrief-" + b.ID + ".ics"}))
	// The invitation changes with the booking: never serve a stale one.
	h.Set("Cache-Control", "private, no-cache")
	return c.Blob(http.StatusOK, builtin.InvitationContentType(m), body)
}

func providerTitle(p string) string {
	if p == bookings.ProviderGoogle {
		return "Google"
	}
	return p
}

// feedURL is what createFeed returns.
type feedURL struct {
	URL string `json:"url"`
}

// createFeed issues (or replaces) a person's secret calendar feed URL. The
// token is shown only here, so the answer must not be cached.
func (s *Server) createFeed(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	token, err := s.Bookings.CreateFeed(c.Request().Context(), a, c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, feedURL{URL: s.absoluteURL(c, feedPrefix+url.PathEscape(token)+".ics")})
}

func (s *Server) revokeFeed(c echo.Context) error {
	return noContent(c, func(ctx context.Context, a actor.Actor) error {
		return s.Bookings.RevokeFeed(ctx, a, c.Param("id"))
	})
}

// calendarFeed serves GET /feeds/<token>.ics with no session: the token is
// the credential. A wrong, revoked or malformed token is the same 404.
func (s *Server) calendarFeed(c echo.Context) error {
	raw := c.Param("token")
	// The token is a secret: keep it out of the access log and of problem
	// documents, which both read the request path after this handler.
	req := c.Request()
	u := *req.URL
	u.Path, u.RawPath, u.RawQuery = feedPrefix+"{token}.ics", "", ""
	redacted := req.WithContext(req.Context())
	redacted.URL = &u
	c.SetRequest(redacted)

	token, ok := strings.CutSuffix(raw, ".ics")
	if !ok || token == "" {
		return apperr.NotFoundf("calendar feed not found")
	}
	person, items, err := s.Bookings.FeedBookings(req.Context(), token)
	if err != nil {
		return err
	}
	views := make([]builtin.BookingView, len(items))
	for i, b := range items {
		views[i] = bookingView(b)
	}
	body, err := builtin.FeedICS(person.Name, views)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", builtin.FeedCacheControl)
	return c.Blob(http.StatusOK, builtin.ContentType, body)
}

// absoluteURL makes path absolute: on DEBRIEF_BASE_URL when set, else on
// the scheme and host the request came to.
func (s *Server) absoluteURL(c echo.Context, path string) string {
	if s.BaseURL != "" {
		return strings.TrimRight(s.BaseURL, "/") + path
	}
	return c.Scheme() + "://" + c.Request().Host + path
}

// bookingView is what the built-in calendar's .ics renderer needs to know
// about a booking.
func bookingView(b bookings.Booking) builtin.BookingView {
	v := builtin.BookingView{
		BookingID: b.ID, Title: b.Title, Description: b.Description,
		Start: b.Start, End: b.End,
		OrganizerName: b.Organizer.Name, OrganizerEmail: b.Organizer.Email,
		Cancelled: b.Status == bookings.StatusCanceled,
		Sequence:  b.Sequence, VideoURL: b.MeetURL, Updated: b.UpdatedAt,
		Attendees: make([]builtin.BookingAttendee, 0, len(b.Attendees)),
	}
	if v.OrganizerName == v.OrganizerEmail {
		// A calendar that is no person has only its address.
		v.OrganizerName = ""
	}
	for _, at := range b.Attendees {
		v.Attendees = append(v.Attendees, builtin.BookingAttendee{Name: at.Person.Name, Email: at.Person.Email,
			Optional: at.Optional, Response: calendar.Response(at.Response)})
	}
	return v
}
