package guides

// The standard PDF fonts cover WinAnsi (Windows-1252) only. Guides are
// people's own words, so rather than drop what does not fit, toWinAnsi
// keeps the letter and loses the accent (ő → o, ł → l), spells out arrows
// and comparison signs, and uses "?" for scripts the fonts cannot show.

// latinExtA gives the base letter of U+0100..U+017F; "?" marks code points
// handled elsewhere (they are in Windows-1252 or need two letters).
const latinExtA = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??JjKkkLlLlLlLlLlNnNnNn?NnOoOoOo??RrRrRrSsSsSs??TtTtTtUuUuUuUuUuUuWwYy?ZzZz??s"

// cp1252High maps the Windows-1252 characters in 0x80..0x9F.
func cp1252High(r rune) (byte, bool) {
	switch r {
	case '€':
		return 0x80, true
	case '‚':
		return 0x82, true
	case 'ƒ':
		return 0x83, true
	case '„':
		return 0x84, true
	case '…':
		return 0x85, true
	case '†':
		return 0x86, true
	case '‡':
		return 0x87, true
	case 'ˆ':
		return 0x88, true
	case '‰':
		return 0x89, true
	case 'Š':
		return 0x8A, true
	case '‹':
		return 0x8B, true
	case 'Œ':
		return 0x8C, true
	case 'Ž':
		return 0x8E, true
	case '‘':
		return 0x91, true
	case '’':
		return 0x92, true
	case '“':
		return 0x93, true
	case '”':
		return 0x94, true
	case '•':
		return 0x95, true
	case '–':
		return 0x96, true
	case '—':
		return 0x97, true
	case '˜':
		return 0x98, true
	case '™':
		return 0x99, true
	case 'š':
		return 0x9A, true
	case '›':
		return 0x9B, true
	case 'œ':
		return 0x9C, true
	case 'ž':
		return 0x9E, true
	case 'Ÿ':
		return 0x9F, true
	}
	return 0, false
}

// substitute spells a character outside Windows-1252 with ones inside it.
func substitute(r rune) string {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return " "
	case r < 0x20 || (r >= 0x7F && r < 0xA0):
		return "" // control characters
	case r >= 0x100 && r <= 0x17F && latinExtA[r-0x100] != '?':
		return string(latinExtA[r-0x100])
	}
	switch r {
	case 'Ĳ':
		return "IJ"
	case 'ĳ':
		return "ij"
	case 'ŉ':
		return "'n"
	case 'Ș', 'Ş':
		return "S"
	case 'ș', 'ş':
		return "s"
	case 'Ț', 'Ţ':
		return "T"
	case 'ț', 'ţ':
		return "t"
	case '\u2010', '\u2011', '\u2212', '\u2043':
		return "-"
	case '\u2012', '\u2013':
		return "\u2013"
	case '\u2014', '\u2015':
		return "\u2014"
	case '\u2032', '\u02B9', '\u02BC':
		return "'"
	case '\u2033':
		return "\""
	case '\u2190':
		return "<-"
	case '\u2192':
		return "->"
	case '\u2194':
		return "<->"
	case '\u21D2':
		return "=>"
	case '\u2264':
		return "<="
	case '\u2265':
		return ">="
	case '\u2260':
		return "!="
	case '\u2248':
		return "~"
	case '\u2713', '\u2714':
		return "v"
	case '\u2717', '\u2718':
		return "x"
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return "" // invisible
	}
	if (r >= '\u2000' && r <= '\u200A') || r == '\u202F' || r == '\u205F' || r == '\u3000' {
		return " "
	}
	return "?"
}

// toWinAnsi encodes s for the standard fonts.
func toWinAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7F, r >= 0xA0 && r <= 0xFF:
			out = append(out, byte(r))
			continue
		}
		if b, ok := cp1252High(r); ok {
			out = append(out, b)
			continue
		}
		for _, sr := range substitute(r) {
			if sr >= 0x20 && sr < 0x7F {
				out = append(out, byte(sr))
			} else if b, ok := cp1252High(sr); ok {
				out = append(out, b)
			}
		}
	}
	return out
}
