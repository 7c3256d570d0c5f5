package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

func TestTimelineFilter(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = press(t, m, "tab", "f")
	view := m.View()
	if !strings.Contains(view, "Timeline · no status/role/system") {
		t.Fatalf("the first filter is not named in the pane's title:\n%s", view)
	}
	if strings.Contains(view, "Status investigating → identified") || strings.Contains(view, "Incident declared") || !strings.Contains(view, "Failover to secondary PSP") {
		t.Fatalf("the filter did not hide the status and system entries:\n%s", view)
	}
	if strings.Contains(view, "without an entry") {
		t.Fatalf("a filtered view shows gap lines:\n%s", view)
	}
	m = press(t, m, "f")
	view = m.View()
	if !strings.Contains(view, "Timeline · starred only") || strings.Contains(view, "Failover to secondary PSP") || !strings.Contains(view, "Root cause: PSP rate-limits") {
		t.Fatalf("starred only:\n%s", view)
	}
	// Kinds follow; actions only shows just the actions.
	m = press(t, m, "f")
	view = m.View()
	if !strings.Contains(view, "Timeline · actions only") || !strings.Contains(view, "Failover to secondary PSP started") || strings.Contains(view, "Alerts: checkout error rate") {
		t.Fatalf("actions only:\n%s", view)
	}
	// Selecting in a filtered view acts on the entry shown.
	m = press(t, m, "enter", "s")
	var starred bool
	for _, e := range entries(t, st, id) {
		if e.Text == "Failover to secondary PSP started" {
			starred = e.Starred
		}
	}
	if !starred {
		t.Fatal("s in a filtered view did not star the selected action")
	}
	// Round to "all" again.
	m = press(t, m, "esc")
	for range 6 {
		m = press(t, m, "f")
	}
	if view := m.View(); strings.Contains(view, "Timeline ·") || !strings.Contains(view, "Incident declared") {
		t.Fatalf("f did not come back round to all:\n%s", view)
	}
}

func TestTimelineSearch(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "half typed")
	m = press(t, m, "tab")
	m = send(t, m, tea.KeyMsg{Type: tea.KeyCtrlF})
	if got := m.cockpit.Capture.View(); !strings.Contains(got, "find ›") {
		t.Fatalf("ctrl+f did not ask what to find: %q", got)
	}
	m = typeText(t, m, "psp")
	m = press(t, m, "enter")
	view := m.View()
	if !strings.Contains(view, `"psp" 6/6`) || !strings.Contains(view, "6 matches") {
		t.Fatalf("the search does not show its matches:\n%s", view)
	}
	sel, ok := m.cockpit.Timeline.Selected()
	if !ok || !strings.Contains(strings.ToLower(sel.Text), "psp") {
		t.Fatalf("the newest match is not selected: %+v", sel)
	}
	if m.cockpit.Capture.Value() != "half typed" {
		t.Fatalf("the find prompt lost the half-typed line: %q", m.cockpit.Capture.Value())
	}
	// n goes to older matches, N back; N does not start /role meanwhile.
	newest := sel.ID
	m = press(t, m, "n")
	older, _ := m.cockpit.Timeline.Selected()
	if older.ID == newest || !strings.Contains(strings.ToLower(older.Text), "psp") {
		t.Fatalf("n selected %+v", older)
	}
	m = press(t, m, "N")
	if back, _ := m.cockpit.Timeline.Selected(); back.ID != newest {
		t.Fatalf("N did not come back to the newer match: %+v", back)
	}
	if m.cockpit.Capture.Value() != "half typed" {
		t.Fatalf("N started a command: %q", m.cockpit.Capture.Value())
	}
	// esc ends the selection, a second esc the search; then N is /role again.
	m = press(t, m, "esc", "esc")
	if strings.Contains(m.View(), `"psp"`) {
		t.Fatal("esc did not end the search")
	}
	m = press(t, m, "N")
	if got := m.cockpit.Capture.Value(); got != "/role " {
		t.Fatalf("N after the search gave %q, want /role", got)
	}
	// A search with no match says so.
	m = press(t, m, "esc", "tab")
	m = send(t, m, tea.KeyMsg{Type: tea.KeyCtrlF}, tea.KeyMsg{Type: tea.KeyCtrlU})
	m = typeText(t, m, "kubernetes")
	m = press(t, m, "enter")
	if !strings.Contains(m.View(), `nothing in the timeline shown contains "kubernetes"`) {
		t.Fatalf("a search without matches is not reported:\n%s", m.View())
	}
}

func TestFlowTimelineFilter(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := openStore(t)
			id := seedHandbook(t, st)
			tm := startProgram(t, st, id, size[0], size[1])
			waitFor(t, tm, "Failover to secondary PSP")
			tm.Send(tea.KeyMsg{Type: tea.KeyTab})
			tm.Type("f")
			waitFor(t, tm, "no status/role/system")
			final := finish(t, tm)
			view := final.View()
			checkFrame(t, view, size[0], size[1])
			golden.RequireEqual(t, []byte(view))
		})
	}
}
