package cockpit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// TestRowHeightWithoutFormatting: the height the pane scrolls by (counted
// without formatting a row when unwrapped) is the number of lines the row
// is drawn as, for short and long entries, gap and date lines, wrapped or
// not, selecting or not, at several widths.
func TestRowHeightWithoutFormatting(t *testing.T) {
	t0 := time.Date(2026, 3, 11, 22, 0, 0, 0, time.UTC)
	inc := &incident.Incident{}
	for i := range 40 {
		text := fmt.Sprintf("line %d", i)
		if i%3 == 0 {
			text = strings.Repeat("a long line that wraps ", 1+i%7)
		}
		if i%5 == 0 {
			text += "\nand a second line of its own"
		}
		at := t0.Add(time.Duration(i*i) * time.Minute) // gaps and a day line
		inc.Entries = append(inc.Entries, incident.Entry{ID: int64(i + 1), Seq: uint64(i + 1), At: at, Kind: incident.KindNote, Author: "dmitri", Text: text, Starred: i%4 == 0})
	}
	ctx := testContext(func() time.Time { return t0 }, testStyles(false), nil, nil)
	for _, w := range []int{30, 72, 120} {
		for _, wrap := range []bool{false, true} {
			for _, selecting := range []bool{false, true} {
				p := newTimelinePane(ctx)
				p.SetSize(w, 30)
				p.setData(BuildTimeline(inc, 15*time.Minute))
				p.Wrap = wrap
				if selecting {
					p.selecting, p.selID = true, 13 // a long entry, drawn whole
				}
				for i := range p.visible.Len() {
					if got, want := p.height(i), len(p.row(i, p.w-3)); got != want {
						t.Errorf("width %d wrap %v selecting %v: row %d counts %d lines, is drawn as %d", w, wrap, selecting, i, got, want)
					}
				}
			}
		}
	}
}
