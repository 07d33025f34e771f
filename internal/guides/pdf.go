package guides

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/debrief-dev/debrief/internal/actor"
)

// A minimal PDF writer for printed guides: A4 pages of word-wrapped text in
// the standard Helvetica fonts, with dotted lines to write notes on. It
// needs no module beyond the standard library and no fonts on the server;
// the price is WinAnsi text only (see toWinAnsi).

// Page geometry in PDF points (1/72 inch).
const (
	pageWidth    = 595.28 // A4
	pageHeight   = 841.89
	marginX      = 56.0
	marginTop    = 56.0
	marginBottom = 64.0 // leaves room for the footer
	footerY      = 34.0
	textWidth    = pageWidth - 2*marginX
	hangIndent   = 22.0 // question text after its number
	probeIndent  = 34.0
	notesLines   = 2
	notesGap     = 20.0
)

type pdfText struct {
	font             pdfFont
	size, x, y, gray float64
	text             []byte // WinAnsi
}

type pdfRule struct {
	x1, x2, y, gray float64
	dotted          bool
}

type pdfPage struct {
	texts []pdfText
	rules []pdfRule
}

// block is lines of one style, laid out as a unit.
type block struct {
	font          pdfFont
	size, leading float64
	x, gray       float64
	lines         [][]byte
	// lead is drawn left of the first line (a question's number, a probe's
	// dash) at x - leadOffset.
	lead       []byte
	leadOffset float64
	leadFont   pdfFont
}

func (b block) height() float64 { return float64(len(b.lines)) * b.leading }

type pdfLayout struct {
	fonts *fontSet
	pages []*pdfPage
	page  *pdfPage
	y     float64 // top of the next line
}

func newLayout(fonts *fontSet) *pdfLayout {
	l := &pdfLayout{fonts: fonts}
	l.newPage()
	return l
}

func (l *pdfLayout) newPage() {
	l.page = &pdfPage{}
	l.pages = append(l.pages, l.page)
	l.y = pageHeight - marginTop
}

// ensure starts a new page unless h more points fit on this one. A fresh
// page is never left for a taller unit: it is drawn across pages instead.
func (l *pdfLayout) ensure(h float64) {
	if l.y-h < marginBottom && l.y < pageHeight-marginTop {
		l.newPage()
	}
}

func (l *pdfLayout) space(h float64) {
	if l.y < pageHeight-marginTop { // no gap at the top of a page
		l.y -= h
	}
}

func (l *pdfLayout) textWidth(f pdfFont, size float64, s []byte) float64 {
	w := 0
	for _, c := range s {
		w += int(l.fonts.widths[f][c])
	}
	return float64(w) * size / 1000
}

