package cockpit

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// View draws the rows in view and, while selecting, the selected entry's
// details. It formats only what is visible, and draws nothing when the
// same pane was drawn for the same copy of the timeline at the same place:
// a keystroke in the capture line draws the frame again but not the
// timeline, and the sessions of a room that read the same change and
// follow the newest row (tui.Timelines gives them one copy) draw their
// pane once for all of them.
func (t timelinePane) View() string {
	key, ok := t.viewKey()
	if !ok {
		return t.draw()
	}
	if last := t.last; last != nil && last.key == key {
		return last.view
	}
	v, hit := t.ctx.Memo.Pane(key)
	if !hit {
		v = t.draw()
		t.ctx.Memo.PutPane(key, v)
	}
	if t.last != nil {
		*t.last = drawnTimeline{key: key, view: v}
	}
	return v
}

// drawnTimeline is the pane a session last drew, and its key: the room's
// memo keeps a few panes for all its sessions, and a session whose own
// line made its copy of the timeline its own alone keeps its pane here.
type drawnTimeline struct {
	key  timelineViewKey
	view string
}

// timelineViewKey is everything the pane's view is drawn from while no
// entry is selected, searched for or being saved: a copy of the timeline
// is never changed once shown (a change brings a new one), so its pointer
// names its rows.
type timelineViewKey struct {
	look                   common.Look
	visible, data          *TimelineData
	top, off, w, h, filter int
	wrap, follow, focused  bool
	partial                bool
}

// viewKey is the pane's key, false when the pane shows something of this
// session's own (a selection, a search, lines being saved).
func (t timelinePane) viewKey() (timelineViewKey, bool) {
	if t.selecting || t.search != "" || len(t.Pending) > 0 || t.cache == nil {
		return timelineViewKey{}, false
	}
	return timelineViewKey{
		look: t.ctx.Styles.Look(), visible: t.visible, data: t.Data,
		top: t.Top, off: t.Off, w: t.w, h: t.h, filter: t.filter,
		wrap: t.Wrap, follow: t.Follow, focused: t.focused, partial: t.ctx.Partial,
	}, true
}

// draw is View without the memo.
func (t timelinePane) draw() string {
	st := t.ctx.Styles
	d := t.visible
	inner := t.w - 2
	vr := t.viewRows()
	body := make([]string, 0, t.h)
	from, end, lastWhole := t.shown()
	skip := t.Off
	for i := from; i < end; i++ {
		lines := t.cachedLines(i, inner-1)
		body = append(body, lines[min(skip, len(lines)):]...)
		skip = 0
	}
	body = body[:min(len(body), vr)]
	// Newest at the bottom, next to the capture line, even when the
	// timeline is shorter than the pane.
	if pad := vr - len(body); pad > 0 {
		body = append(make([]string, pad, t.h), body...)
	}
	if d.Len() == 0 && vr > 0 {
		body[vr-1] = st.Faint.Render(" Nothing logged yet. Type below and press enter.")
		if t.filter > 0 {
			body[vr-1] = st.Faint.Render(" Nothing here with this filter; f shows the next one.")
		}
	}
	if np := min(len(t.Pending), vr); np > 0 && t.Follow && !t.selecting {
		// Typed and not yet on disk: at the bottom, where it will land,
		// marked until the write is durable.
		body = body[min(np, len(body)):]
		for _, p := range t.Pending[len(t.Pending)-np:] {
			paint := t.paints[0]
			line := " " + paint.time.Of(p.Entry.At.Format("15:04")) + " " + paint.faint.Of("… "+rowText(p.Entry.Text))
			body = append(body, common.Spread(common.Fit(line, max(inner-12, 1)), paint.faint.Of("saving… "), inner-1))
		}
	}
	if t.selecting {
		body = append(body, t.details(inner)...)
	}
	title := "Timeline"
	if t.filter > 0 {
		title += " · " + filters[t.filter].Name
	}
	wrapped := title
	if t.Wrap {
		wrapped += " · wrapped"
	}
	var note string
	switch {
	case t.search != "":
		q := common.Cut(incident.CleanLine(t.search), 16)
		if i := t.matchIndex(); i > 0 {
			note = st.Accent.Render(fmt.Sprintf("%q %d/%d", q, i, len(t.matches)))
		} else {
			note = st.Accent.Render(fmt.Sprintf("%q %d %s", q, len(t.matches), common.Plural(len(t.matches), "match", "matches")))
		}
	case t.ctx.Partial:
		note = st.Faint.Render("loading earlier entries…")
	case !t.Follow && end > 0:
		// An entry cut at the bottom counts as newer: it is not read yet.
		below := d.Entries()
		if lastWhole >= 0 {
			below = d.Entries() - 1 - d.entryIndex(lastWhole)
			if d.row(lastWhole).Kind != RowEntry {
				below++
			}
		}
		note = st.Warn.Render(fmt.Sprintf("↓ %d newer", below))
	case d.Entries() > 0 && t.filter > 0:
		note = st.Faint.Render(fmt.Sprintf("%d/%d", d.Entries(), t.Data.Entries()))
	case d.Entries() > 0:
		note = st.Faint.Render(fmt.Sprintf("%d %s", d.Entries(), common.Plural(d.Entries(), "entry", "entries")))
	}
	// "wrapped" gives way first in a narrow pane (the rows show it): the
	// filter's name and the note matter more.
	if ansi.StringWidth(wrapped)+ansi.StringWidth(note)+8 <= t.w || !t.Wrap {
		title = wrapped
	}
	return common.Box(st, title, note, body, t.w, t.h, t.focused)
}

