package incident

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// CleanText makes user text safe to print on a terminal or in a document: it
// removes ESC, CSI, OSC and DCS sequences, every C0 and C1 control character
// except newline and tab, and the invisible characters that change what a
// reader sees without showing themselves (see invisible), and replaces
// invalid UTF-8 with U+FFFD. Text is stored as given; this runs on the way
// out.
//
// ansi.Strip alone is not enough: it leaves carriage returns, backspaces,
// BEL and the 8-bit CSI (U+009B), any of which can still rewrite a line.
func CleanText(s string) string {
	if isPlain(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || invisible(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CleanLine is CleanText for one-line places: newlines and tabs become spaces.
func CleanLine(s string) string {
	s = CleanText(s)
	if strings.ContainsAny(s, "\n\t") {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\t' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

// invisible reports the format characters that reorder or hide text:
//
//   - the bidi embeddings and overrides (U+202A-U+202E) and isolates
//     (U+2066-U+2069), which make a text read differently on screen than
//     it is stored (the "Trojan Source" trick: a right-to-left override
//     shows "kcab dellor" as "rolled back"), and an unclosed one reorders
//     the rest of the line it is printed on: a title bar, a table row;
//   - the zero-width space, non-joiner and joiner (U+200B-U+200D), the
//     word joiner (U+2060) and the byte-order mark (U+FEFF), which make
//     two names that look the same differ, or hide a word from search.
//
// Dropping the joiner also splits emoji sequences such as a family into
// their parts; that costs a little rendering and no meaning.
func invisible(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		(r >= 0x200b && r <= 0x200d) || r == 0x2060 || r == 0xfeff
}

// isPlain is the fast path: printable ASCII and valid UTF-8 above the C1
// range, without invisible characters.
func isPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || (r >= 0x80 && r <= 0x9f) || invisible(r) {
			return false
		}
		i += size
	}
	return true
}
