// Package list is the incident list: open and past incidents, a filter that
// also searches every timeline, update and retro as you type, the trends
// across them, and the form that declares a new incident.
package list

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Model lists open and past incidents, filtered as you type; enter
// opens one, ctrl+n declares a new one in a small form.
type Model struct {
	ctx    *common.Context
	Filter textinput.Model
	all    []store.Summary
	shown  []int // indexes into all: open ones first, then past
	nOpen  int   // how many of shown are open
	sel    int
	top    int
	loaded bool
	stats  *export.Stats // trends across all incidents, once computed
	// index searches every incident's text; hits are the incidents whose
	// entries, updates or retro match the filter, by key, with where.
	index     *export.SearchIndex
	hits      map[string]export.Hit
	searchSeq int
	form      *newForm
	w, h      int
	focused   bool
}

func New(ctx *common.Context) Model {
	f := textinput.New()
	f.Prompt = ""
	f.Placeholder = "type to filter by id, title, tag or person, or to search every timeline"
	f.Cursor.SetMode(cursor.CursorStatic)
	f.PlaceholderStyle = ctx.Styles.Faint
	f.TextStyle = ctx.Styles.Text
	return Model{ctx: ctx, Filter: f}
}

// SetSize sets the size of the whole screen.
func (l *Model) SetSize(w, h int) {
	l.w, l.h = w, h
	l.Filter.Width = max(w-14, 1)
	if l.form != nil {
		l.form.setWidth(w)
	}
}

func (l *Model) SetFocused(f bool) {
	l.focused = f
	if f && l.form == nil {
		l.Filter.Focus()
	} else {
		l.Filter.Blur()
	}
}

// Reset clears the filter for a fresh visit.
func (l *Model) Reset() {
	l.Filter.SetValue("")
	l.form = nil
	l.sel, l.top = 0, 0
	l.refilter()
}

// refilter recomputes which incidents match the filter: every word in the
// incident's id, title, status, severity, tags or people, or the whole
// filter anywhere in its timeline, updates or retro (the full-text hits).
func (l *Model) refilter() {
	words := strings.Fields(strings.ToLower(l.Filter.Value()))
	var open, past []int
	for i, s := range l.all {
		if _, hit := l.hits[s.Key()]; !hit && !matches(s.Incident, words) {
			continue
		}
		if s.Open() {
			open = append(open, i)
		} else {
			past = append(past, i)
		}
	}
	l.shown = append(open, past...)
	l.nOpen = len(open)
	l.sel = min(max(l.sel, 0), max(len(l.shown)-1, 0))
}

func matches(inc *incident.Incident, words []string) bool {
	if len(words) == 0 {
		return true
	}
	hay := []string{strings.ToLower(inc.Key()), strings.ToLower(inc.Title), string(inc.Status), strings.ToLower(inc.Severity.String())}
	for _, t := range inc.Tags {
		hay = append(hay, strings.ToLower(t))
	}
	for _, p := range inc.Roles {
		hay = append(hay, strings.ToLower(p))
	}
	all := strings.Join(hay, " ")
	for _, w := range words {
		if !strings.Contains(all, w) {
			return false
		}
	}
	return true
}

