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
	merged, _ := incident.MergeText(base, ta.Value(), incoming)
	Replace(ta, merged)
	return merged
}

// Replace shows next in the editor in place of what it holds, with the
// cursor where the person was typing (MapCursor), not at the end of the
// text as textarea.SetValue leaves it: a save that comes back merged with
// a teammate's words must not send the next word into their line.
func Replace(ta *textarea.Model, next string) {
	local := ta.Value()
	if next == local {
		return
	}
	merged := next
	li := ta.LineInfo()
	row, col := ta.Line(), li.StartColumn+li.ColumnOffset
	ta.SetValue(merged)
	if local == "" {
		// Nothing here yet: take it all, and write on at its end.
		return
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
}

// MapCursor finds, in next, the place of the cursor at (row, col) in prev:
// the same line where it is still there (incident.MatchLines), at the same
// column. A line a teammate's words were merged into is the one between
// the same neighbours, with the cursor before the same text it was before
// (at the end when it was at the end).
func MapCursor(prev, next string, row, col int) (int, int) {
	a, b := strings.Split(prev, "\n"), strings.Split(next, "\n")
	row = min(max(row, 0), len(a)-1)
	match := incident.MatchLines(a, b)
	if j, ok := match[row]; ok {
		return j, col
	}
	// Between the nearest matched lines above and below.
	lo, hi := -1, len(b)
	for r := row - 1; r >= 0; r-- {
		if j, ok := match[r]; ok {
			lo = j
			break
		}
	}
	for r := row + 1; r < len(a); r++ {
		if j, ok := match[r]; ok {
			hi = j
			break
		}
	}
	line := []rune(a[row])
	col = min(max(col, 0), len(line))
	before, after := string(line[:col]), string(line[col:])
	// Of the lines between that still hold what followed the cursor, the
	// one that begins most like what preceded it: the person's own line,
	// not a teammate's changed beside it (with the cursor at the end,
	// every line "holds" the empty rest, and the last of them may be
	// someone else's). On a tie the last: a conflict keeps ours after
	// theirs.
	best, bestK, bestScore := -1, 0, -1
	for j := hi - 1; j > lo; j-- {
		k := strings.LastIndex(b[j], after)
		if k < 0 {
			continue
		}
		if score := commonPrefix(b[j][:k], before); score > bestScore {
			best, bestK, bestScore = j, k, score
		}
	}
	if best >= 0 {
		return best, len([]rune(b[best][:bestK]))
	}
	return min(lo+1, len(b)-1), 0
}

// commonPrefix is how many bytes a and b begin with alike.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
