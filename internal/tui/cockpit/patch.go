package cockpit

import (
	"slices"
	"sort"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Patching the timeline in place.
//
// Another person's edit, star, delete or re-time arrives as the entry as it
// is now. Rather than rebuild every row of a 100,000-entry timeline, the
// entry is found by binary search on its sort key (kept per id in keyOf),
// and only its rows change: an edit or a star replaces the entry where it
// is; a delete takes its row out, a restore or a backdated line puts one
// in, and a re-time does both, so the row moves. The gap or date line of
// the entry after it is worked out again, since it depends on its
// neighbour. Rows further down keep their place in the slice and only have
// their entry index shifted by one when an entry before them comes or goes
// (a move of memory proportional to the rows below, not a rebuild): for
// what is in view near the bottom, that is a handful.
//
// The slices are shared with the timeline patched, which must not be used
// after, as with extend. Only when the timeline starts or stops spanning
// days (every date line would change) is it built again.

// pendingPatch is what a timeline is built from again when a patch
// cannot be applied in place.
type pendingPatch struct {
	inc *incident.Incident
	gap time.Duration
}

// Patched is td with changed applied, left for the pane showing td to
// apply (resolve) once it has noted its place in the rows, which the patch
// moves. inc is the incident with changed in it, for a timeline that must
// be built again.
func (td *TimelineData) Patched(changed []incident.Entry, inc *incident.Incident, gap time.Duration) *TimelineData {
	return &TimelineData{base: td, changed: changed, pending: &pendingPatch{inc: inc, gap: gap}}
}

// resolve applies a pending patch; any other timeline is returned as is.
func (td *TimelineData) resolve() *TimelineData {
	if td.pending == nil {
		return td
	}
	if out := td.base.patch(td.changed, nil); out != nil {
		return out
	}
	return BuildTimeline(td.pending.inc, td.pending.gap)
}

// entryKey is what an entry sorts by (see incident.CompareEntries).
type entryKey struct {
	at  time.Time
	seq uint64
	uid string
}

func keyOf(e *incident.Entry) entryKey { return entryKey{at: e.At, seq: e.Seq, uid: e.UID} }

// probe is an entry that sorts where the entry of id with key k does.
func (k entryKey) probe(id int64) incident.Entry {
	return incident.Entry{ID: id, At: k.at, Seq: k.seq, UID: k.uid}
}

// indexOf finds entry id in Entries.
func (td *TimelineData) indexOf(id int64) (int, bool) {
	k, ok := td.keyOf[id]
	if !ok {
		return 0, false
	}
	p := k.probe(id)
	i := sort.Search(len(td.Entries), func(i int) bool { return incident.CompareEntries(&td.Entries[i], &p) >= 0 })
	if i < len(td.Entries) && td.Entries[i].ID == id {
		return i, true
	}
	return 0, false
}

// rowStart is the first row of entry i (its date or gap line, if it has
// one), or len(Rows) past the last entry.
func (td *TimelineData) rowStart(i int) int {
	return sort.Search(len(td.Rows), func(r int) bool { return int(td.Rows[r].Entry) >= i })
}

// rowOf is the row of entry id, when the timeline shows it.
func (td *TimelineData) rowOf(id int64) (int, bool) {
	i, ok := td.indexOf(id)
	if !ok {
		return 0, false
	}
	// An entry's own row is the last of the rows that carry its index.
	r := sort.Search(len(td.Rows), func(r int) bool { return int(td.Rows[r].Entry) > i }) - 1
	return r, r >= 0 && td.Rows[r].Kind == RowEntry
}

// rowsFor appends the rows of entry i: a date line where the day changes
// (and first, when the timeline spans days), else a gap line after a
// silence longer than gap, then the entry's own row.
func (td *TimelineData) rowsFor(dst []tlRow, i int) []tlRow {
	e := &td.Entries[i]
	if i == 0 && td.multiDay {
		dst = append(dst, tlRow{Kind: RowDate, Entry: int32(i), Text: e.At.Format("Mon 2 Jan 2006")})
	}
	if i > 0 {
		prev := td.Entries[i-1].At
		if !common.SameDay(prev, e.At) {
			dst = append(dst, tlRow{Kind: RowDate, Entry: int32(i), Text: e.At.Format("Mon 2 Jan 2006")})
		} else if d := e.At.Sub(prev); td.gap > 0 && d > td.gap {
			dst = append(dst, tlRow{Kind: RowGap, Entry: int32(i), Text: incident.FormatDuration(d) + " without an entry"})
		}
	}
	return append(dst, tlRow{Kind: RowEntry, Entry: int32(i)})
}

// splice replaces rows [r0, r1) with repl and shifts the entry index of
// every row after them by delta.
func (td *TimelineData) splice(r0, r1 int, repl []tlRow, delta int32) {
	td.Rows = slices.Replace(td.Rows, r0, r1, repl...)
	if delta != 0 {
		for r := r0 + len(repl); r < len(td.Rows); r++ {
			td.Rows[r].Entry += delta
		}
	}
}

// removeAt takes entry i and its rows out.
func (td *TimelineData) removeAt(i int) {
	delete(td.keyOf, td.Entries[i].ID)
	// The rows of i and of the entry after it, whose gap or date line
	// depended on i.
	r0, r1 := td.rowStart(i), td.rowStart(i+2)
	td.Entries = slices.Delete(td.Entries, i, i+1)
	td.texts = slices.Delete(td.texts, i, i+1)
	var repl []tlRow
	if i < len(td.Entries) {
		repl = td.rowsFor(make([]tlRow, 0, 2), i)
	}
	td.splice(r0, r1, repl, -1)
}

// insert puts e in where it sorts, with its rows.
func (td *TimelineData) insert(e incident.Entry) {
	j := sort.Search(len(td.Entries), func(k int) bool { return incident.CompareEntries(&td.Entries[k], &e) > 0 })
	// The rows of the entry now at j, whose gap or date line will
	// depend on e.
	r0, r1 := td.rowStart(j), td.rowStart(j+1)
	td.Entries = slices.Insert(td.Entries, j, e)
	td.texts = slices.Insert(td.texts, j, rowText(e.Text))
	td.keyOf[e.ID] = keyOf(&e)
	td.widen(&e)
	repl := td.rowsFor(make([]tlRow, 0, 4), j)
	if j+1 < len(td.Entries) {
		repl = td.rowsFor(repl, j+1)
	}
	td.splice(r0, r1, repl, +1)
}

// widen makes the author column wide enough for e's author.
func (td *TimelineData) widen(e *incident.Entry) {
	if w := ansi.StringWidth(incident.CleanLine(e.Author)); w > td.author {
		td.author = min(w, 12)
	}
}

// spansDays reports whether the entries span more than one day.
func (td *TimelineData) spansDays() bool {
	n := len(td.Entries)
	return n > 1 && !common.SameDay(td.Entries[0].At, td.Entries[n-1].At)
}

// patch applies changed (entries as they are now: edited, starred,
// deleted, restored, re-timed or new) to td in place and returns it under
// a new header, or nil when the timeline must be built again (it started
// or stopped spanning days). keep is the view's filter; nil keeps every
// entry.
func (td *TimelineData) patch(changed []incident.Entry, keep func(*incident.Entry) bool) *TimelineData {
	out := *td
	out.base, out.changed = td, changed
	if out.keyOf == nil {
		out.keyOf = map[int64]entryKey{}
	}
	for k := range changed {
		e := changed[k]
		shown := !e.Deleted && (keep == nil || keep(&e))
		i, had := out.indexOf(e.ID)
		if had && shown && out.keyOf[e.ID] == keyOf(&e) {
			// Same place: only what the row says changes.
			out.Entries[i] = e
			out.texts[i] = rowText(e.Text)
			out.widen(&e)
			continue
		}
		if had {
			out.removeAt(i)
		}
		if shown {
			out.insert(e)
		}
	}
	if keep == nil && out.spansDays() != out.multiDay {
		return nil
	}
	return &out
}

// patchEntries applies changed to the incident's entries (every entry,
// deleted ones included, in time order) in place: an entry is overwritten
// where it is, or moved when its time changed; one not held yet is put
// where it sorts. old holds the sort keys the entries had (the timeline's),
// for finding a re-timed entry where it was. changed[fresh:] are entries
// new to this copy (recorded after it was read), not looked for.
func patchEntries(es []incident.Entry, changed []incident.Entry, old map[int64]entryKey, fresh int) []incident.Entry {
	for k := range changed {
		e := changed[k]
		p := -1
		if k < fresh {
			p = findEntry(es, e, old)
		}
		switch {
		case p < 0:
			j := sort.Search(len(es), func(j int) bool { return incident.CompareEntries(&es[j], &e) > 0 })
			es = slices.Insert(es, j, e)
		case keyOf(&es[p]) == keyOf(&e):
			es[p] = e
		default:
			moveEntry(es, p, e)
		}
	}
	return es
}

// findEntry is the index of e's current version in es, or -1: by binary
// search on its old key, or its new one (a restore keeps its time), and
// by a scan as the last resort.
func findEntry(es []incident.Entry, e incident.Entry, old map[int64]entryKey) int {
	search := func(p incident.Entry) int {
		i := sort.Search(len(es), func(i int) bool { return incident.CompareEntries(&es[i], &p) >= 0 })
		if i < len(es) && es[i].ID == e.ID {
			return i
		}
		return -1
	}
	if k, ok := old[e.ID]; ok {
		if i := search(k.probe(e.ID)); i >= 0 {
			return i
		}
	}
	if i := search(e); i >= 0 {
		return i
	}
	return slices.IndexFunc(es, func(x incident.Entry) bool { return x.ID == e.ID })
}

// moveEntry puts e, the new version of es[p], where it sorts, shifting
// only the entries between its old and new places.
func moveEntry(es []incident.Entry, p int, e incident.Entry) {
	switch {
	case p > 0 && incident.CompareEntries(&e, &es[p-1]) < 0:
		q := sort.Search(p, func(k int) bool { return incident.CompareEntries(&es[k], &e) > 0 })
		copy(es[q+1:p+1], es[q:p])
		es[q] = e
	case p+1 < len(es) && incident.CompareEntries(&e, &es[p+1]) > 0:
		q := p + 1 + sort.Search(len(es)-p-1, func(k int) bool { return incident.CompareEntries(&es[p+1+k], &e) > 0 })
		copy(es[p:q-1], es[p+1:q])
		es[q-1] = e
	default:
		es[p] = e
	}
}
