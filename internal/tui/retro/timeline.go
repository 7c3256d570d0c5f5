package retro

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// retroRowKind is what one row of the timeline analysis shows.
type retroRowKind uint8

const (
	rrHeading retroRowKind = iota
	rrText                 // a plain line (metrics, notes)
	rrFinding              // a possible deficiency, wrapped over rows
	rrFlag                 // a finding flagged in place on the timeline
	rrEntry                // a timeline entry; selectable
	rrBlank
)

type retroRow struct {
	kind    retroRowKind
	text    string
	entry   incident.Entry
	warn    bool
	starred bool
}

// retroTimeline is the Timeline section: metrics, milestones, the possible
// deficiencies the incident shows, the starred entries and then the rest
// with findings flagged in place, and the notes written about it. Entries
// can be starred and annotated from here.
type retroTimeline struct {
	ctx  *common.Context
	keys *common.RetroKeys
	inc  *incident.Incident
	sum  incident.TimelineSummary
	rows []retroRow
	// entryRows indexes the selectable rows.
	entryRows []int
	Sel       int
	top       int
	// Annotating is set while the note input is open for entry.
	Annotating bool
	Input      textinput.Model
	entry      incident.Entry
	w, h       int
}

func newRetroTimeline(ctx *common.Context, keys *common.RetroKeys) retroTimeline {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "what this entry shows about how we handled it"
	in.Cursor.SetMode(cursor.CursorStatic)
	in.PlaceholderStyle = ctx.Styles.Faint
	in.TextStyle = ctx.Styles.Text
	return retroTimeline{ctx: ctx, keys: keys, Input: in, Sel: -1}
}

func (t *retroTimeline) setSize(w, h int) {
	t.w, t.h = w, h
	t.top = 0
	t.Input.Width = max(w-12, 1)
	t.build()
}

// setIncident recomputes the analysis from a freshly loaded incident.
func (t *retroTimeline) setIncident(inc *incident.Incident) {
	t.inc = inc
	t.sum = incident.SummarizeTimeline(inc, t.ctx.Policy())
	t.build()
}

