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
		title := "Declare an incident"
		if p := l.form.pending; p != nil {
			title = "Declare the alert " + incident.CleanLine(firstNonEmpty(p.Origin.Name, p.Origin.Key))
		}
		return common.Box(st, title, "", body[2:], l.w, l.h, true)
	}
	switch {
	case !l.loaded:
		body = append(body, st.Faint.Render(" loading…"))
	case len(l.all) == 0 && len(l.pending) == 0:
		body = append(body, st.Muted.Render(" No incidents yet. Press ctrl+n to declare one."))
	case l.count() == 0:
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
	np := len(l.pend)
	for i := top; i < l.count() && i < top+vr; i++ {
		if i == 0 && np > 0 {
			body = append(body, " "+st.PaneTitle.Render(fmt.Sprintf("Pending alerts (%d)", np))+st.Faint.Render(" · enter or ctrl+n declares · ctrl+x dismisses"))
		}
		if i == np && l.nOpen > 0 {
			body = append(body, " "+st.PaneTitle.Render(fmt.Sprintf("Open (%d)", l.nOpen)))
		}
		if i == np+l.nOpen && i < l.count() {
			body = append(body, " "+st.PaneTitle.Render(fmt.Sprintf("Past (%d)", len(l.shown)-l.nOpen)))
		}
		var line string
		if p, ok := l.pendingAt(i); ok {
			line = l.pendingRow(p, i == l.sel, inner, now)
		} else {
			s, _ := l.incidentAt(i)
			line = l.row(s, i == l.sel, inner, now)
		}
		line = common.Fit(line, inner)
		if i == l.sel {
			line = st.Selected.Render(line)
		}
		body = append(body, line)
	}
	if l.dismissing.Open() {
		if p, ok := l.pendingAt(l.sel); ok {
			body = append(body, " "+st.Warn.Bold(true).Render("Dismiss the alert "+incident.CleanLine(firstNonEmpty(p.Origin.Name, p.Declare.Title))+"?"+l.dismissing.Answers(l.ctx, " y/enter dismisses it (it comes back if it fires again) · n/esc keeps it")))
		}
	}
	count := fmt.Sprintf("%d of %d", len(l.shown), len(l.all))
	if len(l.pending) > 0 {
		count = fmt.Sprintf("%d pending · ", len(l.pending)) + count
	}
	return common.Box(st, "Incidents", st.Faint.Render(count), body, l.w, l.h, true)
}

// matchLine says where the selected incident matched the filter when it was
// found in its text rather than its own fields.
func (l Model) matchLine(w int) string {
	if l.sel >= len(l.shown) || strings.TrimSpace(l.Filter.Value()) == "" {
		return ""
	}
	s, ok := l.incidentAt(l.sel)
	if !ok {
		return ""
	}
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

// pendingRow formats one pending alert: its mark, the severity and title
// it would be declared with, where it came from, how many alerts fire and
// when it first arrived.
func (l Model) pendingRow(p store.PendingAlert, selected bool, w int, now time.Time) string {
	st := l.ctx.Styles
	marker := " "
	if selected {
		marker = st.SelectionMarker.Render("▌")
	}
	state := fmt.Sprintf("%d firing", len(p.Firing))
	stateStyle := st.Warn
	if p.Resolved {
		state, stateStyle = "resolved", st.OK
	}
	from := incident.CleanLine(p.Origin.Source)
	if p.Origin.Name != "" {
		from = incident.CleanLine(p.Origin.Name) + " · " + from
	}
	tail := " " + st.Faint.Render(common.Fit(common.ClockAt(p.Received, now), 13))
	const fixed = 1 + 9 + 6 + 14
	room := w - fixed - 14
	fromW := min(max(room-30, 0), lipgloss.Width(from)+1)
	title := st.Title.Render(common.Fit(incident.CleanLine(p.Declare.Title), room-fromW))
	if fromW > 0 {
		title += st.Muted.Render(common.Fit(" "+from, fromW))
	}
	return marker + st.Warn.Bold(true).Render(common.Fit(common.AlertMark+" alert", 8)) + " " +
		st.SeverityStyle(p.Declare.Severity).Render(p.Declare.Severity.String()) + "  " +
		stateStyle.Render(common.Fit(state, 13)) + " " + title + tail
}

func (l Model) ShortHelp() []key.Binding {
	k := l.ctx.Keys
	if l.dismissing.Open() {
		return []key.Binding{common.WithHelp(k.Confirm, "dismiss"), common.WithHelp(k.Deny, "keep")}
	}
	if l.form != nil && l.form.discarding.Open() {
		return []key.Binding{common.WithHelp(k.Confirm, "discard")}
	}
	if l.onPending() && l.form == nil {
		return []key.Binding{common.WithHelp(k.HistPrev, "move"), common.WithHelp(k.Open, "declare"), k.Dismiss}
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
	return [][]key.Binding{{common.WithHelp(k.HistPrev, "move"), k.Open, k.New, k.Dismiss, k.Back}, {k.NextField, k.PrevField, k.CreateForm}}
}
