package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/list"
	"github.com/warroom-cli/warroom/internal/tui/preview"
	"github.com/warroom-cli/warroom/internal/tui/retro"
	"github.com/warroom-cli/warroom/internal/tui/review"
)

// newScreen builds the full screen s (nil for screens the root draws
// itself). This is the plug-in point for full screens: add a case per
// screen. A screen gets the whole terminal but the status line; esc (when it
// is not Typing) and the screen keys bring the cockpit back. It is built
// when first shown, kept while the incident stays open, and rebuilt for
// another incident.
func newScreen(ctx *common.Context, s common.Screen) common.Component {
	switch s {
	case common.ScreenRetro:
		return retro.New(ctx)
	case common.ScreenPreview:
		return preview.New(ctx)
	case common.ScreenReview:
		return review.New(ctx)
	}
	return nil
}

// endSessionMsg asks the model to save what is typed and then quit.
type endSessionMsg struct{}

// quitFilter turns a quit the model did not start (wish quits the program
// when the SSH session ends, a signal interrupts it) into endSessionMsg, so half-typed lines,
// drafts and retro text are written before the program stops; the model's
// own quit then passes.
func quitFilter(model tea.Model, msg tea.Msg) tea.Msg {
	switch msg.(type) {
	case tea.QuitMsg, tea.InterruptMsg:
		// InterruptMsg is a SIGINT to the process (ctrl+c in the terminal
		// warroom serve runs in, kill -INT): it would end the program with
		// what is typed unsaved.
		if f, ok := model.(framed); ok {
			model = f.m
		}
		if h, ok := model.(held); ok {
			model = *h.m
		}
		if m, ok := model.(Model); ok && !m.quitting {
			return endSessionMsg{}
		}
	}
	return msg
}

// toAll hands a data message to the cockpit and every built screen.
func (m *Model) toAll(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	var cmd tea.Cmd
	m.cockpit, cmd = m.cockpit.Update(msg)
	cmds = append(cmds, cmd)
	for s, c := range m.screens {
		m.screens[s], cmd = c.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// toActive hands a message to the screen in front.
func (m Model) toActive(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.screen {
	case common.ScreenCockpit:
		m.cockpit, cmd = m.cockpit.Update(msg)
	case common.ScreenList:
		m.list, cmd = m.list.Update(msg)
	default:
		if c := m.screens[m.screen]; c != nil {
			m.screens[m.screen], cmd = c.Update(msg)
		}
	}
	return m, cmd
}

func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.ctx.Keys
	if msg.Paste && !m.showHelp && !m.tooSmall() {
		// Text, which no binding matches: straight to the screen. (Each
		// key.Matches would spell out the whole paste to compare it.)
		if m.sticky == 0 {
			m.status = ""
		}
		return m.toActive(msg)
	}
	if key.Matches(msg, k.Quit) {
		m.quitting = true
		return m, m.quit()
	}
	if m.tooSmall() {
		return m, nil
	}
	if m.brief != nil && m.screen == common.ScreenCockpit && !m.showHelp && msg.Type == tea.KeyEscape {
		// The brief was read; it stays on the timeline.
		m.brief = nil
		return m, nil
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Help, k.Back) || msg.String() == "q":
			m.showHelp, m.helpTop = false, 0
		case key.Matches(msg, k.Down):
			m.helpTop = min(m.helpTop+1, max(len(m.helpLines(m.ctx.Width-2))-(m.ctx.Height-3), 0))
		case key.Matches(msg, k.Up):
			m.helpTop = max(m.helpTop-1, 0)
		case key.Matches(msg, k.PageDown):
			m.helpTop = min(m.helpTop+m.ctx.Height/2, max(len(m.helpLines(m.ctx.Width-2))-(m.ctx.Height-3), 0))
		case key.Matches(msg, k.PageUp):
			m.helpTop = max(m.helpTop-m.ctx.Height/2, 0)
		case key.Matches(msg, k.Top):
			m.helpTop = 0
		case key.Matches(msg, k.Bottom):
			m.helpTop = max(len(m.helpLines(m.ctx.Width-2))-(m.ctx.Height-3), 0)
		}
		return m, nil
	}
	if key.Matches(msg, k.Help) || msg.String() == "f1" {
		m.shownStatus, m.shownStatusErr = m.status, m.statusErr
	}
	if m.sticky == 0 {
		m.status = ""
	}
	if msg.String() == "f1" {
		m.showHelp = true
		return m, nil
	}
	if !m.typing() {
		switch {
		case key.Matches(msg, k.Help):
			m.showHelp = true
			return m, nil
		case key.Matches(msg, k.ListScr):
			return m, m.switchTo(common.ScreenList)
		case key.Matches(msg, k.RetroScr):
			return m, m.switchTo(common.ScreenRetro)
		case key.Matches(msg, k.Preview):
			return m, m.switchTo(common.ScreenPreview)
		case key.Matches(msg, k.Back) && m.screen != common.ScreenCockpit:
			return m, m.switchTo(common.ScreenCockpit)
		}
	}
	return m.toActive(msg)
}

