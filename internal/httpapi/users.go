package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/pagination"
)

type listResponse[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

type itemsResponse[T any] struct {
	Items []T `json:"items"`
}

func list[T any](items []T, next string) listResponse[T] {
	if items == nil {
		items = []T{}
	}
	return listResponse[T]{Items: items, NextCursor: next}
}

func itemsOf[T any](items []T) itemsResponse[T] {
	if items == nil {
		items = []T{}
	}
	return itemsResponse[T]{Items: items}
}

func (s *Server) listUsers(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	users, next, err := s.Accounts.ListUsers(c.Request().Context(), a,
		accounts.UserFilter{Q: c.QueryParam("q"), Role: c.QueryParam("role"), Page: page})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(users, next))
}

func (s *Server) createUser(c echo.Context) error {
	return withBody(c, http.StatusCreated, func(ctx context.Context, a actor.Actor, in accounts.NewUser) (any, error) {
		return s.Accounts.CreateUser(ctx, a, in)
	})
}

func (s *Server) getUser(c echo.Context) error {
	return asCaller(c, http.StatusOK, func(ctx context.Context, a actor.Actor) (any, error) {
		return s.Accounts.GetUser(ctx, a, c.Param("id"))
	})
}

func (s *Server) updateUser(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in accounts.UserPatch) (any, error) {
		return s.Accounts.UpdateUser(ctx, a, c.Param("id"), in)
	})
}

func (s *Server) listTokens(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	toks, err := s.Accounts.ListTokens(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(toks))
}

type newTokenRequest struct {
	Name string `json:"name"`
}

func (s *Server) createToken(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in newTokenRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	tok, err := s.Accounts.CreateToken(c.Request().Context(), a, in.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, tok)
}

func (s *Server) revokeToken(c echo.Context) error {
	return noContent(c, func(ctx context.Context, a actor.Actor) error {
		return s.Accounts.RevokeToken(ctx, a, c.Param("id"))
	})
}

// pageParams reads limit and cursor.
func pageParams(c echo.Context) (pagination.Page, error) {
	n, err := limitParam(c)
	if err != nil {
		return pagination.Page{}, err
	}
	return pagination.Page{Cursor: c.QueryParam("cursor"), Limit: n}.Normalize()
}

// limitParam reads ?limit=, 0 when absent. An explicit 0 is refused here
// because services read 0 as "use the default".
func limitParam(c echo.Context) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return 0, nil
	}
	n, err := atoiField("limit", v)
	if err != nil {
		return 0, err
	}
	if n < 1 || n > pagination.MaxLimit {
		return 0, &apperr.Error{Code: apperr.Invalid, Message: "limit must be between 1 and 200",
			Fields: []apperr.FieldError{{Field: "limit", Message: "must be between 1 and 200"}}}
	}
	return n, nil
}
