package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// header is the two rows of the cockpit header.
func header(m Model) string { return strings.Join(strings.Split(m.View(), "\n")[:2], "\n") }

// Two cockpits on one database: each header lists both people; when ben
// quits, amara's next read no longer shows him, and a cockpit that vanished
// without quitting (a crash) stops being shown once its record is stale.
func TestRoomShowsWhoIsHereAndForgetsWhoLeft(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	amara := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Author: "amara"})
	amara = drive(t, amara, amara.Init())
	amara = send(t, amara, common.TickMsg(pinned))
	amara.ctx.WaitWrites()
	if strings.Contains(header(amara), "here ") {
		t.Fatalf("alone, amara's header names the room:\n%s", header(amara))
	}

	ben := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Author: "ben"})
	ben = drive(t, ben, ben.Init())
	ben = send(t, ben, common.TickMsg(pinned))
	ben.ctx.WaitWrites()
	if !strings.Contains(header(ben), "here amara, ben") {
		t.Fatalf("ben's header does not show the room:\n%s", header(ben))
	}
	amara = send(t, amara, common.TickMsg(pinned.Add(presenceEvery)))
	if !strings.Contains(header(amara), "here amara, ben") {
		t.Fatalf("amara's header does not show ben:\n%s", header(amara))
	}

	// ben's session ends from outside (an SSH session dropping): the quit
	// filter saves and leaves the room.
	next, cmd := ben.Update(quitFilter(ben, tea.QuitMsg{}))
	ben = drive(t, next.(Model), cmd)
	ben.ctx.WaitWrites()
	amara = send(t, amara, common.TickMsg(pinned.Add(2*presenceEvery)))
	if strings.Contains(header(amara), "ben") {
		t.Fatalf("ben left, but amara's header still shows him:\n%s", header(amara))
	}

	// chen's cockpit is killed: no quit, so its record stays, but once
	// it is older than presenceFresh nobody shows it.
	chen := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Author: "chen"})
	chen = drive(t, chen, chen.Init())
	chen = send(t, chen, common.TickMsg(pinned.Add(2*presenceEvery)))
	chen.ctx.WaitWrites()
	amara = send(t, amara, common.TickMsg(pinned.Add(3*presenceEvery)))
	if !strings.Contains(header(amara), "here amara, chen") {
		t.Fatalf("amara's header does not show chen:\n%s", header(amara))
	}
	amara = send(t, amara, common.TickMsg(pinned.Add(2*presenceEvery+presenceFresh+time.Second)))
	if strings.Contains(header(amara), "chen") {
		t.Fatalf("chen's cockpit is gone, but amara's header still shows chen:\n%s", header(amara))
	}
}

// The room fits the header's second row at 80 columns, ending in +N for
// the names that do not fit, and never pushes the ETA off it.
func TestRoomFitsTheHeader(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 80, 24)
	m.ctx.SetRoom([]string{"amara", "ben", "chen", "dmitri", "erin", "femi", "gus", "hana", "ivo", "jun"})
	h := header(m)
	row := strings.Split(h, "\n")[1]
	if !strings.Contains(row, "ETA") || !strings.Contains(row, "+") || !strings.Contains(row, "here amara") {
		t.Fatalf("second header row at 80 columns: %q", row)
	}
	checkFrame(t, m.View(), 80, 24)
}

