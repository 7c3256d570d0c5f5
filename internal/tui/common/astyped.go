package common

import "strings"

// The preview shows text as typed. Two things in glamour get in the way:
// it prints the backslash of some escapes the export writes ("\~300 GB",
// "\=", "\:"), and it wraps lines after any hyphen, so "rm -rf" can end
// one line with "rm -" and start the next with "rf". Before rendering,
// those escapes become character references glamour decodes, and a
// hyphen inside a word or opening an option ("-rf", "--force", "db-1")
// becomes nbHyphen, which glamour does not break at; the rendered text
// gets its hyphens back. Code spans and fenced blocks are left alone.

// nbHyphen stands in for "-", and nbSpace for the space before an option
// ("rm -rf"), while glamour lays the text out: one column wide like them,
// and not a place to break. Both are private-use characters, which typed
// text does not carry.
const (
	nbHyphen = '\ue001'
	nbSpace  = '\ue000'
)

// escapedRefs are the escapes glamour shows with their backslash, and the
// character references it shows as the character.
var escapedRefs = map[byte]string{'~': "&#126;", '=': "&#61;", ':': "&#58;"}

// asTyped prepares md for glamour as described above.
func asTyped(md string) string {
	lines := strings.Split(md, "\n")
	fence := ""
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(strings.TrimSpace(trimmed), fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if len(trimmed) >= 3 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
			n := 0
			for n < len(trimmed) && trimmed[n] == trimmed[0] {
				n++
			}
			fence = trimmed[:n]
			continue
		}
		lines[i] = lineAsTyped(line)
	}
	return strings.Join(lines, "\n")
}

func lineAsTyped(s string) string {
	if !strings.ContainsAny(s, "-\\") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '`':
			// A code span: copy it whole.
			j := i
			for j < len(s) && s[j] == '`' {
				j++
			}
			run := s[i:j]
			if end := strings.Index(s[j:], run); end >= 0 {
				b.WriteString(s[i : j+end+len(run)])
				i = j + end + len(run) - 1
				continue
			}
			b.WriteString(run)
			i = j - 1
		case c == '\\' && i+1 < len(s):
			if ref, ok := escapedRefs[s[i+1]]; ok {
				b.WriteString(ref)
			} else {
				b.WriteString(s[i : i+2])
			}
			i++
		case c == '-' && inWord(s, i):
			b.WriteRune(nbHyphen)
		case c == ' ' && i > 0 && s[i-1] != ' ' && i+1 < len(s) && s[i+1] == '-' && inWord(s, i+1) && !lineStart(s, i):
			// "rm -rf" stays on one line.
			b.WriteRune(nbSpace)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// inWord reports whether the run of hyphens around s[i] is followed by a
// letter or digit: part of a word or an option, not Markdown structure (a
// list bullet, a table's delimiter row, a rule).
func inWord(s string, i int) bool {
	j := i
	for j < len(s) && s[j] == '-' {
		j++
	}
	if j == len(s) {
		return false
	}
	c := s[j]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lineStart reports whether only spaces and Markdown markers come before
// s[i] (a list bullet's space must stay a space).
func lineStart(s string, i int) bool {
	return strings.Trim(s[:i], " -*+>0123456789.)") == ""
}

// restoreHyphens gives the rendered text its hyphens and spaces back.
func restoreHyphens(s string) string {
	return strings.NewReplacer(string(nbHyphen), "-", string(nbSpace), " ").Replace(s)
}
