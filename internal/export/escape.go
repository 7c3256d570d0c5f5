package export

import (
	"strings"

	"github.com/warroom-cli/warroom/internal/incident"
)

// alwaysEscaped are the characters that open an inline construct anywhere
// in a line: emphasis (* _), strikethrough (~), code spans (`), links and
// images ([ ] !), raw HTML and autolinks (< >), entities (&), table cells
// (|) and escapes themselves (\).
var alwaysEscaped = [128]bool{
	'\\': true, '`': true, '*': true, '_': true, '~': true,
	'[': true, ']': true, '<': true, '>': true, '&': true, '|': true,
	'!': true,
}

// leadingEscaped are characters that only build structure at the start of
// a line: ATX headings (#), list items (- +), setext underlines and thematic
// breaks (= -), block quotes (>) and table delimiter rows (:). '#' is
// escaped everywhere instead, because a heading's closing sequence ("# x #")
// is stripped from its end.
var leadingEscaped = [128]bool{'-': true, '+': true, '=': true, ':': true}

// Inline makes user text safe on one line of Markdown: in a table cell, a
// list item, a heading or the middle of a sentence. Escape and control
// sequences are removed, newlines and tabs become spaces, surrounding space
// is trimmed, and Markdown punctuation is escaped so the text reads as it was
// typed and builds no structure.
func Inline(s string) string {
	return escapeLine(strings.TrimSpace(incident.CleanLine(s)))
}

// Paragraphs makes multi-line user text safe as body text: lines are kept
// (as soft breaks), blank lines separate paragraphs, and every line is
// escaped as Inline does. Leading indentation is dropped so no line can
// become a code block. An empty result means there was no text.
func Paragraphs(s string) string {
	s = incident.CleanText(s)
	var b strings.Builder
	blank := false
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "\t", " "))
		if line == "" {
			blank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			if blank {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(escapeLine(line))
	}
	return b.String()
}

// escapeLine escapes one line that has no newlines.
func escapeLine(s string) string {
	if s == "" {
		return s
	}
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	start := 0
	// A line starting with digits then "." or ")" is an ordered list item.
	for start < len(s) && s[start] >= '0' && s[start] <= '9' {
		start++
	}
	if start > 0 && start < len(s) && (s[start] == '.' || s[start] == ')') {
		b.WriteString(s[:start])
		b.WriteByte('\\')
		b.WriteByte(s[start])
		start++
	} else {
		start = 0
		if c := s[0]; c < 128 && leadingEscaped[c] {
			b.WriteByte('\\')
			b.WriteByte(c)
			start = 1
		}
	}
	for i := start; i < len(s); i++ {
		c := s[i]
		if c < 128 && (alwaysEscaped[c] || c == '#') {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

func needsEscape(s string) bool {
	if c := s[0]; (c < 128 && leadingEscaped[c]) || (c >= '0' && c <= '9') {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 128 && (alwaysEscaped[c] || c == '#') {
			return true
		}
	}
	return false
}
