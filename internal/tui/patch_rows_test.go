package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Another person's change reaches an open timeline as a patch of its rows
// (cockpit/patch.go), not a rebuild; the frame must be the one a cockpit
// opened afresh on the same database draws, with the same keys pressed.

// entryNamed finds the stored entry whose text starts with prefix.
func entryNamed(t *testing.T, st *store.Store, id int64, prefix string) incident.Entry {
	t.Helper()
	for _, e := range entries(t, st, id) {
		if strings.HasPrefix(e.Text, prefix) && !e.Deleted {
			return e
		}
	}
	t.Fatalf("no entry %q", prefix)
	return incident.Entry{}
}

// sameAsFresh checks that m draws what a cockpit opened now draws after
// the same keys.
func sameAsFresh(t *testing.T, m Model, st *store.Store, id int64, keys ...string) {
	t.Helper()
	fresh := press(t, newModel(t, st, id, 120, 40), keys...)
	if got, want := m.View(), fresh.View(); got != want {
		t.Fatalf("the patched timeline differs from one read afresh:\n%s\nwant:\n%s", got, want)
	}
}

// lineOf is the line of the frame holding s, -1 if none.
func lineOf(view, s string) int {
	for i, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return i
		}
	}
	return -1
}

func TestOtherRetimeMovesTheRow(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 30)
	m := newModel(t, st, id, 120, 40)
	before := m.cockpit.Timeline.Data
	view := m.View()
	if lineOf(view, "entry 25:") < lineOf(view, "entry 20:") {
		t.Fatal("the seed is not in time order")
	}
	// Select entry 25 (five up from the newest of 30), as its owner
	// might be looking at it when a teammate re-times it.
	m = press(t, m, "tab", "enter", "k", "k", "k", "k")
	if e, ok := m.cockpit.Timeline.Selected(); !ok || !strings.HasPrefix(e.Text, "entry 25:") {
		t.Fatalf("selected %q", e.Text)
	}
	e := entryNamed(t, st, id, "entry 25:")
	if _, err := st.EditEntry(id, e.ID, pinned, "ben", func(e *incident.Entry) error { e.At = e.At.Add(-330 * time.Second); return nil }); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	if m.cockpit.Timeline.Data == before {
		t.Fatal("the timeline was not updated")
	}
	view = m.View()
	if a, b := lineOf(view, "entry 25:"), lineOf(view, "entry 20:"); a < 0 || a > b {
		t.Fatalf("the re-timed row did not move above entry 20 (lines %d, %d):\n%s", a, b, view)
	}
	if got, ok := m.cockpit.Timeline.Selected(); !ok || got.ID != e.ID || !got.At.Equal(e.At.Add(-330*time.Second)) {
		t.Fatalf("the selection did not follow its entry: %+v", got)
	}
	// Back past its old place, and down to the newest.
	if _, err := st.EditEntry(id, e.ID, pinned, "ben", func(e *incident.Entry) error { e.At = pinned.Add(-30 * time.Second); return nil }); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{}, keyMsg("esc"))
	view = m.View()
	if a, b := lineOf(view, "entry 25:"), lineOf(view, "entry 29:"); a < b {
		t.Fatalf("the row re-timed to the end is not the newest:\n%s", view)
	}
	sameAsFresh(t, m, st, id, "tab")
}

func TestOtherDeleteUnderAFilter(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 40)
	m := newModel(t, st, id, 120, 40)
	// tab to the timeline, then f to "actions only" (every 4th entry
	// from entry 1 is an action).
	keys := []string{"tab", "f", "f", "f"}
	m = press(t, m, keys...)
	if !strings.Contains(m.View(), "Timeline · actions only") || !strings.Contains(m.View(), "entry 37:") || !strings.Contains(m.View(), "10/41") {
		t.Fatalf("not the actions:\n%s", m.View())
	}
	e := entryNamed(t, st, id, "entry 37:")
	if _, err := st.DeleteEntry(id, e.ID, pinned, "ben"); err != nil {
		t.Fatal(err)
	}
	// And a note deleted, which the filter does not show.
	if _, err := st.DeleteEntry(id, entryNamed(t, st, id, "entry 36:").ID, pinned, "ben"); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	view := m.View()
	if strings.Contains(view, "entry 37:") || !strings.Contains(view, "entry 33:") || !strings.Contains(view, "9/41") {
		t.Fatalf("the deleted action is still shown, or the count is wrong:\n%s", view)
	}
	if !strings.Contains(view, "Timeline · actions only") {
		t.Fatalf("the filter was lost:\n%s", view)
	}
	sameAsFresh(t, m, st, id, keys...)
}

func TestOtherStarOfTheSelectedRow(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 30)
	m := newModel(t, st, id, 120, 40)
	keys := []string{"tab", "enter", "k", "k"}
	m = press(t, m, keys...)
	sel, ok := m.cockpit.Timeline.Selected()
	if !ok || !strings.HasPrefix(sel.Text, "entry 27:") || sel.Starred {
		t.Fatalf("selected %+v", sel)
	}
	if _, err := st.EditEntry(id, sel.ID, pinned, "ben", func(e *incident.Entry) error { e.Starred = true; return nil }); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	got, ok := m.cockpit.Timeline.Selected()
	if !ok || got.ID != sel.ID || !got.Starred {
		t.Fatalf("after a teammate's star the selection is %+v (%v)", got, ok)
	}
	view := m.View()
	if lineOf(view, "★ entry 27:") < 0 || !strings.Contains(view, "edited by ben") {
		t.Fatalf("the selected row does not show the star:\n%s", view)
	}
	if !strings.Contains(view, fmt.Sprintf("#%d", sel.ID)) {
		t.Fatalf("the details of the selection are gone:\n%s", view)
	}
	sameAsFresh(t, m, st, id, keys...)
}

// TestOtherEditRedrawsOnlyThatRow: a teammate rewording an entry in view
// shows the new words at once (the rows around it come from the row
// cache, the changed one is formatted again), and the frame is the one a
// fresh cockpit draws.
func TestOtherEditRedrawsOnlyThatRow(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 30)
	m := newModel(t, st, id, 120, 40)
	_ = m.View()
	e := entryNamed(t, st, id, "entry 26:")
	if _, err := st.EditEntry(id, e.ID, pinned, "ben", func(e *incident.Entry) error { e.Text = "reworded by ben"; return nil }); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	view := m.View()
	if strings.Contains(view, "entry 26:") || !strings.Contains(view, "reworded by ben") {
		t.Fatalf("the reworded row is not shown:\n%s", view)
	}
	sameAsFresh(t, m, st, id)
}
