package cockpit

import (
	"errors"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// EntryPromptMsg asks the cockpit to open the capture line as a prompt for
// an entry: its text ("edit") or its time ("retime").
type EntryPromptMsg struct {
	field string
	entry incident.Entry
}

// detailLines is the height of the selected entry's details under the rows.
const detailLines = 4

// timelinePane is the running timeline: newest at the bottom, following new
// entries unless scrolled up, with a selection mode for changing entries.
type timelinePane struct {
	ctx *common.Context
	// Data is the whole timeline (the base the cockpit extends as entries
	// arrive); visible is what the filter lets through, which is what is
	// shown, scrolled and selected.
	Data    *TimelineData
	visible *TimelineData
	// filter is the index of the filter in force (filters[0]: all).
	filter int
	// search is the text ctrl+f looks for; matches are the ids of the
	// entries shown that contain it, oldest first.
	search  string
	matches []int64
	// Top is the first row shown and Off how many of its lines are
	// scrolled past: a wrapped entry takes several lines, and scrolling
	// moves one line at a time, not one entry.
	Top, Off int
	// Wrap shows every entry whole, continuation lines indented under the
	// text column; off, entries are cut to one line except the selected one.
	Wrap bool
	// Follow keeps the newest row in view as entries arrive.
	Follow    bool
	selecting bool
	selID     int64
	confirm   common.Question
	w, h      int
	focused   bool
	// paints colour normal and selected rows; cache keeps formatted rows.
	paints [2]*rowPaints
	cache  *rowCache
	// last is the pane last drawn (see View).
	last *drawnTimeline
	// Pending are lines typed and not yet durable, shown at once below the
	// rows, marked as saving (see addPending).
	Pending []common.PendingMsg
}

// addPending shows a typed line before its write lands, and brings the
// view down to it: whoever logs a line wants to see it, however far up
// they had scrolled.
func (t *timelinePane) addPending(p common.PendingMsg) {
	t.Pending = append(t.Pending, p)
	if !t.selecting {
		t.Follow = true
		t.clamp()
	}
}

// settle drops the pending row of a write that landed (or failed: the
// capture line gives the text back).
func (t *timelinePane) settle(token int) {
	if token == 0 {
		return
	}
	t.Pending = slices.DeleteFunc(t.Pending, func(p common.PendingMsg) bool { return p.Token == token })
}

func newTimelinePane(ctx *common.Context) timelinePane {
	return timelinePane{
		ctx: ctx, Data: &TimelineData{}, visible: &TimelineData{}, Follow: true,
		paints: [2]*rowPaints{newRowPaints(ctx.Styles, false), newRowPaints(ctx.Styles, true)},
		cache:  &rowCache{}, last: &drawnTimeline{},
	}
}

// SetSize sets the outer size, borders included.
func (t *timelinePane) SetSize(w, h int) {
	t.w, t.h = w, h
	t.clamp()
}

// viewRows is how many rows fit inside.
func (t *timelinePane) viewRows() int {
	n := t.h - 2
	if t.selecting {
		n -= detailLines
	}
	return max(n, 0)
}

// height is how many lines row i takes. Unwrapped, every row is cut to
// one line but the selected entry's, so nothing need be formatted to know:
// the rows from the bottom up are counted after every change (clamp), and
// formatting them for it cost more than drawing the frame.
func (t *timelinePane) height(i int) int {
	if !t.Wrap && !t.selecting {
		return 1
	}
	return len(t.cachedLines(i, t.w-3))
}

// maxPos is the position that shows the last row at the bottom.
func (t *timelinePane) maxPos() (int, int) {
	need := t.viewRows()
	for i := t.visible.Len() - 1; i >= 0; i-- {
		h := t.height(i)
		if h >= need {
			return i, h - need
		}
		need -= h
	}
	return 0, 0
}

// atOrPast reports whether the view's position is at or below (row, off).
func (t *timelinePane) atOrPast(row, off int) bool {
	return t.Top > row || (t.Top == row && t.Off >= off)
}

func (t *timelinePane) clamp() {
	mr, mo := t.maxPos()
	if t.Follow || t.atOrPast(mr, mo) {
		t.Top, t.Off = mr, mo
	}
	t.Top = max(t.Top, 0)
	if t.Top < t.visible.Len() {
		t.Off = min(max(t.Off, 0), t.height(t.Top)-1)
	} else {
		t.Off = 0
	}
}

// setData swaps in a freshly derived timeline, keeping the reader's place:
// following stays at the bottom, a scrolled view keeps its top entry, a
// selection keeps its entry.
func (t *timelinePane) setData(td *TimelineData) {
	anchor, offset := int64(0), 0
	if !t.Follow && t.Top < t.visible.Len() {
		anchor = t.visible.row(t.Top).E.ID
		row, _ := t.visible.rowOf(anchor)
		offset = t.Top - row
	}
	prev := t.Data
	t.Data = td
	if f := filters[t.filter]; f.keep != nil && td.base == prev && prev != nil && t.visible != prev && td.multiDay == t.visible.multiDay {
		// The filtered view follows by the same entries (patch.go).
		t.visible = t.visible.patch(td.changed, f.keep)
	} else {
		t.visible = f.apply(td)
	}
	if anchor != 0 {
		if row, ok := t.visible.rowOf(anchor); ok {
			t.Top = row + offset
		}
	} else {
		t.Off = 0
	}
	if t.selecting {
		if _, ok := t.visible.rowOf(t.selID); !ok {
			t.selecting = false
			t.confirm.Close(t.ctx)
		}
	}
	t.findMatches()
	t.clamp()
}

// Selected returns the Selected entry.
func (t *timelinePane) Selected() (incident.Entry, bool) {
	row, ok := t.visible.rowOf(t.selID)
	if !t.selecting || !ok {
		return incident.Entry{}, false
	}
	return *t.visible.row(row).E, true
}

// Scroll moves the view by n lines (a wrapped entry is several), and
// to either end when n is at least the number of rows.
func (t *timelinePane) Scroll(n int) {
	mr, mo := t.maxPos()
	t.Follow = false
	switch {
	case n >= t.visible.Len():
		t.Top, t.Off = mr, mo
	case n <= -t.visible.Len():
		t.Top, t.Off = 0, 0
	case n > 0:
		for ; n > 0 && !t.atOrPast(mr, mo); n-- {
			if t.Off++; t.Off >= t.height(t.Top) {
				t.Top, t.Off = t.Top+1, 0
			}
		}
	default:
		for ; n < 0 && (t.Top > 0 || t.Off > 0); n++ {
			if t.Off--; t.Off < 0 {
				t.Top--
				t.Off = t.height(t.Top) - 1
			}
		}
	}
	if t.atOrPast(mr, mo) {
		t.Top, t.Off = mr, mo
		t.Follow = true
	}
}

// shown returns the rows in view, [from, end), and the last of them that
// shows whole (-1 when none does).
func (t *timelinePane) shown() (from, end, lastWhole int) {
	room := t.viewRows() + t.Off
	lastWhole = -1
	end = t.Top
	for end < t.visible.Len() && room > 0 {
		h := t.height(end)
		if h <= room && (end > t.Top || t.Off == 0) {
			lastWhole = end
		}
		room -= h
		end++
	}
	return t.Top, end, lastWhole
}

// ToggleWrap switches wrap mode, keeping the top row in place.
func (t *timelinePane) ToggleWrap() {
	t.Wrap = !t.Wrap
	t.Off = 0
	if t.selecting {
		t.reveal()
	} else {
		t.clamp()
	}
}

// moveSelection moves the selection by n entries and scrolls to show it.
func (t *timelinePane) moveSelection(n int) {
	d := t.visible
	if d.Entries() == 0 {
		return
	}
	i := 0
	if row, ok := d.rowOf(t.selID); ok {
		i = d.entryIndex(row)
	}
	i = min(max(i+n, 0), d.Entries()-1)
	t.selID = d.Entry(i).ID
	t.confirm.Close(t.ctx)
	t.reveal()
}

// reveal scrolls so that the selected row shows whole (or from its first
// line, when it is taller than the pane).
func (t *timelinePane) reveal() {
	row, ok := t.visible.rowOf(t.selID)
	if !ok {
		return
	}
	vr := t.viewRows()
	if row < t.Top || (row == t.Top && t.Off > 0) {
		t.Top, t.Off = row, 0
	} else {
		// Lines from the view's top to the end of the selected row.
		lines := -t.Off
		for i := t.Top; i <= row && lines <= vr; i++ {
			lines += t.height(i)
		}
		if lines > vr {
			t.Top, t.Off = row, 0
			// Back up so the row ends at the bottom, as far as it fits.
			need := vr - t.height(row)
			for need > 0 && t.Top > 0 {
				h := t.height(t.Top - 1)
				if h > need {
					t.Top, t.Off = t.Top-1, h-need
					break
				}
				t.Top--
				need -= h
			}
		}
	}
	mr, mo := t.maxPos()
	t.Follow = t.atOrPast(mr, mo)
	t.clamp()
}

// startSelecting selects the newest entry in view.
func (t *timelinePane) startSelecting() {
	d := t.visible
	if d.Entries() == 0 {
		return
	}
	_, end, lastWhole := t.shown()
	t.selecting = true
	last := lastWhole
	if last < 0 {
		last = end - 1
	}
	if last < 0 {
		last = d.Len() - 1
	}
	t.selID = d.row(last).E.ID
	t.reveal()
}

func (t *timelinePane) stopSelecting() {
	t.selecting = false
	t.confirm.Close(t.ctx)
	t.clamp()
}

// wheel scrolls by the mouse wheel.
func (t *timelinePane) wheel(msg tea.MouseMsg) {
	if msg.Action != tea.MouseActionPress {
		return
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		t.Scroll(-3)
	case tea.MouseButtonWheelDown:
		t.Scroll(3)
	}
}

// Update handles keys while the timeline is focused.
func (t timelinePane) Update(msg tea.Msg) (timelinePane, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return t, nil
	}
	k := t.ctx.Keys
	page := max(t.viewRows()-1, 1)
	if t.confirm.Open() {
		// Only an answer typed after the question was shown counts;
		// anything else leaves it open.
		switch t.confirm.Answer(t.ctx, km, k.Confirm, k.Deny) {
		case common.Yes:
			t.confirm.Close(t.ctx)
			if e, ok := t.Selected(); ok {
				return t, deleteEntryCmd(t.ctx, e.ID)
			}
		case common.No:
			t.confirm.Close(t.ctx)
		}
		return t, nil
	}
	switch {
	case key.Matches(km, k.Filter):
		t.setFilter(t.nextFilter())
		what := "Showing every entry"
		if t.filter > 0 {
			what = "Showing " + filters[t.filter].Name + " · f for the next filter"
		}
		return t, func() tea.Msg { return common.StatusMsg{Text: what} }
	case key.Matches(km, k.Find):
		q := t.search
		return t, func() tea.Msg { return EntryPromptMsg{field: "find", entry: incident.Entry{Text: q}} }
	}
	if key.Matches(km, k.Wrap) {
		t.ToggleWrap()
		what := "Wrap off: entries take one line each; the selected one shows whole"
		if t.Wrap {
			what = "Wrap on: every entry shows whole"
		}
		return t, tea.Batch(saveWrapCmd(t.ctx, t.Wrap), func() tea.Msg { return common.StatusMsg{Text: what} })
	}
	if t.selecting {
		if d, ok := navStep(km, k, page, t.visible.Entries()); ok {
			t.moveSelection(d)
			return t, nil
		}
		if e, ok := t.Selected(); ok && (e.Set.Field == incident.FieldDelete || e.Set.Field == incident.FieldRestore) &&
			(key.Matches(km, k.Edit) || key.Matches(km, k.Retime) || key.Matches(km, k.Star) || key.Matches(km, k.Delete)) {
			// The record of a deletion or a restoration is the fold's,
			// written from that operation: it stays as it is (the store
			// refuses too); say so before asking anything.
			what := "This line records a deletion; it stays on the timeline (u brings the entry back)"
			if e.Set.Field == incident.FieldRestore {
				what = "This line records a restoration; it stays on the timeline (delete the entry again to take it back)"
			}
			return t, common.ErrCmd(errors.New(what))
		}
		switch {
		case key.Matches(km, k.Back):
			t.stopSelecting()
		case key.Matches(km, k.Edit):
			if e, ok := t.Selected(); ok {
				return t, func() tea.Msg { return EntryPromptMsg{field: "edit", entry: e} }
			}
		case key.Matches(km, k.Retime):
			if e, ok := t.Selected(); ok {
				return t, func() tea.Msg { return EntryPromptMsg{field: "retime", entry: e} }
			}
		case key.Matches(km, k.Star):
			if e, ok := t.Selected(); ok {
				star := !e.Starred
				what := "Entry starred"
				if !star {
					what = "Star removed"
				}
				return t, common.EditEntryCmd(t.ctx, e.ID, what, func(e *incident.Entry) error { e.Starred = star; return nil })
			}
		case key.Matches(km, k.Delete):
			if _, ok := t.Selected(); ok {
				return t, t.confirm.Ask(t.ctx)
			}
		case key.Matches(km, k.Restore):
			if e, ok := t.Selected(); ok {
				if e.Set.Field != incident.FieldDelete || e.Ref == 0 {
					return t, common.ErrCmd(errors.New("u restores a deleted entry: select the line that recorded the deletion"))
				}
				return t, restoreEntryCmd(t.ctx, e.ID)
			}
		}
		return t, nil
	}
	if d, ok := navStep(km, k, page, t.visible.Len()); ok {
		t.Scroll(d)
	} else if key.Matches(km, k.Select) {
		t.startSelecting()
	}
	return t, nil
}

// navStep is how far a movement key moves through n lines (a page at a
// time, or all the way to either end), shared by scrolling and selecting
// so both answer the same keys the same way.
func navStep(km tea.KeyMsg, k *common.KeyMap, page, n int) (int, bool) {
	switch {
	case key.Matches(km, k.Up):
		return -1, true
	case key.Matches(km, k.Down):
		return 1, true
	case key.Matches(km, k.PageUp):
		return -page, true
	case key.Matches(km, k.PageDown):
		return page, true
	case key.Matches(km, k.Top):
		return -n, true
	case key.Matches(km, k.Bottom):
		return n, true
	}
	return 0, false
}