// quit keeps what is typed, waits for writes in flight, then quits.
func (m Model) quit() tea.Cmd {
	flush := []tea.Cmd{m.cockpit.Capture.SaveNow()}
	if m.hereID != 0 && m.board != nil {
		// Leaving the room at once, not presenceFresh later.
		flush = append(flush, m.ctx.Write(herePresenceCmd(m.board, m.hereID, m.session, "")))
	}
	for _, p := range m.cockpit.Right {
		if f, ok := p.(common.Flusher); ok {
			flush = append(flush, f.Flush())
		}
	}
	for _, c := range m.screens {
		if f, ok := c.(common.Flusher); ok {
			flush = append(flush, f.Flush())
		}
	}
	ctx := m.ctx
	wait := func() tea.Msg { ctx.QuitWrites(); ctx.WaitWrites(); return nil }
	return tea.Sequence(tea.Batch(flush...), wait, tea.Quit)
}

// switchTo shows a screen.
func (m *Model) switchTo(s common.Screen) tea.Cmd {
	if s == common.ScreenHelp {
		m.showHelp = true
		return nil
	}
	if s != common.ScreenList && m.ctx.IncidentID == 0 {
		m.status, m.statusErr = common.ErrNoIncident.Error(), true
		return nil
	}
	var cmds []tea.Cmd
	switch s {
	case common.ScreenCockpit:
	case common.ScreenList:
		cmds = append(cmds, list.LoadCmd(m.ctx.Store, m.ctx.Now(), m.ctx.Policy()))
		m.list.Reset()
	default:
		c, ok := m.screens[s]
		if !ok {
			if c = newScreen(m.ctx, s); c == nil {
				return nil
			}
			if rv, ok := c.(*review.Model); ok && m.startReview {
				// warroom review: esc leaves to the shell it came from.
				rv.Standalone = true
			}
			c = c.SetSize(m.ctx.Width, max(m.ctx.Height-1, 0))
			cmds = append(cmds, c.Init())
		}
		m.screens[s] = c.SetFocused(true)
	}
	// A screen left behind stays built but loses the keys, and stops what
	// it does only while in front (the review's presenting).
	for other, c := range m.screens {
		if other != s {
			m.screens[other] = c.SetFocused(false)
		}
	}
	m.list.SetFocused(s == common.ScreenList)
	m.screen = s
	return tea.Batch(cmds...)
}

// open shows the cockpit on another incident, keeping the half-typed line
// of the one left.
// tellOpened tells Options.Opened, off the Update loop, that id is open.
func (m Model) tellOpened(id int64) tea.Cmd {
	opened := m.opened
	if opened == nil || id == 0 {
		return nil
	}
	return func() tea.Msg { opened(id); return nil }
}

func (m *Model) open(id int64) tea.Cmd {
	var cmds []tea.Cmd
	if id != m.ctx.IncidentID {
		cmds = append(cmds, m.cockpit.Capture.SaveNow())
		m.ctx.IncidentID = id
		m.ctx.Incident, m.ctx.Entries, m.ctx.Partial = nil, nil, false
		m.cockpit = cockpit.New(m.ctx)
		m.screens = map[common.Screen]common.Component{}
		m.loading, m.reloadAgain = true, false
		m.cursor, m.applied = store.Cursor{}, nil
		m.brief, m.briefSeen, m.briefKnown = nil, 0, false
		m.resize()
		cmds = append(cmds, m.openCmds()...)
		cmds = append(cmds, m.cockpit.Init(), m.tellOpened(id))
	}
	m.list.SetFocused(false)
	m.screen = common.ScreenCockpit
	return tea.Batch(cmds...)
}
