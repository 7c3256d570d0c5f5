package export

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Retro prose keeps what people typed, written in the styles the rest of
// the document uses, so the export passes markdownlint's consistency
// rules: "*" for emphasis and "**" for strong (MD049, MD050), one space
// after a list marker (MD030) and after a block quote's ">" (MD027), alt
// text on images (MD045).

// asteriskEmphasis writes _x_ and __x__ as *x* and **x** outside code
// spans. Only pairs an underscore could open and close are changed (not
// inside a word, such as snake_case), never within a word holding a URL
// or an address, and never around an asterisk, so the text reads as it
// rendered before.
func asteriskEmphasis(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	b := []byte(s)
	code := "" // the open code span's backtick run
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\':
			i++
			continue
		case c == '`':
			j := i
			for j < len(b) && b[j] == '`' {
				j++
			}
			run := string(b[i:j])
			switch {
			case code == "" && strings.Contains(string(b[j:]), run):
				code = run
			case code == run:
				code = ""
			}
			i = j - 1
			continue
		case c != '_' || code != "":
			continue
		}
		n := 1
		if i+1 < len(b) && b[i+1] == '_' {
			n = 2
		}
		if i+n < len(b) && b[i+n] == '_' {
			// Three or more: leave the run as it is.
			for i+1 < len(b) && b[i+1] == '_' {
				i++
			}
			continue
		}
		if !opens(b, i, n) || inLinkWord(b, i) {
			i += n - 1
			continue
		}
		end := closing(b, i+n, n)
		if end < 0 {
			i += n - 1
			continue
		}
		for k := 0; k < n; k++ {
			b[i+k], b[end+k] = '*', '*'
		}
		i = end + n - 1
	}
	return string(b)
}

// opens reports whether the run of n underscores at i can open emphasis:
// not after a letter or digit, and not before a space.
func opens(b []byte, i, n int) bool {
	if i+n >= len(b) || b[i+n] == ' ' || b[i+n] == '\t' {
		return false
	}
	if i > 0 {
		r, _ := utf8.DecodeLastRune(b[:i])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// closing finds the run of exactly n underscores from i that closes
// emphasis: after no space, before no letter or digit, with no asterisk,
// backtick or backslash between; -1 if none.
func closing(b []byte, i, n int) int {
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '*', '`', '\\':
			return -1
		case '_':
		default:
			continue
		}
		k := j
		for k < len(b) && b[k] == '_' {
			k++
		}
		if k-j != n || b[j-1] == ' ' || b[j-1] == '\t' {
			j = k - 1
			continue
		}
		if k < len(b) {
			r, _ := utf8.DecodeRune(b[k:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				j = k - 1
				continue
			}
		}
		if inLinkWord(b, j) {
			return -1
		}
		return j
	}
	return -1
}

// inLinkWord reports whether the word around b[i] looks like a URL or an
// address, where underscores are part of the name.
func inLinkWord(b []byte, i int) bool {
	start, end := i, i
	for start > 0 && b[start-1] != ' ' && b[start-1] != '\t' {
		start--
	}
	for end < len(b) && b[end] != ' ' && b[end] != '\t' {
		end++
	}
	w := string(b[start:end])
	return strings.Contains(w, "://") || strings.Contains(w, "www.") || strings.Contains(w, "@") || strings.Contains(w, "](")
}

// tidyMarkers writes one space after a list marker that has two to four
// (more would start a code block in the item) and after a block quote's
// ">" with two to four.
func tidyMarkers(line string, indent int) string {
	rest := line[indent:]
	if m := listMarker(rest); m != "" {
		after := rest[len(m):]
		sp := len(after) - len(strings.TrimLeft(after, " "))
		if sp >= 2 && sp <= 4 && strings.TrimSpace(after) != "" {
			return line[:indent] + m + " " + after[sp:]
		}
		return line
	}
	if strings.HasPrefix(rest, ">") {
		after := rest[1:]
		sp := len(after) - len(strings.TrimLeft(after, " "))
		if sp >= 2 && sp <= 4 && strings.TrimSpace(after) != "" {
			return line[:indent] + "> " + after[sp:]
		}
	}
	return line
}

// imageAlt gives an image without alt text the alt text "image".
func imageAlt(s string) string {
	return strings.ReplaceAll(s, "![](", "![image](")
}
