package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestOthersChangesWaitForTheFrameGap: with a frame gap, another person's
// line that lands right after a frame is held off the screen until the
// redraw the hold asked for; a key of this person's draws at once, with
// what was held. Without a gap (a local cockpit) it shows at once.
func TestOthersChangesWaitForTheFrameGap(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, FrameGap: time.Hour})
	m = drive(t, m, m.Init())
	_ = m.View()

	other := func(text string) tea.Cmd {
		if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "ben", Kind: incident.KindNote, Text: text}); err != nil {
			t.Fatal(err)
		}
		// The read a wake-up starts, run here by hand, so that the
		// hold's timer is left unrun.
		next, read := m.Update(common.ReloadMsg{})
		m = next.(Model)
		next, cmd := m.Update(read())
		m = next.(Model)
		return cmd
	}
	hold := other("first from ben")
	if strings.Contains(m.View(), "first from ben") {
		t.Fatal("a change landing right after a frame was drawn at once")
	}
	if hold == nil {
		t.Fatal("no redraw was asked for")
	}
	if !strings.Contains(m.cockpit.Timeline.View(), "first from ben") {
		t.Fatal("the held change is not in the model")
	}
	// The redraw of an earlier hold does nothing; the current one draws.
	next, _ := m.Update(redrawMsg{seq: m.drawn.seq - 1})
	m = next.(Model)
	if strings.Contains(m.View(), "first from ben") {
		t.Fatal("a stale redraw ended the hold")
	}
	next, _ = m.Update(redrawMsg{seq: m.drawn.seq})
	m = next.(Model)
	if !strings.Contains(m.View(), "first from ben") {
		t.Fatal("the redraw did not show the held change")
	}

	// Held again; this person's key draws everything at once.
	other("second from ben")
	if strings.Contains(m.View(), "second from ben") {
		t.Fatal("the second change was not held")
	}
	m = press(t, m, "x")
	if v := m.View(); !strings.Contains(v, "second from ben") {
		t.Fatalf("a key did not draw the held change:\n%s", v)
	}

	// No gap: at once.
	local := newModel(t, st, id, 120, 40)
	_ = local.View()
	if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "ben", Kind: incident.KindNote, Text: "third from ben"}); err != nil {
		t.Fatal(err)
	}
	local = send(t, local, common.ReloadMsg{})
	if !strings.Contains(local.View(), "third from ben") {
		t.Fatal("a cockpit without a frame gap held a change")
	}
}

// TestQuietMessagesDrawNothing: a presence read that finds the room as it
// was, and the timer that saves the half-typed line, leave the frame as
// it is (each new frame costs a whole View, per session, in a busy room);
// someone arriving draws one.
func TestQuietMessagesDrawNothing(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = send(t, m, presenceMsg{id: id, room: []string{"amara", "ben"}, editors: map[string][]string{"draft": {"ben"}}})
	gen := m.gen
	next, _ := m.Update(presenceMsg{id: id, room: []string{"amara", "ben"}, editors: map[string][]string{"draft": {"ben"}}})
	m = next.(Model)
	next, _ = m.Update(cockpit.SaveLineMsg{Seq: -1})
	m = next.(Model)
	if m.gen != gen {
		t.Fatal("an unchanged presence read or a line-save timer asked for a new frame")
	}
	next, _ = m.Update(presenceMsg{id: id, room: []string{"amara", "ben", "chen"}})
	m = next.(Model)
	if m.gen == gen || !strings.Contains(m.View(), "chen") {
		t.Fatal("someone arriving was not drawn")
	}
}