// build lays the analysis out in rows at the current width, keeping the
// selected entry selected.
func (t *retroTimeline) build() {
	if t.inc == nil {
		return
	}
	var keep int64 = -1
	if e, ok := t.selected(); ok {
		keep = e.ID
	}
	st := t.ctx.Styles
	w := max(t.w-2, 10)
	rows := make([]retroRow, 0, len(t.sum.Starred)+len(t.sum.Rest)+len(t.sum.Findings)+16)
	add := func(r retroRow) { rows = append(rows, r) }
	heading := func(s string) { add(retroRow{kind: rrHeading, text: s}) }

	var ms []string
	for _, m := range t.sum.Metrics {
		v := "—"
		if m.Known {
			v = incident.FormatDuration(m.Value)
		}
		ms = append(ms, m.Name+" "+v)
	}
	heading("Metrics")
	for _, l := range common.Wrap(strings.Join(ms, " · "), w) {
		add(retroRow{kind: rrText, text: l})
	}
	var mils []string
	for _, m := range t.sum.Milestones {
		mils = append(mils, string(m.Milestone)+" "+t.clock(m.At))
	}
	if len(mils) > 0 {
		for _, l := range common.Wrap(strings.Join(mils, " → "), w) {
			add(retroRow{kind: rrText, text: l})
		}
	}
	add(retroRow{kind: rrText, text: fmt.Sprintf("%d public update%s published", t.sum.Updates, common.Plural(t.sum.Updates, "", "s"))})
	add(retroRow{kind: rrBlank})

	if len(t.sum.Findings) == 0 {
		heading("No possible deficiencies found")
	} else {
		heading(fmt.Sprintf("Possible deficiencies (%d)", len(t.sum.Findings)))
		for _, f := range t.sum.Findings {
			for i, l := range common.Wrap(f.Text, max(w-10, 10)) {
				prefix := "⚠ " + common.Fit(t.clock(f.At), 7) + " "
				if i > 0 {
					prefix = strings.Repeat(" ", 10)
				}
				add(retroRow{kind: rrFinding, text: prefix + l, warn: true})
			}
		}
	}
	add(retroRow{kind: rrBlank})

	heading(fmt.Sprintf("Starred (%d)", len(t.sum.Starred)))
	if len(t.sum.Starred) == 0 {
		add(retroRow{kind: rrText, text: st.Faint.Render("none yet · select an entry below and press s")})
	}
	for _, e := range t.sum.Starred {
		add(retroRow{kind: rrEntry, entry: e, starred: true})
	}
	add(retroRow{kind: rrBlank})

	heading(fmt.Sprintf("Everything else (%d)", len(t.sum.Rest)))
	// Each finding goes where it happened: a silence between the entry it
	// follows and the one that ended it (placed by its end, so it is never
	// drawn an entry early), anything else before the first entry after it.
	flags := slices.Clone(t.sum.Findings)
	place := func(f incident.Finding) time.Time {
		if f.Kind == incident.FindingGap {
			return f.At.Add(f.Length)
		}
		return f.At
	}
	slices.SortStableFunc(flags, func(a, b incident.Finding) int { return place(a).Compare(place(b)) })
	fi := 0
	flagsBefore := func(at time.Time) {
		for fi < len(flags) && !place(flags[fi]).After(at) {
			add(retroRow{kind: rrFlag, text: "⚠ " + flagLabel(flags[fi]), warn: true})
			fi++
		}
	}
	for _, e := range t.sum.Rest {
		flagsBefore(e.At)
		add(retroRow{kind: rrEntry, entry: e})
	}
	for ; fi < len(flags); fi++ {
		add(retroRow{kind: rrFlag, text: "⚠ " + flagLabel(flags[fi]), warn: true})
	}

	if notes := t.inc.Retro.Section(incident.SectionTimeline); notes != nil && strings.TrimSpace(notes.Text) != "" {
		add(retroRow{kind: rrBlank})
		heading("Notes")
		for _, l := range strings.Split(incident.CleanText(notes.Text), "\n") {
			for _, wl := range common.Wrap(strings.ReplaceAll(l, "\t", "    "), w) {
				add(retroRow{kind: rrText, text: wl})
			}
		}
	}

	t.rows = rows
	t.entryRows = t.entryRows[:0]
	for i, r := range rows {
		if r.kind == rrEntry {
			t.entryRows = append(t.entryRows, i)
		}
	}
	// No entry is selected until j/k picks one, so the analysis opens at
	// its top.
	t.Sel = min(t.Sel, len(t.entryRows)-1)
	if keep >= 0 {
		for i, ri := range t.entryRows {
			if rows[ri].entry.ID == keep {
				t.Sel = i
				break
			}
		}
	}
	t.clamp()
}

// flagLabel is a finding in a few words, for its place on the timeline.
func flagLabel(f incident.Finding) string {
	switch f.Kind {
	case incident.FindingGap:
		return "silence of " + incident.FormatDuration(f.Length)
	case incident.FindingLateUpdate:
		return "public update late by " + incident.FormatDuration(f.Length)
	case incident.FindingLateFirstUpdate:
		return "first public update late by " + incident.FormatDuration(f.Length)
	case incident.FindingNoUpdate:
		return "no public update published"
	case incident.FindingSlowAcknowledge:
		return "acknowledged after " + incident.FormatDuration(f.Length)
	case incident.FindingSlowDetect:
		return "detected after " + incident.FormatDuration(f.Length)
	}
	return f.Text
}

// clock shows a time, with the date when the incident spans days.
func (t *retroTimeline) clock(at time.Time) string {
	if t.sum.MultiDay {
		return at.Format("Jan 2 15:04")
	}
	return at.Format("15:04")
}

