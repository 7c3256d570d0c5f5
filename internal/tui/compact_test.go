package tui

import (
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/incident"
)

// After `warroom compact` writes the file anew, its transaction ids start
// again from one. An open cockpit must go on showing what is typed in it
// and what others log, not take every later write for an older one.
func TestCockpitFollowsAFileWrittenAnew(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	// Many writes, so the cockpit's cursor is far past what the
	// compacted copy starts from.
	for i := range 20 {
		c, _ := incident.ParseCapture("filler line "+string(rune('a'+i)), pinned)
		if _, err := st.Apply(id, c, pinned, "dmitri", incident.DefaultPolicy()); err != nil {
			t.Fatal(err)
		}
	}
	stamp, err := st.Stamp()
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, pollMsg{stamp: stamp})
	before := m.cursor.Tx
	if _, err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	m = typeText(t, m, "typed after the compaction")
	m = press(t, m, "enter")
	c, _ := incident.ParseCapture("logged by a script after it", pinned)
	if _, err := st.Apply(id, c, pinned, "dmitri", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	if stamp, err = st.Stamp(); err != nil {
		t.Fatal(err)
	}
	if stamp.TxID >= before {
		t.Fatalf("the compacted file's transaction %d is not below the cockpit's %d: the test tests nothing", stamp.TxID, before)
	}
	m = send(t, m, pollMsg{stamp: stamp})
	view := m.View()
	for _, want := range []string{"typed after the compaction", "logged by a script after it"} {
		if !strings.Contains(view, want) {
			t.Errorf("the cockpit does not show %q after the file was compacted:\n%s", want, view)
		}
	}
}