// wrap breaks text into lines no wider than width, at spaces, and inside a
// word only when the word alone is too wide.
func (l *pdfLayout) wrap(f pdfFont, size, width float64, text string) [][]byte {
	words := bytes.Fields(toWinAnsi(text))
	var lines [][]byte
	var cur []byte
	space := l.textWidth(f, size, []byte(" "))
	curW := 0.0
	for _, w := range words {
		ww := l.textWidth(f, size, w)
		for ww > width { // a word longer than a line: cut it
			if len(cur) > 0 {
				lines = append(lines, cur)
				cur, curW = nil, 0
			}
			n := 1
			for n < len(w) && l.textWidth(f, size, w[:n+1]) <= width {
				n++
			}
			lines = append(lines, w[:n])
			w = w[n:]
			ww = l.textWidth(f, size, w)
		}
		if len(w) == 0 {
			continue
		}
		switch {
		case len(cur) == 0:
			cur, curW = append([]byte{}, w...), ww
		case curW+space+ww <= width:
			cur = append(append(cur, ' '), w...)
			curW += space + ww
		default:
			lines = append(lines, cur)
			cur, curW = append([]byte{}, w...), ww
		}
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

func (l *pdfLayout) block(f pdfFont, size, leading, x, gray float64, text string) block {
	return block{font: f, size: size, leading: leading, x: x, gray: gray,
		lines: l.wrap(f, size, pageWidth-marginX-x, text)}
}

// draw places a block's lines from the current position, breaking pages
// between lines as needed.
func (l *pdfLayout) draw(b block) {
	for i, line := range b.lines {
		l.ensure(b.leading)
		baseline := l.y - b.leading*0.78
		if i == 0 && len(b.lead) > 0 {
			l.page.texts = append(l.page.texts, pdfText{font: b.leadFont, size: b.size,
				x: b.x - b.leadOffset, y: baseline, gray: b.gray, text: b.lead})
		}
		l.page.texts = append(l.page.texts, pdfText{font: b.font, size: b.size, x: b.x, y: baseline,
			gray: b.gray, text: line})
		l.y -= b.leading
	}
}

// keep draws blocks as one unit: on a new page if they do not fit on this
// one but would fit on an empty page.
func (l *pdfLayout) keep(bs ...block) {
	h := 0.0
	for _, b := range bs {
		h += b.height()
	}
	l.ensure(h)
	for _, b := range bs {
		l.draw(b)
	}
}

func (l *pdfLayout) rule(x1, gray float64, dotted bool) {
	l.page.rules = append(l.page.rules, pdfRule{x1: x1, x2: pageWidth - marginX, y: l.y, gray: gray, dotted: dotted})
}

func (l *pdfLayout) heading(text string) {
	l.space(14)
	h := l.block(fontBold, 13, 18, marginX, 0, text)
	// Keep a heading with at least two lines of what follows.
	l.ensure(h.height() + 30)
	l.draw(h)
	l.space(2)
}

func (l *pdfLayout) paragraphs(text string, f pdfFont, size float64) {
	for _, p := range paragraphs(text) {
		l.draw(l.block(f, size, size*1.38, marginX, 0, p))
		l.space(6)
	}
}

// sectionList names the sections a question feeds, for the page.
func sectionList(secs []Section) string {
	parts := make([]string, len(secs))
	for i, s := range secs {
		parts[i] = s.Name() + " (" + string(s) + ")"
	}
	return strings.Join(parts, " · ")
}

// metaLine is the line under a printed guide's title.
func metaLine(r Rendered) string {
	parts := []string{r.Kind.Label(), "version " + strconv.Itoa(r.Guide.Version)}
	for i, ad := range r.AddOns {
		parts = append(parts, fmt.Sprintf("with %s v%d", r.Parts[i+1].Title, ad.Version))
	}
	parts = append(parts, fmt.Sprintf("about %d minutes", r.SuggestedMinutes))
	return strings.Join(parts, " · ")
}

// eventLine says which event and person a printed guide was prepared for.
func eventLine(r Rendered, startedAt string) string {
	var parts []string
	if r.Event != nil {
		parts = append(parts, "Event: "+r.Event.Title+" ("+startedAt+")")
	}
	if r.Person != nil {
		parts = append(parts, "With: "+r.Person.Name)
	}
	return strings.Join(parts, " · ")
}

// layoutGuide lays a rendered guide out on pages.
func layoutGuide(fonts *fontSet, r Rendered, startedAt string) []*pdfPage {
	l := newLayout(fonts)
	l.draw(l.block(fontBold, 20, 25, marginX, 0, r.Title))
	l.space(2)
	l.draw(l.block(fontRegular, 10, 14, marginX, 0.35, metaLine(r)))
	if line := eventLine(r, startedAt); line != "" {
		l.draw(l.block(fontRegular, 10, 14, marginX, 0.35, line))
	}
	l.space(8)
	l.rule(marginX, 0.75, false)

	l.heading("Opener")
	l.paragraphs(r.Opener, fontRegular, 11)

	for i, p := range r.Parts {
		title := "Questions"
		if i > 0 {
			title = p.Title
		}
		l.heading(title)
		if p.Intro != "" {
			l.paragraphs(p.Intro, fontOblique, 10.5)
		}
		for _, q := range p.Questions {
			l.space(8)
			bs := []block{}
			qb := l.block(fontBold, 11, 15, marginX+hangIndent, 0, q.Text)
			qb.lead, qb.leadOffset, qb.leadFont = toWinAnsi(strconv.Itoa(q.Number)+"."), hangIndent, fontBold
			bs = append(bs, qb)
			for _, pr := range q.Probes {
				pb := l.block(fontRegular, 10.5, 14, marginX+probeIndent, 0.15, pr)
				pb.lead, pb.leadOffset, pb.leadFont = toWinAnsi("–"), probeIndent-hangIndent, fontRegular
				bs = append(bs, pb)
			}
			if len(q.Sections) > 0 {
				bs = append(bs, l.block(fontRegular, 8.5, 13, marginX+hangIndent, 0.4, "Feeds: "+sectionList(q.Sections)))
			}
			l.keep(bs...)
			// Lines to write on; kept with the question when they fit.
			l.ensure(notesLines * notesGap)
			for range notesLines {
				l.y -= notesGap
				l.rule(marginX+hangIndent, 0.7, true)
			}
		}
	}

	l.heading("Closer")
	l.paragraphs(r.Closer, fontRegular, 11)

	total := len(l.pages)
	left := toWinAnsi(r.Title + " · version " + strconv.Itoa(r.Guide.Version))
	for i, pg := range l.pages {
		right := toWinAnsi(fmt.Sprintf("page %d of %d", i+1, total))
		pg.texts = append(pg.texts,
			pdfText{font: fontRegular, size: 8, x: marginX, y: footerY, gray: 0.45, text: left},
			pdfText{font: fontRegular, size: 8, x: pageWidth - marginX - l.textWidth(fontRegular, 8, right),
				y: footerY, gray: 0.45, text: right})
	}
	return l.pages
}

// num writes a coordinate compactly.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}

// pdfString writes a literal string; bytes outside printable ASCII are
// octal escapes so the file stays 7-bit clean.
func pdfString(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('(')
	for _, c := range b {
		switch {
		case c == '(' || c == ')' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c < 0x20 || c > 0x7E:
			fmt.Fprintf(&sb, "\\%03o", c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(')')
	return sb.String()
}

// pdfTextString encodes document metadata as UTF-16BE, which keeps any
// character of a title in the viewer's title bar.
func pdfTextString(s string) string {
	var sb strings.Builder
	sb.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&sb, "%04X", u)
	}
	sb.WriteByte('>')
	return sb.String()
}

func contentStream(pg *pdfPage) string {
	var sb strings.Builder
	for _, r := range pg.rules {
		sb.WriteString("q " + num(r.gray) + " G 0.6 w ")
		if r.dotted {
			sb.WriteString("[1 2.5] 0 d ")
		}
		sb.WriteString(num(r.x1) + " " + num(r.y) + " m " + num(r.x2) + " " + num(r.y) + " l S Q\n")
	}
	for _, t := range pg.texts {
		fmt.Fprintf(&sb, "BT /F%d %s Tf %s g %s %s Td %s Tj ET\n",
			int(t.font)+1, num(t.size), num(t.gray), num(t.x), num(t.y), pdfString(t.text))
	}
	return sb.String()
}

// writePDF serializes pages as a PDF 1.4 file with a cross-reference table.
// Objects: 1 catalog, 2 page tree, 3-5 fonts, 6 info, then a page and its
// content stream for each page.
func writePDF(pages []*pdfPage, title string) ([]byte, error) {
	var buf bytes.Buffer
	offsets := []int{0} // object 0 is the free-list head
	obj := func(body string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets)-1, body)
	}
	buf.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")

	const firstPage = 7
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", firstPage+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	for _, f := range []pdfFont{fontRegular, fontBold, fontOblique} {
		obj("<< /Type /Font /Subtype /Type1 /BaseFont /" + f.baseFont() + " /Encoding /WinAnsiEncoding >>")
	}
	obj("<< /Title " + pdfTextString(title) + " /Producer (Debrief) /Creator (Debrief) >>")
	for i, pg := range pages {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		if _, err := zw.Write([]byte(contentStream(pg))); err != nil {
			return nil, fmt.Errorf("compress page %d: %w", i+1, err)
		}
		if err := zw.Close(); err != nil {
			return nil, fmt.Errorf("compress page %d: %w", i+1, err)
		}
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] "+
			"/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents %d 0 R >>",
			num(pageWidth), num(pageHeight), firstPage+2*i+1))
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", len(offsets)-1, z.Len())
		buf.Write(z.Bytes())
		buf.WriteString("\nendstream\nendobj\n")
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets))
	for _, off := range offsets[1:] {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets), xref)
	return buf.Bytes(), nil
}

// PDF renders a guide as Render does and returns it as an A4 PDF for
// facilitators who prefer paper.
func (s *Service) PDF(ctx context.Context, a actor.Actor, in RenderInput) (Export, error) {
	r, err := s.Render(ctx, a, in)
	if err != nil {
		return Export{}, err
	}
	body, err := writePDF(layoutGuide(s.fonts, r, startedAtText(r)), r.Title)
	if err != nil {
		return Export{}, err
	}
	return Export{Filename: fmt.Sprintf("%s-v%d.pdf", slugify(r.Title), r.Guide.Version),
		ContentType: "application/pdf", Body: body}, nil
}
