package cockpit

import (
	"iter"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// rowKind tells the lines of the timeline apart.
type rowKind uint8

// tlRow is one line of the timeline: an entry, a gap line or a date line.
// E is the entry (for a gap or date line, the entry after it), never
// changed once a row points to it: a change to an entry is a new entry
// value and a new row.
type tlRow struct {
	Kind rowKind
	E    *incident.Entry
	// Text is the entry's text cleaned to one line and bounded, or the
	// gap or date line.
	Text string
}

// An entry's row weighs 1, so that the n-th entry is found among the rows.
func (r tlRow) weight() int32 {
	if r.Kind == RowEntry {
		return 1
	}
	return 0
}

// entryRef is an entry held by id.
type entryRef struct{ e *incident.Entry }

func (entryRef) weight() int32 { return 1 }

// TimelineData is everything derived from the incident's entries, built off
// the Update loop when the incident loads so that a frame only formats the
// rows it shows.
//
// It is immutable: a change makes a new TimelineData sharing all it did not
// touch (seq.go), so one copy serves every session of a room and a render
// in another goroutine. It is also where the screen keeps the incident's
// entries: the incident on screen (common.Context.Incident) holds none, and
// AllEntries gives them to what needs them whole (the preview, the retro).
type TimelineData struct {
	// rows are the lines shown, in time order: the entries not deleted,
	// each after its date or gap line.
	rows seq[tlRow]
	// ids holds every entry by id, deleted ones too, as it is now: where
	// a changed entry was (its old sort key finds its row by binary
	// search, see patch.go), and the entries the rows do not show.
	ids    idIndex
	author int // width of the author column
	// gap is the silence that earns a gap line (0: none, as in a filtered
	// view); multiDay says the timeline spans days, so date lines show.
	gap      time.Duration
	multiDay bool
	// base and changed say that this timeline is base with changed
	// applied, so a filtered view of base can follow by applying the
	// same entries instead of filtering everything again.
	base    *TimelineData
	changed []incident.Entry
}

// maxRowText bounds the text kept per row: no pane is wider than this, and
// it keeps a pasted 64 KB entry from costing anything per frame.
const maxRowText = 512

// BuildTimeline derives the rows from an incident's entries (in time order,
// deleted ones included): date lines where the day changes (when the
// timeline spans days), gap lines after silences longer than gap. The rows
// point into inc.Entries, which must not change after.
func BuildTimeline(inc *incident.Incident, gap time.Duration) *TimelineData {
	td := &TimelineData{gap: gap}
	if inc == nil {
		return td
	}
	es := inc.Entries
	var first, last *incident.Entry
	for i := range es {
		if !es[i].Deleted {
			if first == nil {
				first = &es[i]
			}
			last = &es[i]
		}
	}
	td.multiDay = first != nil && !common.SameDay(first.At, last.At)
	rows := make([]tlRow, 0, len(es)+len(es)/8+2)
	ids := newIDIndex(es)
	var prev *incident.Entry
	for i := range es {
		e := &es[i]
		if e.Deleted {
			continue
		}
		td.widen(e)
		rows = td.rowsFor(rows, e, prev)
		prev = e
	}
	td.rows, td.ids = seqOf(rows), ids
	return td
}

// idIndex holds entries by id. Ids are the incident's own sequence (1, 2,
// 3…), so it is a sequence indexed by id from the lowest held (a huge
// incident's tail, read first, holds only its last ids); an id far from
// the others (a damaged record) is not held by id.
type idIndex struct {
	base int64
	refs seq[entryRef]
}

// maxIDGap is the most empty slots a new id may open in an idIndex.
const maxIDGap = 1 << 20

// newIDIndex holds es by id.
func newIDIndex(es []incident.Entry) idIndex {
	if len(es) == 0 {
		return idIndex{}
	}
	lo, hi := es[0].ID, es[0].ID
	for i := range es {
		lo, hi = min(lo, es[i].ID), max(hi, es[i].ID)
	}
	if hi-lo > int64(len(es))+maxIDGap {
		// Damaged ids: hold them one by one, as far as they go.
		var x idIndex
		for i := range es {
			x = x.with(&es[i])
		}
		return x
	}
	refs := make([]entryRef, hi-lo+1)
	for i := range es {
		refs[es[i].ID-lo] = entryRef{&es[i]}
	}
	return idIndex{base: lo, refs: seqOf(refs)}
}

// get is entry id, or nil.
func (x idIndex) get(id int64) *incident.Entry {
	i := id - x.base
	if i < 0 || i >= int64(x.refs.Len()) {
		return nil
	}
	return x.refs.At(int(i)).e
}

// with is x holding e as entry e.ID.
func (x idIndex) with(e *incident.Entry) idIndex {
	n := int64(x.refs.Len())
	switch i := e.ID - x.base; {
	case n == 0:
		return idIndex{base: e.ID, refs: seqOf([]entryRef{{e}})}
	case i >= 0 && i < n:
		return idIndex{base: x.base, refs: x.refs.Set(int(i), entryRef{e})}
	case i >= n && i-n <= maxIDGap:
		// A new id: the ids between (none, usually) are not held.
		gap := make([]entryRef, i-n+1)
		gap[len(gap)-1] = entryRef{e}
		return idIndex{base: x.base, refs: x.refs.Append(gap...)}
	case i < 0 && -i <= maxIDGap:
		// An id before the lowest held (an entry older than a tail).
		gap := make([]entryRef, -i)
		gap[0] = entryRef{e}
		return idIndex{base: e.ID, refs: x.refs.Splice(0, 0, gap...)}
	}
	return x
}

// byID is entry id as the timeline has it now, or nil.
func (td *TimelineData) byID(id int64) *incident.Entry { return td.ids.get(id) }

// Len is the number of rows; Entries the number of entries shown.
func (td *TimelineData) Len() int     { return td.rows.Len() }
func (td *TimelineData) Entries() int { return td.rows.Weight() }

// row is row r.
func (td *TimelineData) row(r int) tlRow { return td.rows.At(r) }

// entryIndex is the index among the entries shown of row r's entry (for a
// gap or date line, of the entry after it).
func (td *TimelineData) entryIndex(r int) int { return td.rows.WeightBefore(r) }

// entryRow is the row of the i-th entry shown.
func (td *TimelineData) entryRow(i int) int { return td.rows.IndexOfWeight(i) }

// Entry is the i-th entry shown.
func (td *TimelineData) Entry(i int) *incident.Entry { return td.rows.At(td.entryRow(i)).E }

// Shown yields the entries shown, oldest first.
func (td *TimelineData) Shown() iter.Seq[*incident.Entry] {
	return func(yield func(*incident.Entry) bool) {
		for r := range td.rows.All() {
			if r.Kind == RowEntry && !yield(r.E) {
				return
			}
		}
	}
}

// ShownBackward yields the entries shown, newest first.
func (td *TimelineData) ShownBackward() iter.Seq[*incident.Entry] {
	return func(yield func(*incident.Entry) bool) {
		for r := range td.rows.Backward() {
			if r.Kind == RowEntry && !yield(r.E) {
				return
			}
		}
	}
}

// AllEntries is every entry of the incident, deleted ones too, in time
// order: a new slice, for what needs the incident whole.
func (td *TimelineData) AllEntries() []incident.Entry {
	out := make([]incident.Entry, 0, td.rows.Weight())
	for e := range td.Shown() {
		out = append(out, *e)
	}
	var deleted []incident.Entry
	for ref := range td.ids.refs.All() {
		if ref.e != nil && ref.e.Deleted {
			deleted = append(deleted, *ref.e)
		}
	}
	if len(deleted) == 0 {
		return out
	}
	out = append(out, deleted...)
	incident.SortEntries(out)
	return out
}

// canExtend reports whether added entries all belong after the last one
// shown, so the rows can be extended rather than patched.
func (td *TimelineData) canExtend(added []incident.Entry) bool {
	n := td.rows.Len()
	if n == 0 {
		return false
	}
	last := td.rows.At(n - 1).E
	for i := range added {
		e := &added[i]
		if e.Deleted || incident.CompareEntries(e, last) < 0 || !common.SameDay(e.At, last.At) || td.byID(e.ID) != nil {
			return false
		}
		last = e
	}
	return true
}

// extend returns the timeline with added appended: the same rows plus the
// new ones (and a gap line before any that follows a silence), so an entry
// logged on a 100,000-entry timeline costs what one on a 10-entry one does.
// added must not change after.
func (td *TimelineData) extend(added []incident.Entry) *TimelineData {
	out := *td
	out.base, out.changed = td, added
	prev := td.rows.At(td.rows.Len() - 1).E
	rows := make([]tlRow, 0, 2*len(added))
	for i := range added {
		e := &added[i]
		out.widen(e)
		rows = out.rowsFor(rows, e, prev)
		out.ids = out.ids.with(e)
		prev = e
	}
	out.rows = out.rows.Append(rows...)
	return &out
}

// rowsFor appends the rows of e, which follows prev (nil: e is the first
// shown): a date line where the day changes (and first, when the timeline
// spans days), else a gap line after a silence longer than gap, then the
// entry's own row.
func (td *TimelineData) rowsFor(dst []tlRow, e, prev *incident.Entry) []tlRow {
	switch {
	case prev == nil:
		if td.multiDay {
			dst = append(dst, tlRow{Kind: RowDate, E: e, Text: e.At.Format("Mon 2 Jan 2006")})
		}
	case !common.SameDay(prev.At, e.At):
		if td.multiDay {
			dst = append(dst, tlRow{Kind: RowDate, E: e, Text: e.At.Format("Mon 2 Jan 2006")})
		}
	default:
		if d := e.At.Sub(prev.At); td.gap > 0 && d > td.gap {
			dst = append(dst, tlRow{Kind: RowGap, E: e, Text: incident.FormatDuration(d) + " without an entry"})
		}
	}
	return append(dst, tlRow{Kind: RowEntry, E: e, Text: rowText(e.Text)})
}

// widen makes the author column wide enough for e's author.
func (td *TimelineData) widen(e *incident.Entry) {
	if td.author >= 12 {
		return
	}
	if w := ansi.StringWidth(incident.CleanLine(e.Author)); w > td.author {
		td.author = min(w, 12)
	}
}

// rowText is an entry's text cleaned to one line and bounded.
func rowText(t string) string {
	if len(t) > maxRowText*4 {
		t = t[:maxRowText*4]
	}
	t = incident.CleanLine(t)
	if len(t) > maxRowText {
		t = ansi.Truncate(t, maxRowText, "…")
	}
	return t
}

const (
	RowEntry rowKind = iota
	RowGap
	RowDate
)
