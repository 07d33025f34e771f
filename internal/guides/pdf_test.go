package guides

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sampleRendered builds a rendered guide of n questions without a database.
func sampleRendered(n int) Rendered {
	r := Rendered{
		Guide: VersionRef{GuideID: "g", Version: 3}, Title: "Responder chat (Zoë’s copy)", Kind: KindResponderChat,
		Opener:           "Thanks for making time.\n\nMay I take notes? Nothing is quoted without your agreement.",
		Closer:           "Who else would be good to talk to?",
		SuggestedMinutes: 45,
		Event:            &EventRef{ID: "e", Title: "Checkout latency", Kind: "incident", StartedAt: time.Date(2026, 11, 2, 14, 30, 0, 0, time.UTC)},
		Person:           &PersonRef{ID: "p", Name: "Łukasz Żółć"},
		Timezone:         "Europe/Warsaw",
	}
	base := Part{GuideID: "g", Version: 3, Title: r.Title, Kind: r.Kind}
	for i := range n {
		base.Questions = append(base.Questions, RenderedQuestion{
			ID: fmt.Sprintf("q%d", i+1), Number: i + 1,
			Text:     fmt.Sprintf("Question number %d: what did you see, and what told you that it mattered?", i+1),
			Probes:   []string{fmt.Sprintf("Probe %d-a: where did you look?", i+1), fmt.Sprintf("Probe %d-b: who helped?", i+1)},
			Sections: []Section{SectionNarrative, SectionMitigators},
		})
	}
	r.Parts = []Part{base}
	return r
}

// pdfInfo is what the tests read back from a PDF.
type pdfInfo struct {
	count int      // /Count of the page tree
	pages []string // text of each page's content stream, Tj strings joined by spaces
	ys    [][]float64
}

var (
	objRe    = regexp.MustCompile(`(?m)^(\d+) 0 obj\n`)
	streamRe = regexp.MustCompile(`(?s)<< /Length (\d+) /Filter /FlateDecode >>\nstream\n`)
	tjRe     = regexp.MustCompile(`(?m)^BT /F\d [\d.]+ Tf [\d.]+ g ([\d.]+) ([\d.]+) Td \((.*)\) Tj ET$`)
)

