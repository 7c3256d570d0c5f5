package tui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Bubble Tea v1 reports printable letters that arrive in one read (tmux
// send-keys, a paste without bracketed paste, a laggy SSH link) as one
// KeyRunes message holding them all, and key.Matches compares the whole run:
// the word "enter" typed quickly would submit the capture line, and "jj" in a
// list would match no binding and be lost. The root untangles such runs once
// here, so no component has to know about them.

// isKeyRun reports a run of several printable runes that is not a bracketed
// paste (a paste is text already and never matches a binding).
func isKeyRun(msg tea.KeyMsg) bool {
	return msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste
}

// keyRun delivers a run of runes as the person meant it. Where a text field
// has the cursor the run goes in once, marked as a paste: its String() is
// then "[…]", which no binding matches, and the bubbles inputs insert its
// runes as they would a bracketed paste. Delivered whole, a 64 KB paste
// costs one insertion rather than one per rune. Anywhere else the run is
// split into single keys, each through the full Update, so "jj" moves twice;
// once one of them puts the cursor in a text field ("/" in the timeline
// starts a command on the capture line), the rest is typed there in one go.
func (m Model) keyRun(msg tea.KeyMsg) (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		// Too small a terminal drops keys; dropping the run once is cheaper
		// than dropping each rune.
		if m.takingText() || m.tooSmall() {
			text := msg
			text.Runes, text.Paste = msg.Runes[i:], true
			next, cmd := m.key(text)
			return next, tea.Batch(append(cmds, cmd)...)
		}
		next, cmd := m.update(singleKey(r, msg.Alt))
		m = next
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// singleKey is the message the terminal sends for r typed on its own.
func singleKey(r rune, alt bool) tea.KeyMsg {
	if r == ' ' {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}, Alt: alt}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: alt}
}

// takingText reports whether a text input on the active screen has the
// cursor, so that a run of runes is text rather than keys.
func (m Model) takingText() bool {
	if m.showHelp {
		// The help scrolls with j/k and has no text to type.
		return false
	}
	switch m.screen {
	case common.ScreenCockpit:
		return m.cockpit.TakingText()
	case common.ScreenList:
		return m.list.TakingText()
	}
	if c := m.screens[m.screen]; c != nil {
		return common.ComponentTakingText(c)
	}
	return false
}
