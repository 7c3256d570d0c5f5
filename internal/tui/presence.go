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

// Presence: who is in the room, and who else is editing the same draft or
// retro section right now, in any cockpit on the same database (a second
// terminal, an SSH session).
//
// Each program keeps one record for its session on the presence board
// (presence_board.go: files beside the database, or warroom serve's
// memory) holding its person, when it last said so and what it is editing
// ("" for nothing shared), written when it opens the incident, when what
// it edits changes, and every presenceEvery after: one heartbeat says both
// who is in the room (the header lists the people of the fresh records)
// and who edits what (the editors show it). Everyone's records are read
// every presenceReadEvery. The record is removed when the program quits
// (an SSH session that drops quits its program too), and one older than
// presenceFresh is ignored, so a crashed cockpit stops being shown. None
// of it is a database write: an idle room commits nothing and wakes no
// one.
//
// The records are per session, not per person: one person in two
// terminals is one name, and closing one of them leaves the other shown.

const (
	presenceEvery = 5 * time.Second
	presenceFresh = 15 * time.Second
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

// presenceTick writes this session's record when the incident or what it
// edits changed, or presenceEvery after the last, and reads everyone's.
func (m *Model) presenceTick(now time.Time) tea.Cmd {
	id := m.ctx.IncidentID
	if m.board == nil || id == 0 {
		return nil
	}
	var cmds []tea.Cmd
	target := m.editingTarget()
	if m.hereID != id || target != m.hereTarget || now.Sub(m.hereAt) >= presenceEvery {
		cmds = append(cmds, m.here(now, target))
	}
	// Read every presenceReadEvery: someone who came or went shows
	// within it, and records going stale are dropped.
	if now.Sub(m.presenceRead) >= presenceReadEvery || now.Before(m.presenceRead) {
		m.presenceRead = now
		cmds = append(cmds, readPresenceCmd(m.board, id, m.ctx.Author, now))
	}
	return tea.Batch(cmds...)
}

// here says that this session is in the room of the incident on screen,
// editing target, leaving the room it was in before.
func (m *Model) here(now time.Time, target string) tea.Cmd {
	id := m.ctx.IncidentID
	var cmds []tea.Cmd
	if m.hereID != 0 && m.hereID != id {
		cmds = append(cmds, m.ctx.Write(herePresenceCmd(m.board, m.hereID, m.session, "")))
	}
	m.hereID, m.hereAt, m.hereTarget = id, now, target
	value := m.ctx.Author + "\t" + now.UTC().Format(time.RFC3339) + "\t" + target
	return tea.Batch(append(cmds, m.ctx.Write(herePresenceCmd(m.board, id, m.session, value)))...)
}

// herePresenceCmd writes (or, with value "", clears) a session's record,
// through the ordered write queue so that a session's records land in the
// order it said them. A heartbeat that fails is not worth a line in the
// status bar: the next one comes in presenceEvery.
func herePresenceCmd(board PresenceBoard, id int64, session, value string) tea.Cmd {
	return func() tea.Msg {
		_ = board.Say(id, session, value)
		return nil
	}
}

// readPresenceCmd reads who is in the room and who edits what, leaving
// this person out of the editors.
func readPresenceCmd(board PresenceBoard, id int64, self string, now time.Time) tea.Cmd {
	return func() tea.Msg {
		here, err := board.Records(id)
		if err != nil {
			return nil
		}
		editors := map[string][]string{}
		var room []string
		for _, v := range here {
			// author, time and (from warroom of this version on) target.
			parts := strings.SplitN(v, "\t", 3)
			if len(parts) < 2 || parts[0] == "" {
				continue
			}
			t, err := time.Parse(time.RFC3339, parts[1])
			if err != nil || now.Sub(t) > presenceFresh {
				continue
			}
			who := parts[0]
			room = append(room, who)
			if len(parts) == 3 && parts[2] != "" && who != self {
				editors[parts[2]] = append(editors[parts[2]], who)
			}
		}
		for k := range editors {
			slices.Sort(editors[k])
			editors[k] = slices.Compact(editors[k])
		}
		slices.Sort(room)
		return presenceMsg{id: id, editors: editors, room: slices.Compact(room)}
	}
}

// sameEditors reports whether two reads of who edits what agree.
func sameEditors(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
