package tui

import (
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// clocked is a cockpit whose clock the test moves.
type clocked struct {
	m   Model
	now *atomic.Int64
	// byClock says the last tick's frame was drawn for the clock alone.
	byClock bool
}

// newClocked opens the incident at 120×40 at the time at, draws it, and
// lets one tick bring the room's presence in.
func newClocked(t *testing.T, st *store.Store, id int64, at time.Time) *clocked {
	t.Helper()
	c := &clocked{now: &atomic.Int64{}}
	c.now.Store(at.UnixNano())
	m := New(Options{Store: st, Config: testConfig(), Now: func() time.Time { return time.Unix(0, c.now.Load()).UTC() }, IncidentID: id, Width: 120, Height: 40})
	c.m = drive(t, m, m.Init())
	c.m.View()
	c.m = drive(t, c.m, c.tickOnly(t, at))
	c.m.View()
	return c
}

// tick moves the clock to at, sends its tick and draws the frame, as the
// program would, then runs what the tick started (presence) and draws
// again; each frame must be the one drawn whole for the same state.
func (c *clocked) tick(t *testing.T, at time.Time) string {
	t.Helper()
	cmd := c.tickOnly(t, at)
	c.m = drive(t, c.m, cmd)
	return c.draw(t)
}

// tickOnly is tick without running what the tick started, which it
// returns.
func (c *clocked) tickOnly(t *testing.T, at time.Time) tea.Cmd {
	t.Helper()
	c.now.Store(at.UnixNano())
	next, cmd := c.m.Update(common.TickMsg(at))
	c.m = next.(Model)
	c.draw(t)
	c.byClock = c.m.drawn.byClock
	return cmd
}

// draw draws the frame and checks it against the one drawn whole.
func (c *clocked) draw(t *testing.T) string {
	t.Helper()
	v := c.m.View()
	if whole, _ := c.m.frame(c.m.ctx.Width, c.m.ctx.Height, false); v != whole {
		t.Fatalf("at %s the frame differs from the one drawn whole:\n%s\nwant:\n%s", c.m.ctx.Now().Format("15:04:05"), v, whole)
	}
	return v
}

// changedLines are the lines of b that differ from a's.
func changedLines(a, b string) []string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := range bl {
		if i >= len(al) || al[i] != bl[i] {
			out = append(out, bl[i])
		}
	}
	return out
}

// A tick that changes nothing but the clock draws the header and the
// right column only: the frame is the one drawn whole, and only the
// running clock's line and the countdown's change.
func TestClockTickDrawsOnlyTheClock(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	c := newClocked(t, st, id, pinned)
	last := c.m.View()
	for s := 1; s <= 3; s++ {
		at := pinned.Add(time.Duration(s) * time.Second)
		v := c.tick(t, at)
		if !c.byClock {
			t.Fatalf("the tick at %s drew the whole frame", at.Format("15:04:05"))
		}
		got := changedLines(last, v)
		if len(got) != 2 || !strings.Contains(got[0], "elapsed 1:14:0") || !strings.Contains(got[1], "OVERDUE +1:00:0") {
			t.Fatalf("the tick at %s changed %d lines, want the clock's and the countdown's:\n%s", at.Format("15:04:05"), len(got), strings.Join(got, "\n"))
		}
		last = v
	}
}

// The comms pane's countdown turning overdue between two ticks of one
// minute shows on the clock's frames.
func TestClockTickShowsCountdownTurningOverdue(t *testing.T) {
	st := openStore(t)
	cfg := testConfig()
	// Declared at a half minute, so the first update falls due mid-minute.
	inc, err := incident.NewIncident("Search results empty", 2, time.Date(2026, 3, 12, 12, 40, 30, 0, time.UTC), cfg.Policy())
	if err != nil {
		t.Fatal(err)
	}
	inc.Roles[incident.RoleLead] = "amara"
	out, err := st.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(out.ID, -1)
	if err != nil {
		t.Fatal(err)
	}
	due := incident.NextUpdateDue(snap.Incident, cfg.Policy())
	if due.Second() != 30 {
		t.Fatalf("first update due at %s, want at a half minute", due.Format("15:04:05"))
	}
	c := newClocked(t, st, out.ID, due.Add(-4*time.Second))
	for s := -3; s <= 2; s++ {
		at := due.Add(time.Duration(s) * time.Second)
		v := c.tick(t, at)
		if !c.byClock {
			t.Fatalf("the tick at %s drew the whole frame", at.Format("15:04:05"))
		}
		overdue := strings.Contains(v, "OVERDUE +")
		if want := s > 0; overdue != want {
			t.Fatalf("at %s (%+ds from due) overdue shown %v, want %v:\n%s", at.Format("15:04:05"), s, overdue, want, v)
		}
	}
}