// Update handles the list's keys and its data.
func (l Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k := l.ctx.Keys
	switch msg := msg.(type) {
	case LoadedMsg:
		l.all, l.loaded = msg.list, true
		l.refilter()
		return l, nil
	case StatsLoadedMsg:
		l.stats, l.index = &msg.stats, msg.index
		return l, l.searchCmd()
	case SearchMsg:
		if msg.seq != l.searchSeq {
			return l, nil
		}
		l.hits = map[string]export.Hit{}
		for _, h := range msg.hits {
			if _, seen := l.hits[h.Incident]; !seen {
				l.hits[h.Incident] = h
			}
		}
		l.refilter()
		return l, nil
	case tea.KeyMsg:
		if l.form != nil {
			return l.formKey(msg)
		}
		switch {
		case key.Matches(msg, k.Back):
			if l.Filter.Value() != "" {
				l.Filter.SetValue("")
				l.refilter()
				return l, nil
			}
			if l.ctx.IncidentID != 0 {
				return l, func() tea.Msg { return common.SwitchScreenMsg{Screen: common.ScreenCockpit} }
			}
			return l, nil
		case key.Matches(msg, k.New):
			l.form = newNewForm(l.ctx)
			l.form.setWidth(l.w)
			l.Filter.Blur()
			return l, nil
		case key.Matches(msg, k.Open):
			if l.sel < len(l.shown) {
				id := l.all[l.shown[l.sel]].ID
				return l, func() tea.Msg { return common.OpenIncidentMsg{ID: id} }
			}
			return l, nil
		case msg.String() == "up" || msg.String() == "ctrl+p" || msg.String() == "ctrl+k":
			l.sel = max(l.sel-1, 0)
			return l, nil
		case msg.String() == "down" || msg.String() == "ctrl+j":
			l.sel = min(l.sel+1, max(len(l.shown)-1, 0))
			return l, nil
		case key.Matches(msg, k.PageUp):
			l.sel = max(l.sel-l.rows(), 0)
			return l, nil
		case key.Matches(msg, k.PageDown):
			l.sel = min(l.sel+l.rows(), max(len(l.shown)-1, 0))
			return l, nil
		}
		before := l.Filter.Value()
		var cmd tea.Cmd
		l.Filter, cmd = l.Filter.Update(msg)
		if l.Filter.Value() != before {
			l.sel = 0
			l.hits = nil
			l.refilter()
			cmd = tea.Batch(cmd, l.searchCmd())
		}
		return l, cmd
	}
	return l, nil
}

func (l Model) formKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := l.ctx.Keys
	switch {
	case key.Matches(msg, k.Back):
		l.form = nil
		l.Filter.Focus()
		return l, nil
	case key.Matches(msg, k.CreateForm) && l.form.focus == len(l.form.fields)-1,
		msg.String() == "ctrl+s":
		cmd, err := l.form.submit()
		if err != nil {
			l.form.err = err.Error()
			return l, nil
		}
		return l, cmd
	case key.Matches(msg, k.NextField) || key.Matches(msg, k.CreateForm):
		l.form.move(1)
		return l, nil
	case key.Matches(msg, k.PrevField):
		l.form.move(-1)
		return l, nil
	}
	var cmd tea.Cmd
	f := &l.form.fields[l.form.focus]
	*f, cmd = f.Update(msg)
	l.form.err = ""
	return l, cmd
}

// rows is how many incidents fit.
func (l Model) rows() int { return max(l.h-6, 1) }

// View draws the filter, the list and the form.
func (l Model) View() string {
	st := l.ctx.Styles
	inner := l.w - 2
	var body []string
	info := l.matchLine(inner)
	if info == "" {
		info = l.statsLine(inner)
	}
	body = append(body, " "+st.Prompt.Render("filter › ")+l.Filter.View(), info)
	if l.form != nil {
		body = append(body, l.form.view(inner)...)
		return common.Box(st, "Declare an incident", "", body[2:], l.w, l.h, true)
	}
	switch {
	case !l.loaded:
		body = append(body, st.Faint.Render(" loading…"))
	case len(l.all) == 0:
		body = append(body, st.Muted.Render(" No incidents yet. Press ctrl+n to declare one."))
	case len(l.shown) == 0:
		body = append(body, st.Muted.Render(" Nothing matches the filter. esc clears it."))
	}
	vr := l.rows()
	top := l.top
	if l.sel < top {
		top = l.sel
	}
	if l.sel >= top+vr {
		top = l.sel - vr + 1
	}
	now := l.ctx.Now()
	for i := top; i < len(l.shown) && i < top+vr; i++ {
		if i == 0 && l.nOpen > 0 {
			body = append(body, " "+st.PaneTitle.Render(fmt.Sprintf("Open (%d)", l.nOpen)))
		}
		if i == l.nOpen {
			body = append(body, " "+st.PaneTitle.Render(fmt.Sprintf("Past (%d)", len(l.shown)-l.nOpen)))
		}
		line := l.row(l.all[l.shown[i]], i == l.sel, inner, now)
		line = common.Fit(line, inner)
		if i == l.sel {
			line = st.Selected.Render(line)
		}
		body = append(body, line)
	}
	return common.Box(st, "Incidents", st.Faint.Render(fmt.Sprintf("%d of %d", len(l.shown), len(l.all))), body, l.w, l.h, true)
}

