package cockpit

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// rowsOf lists a timeline's rows as text, for comparing two timelines.
func rowsOf(td *TimelineData) string {
	var b strings.Builder
	for r := range td.rows.All() {
		switch r.Kind {
		case RowEntry:
			e := r.E
			fmt.Fprintf(&b, "#%d %s %q %v|", e.ID, e.At.Format("02 15:04"), r.Text, e.Starred)
		default:
			fmt.Fprintf(&b, "%d:%s|", r.Kind, r.Text)
		}
	}
	return b.String()
}

// TestPatchMatchesRebuild: random edits, stars, deletes, restores,
// re-times and backdated lines, applied in place one delta at a time, leave
// the same rows (gap and date lines included), the same lookups and the
// same incident entries as building everything again from the incident,
// for the whole timeline and for every filter.
func TestPatchMatchesRebuild(t *testing.T) {
	const gap = 15 * time.Minute
	t0 := time.Date(2026, 3, 11, 22, 0, 0, 0, time.UTC)
	kinds := []incident.Kind{incident.KindNote, incident.KindAction, incident.KindDecision, incident.KindSystem}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		inc := &incident.Incident{}
		next := int64(1)
		newEntry := func(at time.Time) incident.Entry {
			e := incident.Entry{ID: next, Seq: uint64(next), UID: fmt.Sprintf("u%03d", next), At: at, Kind: kinds[r.IntN(len(kinds))], Author: "dmitri", Text: fmt.Sprintf("line %d", next)}
			next++
			return e
		}
		for i := range 30 {
			inc.Entries = append(inc.Entries, newEntry(t0.Add(time.Duration(i*7)*time.Minute)))
		}
		// Some tests start within one day, so that spanning days
		// starts mid-way.
		if seed%2 == 0 {
			for i := range inc.Entries {
				inc.Entries[i].At = inc.Entries[i].At.Add(-22 * time.Hour)
			}
		}
		incident.SortEntries(inc.Entries)
		td := BuildTimeline(inc, gap)
		views := make([]*TimelineData, len(filters))
		for f := range filters {
			views[f] = filters[f].apply(td)
		}
		for step := range 60 {
			cur := inc.Entries
			var changed []incident.Entry
			for range 1 + r.IntN(3) {
				e := cur[r.IntN(len(cur))]
				if slices.ContainsFunc(changed, func(c incident.Entry) bool { return c.ID == e.ID }) {
					continue
				}
				switch r.IntN(6) {
				case 0:
					e.Text = fmt.Sprintf("edited %d", step)
				case 1:
					e.Starred = !e.Starred
				case 2:
					e.Deleted = !e.Deleted
				case 3, 4:
					e.At = e.At.Add(time.Duration(r.IntN(120)-60) * time.Minute)
				default:
					e = newEntry(t0.Add(time.Duration(r.IntN(600)) * time.Minute))
				}
				changed = append(changed, e)
			}
			// The model: the incident's entries with the changes put in
			// by id and sorted again.
			inc2 := *inc
			inc2.Entries = slices.Clone(inc.Entries)
			for _, e := range changed {
				if i := slices.IndexFunc(inc2.Entries, func(x incident.Entry) bool { return x.ID == e.ID }); i >= 0 {
					inc2.Entries[i] = e
				} else {
					inc2.Entries = append(inc2.Entries, e)
				}
			}
			incident.SortEntries(inc2.Entries)
			inc = &inc2
			before := rowsOf(td)
			got := td.Patched(slices.Clone(changed))
			if rowsOf(td) != before {
				t.Fatalf("seed %d step %d: the patch changed the timeline it was applied to", seed, step)
			}
			rebuilt := BuildTimeline(inc, gap)
			if a, b := rowsOf(got), rowsOf(rebuilt); a != b {
				t.Fatalf("seed %d step %d: patched rows differ from a rebuild\n got %s\nwant %s", seed, step, a, b)
			}
			if !slices.EqualFunc(got.AllEntries(), inc.Entries, func(a, b incident.Entry) bool { return a == b }) {
				t.Fatalf("seed %d step %d: the timeline's entries differ from the incident's", seed, step)
			}
			for _, e := range inc.Entries {
				row, ok := got.rowOf(e.ID)
				if ok == e.Deleted || (ok && got.row(row).E.ID != e.ID) {
					t.Fatalf("seed %d step %d: entry #%d (deleted %v) found %v at row %d", seed, step, e.ID, e.Deleted, ok, row)
				}
			}
			for f := range filters {
				if filters[f].keep == nil {
					continue
				}
				if got.base == td && got.multiDay == views[f].multiDay {
					views[f] = views[f].patch(changed, filters[f].keep)
				} else {
					views[f] = filters[f].apply(got)
				}
				if a, b := rowsOf(views[f]), rowsOf(filters[f].apply(rebuilt)); a != b {
					t.Fatalf("seed %d step %d filter %q: patched rows differ\n got %s\nwant %s", seed, step, filters[f].Name, a, b)
				}
			}
			td = got
		}
	}
}
