package tui

import (
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestHelpByPane: help is grouped by pane with headings, the focused
// pane's group first, and no row is cut at 80×24.
func TestHelpByPane(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	for _, tc := range []struct {
		name  string
		keys  []string
		first string
	}{
		{"capture", nil, "Capture line (focused)"},
		{"timeline", []string{"tab"}, "Timeline (focused)"},
		{"comms", []string{"tab", "tab"}, "Public update (focused)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newModel(t, st, id, 80, 24)
			m = press(t, m, tc.keys...)
			m = press(t, m, "f1")
			lines := m.helpLines(78)
			var headings []string
			for _, l := range lines {
				if strings.Contains(l, "…") {
					t.Errorf("a help row is cut: %q", l)
				}
				if s := strings.TrimSpace(l); strings.HasSuffix(s, "(focused)") || s == "Everywhere" || s == "Timeline" || s == "Capture line" || s == "Public update" || s == "Slash commands" {
					headings = append(headings, s)
				}
			}
			if len(headings) < 4 || headings[0] != tc.first {
				t.Fatalf("headings %q, want %q first", headings, tc.first)
			}
			// Under help, the footer shows help's own keys.
			view := m.View()
			foot := view[strings.LastIndex(view, "\n")+1:]
			if !strings.Contains(foot, "close help") || strings.Contains(foot, "enter log") {
				t.Fatalf("the footer under help is %q", foot)
			}
		})
	}
}

// TestFootersNeverCutMidWord: at 80×24 every footer drops whole bindings
// rather than ending in an ellipsis.
func TestFootersNeverCutMidWord(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	for _, keys := range [][]string{nil, {"tab"}, {"tab", "enter"}, {"tab", "tab"}, {"tab", "tab", "e"}, {"tab", "L"}, {"tab", "R"}, {"tab", "P"}} {
		m := newModel(t, st, id, 80, 24)
		m = press(t, m, keys...)
		view := m.View()
		foot := strings.TrimRight(view[strings.LastIndex(view, "\n")+1:], " ")
		if strings.HasSuffix(foot, "…") || !strings.HasSuffix(foot, "quit") {
			t.Errorf("after %q the footer is %q", keys, foot)
		}
	}
}

// TestLongStatusMessages: a status message too long for one row takes two;
// one longer still says f1 shows it, and help does, whole.
func TestLongStatusMessages(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 80, 24)
	two := "The update reached 1 webhook; 1 failed (ops: 502 Bad Gateway): press r in the comms pane to re-send it"
	m = send(t, m, common.StatusMsg{Text: two})
	view := m.View()
	rows := strings.Split(view, "\n")
	if len(rows) != 24 {
		t.Fatalf("the frame has %d rows", len(rows))
	}
	joined := strings.Join(strings.Fields(rows[22]+" "+rows[23]), " ")
	if !strings.Contains(joined, "press r in the comms pane to re-send it") || strings.Contains(view, "…") && strings.Contains(joined, "…") {
		t.Fatalf("the message is not shown whole on two rows:\n%s", view)
	}
	long := strings.Repeat("a very long explanation of what went wrong and what to do next, ", 4) + "END"
	m = send(t, m, common.StatusMsg{Text: long})
	view = m.View()
	if !strings.Contains(view, "f1 shows all") || strings.Contains(view, "END") {
		t.Fatalf("a message longer than two rows does not point to f1:\n%s", view)
	}
	m = press(t, m, "f1")
	lines := strings.Join(m.helpLines(78), " ")
	if !strings.Contains(lines, "Last message") || !strings.Contains(lines, "END") {
		t.Fatalf("help does not show the last message whole:\n%s", m.View())
	}
}

// TestConfigWarningShownInTheCockpit: the full screen covers stderr, so a
// config warning is the first status message.
func TestConfigWarningShownInTheCockpit(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	cfg := testConfig()
	cfg.Warnings = []string{"/home/amara/.config/warroom/config.toml line 3: unknown key autor is ignored", "second"}
	m := New(Options{Store: st, Config: cfg, Now: pinnedNow, IncidentID: id, Width: 120, Height: 40})
	m = drive(t, m, m.Init())
	if view := m.View(); !strings.Contains(view, "config.toml line 3: unknown key autor is ignored") || !strings.Contains(view, "and 1 more") {
		t.Fatalf("the config warning is not shown:\n%s", view)
	}
}
