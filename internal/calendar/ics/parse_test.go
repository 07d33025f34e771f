package ics_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/debrief-dev/debrief/internal/calendar/ics"
)

func TestParseUnfoldsAndSplits(t *testing.T) {
	doc := crlf(
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"BEGIN:VEVENT",
		`ATTENDEE;CN="Lee, Sam";ROLE=OPT-PARTICIPANT;DELEGATED-TO="mailto:a@x","mai`,
		" lto:b@x\";X-NOTE=up^^^nnext:mailto:sam@example.com",
		`SUMMARY:one\, two\; three\\four\nfive\Nsix`,
		"DESCRIPTION:日本",
		"\t語",
		"END:VEVENT",
		"END:VCALENDAR",
	)
	cal, err := ics.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	e := cal.Children("vevent")[0]
	att, ok := e.Property("attendee")
	if !ok || att.Value != "mailto:sam@example.com" {
		t.Fatalf("ATTENDEE %+v", att)
	}
	want := []ics.Param{
		{Name: "CN", Values: []string{"Lee, Sam"}},
		{Name: "ROLE", Values: []string{"OPT-PARTICIPANT"}},
		{Name: "DELEGATED-TO", Values: []string{"mailto:a@x", "mailto:b@x"}},
		{Name: "X-NOTE", Values: []string{"up^\nnext"}},
	}
	if len(att.Params) != len(want) {
		t.Fatalf("params %+v", att.Params)
	}
	for i := range want {
		if att.Params[i].Name != want[i].Name || strings.Join(att.Params[i].Values, "|") != strings.Join(want[i].Values, "|") {
			t.Errorf("param %d = %+v, want %+v", i, att.Params[i], want[i])
		}
	}
	sum, _ := e.Property("SUMMARY")
	if got, err := sum.Text(); err != nil || got != "one, two; three\\four\nfive\nsix" {
		t.Errorf("SUMMARY text %q (%v)", got, err)
	}
	desc, _ := e.Property("DESCRIPTION")
	if desc.Value != "日本語" {
		t.Errorf("DESCRIPTION %q", desc.Value)
	}
}

func TestParseIsStrict(t *testing.T) {
	ok := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "END:VCALENDAR"}
	for name, doc := range map[string]string{
		"empty":               "",
		"LF endings":          strings.Join(ok, "\n") + "\n",
		"no final CRLF":       strings.Join(ok, "\r\n"),
		"bare CR":             crlf("BEGIN:VCALENDAR", "X-A:a\rb", "END:VCALENDAR"),
		"76 octets":           crlf("BEGIN:VCALENDAR", "X-A:"+strings.Repeat("a", 72), "END:VCALENDAR"),
		"split UTF-8":         crlf("BEGIN:VCALENDAR", "X-A:\xc3", " \xa9", "END:VCALENDAR"),
		"empty line":          crlf("BEGIN:VCALENDAR", "", "END:VCALENDAR"),
		"leading fold":        crlf(" X", "BEGIN:VCALENDAR", "END:VCALENDAR"),
		"no colon":            crlf("BEGIN:VCALENDAR", "VERSION", "END:VCALENDAR"),
		"unterminated quote":  crlf("BEGIN:VCALENDAR", `X-A;CN="x:y`, "END:VCALENDAR"),
		"quote inside value":  crlf("BEGIN:VCALENDAR", `X-A;CN=a"b":y`, "END:VCALENDAR"),
		"bad param":           crlf("BEGIN:VCALENDAR", "X-A;CN:y", "END:VCALENDAR"),
		"mismatched END":      crlf("BEGIN:VCALENDAR", "BEGIN:VEVENT", "END:VCALENDAR"),
		"unclosed":            crlf("BEGIN:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT"),
		"two calendars":       crlf(append(ok, ok...)...),
		"not a VCALENDAR":     crlf("BEGIN:VCARD", "END:VCARD"),
		"property outside":    crlf("VERSION:2.0", "BEGIN:VCALENDAR", "END:VCALENDAR"),
		"bad component name":  crlf("BEGIN:VCALENDAR", "BEGIN:V EVENT", "END:V EVENT", "END:VCALENDAR"),
		"invalid UTF-8 value": crlf("BEGIN:VCALENDAR", "X-A:\xff", "END:VCALENDAR"),
	} {
		if _, err := ics.Parse([]byte(doc)); !errors.Is(err, ics.ErrSyntax) {
			t.Errorf("%s: err = %v, want ErrSyntax", name, err)
		}
	}
	if _, err := ics.Parse([]byte(crlf(ok...))); err != nil {
		t.Errorf("minimal calendar refused: %v", err)
	}
}

func TestTextUnescapeIsStrict(t *testing.T) {
	for _, v := range []string{`a\xb`, `trailing\`, `\:`} {
		if _, err := (ics.Property{Name: "SUMMARY", Value: v}).Text(); !errors.Is(err, ics.ErrSyntax) {
			t.Errorf("%q: err = %v, want ErrSyntax", v, err)
		}
	}
}
