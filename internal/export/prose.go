package export

import (
	"strconv"
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
//   - headings nest one level below the section's with no skipped level:
//     the shallowest heading typed becomes level parent+1 and each one at
//     most one deeper than the one before (at most 6), so "## x" under
//     Introduction is "### x"; a setext underline is escaped, so the
//     document's outline stays the template's;
//   - links and images lead only to http, https and mailto (links.go);
//     others read as the text typed;
//   - an unclosed code fence is closed at the end, so it cannot swallow
//     the sections after it.
//
// The result also passes markdownlint's default rules, as the rest of the
// export does: blank lines around headings, lists, tables and code fences,
// no runs of blank lines, "-" bullets, fences with a language, tables
// with a pipe at each end and every cell filled.
func Prose(s string, parent int) string {
	return proseIn(s, parent, nil)
}

// proseLine is one line of prose with what kind of block it belongs to.
type proseLine struct {
	text string
	kind proseKind
	// level is the heading level as typed, for headings.
	level int
	// ordered marks a list item opened by "1." rather than a bullet, and
	// top one not indented: a list of the other kind after it is a new
	// list.
	ordered, top bool
	// num and delim are an ordered item's number and "." or ")".
	num   int
	delim byte
}

// prevTopItem is the top-level list item the lines so far end in, if
// they end in a list.
func prevTopItem(toks []proseLine) (proseLine, bool) {
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		switch {
		case t.kind == proseList && t.top:
			return t, true
		case t.kind == proseList || t.kind == proseBlank:
			continue
		}
		return proseLine{}, false
	}
	return proseLine{}, false
}

type proseKind int

const (
	proseText proseKind = iota
	proseBlank
	proseHeading
	proseList       // a list item's first line
	proseFence      // a line inside a fenced block
	proseFenceOpen  // the line opening a fenced block
	proseFenceClose // the line closing it
	proseCode       // an indented code line
	proseTable
)

// proseIn is Prose with the document's headings so far in seen (nil for
// none): a heading whose text is already there gets the section's parent
// heading count appended, so no two headings read the same (MD024).
func proseIn(s string, parent int, seen map[string]bool) string {
	s = incident.CleanText(s)
	lines := strings.Split(s, "\n")
	toks := make([]proseLine, 0, len(lines)+1)
	fence := "" // the open fence's marker ("```" or "~~~"), "" outside one
	prev := proseBlank
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		if fence != "" {
			// Closed by a run of the same character at least as long, with
			// nothing after it.
			kind := proseFence
			if indent < 4 && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence, kind = "", proseFenceClose
			}
			toks = append(toks, proseLine{text: line, kind: kind})
			prev = kind
			continue
		}
		if run := fenceRun(trimmed); indent < 4 && run != "" {
			fence = run
			if strings.TrimSpace(trimmed[len(run):]) == "" {
				// A fence says what it holds (MD040); "text" when unsaid.
				line += "text"
			}
			toks = append(toks, proseLine{text: line, kind: proseFenceOpen})
			prev = proseFenceOpen
			continue
		}
		if trimmed == "" {
			toks = append(toks, proseLine{kind: proseBlank})
			prev = proseBlank
			continue
		}
		if indent >= 4 && prev == proseBlank && inList(toksTrimmed(toks)) {
			// A list item's next paragraph, indented under it.
			toks = append(toks, proseLine{text: neutralizeLinks(escapeInlineHTML(line)), kind: proseList})
			prev = proseList
			continue
		}
		if indent >= 4 && prev != proseText && prev != proseList {
			// An indented code block: its text is literal.
			toks = append(toks, proseLine{text: line, kind: proseCode})
			prev = proseCode
			continue
		}
		if indent < 4 && i+1 < len(lines) && isTableStart(trimmed, lines[i+1]) {
			// A table: its rows run to a blank line.
			n := 0
			rows := [][]string{splitRow(trimmed)}
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
				rows = append(rows, splitRow(strings.TrimSpace(lines[i])))
			}
			i--
			n = len(rows[0])
			for _, row := range tableLines(rows, n) {
				toks = append(toks, proseLine{text: row, kind: proseTable})
			}
			prev = proseTable
			continue
		}
		kind := proseText
		switch {
		case indent < 4 && isATXHeading(trimmed):
			level := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			rest := strings.TrimSpace(strings.TrimLeft(trimmed, "#"))
			// A closing sequence ("# x #") is not part of the text.
			if r := strings.TrimRight(rest, "#"); r != rest && (r == "" || strings.HasSuffix(r, " ")) {
				rest = strings.TrimSpace(r)
			}
			if rest == "" {
				// An empty heading says nothing and fails MD009/MD018.
				continue
			}
			toks = append(toks, proseLine{text: neutralizeLinks(imageAlt(asteriskEmphasis(escapeInlineHTML(rest)))), kind: proseHeading, level: level})
			prev = proseHeading
			continue
		case indent < 4 && prev == proseText && isSetextUnderline(trimmed):
			// "Title\n====" would make a heading at the document's level.
			line = "\\" + trimmed
		default:
			m := listMarker(trimmed)
			if m != "" && prev == proseText && m != "-" && m != "*" && m != "+" && m != "1." && m != "1)" {
				// Only a bullet or "1." starts a list inside a
				// paragraph: "2017. Then" stays text.
				m = ""
			}
			if m != "" && indent < 4 {
				kind = proseList
				if (m == "*" || m == "+") && strings.TrimSpace(trimmed[1:]) != "" {
					// One bullet style through the document (MD004).
					line = line[:indent] + "-" + line[indent+1:]
				}
			} else if prev == proseList || (prev == proseText && inList(toks)) {
				if indent == 0 {
					// A lazy continuation of a list item reads as the
					// paragraph after the list it looks like.
					toks = append(toks, proseLine{kind: proseBlank})
				} else {
					kind = proseList
				}
			}
			line = escapeNestedBlocks(neutralizeLinks(imageAlt(asteriskEmphasis(escapeInlineHTML(tidyMarkers(line, indent))))))
			if indent < 4 {
				line = neutralizeLinkDefinition(strings.TrimLeft(line, " "), line)
			}
		}
		if kind == proseText && prev == proseList && indent > 0 {
			kind = proseList
		}
		if indent < 4 && strings.HasPrefix(trimmed, ">") {
			if n := len(toks); n >= 2 && toks[n-1].kind == proseBlank && toks[n-2].kind == proseText && strings.HasPrefix(strings.TrimLeft(toks[n-2].text, " "), ">") {
				// Two quotes a blank line apart read as one with two
				// paragraphs (MD028).
				toks[n-1] = proseLine{text: ">", kind: proseText}
			}
		}
		tok := proseLine{text: line, kind: kind}
		if m := listMarker(trimmed); kind == proseList && m != "" {
			tok.ordered, tok.top = m[0] >= '0' && m[0] <= '9', indent == 0
			if tok.ordered && tok.top {
				// Numbered as a renderer numbers them (MD029): one more
				// than the item before in the same list.
				tok.num, _ = strconv.Atoi(m[:len(m)-1])
				if p, ok := prevTopItem(toks); ok && p.ordered && p.delim == m[len(m)-1] {
					tok.num = p.num + 1
					tok.text = strconv.Itoa(tok.num) + tok.text[len(m)-1:]
				}
				tok.delim = m[len(m)-1]
			}
		}
		toks = append(toks, tok)
		prev = kind
	}
	if fence != "" {
		toks = append(toks, proseLine{text: fence, kind: proseFenceClose})
	}
	return joinProse(normalizeCode(toks), parent, seen)
}

