// Package list is the incident list: alerts waiting to be declared, open
// and past incidents, a filter that also searches every timeline, update
// and retro as you type, the trends across them, and the form that
// declares a new incident (or a pending alert, filled in from it).
package list

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

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
	// pending are the alerts waiting to be declared ([alerts] declare =
	// false), newest first; pend indexes the ones the filter lets
	// through. They come first in the list, before the open incidents:
	// sel counts pend's rows, then shown's.
	pending []store.PendingAlert
	pend    []int
	// dismissing asks before ctrl+x drops the selected pending alert.
	dismissing common.Question
	sel        int
	top        int
	loaded     bool
	stats      *export.Stats // trends across all incidents, once computed
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
	l.pend = l.pend[:0]
	for i, p := range l.pending {
		if matches(p.Form(), words) || matchesAlert(p, words) {
			l.pend = append(l.pend, i)
		}
	}
	l.sel = min(max(l.sel, 0), max(l.count()-1, 0))
}

// count is how many rows the list has: pending alerts, then incidents.
func (l *Model) count() int { return len(l.pend) + len(l.shown) }

// pendingAt is the pending alert on row i, if that row is one.
func (l *Model) pendingAt(i int) (store.PendingAlert, bool) {
	if i < 0 || i >= len(l.pend) {
		return store.PendingAlert{}, false
	}
	return l.pending[l.pend[i]], true
}

// incidentAt is the incident on row i, if that row is one.
func (l *Model) incidentAt(i int) (store.Summary, bool) {
	i -= len(l.pend)
	if i < 0 || i >= len(l.shown) {
		return store.Summary{}, false
	}
	return l.all[l.shown[i]], true
}

// matchesAlert tells whether every word is in a pending alert's name,
// source or the alerts that fired.
func matchesAlert(p store.PendingAlert, words []string) bool {
	all := strings.ToLower(strings.Join(append([]string{p.Origin.Name, p.Origin.Source, p.Origin.Receiver, "alert"}, p.Firing...), " "))
	for _, w := range words {
		if !strings.Contains(all, w) {
			return false
		}
	}
	return true
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
		// The selection stays on its row's incident or alert when the
		// list reloads under it (an alert arriving above it).
		keep := l.selectedKey()
		l.all, l.pending, l.loaded = msg.list, msg.pending, true
		l.refilter()
		l.reselect(keep)
		return l, nil
	case DismissedMsg:
		// Gone from the screen at once; the next reload agrees.
		keep := l.selectedKey()
		l.pending = slices.DeleteFunc(l.pending, func(p store.PendingAlert) bool { return p.ID == msg.id })
		l.refilter()
		l.reselect(keep)
		return l, func() tea.Msg {
			return common.StatusMsg{Text: "The alert " + incident.CleanLine(msg.name) + " was dismissed; it comes back if it fires again"}
		}
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
		if l.dismissing.Open() {
			ans := l.dismissing.Answer(l.ctx, msg, k.Confirm, k.Deny)
			if ans != common.NotAnswer {
				l.dismissing.Close(l.ctx)
			}
			if p, ok := l.pendingAt(l.sel); ans == common.Yes && ok {
				return l, dismissCmd(l.ctx, p)
			}
			return l, nil
		}
		switch {
		case key.Matches(msg, k.New, k.Open) && l.onPending():
			// A pending alert is declared through the form, filled in
			// from the alert: a person confirms or changes every field.
			p, _ := l.pendingAt(l.sel)
			l.form = newPendingForm(l.ctx, p)
			l.form.setWidth(l.w)
			l.Filter.Blur()
			return l, nil
		case key.Matches(msg, k.Dismiss) && l.onPending():
			return l, l.dismissing.Ask(l.ctx)
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
			if s, ok := l.incidentAt(l.sel); ok {
				find := ""
				if h, ok := l.hits[s.Key()]; ok && strings.HasPrefix(h.Where, "entry") {
					find = strings.TrimSpace(l.Filter.Value())
				}
				return l, func() tea.Msg { return common.OpenIncidentMsg{ID: s.ID, Find: find} }
			}
			return l, nil
		case msg.String() == "up" || msg.String() == "ctrl+p" || msg.String() == "ctrl+k":
			l.sel = max(l.sel-1, 0)
			return l, nil
		case msg.String() == "down" || msg.String() == "ctrl+j":
			l.sel = min(l.sel+1, max(l.count()-1, 0))
			return l, nil
		case key.Matches(msg, k.PageUp):
			l.sel = max(l.sel-l.rows(), 0)
			return l, nil
		case key.Matches(msg, k.PageDown):
			l.sel = min(l.sel+l.rows(), max(l.count()-1, 0))
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
	if l.form.discarding.Open() {
		ans := l.form.discarding.Answer(l.ctx, msg, k.Confirm, k.Deny)
		if ans != common.NotAnswer {
			l.form.discarding.Close(l.ctx)
		}
		if ans == common.Yes {
			l.form = nil
			l.Filter.Focus()
			return l, func() tea.Msg { return common.StatusMsg{Text: "The new incident was discarded"} }
		}
		return l, nil
	}
	switch {
	case key.Matches(msg, k.Back) && l.form.dirty():
		// What was typed is not dropped on one key.
		return l, l.form.discarding.Ask(l.ctx)
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
	cmd := l.form.edit(msg)
	l.form.err = ""
	return l, cmd
}

// onPending tells whether the selected row is a pending alert.
func (l *Model) onPending() bool {
	_, ok := l.pendingAt(l.sel)
	return ok
}

// selectedKey names the selected row's incident or alert, for reselect.
func (l *Model) selectedKey() string {
	if p, ok := l.pendingAt(l.sel); ok {
		return "alert:" + p.ID
	}
	if s, ok := l.incidentAt(l.sel); ok {
		return s.Key()
	}
	return ""
}

// reselect moves the selection back onto the row named key, if shown.
func (l *Model) reselect(key string) {
	if key == "" {
		return
	}
	for i := range l.count() {
		if p, ok := l.pendingAt(i); ok && "alert:"+p.ID == key {
			l.sel = i
			return
		}
		if s, ok := l.incidentAt(i); ok && s.Key() == key {
			l.sel = i
			return
		}
	}
}

// rows is how many incidents fit.
func (l Model) rows() int { return max(l.h-6, 1) }

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
