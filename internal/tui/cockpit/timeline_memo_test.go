package cockpit

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestTimelineViewMemo: two sessions of a room share one memo (and one
// copy of the timeline) while each scrolls, filters, wraps, focuses,
// selects, searches, resizes and sees lines arrive and be saved; every
// view either of them is given is the pane drawn afresh for its own state.
// A memo key that leaves out something the pane shows fails this.
func TestTimelineViewMemo(t *testing.T) {
	t0 := time.Date(2026, 3, 11, 22, 0, 0, 0, time.UTC)
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 11))
		inc := &incident.Incident{}
		next := int64(1)
		add := func() {
			text := fmt.Sprintf("line %d", next)
			if r.IntN(4) == 0 {
				text = strings.Repeat("a longer line that wraps ", 1+r.IntN(5))
			}
			kinds := []incident.Kind{incident.KindNote, incident.KindAction, incident.KindDecision}
			inc.Entries = append(inc.Entries, incident.Entry{ID: next, Seq: uint64(next), At: t0.Add(time.Duration(next*next) * time.Minute),
				Kind: kinds[r.IntN(len(kinds))], Author: "dmitri", Text: text, Starred: r.IntN(5) == 0})
			next++
		}
		for range 30 {
			add()
		}
		td := BuildTimeline(inc, 15*time.Minute)
		memo := common.NewMemo()
		// Colours on, so that focus (the border's colour) shows.
		styles := testStyles(true)
		var panes [2]timelinePane
		for i := range panes {
			ctx := testContext(func() time.Time { return t0 }, styles, nil, memo)
			panes[i] = newTimelinePane(ctx)
			panes[i].SetSize(70, 20)
			panes[i].setData(td)
		}
		for step := range 200 {
			p := &panes[r.IntN(2)]
			switch r.IntN(12) {
			case 0, 1:
				p.Scroll(r.IntN(9) - 4)
			case 2:
				p.setFilter(r.IntN(len(filters)))
			case 3:
				p.ToggleWrap()
			case 4:
				p.focused = !p.focused
			case 5:
				if p.selecting {
					p.stopSelecting()
				} else {
					p.startSelecting()
				}
			case 6:
				if p.search == "" {
					p.setSearch("line")
				} else {
					p.setSearch("")
				}
			case 7:
				p.SetSize(60+r.IntN(3)*10, 16+r.IntN(3)*4)
			case 8:
				// A line arrives: both sessions take the same new copy.
				add()
				td = td.extend(inc.Entries[len(inc.Entries)-1:])
				for i := range panes {
					panes[i].setData(td)
				}
			case 9:
				p.addPending(common.PendingMsg{Token: step + 1, Entry: incident.Entry{At: t0, Text: "saving"}})
			case 10:
				if len(p.Pending) > 0 {
					p.settle(p.Pending[0].Token)
				}
			default:
				p.ctx.Partial = !p.ctx.Partial
			}
			for i := range panes {
				if got, want := panes[i].View(), panes[i].draw(); got != want {
					t.Fatalf("seed %d step %d: session %d was given\n%s\nand its own state draws\n%s", seed, step, i, got, want)
				}
			}
		}
	}
}

// TestPendingRowPainted: the row of a line being saved, coloured from the
// pane's paints, is the row its styles render.
func TestPendingRowPainted(t *testing.T) {
	t0 := time.Date(2026, 3, 11, 22, 4, 0, 0, time.UTC)
	st := testStyles(true)
	ctx := testContext(func() time.Time { return t0 }, st, nil, nil)
	p := newTimelinePane(ctx)
	p.SetSize(70, 10)
	p.setData(BuildTimeline(&incident.Incident{}, 15*time.Minute))
	text := "restarted the payments workers\tand \x1b[31mchecked\x1b[0m"
	p.addPending(common.PendingMsg{Token: 1, Entry: incident.Entry{At: t0, Text: text}})
	inner := p.w - 2
	line := " " + st.Time.Render("22:04") + " " + st.Faint.Render("… "+rowText(text))
	want := common.Spread(common.Fit(line, inner-12), st.Faint.Render("saving… "), inner-1)
	if got := p.View(); !strings.Contains(got, want) {
		t.Errorf("the saving row is not as its styles render it:\n%s\nwant a line\n%q", got, want)
	}
}
