package guides

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"time"

	"github.com/debrief-dev/debrief/internal/actor"
)

// printFS holds the printable page's template and stylesheet. The
// stylesheet is served as its own file because the server's
// Content-Security-Policy (style-src 'self') forbids inline styles.
//
//go:embed print/guide.html.tmpl print/print.css
var printFS embed.FS

// PrintCSS returns the stylesheet the printable page links to.
func PrintCSS() ([]byte, error) {
	b, err := printFS.ReadFile("print/print.css")
	if err != nil {
		return nil, fmt.Errorf("read print stylesheet: %w", err)
	}
	return b, nil
}

// startedAtText formats the event's start in the rendered zone.
func startedAtText(r Rendered) string {
	if r.Event == nil {
		return ""
	}
	loc, err := time.LoadLocation(r.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return r.Event.StartedAt.In(loc).Format("Monday 2 January 2006, 15:04 MST")
}

// PrintHTML renders a guide as Render does and returns a standalone HTML
// page laid out for printing, with room to write under each question.
// stylesheet is the URL of PrintCSS as the server exposes it; the page
// loads nothing else.
func (s *Service) PrintHTML(ctx context.Context, a actor.Actor, in RenderInput, stylesheet string) ([]byte, error) {
	r, err := s.Render(ctx, a, in)
	if err != nil {
		return nil, err
	}
	return printPage(r, stylesheet)
}

func printPage(r Rendered, stylesheet string) ([]byte, error) {
	tmpl, err := template.New("guide.html.tmpl").Funcs(template.FuncMap{
		"paragraphs": paragraphs,
		"sections":   sectionList,
	}).ParseFS(printFS, "print/guide.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse print template: %w", err)
	}
	var buf bytes.Buffer
	err = tmpl.Execute(&buf, struct {
		R          Rendered
		Meta, For  string
		Stylesheet string
	}{R: r, Meta: metaLine(r), For: eventLine(r, startedAtText(r)), Stylesheet: stylesheet})
	if err != nil {
		return nil, fmt.Errorf("render print page: %w", err)
	}
	return buf.Bytes(), nil
}
