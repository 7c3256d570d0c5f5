package tui

import (
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// What the lead types is what happens: the sequences of issue #25, each
// delivered the way a burst arrives (a run of letters is one message, as
// Bubble Tea reads it) with no time for any question to be read.

// typeLines types each line as one run of runes followed by enter, as one read
// from a fast or laggy terminal delivers it.
func typeLines(tb testing.TB, m Model, lines ...string) Model {
	tb.Helper()
	for _, l := range lines {
		if l != "" {
			m = send(tb, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(l)})
		}
		m = press(tb, m, "enter")
	}
	return m
}

// texts lists the incident's entries of the given kinds (all when none),
// in time order, as kind:text.
func texts(tb testing.TB, st *store.Store, id int64, after int, kinds ...incident.Kind) []string {
	tb.Helper()
	var out []string
	for _, e := range entries(tb, st, id)[after:] {
		if len(kinds) == 0 || slices.Contains(kinds, e.Kind) {
			out = append(out, string(e.Kind)+":"+e.Text)
		}
	}
	return out
}

func TestTypedAheadLetterNeverConfirmsAPublish(t *testing.T) {
	for _, next := range []string{"yesterday's deploy is suspect", "a note right after publish", "n", "y"} {
		t.Run(next, func(t *testing.T) {
			st := openStore(t)
			id := seedComms(t, st)
			m := commsModel(t, st, id, testConfig(), nil, 120, 40)
			before := len(entries(t, st, id))
			m = typeLines(t, m, "/draft Our database is slow for some customers.", "/publish", next)
			m.ctx.WaitWrites()
			if n := len(storedIncident(t, st, id).Updates); n != 0 {
				t.Fatalf("a key typed ahead of the jargon question published the update (%d updates)", n)
			}
			if got := texts(t, st, id, before, incident.KindNote); !slices.Equal(got, []string{"note:" + next}) {
				t.Fatalf("notes %q, want exactly %q", got, next)
			}
			if !strings.Contains(m.View(), "Publish anyway?") {
				t.Fatalf("the question is gone:\n%s", m.View())
			}
			// Read, then answered on purpose.
			m = answer(t, m, "esc")
			if strings.Contains(m.View(), "Publish anyway?") || len(storedIncident(t, st, id).Updates) != 0 {
				t.Fatal("esc did not keep the draft unpublished")
			}
		})
	}
}

func TestEachEnterEndsALineEvenARefusedOne(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st) // SEV2
	m := newModel(t, st, id, 120, 40)
	before := len(entries(t, st, id))
	m = typeLines(t, m, "/sev 9", "note A after bad command", "!action B", "/sev 2", "note C", "/eta +6h", "/comms li", "?question D")
	m.ctx.WaitWrites()
	m = drive(t, m, nil)
	got := texts(t, st, id, before)
	want := []string{"note:note A after bad command", "action:action B", "note:note C", "system:ETA set to 19:45", "role:li is Communication lead", "question:question D"}
	if !slices.Equal(got, want) {
		t.Fatalf("stored %q\nwant   %q", got, want)
	}
	if v := m.cockpit.Capture.Value(); v != "" {
		t.Fatalf("the capture line holds %q", v)
	}
	// The last refusal's reason outlives the lines typed after it.
	if !strings.Contains(m.status, "severity is already SEV2; nothing changed") {
		t.Fatalf("status %q; the no-op's notice was cleared by the keys after it", m.status)
	}
	m = typeText(t, m, "x")
	if !strings.Contains(m.status, "nothing changed") {
		t.Fatal("a key typed after the notice cleared it")
	}
	for range common.NoticeTicks {
		m = send(t, m, common.TickMsg(pinned))
	}
	m = press(t, m, "backspace")
	if m.status != "" {
		t.Fatalf("the notice outlived its time: %q", m.status)
	}
	// Both refused lines are in the history, newest last.
	var hist []string
	for range 8 {
		m = press(t, m, "up")
		hist = append(hist, m.cockpit.Capture.Value())
	}
	if !slices.Contains(hist, "/sev 9") || !slices.Contains(hist, "/sev 2") {
		t.Fatalf("history %q lacks the refused lines", hist)
	}
}