// rowPaints are the colours of timeline rows, built once; the selected
// row uses a second set with the selection background on every part.
type rowPaints struct {
	plain, marker, time, author, text, muted, starred, gap, date, alert, faint common.Paint
	kinds                                                                      map[incident.Kind]common.Paint
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
		alert: mk(st.Warn.Bold(true)), faint: mk(st.Faint),
		kinds: map[incident.Kind]common.Paint{},
	}
	for _, k := range incident.Kinds {
		p.kinds[k] = mk(st.KindStyle(k))
	}
	return p
}

// rowCache keeps formatted rows between frames, an entry's row by the
// entry's id and what the row shows of it, so that a timeline patched or
// extended by someone's change formats only the rows that changed, not
// every row in view; a change of width, wrap, selection or author column
// starts it afresh.
type rowCache struct {
	key     rowCacheKey
	entries map[int64]cachedRow
	// lines are the gap and date lines, by kind and text.
	lines map[tlRow][]string
}

type rowCacheKey struct {
	w         int
	wrap      bool
	selecting bool
	selID     int64
	author    int
}

// cachedRow is an entry's formatted row and what it was formatted from.
type cachedRow struct {
	at                time.Time
	kind              incident.Kind
	text, row, author string
	starred           bool
	lines             []string
}

// cachedLines formats row i to width w, once per change.
func (t timelinePane) cachedLines(i, w int) []string {
	if t.cache == nil {
		return t.row(i, w)
	}
	d := t.visible
	key := rowCacheKey{w: w, wrap: t.Wrap, selecting: t.selecting, selID: t.selID, author: d.author}
	c := t.cache
	if c.key != key || c.entries == nil {
		c.key = key
		c.entries = make(map[int64]cachedRow, 64)
		c.lines = make(map[tlRow][]string, 8)
	}
	r := d.row(i)
	if r.Kind != RowEntry {
		k := tlRow{Kind: r.Kind, Text: r.Text}
		if l, ok := c.lines[k]; ok {
			return l
		}
		l := t.sharedRow(sharedRowKey{look: t.ctx.Styles.Look(), kind: r.Kind, text: r.Text, w: w}, i, w)
		if len(c.lines) > 1024 {
			clear(c.lines)
		}
		c.lines[k] = l
		return l
	}
	e := r.E
	if cr, ok := c.entries[e.ID]; ok && cr.at == e.At && cr.kind == e.Kind && cr.text == e.Text &&
		cr.row == r.Text && cr.author == e.Author && cr.starred == e.Starred {
		return cr.lines
	}
	var l []string
	if t.selecting && e.ID == t.selID {
		l = t.row(i, w)
	} else {
		// Any session of the room showing this entry at this width
		// draws the same row (an entry is never changed once shown).
		l = t.sharedRow(sharedRowKey{look: t.ctx.Styles.Look(), e: e, w: w, wrap: t.Wrap, author: d.author}, i, w)
	}
	if len(c.entries) > 4096 {
		clear(c.entries)
	}
	c.entries[e.ID] = cachedRow{at: e.At, kind: e.Kind, text: e.Text, row: r.Text, author: e.Author, starred: e.Starred, lines: l}
	return l
}

// sharedRowKey is what a row not selected is drawn from, for the room's
// memo (common.Memo): the entry's version, or the gap or date line.
type sharedRowKey struct {
	look   common.Look
	e      *incident.Entry
	kind   rowKind
	text   string
	w      int
	wrap   bool
	author int
}

// sharedRow is row i drawn at width w, or as another session drew it.
func (t timelinePane) sharedRow(key sharedRowKey, i, w int) []string {
	if v, ok := t.ctx.Memo.Get(key); ok {
		return v.([]string)
	}
	l := t.row(i, w)
	t.ctx.Memo.Put(key, l)
	return l
}

// textColumn is where an entry's text starts: marker, time, kind mark.
const textColumn = 9

