package tui

import (
	"strings"
	"testing"
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