func TestANoOpCommandIsANoticeNotAnError(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st) // SEV2
	m := newModel(t, st, id, 120, 40)
	m = typeLines(t, m, "/sev 2")
	m.ctx.WaitWrites()
	m = drive(t, m, nil)
	v := m.View()
	if m.cockpit.Capture.Err != "" || strings.Contains(v, "✗") || !strings.Contains(v, "severity is already SEV2; nothing changed") {
		t.Fatalf("a no-op should be a notice:\n%s", v)
	}
}

func TestLinesWaitInOrderOnAFullDisk(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	before := len(entries(t, st, id))
	var fails atomic.Int64
	fails.Store(5)
	m.ctx.WriteFault = func() error {
		if fails.Add(-1) >= 0 {
			return store.ErrDiskFull
		}
		return nil
	}
	// Each line's write runs to the end inside send; the first one is
	// refused five times and stays first.
	m = typeLines(t, m, "FT1", "FT2", "FT3")
	m.ctx.WaitWrites()
	if got := texts(t, st, id, before); !slices.Equal(got, []string{"note:FT1", "note:FT2", "note:FT3"}) {
		t.Fatalf("stored %q, want FT1, FT2, FT3 each on its own", got)
	}
	if v := m.cockpit.Capture.Value(); v != "" || m.cockpit.Capture.Err != "" {
		t.Fatalf("line %q err %q after the disk came back", v, m.cockpit.Capture.Err)
	}
}

// While the writes wait, the lines are on screen, each marked saving…,
// and nothing comes back into the capture line.
func TestWaitingLinesShowAsSaving(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	before := len(entries(t, st, id))
	var held atomic.Bool
	held.Store(true)
	m.ctx.WriteFault = func() error {
		if held.Load() {
			return store.ErrLocked
		}
		return nil
	}
	var cmds []tea.Cmd
	for _, l := range []string{"L1", "L2", "L3", "L4", "L5"} {
		next, _ := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(l)})
		m = next.(Model)
		next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		m = next.(Model)
		cmds = append(cmds, cmd)
	}
	v := m.View()
	for _, l := range []string{"L1", "L2", "L3", "L4", "L5"} {
		if !strings.Contains(v, "… "+l) {
			t.Fatalf("%s is not shown as saving:\n%s", l, v)
		}
	}
	if strings.Count(v, "saving…") != 5 || m.cockpit.Capture.Value() != "" {
		t.Fatalf("want five saving rows and an empty line:\n%s", v)
	}
	// Once the first write was refused, the status line says why the
	// lines wait.
	deadline := time.Now().Add(10 * time.Second)
	for n, _ := m.ctx.WaitingWrites(); n == 0; n, _ = m.ctx.WaitingWrites() {
		if time.Now().After(deadline) {
			t.Fatal("the refused write never started waiting")
		}
		time.Sleep(5 * time.Millisecond)
	}
	next, _ := m.Update(common.TickMsg(pinned))
	m = next.(Model)
	if !strings.Contains(m.status, "5 typed lines waiting to be written") || !strings.Contains(m.status, "locked") {
		t.Fatalf("status %q does not say the lines wait for the locked file", m.status)
	}
	held.Store(false)
	for _, c := range cmds {
		m = drive(t, m, c)
	}
	m.ctx.WaitWrites()
	if got := texts(t, st, id, before); !slices.Equal(got, []string{"note:L1", "note:L2", "note:L3", "note:L4", "note:L5"}) {
		t.Fatalf("stored %q, want L1..L5 in order", got)
	}
	if strings.Contains(m.View(), "saving…") {
		t.Fatalf("rows still saving after the writes landed:\n%s", m.View())
	}
}

func TestLoggedLineNeverComesBackAfterACrash(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "CLEAN1 half")
	// The pause-in-typing save lands: the half line is on disk.
	m = send(t, m, m.cockpit.Capture.SaveNow()())
	if v, _ := st.UIState(id, common.UIStateName("amara")); v != "CLEAN1 half" {
		t.Fatalf("half line saved as %q", v)
	}
	m = typeText(t, m, " done")
	// Enter: the entry is stored; no save tick has fired yet (the process
	// could be killed now).
	// drive runs the write and skips the save timers.
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	m = drive(t, next.(Model), cmd)
	m.ctx.WaitWrites()
	if e := lastEntry(t, st, id); e.Text != "CLEAN1 half done" {
		t.Fatalf("last entry %q", e.Text)
	}
	if v, _ := st.UIState(id, common.UIStateName("amara")); v != "" {
		t.Fatalf("after the entry was stored the half line on disk is %q; a restart would bring it back", v)
	}
	// A restart shows an empty line.
	m2 := newModel(t, st, id, 120, 40)
	if v := m2.cockpit.Capture.Value(); v != "" {
		t.Fatalf("restarted with %q on the capture line", v)
	}
}

