package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/retro"
)

// run is s as one key message, as Bubble Tea v1 reports letters that came
// in one read.
func run(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// burst is s as Bubble Tea v1 reads it when it arrives at once: each word
// one message, each space its own (a space ends a run).
func burst(s string) []tea.Msg {
	var out []tea.Msg
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
		}
		if w != "" {
			out = append(out, run(w))
		}
	}
	return out
}

func visibleCount(t *testing.T, st *store.Store, id int64) int {
	t.Helper()
	inc, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	return len(inc.VisibleEntries())
}

func TestKeyRunOnTheCaptureLineIsText(t *testing.T) {
	const phrase = "press enter then up"
	for name, msgs := range map[string][]tea.Msg{
		"one run":       {run(phrase)},
		"word by word":  burst(phrase),
		"with tab word": burst("tab"),
	} {
		t.Run(name, func(t *testing.T) {
			st := openStore(t)
			id := seedHandbook(t, st)
			m := newModel(t, st, id, 120, 40)
			// Something in the history, so that a matched "up" would show.
			m = typeText(t, m, "an earlier line")
			m = press(t, m, "enter")
			before := visibleCount(t, st, id)

			m = send(t, m, msgs...)
			want := phrase
			if name == "with tab word" {
				want = "tab"
			}
			if v := m.cockpit.Capture.Value(); v != want {
				t.Fatalf("the capture line holds %q, want %q", v, want)
			}
			if m.cockpit.Focus != cockpit.FocusCapture {
				t.Fatalf("focus moved to %d", m.cockpit.Focus)
			}
			if n := visibleCount(t, st, id); n != before {
				t.Fatalf("%d entries were logged while typing", n-before)
			}

			m = press(t, m, "enter")
			if n := visibleCount(t, st, id); n != before+1 {
				t.Fatalf("enter logged %d entries, want 1", n-before)
			}
			if e := lastEntry(t, st, id); e.Text != want || e.Kind != incident.KindNote {
				t.Fatalf("logged %s %q, want note %q", e.Kind, e.Text, want)
			}
		})
	}
}

func TestKeyRunTabDoesNotMoveFocus(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = send(t, m, run("tab"))
	if m.cockpit.Focus != cockpit.FocusCapture || m.cockpit.Capture.Value() != "tab" {
		t.Fatalf("after a run \"tab\": focus %d, line %q; want the capture line holding \"tab\"", m.cockpit.Focus, m.cockpit.Capture.Value())
	}
}

func TestKeyRunInTheTimelineIsKeys(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 200)
	runs := newModel(t, st, id, 120, 40)
	runs = press(t, runs, "tab") // focus the timeline
	singles := runs
	start := runs.cockpit.Timeline.Top

	runs = send(t, runs, run("kkk"))
	singles = press(t, singles, "k", "k", "k")
	if got, want := runs.cockpit.Timeline.Top, singles.cockpit.Timeline.Top; got != want || got != start-3 {
		t.Fatalf("after a run \"kkk\" the top row is %d; three presses of k give %d, from %d", got, want, start)
	}
	runs = send(t, runs, run("jj"))
	if got := runs.cockpit.Timeline.Top; got != start-1 {
		t.Fatalf("after a run \"jj\" the top row is %d, want %d", got, start-1)
	}
	if runs.cockpit.Focus != cockpit.FocusTimeline {
		t.Fatalf("focus moved to %d", runs.cockpit.Focus)
	}
}

// TestKeyRunIntoATextFieldMidway: a key in the run that puts the cursor in
// a text field hands it the rest of the run as text.
func TestKeyRunIntoATextFieldMidway(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = press(t, m, "tab") // focus the timeline
	m = send(t, m, run("/status"))
	if m.cockpit.Focus != cockpit.FocusCapture || m.cockpit.Capture.Value() != "/status" {
		t.Fatalf("after a run \"/status\" in the timeline: focus %d, line %q", m.cockpit.Focus, m.cockpit.Capture.Value())
	}
	m = press(t, m, "tab") // completes the command, as when typed slowly
	if v := m.cockpit.Capture.Value(); v != "/status " {
		t.Fatalf("tab completed to %q", v)
	}
}

// TestKeyRunBigPasteIsOneInsertion: a 64 KB run reaches the capture line as
// one edit, not 65536.
func TestKeyRunBigPasteIsOneInsertion(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	seq := m.cockpit.Capture.Seq
	big := strings.Repeat("enter", 64<<10/5)
	m = send(t, m, run(big))
	if v := m.cockpit.Capture.Value(); v != big {
		t.Fatalf("the capture line holds %d runes, want %d", len([]rune(v)), len(big))
	}
	if n := m.cockpit.Capture.Seq - seq; n != 1 {
		t.Fatalf("the paste took %d edits, want 1", n)
	}
}

