package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// seedLong declares an incident with n long entries, each ending in a word
// that is cut off when entries take one line.
func seedLong(tb testing.TB, st *store.Store, n int) int64 {
	tb.Helper()
	inc, err := incident.NewIncident("Long entries", 2, pinned.Add(-time.Duration(n+1)*time.Minute), incident.DefaultPolicy())
	if err != nil {
		tb.Fatal(err)
	}
	inc.Roles[incident.RoleLead] = "amara"
	for i := range n {
		at := pinned.Add(-time.Duration(n-i) * time.Minute)
		inc.Entries = append(inc.Entries, incident.Entry{
			At: at, RecordedAt: at, Author: "dmitri", Kind: incident.KindNote,
			Text: fmt.Sprintf("entry %d: the connection pool of the payment gateway ran dry after the deploy, so card checkouts timed out for EU customers; end%d", i, i),
		})
	}
	res, err := st.ImportIncident(inc)
	if err != nil {
		tb.Fatal(err)
	}
	return res.ID
}

func TestTimelineWrap(t *testing.T) {
	st := openStore(t)
	id := seedLong(t, st, 30)
	m := newModel(t, st, id, 120, 40)
	if strings.Contains(m.View(), "end29") {
		t.Fatalf("the long entry is not cut before wrap mode:\n%s", m.View())
	}
	m = press(t, m, "tab", "w")
	view := m.View()
	if !m.cockpit.Timeline.Wrap || !strings.Contains(view, "end29") || !strings.Contains(view, "Timeline · wrapped") {
		t.Fatalf("w did not wrap the timeline:\n%s", view)
	}
	// Continuation lines are indented under the text column.
	var cont string
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "end29") {
			cont = l
		}
	}
	if !strings.HasPrefix(cont, "│         ") || strings.HasPrefix(cont, "│          ") {
		t.Fatalf("the continuation line is not indented under the text: %q", cont)
	}
	if v, _ := st.UserPref("amara", "timeline-wrap"); v != "on" {
		t.Fatalf("the wrap mode was not remembered: %q", v)
	}

	// Scrolling moves one line, not one entry: one k shows one more line
	// at the top and drops one at the bottom.
	before := timelineLines(m.View())
	m = press(t, m, "k")
	after := timelineLines(m.View())
	if len(before) != len(after) || after[1] != before[0] || after[len(after)-1] != before[len(before)-2] {
		t.Fatalf("k did not scroll by one line:\nbefore %q\nafter  %q", before, after)
	}
	// Scrolling down all the way comes back to following.
	for range 5 {
		m = press(t, m, "j")
	}
	if !m.cockpit.Timeline.Follow {
		t.Fatal("scrolling back down did not follow again")
	}

	// Another session of the same user starts wrapped, on any incident.
	other := seedLong(t, st, 3)
	m2 := newModel(t, st, other, 120, 40)
	if !m2.cockpit.Timeline.Wrap || !strings.Contains(m2.View(), "end2") {
		t.Fatalf("a new session did not start wrapped:\n%s", m2.View())
	}
	m2 = press(t, m2, "tab", "w")
	if m2.cockpit.Timeline.Wrap {
		t.Fatal("w did not unwrap")
	}
	if v, _ := st.UserPref("amara", "timeline-wrap"); v != "" {
		t.Fatalf("unwrapping was not remembered: %q", v)
	}
}

// timelineLines are the inside lines of the timeline pane, left column.
func timelineLines(view string) []string {
	var out []string
	lines := strings.Split(view, "\n")
	in := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "╭─ Timeline"):
			in = true
		case in && strings.HasPrefix(l, "╰"):
			return out
		case in:
			out = append(out, strings.SplitN(l, "││", 2)[0])
		}
	}
	return out
}

func TestTimelineSelectedEntryWhole(t *testing.T) {
	st := openStore(t)
	id := seedLong(t, st, 30)
	m := newModel(t, st, id, 80, 24)
	m = press(t, m, "tab", "enter")
	if !strings.Contains(m.View(), "end29") {
		t.Fatalf("the selected entry is not shown whole:\n%s", m.View())
	}
	// Moving the selection up shows that entry whole and cuts the other.
	m = press(t, m, "k", "k", "k")
	view := m.View()
	if !strings.Contains(view, "end26") || strings.Contains(view, "end29") {
		t.Fatalf("the selection moved but the wrong entry is whole:\n%s", view)
	}
	// Near the top (after the declaration), the entry is whole too.
	m = press(t, m, "g", "j")
	if !strings.Contains(m.View(), "end0") {
		t.Fatalf("g j did not show the first entry whole:\n%s", m.View())
	}
}

func TestFlowTimelineWrap(t *testing.T) {
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := openStore(t)
			id := seedHandbook(t, st)
			tm := startProgram(t, st, id, size[0], size[1])
			waitFor(t, tm, "Failover to secondary PSP")
			tm.Send(tea.KeyMsg{Type: tea.KeyTab})
			tm.Type("w")
			waitFor(t, tm, "Wrap on")
			tm.Type("kk")
			final := finish(t, tm)
			view := final.View()
			checkFrame(t, view, size[0], size[1])
			golden.RequireEqual(t, []byte(view))
		})
	}
}

// TestWrapShowsLongAndMultiLineEntriesWhole: beyond the one-line row's
// bound, and with the entry's own line breaks.
func TestWrapShowsLongAndMultiLineEntriesWhole(t *testing.T) {
	st := openStore(t)
	id := seedLong(t, st, 2)
	long := strings.Repeat("the pool drained again and again ", 20) + "TAIL"
	for _, text := range []string{long, "Handover brief\nState: SEV2, identified\nOpen questions: none"} {
		if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "amara", Kind: incident.KindNote, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	m := newModel(t, st, id, 120, 40)
	m = press(t, m, "tab", "w")
	view := m.View()
	if !strings.Contains(view, "TAIL") {
		t.Fatalf("a %d-byte entry is not shown whole in wrap mode:\n%s", len(long), view)
	}
	var brief []string
	for _, l := range timelineLines(view) {
		if strings.Contains(l, "Handover brief") || strings.Contains(l, "State: SEV2") || strings.Contains(l, "Open questions") {
			brief = append(brief, l)
		}
	}
	if len(brief) != 3 {
		t.Fatalf("the entry's own lines are not kept: %q", brief)
	}
}
