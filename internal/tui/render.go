package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// fit makes a styled line exactly w cells wide: cut with an ellipsis when
// too long, padded with spaces when short.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// cut shortens a line to at most w cells without padding it.
func cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

// spread puts left and right on one line of width w, cutting left first.
func spread(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if rw >= w {
		return fit(right, w)
	}
	return fit(left, w-rw) + right
}

// box draws a pane: a rounded border with the title set into the top edge,
// an optional note at the right of the top edge, and body lines fitted to
// the inside. The result is exactly w×h.
func box(st *Styles, title, note string, body []string, w, h int, focused bool) string {
	if w < 2 || h < 2 {
		return blank(w, h)
	}
	bs, ts := st.Border, st.PaneTitle
	if focused {
		bs, ts = st.BorderFocused, st.PaneTitleFocused
	}
	inner := w - 2
	var b strings.Builder
	b.Grow(w * h * 2)

	// Top edge: ╭─ Title ───── note ─╮
	top := bs.Render("╭─")
	used := 2
	if title != "" && inner > 4 {
		t := cut(" "+title+" ", inner-2)
		top += ts.Render(t)
		used += ansi.StringWidth(t)
	}
	noteW := 0
	if note != "" {
		noteW = ansi.StringWidth(note) + 2
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
		top += bs.Render(strings.Repeat("─", max(fill, 0))) + " " + note + " " + bs.Render("─╮")
	} else {
		top += bs.Render(strings.Repeat("─", fill) + "╮")
	}
	b.WriteString(top)

	side := bs.Render("│")
	for i := 0; i < h-2; i++ {
		b.WriteByte('\n')
		line := ""
		if i < len(body) {
			line = body[i]
		}
		b.WriteString(side)
		b.WriteString(fit(line, inner))
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(bs.Render("╰" + strings.Repeat("─", inner) + "╯"))
	return b.String()
}

// blank is an empty w×h block.
func blank(w, h int) string {
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

// fitBlock makes a multi-line block exactly w×h: lines cut or padded,
// missing lines added, extra lines dropped.
func fitBlock(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return strings.Join(lines, "\n")
}

// wrap breaks plain text into lines of at most w cells.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(s, w, " -"), "\n")
}

// joinH places blocks side by side.
func joinH(blocks ...string) string { return lipgloss.JoinHorizontal(lipgloss.Top, blocks...) }
