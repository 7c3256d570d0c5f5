package comms

import "github.com/warroom-cli/warroom/internal/incident"

// draftMemo keeps the draft as last wrapped and drawn. The pane is drawn
// every second for its countdown (warroom serve draws it for every idle
// session), and each frame wrapped the draft twice, once to plan the rows
// and once to draw them, and rendered every row again; the draft changes
// far less often than that. Both are kept by what they are drawn from, so
// a changed draft, width, height, template state or jargon finding draws
// anew.
type draftMemo struct {
	// text wrapped to w is spans.
	text  string
	w     int
	spans [][2]int
	// lines are the rows DraftLines drew at w×h for text, templated, with
	// the findings at marks.
	lines     []string
	h, lw     int
	templated bool
	marks     [][2]int
	drawn     bool
}

// wrapped is text wrapped to w, as wrapSpans breaks it.
func (c *Pane) wrapped(text string, w int) [][2]int {
	m := &c.memo
	if m.spans == nil || m.text != text || m.w != w {
		m.text, m.w, m.spans, m.drawn = text, w, wrapSpans(text, w), false
	}
	return m.spans
}

// drawnDraft returns the rows DraftLines drew for the same draft and
// size, or false.
func (c *Pane) drawnDraft(text string, w, h int) ([]string, bool) {
	m := &c.memo
	if !m.drawn || m.text != text || m.lw != w || m.h != h || m.templated != c.Templated || !sameMarks(m.marks, c.findings) {
		return nil, false
	}
	return m.lines, true
}

// keepDraft remembers the rows DraftLines drew.
func (c *Pane) keepDraft(text string, w, h int, lines []string) {
	m := &c.memo
	marks := make([][2]int, len(c.findings))
	for i, f := range c.findings {
		marks[i] = [2]int{f.Start, f.End}
	}
	m.lines, m.lw, m.h, m.templated, m.marks, m.drawn = lines, w, h, c.Templated, marks, m.text == text
}

// sameMarks reports whether the findings mark the spans marks.
func sameMarks(marks [][2]int, findings []incident.JargonFinding) bool {
	if len(marks) != len(findings) {
		return false
	}
	for i, f := range findings {
		if marks[i] != [2]int{f.Start, f.End} {
			return false
		}
	}
	return true
}
