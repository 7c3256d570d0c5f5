package tui

import (
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Every function here returns a tea.Cmd: the I/O runs off the Update loop
// and comes back as a typed message.

// tailEntries is how many entries the first frame of a huge incident reads
// for a terminal h rows high: one per row fills the timeline (entries never
// take less than a row), so the first frame costs the same for 100 entries
// or 100,000. The rest loads in the background.
func tailEntries(h int) int {
	const chrome = 1 + cockpit.HeaderHeight + cockpit.CaptureHeight + 2 // status line, header, capture line, borders
	return max(h, MinHeight) - chrome
}

// loadIncidentCmd reads the incident. With first set, a huge timeline is
// read as its tail first, and the full read follows from Update.
func loadIncidentCmd(ctx *common.Context, first bool) tea.Cmd {
	st, id, gap, tail, loc := ctx.Store, ctx.IncidentID, ctx.GapThreshold(), tailEntries(ctx.Height), ctx.Now().Location()
	return func() tea.Msg {
		stamp, _ := st.Stamp()
		n := -1
		if first {
			n = tail
		}
		snap, err := st.Snapshot(id, n)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		inc := snap.Incident
		common.InZone(inc, loc)
		// Room for the lines logged next, so the first of them does not copy
		// a long timeline on the Update loop (appendOwn appends in place).
		inc.Entries = slices.Grow(inc.Entries, cockpit.Headroom(len(inc.Entries)))
		return common.IncidentLoadedMsg{ID: id, Inc: inc, Stamp: stamp, Cursor: snap.Cursor, Partial: snap.Partial, Total: snap.Total, First: first, Timeline: cockpit.BuildTimeline(inc, gap)}
	}
}

// pollCmd stats the database after a pause.
func pollCmd(st *store.Store, every time.Duration) tea.Cmd {
	return tea.Tick(every, func(time.Time) tea.Msg {
		stamp, err := st.Stamp()
		return pollMsg{stamp: stamp, err: err}
	})
}

// tickCmd wakes the live clocks on the next whole second.
func tickCmd() tea.Cmd {
	return tea.Every(time.Second, func(t time.Time) tea.Msg { return common.TickMsg(t) })
}
