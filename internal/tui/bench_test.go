package tui

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// The 10-entry case of each benchmark is the baseline for the large case
// in the same run: a frame, a keystroke and a logged line must cost the
// same whatever the length of the timeline. docs/performance.md has the
// commands and the figures.

var benchSizes = []int{10, 10000}

// hugeSizes are the cases that must hold at 100,000 entries.
var hugeSizes = []int{10, 100000}

// opClock times each operation of a benchmark loop so that its median and
// 99th percentile are reported beside the mean (ns/op). A logged line ends
// in a durable commit, and on a shared disk an fsync now and then stalls
// for milliseconds, which moves the mean by tens of percent from one run
// to the next; the median hardly moves, so ratios are read from it.
type opClock struct {
	start time.Time
	ops   []time.Duration
}

func (c *opClock) begin() { c.start = time.Now() }
func (c *opClock) end()   { c.ops = append(c.ops, time.Since(c.start)) }

func (c *opClock) report(b *testing.B) {
	if len(c.ops) == 0 {
		return
	}
	slices.Sort(c.ops)
	b.ReportMetric(float64(c.ops[len(c.ops)/2].Nanoseconds()), "p50-ns/op")
	b.ReportMetric(float64(c.ops[len(c.ops)*99/100].Nanoseconds()), "p99-ns/op")
}

// seededStore opens a fresh database holding one incident of n entries
// (seedMany's, in one import), and returns it with the incident's id.
// Importing 100,000 entries takes about 2 s here, once per benchmark and
// count, before the clock starts.
func seededStore(b *testing.B, n int) (*store.Store, int64) {
	b.Helper()
	st := openStore(b)
	return st, seedMany(b, st, n)
}

// benchCockpit opens an incident of n entries (and the declaration the
// import adds) at 120×40 with everything loaded.
func benchCockpit(b *testing.B, n int) (Model, *store.Store, int64) {
	b.Helper()
	st, id := seededStore(b, n)
	m := newModel(b, st, id, 120, 40)
	if got := m.cockpit.Timeline.Data.Entries(); got != n+1 || m.ctx.Partial {
		b.Fatalf("loaded %d entries (partial %v), want %d", got, m.ctx.Partial, n+1)
	}
	return m, st, id
}

func BenchmarkCockpitView(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkCockpitViewScrolled draws from the middle of the timeline, where
// no shortcut for the newest rows applies.
func BenchmarkCockpitViewScrolled(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			m = press(b, m, "tab", "g")
			for range n / 2 {
				m.cockpit.Timeline.Scroll(1)
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkCockpitViewWrapped is the frame with wrap mode on, scrolled to
// the middle: wrapping formats only the rows in view too, so its cost
// must not grow with the timeline (compare entries=10).
func BenchmarkCockpitViewWrapped(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			m = press(b, m, "tab", "w", "g")
			for range n / 2 {
				m.cockpit.Timeline.Scroll(1)
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkCaptureKeystroke is one rune typed into the capture line through
// the root Update, and the frame it causes. Its commands (the debounced
// save of the half-typed line, a timer) are not run: they are not part of
// the keystroke. The line is put back every 64 keys, off the clock, so it
// stays one line long.
func BenchmarkCaptureKeystroke(b *testing.B) {
	for _, n := range hugeSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			const base = "checking the pool metrics on psp-gateway "
			m = typeText(b, m, base)
			key := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'x'}}
			b.ReportAllocs()
			var clock opClock
			i := 0
			for b.Loop() {
				clock.begin()
				next, _ := m.Update(key)
				m = next.(Model)
				_ = m.View()
				clock.end()
				if i++; i%64 == 0 {
					b.StopTimer()
					m.cockpit.Capture.Input.SetValue(base)
					m.cockpit.Capture.Input.CursorEnd()
					b.StartTimer()
				}
			}
			clock.report(b)
		})
	}
}