// row formats row i to width w: one line, or in wrap mode (and for the
// selected entry) as many as its text needs, continuation lines indented
// under the text column.
func (t timelinePane) row(i, w int) []string {
	d := t.visible
	r := d.row(i)
	p := t.paints[0]
	switch r.Kind {
	case RowDate:
		label := " " + r.Text + " "
		return []string{p.date.Of(common.Fit("──"+label+strings.Repeat("─", max(w-ansi.StringWidth(label)-2, 0)), w))}
	case RowGap:
		return []string{p.gap.Of(common.Fit("        ┆ "+r.Text, w))}
	}
	e := r.E
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
	textW := w - textColumn - authorW
	if authorW > 0 {
		textW--
	}
	text := r.Text
	if e.Starred {
		text = "★ " + text
	}
	tp := kp
	switch {
	case e.Starred:
		tp = p.starred
	case e.Kind == incident.KindNote:
		tp = p.text
	case e.Kind == incident.KindSystem || e.Kind == incident.KindRole:
		tp = p.muted
	}
	parts := []string{text}
	if (t.Wrap || selected) && textW > 0 {
		// Whole: the entry's own lines (a handover brief has several),
		// each wrapped, rather than the row's one cleaned, bounded line.
		parts = parts[:0]
		full := incident.CleanText(boundText(e.Text))
		if e.Starred {
			full = "★ " + full
		}
		for _, l := range strings.Split(full, "\n") {
			if l = strings.TrimRight(l, " \t"); l == "" {
				continue
			}
			parts = append(parts, common.Wrap(incident.CleanLine(l), textW)...)
		}
		if len(parts) == 0 {
			parts = []string{text}
		}
	}
	out := make([]string, 0, len(parts))
	var b strings.Builder
	b.Grow(len(text) + 96)
	b.WriteString(marker)
	b.WriteString(p.time.Of(e.At.Format("15:04")))
	b.WriteString(p.plain.Of(" "))
	if incident.IsAlertEntry(*e) {
		// An alert's entries keep their own mark, whatever their kind.
		b.WriteString(p.alert.Of(common.AlertMark))
	} else {
		b.WriteString(kp.Of(common.KindMark(e.Kind)))
	}
	b.WriteString(p.plain.Of(" "))
	b.WriteString(tp.Of(common.Fit(parts[0], max(textW, 0))))
	if authorW > 0 {
		b.WriteString(p.plain.Of(" "))
		b.WriteString(p.author.Of(common.Fit(incident.CleanLine(e.Author), authorW)))
	}
	out = append(out, b.String())
	indent := p.plain.Of(strings.Repeat(" ", textColumn-1))
	tail := ""
	if authorW > 0 {
		tail = p.plain.Of(strings.Repeat(" ", authorW+1))
	}
	for _, part := range parts[1:] {
		out = append(out, marker+indent+tp.Of(common.Fit(part, textW))+tail)
	}
	return out
}

// details describes the selected entry in full under the rows.
func (t timelinePane) details(w int) []string {
	st := t.ctx.Styles
	e, ok := t.Selected()
	if !ok {
		return make([]string, detailLines)
	}
	var meta string
	if t.confirm.Open() {
		meta = st.Error.Render(fmt.Sprintf("Delete the entry from %s?", e.At.Format("15:04")) + t.confirm.Answers(t.ctx, " y/enter deletes (the deletion is logged) · n/esc keeps it"))
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
	if t.confirm.Open() {
		return []key.Binding{k.Confirm, k.Deny}
	}
	if t.selecting {
		binds := []key.Binding{k.Up, k.Edit, k.Retime, k.Star, k.Delete}
		if t.search != "" {
			binds = append([]key.Binding{k.NextMatch}, binds...)
		}
		if e, ok := t.Selected(); ok && e.Set.Field == incident.FieldDelete {
			binds = append(binds, k.Restore)
		}
		return append(binds, k.Back)
	}
	// In order of importance: a narrow footer drops from the end.
	if t.search != "" {
		return []key.Binding{k.NextMatch, k.Select, common.WithHelp(k.Back, "end search"), k.Find, k.Filter, k.Wrap}
	}
	return []key.Binding{k.Up, k.Select, k.Wrap, k.Filter, k.Find, k.Capture, k.PageUp, k.Top}
}

func (t timelinePane) FullHelp() [][]key.Binding {
	k := t.ctx.Keys
	cmds := make([]key.Binding, 0, len(k.Commands))
	for _, c := range k.Commands {
		cmds = append(cmds, c.Binding)
	}
	return [][]key.Binding{
		{k.Up, k.PageUp, k.Top, k.Select, k.Wrap, k.Filter, k.Find, k.NextMatch},
		{k.Edit, k.Retime, k.Star, k.Delete, k.Restore, common.WithHelp(k.Back, "end selection")},
		cmds,
	}
}
