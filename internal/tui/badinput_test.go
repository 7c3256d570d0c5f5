package tui

import (
	"math/rand/v2"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

func TestHugePasteKeepsTextAndSaysWhy(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	paste := []rune(strings.Repeat("0123456789abcdef", 1<<16)) // 1 MiB
	m = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: paste, Paste: true})
	if got := len(m.cockpit.Capture.Value()); got != len(paste) {
		t.Fatalf("the capture line holds %d bytes of a %d byte paste", got, len(paste))
	}
	checkFrame(t, m.View(), 120, 40)
	before := len(entries(t, st, id))
	m = press(t, m, "enter")
	if !strings.Contains(m.View(), "over the 64 KB limit") {
		t.Fatalf("no inline error about the size:\n%s", m.View())
	}
	if len(entries(t, st, id)) != before {
		t.Fatal("the oversized paste was logged")
	}
	// The refused line went to the history, whole: ↑ brings it back.
	m = press(t, m, "up")
	if got := len(m.cockpit.Capture.Value()); got != len(paste) {
		t.Fatalf("↑ brought back %d bytes, want all %d kept", got, len(paste))
	}
	// Quitting keeps it: nothing typed is lost.
	m = press(t, m, "ctrl+c")
	if v, _ := st.UIState(id, common.UIStateName("amara")); len(v) != len(paste) {
		t.Fatalf("the half-typed paste was saved as %d bytes", len(v))
	}
}

func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	hostile := []string{
		"\x1b[2J\x1b[Hcleared your screen",
		"title\x1b]0;pwned\x07 set",
		"bell\a back\bspace\rcarriage",
		"8-bit \x9b31m csi",
		"c1 \u009b31m csi",
		"invalid \xff\xfe utf-8",
		"multi\nline\ttext",
	}
	for _, h := range hostile {
		if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "ev\x1b[1mil", Kind: incident.KindNote, Text: h}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.UpdateDeclaration(id, pinned, "amara", func(d *incident.Declaration) error {
		d.Title = "Title \x1b[31mred\x1b[0m"
		d.WarRoom = "#war\rroom"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []incident.Capture{
		{Command: incident.CmdRole, Role: "scribe", Person: "li\x07"},
		{Command: incident.CmdTag, Tag: "tag\x1b[5m"},
	} {
		if _, err := st.Apply(id, c, pinned, "amara", incident.DefaultPolicy()); err != nil {
			t.Fatal(err)
		}
	}
	m := newModel(t, st, id, 120, 40)
	view := m.View()
	checkFrame(t, view, 120, 40)
	for _, want := range []string{"cleared your screen", "set", "invalid �� utf-8", "multi line text", "Title red"} {
		if !strings.Contains(view, want) {
			t.Errorf("the cleaned text %q is not shown:\n%s", want, view)
		}
	}
	// Select each hostile entry so its details are drawn too.
	m = press(t, m, "tab", "enter")
	for range hostile {
		checkFrame(t, m.View(), 120, 40)
		m = press(t, m, "k")
	}
	// Typed escape sequences and invalid UTF-8 in the capture line.
	m = press(t, m, "esc", "i")
	m = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("typed \x1b[31m \uFFFD \u009b end"), Paste: true})
	checkFrame(t, m.View(), 120, 40)
	m = press(t, m, "enter")
	checkFrame(t, m.View(), 120, 40)
	e := lastEntry(t, st, id)
	if !strings.Contains(e.Text, "typed") || !strings.Contains(e.Text, "end") {
		t.Fatalf("the typed line was not logged: %q", e.Text)
	}
}

func TestTooSmallSaysSo(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	for _, size := range [][2]int{{79, 24}, {80, 23}, {20, 5}, {1, 1}, {200, 3}} {
		m = send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		view := m.View()
		checkFrame(t, view, size[0], size[1])
		if size[0] >= 20 && size[1] >= 3 && !strings.Contains(strings.ReplaceAll(view, "\n", " "), "too") {
			t.Errorf("%dx%d: no 'too small' message:\n%s", size[0], size[1], view)
		}
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	view := m.View()
	checkFrame(t, view, 80, 24)
	if strings.Contains(view, "too small") || !strings.Contains(view, "Timeline") {
		t.Fatalf("80x24 does not draw the cockpit:\n%s", view)
	}
}

func TestResizeBurstLosesNothing(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "typed before the storm")
	m = press(t, m, "tab", "k", "k", "tab", "tab") // scroll a little, come back to the capture line
	if m.cockpit.Focus != cockpit.FocusCapture {
		m.cockpit.SetFocus(cockpit.FocusCapture)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 100 {
		w, h := 1+r.IntN(220), 1+r.IntN(70)
		if i%10 == 0 {
			w, h = 20, 5
		}
		m = send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
		checkFrame(t, m.View(), w, h)
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	checkFrame(t, m.View(), 120, 40)
	if got := m.cockpit.Capture.Value(); got != "typed before the storm" {
		t.Fatalf("the capture line holds %q after resizing", got)
	}
	if !strings.Contains(m.View(), "typed before the storm") {
		t.Fatal("the typed line is not drawn after resizing")
	}
	m = press(t, m, "enter")
	if e := lastEntry(t, st, id); e.Text != "typed before the storm" {
		t.Fatalf("logged %q", e.Text)
	}
}

func TestEveryFrameFitsAtTheSupportedSizes(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {100, 30}, {250, 80}} {
		m := newModel(t, st, id, size[0], size[1])
		checkFrame(t, m.View(), size[0], size[1])
		m = press(t, m, "f1")
		checkFrame(t, m.View(), size[0], size[1])
		m = press(t, m, "esc", "tab", "enter")
		checkFrame(t, m.View(), size[0], size[1])
		m = press(t, m, "esc", "L")
		checkFrame(t, m.View(), size[0], size[1])
		m = press(t, m, "ctrl+n")
		checkFrame(t, m.View(), size[0], size[1])
	}
}

func TestHugeIncidentOpensWithTailThenLoadsAll(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 2000)
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40})
	msg := loadIncidentCmd(m.ctx, nil, true)()
	first, ok := msg.(common.IncidentLoadedMsg)
	if !ok {
		t.Fatalf("first load gave %T", msg)
	}
	// The entries are the timeline's (the incident on screen holds none).
	td := first.Timeline.(*cockpit.TimelineData)
	if !first.Partial || td.Entries() != tailEntries(40) || first.Total != 2001 { // the import adds the declaration the fold starts from
		t.Fatalf("first load: partial %v, %d entries of %d", first.Partial, td.Entries(), first.Total)
	}
	next, cmd := m.Update(first)
	m = next.(Model)
	if !strings.Contains(m.View(), "entry 1999:") || !strings.Contains(m.View(), "loading earlier") {
		t.Fatalf("the first frame does not show the newest entries while loading:\n%s", m.View())
	}
	m = drive(t, m, cmd)
	if m.ctx.Partial || m.cockpit.Timeline.Data.Entries() != 2001 {
		t.Fatalf("after the background load: partial %v, %d entries", m.ctx.Partial, m.cockpit.Timeline.Data.Entries())
	}
	m = press(t, m, "tab", "g")
	if !strings.Contains(m.View(), "entry 0:") {
		t.Fatal("the earliest entries did not arrive")
	}
}