// searchCmd looks the filter up in every incident's text, off the Update
// path: over a large repository a scan takes a few milliseconds.
func (l *Model) searchCmd() tea.Cmd {
	q := strings.TrimSpace(l.Filter.Value())
	l.searchSeq++
	if l.index == nil || len([]rune(q)) < 2 {
		return nil
	}
	idx, seq := l.index, l.searchSeq
	return func() tea.Msg { return SearchMsg{seq: seq, hits: idx.Search(q)} }
}

// matchLine says where the selected incident matched the filter when it was
// found in its text rather than its own fields.
func (l Model) matchLine(w int) string {
	if l.sel >= len(l.shown) || strings.TrimSpace(l.Filter.Value()) == "" {
		return ""
	}
	s := l.all[l.shown[l.sel]]
	h, ok := l.hits[s.Key()]
	if !ok || matches(s.Incident, strings.Fields(strings.ToLower(l.Filter.Value()))) {
		return ""
	}
	st := l.ctx.Styles
	return common.Fit(" "+st.Label.Render("found in "+h.Where+": ")+st.Muted.Render(incident.CleanLine(h.Snippet)), w)
}

// statsLine summarises the repository's trends in one line, the parts that
// fit: how many incidents, time to resolve, update cadence, open actions and
// the most frequent tags.
func (l Model) statsLine(w int) string {
	st := l.ctx.Styles
	s := l.stats
	if s == nil || s.Incidents == 0 {
		return ""
	}
	sep := st.Faint.Render(" · ")
	parts := []string{st.Muted.Render(fmt.Sprintf("%d %s, %d open", s.Incidents, common.Plural(s.Incidents, "incident", "incidents"), s.Open))}
	if s.TimeToResolve.Count > 0 {
		parts = append(parts, st.Label.Render("resolve ")+st.Text.Render("median "+s.TimeToResolve.Median+", p90 "+s.TimeToResolve.P90))
	}
	if s.UpdateCadence.Due > 0 {
		on := st.OK
		if s.UpdateCadence.Compliance < 0.8 {
			on = st.Warn
		}
		parts = append(parts, st.Label.Render("updates on time ")+on.Render(fmt.Sprintf("%.0f%%", 100*s.UpdateCadence.Compliance)))
	}
	if s.Actions.Open > 0 {
		a := st.Text.Render(fmt.Sprintf("%d open actions", s.Actions.Open))
		if s.Actions.Overdue > 0 {
			a += st.Error.Render(fmt.Sprintf(" (%d overdue)", s.Actions.Overdue))
		}
		parts = append(parts, a)
	}
	if len(s.Tags) > 0 {
		var tags []string
		for i, t := range s.Tags {
			if i == 3 {
				break
			}
			tags = append(tags, "#"+incident.CleanLine(t.Tag))
		}
		parts = append(parts, st.Label.Render("tags ")+st.Muted.Render(strings.Join(tags, " ")))
	}
	line := " "
	for i, p := range parts {
		next := p
		if i > 0 {
			next = sep + p
		}
		if lipgloss.Width(line+next) > w {
			break
		}
		line += next
	}
	return line
}

