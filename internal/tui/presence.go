package tui

import (
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/comms"
	"github.com/warroom-cli/warroom/internal/tui/retro"
)

// Presence: who else is editing the same draft or retro section right now,
// in any cockpit on the same database (a second terminal, an SSH session).
// Each program keeps one per-user record, "editing:<author>", holding what
// it edits and when it last said so; it refreshes the record while editing
// and clears it after. A record older than presenceFresh is ignored, so a
// crashed cockpit stops being shown.

const (
	presencePrefix = "editing:"
	presenceEvery  = 5 * time.Second
	presenceFresh  = 15 * time.Second
)

// presenceMsg carries, per target, who is editing it now.
type presenceMsg struct {
	id      int64
	editors map[string][]string
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
	if now.Sub(m.presenceRead) >= presenceEvery {
		m.presenceRead = now
		cmds = append(cmds, readPresenceCmd(m.ctx, now))
	}
	return tea.Batch(cmds...)
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
		return presenceMsg{id: id, editors: out}
	}
}
