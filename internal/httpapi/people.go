package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/people"
)

func (s *Server) listLevels(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err
	}
	levels, err := s.People.Levels(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(levels))
}

type replaceLevelsRequest struct {
	Levels []people.LevelInput `json:"levels"`
}

func (s *Server) replaceLevels(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in replaceLevelsRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Levels == nil {
		return &apperr.Error{Code: apperr.Invalid, Message: "levels is required",
			Fields: []apperr.FieldError{{Field: "levels", Message: "is required"}}}
	}
	levels, err := s.People.ReplaceLevels(c.Request().Context(), a, in.Levels)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(levels))
}

func (s *Server) listPeople(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err
	}
	f := people.ListFilter{Q: c.QueryParam("q"), Team: c.QueryParam("team"), Level: c.QueryParam("level"),
		Active: people.ActiveFilter(c.QueryParam("active")), Cursor: c.QueryParam("cursor")}
	n, err := limitParam(c)
	if err != nil {
		return err
	}
	f.Limit = n
	res, err := s.People.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(res.Items, res.NextCursor))
}

func (s *Server) listTeams(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err
	}
	teams, err := s.People.Teams(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(teams))
}

func (s *Server) getPerson(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err
	}
	p, err := s.People.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) createPerson(c echo.Context) error {
	return withBody(c, http.StatusCreated, func(ctx context.Context, a actor.Actor, in people.PersonInput) (any, error) {
		return s.People.Create(ctx, a, in)
	})
}

func (s *Server) updatePerson(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in people.PersonPatch) (any, error) {
		return s.People.Update(ctx, a, c.Param("id"), in)
	})
}

func (s *Server) importPeople(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	dry := false
	if v := c.QueryParam("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return &apperr.Error{Code: apperr.Invalid, Message: "dry_run must be true or false",
				Fields: []apperr.FieldError{{Field: "dry_run", Message: "must be true or false"}}}
		}
		dry = b
	}
	if !a.RunsEvents() {
		// Refuse before reading a possibly large body.
		return apperr.Forbiddenf("only admins and facilitators can import people")
	}
	body, err := readBody(c, "text/csv")
	if err != nil {
		return err
	}
	rep, err := s.People.Import(c.Request().Context(), a, bytes.NewReader(body), dry)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}
