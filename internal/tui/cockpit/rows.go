package cockpit

import (
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// rowKind tells the lines of the timeline apart.
type rowKind uint8

// tlRow is one line of the timeline: an entry, a gap line or a date line.
type tlRow struct {
	Kind  rowKind
	Entry int32  // index into timelineData.entries, for every kind (the entry after a gap or date)
	Text  string // for gap and date lines
}

// TimelineData is everything derived from the incident's entries, built off
// the Update loop when the incident loads so that a frame only formats the
// rows it shows.
type TimelineData struct {
	Entries []incident.Entry // not deleted, in time order
	texts   []string         // each entry's text cleaned to one line and bounded
	Rows    []tlRow
	// keyOf holds each entry's sort key by id: an entry is found by binary
	// search in Entries, and its row by binary search in Rows, so that
	// moving, adding or removing one row renumbers nothing kept elsewhere
	// (see patch.go).
	keyOf  map[int64]entryKey
	author int // width of the author column
	// gap is the silence that earns a gap line (0: none, as in a filtered
	// view); multiDay says the timeline spans days, so date lines show.
	gap      time.Duration
	multiDay bool
	// base and changed say that this timeline is base with changed
	// applied in place (patch.go), so a filtered view of base can follow
	// by applying the same entries instead of filtering everything again.
	base    *TimelineData
	changed []incident.Entry
	// pending marks a patch not applied yet (see Patched).
	pending *pendingPatch
}

// maxRowText bounds the text kept per row: no pane is wider than this, and
// it keeps a pasted 64 KB entry from costing anything per frame.
const maxRowText = 512

// BuildTimeline derives the rows from an incident: date lines where the day
// changes (when the timeline spans days), gap lines after silences longer
// than gap.
func BuildTimeline(inc *incident.Incident, gap time.Duration) *TimelineData {
	td := &TimelineData{}
	if inc == nil {
		return td
	}
	// Room to grow: lines logged after this build extend the slices in
	// place (see extend) instead of copying a long timeline on the first.
	n := len(inc.Entries)
	td.Entries = append(make([]incident.Entry, 0, n+Headroom(n)), inc.VisibleEntries()...)
	n = len(td.Entries)
	td.texts = make([]string, n, n+Headroom(n))
	td.Rows = make([]tlRow, 0, n+n/8+2+Headroom(n))
	td.keyOf = make(map[int64]entryKey, n)
	multiDay := n > 1 && !common.SameDay(td.Entries[0].At, td.Entries[n-1].At)
	td.gap, td.multiDay = gap, multiDay
	for i := range td.Entries {
		e := &td.Entries[i]
		td.texts[i] = rowText(e.Text)
		if w := ansi.StringWidth(incident.CleanLine(e.Author)); w > td.author {
			td.author = w
		}
		if i == 0 && multiDay {
			td.Rows = append(td.Rows, tlRow{Kind: RowDate, Entry: int32(i), Text: e.At.Format("Mon 2 Jan 2006")})
		}
		if i > 0 {
			prev := td.Entries[i-1].At
			if !common.SameDay(prev, e.At) {
				td.Rows = append(td.Rows, tlRow{Kind: RowDate, Entry: int32(i), Text: e.At.Format("Mon 2 Jan 2006")})
			} else if d := e.At.Sub(prev); gap > 0 && d > gap {
				td.Rows = append(td.Rows, tlRow{Kind: RowGap, Entry: int32(i), Text: incident.FormatDuration(d) + " without an entry"})
			}
		}
		td.keyOf[e.ID] = keyOf(e)
		td.Rows = append(td.Rows, tlRow{Kind: RowEntry, Entry: int32(i)})
	}
	if td.author > 12 {
		td.author = 12
	}
	return td
}

// canExtend reports whether added entries all belong after the last one
// shown, so the rows can be extended rather than rebuilt.
func (td *TimelineData) canExtend(added []incident.Entry) bool {
	if len(td.Entries) == 0 {
		return false
	}
	last := td.Entries[len(td.Entries)-1]
	for _, e := range added {
		if e.Deleted || e.At.Before(last.At) || (e.At.Equal(last.At) && e.ID < last.ID) || !common.SameDay(e.At, last.At) {
			return false
		}
		last = e
	}
	return true
}

// extend returns the timeline with added appended: the same rows plus the
// new ones (and a gap line before any that follows a silence), so an entry
// logged on a 100,000-entry incident costs what one on a 10-entry one does.
// The slices are shared with td, which is no longer used after.
func (td *TimelineData) extend(added []incident.Entry, gap time.Duration) *TimelineData {
	out := *td
	out.base, out.changed = td, added
	for _, e := range added {
		i := len(out.Entries)
		prev := out.Entries[i-1].At
		out.Entries = append(out.Entries, e)
		out.texts = append(out.texts, rowText(e.Text))
		if w := ansi.StringWidth(incident.CleanLine(e.Author)); w > out.author {
			out.author = min(w, 12)
		}
		if d := e.At.Sub(prev); gap > 0 && d > gap {
			out.Rows = append(out.Rows, tlRow{Kind: RowGap, Entry: int32(i), Text: incident.FormatDuration(d) + " without an entry"})
		}
		out.keyOf[e.ID] = keyOf(&e)
		out.Rows = append(out.Rows, tlRow{Kind: RowEntry, Entry: int32(i)})
	}
	return &out
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
