package cockpit

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// rowKind tells the lines of the timeline apart.
type rowKind uint8

const (
	RowEntry rowKind = iota
	RowGap
	RowDate
)

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
	rowOf   map[int64]int // entry id -> its row
	author  int           // width of the author column
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
	td.rowOf = make(map[int64]int, n)
	multiDay := n > 1 && !common.SameDay(td.Entries[0].At, td.Entries[n-1].At)
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
		td.rowOf[e.ID] = len(td.Rows)
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
		out.rowOf[e.ID] = len(out.Rows)
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
	ctx  *common.Context
	Data *TimelineData
	// Top is the first row shown.
	Top int
	// Follow keeps the newest row in view as entries arrive.
	Follow    bool
	selecting bool
	selID     int64
	confirm   bool
	w, h      int
	focused   bool
	// paints colour normal and selected rows; cache keeps formatted rows.
	paints [2]*rowPaints
	cache  *rowCache
	// Pending are lines typed and not yet durable, shown at once below the
	// rows, marked as saving (see addPending).
	Pending []common.PendingMsg
}

// addPending shows a typed line before its write lands.
func (t *timelinePane) addPending(p common.PendingMsg) { t.Pending = append(t.Pending, p) }

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
		ctx: ctx, Data: &TimelineData{}, Follow: true,
		paints: [2]*rowPaints{newRowPaints(ctx.Styles, false), newRowPaints(ctx.Styles, true)},
		cache:  &rowCache{},
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

func (t *timelinePane) maxTop() int { return max(len(t.Data.Rows)-t.viewRows(), 0) }

func (t *timelinePane) clamp() {
	if t.Follow {
		t.Top = t.maxTop()
	}
	t.Top = min(max(t.Top, 0), t.maxTop())
}

// setData swaps in a freshly derived timeline, keeping the reader's place:
// following stays at the bottom, a scrolled view keeps its top entry, a
// selection keeps its entry.
func (t *timelinePane) setData(td *TimelineData) {
	anchor, offset := int64(0), 0
	if !t.Follow && len(t.Data.Rows) > 0 && t.Top < len(t.Data.Rows) {
		r := t.Data.Rows[t.Top]
		anchor = t.Data.Entries[r.Entry].ID
		offset = t.Top - t.Data.rowOf[anchor]
	}
	t.Data = td
	if anchor != 0 {
		if row, ok := td.rowOf[anchor]; ok {
			t.Top = row + offset
		}
	}
	if t.selecting {
		if _, ok := td.rowOf[t.selID]; !ok {
			t.selecting, t.confirm = false, false
		}
	}
	t.clamp()
}

// Selected returns the Selected entry.
func (t *timelinePane) Selected() (incident.Entry, bool) {
	row, ok := t.Data.rowOf[t.selID]
	if !t.selecting || !ok {
		return incident.Entry{}, false
	}
	return t.Data.Entries[t.Data.Rows[row].Entry], true
}

func (t *timelinePane) Scroll(n int) {
	t.Top += n
	t.Follow = false
	if t.Top >= t.maxTop() {
		t.Top = t.maxTop()
		t.Follow = true
	}
	t.Top = max(t.Top, 0)
}

// moveSelection moves the selection by n entries and scrolls to show it.
func (t *timelinePane) moveSelection(n int) {
	d := t.Data
	if len(d.Entries) == 0 {
		return
	}
	i := 0
	if row, ok := d.rowOf[t.selID]; ok {
		i = int(d.Rows[row].Entry)
	}
	i = min(max(i+n, 0), len(d.Entries)-1)
	t.selID = d.Entries[i].ID
	t.confirm = false
	t.reveal()
}

// reveal scrolls so that the selected row is in view.
func (t *timelinePane) reveal() {
	row, ok := t.Data.rowOf[t.selID]
	if !ok {
		return
	}
	vr := t.viewRows()
	switch {
	case row < t.Top:
		t.Top = row
	case row >= t.Top+vr:
		t.Top = row - vr + 1
	}
	t.Follow = t.Top >= t.maxTop()
	t.clamp()
}

// startSelecting selects the newest entry in view.
func (t *timelinePane) startSelecting() {
	d := t.Data
	if len(d.Entries) == 0 {
		return
	}
	t.selecting = true
	t.clamp()
	last := min(t.Top+t.viewRows(), len(d.Rows)) - 1
	if last < 0 {
		last = len(d.Rows) - 1
	}
	t.selID = d.Entries[d.Rows[last].Entry].ID
	t.reveal()
}

