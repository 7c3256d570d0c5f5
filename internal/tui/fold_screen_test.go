package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Setting a milestone again moves its entry (one "Mitigated", at the new
// time, the milestone with it), and reopening after /resolved clears the
// resolved milestone: what the screen shows is the fold of the timeline.
func TestMilestoneAgainMovesItsEntryOnScreen(t *testing.T) {
	st := openStore(t)
	res, err := st.ImportIncident(incident.Demo(pinned))
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, res.ID, 120, 40)
	for _, l := range []string{"/resolved", "/status investigating", "/mitigated 14:10"} {
		m = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(l), Paste: true}, tea.KeyMsg{Type: tea.KeyEnter})
	}
	v := m.View()
	if strings.Count(v, "◆ Mitigated") != 1 || !strings.Contains(v, "14:10 ◆ Mitigated") || !strings.Contains(v, "13:52") {
		t.Fatalf("want one Mitigated entry at 14:10 and every row in view:\n%s", v)
	}
	if !strings.Contains(v, "14:10  ttm 2h05m") || !strings.Contains(v, "resolved     —") || !strings.Contains(v, "INVESTIGATING") {
		t.Fatalf("the incident pane does not follow the timeline:\n%s", v)
	}
}
