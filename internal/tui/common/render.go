package common

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"

	"github.com/charmbracelet/x/ansi"
)

// Fit makes a styled line exactly w cells wide: cut with an ellipsis when
// too long, padded with spaces when short.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := Width(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// Cut shortens a line to at most w cells without padding it.
func Cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

// Spread puts left and right on one line of width w, cutting left first.
func Spread(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if rw >= w {
		return Fit(right, w)
	}
	return Fit(left, w-rw) + right
}

// Box draws a pane: a rounded border with the title set into the top edge,
// an optional note at the right of the top edge, and body lines fitted to
// the inside. The result is exactly w×h.
func Box(st *Styles, title, note string, body []string, w, h int, focused bool) string {
	if w < 2 || h < 2 {
		return Blank(w, h)
	}
	// The edges are the same from frame to frame (the title and note
	// aside): rendered once per size and kept (styles.go, edges).
	edge := func(kind byte, text string) string { return st.edge(focused, kind, text) }
	inner := w - 2
	var b strings.Builder
	b.Grow(w * h * 2)

	// Top edge: ╭─ Title ───── note ─╮
	top := edge('b', "╭─")
	used := 2
	if title != "" && inner > 4 {
		t := Cut(" "+title+" ", inner-2)
		top += edge('t', t)
		used += Width(t)
	}
	noteW := 0
	if note != "" {
		noteW = Width(note) + 2
		if used+noteW+2 > w {
			noteW = 0
		}
	}
	fill := w - used - 1 - noteW
	if fill < 0 {
		fill = 0
	}
	if noteW > 0 {
		fill--
		top += edge('b', strings.Repeat("─", max(fill, 0))) + " " + note + " " + edge('b', "─╮")
	} else {
		top += edge('b', strings.Repeat("─", fill)+"╮")
	}
	b.WriteString(top)

	side := edge('b', "│")
	for i := 0; i < h-2; i++ {
		b.WriteByte('\n')
		line := ""
		if i < len(body) {
			line = body[i]
		}
		b.WriteString(side)
		b.WriteString(Fit(line, inner))
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(edge('b', "╰"+strings.Repeat("─", inner)+"╯"))
	return b.String()
}

// Blank is an empty w×h block.
func Blank(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	line := strings.Repeat(" ", w)
	lines := make([]string, h)
	for i := range lines {
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// FitBlock makes a multi-line block exactly w×h: lines cut or padded,
// missing lines added, extra lines dropped.
func FitBlock(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i := range lines {
		lines[i] = Fit(lines[i], w)
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return strings.Join(lines, "\n")
}

// Wrap breaks plain text into lines of at most w cells.
func Wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(s, w, " -"), "\n")
}

// Plural picks the form of a noun for a count.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ClockAt formats t as HH:MM in now's time zone, with the weekday when it
// is within a week of now, the date when further, and the year when not
// this year's: a due time two years late reads as such.
func ClockAt(t, now time.Time) string {
	t = t.In(now.Location())
	d := t.Sub(now)
	switch {
	case SameDay(t, now):
		return t.Format("15:04")
	case d > -6*24*time.Hour && d < 6*24*time.Hour:
		return t.Format("Mon 15:04")
	case t.Year() == now.Year():
		return t.Format("Jan 2 15:04")
	}
	return t.Format("Jan 2 2006 15:04")
}

// WithHelp relabels a binding for one place.
func WithHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// SameDay reports whether a and b fall on the same calendar day.
func SameDay(a, b time.Time) bool {
	y1, m1, d1 := a.Date()
	y2, m2, d2 := b.Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}
