package httpapi

import (
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/langcheck"
	"github.com/debrief-dev/debrief/internal/settings"
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
	pref, err := s.Settings.Language(c.Request().Context())
	if err != nil {
		return err
	}
	// Filtering the result keeps one shared checker; the rules are the
	// same for everyone, only what a team wants to hear about differs.
	flags := []langcheck.Flag{}
	for _, fl := range s.Language.Check(in.Text, kind) {
		if !slices.Contains(pref.Disabled, fl.Category) {
			flags = append(flags, fl)
		}
	}
	return c.JSON(http.StatusOK, languageCheckResponse{Flags: flags})
}

func (s *Server) languageSettings(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err
	}
	l, err := s.Settings.Language(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

func (s *Server) setLanguageSettings(c echo.Context) error {
	a, err := caller(c)
	if err != nil {
		return err
	}
	var in settings.Language
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Disabled == nil {
		return &apperr.Error{Code: apperr.Invalid, Message: "disabled is required (an empty list enables every category)",
			Fields: []apperr.FieldError{{Field: "disabled", Message: "is required"}}}
	}
	l, err := s.Settings.SetLanguage(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

func (s *Server) languageCategories(c echo.Context) error {
	if _, err := caller(c); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(langcheck.Categories()))
}
