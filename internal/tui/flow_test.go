package tui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// sizes are the terminal sizes every flow is checked at.
var sizes = [][2]int{{120, 40}, {80, 24}}

// startProgram runs the real program on a store at a size.
func startProgram(t *testing.T, st *store.Store, id int64, w, h int) *teatest.TestModel {
	t.Helper()
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: w, Height: h, PollEvery: 50 * time.Millisecond})
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

// waitFor waits until the program has drawn s.
func waitFor(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// typeLine types a line and presses enter.
func typeLine(tm *teatest.TestModel, s string) {
	tm.Type(s)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
}

// finish quits with ctrl+c and returns the last frame.
func finish(t *testing.T, tm *teatest.TestModel) Model {
	t.Helper()
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
}

func TestFlowCockpitCapture(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := openStore(t)
			id := seedHandbook(t, st)
			tm := startProgram(t, st, id, size[0], size[1])
			waitFor(t, tm, "Failover to secondary PSP")

			typeLine(tm, "!restart the gateway pool")
			waitFor(t, tm, "restart the gateway pool")
			typeLine(tm, "*card errors back under 1%")
			waitFor(t, tm, "card errors back under 1%")
			typeLine(tm, "/status monitoring")
			waitFor(t, tm, "MONITORING")

			// Another process logs, as `warroom log` would.
			if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "script", Kind: incident.KindNote, Text: "bot: 4512 rolled back"}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, tm, "4512 rolled back")

			tm.Type("half-typed thought")
			final := finish(t, tm)
			view := final.View()
			checkFrame(t, view, size[0], size[1])
			golden.RequireEqual(t, []byte(view))

			inc, err := st.Incident(id)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]incident.Entry{}
			for _, e := range inc.Entries {
				got[e.Text] = e
			}
			if e := got["restart the gateway pool"]; e.Kind != incident.KindAction {
				t.Errorf("the action was stored as %+v", e)
			}
			if e := got["card errors back under 1%"]; !e.Starred {
				t.Errorf("the starred note was stored as %+v", e)
			}
			if inc.Status != incident.Monitoring {
				t.Errorf("status %s", inc.Status)
			}
			if v, _ := st.UIState(id, common.UIStateName("amara")); v != "half-typed thought" {
				t.Errorf("the half-typed line was saved as %q", v)
			}
		})
	}
}

func TestFlowSelection(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := openStore(t)
			id := seedHandbook(t, st)
			tm := startProgram(t, st, id, size[0], size[1])
			waitFor(t, tm, "Failover to secondary PSP")
			tm.Send(tea.KeyMsg{Type: tea.KeyTab})
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			tm.Type("kkks")
			// The notice comes with the write's result; the star with the
			// read that follows it: the frame compared must have both.
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
				return bytes.Contains(b, []byte("Entry starred")) && bytes.Contains(b, []byte("★ Status investigating"))
			}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
			final := finish(t, tm)
			view := final.View()
			checkFrame(t, view, size[0], size[1])
			golden.RequireEqual(t, []byte(view))
			var starred []string
			for _, e := range entries(t, st, id) {
				if e.Starred {
					starred = append(starred, e.Text)
				}
			}
			if !strings.Contains(strings.Join(starred, "|"), "Status investigating → identified") || len(starred) != 3 {
				t.Errorf("starred entries: %q", starred)
			}
		})
	}
}

func TestFlowListAndHelp(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := openStore(t)
			seedHandbook(t, st)
			seedMany(t, st, 12)
			tm := startProgram(t, st, 0, size[0], size[1])
			waitFor(t, tm, "Incident with 12 entries")
			tm.Type("eu")
			waitFor(t, tm, "1 of 2")
			final := finish(t, tm)
			view := final.View()
			checkFrame(t, view, size[0], size[1])
			golden.RequireEqual(t, []byte(view))
		})
	}
}

func TestFlowHelpScreen(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := openStore(t)
			id := seedHandbook(t, st)
			tm := startProgram(t, st, id, size[0], size[1])
			waitFor(t, tm, "Failover to secondary PSP")
			tm.Send(tea.KeyMsg{Type: tea.KeyF1})
			waitFor(t, tm, "Keys")
			// The help scrolls when taller than the terminal.
			tm.Send(tea.KeyMsg{Type: tea.KeyPgDown})
			tm.Send(tea.KeyMsg{Type: tea.KeyPgDown})
			tm.Send(tea.KeyMsg{Type: tea.KeyPgDown})
			tm.Send(tea.KeyMsg{Type: tea.KeyEnd})
			waitFor(t, tm, "/publish")
			final := finish(t, tm)
			view := final.View()
			checkFrame(t, view, size[0], size[1])
			golden.RequireEqual(t, []byte(view))
		})
	}
}