// The first tick of a minute draws the whole frame; the ETA's minutes move
// on with it.
func TestClockTickDrawsWholeEachMinute(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	start := pinned.Add(58 * time.Second)
	c := newClocked(t, st, id, start)
	c.tick(t, start.Add(time.Second))
	if !c.byClock {
		t.Fatal("a tick within the minute drew the whole frame")
	}
	v := c.tick(t, start.Add(2*time.Second))
	if c.byClock {
		t.Fatal("the first tick of a minute was drawn for the clock alone")
	}
	if !strings.Contains(v, "ETA 14:20 (in 34m)") {
		t.Fatalf("the ETA did not move on with the minute:\n%s", strings.Join(strings.Split(v, "\n")[:2], "\n"))
	}
}

// The header's second row follows the clock within a minute too: the
// ETA's "in 35m" turns to "in 34m" half a minute past (FormatDuration
// rounds), and so does the retro's due time once resolved.
func TestClockTickMovesTheHeadersTimes(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	// ETA 14:20: 34m30s before it is the turn.
	turn := time.Date(2026, 3, 12, 13, 45, 30, 0, time.UTC)
	ticksAcross(t, newClocked(t, st, id, turn.Add(-3*time.Second)), turn, "ETA 14:20 (in 35m)", "ETA 14:20 (in 34m)")

	cap, _ := incident.ParseCapture("/resolved 13:15", pinned)
	if _, err := st.Apply(id, cap, pinned, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	// The retro is due at 15:15: 1h29m30s before it is a turn.
	turn = time.Date(2026, 3, 12, 13, 45, 30, 0, time.UTC)
	ticksAcross(t, newClocked(t, st, id, turn.Add(-3*time.Second)), turn, "retro due 15:15 (in 1h30m)", "retro due 15:15 (in 1h29m)")
}

// ticksAcross ticks c's clock through the two seconds either side of
// turn: each frame is drawn for the clock alone, and its header shows
// before up to the turn and after it from the next second.
func ticksAcross(t *testing.T, c *clocked, turn time.Time, before, after string) {
	t.Helper()
	for s := -2; s <= 2; s++ {
		v := c.tick(t, turn.Add(time.Duration(s)*time.Second))
		want := before
		if s > 0 {
			want = after
		}
		if !c.byClock || !strings.Contains(v, want) {
			t.Fatalf("%+ds from the turn (by clock %v), want %q:\n%s", s, c.byClock, want, strings.Join(strings.Split(v, "\n")[:2], "\n"))
		}
	}
}

// Crossing midnight, the times shown against today (the incident pane's
// milestones, the ETA) gain their day; each frame is still the one drawn
// whole.
func TestClockTickAcrossMidnight(t *testing.T) {
	st := openStore(t)
	cfg := testConfig()
	declared := time.Date(2026, 3, 12, 23, 40, 30, 0, time.UTC)
	inc, err := incident.NewIncident("Search results empty", 2, declared, cfg.Policy())
	if err != nil {
		t.Fatal(err)
	}
	inc.Roles[incident.RoleLead] = "amara"
	out, err := st.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := incident.ParseCapture("/eta 23:55", declared)
	if _, err := st.Apply(out.ID, c, declared, "amara", cfg.Policy()); err != nil {
		t.Fatal(err)
	}
	midnight := time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC)
	cl := newClocked(t, st, out.ID, midnight.Add(-3*time.Second))
	var before string
	for s := -2; s <= 2; s++ {
		v := cl.tick(t, midnight.Add(time.Duration(s)*time.Second))
		if s == -1 {
			before = v
		}
	}
	after := cl.m.View()
	if !strings.Contains(before, "ETA 23:55") || !strings.Contains(after, "ETA Thu 23:55") {
		t.Fatalf("the ETA did not gain its day at midnight:\n%s\n---\n%s", before, after)
	}
}

