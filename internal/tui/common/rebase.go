package common

import (
	"strings"

	"github.com/charmbracelet/bubbles/textarea"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Rebase brings a teammate's change into an open editor without moving the
// person who is typing in it (product.md §1a): the editor showed base (the
// stored text it last took) and now holds the person's own text, perhaps
// with words not saved yet; incoming is the stored text with the
// teammate's change. The editor then holds both merged (incident.MergeText:
// where both changed the same lines, theirs first and ours after), and the
// cursor stays on the same line of the person's own text, at the same
// column, wherever the teammate's lines moved it. It returns the merged
// text.
func Rebase(ta *textarea.Model, base, incoming string) string {
	local := ta.Value()
	merged, _ := incident.MergeText(base, local, incoming)
	if merged == local {
		return merged
	}
	li := ta.LineInfo()
	row, col := ta.Line(), li.StartColumn+li.ColumnOffset
	ta.SetValue(merged)
	if local == "" {
		// Nothing here yet: take it all, and write on at its end.
		return merged
	}
	row, col = MapCursor(local, merged, row, col)
	for ta.Line() > row {
		before := ta.Line()
		ta.CursorUp()
		if ta.Line() == before && ta.LineInfo().RowOffset == 0 {
			break
		}
	}
	ta.SetCursor(col)
	return merged
}

// MapCursor finds, in next, the place of the cursor at (row, col) in prev:
// the same line where it is still there (matched by a longest common
// subsequence of lines), else the line after the last one that is.
func MapCursor(prev, next string, row, col int) (int, int) {
	a, b := strings.Split(prev, "\n"), strings.Split(next, "\n")
	if row >= len(a) {
		row = len(a) - 1
	}
	match := lineMatches(a, b)
	if j, ok := match[row]; ok {
		return j, col
	}
	// The cursor's line is gone (merged into another): go to the line
	// after the nearest one above that is still there.
	for r := row - 1; r >= 0; r-- {
		if j, ok := match[r]; ok {
			return min(j+1, len(b)-1), 0
		}
	}
	return 0, 0
}

// lineMatches pairs the lines of a and b that a longest common
// subsequence keeps: index in a -> index in b.
func lineMatches(a, b []string) map[int]int {
	n, m := len(a), len(b)
	if n*m > 1<<22 {
		// Too long to align cheaply: keep the row as it is.
		out := map[int]int{}
		for i := range min(n, m) {
			out[i] = i
		}
		return out
	}
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	out := map[int]int{}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			out[i] = j
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}
