package tui

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/comms"
	"github.com/warroom-cli/warroom/internal/tui/retro"
)

// Presence: who is in the room, and who else is editing the same draft or
// retro section right now, in any cockpit on the same database (a second
// terminal, an SSH session).
//
// Each program keeps one record "here:<session>" holding its person and
// when it last said so, written when it opens the incident and every
// presenceEvery after; the header lists the people of the fresh ones. It
// also keeps one per-user record, "editing:<author>", holding what it
// edits and when it last said so; it refreshes that record while editing
// and clears it after. Both are cleared when the program quits (an SSH
// session that drops quits its program too), and a record older than
// presenceFresh is ignored, so a crashed cockpit stops being shown.
//
// The records are per session, not per person: one person in two
// terminals is one name, and closing one of them leaves the other shown.

const (
	presencePrefix = "editing:"
	herePrefix     = "here:"
	presenceEvery  = 5 * time.Second
	presenceFresh  = 15 * time.Second
)

// presenceMsg carries, per target, who is editing it now, and who is in
// the room (this person included).
type presenceMsg struct {
	id      int64
	editors map[string][]string
	room    []string
}

// editingTarget is what this program's person is editing now, "" if
// nothing shared.
func (m Model) editingTarget() string {
	switch m.screen {
	case common.ScreenCockpit:
		for _, p := range m.cockpit.Right {
			if c, ok := p.(*comms.Pane); ok && c.Editing {
				return "draft"
			}
		}
	case common.ScreenRetro:
		rs, ok := m.screens[common.ScreenRetro].(*retro.Model)
		if !ok || rs.Focus != retro.FocusEditor {
			return ""
		}
		switch {
		case rs.Whys.Form != nil, rs.Factors.Form != nil, rs.Factors.Picker != nil:
			return "whys"
		case rs.Actions.Form != nil:
			return "actions"
		case rs.TextTitle() != "":
			return "section:" + rs.TextTitle()
		}
	}
	return ""
}

// presenceTick writes this person's record when what they edit changed, or
// every presenceEvery while editing, and reads everyone's.
func (m *Model) presenceTick(now time.Time) tea.Cmd {
	st, id, author := m.ctx.Store, m.ctx.IncidentID, m.ctx.Author
	if st == nil || id == 0 {
		return nil
	}
	target := m.editingTarget()
	var cmds []tea.Cmd
	if target != m.presenceTarget || (target != "" && now.Sub(m.presenceAt) >= presenceEvery) {
		value := ""
		if target != "" {
			value = target + "\t" + now.UTC().Format(time.RFC3339)
		}
		m.presenceTarget, m.presenceAt = target, now
		cmds = append(cmds, m.ctx.Write(common.SaveLineCmd(st, id, presencePrefix+author, value)))
	}
	if m.hereID != m.ctx.IncidentID || now.Sub(m.hereAt) >= presenceEvery {
		cmds = append(cmds, m.here(now))
	}
	// Read again when the file has changed since the last read (someone
	// may have come or gone: the next second shows it), and every
	// presenceEvery regardless, so records going stale are dropped.
	if now.Sub(m.presenceRead) >= presenceEvery || m.stamp != m.presenceStamp {
		m.presenceRead, m.presenceStamp = now, m.stamp
		cmds = append(cmds, readPresenceCmd(m.ctx, now))
	}
	return tea.Batch(cmds...)
}

// here says that this session is in the room of the incident on screen,
// leaving the one it was in before.
func (m *Model) here(now time.Time) tea.Cmd {
	st, id := m.ctx.Store, m.ctx.IncidentID
	var cmds []tea.Cmd
	if m.hereID != 0 && m.hereID != id {
		cmds = append(cmds, m.ctx.Write(herePresenceCmd(st, m.hereID, m.session, "")))
	}
	m.hereID, m.hereAt = id, now
	return tea.Batch(append(cmds, m.ctx.Write(herePresenceCmd(st, id, m.session, m.ctx.Author+"\t"+now.UTC().Format(time.RFC3339))))...)
}

// herePresenceCmd writes (or, with value "", clears) a session's record.
// A heartbeat that fails (the file busy for seconds) is not worth a line in
// the status bar: the next one comes in presenceEvery.
func herePresenceCmd(st *store.Store, id int64, session, value string) tea.Cmd {
	return func() tea.Msg {
		tx, err := st.SetUIState(id, herePrefix+session, value)
		if err != nil {
			return nil
		}
		return common.QuietWriteMsg{Tx: tx}
	}
}

// newSessionID names this program's presence record.
func newSessionID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// readPresenceCmd reads who is editing what, leaving out this person.
func readPresenceCmd(ctx *common.Context, now time.Time) tea.Cmd {
	st, id, self := ctx.Store, ctx.IncidentID, ctx.Author
	return func() tea.Msg {
		states, err := st.UIStates(id, presencePrefix)
		if err != nil {
			return nil
		}
		out := map[string][]string{}
		for k, v := range states {
			who := strings.TrimPrefix(k, presencePrefix)
			target, at, ok := strings.Cut(v, "\t")
			t, err := time.Parse(time.RFC3339, at)
			if who == self || !ok || err != nil || now.Sub(t) > presenceFresh {
				continue
			}
			out[target] = append(out[target], who)
		}
		for k := range out {
			slices.Sort(out[k])
		}
		here, err := st.UIStates(id, herePrefix)
		if err != nil {
			return nil
		}
		var room []string
		for _, v := range here {
			who, at, ok := strings.Cut(v, "\t")
			t, err := time.Parse(time.RFC3339, at)
			if !ok || err != nil || now.Sub(t) > presenceFresh || who == "" {
				continue
			}
			room = append(room, who)
		}
		slices.Sort(room)
		return presenceMsg{id: id, editors: out, room: slices.Compact(room)}
	}
}