func TestKeyRunInTheCommsDraft(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st, "13:35")
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = focusComms(t, m)
	c := commsOf(t, m)
	before := c.Text()
	// e starts editing; the rest is typed into the draft, where the word
	// esc must not end the edit.
	m = send(t, m, run("ep"), run("esc"))
	c = commsOf(t, m)
	if !c.Editing {
		t.Fatal("the draft is not being edited after a run \"ep\" and \"esc\"")
	}
	if got := c.Text(); got == before || !strings.Contains(got, "pesc") {
		t.Fatalf("the draft is %q; want \"pesc\" typed into %q", got, before)
	}
}

// retroModel opens the retro screen on an incident with three whys.
func retroModel(t *testing.T) (Model, *store.Store, int64) {
	t.Helper()
	st := openStore(t)
	id := seedHandbook(t, st)
	if _, err := st.UpdateRetro(id, "ben", pinned, func(r *incident.Retro) error {
		for _, w := range []string{"one", "two", "three"} {
			if _, err := incident.AddWhy(r, "why "+w, "because "+w, "li", pinned); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R")
	return m, st, id
}

func retroOn(m Model) *retro.Model { return m.screens[common.ScreenRetro].(*retro.Model) }

func TestKeyRunInTheRetroWhysIsKeys(t *testing.T) {
	m, _, _ := retroModel(t)
	m = send(t, m, run("jj")) // Introduction → Five whys in the section list
	if s := retroOn(m); s.Current() != incident.SectionWhys {
		t.Fatalf("after a run \"jj\" the section is %q, want %q", s.Current(), incident.SectionWhys)
	}
	m = press(t, m, "enter")
	m = send(t, m, run("jj"))
	if sel := retroOn(m).Whys.Sel; sel != 2 {
		t.Fatalf("after a run \"jj\" in the five whys why %d is selected, want 2", sel)
	}
	m = send(t, m, run("kj"), run("k"))
	if sel := retroOn(m).Whys.Sel; sel != 1 {
		t.Fatalf("after runs \"kj\" and \"k\" why %d is selected, want 1", sel)
	}
}

func TestKeyRunInTheRetroFormsIsText(t *testing.T) {
	m, st, id := retroModel(t)
	m = press(t, m, "j", "j", "enter", "a") // Five whys, add
	m = send(t, m, burst("jj enter tab")...)
	f := retroOn(m).Whys.Form
	if f == nil {
		t.Fatal("the why form closed")
	}
	if f.Focus != 0 || f.Value(0) != "jj enter tab" {
		t.Fatalf("field %d has the cursor and the first holds %q; want the first holding the words", f.Focus, f.Value(0))
	}
	m = press(t, m, "tab")
	m = send(t, m, burst("because esc")...)
	m = press(t, m, "enter")
	whys := retroOf(t, st, id).Whys
	if n := len(whys); n != 4 || whys[3].Why != "jj enter tab" || whys[3].Because != "because esc" {
		t.Fatalf("whys = %+v", whys)
	}

	// The free-text Introduction: a run of list keys is text there.
	m = press(t, m, "esc", "k", "k", "enter")
	m = send(t, m, burst("jj kk esc")...)
	s := retroOn(m)
	if s.Focus != retro.FocusEditor || s.Text.Area.Value() != "jj kk esc" {
		t.Fatalf("the introduction holds %q (focus %d)", s.Text.Area.Value(), s.Focus)
	}
}

func TestKeyRunInTheRetroTimelineIsKeys(t *testing.T) {
	m, _, _ := retroModel(t)
	m = press(t, m, "j", "enter", "j") // Timeline, its first entry selected
	start := retroOn(m).Timeline.Sel
	m = send(t, m, run("jjjk"))
	if got := retroOn(m).Timeline.Sel; got != start+2 {
		t.Fatalf("after a run \"jjjk\" from entry %d entry %d is selected, want %d", start, got, start+2)
	}
	// a opens the annotation input; the rest of the run is the note.
	m = send(t, m, run("anote"))
	if s := retroOn(m); !s.Timeline.Annotating || s.Timeline.Input.Value() != "note" {
		t.Fatalf("annotating %v, note %q", s.Timeline.Annotating, s.Timeline.Input.Value())
	}
}

func TestKeyRunInTheHelpAndTheList(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 24)
	m = press(t, m, "f1")
	m = send(t, m, run("jjj"))
	if m.helpTop != 3 {
		t.Fatalf("a run \"jjj\" in the help scrolled to %d, want 3", m.helpTop)
	}
	m = press(t, m, "esc", "tab", "L")
	m = send(t, m, burst("checkout enter")...)
	if m.screen != common.ScreenList || m.list.Filter.Value() != "checkout enter" {
		t.Fatalf("screen %s, filter %q", m.screen, m.list.Filter.Value())
	}
	checkFrame(t, ansi.Strip(m.View()), 120, 24)
}
