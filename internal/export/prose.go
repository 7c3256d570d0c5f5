package export

import (
	"strings"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Prose makes a retro section's text safe as Markdown body under a heading
// of level parent (## is 2), keeping what people write in Markdown: lists,
// emphasis, links, inline code and code blocks survive. What could break
// the document never does:
//
//   - escape and control sequences are stripped (incident.CleanText);
//   - raw HTML cannot appear: every "<" outside code is written as "&lt;",
//     so no tag, comment or HTML block is ever opened (autolinks in angle
//     brackets read as text; [text](url) links still work);
//   - entity and numeric references cannot smuggle characters in: "&"
//     outside code is written as "&amp;" when it would start a reference;
//   - headings nest below the section's: "# x" becomes level parent+1,
//     "## x" parent+2 and so on (at most 6), and a setext underline is
//     escaped, so the document's outline stays the template's;
//   - links and images lead only to http, https and mailto (links.go);
//     others read as the text typed;
//   - an unclosed code fence is closed at the end, so it cannot swallow
//     the sections after it.
func Prose(s string, parent int) string {
	s = incident.CleanText(s)
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines)+1)
	fence := "" // the open fence's marker ("```" or "~~~"), "" outside one
	prevText := false
	for _, line := range lines {
		line = strings.TrimRight(line, " \t")
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		if fence != "" {
			// Closed by a run of the same character at least as long, with
			// nothing after it.
			if indent < 4 && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			out = append(out, line)
			prevText = false
			continue
		}
		if run := fenceRun(trimmed); indent < 4 && run != "" {
			fence = run
			out = append(out, line)
			prevText = false
			continue
		}
		if indent >= 4 && !prevText {
			// An indented code block: its text is literal.
			out = append(out, line)
			continue
		}
		switch {
		case indent < 4 && isATXHeading(trimmed):
			level := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			level = min(level+parent, 6)
			rest := strings.TrimSpace(strings.TrimLeft(trimmed, "#"))
			line = strings.Repeat("#", level) + " " + neutralizeLinks(escapeInlineHTML(rest))
		case indent < 4 && prevText && isSetextUnderline(trimmed):
			// "Title\n====" would make a heading at the document's level.
			line = "\\" + trimmed
		default:
			line = neutralizeLinks(escapeInlineHTML(line))
			if indent < 4 {
				line = neutralizeLinkDefinition(strings.TrimLeft(line, " "), line)
			}
		}
		out = append(out, line)
		prevText = strings.TrimSpace(line) != ""
	}
	if fence != "" {
		out = append(out, fence)
	}
	return strings.Trim(strings.Join(out, "\n"), "\n")
}

// fenceRun is the run of three or more backticks or tildes opening a code
// fence at the start of s, or "".
func fenceRun(s string) string {
	if len(s) < 3 || (s[0] != '`' && s[0] != '~') {
		return ""
	}
	n := 0
	for n < len(s) && s[n] == s[0] {
		n++
	}
	if n < 3 || (s[0] == '`' && strings.Contains(s[n:], "`")) {
		// A backtick fence's info string cannot hold a backtick.
		return ""
	}
	return s[:n]
}

// isATXHeading reports whether a line opens an ATX heading: one to six #
// followed by a space or the end of the line.
func isATXHeading(s string) bool {
	n := len(s) - len(strings.TrimLeft(s, "#"))
	return n >= 1 && n <= 6 && (len(s) == n || s[n] == ' ' || s[n] == '\t')
}

// isSetextUnderline reports a line of only = or only - (with spaces).
func isSetextUnderline(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	return s != "" && (strings.Trim(s, "=") == "" || strings.Trim(s, "-") == "")
}

// escapeInlineHTML writes "<" as "&lt;" and a reference-opening "&" as
// "&amp;" outside code spans, leaving the rest of the Markdown alone.
func escapeInlineHTML(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		if s[i] == '`' {
			// A code span: copy it whole, up to the same run of backticks.
			j := i
			for j < len(s) && s[j] == '`' {
				j++
			}
			run := s[i:j]
			if end := strings.Index(s[j:], run); end >= 0 {
				b.WriteString(s[i : j+end+len(run)])
				i = j + end + len(run)
				continue
			}
			b.WriteString(run)
			i = j
			continue
		}
		switch {
		case s[i] == '<':
			b.WriteString("&lt;")
		case s[i] == '&' && i+1 < len(s) && (s[i+1] == '#' || isLetter(s[i+1])):
			b.WriteString("&amp;")
		case s[i] == '\\' && i+1 < len(s):
			// Keep an escape and what it escapes together.
			b.WriteString(s[i : i+2])
			i += 2
			continue
		default:
			b.WriteByte(s[i])
		}
		i++
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