// What changed besides the clock since the last frame is drawn: the frame
// drawn after a key keeps the key's capture line through the clock's
// frames, and a tick coming before the key's frame was drawn draws whole.
func TestClockTickAfterOtherChanges(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	c := newClocked(t, st, id, pinned)
	next, _ := c.m.Update(keyMsg("x"))
	c.m = next.(Model)
	next, _ = c.m.Update(burstFlushMsg{seq: c.m.burstSeq})
	c.m = next.(Model)
	v := c.tick(t, pinned.Add(time.Second))
	if c.byClock {
		t.Fatal("a tick after a key not yet drawn was drawn for the clock alone")
	}
	if !strings.Contains(v, "› x") {
		t.Fatalf("the typed x is not on the capture line:\n%s", v)
	}
	c.m = press(t, c.m, "y")
	c.m.View()
	v = c.tick(t, pinned.Add(2*time.Second))
	if !c.byClock || !strings.Contains(v, "› xy") {
		t.Fatalf("the clock's frame after a drawn key (by clock %v):\n%s", c.byClock, v)
	}
	// A help screen, or a resize, draws whole.
	c.m = send(t, c.m, tea.WindowSizeMsg{Width: 130, Height: 40})
	c.m.View()
	c.tick(t, pinned.Add(3*time.Second))
	if !c.byClock {
		t.Fatal("the tick after a drawn resize drew the whole frame")
	}
	c.m = press(t, c.m, "f1")
	c.m.View()
	c.tick(t, pinned.Add(4*time.Second))
	if c.byClock {
		t.Fatal("the help screen was drawn for the clock alone")
	}
}

// A status message the tick sets (lines waiting for a locked file) and the
// one it leaves once they are written show on the clock's frames.
func TestClockTickShowsTheStatusItSets(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	c := newClocked(t, st, id, pinned)
	var held atomic.Bool
	held.Store(true)
	c.m.ctx.WriteFault = func() error {
		if held.Load() {
			return store.ErrLocked
		}
		return nil
	}
	c.m = typeText(t, c.m, "L1")
	next, cmd := c.m.Update(keyMsg("enter"))
	c.m = next.(Model)
	c.m.View()
	deadline := time.Now().Add(10 * time.Second)
	for n, _ := c.m.ctx.WaitingWrites(); n == 0; n, _ = c.m.ctx.WaitingWrites() {
		if time.Now().After(deadline) {
			t.Fatal("the refused write never started waiting")
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.tickOnly(t, pinned.Add(time.Second))
	lines := strings.Split(c.m.View(), "\n")
	if !c.byClock || !strings.Contains(lines[len(lines)-1], "1 typed line waiting to be written") {
		t.Fatalf("status line after the tick (by clock %v): %q", c.byClock, lines[len(lines)-1])
	}
	held.Store(false)
	c.m = drive(t, c.m, cmd)
	c.m.ctx.WaitWrites()
	c.m.View()
	v := c.tick(t, pinned.Add(2*time.Second))
	lines = strings.Split(v, "\n")
	if !c.byClock || !strings.Contains(lines[len(lines)-1], "The waiting lines are saved") {
		t.Fatalf("status line once written (by clock %v): %q", c.byClock, lines[len(lines)-1])
	}
}

// memBoard is a presence board in memory, as warroom serve's.
type memBoard struct {
	mu   sync.Mutex
	recs map[int64]map[string]string
}

func (b *memBoard) Say(id int64, session, value string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.recs == nil {
		b.recs = map[int64]map[string]string{}
	}
	if b.recs[id] == nil {
		b.recs[id] = map[string]string{}
	}
	if value == "" {
		delete(b.recs[id], session)
	} else {
		b.recs[id][session] = value
	}
	return nil
}

func (b *memBoard) Records(id int64) (map[string]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return maps.Clone(b.recs[id]), nil
}

// BenchmarkClockTick is one second of an idle cockpit of warroom serve on
// its Update loop: the clock's tick, what it starts (presence in memory)
// and the frame it draws. BenchmarkIdleRoom in internal/server is the
// same for a whole server.
func BenchmarkClockTick(b *testing.B) {
	st := openStore(b)
	id := seedHandbook(b, st)
	var now atomic.Int64
	now.Store(pinned.UnixNano())
	m := New(Options{Store: st, Config: testConfig(), Now: func() time.Time { return time.Unix(0, now.Load()).UTC() }, IncidentID: id, Width: 120, Height: 40, Presence: &memBoard{}})
	m = drive(b, m, m.Init())
	m.View()
	b.ReportAllocs()
	s := 0
	for b.Loop() {
		s++
		at := pinned.Add(time.Duration(s) * time.Second)
		now.Store(at.UnixNano())
		next, cmd := m.Update(common.TickMsg(at))
		m = next.(Model)
		m.View()
		m = drive(b, m, cmd)
		m.View()
	}
}