// BenchmarkEnterToScreen is a line typed (arriving in one read, as a fast
// typist's or tmux's keys do) and enter, through the root Update, with
// every command that results run to completion as the program would: the
// write through the ordered queue (a durable commit) and the common.AppliedMsg it
// returns, until the entry is a row of the timeline and no longer marked
// saving. (The "saving…" row itself appears within the enter's Update.)
// Timers (the debounced save, the clocks) are skipped, as everywhere in
// these tests. With -benchtime 1x it measures the first line logged after
// the incident was loaded, which costs more (see docs/performance.md).
func BenchmarkEnterToScreen(b *testing.B) {
	for _, n := range hugeSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			const text = "rolled back deploy 4711 on the payments service"
			line := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text)}
			enter := tea.KeyMsg{Type: tea.KeyEnter}
			b.ReportAllocs()
			var clock opClock
			for b.Loop() {
				before := m.cockpit.Timeline.Data.Entries()
				clock.begin()
				m = send(b, m, line, enter)
				clock.end()
				d := m.cockpit.Timeline.Data
				if d.Entries() != before+1 || d.Entry(d.Entries()-1).Text != text {
					b.Fatalf("the entry is not the newest row (%d entries, were %d)", d.Entries(), before)
				}
				if p := m.cockpit.Timeline.Pending; len(p) != 0 {
					b.Fatalf("%d lines still marked saving after their writes returned", len(p))
				}
			}
			clock.report(b)
		})
	}
}

// firstFrame runs what Init starts, once each (the incident's first read,
// the half-typed line), applies their results and draws. The commands
// those results start (the full read that follows a huge timeline's tail)
// are left out: they come after the first frame.
func firstFrame(b *testing.B, m Model) (Model, string) {
	b.Helper()
	var run func(cmd tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		msg, ok := runCmd(cmd)
		if !ok || msg == nil {
			return
		}
		if batch, isBatch := msg.(tea.BatchMsg); isBatch {
			for _, c := range batch {
				run(c)
			}
			return
		}
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	run(m.Init())
	return m, m.View()
}

// BenchmarkOpenFirstFrame is opening an incident to its first drawn frame:
// New, what Init reads (the tail of a huge timeline, the half-typed line)
// and the first View.
func BenchmarkOpenFirstFrame(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			st, id := seededStore(b, n)
			cfg := testConfig()
			b.ReportAllocs()
			var clock opClock
			for b.Loop() {
				clock.begin()
				m := New(Options{Store: st, Config: cfg, Now: pinnedNow, IncidentID: id, Width: 120, Height: 40})
				m, _ = firstFrame(b, m)
				clock.end()
				if m.ctx.Incident == nil || m.cockpit.Timeline.Data.Len() == 0 {
					b.Fatal("nothing loaded")
				}
			}
			clock.report(b)
		})
	}
}

// BenchmarkCockpitMemory reports the heap a cockpit holds once an incident
// is fully loaded and drawn (the goals: under 60 MB resident for 10,000
// entries, and for 100,000 in #22). Each iteration is one full reload, as
// when the cockpit opens; at 100,000 entries one takes over a second.
func BenchmarkCockpitMemory(b *testing.B) {
	for _, n := range []int{10, 10000, 100000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			b.ReportAllocs()
			for b.Loop() {
				next, _ := m.Update(loadIncidentCmd(m.ctx, nil, false)())
				m = next.(Model)
				_ = m.View()
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
			runtime.KeepAlive(m)
		})
	}
}

// BenchmarkIdleSecond is what one second of an idle cockpit costs: the
// clock's tick through the root Update (with the presence heartbeat and
// read it starts, on the file board) and the frame it draws. warroom serve
// pays it once a second per session (see BenchmarkIdleRoom in
// internal/server).
func BenchmarkIdleSecond(b *testing.B) {
	st, id := seededStore(b, 100)
	m := newModel(b, st, id, 120, 40)
	b.ReportAllocs()
	s := 0
	for b.Loop() {
		s++
		next, cmd := m.Update(common.TickMsg(pinned.Add(time.Duration(s) * time.Second)))
		m = drive(b, next.(Model), cmd)
		_ = m.View()
	}
}
