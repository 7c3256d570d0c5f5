package list

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

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
	// Overdue action items stay in sight after the review.
	badge := ""
	if n := len(s.Retro.OverdueActions(now)); n > 0 && room > 24 {
		b := fmt.Sprintf("%d overdue %s ", n, common.Plural(n, "action", "actions"))
		badge = st.Error.Render(b)
		room -= len(b)
	}
	return marker + st.ID.Render(common.Fit(s.Key(), 8)) + " " +
		st.SeverityStyle(s.Severity).Render(s.Severity.String()) + "  " +
		st.StatusStyle(s.Status).Render(common.Fit(string(s.Status), 13)) + " " +
		badge + st.Title.Render(common.Fit(incident.CleanLine(s.Title), room)) + tail
}

func (l Model) ShortHelp() []key.Binding {
	k := l.ctx.Keys
	if l.form != nil && l.form.discarding.Open() {
		return []key.Binding{common.WithHelp(k.Confirm, "discard")}
	}
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
