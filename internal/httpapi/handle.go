package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/actor"
)

// Most handlers do the same four things: find the caller, read the body,
// ask a feature service, write its answer. These helpers hold that shape
// once, so a handler says only which service call it makes.

// withBody decodes the JSON body into an In and answers status with what
// fn returns.
func withBody[In any](c echo.Context, status int, fn func(ctx context.Context, a actor.Actor, in In) (any, error)) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in In
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := fn(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

// asCaller answers status with what fn returns for the caller.
func asCaller(c echo.Context, status int, fn func(ctx context.Context, a actor.Actor) (any, error)) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	out, err := fn(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

// noContent runs fn for the caller and answers 204.
func noContent(c echo.Context, fn func(ctx context.Context, a actor.Actor) error) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	if err := fn(c.Request().Context(), a); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