func (t *timelinePane) stopSelecting() {
	t.selecting, t.confirm = false, false
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
	if t.confirm {
		switch {
		case key.Matches(km, k.Confirm):
			t.confirm = false
			if e, ok := t.Selected(); ok {
				return t, deleteEntryCmd(t.ctx, e.ID)
			}
		case key.Matches(km, k.Deny):
			t.confirm = false
		}
		return t, nil
	}
	if t.selecting {
		switch {
		case key.Matches(km, k.Back):
			t.stopSelecting()
		case key.Matches(km, k.Up):
			t.moveSelection(-1)
		case key.Matches(km, k.Down):
			t.moveSelection(1)
		case key.Matches(km, k.PageUp):
			t.moveSelection(-page)
		case key.Matches(km, k.PageDown):
			t.moveSelection(page)
		case key.Matches(km, k.Top):
			t.moveSelection(-len(t.Data.Entries))
		case key.Matches(km, k.Bottom):
			t.moveSelection(len(t.Data.Entries))
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
				t.confirm = true
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
	switch {
	case key.Matches(km, k.Up):
		t.Scroll(-1)
	case key.Matches(km, k.Down):
		t.Scroll(1)
	case key.Matches(km, k.PageUp):
		t.Scroll(-page)
	case key.Matches(km, k.PageDown):
		t.Scroll(page)
	case key.Matches(km, k.Top):
		t.Scroll(-len(t.Data.Rows))
	case key.Matches(km, k.Bottom):
		t.Scroll(len(t.Data.Rows))
	case key.Matches(km, k.Select):
		t.startSelecting()
	}
	return t, nil
}

// View draws the rows in view and, while selecting, the selected entry's
// details. It formats only what is visible.
func (t timelinePane) View() string {
	st := t.ctx.Styles
	d := t.Data
	inner := t.w - 2
	vr := t.viewRows()
	body := make([]string, 0, t.h)
	end := min(t.Top+vr, len(d.Rows))
	// Newest at the bottom, next to the capture line, even when the
	// timeline is shorter than the pane.
	for i := end - t.Top; i < vr; i++ {
		body = append(body, "")
	}
	if len(d.Rows) == 0 && vr > 0 {
		body[vr-1] = st.Faint.Render(" Nothing logged yet. Type below and press enter.")
	}
	for i := t.Top; i < end; i++ {
		body = append(body, t.cachedRow(i, inner-1))
	}
	if np := min(len(t.Pending), vr); np > 0 && t.Follow && !t.selecting {
		// Typed and not yet on disk: at the bottom, where it will land,
		// marked until the write is durable.
		body = body[min(np, len(body)):]
		for _, p := range t.Pending[len(t.Pending)-np:] {
			line := " " + st.Time.Render(p.Entry.At.Format("15:04")) + " " + st.Faint.Render("… "+rowText(p.Entry.Text))
			body = append(body, common.Spread(common.Fit(line, max(inner-12, 1)), st.Faint.Render("saving… "), inner-1))
		}
	}
	if t.selecting {
		body = append(body, t.details(inner)...)
	}
	title := "Timeline"
	var note string
	switch {
	case t.ctx.Partial:
		note = st.Faint.Render("loading earlier entries…")
	case !t.Follow && end > 0 && end < len(d.Rows):
		below := len(d.Entries) - 1 - int(d.Rows[end-1].Entry)
		if d.Rows[end-1].Kind != RowEntry {
			below++
		}
		note = st.Warn.Render(fmt.Sprintf("↓ %d newer", below))
	case len(d.Entries) > 0:
		note = st.Faint.Render(fmt.Sprintf("%d %s", len(d.Entries), common.Plural(len(d.Entries), "entry", "entries")))
	}
	return common.Box(st, title, note, body, t.w, t.h, t.focused)
}

// rowPaints are the colours of timeline rows, built once; the selected
// row uses a second set with the selection background on every part.
type rowPaints struct {
	plain, marker, time, author, text, muted, starred, gap, date common.Paint
	kinds                                                        map[incident.Kind]common.Paint
}

func newRowPaints(st *common.Styles, selected bool) *rowPaints {
	mk := func(s lipgloss.Style) common.Paint {
		if selected {
			s = s.Background(st.Theme.SelectBg)
		}
		return common.NewPaint(s)
	}
	p := &rowPaints{
		plain: mk(st.Renderer.NewStyle()), marker: mk(st.SelectionMarker), time: mk(st.Time), author: mk(st.Author),
		text: mk(st.Text), muted: mk(st.Muted), starred: mk(st.Starred), gap: mk(st.Gap), date: mk(st.DateLine),
		kinds: map[incident.Kind]common.Paint{},
	}
	for _, k := range incident.Kinds {
		p.kinds[k] = mk(st.KindStyle(k))
	}
	return p
}

// rowCache keeps formatted rows between frames; any change to what a row
// shows (data, width, selection) starts it afresh.
type rowCache struct {
	key  rowCacheKey
	rows map[int]string
}

type rowCacheKey struct {
	data      *TimelineData
	w         int
	selecting bool
	selID     int64
}

// cachedRow formats row i to width w, once per change.
func (t timelinePane) cachedRow(i, w int) string {
	if t.cache == nil {
		return t.row(i, w)
	}
	key := rowCacheKey{data: t.Data, w: w, selecting: t.selecting, selID: t.selID}
	if t.cache.key != key || t.cache.rows == nil {
		t.cache.key = key
		t.cache.rows = make(map[int]string, 64)
	}
	if r, ok := t.cache.rows[i]; ok {
		return r
	}
	r := t.row(i, w)
	if len(t.cache.rows) > 4096 {
		clear(t.cache.rows)
	}
	t.cache.rows[i] = r
	return r
}

// row formats row i to width w.
func (t timelinePane) row(i, w int) string {
	d := t.Data
	r := d.Rows[i]
	p := t.paints[0]
	switch r.Kind {
	case RowDate:
		label := " " + r.Text + " "
		return p.date.Of(common.Fit("──"+label+strings.Repeat("─", max(w-ansi.StringWidth(label)-2, 0)), w))
	case RowGap:
		return p.gap.Of(common.Fit("        ┆ "+r.Text, w))
	}
	e := &d.Entries[r.Entry]
	selected := t.selecting && e.ID == t.selID
	marker := p.plain.Of(" ")
	if selected {
		p = t.paints[1]
		marker = p.marker.Of("▌")
	}
	kp, ok := p.kinds[e.Kind]
	if !ok {
		kp = p.text
	}
	authorW := d.author
	if w < 50 {
		authorW = 0
	}
	textW := w - 9 - authorW
	if authorW > 0 {
		textW--
	}
	text := d.texts[r.Entry]
	if e.Starred {
		text = "★ " + text
	}
	text = common.Fit(text, max(textW, 0))
	switch {
	case e.Starred:
		text = p.starred.Of(text)
	case e.Kind == incident.KindNote:
		text = p.text.Of(text)
	case e.Kind == incident.KindSystem || e.Kind == incident.KindRole:
		text = p.muted.Of(text)
	default:
		text = kp.Of(text)
	}
	var b strings.Builder
	b.Grow(len(text) + 96)
	b.WriteString(marker)
	b.WriteString(p.time.Of(e.At.Format("15:04")))
	b.WriteString(p.plain.Of(" "))
	b.WriteString(kp.Of(common.KindMark(e.Kind)))
	b.WriteString(p.plain.Of(" "))
	b.WriteString(text)
	if authorW > 0 {
		b.WriteString(p.plain.Of(" "))
		b.WriteString(p.author.Of(common.Fit(incident.CleanLine(e.Author), authorW)))
	}
	return b.String()
}

// details describes the selected entry in full under the rows.
func (t timelinePane) details(w int) []string {
	st := t.ctx.Styles
	e, ok := t.Selected()
	if !ok {
		return make([]string, detailLines)
	}
	var meta string
	if t.confirm {
		meta = st.Error.Render(fmt.Sprintf("Delete the entry from %s? y deletes (the deletion is logged), n keeps it", e.At.Format("15:04")))
	} else {
		parts := []string{fmt.Sprintf("#%d", e.ID), string(e.Kind), incident.CleanLine(e.Author), e.At.Format("Mon 2 Jan 15:04:05")}
		if !e.RecordedAt.IsZero() && e.RecordedAt.Sub(e.At).Abs() >= time.Minute {
			parts = append(parts, "logged "+e.RecordedAt.Format("15:04"))
		}
		if !e.EditedAt.IsZero() {
			by := "edited"
			if e.EditedBy != "" {
				by += " by " + incident.CleanLine(e.EditedBy)
			}
			parts = append(parts, by+" at "+e.EditedAt.Format("15:04"))
		}
		meta = st.Muted.Render(strings.Join(parts, " · "))
	}
	out := []string{st.Border.Render(strings.Repeat("─", w))}
	lines := common.Wrap(incident.CleanLine(boundText(e.Text)), w-1)
	if len(lines) > detailLines-2 {
		lines = lines[:detailLines-2]
		lines[len(lines)-1] = common.Cut(lines[len(lines)-1]+"…", w-1)
	}
	for _, l := range lines {
		out = append(out, " "+st.Text.Render(l))
	}
	for len(out) < detailLines-1 {
		out = append(out, "")
	}
	return append(out, " "+meta)
}

// boundText keeps a huge entry's text to what a pane can show.
func boundText(s string) string {
	if len(s) > 4*maxRowText {
		return s[:4*maxRowText]
	}
	return s
}

func (t timelinePane) ShortHelp() []key.Binding {
	k := t.ctx.Keys
	if t.confirm {
		return []key.Binding{k.Confirm, k.Deny}
	}
	if t.selecting {
		binds := []key.Binding{k.Up, k.Edit, k.Retime, k.Star, k.Delete}
		if e, ok := t.Selected(); ok && e.Set.Field == incident.FieldDelete {
			binds = append(binds, k.Restore)
		}
		return append(binds, k.Back)
	}
	return []key.Binding{k.Up, k.PageUp, k.Top, k.Select, k.Capture}
}

func (t timelinePane) FullHelp() [][]key.Binding {
	k := t.ctx.Keys
	cmds := make([]key.Binding, 0, len(k.Commands))
	for _, c := range k.Commands {
		cmds = append(cmds, c.Binding)
	}
	return [][]key.Binding{
		{k.Up, k.PageUp, k.Top, k.Select},
		{k.Edit, k.Retime, k.Star, k.Delete, k.Restore, common.WithHelp(k.Back, "end selection")},
		cmds,
	}
}
