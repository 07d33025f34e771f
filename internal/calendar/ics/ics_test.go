package ics_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/debrief-dev/debrief/internal/calendar/ics"
)

func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// sampleEvent has something awkward in every field: separators in the
// summary and a display name, a line break and a backslash in the
// description, a non-UTC start, an accented name.
func sampleEvent(t *testing.T) ics.Event {
	ny := mustZone(t, "America/New_York")
	start := time.Date(2026, 3, 10, 10, 0, 0, 0, ny) // EDT since 8 March: 14:00Z
	return ics.Event{
		UID:         "0191d7a4-5b2c-7d3e-8f40-123456789abc@debrief",
		Stamp:       time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC),
		Start:       start,
		End:         start.Add(45 * time.Minute),
		Summary:     "Chat: checkout, payments; the 2 March event",
		Description: "Line one\nLine two with a back\\slash",
		Location:    "https://meet.example.com/abc-defg",
		URL:         "https://meet.example.com/abc-defg",
		Organizer:   ics.Address{Name: "Ana García", Email: "ana@example.com"},
		Attendees: []ics.Attendee{
			{Address: ics.Address{Name: "Lee, Sam", Email: "sam@example.com"}, RSVP: true},
			{Address: ics.Address{Name: "Kim", Email: "kim@example.com"}, Optional: true, RSVP: true},
		},
	}
}

func TestInvitationRequestExactLines(t *testing.T) {
	got, err := ics.Invitation(ics.Request, sampleEvent(t))
	if err != nil {
		t.Fatal(err)
	}
	want := crlf(
		"BEGIN:VCALENDAR",
		"PRODID:-//Debrief//Debrief calendar//EN",
		"VERSION:2.0",
		"CALSCALE:GREGORIAN",
		"METHOD:REQUEST",
		"BEGIN:VEVENT",
		"UID:0191d7a4-5b2c-7d3e-8f40-123456789abc@debrief",
		"SEQUENCE:0",
		"DTSTAMP:20260302T091500Z",
		"DTSTART:20260310T140000Z",
		"DTEND:20260310T144500Z",
		`SUMMARY:Chat: checkout\, payments\; the 2 March event`,
		`DESCRIPTION:Line one\nLine two with a back\\slash`,
		"LOCATION:https://meet.example.com/abc-defg",
		"URL:https://meet.example.com/abc-defg",
		"ORGANIZER;CN=Ana García:mailto:ana@example.com",
		// Exactly 75 octets before the fold; the quoted CN holds a comma.
		`ATTENDEE;CN="Lee, Sam";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE`,
		" :mailto:sam@example.com",
		"ATTENDEE;CN=Kim;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto",
		" :kim@example.com",
		"STATUS:CONFIRMED",
		"TRANSP:OPAQUE",
		"END:VEVENT",
		"END:VCALENDAR",
	)
	if string(got) != want {
		t.Fatalf("output differs\n got:\n%s\nwant:\n%s", show(string(got)), show(want))
	}
}

// show makes CRLF visible in failure messages.
func show(s string) string { return strings.ReplaceAll(s, "\r\n", "⏎\n") }

func TestCancelExactLines(t *testing.T) {
	ev := sampleEvent(t)
	ev.Sequence = 2
	ev.Attendees = ev.Attendees[1:]
	ev.Description = ""
	ev.Location, ev.URL = "", ""
	ev.Organizer.Name = ""
	ev.LastModified = ev.Stamp
	got, err := ics.Invitation(ics.Cancel, ev)
	if err != nil {
		t.Fatal(err)
	}
	want := crlf(
		"BEGIN:VCALENDAR",
		"PRODID:-//Debrief//Debrief calendar//EN",
		"VERSION:2.0",
		"CALSCALE:GREGORIAN",
		"METHOD:CANCEL",
		"BEGIN:VEVENT",
		"UID:0191d7a4-5b2c-7d3e-8f40-123456789abc@debrief",
		"SEQUENCE:2",
		"DTSTAMP:20260302T091500Z",
		"DTSTART:20260310T140000Z",
		"DTEND:20260310T144500Z",
		`SUMMARY:Chat: checkout\, payments\; the 2 March event`,
		"ORGANIZER:mailto:ana@example.com",
		"ATTENDEE;CN=Kim;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto",
		" :kim@example.com",
		"STATUS:CANCELLED",
		"TRANSP:TRANSPARENT",
		"LAST-MODIFIED:20260302T091500Z",
		"END:VEVENT",
		"END:VCALENDAR",
	)
	if string(got) != want {
		t.Fatalf("output differs\n got:\n%s\nwant:\n%s", show(string(got)), show(want))
	}
}

