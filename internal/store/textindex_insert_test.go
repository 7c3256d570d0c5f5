package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Lines typed at about the same moment in a room commit in any order: the
// text index takes each one that lands behind another into its place in
// the last run, without writing the run again, and stays what the
// timeline holds (warroom check compares them) through deletions, entries
// with no searchable text and full runs.
func TestTextIndexTakesLinesCommittedOutOfOrder(t *testing.T) {
	for _, run := range []int{textRunBytes, 300} {
		t.Run(fmt.Sprintf("run=%d", run), func(t *testing.T) {
			defer func(old int) { textRunBytes = old }(textRunBytes)
			textRunBytes = run
			s := openTemp(t)
			id := declare(t, s, "Payments pool exhausted").ID
			rng := rand.New(rand.NewPCG(1, uint64(run)))
			check := func(step string) {
				t.Helper()
				rep, err := s.Check()
				if err != nil || !rep.OK() {
					t.Fatalf("%s: check: %v %v", step, err, rep.Problems)
				}
			}
			rebuilt := regionsRebuilt.Load()
			var added []incident.Entry
			for round := range 8 {
				// Six people type in the same second; their lines
				// commit in a shuffled order.
				base := t0.Add(time.Duration(round) * time.Minute)
				for _, i := range rng.Perm(6) {
					text := fmt.Sprintf("round %d: pool metrics from person %d", round, i)
					if i == 3 && round%3 == 0 {
						text = "   " // nothing search can find
					}
					e, err := s.AppendEntry(id, incident.Entry{At: base.Add(time.Duration(i) * time.Millisecond), Author: "amara", Kind: incident.KindNote, Text: text})
					if err != nil {
						t.Fatal(err)
					}
					added = append(added, e)
					check(fmt.Sprintf("round %d, person %d", round, i))
				}
				if round == 4 {
					// A deleted entry among the last ones: a later
					// line lands before it.
					last := added[len(added)-1]
					if _, err := s.DeleteEntry(id, last.ID, base, "amara"); err != nil {
						t.Fatal(err)
					}
					if _, err := s.AppendEntry(id, incident.Entry{At: base.Add(-time.Millisecond), Author: "amara", Kind: incident.KindNote, Text: "before the deleted one"}); err != nil {
						t.Fatal(err)
					}
					check("after a deletion")
				}
			}
			if run == 300 {
				return // full runs are written again, as before
			}
			// Only the deletion writes a run again (and whatever the
			// declaration did); every line typed is put in place.
			if n := regionsRebuilt.Load() - rebuilt; n > 1 {
				t.Errorf("%d runs written again for lines typed out of order; want only the deletion's", n)
			}
		})
	}
}
