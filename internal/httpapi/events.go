package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/events"
)

func (s *Server) listEvents(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	f := events.ListFilter{Kind: events.Kind(q.Get("kind")), Status: events.Status(q.Get("status")),
		System: q.Get("system"), From: q.Get("from"), To: q.Get("to"), Q: q.Get("q")}
	res, err := s.Events.List(c.Request().Context(), a, f, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(res.Items, res.NextCursor))
}

func (s *Server) listSystems(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	sys, err := s.Events.Systems(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(sys))
}

func (s *Server) createEvent(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in events.EventInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ev, err := s.Events.Create(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ev)
}

func (s *Server) getEvent(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	ev, err := s.Events.Get(c.Request().Context(), a, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ev)
}

func (s *Server) updateEvent(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in events.EventPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	ev, err := s.Events.Update(c.Request().Context(), a, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ev)
}

func (s *Server) listTimeline(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	items, err := s.Events.Timeline(c.Request().Context(), a, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(items))
}

func (s *Server) addTimelineEntry(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in events.TimelineEntryInput
	if err := bind(c, &in); err != nil {
		return err
	}
	e, err := s.Events.AddTimelineEntry(c.Request().Context(), a, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}

func (s *Server) updateTimelineEntry(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in events.TimelineEntryPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	e, err := s.Events.UpdateTimelineEntry(c.Request().Context(), a, c.Param("id"), c.Param("entry_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

func (s *Server) deleteTimelineEntry(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	if err := s.Events.DeleteTimelineEntry(c.Request().Context(), a, c.Param("id"), c.Param("entry_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) addInvolvement(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in events.InvolvementInput
	if err := bind(c, &in); err != nil {
		return err
	}
	inv, err := s.Events.AddInvolvement(c.Request().Context(), a, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, inv)
}

func (s *Server) updateInvolvement(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in events.InvolvementPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	inv, err := s.Events.UpdateInvolvement(c.Request().Context(), a, c.Param("id"), c.Param("inv_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, inv)
}

func (s *Server) deleteInvolvement(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	if err := s.Events.DeleteInvolvement(c.Request().Context(), a, c.Param("id"), c.Param("inv_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) addReference(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in events.ReferenceInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ref, err := s.Events.AddReference(c.Request().Context(), a, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ref)
}

func (s *Server) updateReference(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in events.ReferencePatch
	if err := bind(c, &in); err != nil {
		return err
	}
	ref, err := s.Events.UpdateReference(c.Request().Context(), a, c.Param("id"), c.Param("ref_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ref)
}

func (s *Server) deleteReference(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	if err := s.Events.DeleteReference(c.Request().Context(), a, c.Param("id"), c.Param("ref_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
