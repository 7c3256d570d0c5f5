package cockpit

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// saveLineAfter is how long typing must pause before the half-typed line is
// saved.
const saveLineAfter = 400 * time.Millisecond

// applyCmd stores one parsed capture line; token names the pending row
// the timeline shows until the write is durable.
// rest is what the half-typed line is set to in the same transaction. A
// busy file or a full disk holds the line (and every write behind it) until
// it can be written: lines are stored in the order typed, each on its own.
func applyCmd(ctx *common.Context, line string, c incident.Capture, now time.Time, token int, rest string) tea.Cmd {
	st, id, author, policy := ctx.Store, ctx.IncidentID, ctx.Author, ctx.Policy()
	ui := common.UIStateName(author)
	return ctx.WriteLine(func() (tea.Msg, error) {
		res, err := st.ApplyLine(id, c, now, author, policy, ui, rest)
		if err != nil {
			return common.ApplyFailedMsg{Line: line, Err: err, Token: token}, err
		}
		return common.AppliedMsg{Capture: c, Result: res.Result, Head: res.Head, Tx: res.Tx, Token: token,
			TxWhole: res.TxWhole, TxEntries: res.TxEntries, TxHead: res.TxHead}, nil
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

// LoadLineCmd reads the half-typed line kept from last time.
func LoadLineCmd(st *store.Store, id int64, author string) tea.Cmd {
	return func() tea.Msg {
		v, err := st.UIState(id, common.UIStateName(author))
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		p, err := st.UIState(id, common.PromptStateName(author))
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		w, err := st.UserPref(author, wrapPref)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return UIStateMsg{id: id, value: v, prompt: p, wrap: w}
	}
}

// wrapPref names the user's timeline wrap preference. It is the user's,
// not the incident's: a lead who reads wrapped wants it on every incident.
const wrapPref = "timeline-wrap"

// saveWrapCmd remembers the wrap mode for the next time this user opens
// any incident.
func saveWrapCmd(ctx *common.Context, on bool) tea.Cmd {
	st, author := ctx.Store, ctx.Author
	if st == nil {
		return nil
	}
	v := ""
	if on {
		v = "on"
	}
	return ctx.Write(func() tea.Msg {
		tx, err := st.SetUserPref(author, wrapPref, v)
		if err != nil {
			return common.ErrMsg{Err: fmt.Errorf("the wrap setting was not saved: %w", err)}
		}
		return common.QuietWriteMsg{Tx: tx}
	})
}
