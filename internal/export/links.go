package export

import (
	"strings"
)

// Links in retro prose survive only to http, https and mailto
// destinations. A link to javascript:, data:, file: or anything else (or
// to no scheme at all) is written as the text it was typed as, so a reader
// of the postmortem, or a site rendering it, never follows one.

// safeLinkDest reports whether a link destination, as typed, is one a
// reader may follow. Backslash escapes, whitespace and angle brackets are
// dropped first, as a Markdown renderer or a browser would.
func safeLinkDest(dest string) bool {
	var b strings.Builder
	for i := 0; i < len(dest); i++ {
		c := dest[i]
		if c == '\\' || c == '<' || c == '>' || c <= ' ' {
			continue
		}
		b.WriteByte(c)
	}
	d := strings.ToLower(b.String())
	d = strings.TrimPrefix(d, "&lt;")
	for _, scheme := range []string{"http://", "https://", "mailto:"} {
		if strings.HasPrefix(d, scheme) && len(d) > len(scheme) {
			return true
		}
	}
	return false
}

// neutralizeLinks escapes the "]" of every inline link or image in line
// (outside code spans) whose destination is not safe, so it reads as the
// text typed; a link whose destination is not on the same line is treated
// as unsafe.
func neutralizeLinks(line string) string {
	if !strings.Contains(line, "](") {
		return line
	}
	var b strings.Builder
	b.Grow(len(line) + 4)
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '`':
			j := i
			for j < len(line) && line[j] == '`' {
				j++
			}
			run := line[i:j]
			if end := strings.Index(line[j:], run); end >= 0 {
				b.WriteString(line[i : j+end+len(run)])
				i = j + end + len(run)
				continue
			}
			b.WriteString(run)
			i = j
			continue
		case c == '\\' && i+1 < len(line):
			b.WriteString(line[i : i+2])
			i += 2
			continue
		case c == ']' && i+1 < len(line) && line[i+1] == '(':
			if dest, ok := linkDest(line[i+2:]); !ok || !safeLinkDest(dest) {
				b.WriteString(`\]`)
				i++
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// linkDest is the destination of an inline link whose "(" came just before
// s: up to the first space outside <...>, or the ")" that closes the link,
// parentheses nesting.
func linkDest(s string) (string, bool) {
	s = strings.TrimLeft(s, " \t")
	if strings.HasPrefix(s, "<") {
		end := strings.IndexByte(s, '>')
		if end < 0 {
			return "", false
		}
		return s[1:end], true
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return s[:i], true
			}
			depth--
		case ' ', '\t':
			return s[:i], true
		}
	}
	if s == "" {
		return "", false
	}
	return s, true
}

// neutralizeLinkDefinition escapes the "[" of a link reference definition
// ("[ref]: dest") whose destination is not safe, or not on its line, so
// no [text][ref] link can use it.
func neutralizeLinkDefinition(trimmed, line string) string {
	if !strings.HasPrefix(trimmed, "[") {
		return line
	}
	end := strings.Index(trimmed, "]:")
	if end < 0 || strings.Contains(trimmed[1:end], "]") {
		return line
	}
	dest := strings.TrimSpace(trimmed[end+2:])
	if f := strings.Fields(dest); len(f) > 0 {
		dest = f[0]
	}
	if dest != "" && safeLinkDest(dest) {
		return line
	}
	i := strings.IndexByte(line, '[')
	return line[:i] + `\` + line[i:]
}
