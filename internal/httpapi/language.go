package httpapi

import (
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/langcheck"
)

// maxCheckRunes bounds one check: a long note is a few thousand words, and
// the checker's cost grows with the text.
const maxCheckRunes = 100_000

type languageCheckRequest struct {
	Text string `json:"text"`
	Kind string `json:"kind"`
}

type languageCheckResponse struct {
	Flags []langcheck.Flag `json:"flags"`
}

func (s *Server) checkLanguage(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err
	}
	var in languageCheckRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	var f apperr.Fields
	kind, err := langcheck.ParseKind(in.Kind)
	if err != nil {
		f.Add("kind", "must be one of question, note, finding, summary, quote")
	}
	if n := utf8.RuneCountInString(in.Text); n > maxCheckRunes {
		f.Add("text", "must be at most %d characters (got %d)", maxCheckRunes, n)
	}
	if err := f.Err(); err != nil {
		return err
	}
	flags := s.Language.Check(in.Text, kind)
	if flags == nil {
		flags = []langcheck.Flag{}
	}
	return c.JSON(http.StatusOK, languageCheckResponse{Flags: flags})
}

func (s *Server) languageCategories(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(langcheck.Categories()))
}
