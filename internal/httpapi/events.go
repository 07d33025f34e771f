package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/actor"
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
	return withBody(c, http.StatusCreated, func(ctx context.Context, a actor.Actor, in events.EventInput) (any, error) {
		return s.Events.Create(ctx, a, in)
	})
}

func (s *Server) getEvent(c echo.Context) error {
	return asCaller(c, http.StatusOK, func(ctx context.Context, a actor.Actor) (any, error) {
		return s.Events.Get(ctx, a, c.Param("id"))
	})
}

func (s *Server) updateEvent(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in events.EventPatch) (any, error) {
		return s.Events.Update(ctx, a, c.Param("id"), in)
	})
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
	return withBody(c, http.StatusCreated, func(ctx context.Context, a actor.Actor, in events.TimelineEntryInput) (any, error) {
		return s.Events.AddTimelineEntry(ctx, a, c.Param("id"), in)
	})
}

func (s *Server) updateTimelineEntry(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in events.TimelineEntryPatch) (any, error) {
		return s.Events.UpdateTimelineEntry(ctx, a, c.Param("id"), c.Param("entry_id"), in)
	})
}

func (s *Server) deleteTimelineEntry(c echo.Context) error {
	return noContent(c, func(ctx context.Context, a actor.Actor) error {
		return s.Events.DeleteTimelineEntry(ctx, a, c.Param("id"), c.Param("entry_id"))
	})
}

func (s *Server) addInvolvement(c echo.Context) error {
	return withBody(c, http.StatusCreated, func(ctx context.Context, a actor.Actor, in events.InvolvementInput) (any, error) {
		return s.Events.AddInvolvement(ctx, a, c.Param("id"), in)
	})
}

func (s *Server) updateInvolvement(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in events.InvolvementPatch) (any, error) {
		return s.Events.UpdateInvolvement(ctx, a, c.Param("id"), c.Param("inv_id"), in)
	})
}

func (s *Server) deleteInvolvement(c echo.Context) error {
	return noContent(c, func(ctx context.Context, a actor.Actor) error {
		return s.Events.DeleteInvolvement(ctx, a, c.Param("id"), c.Param("inv_id"))
	})
}

func (s *Server) addReference(c echo.Context) error {
	return withBody(c, http.StatusCreated, func(ctx context.Context, a actor.Actor, in events.ReferenceInput) (any, error) {
		return s.Events.AddReference(ctx, a, c.Param("id"), in)
	})
}

func (s *Server) updateReference(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in events.ReferencePatch) (any, error) {
		return s.Events.UpdateReference(ctx, a, c.Param("id"), c.Param("ref_id"), in)
	})
}

func (s *Server) deleteReference(c echo.Context) error {
	return noContent(c, func(ctx context.Context, a actor.Actor) error {
		return s.Events.DeleteReference(ctx, a, c.Param("id"), c.Param("ref_id"))
	})
}
