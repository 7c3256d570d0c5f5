package common

import (
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
)

// Measuring lines once.
//
// A frame is mostly the lines of the frame before: the same timeline rows,
// the same panes, each measured again (ansi.StringWidth walks every
// grapheme and escape sequence) by Fit, by every Box for each of its body
// lines, and by the joins. In a room of 50 that was a third of the
// server's CPU. Width remembers the width of every styled line measured
// lately, for every session of the process (sessions with the same theme
// and width draw the same rows), so a line already drawn costs a map
// lookup. Plain ASCII is counted, not looked up.

// widthMemoSize bounds each generation of the memo (a few MB at most):
// the lines of the frames of 50 sessions, or of a hundred local frames.
const widthMemoSize = 1 << 13

var widths = struct {
	sync.Mutex
	cur, prev map[string]int
}{cur: map[string]int{}}

// Width is the number of cells s takes, as ansi.StringWidth counts them.
func Width(s string) int {
	if plainASCII(s) {
		return len(s)
	}
	widths.Lock()
	w, ok := widths.cur[s]
	if !ok {
		if w, ok = widths.prev[s]; ok {
			widths.cur[s] = w
		}
	}
	widths.Unlock()
	if ok {
		return w
	}
	w = ansi.StringWidth(s)
	widths.Lock()
	if len(widths.cur) >= widthMemoSize {
		// The older generation goes; lines still drawn move to the
		// new one as they are looked up.
		widths.prev, widths.cur = widths.cur, make(map[string]int, widthMemoSize/4)
	}
	widths.cur[strings.Clone(s)] = w
	widths.Unlock()
	return w
}

// plainASCII reports whether s is printable ASCII only: one cell a byte.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// JoinH places blocks side by side, top-aligned: each block as wide as
// its widest line, shorter lines and missing lines padded with spaces (as
// lipgloss.JoinHorizontal does, with the widths remembered).
func JoinH(blocks ...string) string {
	if len(blocks) == 0 {
		return ""
	}
	if len(blocks) == 1 {
		return blocks[0]
	}
	lines := make([][]string, len(blocks))
	ws := make([][]int, len(blocks))
	maxW := make([]int, len(blocks))
	rows := 0
	for i, b := range blocks {
		lines[i] = strings.Split(b, "\n")
		ws[i] = make([]int, len(lines[i]))
		for j, l := range lines[i] {
			ws[i][j] = Width(l)
			maxW[i] = max(maxW[i], ws[i][j])
		}
		rows = max(rows, len(lines[i]))
	}
	// The bytes of the result, counted first: lines of styled text are
	// several bytes a cell, and a builder grown by guess copies the frame
	// over and over as it fills.
	size := max(rows-1, 0)
	for r := range rows {
		for i := range blocks {
			w := 0
			if r < len(lines[i]) {
				size += len(lines[i][r])
				w = ws[i][r]
			}
			size += max(maxW[i]-w, 0)
		}
	}
	var out strings.Builder
	out.Grow(size)
	for r := range rows {
		if r > 0 {
			out.WriteByte('\n')
		}
		for i := range blocks {
			w := 0
			if r < len(lines[i]) {
				out.WriteString(lines[i][r])
				w = ws[i][r]
			}
			if pad := maxW[i] - w; pad > 0 {
				out.WriteString(strings.Repeat(" ", pad))
			}
		}
	}
	return out.String()
}