// readPDF checks the file's structure — header, cross-reference offsets,
// stream lengths, page count — and extracts the text of each page.
func readPDF(t *testing.T, b []byte) pdfInfo {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatalf("not a PDF: %q ... %q", b[:min(20, len(b))], b[max(0, len(b)-20):])
	}
	tail := b[bytes.LastIndex(b, []byte("startxref\n"))+len("startxref\n"):]
	xref, err := strconv.Atoi(string(bytes.TrimSpace(bytes.TrimSuffix(tail, []byte("%%EOF\n")))))
	if err != nil || !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref does not point at the xref table (%d, %v)", xref, err)
	}
	lines := strings.Split(string(b[xref:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for i := 1; i < n; i++ {
		entry := lines[2+i]
		if len(entry) != 19 { // 20 bytes with the newline
			t.Fatalf("xref entry %d is %q", i, entry)
		}
		off, _ := strconv.Atoi(entry[:10])
		if want := fmt.Sprintf("%d 0 obj\n", i); !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", i, b[off:off+12])
		}
	}
	if got := len(objRe.FindAll(b, -1)); got != n-1 {
		t.Fatalf("%d objects, xref lists %d", got, n-1)
	}
	m := regexp.MustCompile(`/Type /Pages /Kids \[[^\]]*\] /Count (\d+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no page tree")
	}
	info := pdfInfo{}
	info.count, _ = strconv.Atoi(string(m[1]))
	if pageObjs := bytes.Count(b, []byte("/Type /Page /Parent 2 0 R")); pageObjs != info.count {
		t.Fatalf("/Count %d but %d page objects", info.count, pageObjs)
	}
	for _, loc := range streamRe.FindAllSubmatchIndex(b, -1) {
		length, _ := strconv.Atoi(string(b[loc[2]:loc[3]]))
		data := b[loc[1] : loc[1]+length]
		if !bytes.HasPrefix(b[loc[1]+length:], []byte("\nendstream")) {
			t.Fatal("stream /Length does not match its data")
		}
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		var ys []float64
		for _, tm := range tjRe.FindAllStringSubmatch(string(raw), -1) {
			y, _ := strconv.ParseFloat(tm[2], 64)
			ys = append(ys, y)
			texts = append(texts, fromWinAnsi(unescapePDF(tm[3])))
		}
		info.pages = append(info.pages, strings.Join(texts, " "))
		info.ys = append(info.ys, ys)
	}
	if len(info.pages) != info.count {
		t.Fatalf("%d content streams for %d pages", len(info.pages), info.count)
	}
	return info
}

func unescapePDF(s string) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		i++
		if s[i] >= '0' && s[i] <= '7' {
			v, _ := strconv.ParseUint(s[i:i+3], 8, 8)
			out = append(out, byte(v))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// fromWinAnsi decodes WinAnsi bytes back to text.
func fromWinAnsi(b []byte) string {
	high := map[byte]rune{}
	for r := rune(0x100); r < 0x2200; r++ {
		if c, ok := cp1252High(r); ok {
			high[c] = r
		}
	}
	var sb strings.Builder
	for _, c := range b {
		if r, ok := high[c]; ok {
			sb.WriteRune(r)
		} else {
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

func TestPDFStructureAndText(t *testing.T) {
	r := sampleRendered(3)
	b, err := writePDF(layoutGuide(newFontSet(), r, startedAtText(r)), r.Title)
	if err != nil {
		t.Fatal(err)
	}
	info := readPDF(t, b)
	if info.count != 1 {
		t.Fatalf("a short guide takes %d pages", info.count)
	}
	text := info.pages[0]
	for _, want := range []string{
		"Responder chat (Zoë’s copy)", "Responder chat · version 3 · about 45 minutes",
		"Event: Checkout latency (Monday 2 November 2026, 15:30 CET) · With: Lukasz Zólc",
		"Opener", "Thanks for making time.", "Questions",
		"1. Question number 1: what did you see, and what told you that it mattered?",
		"– Probe 1-a: where did you look?", "Feeds: Narrative & timelines (NAR) · Mitigators (MIT)",
		"Closer", "Who else would be good to talk to?", "page 1 of 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q:\n%s", want, text)
		}
	}
	if !bytes.Contains(b, []byte("/Title <FEFF")) {
		t.Error("document title is not in the info dictionary")
	}
	checkWithPdftotext(t, b, []string{"Question number 3: what did you see", "Probe 2-b: who helped?"})
}

func TestPDFPagesForALongGuide(t *testing.T) {
	r := sampleRendered(100)
	r.Parts = append(r.Parts, Part{Title: "Change / deployment add-on", Intro: "A few questions about the change.",
		Questions: []RenderedQuestion{{Number: 101, Text: "What was the change for?", Probes: []string{"Who asked?"}}}})
	b, err := writePDF(layoutGuide(newFontSet(), r, startedAtText(r)), r.Title)
	if err != nil {
		t.Fatal(err)
	}
	info := readPDF(t, b)
	// A question here takes 8 + 15 + 2×14 + 13 + 2×20 = 104 points of the
	// 722 a page offers (the first on a page skips the 8-point gap): 7 per
	// page, so 100 of them need 15 pages, plus room for the header, opener,
	// add-on and closer.
	if info.count < 15 || info.count > 17 {
		t.Fatalf("100 questions took %d pages, want 15 to 17", info.count)
	}
	all := strings.Join(info.pages, "\n")
	last := -1
	for i := 1; i <= 101; i++ {
		q := fmt.Sprintf("%d. Question number %d:", i, i)
		if i == 101 {
			q = "101. What was the change for?"
		}
		at := strings.Index(all, q)
		if at < 0 || at < last || strings.Count(all, q) != 1 {
			t.Fatalf("question %d missing, repeated or out of order", i)
		}
		last = at
	}
	for p, text := range info.pages {
		if want := fmt.Sprintf("page %d of %d", p+1, info.count); !strings.Contains(text, want) {
			t.Fatalf("page %d lacks its footer %q", p+1, want)
		}
		for _, y := range info.ys[p] {
			if y > pageHeight-marginTop || (y < marginBottom-8 && y != footerY) {
				t.Fatalf("page %d has text outside the margins at y=%v", p+1, y)
			}
		}
		// A question is kept together: its number and its first probe are
		// on the same page.
		for _, m := range regexp.MustCompile(`(\d+)\. Question number \d+:`).FindAllStringSubmatch(text, -1) {
			if !strings.Contains(text, "Probe "+m[1]+"-a") {
				t.Fatalf("question %s is split from its probes on page %d", m[1], p+1)
			}
		}
	}
	checkWithPdftotext(t, b, []string{"Question number 100", "What was the change for?"})
}

// checkWithPdftotext has poppler read the file when it is installed, as an
// independent check that real readers accept it. Without it the structural
// checks above stand on their own, under CI as on a laptop.
func checkWithPdftotext(t *testing.T, pdf []byte, wants []string) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed; relying on the structural checks")
		return
	}
	path := filepath.Join(t.TempDir(), "guide.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext output lacks %q", w)
		}
	}
}

func TestWrapKeepsLinesInsideTheMargin(t *testing.T) {
	l := newLayout(newFontSet())
	text := strings.Repeat("word ", 200) + strings.Repeat("x", 400)
	lines := l.wrap(fontRegular, 11, textWidth, text)
	if len(lines) < 10 {
		t.Fatalf("only %d lines", len(lines))
	}
	var rebuilt []string
	for _, line := range lines {
		if w := l.textWidth(fontRegular, 11, line); w > textWidth {
			t.Fatalf("line %q is %.1f wide, more than %.1f", line, w, textWidth)
		}
		rebuilt = append(rebuilt, string(line))
	}
	if got := strings.ReplaceAll(strings.Join(rebuilt, " "), "x x", "xx"); strings.Count(got, "x") != 400 || strings.Count(got, "word") != 200 {
		t.Fatal("wrapping lost text")
	}
	if l.textWidth(fontBold, 10, []byte("W")) != 9.44 || l.textWidth(fontRegular, 10, []byte("i")) != 2.22 {
		t.Fatal("Helvetica metrics are off")
	}
}

func TestToWinAnsi(t *testing.T) {
	for in, want := range map[string]string{
		"plain ASCII":      "plain ASCII",
		"Zoë café":         "Zo\xeb caf\xe9",
		"“quotes” – ‘a’ —": "\x93quotes\x94 \x96 \x91a\x92 \x97",
		"€ … •":            "\x80 \x85 \x95",
		"Łódź, Ștefan, ő":  "L\xf3dz, Stefan, o",
		"a → b ≤ c ≠ d":    "a -> b <= c != d",
		"日本 🙂":             "?? ?",
		"tab\there\x00":    "tab here",
		"zero\u200bwidth":  "zerowidth",
	} {
		if got := string(toWinAnsi(in)); got != want {
			t.Errorf("toWinAnsi(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPDFStringEscapes(t *testing.T) {
	if got := pdfString([]byte(`a(b)c\d` + "\xe9\n")); got != `(a\(b\)c\\d\351\012)` {
		t.Fatalf("pdfString = %s", got)
	}
	if got := pdfTextString("Zoë"); got != "<FEFF005A006F00EB>" {
		t.Fatalf("pdfTextString = %s", got)
	}
}

func TestPrintPage(t *testing.T) {
	r := sampleRendered(2)
	r.Title = `<script>alert("x")</script> guide`
	r.Parts = append(r.Parts, Part{Title: "Change / deployment add-on", Intro: "About the change.",
		Questions: []RenderedQuestion{{Number: 3, Text: "What was the change for?", Probes: []string{"Who asked?"}}}})
	b, err := printPage(r, "/api/v1/guides/print.css")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{
		`<link rel="stylesheet" href="/api/v1/guides/print.css">`,
		`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; guide`,
		`<h2>Change / deployment add-on</h2>`, `<p class="intro">About the change.</p>`,
		`<ol class="questions" start="3">`, `<li>Probe 1-a: where did you look?</li>`,
		`Feeds: Narrative &amp; timelines (NAR) · Mitigators (MIT)`,
		`Event: Checkout latency (Monday 2 November 2026, 15:30 CET) · With: Łukasz Żółć`,
		`<div class="notes" aria-hidden="true"></div>`,
		"<p>May I take notes? Nothing is quoted without your agreement.</p>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("print page lacks %q", want)
		}
	}
	// Nothing the Content-Security-Policy would block, nothing external.
	for _, banned := range []string{"<script", "<style", "style=", "http://", "https://", " on"} {
		if strings.Contains(strings.ReplaceAll(page, "&lt;script", ""), banned) {
			t.Errorf("print page contains %q", banned)
		}
	}
	css, err := PrintCSS()
	if err != nil || !bytes.Contains(css, []byte("@media print")) || bytes.Contains(css, []byte("@import")) ||
		bytes.Contains(css, []byte("url(")) {
		t.Fatalf("print stylesheet: %v", err)
	}
}
