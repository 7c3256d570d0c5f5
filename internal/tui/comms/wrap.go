package comms

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// wrapSpans breaks text into rows of at most w cells at spaces, and hard
// breaks words longer than a row. It returns each row's byte span in text,
// so marks found on the whole text can be drawn on the rows.
func wrapSpans(text string, w int) [][2]int {
	w = max(w, 1)
	var out [][2]int
	start := 0
	for start <= len(text) {
		nl := strings.IndexByte(text[start:], '\n')
		end := len(text)
		if nl >= 0 {
			end = start + nl
		}
		out = append(out, wrapLine(text, start, end, w)...)
		if nl < 0 {
			break
		}
		start = end + 1
	}
	return out
}

func wrapLine(text string, start, end, w int) [][2]int {
	var out [][2]int
	for {
		// Skip the spaces a wrap left at the start of a row.
		for start < end && text[start] == ' ' && len(out) > 0 {
			start++
		}
		if ansi.StringWidth(text[start:end]) <= w {
			return append(out, [2]int{start, end})
		}
		// Find the last space that keeps the row within w cells.
		cells, i, lastSpace := 0, start, -1
		for i < end {
			r, size := utf8.DecodeRuneInString(text[i:end])
			rw := ansi.StringWidth(string(r))
			if cells+rw > w {
				break
			}
			if r == ' ' {
				lastSpace = i
			}
			cells += rw
			i += size
		}
		cutAt := i
		if lastSpace > start {
			cutAt = lastSpace
		}
		if cutAt == start {
			// A single character wider than the row.
			_, size := utf8.DecodeRuneInString(text[start:end])
			cutAt = start + size
		}
		out = append(out, [2]int{start, cutAt})
		start = cutAt
	}
}