// normalizeCode writes every code block one way (markdownlint MD046,
// MD048): indented blocks become fenced ones, and tilde fences backtick
// ones, each fence longer than any backtick run opening a line inside.
func normalizeCode(toks []proseLine) []proseLine {
	out := make([]proseLine, 0, len(toks)+4)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case proseCode:
			// The block runs over blank lines to its last code line.
			end := i
			for j := i; j < len(toks) && (toks[j].kind == proseCode || toks[j].kind == proseBlank); j++ {
				if toks[j].kind == proseCode {
					end = j
				}
			}
			var body []string
			for _, c := range toks[i : end+1] {
				body = append(body, stripIndent(c.text, 4))
			}
			fence := backtickFence(body)
			out = append(out, proseLine{text: fence + "text", kind: proseFenceOpen})
			for _, b := range body {
				out = append(out, proseLine{text: b, kind: proseFence})
			}
			out = append(out, proseLine{text: fence, kind: proseFenceClose})
			i = end
		case proseFenceOpen:
			trimmed := strings.TrimLeft(t.text, " ")
			indent := t.text[:len(t.text)-len(trimmed)]
			if !strings.HasPrefix(trimmed, "~") {
				out = append(out, t)
				continue
			}
			run := fenceRun(trimmed)
			info := strings.TrimSpace(trimmed[len(run):])
			if info == "" || strings.Contains(info, "`") {
				info = "text"
			}
			end := i + 1
			for end < len(toks) && toks[end].kind == proseFence {
				end++
			}
			var body []string
			for _, c := range toks[i+1 : end] {
				body = append(body, c.text)
			}
			fence := backtickFence(body)
			out = append(out, proseLine{text: indent + fence + info, kind: proseFenceOpen})
			for _, b := range body {
				out = append(out, proseLine{text: b, kind: proseFence})
			}
			out = append(out, proseLine{text: indent + fence, kind: proseFenceClose})
			i = end // the closing line (or past the end when unclosed)
		default:
			out = append(out, t)
		}
	}
	return out
}

// stripIndent removes up to n columns of leading spaces (a tab counts as
// reaching the next multiple of four).
func stripIndent(s string, n int) string {
	col := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return s[i:]
		}
		if col >= n {
			return strings.Repeat(" ", col-n) + s[i+1:]
		}
	}
	return ""
}

// backtickFence is a backtick fence longer than any run of backticks
// opening one of the lines, so none of them closes it.
func backtickFence(lines []string) string {
	n := 3
	for _, l := range lines {
		l = strings.TrimLeft(l, " ")
		k := 0
		for k < len(l) && l[k] == '`' {
			k++
		}
		n = max(n, k+1)
	}
	return strings.Repeat("`", n)
}

