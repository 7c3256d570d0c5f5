package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestDbgCtrlU(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "/abc")
	m = send(t, m, tea.KeyMsg{Type: tea.KeyCtrlU})
	t.Logf("%q %d", m.cockpit.capture.Value(), m.cockpit.capture.input.Position())
}
