package cockpit

import (
	"slices"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Patching the timeline.
//
// Another person's edit, star, delete or re-time arrives as the entry as it
// is now. Rather than rebuild every row of a 100,000-entry timeline, the
// entry's version on screen is found by id (ids), its row by binary search
// on that version's sort key, and only its rows change: an edit or a star
// replaces the entry's row; a delete takes it out, a restore or a
// backdated line puts one in, and a re-time does both, so the row moves.
// The gap or date line of the entry after it is worked out again, since it
// depends on its neighbour. Every change is copy-on-write (seq.go): the
// timeline patched is left as it was, for whoever still draws it. Only
// when the timeline starts or stops spanning days (every date line would
// change) are the rows laid out again.

// Patched is td with changed applied (see patch), td left as it was.
func (td *TimelineData) Patched(changed []incident.Entry) *TimelineData {
	out := td.patch(changed, nil)
	if out.spansDays() != out.multiDay {
		out = out.relaid()
	}
	return out
}

// entryKey is what an entry sorts by (see incident.CompareEntries).
type entryKey struct {
	at  time.Time
	seq uint64
	uid string
	id  int64
}

func keyOf(e *incident.Entry) entryKey { return entryKey{at: e.At, seq: e.Seq, uid: e.UID, id: e.ID} }

// rowOfEntry is the row of e, the version of an entry the timeline holds,
// when it shows it.
func (td *TimelineData) rowOfEntry(e *incident.Entry) (int, bool) {
	if e == nil || e.Deleted {
		return 0, false
	}
	r := td.rows.Search(func(row tlRow) bool { return incident.CompareEntries(row.E, e) >= 0 })
	// Its date or gap line, if it has one, comes first.
	for end := min(r+3, td.rows.Len()); r < end; r++ {
		if row := td.rows.At(r); row.Kind == RowEntry {
			return r, row.E.ID == e.ID
		}
	}
	return 0, false
}

// rowOf is the row of entry id, when the timeline shows it.
func (td *TimelineData) rowOf(id int64) (int, bool) { return td.rowOfEntry(td.byID(id)) }

// rowStart is the first row of the entry whose own row is r: its date or
// gap line, if it has one.
func (td *TimelineData) rowStart(r int) int {
	for r > 0 && td.rows.At(r-1).Kind != RowEntry {
		r--
	}
	return r
}

// before is the entry shown before row r, or nil.
func (td *TimelineData) before(r int) *incident.Entry {
	if r = td.rowStart(r); r == 0 {
		return nil
	}
	return td.rows.At(r - 1).E
}

// nextEntryRow is the first entry's own row at or after r, or Len.
func (td *TimelineData) nextEntryRow(r int) int {
	for r < td.rows.Len() && td.rows.At(r).Kind != RowEntry {
		r++
	}
	return r
}

// removeRow takes out the entry whose own row is r, and lays out the next
// entry's rows again, whose gap or date line depended on it.
func (td *TimelineData) removeRow(r int) {
	r0, prev := td.rowStart(r), td.before(r)
	r1 := r + 1
	var repl []tlRow
	if next := td.nextEntryRow(r1); next < td.rows.Len() {
		repl = td.rowsFor(make([]tlRow, 0, 2), td.rows.At(next).E, prev)
		r1 = next + 1
	}
	td.rows = td.rows.Splice(r0, r1, repl...)
}

// insert puts e in where it sorts, with its rows, and lays out the next
// entry's rows again.
func (td *TimelineData) insert(e *incident.Entry) {
	// The first row sorting after e: the first row of the entry after it.
	r0 := td.rows.Search(func(row tlRow) bool { return incident.CompareEntries(row.E, e) > 0 })
	var prev *incident.Entry
	if r0 > 0 {
		prev = td.rows.At(r0 - 1).E
	}
	td.widen(e)
	repl := td.rowsFor(make([]tlRow, 0, 4), e, prev)
	r1 := r0
	if next := td.nextEntryRow(r0); next < td.rows.Len() {
		repl = td.rowsFor(repl, td.rows.At(next).E, e)
		r1 = next + 1
	}
	td.rows = td.rows.Splice(r0, r1, repl...)
}

// spansDays reports whether the entries shown span more than one day.
func (td *TimelineData) spansDays() bool {
	n := td.rows.Len()
	return n > 1 && !common.SameDay(td.rows.At(0).E.At, td.rows.At(n-1).E.At)
}

// relaid is td with its rows laid out again for whether it spans days now.
func (td *TimelineData) relaid() *TimelineData {
	out := *td
	out.multiDay = td.spansDays()
	rows := make([]tlRow, 0, td.rows.Len()+8)
	var prev *incident.Entry
	for e := range td.Shown() {
		rows = out.rowsFor(rows, e, prev)
		prev = e
	}
	out.rows = seqOf(rows)
	return &out
}

// patch applies changed (entries as they are now: edited, starred,
// deleted, restored, re-timed or new) and returns the new timeline, td
// left as it was. keep is the view's filter; nil keeps every entry.
// changed must not change after.
func (td *TimelineData) patch(changed []incident.Entry, keep func(*incident.Entry) bool) *TimelineData {
	out := *td
	out.base, out.changed = td, changed
	var fresh []*incident.Entry
	for k := range changed {
		e := &changed[k]
		shown := !e.Deleted && (keep == nil || keep(e))
		old := out.byID(e.ID)
		if old == nil && shown {
			// New here (lines a room typed at once, committed in
			// another order than they were applied): laid out
			// together below.
			fresh = append(fresh, e)
			out.ids = out.ids.with(e)
			continue
		}
		r, had := out.rowOfEntry(old)
		switch {
		case had && shown && keyOf(old) == keyOf(e):
			// Same place: only what the row says changes.
			out.widen(e)
			// (Its date or gap line keeps the version it was laid out
			// for: it sorts the same, which is all it is read for.)
			out.rows = out.rows.Set(r, tlRow{Kind: RowEntry, E: e, Text: rowText(e.Text)})
		default:
			if had {
				out.removeRow(r)
			}
			if shown {
				out.insert(e)
			}
		}
		out.ids = out.ids.with(e)
	}
	out.insertAll(fresh)
	return &out
}

// tailRows is how far from the end new entries are laid out together with
// the rows they fall among (insertAll); further up, one at a time.
const tailRows = 4 * chunkSize

// insertAll puts new entries in where they sort: those that fall among
// the last rows in one splice of the rows from the earliest of them to
// the end, laid out again with them; any other one by one.
func (td *TimelineData) insertAll(es []*incident.Entry) {
	if len(es) == 0 {
		return
	}
	slices.SortFunc(es, func(a, b *incident.Entry) int { return incident.CompareEntries(a, b) })
	r0 := td.rows.Search(func(row tlRow) bool { return incident.CompareEntries(row.E, es[0]) > 0 })
	if len(es) == 1 || td.rows.Len()-r0 > tailRows {
		for _, e := range es {
			td.insert(e)
		}
		return
	}
	// r0 is the first row of the entry after the earliest new one.
	var prev *incident.Entry
	if r0 > 0 {
		prev = td.rows.At(r0 - 1).E
	}
	merged := make([]*incident.Entry, 0, td.rows.Len()-r0+len(es))
	for r := r0; r < td.rows.Len(); r++ {
		if row := td.rows.At(r); row.Kind == RowEntry {
			merged = append(merged, row.E)
		}
	}
	merged = append(merged, es...)
	slices.SortStableFunc(merged, func(a, b *incident.Entry) int { return incident.CompareEntries(a, b) })
	rows := make([]tlRow, 0, 2*len(merged))
	for _, e := range merged {
		rows = td.rowsFor(rows, e, prev)
		prev = e
	}
	for _, e := range es {
		td.widen(e)
	}
	td.rows = td.rows.Splice(r0, td.rows.Len(), rows...)
}
