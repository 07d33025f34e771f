package httpapi

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/database"
)

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
}

// readyz answers 200 only when the database answers and its schema is
// current, so a load balancer sends no traffic to a process that would fail.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		return apperr.Wrap(apperr.Unavailable, err, "the database is not reachable")
	}
	if err := s.DB.Current(ctx); err != nil {
		if errors.Is(err, database.ErrPending) {
			return apperr.New(apperr.Unavailable, "the database has migrations that have not been applied; run `debrief migrate up`")
		}
		return apperr.Wrap(apperr.Unavailable, err, "could not read the migration state")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) metricsHandler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
}

func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", s.OpenAPI)
}

func atoiField(field, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &apperr.Error{Code: apperr.Invalid, Message: field + " must be a whole number",
			Fields: []apperr.FieldError{{Field: field, Message: "must be a whole number"}}}
	}
	return n, nil
}

const noWebApp = `<!doctype html><meta charset="utf-8"><title>Debrief</title>
<p>The Debrief API is running, but this binary was built without the web app.
Run <code>make build</code> (or <code>make run</code>) to build it.</p>`

// web serves the single-page app: real files as they are, with long cache
// lifetimes for Vite's content-hashed assets, and index.html for any other
// path so the app's client-side routes survive a reload.
func (s *Server) web(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if strings.HasPrefix(p, "api/") {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	if s.Web != nil && p != "" && p != "index.html" {
		if st, err := fs.Stat(s.Web, p); err == nil && !st.IsDir() {
			if strings.HasPrefix(p, "assets/") {
				c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			return serveFile(c, s.Web, p)
		}
		if path.Ext(p) != "" {
			return echo.NewHTTPError(http.StatusNotFound)
		}
	}
	if s.Web != nil {
		if b, err := fs.ReadFile(s.Web, "index.html"); err == nil {
			c.Response().Header().Set("Cache-Control", "no-cache")
			return c.HTMLBlob(http.StatusOK, b)
		}
	}
	return c.HTML(http.StatusOK, noWebApp)
}

func (s *Server) notFound(echo.Context) error { return echo.NewHTTPError(http.StatusNotFound) }

func serveFile(c echo.Context, fsys fs.FS, name string) error {
	f, err := fsys.Open(name)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	defer func() { _ = f.Close() }()
	st, err := f.Stat()
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	http.ServeContent(c.Response(), c.Request(), st.Name(), st.ModTime(), rs)
	return nil
}
