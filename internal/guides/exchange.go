package guides

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
)

// ParseFormat reads a format name as the export endpoint takes it.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "json":
		return FormatJSON, nil
	case "markdown", "md":
		return FormatMarkdown, nil
	}
	return "", &apperr.Error{Code: apperr.Invalid, Message: "format must be json or markdown",
		Fields: []apperr.FieldError{{Field: "format", Message: "must be json or markdown"}}}
}

func toDocument(g guideRow, v GuideVersion) Document {
	return Document{
		Format: FormatMarker, Title: v.Title, Kind: v.Kind, Description: v.Description,
		SuggestedMinutes: v.Content.SuggestedMinutes, Opener: v.Content.Opener,
		Questions: v.Content.Questions, Closer: v.Content.Closer,
		Source: &SourceInfo{GuideID: g.ID, Slug: g.Slug, Version: v.Version, Builtin: g.Builtin},
	}
}

// Export serializes a version of a guide (0 = current) as a
// debrief-guide/1 JSON document or as Markdown in the same shape.
func (s *Service) Export(ctx context.Context, a actor.Actor, ref string, version int, format Format) (Export, error) {
	if err := canRead(a); err != nil {
		return Export{}, err
	}
	if version < 0 {
		return Export{}, &apperr.Error{Code: apperr.Invalid, Message: "version must be 1 or more",
			Fields: []apperr.FieldError{{Field: "version", Message: "must be 1 or more"}}}
	}
	g, err := findGuide(ctx, s.db, ref)
	if err != nil {
		return Export{}, err
	}
	row, err := findVersion(ctx, s.db, g, version)
	if err != nil {
		return Export{}, err
	}
	v, err := row.toVersion(Kind(g.Kind))
	if err != nil {
		return Export{}, err
	}
	doc := toDocument(g, v)
	base := fmt.Sprintf("%s-v%d", g.Slug, v.Version)
	switch format {
	case FormatJSON:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return Export{}, fmt.Errorf("encode guide: %w", err)
		}
		return Export{Filename: base + ".json", ContentType: "application/json", Body: buf.Bytes()}, nil
	case FormatMarkdown:
		return Export{Filename: base + ".md", ContentType: "text/markdown; charset=utf-8",
			Body: []byte(writeMarkdown(doc))}, nil
	}
	return Export{}, apperr.Invalidf("format must be json or markdown")
}

// Import creates a custom guide at version 1 from a JSON or Markdown
// document. Problems come back as field errors: JSON paths for JSON
// ("questions[2].text"), line numbers for Markdown ("line 14").
func (s *Service) Import(ctx context.Context, a actor.Actor, format Format, body []byte) (GuideDetail, error) {
	if err := canWrite(a); err != nil {
		return GuideDetail{}, err
	}
	var (
		title, description string
		kind               Kind
		content            Content
		err                error
	)
	switch format {
	case FormatJSON:
		title, description, kind, content, err = parseDocumentJSON(body)
	case FormatMarkdown:
		title, description, kind, content, err = parseMarkdown(string(body))
	default:
		return GuideDetail{}, apperr.Invalidf("import takes JSON or Markdown")
	}
	if err != nil {
		return GuideDetail{}, err
	}
	return s.insertGuide(ctx, a, newGuide{title: title, description: description, kind: kind, content: content,
		note: "Imported", auditAction: AuditImported})
}

// parseDocumentJSON reads and validates a debrief-guide/1 JSON document.
func parseDocumentJSON(b []byte) (string, string, Kind, Content, error) {
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return "", "", "", Content{}, jsonProblem(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return "", "", "", Content{}, apperr.Invalidf("the document must hold a single JSON object")
	}
	var f apperr.Fields
	if doc.Format != FormatMarker {
		f.Add("format", "must be %q; this file is not a Debrief guide document", FormatMarker)
	}
	title, description, _ := cleanMeta(&f, doc.Title, doc.Description, "")
	checkKind(&f, "kind", doc.Kind)
	content, err := cleanContent(&f, "", Content{Opener: doc.Opener, Questions: doc.Questions, Closer: doc.Closer,
		SuggestedMinutes: doc.SuggestedMinutes})
	if err != nil {
		return "", "", "", Content{}, err
	}
	if err := f.Err(); err != nil {
		return "", "", "", Content{}, err
	}
	return title, description, doc.Kind, content, nil
}

// jsonProblem turns a decoding error into words a person can act on.
func jsonProblem(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return apperr.Invalidf("the document is empty; send a debrief-guide/1 JSON object")
	case errors.As(err, &syn):
		return apperr.Invalidf("the document is not valid JSON (at byte %d): %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "document"
		}
		return &apperr.Error{Code: apperr.Invalid, Message: field + " has the wrong type",
			Fields: []apperr.FieldError{{Field: field, Message: "has the wrong type (got JSON " + typ.Value + ")"}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apperr.Error{Code: apperr.Invalid, Message: "unknown field " + name,
			Fields: []apperr.FieldError{{Field: name, Message: "is not a field of a debrief-guide/1 document"}}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Invalidf("the document ends in the middle of a JSON value")
	}
	return apperr.Invalidf("the document could not be read as JSON: %v", err)
}
