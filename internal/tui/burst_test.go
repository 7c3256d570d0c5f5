package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// burstMsgs is text as Bubble Tea v1 reads a burst of it: runs of at most
// 256 letters, every space a message of its own.
func burstMsgs(text string) []tea.Msg {
	var out []tea.Msg
	for i, w := range strings.Split(text, " ") {
		if i > 0 {
			out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
		}
		for r := []rune(w); len(r) > 0; {
			n := min(len(r), 256)
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: r[:n]})
			r = r[n:]
		}
	}
	return out
}

// megabyte is 1 MiB of words.
func megabyte() string {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString("checkout ")
		if i%7 == 0 {
			b.WriteString(strings.Repeat("x", 300) + " ")
		}
	}
	return b.String()[:1<<20]
}

// A megabyte typed in one burst ends up on the capture line whole and in
// order, the timer's flushes landing anywhere in it, and a ctrl+c right
// behind it quits keeping all of it.
func TestMegabyteBurstIsKeptInOrder(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	text := megabyte()
	for i, msg := range burstMsgs(text) {
		next, _ := m.Update(msg)
		m = next.(Model)
		if i%997 == 0 {
			// The burst's timer fires while it goes on, after a pause.
			next, _ = m.Update(burstFlushMsg{seq: m.burstSeq})
			m = next.(Model)
		}
	}
	press(t, m, "ctrl+c")
	if v, _ := st.UIState(id, common.UIStateName("amara")); v != text {
		t.Fatalf("kept %d bytes of the %d typed, or out of order", len(v), len(text))
	}
}

// A burst ends at the first key that is not a letter: enter logs the line
// typed before it, and the letters after it start the next line.
func TestBurstEndsAtEnter(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	for _, msg := range append(burstMsgs("first line of the burst"), tea.KeyMsg{Type: tea.KeyEnter}) {
		next, cmd := m.Update(msg)
		m = drive(t, next.(Model), cmd)
	}
	for _, msg := range burstMsgs("second half") {
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	m = send(t, m, burstFlushMsg{seq: m.burstSeq})
	m.ctx.WaitWrites()
	if e := lastEntry(t, st, id); e.Text != "first line of the burst" {
		t.Fatalf("logged %q", e.Text)
	}
	if v := m.cockpit.Capture.Value(); v != "second half" {
		t.Fatalf("the line holds %q", v)
	}
}

// BenchmarkMegabyteBurst is what a megabyte from an SSH client costs the
// server: linear in its size, not its square.
func BenchmarkMegabyteBurst(b *testing.B) {
	st := openStore(b)
	id := seedHandbook(b, st)
	msgs := burstMsgs(megabyte())
	for b.Loop() {
		m := newModel(b, st, id, 120, 40)
		for _, msg := range msgs {
			next, _ := m.Update(msg)
			m = next.(Model)
		}
		next, _ := m.Update(burstFlushMsg{seq: m.burstSeq})
		_ = next.(Model).View()
	}
}

// The burst's timer hands the letters over only once the burst paused: a
// timer that fires while letters still arrive runs again.
func TestBurstWaitsForItsPause(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	next, cmd := m.Update(run("first"))
	m = next.(Model)
	if cmd == nil {
		t.Fatal("a burst started no timer")
	}
	seq := m.burstSeq
	next, _ = m.Update(run("second"))
	m = next.(Model)
	next, cmd = m.Update(burstFlushMsg{seq: seq})
	m = next.(Model)
	if v := m.cockpit.Capture.Value(); v != "" || cmd == nil {
		t.Fatalf("the timer of a burst still arriving typed %q (or stopped)", v)
	}
	next, _ = m.Update(burstFlushMsg{seq: m.burstSeq})
	m = next.(Model)
	if v := m.cockpit.Capture.Value(); v != "firstsecond" {
		t.Fatalf("after the pause the line holds %q", v)
	}
}