// TestQuietCommitsDoNotRedraw: another session saving its half-typed line
// commits, and this cockpit reads the delta, but nothing on screen changed,
// so the frame already drawn is kept; a line logged is drawn.
func TestQuietCommitsDoNotRedraw(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	_ = m.View()
	gen, tx := m.gen, m.cursor.Tx
	if _, err := st.SetUIState(id, "capture-line:ben", "half typed by ben"); err != nil {
		t.Fatal(err)
	}
	stamp, _ := st.Stamp()
	m = send(t, m, pollMsg{stamp: stamp})
	if m.cursor.Tx == tx {
		t.Fatal("the delta after ben's save was not read")
	}
	if m.gen != gen {
		t.Fatal("a save that changes nothing on screen made the cockpit draw again")
	}
	c, _ := incident.ParseCapture("ben restarted the pool", pinned)
	if _, err := st.Apply(id, c, pinned, "ben", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	stamp, _ = st.Stamp()
	m = send(t, m, pollMsg{stamp: stamp})
	if m.gen == gen || !strings.Contains(m.View(), "ben restarted the pool") {
		t.Fatalf("a logged line was not drawn:\n%s", m.View())
	}
}

// TestCockpitWakesOnAnotherProcessWrite: the local cockpit's wait for a
// change returns when another process (here a second Store on the file,
// as `warroom log` from a script would be) commits, long before its
// fallback poll of an hour.
func TestCockpitWakesOnAnotherProcessWrite(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	before, err := st.Stamp()
	if err != nil {
		t.Fatal(err)
	}
	script, err := store.Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	c, _ := incident.ParseCapture("logged from a script", pinned)
	go func() {
		if _, err := script.Apply(id, c, pinned, "cron", incident.DefaultPolicy()); err != nil {
			t.Error(err)
		}
	}()
	// A wake-up can come as the data pages are written, before the commit
	// is complete; the cockpit then waits again from the stamp it read, as
	// Update does.
	seen := before
	deadline := time.After(30 * time.Second)
	for {
		got := make(chan tea.Msg, 1)
		wait := pollCmd(st, time.Hour, 0, seen)
		go func() { got <- wait() }()
		select {
		case msg := <-got:
			p, ok := msg.(pollMsg)
			if !ok || p.err != nil {
				t.Fatalf("the wait returned %#v", msg)
			}
			if p.stamp.TxID != before.TxID {
				return
			}
			seen = p.stamp
		case <-deadline:
			t.Fatal("the cockpit's wait did not notice another process's commit")
		}
	}
}

// An incident with many roles still shows who is in the room: the room
// follows the two leads, ahead of the other roles, which the incident pane
// lists whole.
func TestRoomIsShownBeforeTheOtherRoles(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	for _, line := range []string{"/role customer-support-lead elif", "/role database-expert dana", "/role payments-expert chen", "/role scribe fatima-al-rashid"} {
		c, err := incident.ParseCapture(line, pinned)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Apply(id, c, pinned, "amara", testConfig().Policy()); err != nil {
			t.Fatal(err)
		}
	}
	open := func(author string) Model {
		m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Author: author})
		m = drive(t, m, m.Init())
		m = send(t, m, common.TickMsg(pinned))
		m.ctx.WaitWrites()
		return m
	}
	open("kim")
	amara := open("amara")
	h := header(amara)
	if !strings.Contains(h, "here amara, kim") {
		t.Fatalf("with many roles the header does not show the room:\n%s", h)
	}
	if i, j := strings.Index(h, "here amara"), strings.Index(h, "database expert"); j >= 0 && j < i {
		t.Errorf("another role comes before the room:\n%s", h)
	}
}

// A signal's interrupt (kill -INT of a local cockpit) ends the program
// through the saving quit, like a quit from outside; the program's own
// quit passes.
func TestInterruptIsASavingQuit(t *testing.T) {
	m := New(Options{Config: testConfig(), Now: pinnedNow, Width: 120, Height: 40})
	for _, msg := range []tea.Msg{tea.QuitMsg{}, tea.InterruptMsg{}} {
		if _, ok := quitFilter(m, msg).(endSessionMsg); !ok {
			t.Errorf("%T from outside is not turned into the saving quit", msg)
		}
	}
	// As Run runs it.
	if _, ok := quitFilter(Held(m), tea.QuitMsg{}).(endSessionMsg); !ok {
		t.Error("a quit from outside of the held cockpit is not turned into the saving quit")
	}
	m.quitting = true
	if _, ok := quitFilter(m, tea.QuitMsg{}).(tea.QuitMsg); !ok {
		t.Error("the program's own quit was held back")
	}
	if _, ok := quitFilter(Held(m), tea.QuitMsg{}).(tea.QuitMsg); !ok {
		t.Error("the held cockpit's own quit was held back")
	}
}

// TestHeldKeepsEachUpdate: the model a program runs, held by pointer,
// keeps what every message did, as the model Update hands back does.
func TestHeldKeepsEachUpdate(t *testing.T) {
	m := New(Options{Config: testConfig(), Now: pinnedNow, Width: 120, Height: 40})
	h := Held(m)
	for _, r := range "/abc" {
		next, _ := h.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		if next != h {
			t.Fatalf("the held model handed back %T, want itself", next)
		}
		var want tea.Model
		want, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		m = want.(Model)
	}
	if got, want := h.View(), m.View(); got != want || !strings.Contains(got, "filter › /abc") {
		t.Errorf("held, the list draws\n%s\nwant\n%s", got, want)
	}
}
