package tui

import (
	"fmt"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// BenchmarkOtherChange is another person's edit, star, delete or re-time
// of an entry in view reaching this screen: from the commit (made by the
// other person's program, off the clock) to the frame that shows it,
// through what the program runs for it: the read of what changed
// (store.Since), the root Update that applies it and the next View. The
// 10-entry case is the baseline for the 100,000-entry one in the same run
// (docs/performance.md): the goal is the same cost at both, since the rows
// are patched in place rather than rebuilt.
func BenchmarkOtherChange(b *testing.B) {
	var deleted int64
	changes := []struct {
		name string
		do   func(b *testing.B, st *store.Store, id int64, e incident.Entry, i int)
	}{
		{"edit", func(b *testing.B, st *store.Store, id int64, e incident.Entry, i int) {
			otherEdit(b, st, id, e.ID, func(e *incident.Entry) error { e.Text = fmt.Sprintf("reworded %d: the pool metrics", i); return nil })
		}},
		{"star", func(b *testing.B, st *store.Store, id int64, e incident.Entry, _ int) {
			otherEdit(b, st, id, e.ID, func(e *incident.Entry) error { e.Starred = !e.Starred; return nil })
		}},
		{"retime", func(b *testing.B, st *store.Store, id int64, e incident.Entry, _ int) {
			// Back and forth past its neighbours: the row moves.
			otherEdit(b, st, id, e.ID, func(e *incident.Entry) error { e.At = e.At.Add(-150 * time.Second); return nil })
		}},
		{"delete", func(b *testing.B, st *store.Store, id int64, e incident.Entry, i int) {
			// Every other round puts the entry deleted before back, so
			// that a 10-entry timeline does not run out.
			var err error
			if i%2 == 0 {
				_, err = st.DeleteEntry(id, e.ID, pinnedNow(), "ben")
			} else {
				_, err = st.RestoreEntry(id, deleted, pinnedNow(), "ben")
			}
			deleted = e.ID
			if err != nil {
				b.Fatal(err)
			}
		}},
	}
	for _, c := range changes {
		for _, n := range hugeSizes {
			b.Run(fmt.Sprintf("%s/entries=%d", c.name, n), func(b *testing.B) {
				m, st, id := benchCockpit(b, n)
				b.ReportAllocs()
				var clock opClock
				i := 0
				for b.Loop() {
					b.StopTimer()
					// An entry a few rows up from the newest, as a
					// teammate acts on what is in view.
					d := m.cockpit.Timeline.Data
					k := d.Entries() - 4
					for k > 1 && d.Entry(k).Kind == incident.KindSystem {
						k-- // not a deletion's own record
					}
					target := *d.Entry(k)
					c.do(b, st, id, target, i)
					i++
					b.StartTimer()
					clock.begin()
					msg := sinceCmd(st, id, m.cursor, m.ctx.Now().Location())()
					next, _ := m.Update(msg)
					m = next.(Model)
					_ = m.View()
					clock.end()
					if m.cursor.Tx != msg.(deltaLoadedMsg).delta.Cursor.Tx {
						b.Fatal("the change was not applied")
					}
				}
				clock.report(b)
			})
		}
	}
}

func otherEdit(b *testing.B, st *store.Store, id, entryID int64, fn func(e *incident.Entry) error) {
	b.Helper()
	if _, err := st.EditEntry(id, entryID, pinnedNow(), "ben", fn); err != nil {
		b.Fatal(err)
	}
}
