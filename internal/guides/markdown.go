package guides

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// The Markdown form of a guide is meant to be read and edited by people and
// read back by Debrief:
//
//	# Responder chat
//
//	Format: debrief-guide/1
//	Kind: responder_chat
//	Suggested length: 45 minutes
//
//	Optional description paragraphs.
//
//	## Opener
//
//	Paragraphs.
//
//	## Questions
//
//	1. How did this first reach you? {#reached-you}
//	   - What did the first message say?
//	   - What did you set aside to pick it up?
//
//	   Sections: NAR, PRS
//
//	## Closer
//
//	Paragraphs.
//
// A question's {#id} keeps it the same question across versions; leave it
// out for a new question. A text line starting with a backslash is taken
// literally without the backslash, which is how a paragraph that starts with
// "#" or "Kind:" is written.

// Metadata keys, lower-case.
const (
	mdFormat  = "format"
	mdKind    = "kind"
	mdLength  = "suggested length"
	mdVersion = "version"
)

func isMetaKey(k string) bool {
	switch strings.ToLower(strings.TrimSpace(k)) {
	case mdFormat, mdKind, mdLength, mdVersion:
		return true
	}
	return false
}

// escapeLine protects a text line that the parser would otherwise read as
// structure.
func escapeLine(s string) string {
	if strings.HasPrefix(s, "#") || strings.HasPrefix(s, `\`) {
		return `\` + s
	}
	if k, _, ok := strings.Cut(s, ":"); ok && isMetaKey(k) {
		return `\` + s
	}
	return s
}

// writeMarkdown renders a document in the format above.
func writeMarkdown(d Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", d.Title)
	fmt.Fprintf(&b, "Format: %s\n", FormatMarker)
	fmt.Fprintf(&b, "Kind: %s\n", d.Kind)
	fmt.Fprintf(&b, "Suggested length: %d minutes\n", d.SuggestedMinutes)
	if d.Source != nil {
		fmt.Fprintf(&b, "Version: %d\n", d.Source.Version)
	}
	for _, p := range paragraphs(d.Description) {
		fmt.Fprintf(&b, "\n%s\n", escapeLine(p))
	}
	b.WriteString("\n## Opener\n")
	for _, p := range paragraphs(d.Opener) {
		fmt.Fprintf(&b, "\n%s\n", escapeLine(p))
	}
	b.WriteString("\n## Questions\n")
	for i, q := range d.Questions {
		fmt.Fprintf(&b, "\n%d. %s {#%s}\n", i+1, q.Text, q.ID)
		for _, p := range q.Probes {
			fmt.Fprintf(&b, "   - %s\n", p)
		}
		if len(q.Sections) > 0 {
			fmt.Fprintf(&b, "\n   Sections: %s\n", joinList(q.Sections))
		}
	}
	b.WriteString("\n## Closer\n")
	for _, p := range paragraphs(d.Closer) {
		fmt.Fprintf(&b, "\n%s\n", escapeLine(p))
	}
	return b.String()
}

// mdParser holds the state of one parse. lines maps content field paths
// (as cleanContent names them) to source lines, so validation problems can
// point at a line.
type mdParser struct {
	f     apperr.Fields
	lines map[string]int

	title, kind  string
	minutes      int
	desc, opener []string
	closer       []string
	questions    []Question
	titleLine    int
	headings     map[string]int
	// cont is where a continuation line goes: the open question's text or
	// its last probe; nil after a blank line.
	cont *string
}

func (p *mdParser) errorf(line int, format string, args ...any) {
	p.f.Add("line "+strconv.Itoa(line), format, args...)
}

// parseMarkdown reads a guide written in the Markdown form.
func parseMarkdown(src string) (string, string, Kind, Content, error) {
	src = strings.TrimPrefix(src, "\uFEFF")
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	p := &mdParser{lines: map[string]int{}, headings: map[string]int{}}
	section := "" // "", "head", "opener", "questions", "closer"
	firstText := 0
	all := strings.Split(src, "\n")
	for i, raw := range all {
		n := i + 1
		line := strings.TrimSpace(raw)
		if line == "" {
			p.cont = nil
			if section == "opener" || section == "closer" || section == "head" {
				p.appendPara(section, "")
			}
			continue
		}
		escaped := strings.HasPrefix(line, `\`)
		if escaped {
			line = line[1:]
		}
		if !escaped && strings.HasPrefix(line, "#") {
			section = p.heading(n, line, section)
			continue
		}
		switch section {
		case "":
			// Reported once below; read on so later problems show too.
			if firstText == 0 {
				firstText = n
			}
			section = "head"
			p.appendPara(section, line)
		case "head":
			if !escaped && p.meta(n, line) {
				continue
			}
			p.appendPara(section, line)
		case "opener", "closer":
			p.appendPara(section, line)
		case "questions":
			p.questionLine(n, line, escaped)
		}
	}
	if p.titleLine == 0 {
		p.errorf(max(firstText, 1), "a guide starts with its title, like \"# Responder chat\"")
	}
	for i := range p.questions {
		p.questions[i].Text, p.questions[i].ID = splitID(p.questions[i].Text)
	}
	for _, h := range []string{"opener", "questions", "closer"} {
		if _, ok := p.headings[h]; !ok {
			p.errorf(max(len(all), 1), "the guide has no \"## %s\" section", titleCase(h))
		}
	}
	if p.kind == "" && p.titleLine > 0 {
		p.errorf(p.titleLine, "add a line like \"Kind: responder_chat\" under the title; kinds are %s", joinList(Kinds()))
	}
	if p.minutes == 0 && p.titleLine > 0 {
		p.errorf(p.titleLine, "add a line like \"Suggested length: 45 minutes\" under the title")
	}
	if err := p.f.Err(); err != nil {
		return "", "", "", Content{}, err
	}

	// Validate as any other guide, then move each problem to its line.
	var v apperr.Fields
	title, description, _ := cleanMeta(&v, p.title, strings.Join(p.desc, "\n"), "")
	kind := Kind(p.kind)
	checkKind(&v, "kind", kind)
	content, err := cleanContent(&v, "", Content{Opener: strings.Join(p.opener, "\n"),
		Closer: strings.Join(p.closer, "\n"), SuggestedMinutes: p.minutes, Questions: p.questions})
	if err != nil {
		return "", "", "", Content{}, err
	}
	if e := v.Err(); e != nil {
		ae, _ := apperr.As(e)
		for _, fe := range ae.Fields {
			p.errorf(p.lineFor(fe.Field), "%s", fe.Message)
		}
		return "", "", "", Content{}, p.f.Err()
	}
	return title, description, kind, content, nil
}

func titleCase(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// heading handles a line starting with "#" and returns the new section.
func (p *mdParser) heading(n int, line, section string) string {
	level := len(line) - len(strings.TrimLeft(line, "#"))
	text := strings.TrimSpace(line[level:])
	switch {
	case level == 1 && p.titleLine == 0:
		p.title, p.titleLine = text, n
		p.lines["title"] = n
		return "head"
	case level == 1:
		p.errorf(n, "a guide has one title; use \"## Opener\", \"## Questions\" or \"## Closer\" for its parts")
		return section
	case level == 2:
		name := strings.ToLower(text)
		switch name {
		case "opener", "questions", "closer":
			if prev, dup := p.headings[name]; dup {
				p.errorf(n, "\"## %s\" appears twice (first on line %d)", text, prev)
				return name
			}
			p.headings[name] = n
			p.lines[name] = n
			p.cont = nil
			return name
		}
		p.errorf(n, "unknown section \"%s\"; use \"## Opener\", \"## Questions\" or \"## Closer\"", text)
		return section
	}
	p.errorf(n, "headings below \"##\" are not part of the format; write a line starting with \\# for a literal #")
	return section
}

// meta reads a metadata line under the title and reports whether it was one.
func (p *mdParser) meta(n int, line string) bool {
	k, v, ok := strings.Cut(line, ":")
	if !ok || !isMetaKey(k) {
		return false
	}
	v = strings.TrimSpace(v)
	switch strings.ToLower(strings.TrimSpace(k)) {
	case mdFormat:
		if v != FormatMarker {
			p.errorf(n, "format must be %s", FormatMarker)
		}
	case mdKind:
		p.kind = v
		p.lines["kind"] = n
		if !isKind(Kind(v)) {
			p.errorf(n, "%q is not a guide kind; use one of %s", v, joinList(Kinds()))
		}
	case mdLength:
		num := strings.TrimSuffix(strings.ToLower(v), ".")
		for _, unit := range []string{"minutes", "minute", "mins", "min"} {
			if rest, ok := strings.CutSuffix(num, unit); ok {
				num = rest
				break
			}
		}
		m, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil || m <= 0 {
			p.errorf(n, "write the suggested length as a number of minutes, like \"Suggested length: 45 minutes\"")
			m = -1 // reported; keep "missing" quiet
		}
		p.minutes = m
		p.lines["suggested_minutes"] = n
	case mdVersion:
		// Informational on export; an import always starts at version 1.
	}
	return true
}

func isKind(k Kind) bool {
	for _, kk := range Kinds() {
		if k == kk {
			return true
		}
	}
	return false
}

func (p *mdParser) appendPara(section, line string) {
	switch section {
	case "head":
		if line != "" || len(p.desc) > 0 {
			p.desc = append(p.desc, line)
		}
		if len(p.desc) > 0 {
			if _, ok := p.lines["description"]; !ok {
				p.lines["description"] = p.titleLine
			}
		}
	case "opener":
		p.opener = append(p.opener, line)
	case "closer":
		p.closer = append(p.closer, line)
	}
}

// questionLine reads one non-blank line of the Questions section.
func (p *mdParser) questionLine(n int, line string, escaped bool) {
	i := len(p.questions) - 1
	field := fmt.Sprintf("questions[%d]", i)
	if !escaped {
		if num, text, ok := numbered(line); ok {
			_ = num // numbers are for people; the order of the lines is the order
			p.questions = append(p.questions, Question{Text: text})
			i++
			field = fmt.Sprintf("questions[%d]", i)
			p.lines[field] = n
			p.cont = &p.questions[i].Text
			return
		}
		if probe, ok := strings.CutPrefix(line, "- "); ok || line == "-" {
			if i < 0 {
				p.errorf(n, "a probe (\"- ...\") must come under a numbered question")
				return
			}
			q := &p.questions[i]
			p.lines[fmt.Sprintf("%s.probes[%d]", field, len(q.Probes))] = n
			q.Probes = append(q.Probes, probe)
			p.cont = &q.Probes[len(q.Probes)-1]
			return
		}
		if k, v, ok := strings.Cut(line, ":"); ok && (strings.EqualFold(k, "sections") || strings.EqualFold(k, "section")) {
			if i < 0 {
				p.errorf(n, "a Sections line must come under a numbered question")
				return
			}
			q := &p.questions[i]
			for _, code := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' }) {
				if strings.EqualFold(code, "none") || code == "-" {
					continue
				}
				p.lines[fmt.Sprintf("%s.sections[%d]", field, len(q.Sections))] = n
				q.Sections = append(q.Sections, Section(code))
			}
			p.cont = nil
			return
		}
	}
	if p.cont == nil {
		p.errorf(n, "this line is not part of a question; start a question with its number, like \"%d. How ...\"", i+2)
		return
	}
	*p.cont += " " + line
}

// splitID takes a trailing "{#id}" off a question's text.
func splitID(text string) (string, string) {
	text = strings.TrimSpace(text)
	i := strings.LastIndex(text, "{#")
	if i < 0 || !strings.HasSuffix(text, "}") || strings.Contains(text[i:], " ") {
		return text, ""
	}
	return strings.TrimSpace(text[:i]), text[i+2 : len(text)-1]
}

// numbered splits "3. text" or "3) text".
func numbered(line string) (int, string, bool) {
	j := 0
	for j < len(line) && line[j] >= '0' && line[j] <= '9' {
		j++
	}
	if j == 0 || j > 4 || j+1 >= len(line) || (line[j] != '.' && line[j] != ')') || line[j+1] != ' ' {
		return 0, "", false
	}
	num, _ := strconv.Atoi(line[:j])
	return num, strings.TrimSpace(line[j+2:]), true
}

// lineFor finds the source line of a content field path, falling back to
// the nearest enclosing field: "questions[2].probes[1]" → the probe's line,
// else the question's line, else the Questions heading.
func (p *mdParser) lineFor(field string) int {
	for f := field; f != ""; {
		if n, ok := p.lines[f]; ok {
			return n
		}
		switch i := strings.LastIndexAny(f, ".["); {
		case i > 0:
			f = f[:i]
		default:
			f = ""
		}
	}
	return max(p.titleLine, 1)
}