// row formats one incident. Id, severity, status and title always show;
// the time declared, the lead and the entry count join as width allows, so
// the title keeps at least 30 cells.
func (l Model) row(s store.Summary, selected bool, w int, now time.Time) string {
	st := l.ctx.Styles
	marker := " "
	if selected {
		marker = st.SelectionMarker.Render("▌")
	}
	const fixed = 1 + 9 + 6 + 14
	lead := s.Role(incident.RoleLead)
	if lead == "" {
		lead = "—"
	}
	opt := []struct {
		w    int
		text string
	}{
		{14, st.Faint.Render(common.Fit(common.ClockAt(s.Created, now)+" "+s.Created.Format("2 Jan"), 13))},
		{14, st.Muted.Render(common.Fit(incident.CleanLine(lead), 13))},
		{14, st.Faint.Render(fmt.Sprintf("%5d entries", s.EntryCount))},
	}
	room := w - fixed
	var tail string
	for _, o := range opt {
		if room-o.w >= 30 {
			room -= o.w
			tail += " " + o.text
		}
	}
	return marker + st.ID.Render(common.Fit(s.Key(), 8)) + " " +
		st.SeverityStyle(s.Severity).Render(s.Severity.String()) + "  " +
		st.StatusStyle(s.Status).Render(common.Fit(string(s.Status), 13)) + " " +
		st.Title.Render(common.Fit(incident.CleanLine(s.Title), room)) + tail
}

func (l Model) ShortHelp() []key.Binding {
	k := l.ctx.Keys
	if l.form != nil {
		return []key.Binding{k.NextField, k.CreateForm, common.WithHelp(k.Back, "cancel")}
	}
	b := []key.Binding{common.WithHelp(k.HistPrev, "move"), k.Open, k.New}
	if l.ctx.IncidentID != 0 {
		b = append(b, k.Back)
	}
	return b
}

func (l Model) FullHelp() [][]key.Binding {
	k := l.ctx.Keys
	return [][]key.Binding{{common.WithHelp(k.HistPrev, "move"), k.Open, k.New, k.Back}, {k.NextField, k.PrevField, k.CreateForm}}
}

// newForm declares an incident: title, severity and the two leads.
type newForm struct {
	ctx    *common.Context
	fields []textinput.Model
	labels []string
	focus  int
	err    string
}

func newNewForm(ctx *common.Context) *newForm {
	mk := func(placeholder, value string) textinput.Model {
		t := textinput.New()
		t.Prompt = ""
		t.Placeholder = placeholder
		t.SetValue(value)
		t.Cursor.SetMode(cursor.CursorStatic)
		t.PlaceholderStyle = ctx.Styles.Faint
		t.TextStyle = ctx.Styles.Text
		return t
	}
	f := &newForm{ctx: ctx,
		labels: []string{"Title", "Severity", "Resolution lead", "Communication lead"},
		fields: []textinput.Model{
			mk("what is broken, in a few words (e.g. Checkout payments failing)", ""),
			mk("1 (worst) to 4", "3"),
			mk("who finds the cause and coordinates the fix", ctx.Author),
			mk("who keeps stakeholders informed", ""),
		},
	}
	f.fields[0].Focus()
	return f
}

func (f *newForm) setWidth(w int) {
	for i := range f.fields {
		f.fields[i].Width = max(w-26, 1)
	}
}

func (f *newForm) move(d int) {
	f.fields[f.focus].Blur()
	f.focus = (f.focus + d + len(f.fields)) % len(f.fields)
	f.fields[f.focus].Focus()
}

// submit validates the form and returns the command that declares it.
func (f *newForm) submit() (tea.Cmd, error) {
	title := strings.TrimSpace(f.fields[0].Value())
	if title == "" {
		return nil, fmt.Errorf("the title is empty; describe the incident in a few words")
	}
	sev, err := incident.ParseSeverity(f.fields[1].Value())
	if err != nil {
		return nil, err
	}
	return createIncidentCmd(f.ctx, title, sev, strings.TrimSpace(f.fields[2].Value()), strings.TrimSpace(f.fields[3].Value())), nil
}

func (f *newForm) view(w int) []string {
	st := f.ctx.Styles
	var out []string
	for i, t := range f.fields {
		label := st.Label.Render(common.Fit(f.labels[i], 20))
		if i == f.focus {
			label = st.Prompt.Render(common.Fit(f.labels[i], 20))
		}
		out = append(out, " "+label+" "+t.View(), "")
	}
	if f.err != "" {
		out = append(out, " "+st.Error.Render("✗ "+incident.CleanLine(f.err)))
	} else {
		out = append(out, " "+st.Hint.Render("tab moves between fields · enter on the last field (or ctrl+s) declares · esc cancels"))
	}
	return out
}
