package ics

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// maxOctets is the longest a physical line may be, CRLF excluded (RFC 5545
// §3.1). It counts octets, not characters: a line of accented or CJK text
// reaches it in far fewer runes.
const maxOctets = 75

// writeFolded writes one content line folded to maxOctets per physical line
// and terminated by CRLF. A continuation line starts with one space, which
// counts towards its 75 octets. Cuts fall only on UTF-8 rune boundaries:
// RFC 5545 forbids splitting a multi-octet sequence, and clients that
// decode each physical line separately (several do) would otherwise show
// replacement characters. line must be valid UTF-8.
func writeFolded(w *bytes.Buffer, line string) {
	limit := maxOctets
	for len(line) > limit {
		cut := limit
		// A UTF-8 sequence is at most 4 octets, so this backs up at most 3
		// and cut stays well above 0.
		for !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.WriteString(line[:cut])
		w.WriteString("\r\n ")
		line = line[cut:]
		limit = maxOctets - 1
	}
	w.WriteString(line)
	w.WriteString("\r\n")
}

// escapeText encodes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon
// and comma are escaped, every line break (CRLF, LF or a lone CR) becomes the
// two characters \n, and other control characters, which TEXT cannot carry,
// are dropped. Invalid UTF-8 is replaced so that the output, and every
// folded piece of it, stays valid.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == ';':
			b.WriteString(`\;`)
		case c == ',':
			b.WriteString(`\,`)
		case c == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			// Dropped: CONTROL characters are not TSAFE-CHARs.
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unescapeText reverses escapeText. It is strict: a backslash must be
// followed by one of \ ; , n N, as RFC 5545 lists no other escapes.
func unescapeText(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(s) {
			return "", syntaxf("text ends with a lone backslash")
		}
		i++
		switch s[i] {
		case '\\', ';', ',':
			b.WriteByte(s[i])
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			return "", syntaxf("unknown escape \\%c in text", s[i])
		}
	}
	return b.String(), nil
}

// paramValue encodes a parameter value such as CN. RFC 5545 has no escapes
// inside parameters, so RFC 6868 caret encoding carries the characters it
// cannot (^ as ^^, a line break as ^n, a double quote as ^'), and the value
// is quoted when it holds ; : or , (which would otherwise end it). Other
// control characters are dropped.
func paramValue(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 2)
	quote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '^':
			b.WriteString("^^")
		case c == '"':
			b.WriteString("^'")
		case c == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString("^n")
		case c == '\n':
			b.WriteString("^n")
		case c == '\t':
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
		case c == ';' || c == ':' || c == ',':
			quote = true
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	if quote {
		return `"` + b.String() + `"`
	}
	return b.String()
}

// decodeParamValue reverses the RFC 6868 caret encoding of an unquoted or
// already unquoted parameter value. A caret before any other character is
// kept as it is, as RFC 6868 asks.
func decodeParamValue(s string) string {
	if !strings.Contains(s, "^") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '^' && i+1 < len(s) {
			switch s[i+1] {
			case '^':
				b.WriteByte('^')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\'':
				b.WriteByte('"')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hasControl reports whether s holds a character that no iCalendar value
// may contain unescaped (and that would break a content line).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}