func TestTextEscaping(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`plain: colons stay`, `plain: colons stay`},
		{`a\b`, `a\\b`},
		{`a;b,c`, `a\;b\,c`},
		{"one\ntwo", `one\ntwo`},
		{"one\r\ntwo", `one\ntwo`},
		{"one\rtwo", `one\ntwo`},
		{"one\n\ntwo", `one\n\ntwo`},
		{"tab\tkept, bell\a and nul\x00 and del\x7f dropped", `tab` + "\t" + `kept\, bell and nul and del dropped`},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
		{`\n is not a newline`, `\\n is not a newline`},
	} {
		ev := sampleEvent(t)
		ev.Summary = tc.in
		out, err := ics.Invitation(ics.Request, ev)
		if err != nil {
			t.Fatal(err)
		}
		line := findLine(t, string(out), "SUMMARY:")
		if got := strings.TrimPrefix(line, "SUMMARY:"); got != tc.want {
			t.Errorf("escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// findLine returns the unfolded content line starting with prefix.
func findLine(t *testing.T, doc, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(strings.ReplaceAll(doc, "\r\n ", ""), "\r\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("no line starting %q in\n%s", prefix, show(doc))
	return ""
}

func TestParamEncoding(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Ana García", "CN=Ana García"},
		{"Lee, Sam", `CN="Lee, Sam"`},
		{"ops: on-call", `CN="ops: on-call"`},
		{"a;b", `CN="a;b"`},
		// RFC 6868: ^ ^^, " ^', newline ^n.
		{`Sam "the fixer" Lee`, `CN=Sam ^'the fixer^' Lee`},
		{"up^down", "CN=up^^down"},
		{"two\nlines", "CN=two^nlines"},
		{"Lee, \"Sam\"", `CN="Lee, ^'Sam^'"`},
	} {
		ev := sampleEvent(t)
		ev.Organizer.Name = tc.name
		out, err := ics.Invitation(ics.Request, ev)
		if err != nil {
			t.Fatal(err)
		}
		want := "ORGANIZER;" + tc.want + ":mailto:ana@example.com"
		if got := findLine(t, string(out), "ORGANIZER"); got != want {
			t.Errorf("CN %q: got %q, want %q", tc.name, got, want)
		}
		// And the parser gives the name back.
		cal, err := ics.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		org, _ := cal.Children("VEVENT")[0].Property("ORGANIZER")
		if got, _ := org.Param("CN"); got != tc.name {
			t.Errorf("CN %q came back as %q", tc.name, got)
		}
	}
}

func TestFoldingCountsOctetsNotRunes(t *testing.T) {
	// "DESCRIPTION:" is 12 octets and "é" is 2, so octet 75 is the middle
	// of the 32nd é: the first line must stop at 74 octets.
	ev := sampleEvent(t)
	ev.Description = strings.Repeat("é", 40)
	out, err := ics.Invitation(ics.Request, ev)
	if err != nil {
		t.Fatal(err)
	}
	want := "DESCRIPTION:" + strings.Repeat("é", 31) + "\r\n " + strings.Repeat("é", 9) + "\r\n"
	if !strings.Contains(string(out), want) {
		t.Fatalf("want the fold before the split é:\n%s", show(string(out)))
	}

	// Exactly 75 ASCII octets stay on one line; 76 fold after 75.
	ev = sampleEvent(t)
	ev.Description = strings.Repeat("x", 75-len("DESCRIPTION:"))
	out, _ = ics.Invitation(ics.Request, ev)
	if !strings.Contains(string(out), "\r\nDESCRIPTION:"+ev.Description+"\r\nLOCATION:") {
		t.Fatalf("a 75-octet line was folded:\n%s", show(string(out)))
	}
	ev.Description += "y"
	out, _ = ics.Invitation(ics.Request, ev)
	if !strings.Contains(string(out), "\r\nDESCRIPTION:"+ev.Description[:63]+"\r\n y\r\nLOCATION:") {
		t.Fatalf("a 76-octet line was not folded after 75:\n%s", show(string(out)))
	}

	// Every width of character at every offset: no physical line over 75
	// octets, none with a broken UTF-8 sequence, and unfolding restores
	// the content.
	for _, r := range []string{"é", "日", "🙂", "a"} {
		for pad := range 4 {
			ev := sampleEvent(t)
			ev.Description = strings.Repeat("p", pad) + strings.Repeat(r, 200)
			out, err := ics.Invitation(ics.Request, ev)
			if err != nil {
				t.Fatal(err)
			}
			checkPhysicalLines(t, string(out))
			if got := findLine(t, string(out), "DESCRIPTION:"); got != "DESCRIPTION:"+ev.Description {
				t.Errorf("%q pad %d: unfolded to %q", r, pad, got)
			}
		}
	}
}

func checkPhysicalLines(t *testing.T, doc string) {
	t.Helper()
	if !strings.HasSuffix(doc, "\r\n") {
		t.Fatal("output does not end with CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(doc, "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
	}
}

func TestFeedSeveralEvents(t *testing.T) {
	base := sampleEvent(t)
	var events []ics.Event
	for i, uid := range []string{"a@debrief", "b@debrief", "c@debrief"} {
		ev := base
		ev.UID = uid
		ev.Start = base.Start.Add(time.Duration(i) * 24 * time.Hour)
		ev.End = ev.Start.Add(time.Hour)
		ev.Attendees = []ics.Attendee{{Address: ics.Address{Email: "sam@example.com"}, PartStat: ics.Accepted}}
		events = append(events, ev)
	}
	events[1].Status = ics.Cancelled
	events[1].Sequence = 3
	out, err := ics.Feed("Debrief chats for Sam", events)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(out)
	checkPhysicalLines(t, doc)
	head := crlf(
		"BEGIN:VCALENDAR",
		"PRODID:-//Debrief//Debrief calendar//EN",
		"VERSION:2.0",
		"CALSCALE:GREGORIAN",
		"NAME:Debrief chats for Sam",
		"X-WR-CALNAME:Debrief chats for Sam",
		"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
		"X-PUBLISHED-TTL:PT1H",
		"BEGIN:VEVENT",
		"UID:a@debrief",
	)
	if !strings.HasPrefix(doc, head) {
		t.Fatalf("feed header differs:\n%s", show(doc))
	}
	if strings.Contains(doc, "METHOD:") {
		t.Error("a feed must not carry METHOD")
	}
	if strings.Contains(doc, "RSVP") {
		t.Error("a feed must not ask for replies")
	}
	cal, err := ics.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	vevents := cal.Children("VEVENT")
	if len(vevents) != 3 {
		t.Fatalf("%d events, want 3", len(vevents))
	}
	for i, want := range []struct{ uid, seq, status, transp string }{
		{"a@debrief", "0", "CONFIRMED", "OPAQUE"},
		{"b@debrief", "3", "CANCELLED", "TRANSPARENT"},
		{"c@debrief", "0", "CONFIRMED", "OPAQUE"},
	} {
		for name, v := range map[string]string{"UID": want.uid, "SEQUENCE": want.seq, "STATUS": want.status, "TRANSP": want.transp} {
			if p, _ := vevents[i].Property(name); p.Value != v {
				t.Errorf("event %d %s = %q, want %q", i, name, p.Value, v)
			}
		}
		att, _ := vevents[i].Property("ATTENDEE")
		if ps, _ := att.Param("PARTSTAT"); ps != "ACCEPTED" {
			t.Errorf("event %d PARTSTAT = %q, want ACCEPTED", i, ps)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	ev := sampleEvent(t)
	ev.Sequence = 7
	ev.Summary = "Chat; with, every\\thing\nand 日本語 and 🙂 " + strings.Repeat("long ", 30)
	ev.Description = "Para one.\r\n\r\nPara two: \"quoted\", semi; colon: done."
	ev.Organizer.Name = `Ana "AG" García, SRE`
	ev.LastModified = ev.Stamp.Add(time.Minute)
	out, err := ics.Invitation(ics.Request, ev)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.Parse(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, show(string(out)))
	}
	text := func(c *ics.Component, name string) string {
		t.Helper()
		p, ok := c.Property(name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		s, err := p.Text()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s
	}
	if got := text(cal, "METHOD"); got != "REQUEST" {
		t.Errorf("METHOD %q", got)
	}
	ve := cal.Children("VEVENT")
	if len(ve) != 1 {
		t.Fatalf("%d VEVENTs", len(ve))
	}
	e := ve[0]
	for name, want := range map[string]string{
		"UID":           ev.UID,
		"SEQUENCE":      "7",
		"SUMMARY":       ev.Summary,
		"DESCRIPTION":   "Para one.\n\nPara two: \"quoted\", semi; colon: done.",
		"LOCATION":      ev.Location,
		"URL":           ev.URL,
		"DTSTART":       ev.Start.UTC().Format("20060102T150405Z"),
		"DTEND":         ev.End.UTC().Format("20060102T150405Z"),
		"LAST-MODIFIED": "20260302T091600Z",
		"STATUS":        "CONFIRMED",
	} {
		if got := text(e, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	org, _ := e.Property("ORGANIZER")
	if cn, _ := org.Param("CN"); cn != ev.Organizer.Name || org.Value != "mailto:ana@example.com" {
		t.Errorf("ORGANIZER CN %q value %q", cn, org.Value)
	}
	atts := e.All("ATTENDEE")
	if len(atts) != 2 {
		t.Fatalf("%d attendees", len(atts))
	}
	for i, want := range []struct{ cn, role, mail string }{
		{"Lee, Sam", "REQ-PARTICIPANT", "mailto:sam@example.com"},
		{"Kim", "OPT-PARTICIPANT", "mailto:kim@example.com"},
	} {
		cn, _ := atts[i].Param("CN")
		role, _ := atts[i].Param("ROLE")
		ps, _ := atts[i].Param("PARTSTAT")
		rsvp, _ := atts[i].Param("RSVP")
		if cn != want.cn || role != want.role || ps != "NEEDS-ACTION" || rsvp != "TRUE" || atts[i].Value != want.mail {
			t.Errorf("attendee %d: CN %q ROLE %q PARTSTAT %q RSVP %q value %q", i, cn, role, ps, rsvp, atts[i].Value)
		}
	}
}

func TestRequestUpdateCancelKeepUIDAndRaiseSequence(t *testing.T) {
	ev := sampleEvent(t)
	var docs []*ics.Component
	for _, step := range []struct {
		m     ics.Method
		seq   int
		shift time.Duration
	}{{ics.Request, 0, 0}, {ics.Request, 1, 2 * time.Hour}, {ics.Cancel, 2, 2 * time.Hour}} {
		ev := ev
		ev.Sequence = step.seq
		ev.Start, ev.End = ev.Start.Add(step.shift), ev.End.Add(step.shift)
		out, err := ics.Invitation(step.m, ev)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := ics.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, cal)
	}
	for i, want := range []struct{ method, seq, status string }{
		{"REQUEST", "0", "CONFIRMED"}, {"REQUEST", "1", "CONFIRMED"}, {"CANCEL", "2", "CANCELLED"},
	} {
		m, _ := docs[i].Property("METHOD")
		e := docs[i].Children("VEVENT")[0]
		uid, _ := e.Property("UID")
		seq, _ := e.Property("SEQUENCE")
		st, _ := e.Property("STATUS")
		if m.Value != want.method || seq.Value != want.seq || st.Value != want.status || uid.Value != ev.UID {
			t.Errorf("message %d: METHOD %s SEQUENCE %s STATUS %s UID %s", i, m.Value, seq.Value, st.Value, uid.Value)
		}
	}
}

func TestInvalidInputIsRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		m   ics.Method
		mod func(*ics.Event)
	}{
		"no uid":              {ics.Request, func(e *ics.Event) { e.UID = "" }},
		"uid with newline":    {ics.Request, func(e *ics.Event) { e.UID = "a\nb" }},
		"end before start":    {ics.Request, func(e *ics.Event) { e.End = e.Start.Add(-time.Minute) }},
		"end within a second": {ics.Request, func(e *ics.Event) { e.End = e.Start.Add(time.Millisecond) }},
		"no stamp":            {ics.Request, func(e *ics.Event) { e.Stamp = time.Time{} }},
		"negative sequence":   {ics.Request, func(e *ics.Event) { e.Sequence = -1 }},
		"no organizer":        {ics.Request, func(e *ics.Event) { e.Organizer = ics.Address{} }},
		"no attendees":        {ics.Cancel, func(e *ics.Event) { e.Attendees = nil }},
		"bad email":           {ics.Request, func(e *ics.Event) { e.Attendees[0].Email = "sam@example.com\r\nX-EVIL:1" }},
		"email without at":    {ics.Request, func(e *ics.Event) { e.Organizer.Email = "ana" }},
		"relative url":        {ics.Request, func(e *ics.Event) { e.URL = "/meet/abc" }},
		"javascript url":      {ics.Request, func(e *ics.Event) { e.URL = "javascript:alert(1)" }},
		"request cancelled":   {ics.Request, func(e *ics.Event) { e.Status = ics.Cancelled }},
		"cancel confirmed":    {ics.Cancel, func(e *ics.Event) { e.Status = ics.Confirmed }},
		"unknown status":      {ics.Request, func(e *ics.Event) { e.Status = "MAYBE" }},
		"unknown method":      {"PUBLISH", func(*ics.Event) {}},
		"unknown partstat":    {ics.Request, func(e *ics.Event) { e.Attendees[0].PartStat = "SURE" }},
		"year out of range":   {ics.Request, func(e *ics.Event) { e.End = e.End.AddDate(10000, 0, 0) }},
	} {
		ev := sampleEvent(t)
		ev.Attendees = append([]ics.Attendee(nil), ev.Attendees...)
		tc.mod(&ev)
		if _, err := ics.Invitation(tc.m, ev); !errors.Is(err, ics.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	ev := sampleEvent(t)
	if _, err := ics.Feed("x", []ics.Event{ev, ev}); !errors.Is(err, ics.ErrInvalid) {
		t.Errorf("duplicate UID in a feed: err = %v", err)
	}
	if _, err := ics.Marshal(ics.Calendar{Method: ics.Request, Events: []ics.Event{ev, ev}}); !errors.Is(err, ics.ErrInvalid) {
		t.Errorf("two events in a REQUEST: err = %v", err)
	}
	// A feed needs neither organizer nor attendees.
	ev.Organizer, ev.Attendees = ics.Address{}, nil
	if _, err := ics.Feed("x", []ics.Event{ev}); err != nil {
		t.Errorf("bare feed event refused: %v", err)
	}
	if _, err := ics.Feed("empty", nil); err != nil {
		t.Errorf("empty feed refused: %v", err)
	}
}

func TestSubSecondTimesAreTruncated(t *testing.T) {
	ev := sampleEvent(t)
	ev.Start = ev.Start.Add(900 * time.Millisecond)
	out, err := ics.Invitation(ics.Request, ev)
	if err != nil {
		t.Fatal(err)
	}
	if got := findLine(t, string(out), "DTSTART:"); got != "DTSTART:20260310T140000Z" {
		t.Errorf("got %q", got)
	}
}

// normalize is what TEXT can carry of s: valid UTF-8, LF line breaks, no
// other control characters.
func normalize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func FuzzTextRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a,b;c\\d", "x\r\ny", "日本語🙂é", strings.Repeat("é", 100), "\xff\xfe", "^\"'"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, name string) {
		ev := ics.Event{
			UID:       "fuzz@debrief",
			Stamp:     time.Unix(1_700_000_000, 0),
			Start:     time.Unix(1_700_000_000, 0),
			End:       time.Unix(1_700_003_600, 0),
			Summary:   text,
			Organizer: ics.Address{Name: name, Email: "o@example.com"},
			Attendees: []ics.Attendee{{Address: ics.Address{Name: name, Email: "a@example.com"}}},
		}
		out, err := ics.Invitation(ics.Request, ev)
		if err != nil {
			t.Fatal(err)
		}
		checkPhysicalLines(t, string(out))
		cal, err := ics.Parse(out)
		if err != nil {
			t.Fatalf("%v\n%s", err, show(string(out)))
		}
		e := cal.Children("VEVENT")[0]
		p, _ := e.Property("SUMMARY")
		got, err := p.Text()
		if err != nil || got != normalize(text) {
			t.Fatalf("summary %q came back as %q (%v)", text, got, err)
		}
		org, _ := e.Property("ORGANIZER")
		// Parameter values carry line breaks as ^n (a lone CR becomes one)
		// and drop other control characters, as TEXT does; a name with
		// nothing left is not written at all.
		want := normalize(name)
		if cn, ok := org.Param("CN"); cn != want || ok != (want != "") {
			t.Fatalf("CN %q came back as %q (present %v)", name, cn, ok)
		}
	})
}

func TestRefreshIntervalForms(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour:        "PT1H",
		5 * time.Minute:  "PT5M",
		90 * time.Second: "PT90S",
		// PT1H5S would be invalid: hours and seconds need the minutes.
		time.Hour + 5*time.Second: "PT3605S",
	} {
		out, err := ics.Marshal(ics.Calendar{Name: "x", RefreshInterval: d})
		if err != nil {
			t.Fatal(err)
		}
		if got := findLine(t, string(out), "REFRESH-INTERVAL"); got != "REFRESH-INTERVAL;VALUE=DURATION:"+want {
			t.Errorf("%v: %q", d, got)
		}
	}
	for _, d := range []time.Duration{-time.Hour, time.Millisecond} {
		if _, err := ics.Marshal(ics.Calendar{RefreshInterval: d}); !errors.Is(err, ics.ErrInvalid) {
			t.Errorf("%v: err = %v", d, err)
		}
	}
}
