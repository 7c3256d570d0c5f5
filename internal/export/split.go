package export

import (
	"bytes"
	"strings"
)

// Part is one top-level section of an exported document: the text from
// its "## " heading up to the next. The first part, before any such
// heading, has an empty Title.
type Part struct {
	Title    string
	Markdown []byte
}

// Split cuts a document of the built-in layout at its level-2 headings.
// Retro prose cannot add one (Prose nests its headings deeper and closes
// every fence), so a "## " line outside a fenced code block is always the
// layout's own.
func Split(md []byte) []Part {
	var parts []Part
	cur := Part{}
	fence := ""
	for len(md) > 0 {
		line := md
		if i := bytes.IndexByte(md, '\n'); i >= 0 {
			line = md[:i+1]
		}
		md = md[len(line):]
		text := strings.TrimRight(string(line), "\r\n")
		trimmed := strings.TrimLeft(text, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
		case strings.HasPrefix(text, "## "):
			parts = append(parts, cur)
			cur = Part{Title: strings.TrimSpace(strings.TrimPrefix(text, "## "))}
		}
		cur.Markdown = append(cur.Markdown, line...)
	}
	return append(parts, cur)
}
