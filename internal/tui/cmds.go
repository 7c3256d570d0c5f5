package tui

import (
	"fmt"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Every function here returns a tea.Cmd: the I/O runs off the Update loop
// and comes back as a typed message.

// tailEntries is how many entries the first frame of a huge incident reads
// for a terminal h rows high: one per row fills the timeline (entries never
// take less than a row), so the first frame costs the same for 100 entries
// or 100,000. The rest loads in the background.
func tailEntries(h int) int {
	const chrome = 1 + headerHeight + captureHeight + 2 // status line, header, capture line, borders
	return max(h, MinHeight) - chrome
}

// pollEvery is how often the database file is stat'ed for other processes'
// writes: well inside the two seconds promised.
const pollEvery = 500 * time.Millisecond

// saveLineAfter is how long typing must pause before the half-typed line is
// saved.
const saveLineAfter = 400 * time.Millisecond

// loadIncidentCmd reads the incident. With first set, a huge timeline is
// read as its tail first, and the full read follows from Update.
func loadIncidentCmd(ctx *common.Context, first bool) tea.Cmd {
	st, id, gap, tail := ctx.Store, ctx.IncidentID, ctx.GapThreshold(), tailEntries(ctx.Height)
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
		// Room for the lines logged next, so the first of them does not copy
		// a long timeline on the Update loop (appendOwn appends in place).
		inc.Entries = slices.Grow(inc.Entries, headroom(len(inc.Entries)))
		return common.IncidentLoadedMsg{ID: id, Inc: inc, Stamp: stamp, Cursor: snap.Cursor, Partial: snap.Partial, Total: snap.Total, First: first, Timeline: buildTimeline(inc, gap)}
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

// applyCmd stores one parsed capture line; token names the pending row
// the timeline shows until the write is durable.
func applyCmd(ctx *common.Context, line string, c incident.Capture, now time.Time, token int) tea.Cmd {
	st, id, author, policy := ctx.Store, ctx.IncidentID, ctx.Author, ctx.Policy()
	return ctx.Write(func() tea.Msg {
		res, err := st.Apply(id, c, now, author, policy)
		if err != nil {
			return common.ApplyFailedMsg{Line: line, Err: err, Token: token}
		}
		return common.AppliedMsg{Capture: c, Result: res.Result, Head: res.Head, Tx: res.Tx, Token: token}
	})
}

// editEntryCmd changes one entry's text, time or star.
func editEntryCmd(ctx *common.Context, entryID int64, what string, fn func(e *incident.Entry) error) tea.Cmd {
	st, id, now, author := ctx.Store, ctx.IncidentID, ctx.Now(), ctx.Author
	return ctx.Write(func() tea.Msg {
		if _, err := st.EditEntry(id, entryID, now, author, fn); err != nil {
			return common.ErrMsg{Err: err}
		}
		return common.EntryChangedMsg{What: what}
	})
}

// restoreEntryCmd restores a deleted entry, given it or its deletion entry.
func restoreEntryCmd(ctx *common.Context, entryID int64) tea.Cmd {
	st, id, now, author := ctx.Store, ctx.IncidentID, ctx.Now(), ctx.Author
	return ctx.Write(func() tea.Msg {
		e, err := st.RestoreEntry(id, entryID, now, author)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return common.EntryChangedMsg{What: fmt.Sprintf("Entry #%d restored", e.ID)}
	})
}

// deleteEntryCmd deletes one entry, recording the deletion.
func deleteEntryCmd(ctx *common.Context, entryID int64) tea.Cmd {
	st, id, now, author := ctx.Store, ctx.IncidentID, ctx.Now(), ctx.Author
	return ctx.Write(func() tea.Msg {
		if _, err := st.DeleteEntry(id, entryID, now, author); err != nil {
			return common.ErrMsg{Err: err}
		}
		return common.EntryChangedMsg{What: "Entry deleted; the deletion is on the timeline (u on it restores)"}
	})
}

// loadLineCmd reads the half-typed line kept from last time.
func loadLineCmd(st *store.Store, id int64, author string) tea.Cmd {
	return func() tea.Msg {
		v, err := st.UIState(id, common.UIStateName(author))
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		p, err := st.UIState(id, common.PromptStateName(author))
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return uiStateMsg{id: id, value: v, prompt: p}
	}
}

// loadListCmd reads every incident for the list common.Screen, and then, without
// holding the list back, the trends across them for its summary line.
func loadListCmd(st *store.Store, now time.Time, p incident.Policy) tea.Cmd {
	list := func() tea.Msg {
		list, err := st.ListIncidents()
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return listLoadedMsg{list: list}
	}
	stats := func() tea.Msg {
		all, err := st.AllIncidents()
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return statsLoadedMsg{stats: export.ComputeStats(all, now, p), index: export.NewSearchIndex(all)}
	}
	return tea.Batch(list, stats)
}

// createIncidentCmd declares an incident and opens it.
func createIncidentCmd(ctx *common.Context, title string, sev incident.Severity, lead, comms string) tea.Cmd {
	st, now, author, policy := ctx.Store, ctx.Now(), ctx.Author, ctx.Policy()
	return ctx.Write(func() tea.Msg {
		inc, err := incident.NewIncident(title, sev, now, policy)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		if lead != "" {
			inc.Roles[incident.RoleLead] = lead
		}
		if comms != "" {
			inc.Roles[incident.RoleComms] = comms
		}
		out, err := st.CreateIncident(inc, author)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return common.OpenIncidentMsg{ID: out.ID}
	})
}
