package httpapi

import (
	"context"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/guides"
)

// printStylesheet is where the printable guide page finds its styles; the
// page links to it because the Content-Security-Policy forbids inline ones.
const printStylesheet = "/api/v1/guides/print.css"

func (s *Server) listGuides(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	f := guides.ListFilter{Kind: guides.Kind(q.Get("kind")), Builtin: q.Get("builtin"), AddOn: q.Get("add_on"),
		Archived: guides.ArchivedFilter(q.Get("archived")), Q: q.Get("q")}
	res, err := s.Guides.List(c.Request().Context(), a, f, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(res.Items, res.NextCursor))
}

func (s *Server) createGuide(c echo.Context) error {
	return withBody(c, http.StatusCreated, func(ctx context.Context, a actor.Actor, in guides.GuideInput) (any, error) {
		return s.Guides.Create(ctx, a, in)
	})
}

func (s *Server) getGuide(c echo.Context) error {
	return asCaller(c, http.StatusOK, func(ctx context.Context, a actor.Actor) (any, error) {
		return s.Guides.Get(ctx, a, c.Param("id"))
	})
}

func (s *Server) saveGuide(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in guides.SaveInput) (any, error) {
		return s.Guides.Save(ctx, a, c.Param("id"), in)
	})
}

// copyGuide takes an optional body: with none, the copy is of the current
// version and named "Copy of <title>".
func (s *Server) copyGuide(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in guides.CopyInput
	if c.Request().ContentLength != 0 {
		if err := bind(c, &in); err != nil {
			return err
		}
	}
	g, err := s.Guides.Copy(c.Request().Context(), a, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, g)
}

func (s *Server) archiveGuide(c echo.Context) error   { return s.setGuideArchived(c, true) }
func (s *Server) unarchiveGuide(c echo.Context) error { return s.setGuideArchived(c, false) }

func (s *Server) setGuideArchived(c echo.Context, archived bool) error {
	return asCaller(c, http.StatusOK, func(ctx context.Context, a actor.Actor) (any, error) {
		return s.Guides.SetArchived(ctx, a, c.Param("id"), archived)
	})
}

func (s *Server) listGuideVersions(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	vs, err := s.Guides.Versions(c.Request().Context(), a, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(vs))
}

func (s *Server) getGuideVersion(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	v, err := atoiField("version", c.Param("version"))
	if err != nil {
		return err
	}
	gv, err := s.Guides.GetVersion(c.Request().Context(), a, c.Param("id"), v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, gv)
}

// optionalInt reads an optional whole-number query parameter; absent is 0.
func optionalInt(c echo.Context, name string) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	return atoiField(name, v)
}

func (s *Server) diffGuide(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	from, err := optionalInt(c, "from")
	if err != nil {
		return err
	}
	to, err := optionalInt(c, "to")
	if err != nil {
		return err
	}
	d, err := s.Guides.Diff(c.Request().Context(), a, c.Param("id"), from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func attachment(c echo.Context, e guides.Export) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment",
		map[string]string{"filename": e.Filename}))
	return c.Blob(http.StatusOK, e.ContentType, e.Body)
}

func (s *Server) exportGuide(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	format, err := guides.ParseFormat(c.QueryParam("format"))
	if err != nil {
		return err
	}
	v, err := optionalInt(c, "version")
	if err != nil {
		return err
	}
	e, err := s.Guides.Export(c.Request().Context(), a, c.Param("id"), v, format)
	if err != nil {
		return err
	}
	return attachment(c, e)
}

// importGuide takes a debrief-guide/1 document as application/json or the
// Markdown form as text/markdown.
func (s *Server) importGuide(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	if !a.RunsEvents() {
		// Refuse before reading a possibly large body.
		return apperr.Forbiddenf("only facilitators and admins can import guides")
	}
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	var format guides.Format
	switch mt {
	case echo.MIMEApplicationJSON:
		format = guides.FormatJSON
	case "text/markdown", "text/x-markdown":
		format = guides.FormatMarkdown
	default:
		return echo.NewHTTPError(http.StatusUnsupportedMediaType,
			"send a guide as application/json (debrief-guide/1) or text/markdown")
	}
	body, err := readBody(c, mt)
	if err != nil {
		return err
	}
	g, err := s.Guides.Import(c.Request().Context(), a, format, body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, g)
}

func (s *Server) renderGuide(c echo.Context) error {
	return withBody(c, http.StatusOK, func(ctx context.Context, a actor.Actor, in guides.RenderInput) (any, error) {
		return s.Guides.Render(ctx, a, in)
	})
}

// printInput reads what the print and PDF views render: the version in the
// path and, from the query, event_id, person_id, timezone and add_on_ids
// (repeated or comma-separated).
func printInput(c echo.Context) (guides.RenderInput, error) {
	v, err := atoiField("version", c.Param("version"))
	if err != nil {
		return guides.RenderInput{}, err
	}
	if v < 1 {
		return guides.RenderInput{}, &apperr.Error{Code: apperr.Invalid, Message: "version must be 1 or more",
			Fields: []apperr.FieldError{{Field: "version", Message: "must be 1 or more"}}}
	}
	q := c.QueryParams()
	in := guides.RenderInput{GuideID: c.Param("id"), Version: v, EventID: q.Get("event_id"),
		PersonID: q.Get("person_id"), Timezone: q.Get("timezone")}
	for _, raw := range q["add_on_ids"] {
		for id := range strings.SplitSeq(raw, ",") {
			if id = strings.TrimSpace(id); id != "" {
				in.AddOnIDs = append(in.AddOnIDs, id)
			}
		}
	}
	return in, nil
}

func (s *Server) printGuide(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	in, err := printInput(c)
	if err != nil {
		return err
	}
	page, err := s.Guides.PrintHTML(c.Request().Context(), a, in, printStylesheet)
	if err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, page)
}

func (s *Server) guidePDF(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	in, err := printInput(c)
	if err != nil {
		return err
	}
	e, err := s.Guides.PDF(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return attachment(c, e)
}

// guidePrintCSS serves the print stylesheet. It holds no data, so it needs
// no sign-in, and it changes only with a release.
func (s *Server) guidePrintCSS(c echo.Context) error {
	css, err := guides.PrintCSS()
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "text/css; charset=utf-8", css)
}
