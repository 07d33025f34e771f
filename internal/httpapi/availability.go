package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/availability"
)

// findAvailability ranks meeting times for a set of people. Admins and
// facilitators only (the service decides): the answer shows when people
// are busy.
func (s *Server) findAvailability(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in availability.Request
	if err := bind(c, &in); err != nil {
		return err
	}
	res, err := s.Availability.Find(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