func (t *retroTimeline) selected() (incident.Entry, bool) {
	if t.Sel < 0 || t.Sel >= len(t.entryRows) || t.entryRows[t.Sel] >= len(t.rows) {
		return incident.Entry{}, false
	}
	return t.rows[t.entryRows[t.Sel]].entry, true
}

// listRows is how many rows the list shows above the hint (and input).
func (t *retroTimeline) listRows() int {
	n := t.h - 1
	if t.Annotating {
		n--
	}
	return max(n, 1)
}

// clamp keeps the selected entry in view.
func (t *retroTimeline) clamp() {
	n := t.listRows()
	if t.Sel >= 0 && t.Sel < len(t.entryRows) {
		r := t.entryRows[t.Sel]
		if r < t.top {
			t.top = r
		}
		if r >= t.top+n {
			t.top = r - n + 1
		}
	}
	t.top = max(min(t.top, len(t.rows)-n), 0)
}

func (t *retroTimeline) move(d int) {
	if len(t.entryRows) == 0 {
		t.top = max(min(t.top+d, len(t.rows)-t.listRows()), 0)
		return
	}
	if t.Sel < 0 {
		// The first move picks the first entry in view, or the first one.
		t.Sel = 0
		for i, r := range t.entryRows {
			if r >= t.top {
				t.Sel = i
				break
			}
		}
		t.clamp()
		return
	}
	last := len(t.entryRows) - 1
	if d > 0 && t.Sel == last {
		// Past the last entry: scroll on to the notes below it, which
		// no entry selection would otherwise reach.
		t.top = max(min(t.top+d, len(t.rows)-t.listRows()), 0)
		return
	}
	t.Sel = max(min(t.Sel+d, last), 0)
	t.clamp()
}

// toEnd selects the last entry and shows everything below it (the notes).
func (t *retroTimeline) toEnd() {
	if len(t.entryRows) > 0 {
		t.Sel = len(t.entryRows) - 1
	}
	t.top = max(len(t.rows)-t.listRows(), 0)
}

func (t *retroTimeline) wheel(msg tea.MouseMsg) {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		t.top = max(t.top-3, 0)
	case tea.MouseButtonWheelDown:
		t.top = max(min(t.top+3, len(t.rows)-t.listRows()), 0)
	}
}

func (t retroTimeline) typing() bool { return t.Annotating }

func (t retroTimeline) update(msg tea.Msg) (retroTimeline, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if t.Annotating {
		if ok {
			switch {
			case key.Matches(km, t.keys.Cancel):
				t.Annotating = false
				t.Input.Blur()
				t.clamp()
				return t, nil
			case key.Matches(km, t.keys.Enter):
				note, e := t.Input.Value(), t.entry
				if strings.TrimSpace(note) == "" {
					return t, common.ErrCmd(fmt.Errorf("the note is empty; type what this entry shows, or press esc"))
				}
				t.Annotating = false
				t.Input.Blur()
				t.clamp()
				return t, retroWriteCmd(t.ctx, "Note added to the timeline section", func(r *incident.Retro, author string, now time.Time) error {
					return incident.AnnotateEntry(r, e, note, author, now)
				})
			}
		}
		var cmd tea.Cmd
		t.Input, cmd = t.Input.Update(msg)
		return t, cmd
	}
	if !ok {
		return t, nil
	}
	k := t.keys
	switch {
	case key.Matches(km, k.Up):
		t.move(-1)
	case key.Matches(km, k.Down):
		t.move(1)
	case key.Matches(km, k.PageUp):
		t.move(-t.listRows())
	case key.Matches(km, k.PageDn):
		t.move(t.listRows())
	case key.Matches(km, t.ctx.Keys.Bottom):
		t.toEnd()
	case key.Matches(km, t.ctx.Keys.Top):
		t.Sel, t.top = 0, 0
		t.clamp()
	case key.Matches(km, k.Star):
		e, ok := t.selected()
		if !ok {
			return t, common.ErrCmd(fmt.Errorf("no entry is selected; pick one with j/k, then press s"))
		}
		what := "Entry starred"
		if e.Starred {
			what = "Star removed"
		}
		return t, common.EditEntryCmd(t.ctx, e.ID, what, func(x *incident.Entry) error {
			x.Starred = !x.Starred
			return nil
		})
	case key.Matches(km, k.Annotate):
		e, ok := t.selected()
		if !ok {
			if len(t.entryRows) == 0 {
				return t, common.ErrCmd(fmt.Errorf("there is no entry to annotate; log what happened in the cockpit first"))
			}
			return t, common.ErrCmd(fmt.Errorf("no entry is selected; pick one with j/k, then press a"))
		}
		t.entry = e
		t.Annotating = true
		t.Input.SetValue("")
		t.clamp()
		return t, t.Input.Focus()
	}
	return t, nil
}

