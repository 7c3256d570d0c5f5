package tui

import (
	"fmt"
	"runtime"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/store"
)

// The 10-entry case of each benchmark is the baseline for the
// 10,000-entry case in the same run: a frame and a keystroke must cost the
// same whatever the length of the timeline.

var benchSizes = []int{10, 10000}

// benchCockpit opens an incident of n entries at 120×40 with everything
// loaded.
func benchCockpit(b *testing.B, n int) (Model, *store.Store, int64) {
	b.Helper()
	st := openStore(b)
	id := seedMany(b, st, n)
	m := newModel(b, st, id, 120, 40)
	if got := len(m.cockpit.timeline.data.entries); got != n || m.ctx.Partial {
		b.Fatalf("loaded %d entries (partial %v), want %d", got, m.ctx.Partial, n)
	}
	return m, st, id
}

func BenchmarkCockpitView(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
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
				m.cockpit.timeline.scroll(1)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				_ = m.View()
			}
		})
	}
}

// BenchmarkCaptureKeystroke is one key typed into the capture line and the
// frame it causes.
func BenchmarkCaptureKeystroke(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			m = typeText(b, m, "checking the pool metrics on psp-gateway ")
			keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune{'x'}}, {Type: tea.KeyBackspace}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				next, _ := m.Update(keys[i%2])
				m = next.(Model)
				_ = m.View()
			}
		})
	}
}

// BenchmarkOpenFirstFrame is opening an incident to its first drawn frame:
// the constructor, the first read from the database (the tail of a huge
// timeline) and the first View.
func BenchmarkOpenFirstFrame(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			st := openStore(b)
			id := seedMany(b, st, n)
			cfg := testConfig()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				m := New(Options{Store: st, Config: cfg, Now: pinnedNow, IncidentID: id, Width: 120, Height: 40})
				next, _ := m.Update(loadIncidentCmd(m.ctx, true)())
				if next.(Model).ctx.Incident == nil {
					b.Fatal("nothing loaded")
				}
				_ = next.View()
			}
		})
	}
}

// BenchmarkCockpitMemory reports the heap a cockpit holds once an incident
// is fully loaded and drawn (the goal: under 60 MB resident for 10,000
// entries). Each iteration is one reload, as after any write.
func BenchmarkCockpitMemory(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m, _, _ := benchCockpit(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				next, _ := m.Update(loadIncidentCmd(m.ctx, false)())
				m = next.(Model)
				_ = m.View()
			}
			b.StopTimer()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
			runtime.KeepAlive(m)
		})
	}
}
