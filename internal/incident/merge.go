package incident

import (
	"slices"
	"strings"
	"unicode"
)

// MergeResult is the outcome of a three-way merge.
type MergeResult struct {
	Text string
	// Conflict reports that both sides changed the same lines, so both
	// versions of them were kept, theirs first, ours right after.
	Conflict bool
}

// Merge3 merges two edits of one text made from a common base: ours (the
// person saving now, from a stale copy) and theirs (what is stored, saved
// by someone else meanwhile). It works on lines, as people write retro
// prose: changes to different lines both apply; where both changed the same
// lines it looks at their words, and changes to different words both apply
// too (two people typing into one line at once); where both changed the
// same words, neither is dropped, both versions of the lines are kept side
// by side. Shared
// texts are never silently overwritten (product.md §1a).
func Merge3(base, ours, theirs string) MergeResult {
	switch {
	case ours == theirs:
		return MergeResult{Text: ours}
	case ours == base:
		return MergeResult{Text: theirs}
	case theirs == base:
		return MergeResult{Text: ours}
	}
	b, o, t := splitLines(base), splitLines(ours), splitLines(theirs)
	const maxCells = 4 << 20
	if len(b)*max(len(o), len(t)) > maxCells {
		// Too long to diff cheaply: keep both whole.
		return MergeResult{Text: strings.TrimRight(theirs, "\n") + "\n\n" + ours, Conflict: true}
	}
	out, conflict := merge3(b, o, t, false, func(base, mine, theirs []string) ([]string, bool) {
		// Both changed the same lines: merged word by word when they
		// changed different words (one typed at the end of a line,
		// the other in its middle), else both versions kept.
		if words, ok := mergeWords(base, mine, theirs); ok {
			return words, true
		}
		return append(slices.Clone(theirs), mine...), false
	})
	return MergeResult{Text: strings.Join(out, "\n"), Conflict: conflict}
}

// mergeWords merges one clash of lines word by word: ok is false when the
// two changed the same words.
func mergeWords(base, mine, theirs []string) ([]string, bool) {
	b, m, t := wordsOf(base), wordsOf(mine), wordsOf(theirs)
	if len(b)*max(len(m), len(t)) > 1<<20 {
		return nil, false
	}
	// Edits that touch (a word typed right after one the other replaced)
	// clash: merged, they would read as neither person wrote.
	out, conflict := merge3(b, m, t, true, func(_, _, _ []string) ([]string, bool) { return nil, false })
	if conflict {
		return nil, false
	}
	return splitLines(strings.Join(out, "")), true
}

// wordsOf splits lines into words, each with the space after it, and the
// line breaks, so that joining the pieces gives the text back exactly.
func wordsOf(lines []string) []string {
	var out []string
	for i, l := range lines {
		if i > 0 {
			out = append(out, "\n")
		}
		start, inSpace := 0, false
		for j, r := range l {
			sp := unicode.IsSpace(r)
			if inSpace && !sp {
				out = append(out, l[start:j])
				start = j
			}
			inSpace = sp
		}
		if start < len(l) {
			out = append(out, l[start:])
		}
	}
	return out
}

