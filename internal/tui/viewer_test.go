package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
)

// TestViewerShowsOnlyWhatStakeholdersSee: header, status and public
// updates; nothing from the technical timeline; no key writes.
func TestViewerShowsOnlyWhatStakeholdersSee(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	for _, line := range []string{"/draft Issue identified; team working on resolution.", "/publish"} {
		c, err := incident.ParseCapture(line, pinned)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Apply(id, c, pinned, "jonas", incident.DefaultPolicy()); err != nil {
			t.Fatal(err)
		}
	}
	v := NewViewer(Options{Store: st, Now: pinnedNow, Width: 80, Height: 24})
	var model tea.Model = v
	model, _ = model.Update(v.Load()())
	view := model.View()
	for _, want := range []string{"INC-1", "Checkout payments failing for EU customers", "IDENTIFIED", "Public updates", "13:45: Issue identified; team working on resolution.", "read-only"} {
		if !strings.Contains(view, want) {
			t.Errorf("the stakeholder view lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "PSP rate-limits") || strings.Contains(view, "Rolling back") {
		t.Fatalf("the stakeholder view shows the technical timeline:\n%s", view)
	}
	checkFrame(t, view, 80, 24)

	before := len(entries(t, st, id))
	for _, k := range []string{"!", "x", "enter", "S"} {
		var cmd tea.Cmd
		model, cmd = model.Update(keyMsg(k))
		if cmd != nil {
			t.Fatalf("key %q produced a command in the read-only view", k)
		}
	}
	if after := len(entries(t, st, id)); after != before {
		t.Fatal("a key in the viewer wrote to the incident")
	}
	if _, cmd := model.Update(keyMsg("q")); cmd == nil {
		t.Fatal("q does not quit the viewer")
	}
}

// TestViewerSaysTheUpdateIsLate: past the time the next update was
// promised for, the stakeholder view says it is late and by how much.
func TestViewerSaysTheUpdateIsLate(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	inc, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	due := incident.NextUpdateDue(inc, incident.DefaultPolicy())
	for _, tc := range []struct {
		at   time.Time
		want string
		not  string
	}{
		{due.Add(-time.Minute), "next update by " + due.Local().Format("15:04"), "late"},
		{due.Add(2 * time.Minute), "next update was due at " + due.Local().Format("15:04") + " · 2m late", "next update by"},
	} {
		at := tc.at
		v := NewViewer(Options{Store: st, Now: func() time.Time { return at }, Width: 80, Height: 24})
		var model tea.Model = v
		model, _ = model.Update(v.Load()())
		view := model.View()
		if !strings.Contains(view, tc.want) || strings.Contains(view, tc.not) {
			t.Errorf("at %s the viewer shows:\n%s\nwant %q, not %q", at.Format("15:04"), view, tc.want, tc.not)
		}
	}
}
