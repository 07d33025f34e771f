package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/availability"
)

// findAvailability ranks meeting times for a set of people. Admins and
// facilitators only (the service decides): the answer shows when people
// are busy.
func (s *Server) findAvailability(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in availability.Request) (any, error) {
		return s.Availability.Find(ctx, a, in)
	})
}