// merge3 merges two edits (ours, theirs) of base, as sequences of lines or
// words. A run both changed alike is taken once; one both changed
// differently goes to clash, which returns what stands there and whether
// that settled it (false: a conflict, both kept).
//
// touching makes edits that only touch (one ends where the other starts)
// one cluster too.
func merge3(b, o, t []string, touching bool, clash func(base, mine, theirs []string) ([]string, bool)) ([]string, bool) {
	ho, ht := lineHunks(b, o), lineHunks(b, t)
	type tagged struct {
		hunk
		side int // 0 ours, 1 theirs
	}
	all := make([]tagged, 0, len(ho)+len(ht))
	for _, h := range ho {
		all = append(all, tagged{h, 0})
	}
	for _, h := range ht {
		all = append(all, tagged{h, 1})
	}
	// By start, and an insertion before a change at the same line: a line
	// added above the one another person edits is no clash.
	slices.SortStableFunc(all, func(x, y tagged) int {
		if x.start != y.start {
			return x.start - y.start
		}
		return x.end - y.end
	})

	var out []string
	conflict := false
	pos := 0
	for i := 0; i < len(all); {
		// A cluster of hunks that touch each other.
		s, e := all[i].start, all[i].end
		j := i + 1
		for j < len(all) && (clashes(all[j].hunk, s, e, all[j-1].hunk) || touching && all[j].start <= e) {
			e = max(e, all[j].end)
			j++
		}
		out = append(out, b[pos:s]...)
		var sides [2][]hunk
		for _, h := range all[i:j] {
			sides[h.side] = append(sides[h.side], h.hunk)
		}
		switch {
		case len(sides[1]) == 0:
			out = append(out, applyHunks(b, s, e, sides[0])...)
		case len(sides[0]) == 0:
			out = append(out, applyHunks(b, s, e, sides[1])...)
		default:
			mine, theirs := applyHunks(b, s, e, sides[0]), applyHunks(b, s, e, sides[1])
			if slices.Equal(mine, theirs) {
				out = append(out, mine...)
			} else {
				merged, ok := clash(b[s:e], mine, theirs)
				conflict = conflict || !ok
				out = append(out, merged...)
			}
		}
		pos = e
		i = j
	}
	return append(out, b[pos:]...), conflict
}

// hunk replaces base lines [start, end) with lines.
type hunk struct {
	start, end int
	lines      []string
}

// clashes reports whether h belongs to the cluster [s, e) whose last hunk is
// prev: it starts inside it, or inserts where another insertion is.
func clashes(h hunk, s, e int, prev hunk) bool {
	if h.start < e {
		return true
	}
	return h.start == h.end && prev.start == prev.end && h.start == prev.start && h.start >= s
}

// applyHunks is base[s:e] with the hunks (all within it) applied.
func applyHunks(base []string, s, e int, hs []hunk) []string {
	var out []string
	pos := s
	for _, h := range hs {
		out = append(out, base[pos:h.start]...)
		out = append(out, h.lines...)
		pos = h.end
	}
	return append(out, base[pos:e]...)
}

func splitLines(s string) []string { return strings.Split(s, "\n") }

// lineHunks diffs base against other by their longest common subsequence of
// lines and returns the changed runs as hunks over base.
func lineHunks(base, other []string) []hunk {
	n, m := len(base), len(other)
	lcs := lcsTable(base, other)
	var out []hunk
	i, j := 0, 0
	cur := hunk{start: -1}
	flush := func() {
		if cur.start >= 0 {
			out = append(out, cur)
			cur = hunk{start: -1}
		}
	}
	for i < n || j < m {
		switch {
		case i < n && j < m && base[i] == other[j]:
			flush()
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			if cur.start < 0 {
				cur = hunk{start: i, end: i}
			}
			cur.lines = append(cur.lines, other[j])
			j++
		default:
			if cur.start < 0 {
				cur = hunk{start: i, end: i}
			}
			i++
			cur.end = i
		}
	}
	flush()
	return out
}

// lcsTable holds at [i][j] the length of the longest common subsequence of
// a[i:] and b[j:].
func lcsTable(a, b []string) [][]int32 {
	n, m := len(a), len(b)
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
	return lcs
}

// MatchLines pairs the lines of a and b that a longest common subsequence
// keeps (index in a -> index in b), as the merge aligns them: an editor uses
// it to find the line its cursor was on after a teammate's change.
func MatchLines(a, b []string) map[int]int {
	out := map[int]int{}
	if len(a)*len(b) > 4<<20 {
		// Too long to align cheaply: the rows as they are.
		for i := range min(len(a), len(b)) {
			out[i] = i
		}
		return out
	}
	lcs := lcsTable(a, b)
	for i, j := 0, 0; i < len(a) && j < len(b); {
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