// joinProse maps typed heading levels below parent, then joins the lines
// with one blank line around every heading, list, table and fenced block
// and never two blank lines in a row.
func joinProse(toks []proseLine, parent int, seen map[string]bool) string {
	shallowest := 0
	for _, t := range toks {
		if t.kind == proseHeading && (shallowest == 0 || t.level < shallowest) {
			shallowest = t.level
		}
	}
	var b strings.Builder
	last := proseBlank // the kind of the last line written
	blank := func() {
		if b.Len() > 0 && last != proseBlank {
			b.WriteString("\n")
			last = proseBlank
		}
	}
	write := func(s string, k proseKind) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s)
		last = k
	}
	prevLevel := parent
	var item proseLine // the last top-level list item
	for _, t := range toks {
		if t.kind == proseList && t.top {
			if item.top && item.ordered != t.ordered && last == proseList {
				// A bullet list then an ordered one: two lists (MD032).
				blank()
			}
			item = t
		} else if t.kind != proseList {
			item = proseLine{}
		}
		switch t.kind {
		case proseBlank:
			blank()
		case proseHeading:
			level := min(t.level-shallowest+parent+1, prevLevel+1, 6)
			prevLevel = level
			text := t.text
			if seen != nil {
				text = uniqueHeading(text, seen)
			}
			blank()
			write(strings.Repeat("#", level)+" "+text, proseHeading)
		case proseFenceOpen:
			blank()
			write(t.text, proseFence)
		case proseFence:
			write(t.text, proseFence)
		case proseFenceClose:
			write(t.text, proseFence)
			// What follows starts after a blank line (MD031).
			last = proseHeading
		default:
			if last != proseBlank && (last == proseHeading || last != t.kind && (t.kind == proseList || t.kind == proseTable || last == proseList || last == proseTable || last == proseCode || t.kind == proseCode)) {
				blank()
			}
			write(t.text, t.kind)
		}
	}
	return strings.Trim(b.String(), "\n")
}

// toksTrimmed is toks without its trailing blank lines.
func toksTrimmed(toks []proseLine) []proseLine {
	for len(toks) > 0 && toks[len(toks)-1].kind == proseBlank {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// inList reports whether the lines so far end inside a list item.
func inList(toks []proseLine) bool {
	for i := len(toks) - 1; i >= 0; i-- {
		switch toks[i].kind {
		case proseList:
			return true
		case proseText:
			continue
		}
		return false
	}
	return false
}

// listMarker is the bullet ("-", "*", "+") or the ordered marker ("1.")
// opening a list item on s, or "".
func listMarker(s string) string {
	if len(s) == 0 {
		return ""
	}
	if c := s[0]; c == '-' || c == '*' || c == '+' {
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' {
			if isThematicBreak(s) {
				return ""
			}
			return s[:1]
		}
		return ""
	}
	n := 0
	for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n < len(s) && (s[n] == '.' || s[n] == ')') && (n+1 == len(s) || s[n+1] == ' ' || s[n+1] == '\t') {
		return s[:n+1]
	}
	return ""
}

// isThematicBreak reports a line of three or more *, - or _ (with
// spaces).
func isThematicBreak(s string) bool {
	s = strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\t", "")
	return len(s) >= 3 && strings.Trim(s, s[:1]) == "" && strings.ContainsAny(s[:1], "*-_")
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

// layoutHeadings are the headings the built-in layout writes itself
// (below the title), so no prose heading or section repeats one.
func layoutHeadings(handovers, findings bool) map[string]bool {
	seen := map[string]bool{}
	for _, h := range []string{"Roles", "Introduction", "Key metrics", "Public updates", "Timeline", "Five whys",
		"Contributing factors", "Actions", "Immediate", "Long-term", "Review", "Contributors"} {
		seen[h] = true
	}
	if handovers {
		seen["Handovers"] = true
	}
	if findings {
		seen["Possible deficiencies"] = true
	}
	return seen
}

// uniqueHeading is text, or text with " (2)", " (3)"... when a heading of
// the document already reads so; it is added to seen.
func uniqueHeading(text string, seen map[string]bool) string {
	t := text
	for n := 2; seen[t]; n++ {
		t = text + " (" + strconv.Itoa(n) + ")"
	}
	seen[t] = true
	return t
}

// escapeNestedBlocks escapes a heading or a setext underline opened
// inside a list item or a block quote ("- # x", "> ## y"): its level could
// not be nested below the section's, so it reads as text.
func escapeNestedBlocks(line string) string {
	i := 0
	for {
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		rest := line[j:]
		if strings.HasPrefix(rest, ">") {
			i = j + 1
			continue
		}
		if m := listMarker(rest); m != "" {
			i = j + len(m)
			continue
		}
		if i == 0 {
			return line
		}
		if isATXHeading(rest) || strings.HasPrefix(rest, "=") || isSetextUnderline(rest) {
			return line[:j] + "\\" + rest
		}
		return line
	}
}