func TestAPasteIsLines(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	before := len(entries(t, st, id))
	paste := tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("pasted line one\r/sev 9\rpasted line three\r!pasted action four")}
	m = send(t, m, paste)
	if v := m.View(); !strings.Contains(v, "Paste 4 lines, 1 command?") {
		t.Fatalf("no question for a paste with a command:\n%s", v)
	}
	// Typed after the paste, before the question could be read: text, and
	// a line of its own after the paste's lines.
	m = typeLines(t, m, "typed after")
	if len(entries(t, st, id)) != before {
		t.Fatal("a key typed ahead answered the paste's question")
	}
	m = answer(t, m, "enter")
	m.ctx.WaitWrites()
	want := []string{"note:pasted line one", "note:pasted line three", "action:pasted action four", "note:typed after"}
	if got := texts(t, st, id, before); !slices.Equal(got, want) {
		t.Fatalf("stored %q\nwant   %q", got, want)
	}
	if !strings.Contains(m.View(), "severity 9") && !strings.Contains(m.cockpit.Capture.Err, "not logged") {
		t.Fatalf("the refused /sev 9 of the paste is not reported: %q", m.cockpit.Capture.Err)
	}

	// Without commands, the lines are logged at once.
	before = len(entries(t, st, id))
	m = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("first\n>second\n\n*third\n")})
	m.ctx.WaitWrites()
	if got := texts(t, st, id, before); !slices.Equal(got, []string{"note:first", "decision:second", "note:third"}) {
		t.Fatalf("stored %q", got)
	}
}

// After scrolling up, the lead's own new line comes into view.
func TestOwnLineScrollsIntoView(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 200)
	m := newModel(t, st, id, 120, 40)
	m = press(t, m, "pgup", "pgup", "pgup")
	if strings.Contains(m.View(), "entry 199:") {
		t.Fatal("pgup did not scroll away from the newest entries")
	}
	m = typeLines(t, m, "my own new line")
	m.ctx.WaitWrites()
	m = drive(t, m, nil)
	if v := m.View(); !strings.Contains(v, "my own new line") || strings.Contains(v, "newer") {
		t.Fatalf("the new line is not in view:\n%s", v)
	}
}

// Only a busy file or a full disk is worth waiting for; a refusal of the
// line itself is given back at once.
func TestOnlyTheDiskIsWaitedFor(t *testing.T) {
	if common.Transient(errors.New("severity must be 1 to 4")) || !common.Transient(store.ErrLocked) || !common.Transient(store.ErrDiskFull) {
		t.Fatal("Transient misjudges")
	}
}

// A time typed that is not today says its day on the status line.
func TestBackdatedLineSaysItsDay(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st) // the clock is 13:45 on Mar 12
	m := newModel(t, st, id, 120, 40)
	m = typeLines(t, m, "@23:00 the night shift saw it first")
	m.ctx.WaitWrites()
	m = drive(t, m, nil)
	if !strings.Contains(m.status, "Logged at 23:00 yesterday, Mar 11") {
		t.Fatalf("status %q, want the day of the backdated line", m.status)
	}
	m = typeLines(t, m, "@13:40 today's line")
	m.ctx.WaitWrites()
	if strings.Contains(m.status, "13:40") {
		t.Fatalf("a line of today got a day note: %q", m.status)
	}
}

// A line backdated into the past is scrolled to where it landed.
func TestBackdatedOwnLineIsScrolledTo(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 200)
	m := newModel(t, st, id, 120, 40)
	m = typeLines(t, m, "@-150m the backdated line")
	m.ctx.WaitWrites()
	m = drive(t, m, nil)
	if e := lastEntry(t, st, id); e.Text == "the backdated line" {
		t.Fatal("the line was not backdated into the middle of the timeline")
	}
	if v := m.View(); !strings.Contains(v, "the backdated line") {
		t.Fatalf("the backdated line is not in view:\n%s", v)
	}
	// The next line at the end brings the view back down.
	m = typeLines(t, m, "and now this")
	m.ctx.WaitWrites()
	m = drive(t, m, nil)
	if v := m.View(); !strings.Contains(v, "and now this") {
		t.Fatalf("the new line is not in view:\n%s", v)
	}
}