// view renders the analysis at inner size w×h, only the rows in view.
func (t retroTimeline) view(w, h int, focused bool) []string {
	st := t.ctx.Styles
	if t.inc == nil {
		return []string{st.Faint.Render(" loading…")}
	}
	n := t.listRows()
	selRow := -1
	if focused && t.Sel >= 0 && t.Sel < len(t.entryRows) {
		selRow = t.entryRows[t.Sel]
	}
	out := make([]string, 0, h)
	for i := t.top; i < len(t.rows) && i < t.top+n; i++ {
		out = append(out, t.row(t.rows[i], w, i == selRow))
	}
	for len(out) < n {
		out = append(out, "")
	}
	if t.Annotating {
		label := " note on " + t.entry.At.Format("15:04") + " › "
		out = append(out, st.PromptEdit.Render(label)+t.Input.View())
		out = append(out, " "+st.Hint.Render(common.Cut("enter adds the note to the timeline section · esc cancels", w-1)))
		return out
	}
	hint := "enter edits · ctrl+e opens the notes in $EDITOR"
	if focused {
		hint = "j/k select · s star · a annotate · n notes · ctrl+e $EDITOR · esc back"
	}
	return append(out, " "+st.Hint.Render(common.Cut(hint, w-1)))
}

func (t retroTimeline) row(r retroRow, w int, selected bool) string {
	st := t.ctx.Styles
	switch r.kind {
	case rrHeading:
		return " " + st.PaneTitle.Render(common.Cut(r.text, w-1))
	case rrFinding:
		return " " + st.Warn.Render(common.Cut(r.text, w-1))
	case rrFlag:
		return "   " + st.Warn.Render(common.Cut(r.text, w-3))
	case rrText:
		return " " + st.Muted.Render(common.Cut(r.text, w-1))
	case rrEntry:
		e := r.entry
		mark := " "
		if e.Starred {
			mark = st.Starred.Render("★")
		}
		author := common.Fit(incident.CleanLine(e.Author), 8)
		lead := mark + " " + st.Time.Render(t.clock(e.At)) + " " + st.Author.Render(author) + " " + st.KindStyle(e.Kind).Render(common.KindMark(e.Kind)) + " "
		text := incident.CleanLine(e.Text)
		if e.Starred {
			text = st.Starred.Render(text)
		} else {
			text = st.KindStyle(e.Kind).Render(text)
		}
		line := " " + lead + text
		if selected {
			return st.Selected.Render(common.Fit(st.SelectionMarker.Render("›")+lead+text, w))
		}
		return common.Cut(line, w)
	}
	return ""
}

func (t retroTimeline) shortHelp() []key.Binding {
	k := t.keys
	if t.Annotating {
		return []key.Binding{common.WithHelp(k.Enter, "add note"), common.WithHelp(k.Cancel, "cancel")}
	}
	return []key.Binding{k.Up, k.Star, k.Annotate, k.Notes, k.External, common.WithHelp(k.Cancel, "back")}
}
