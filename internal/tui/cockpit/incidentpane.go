package cockpit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// incidentPane shows the incident's facts beside the timeline: roles,
// milestones with their times and the metrics they give, tags, ETA and the
// public update cadence. It takes no keys.
type incidentPane struct {
	ctx  *common.Context
	w, h int
}

// SetSize sets the outer size, borders included.
func (p *incidentPane) SetSize(w, h int) { p.w, p.h = w, h }

// metricFor names the metric a milestone closes, shown beside it.
var metricFor = map[incident.Milestone]string{
	incident.Detected:     "time to detect",
	incident.Acknowledged: "time to acknowledge",
	incident.Mitigated:    "time to mitigate",
	incident.MResolved:    "time to resolve",
}

// lines renders the pane's content at inner width w. When rows are short
// (the comms pane below it on a 24-row terminal) it drops the roles, which
// the header shows too, and the section titles, keeping milestones, metrics,
// ETA, cadence and tags.
func (p incidentPane) lines(w int) []string {
	var out []string
	for level := range 4 {
		out = p.content(level)
		if p.h == 0 || len(out) <= p.h-2 {
			break
		}
	}
	return out
}

// content renders the pane with less and less as level rises: 0 is all,
// 1 keeps only the two handbook roles, 2 drops the roles (the header has
// them), 3 drops the section titles too.
func (p incidentPane) content(level int) []string {
	compact := level >= 3
	st := p.ctx.Styles
	inc := p.ctx.Incident
	if inc == nil {
		return []string{st.Faint.Render(" loading…")}
	}
	now := p.ctx.Now()
	var out []string
	head := func(s string) {
		if !compact {
			out = append(out, " "+st.PaneTitle.Render(s))
		}
	}
	kv := func(k string, kw int, v string) {
		out = append(out, " "+st.Label.Render(common.Fit(k, kw))+" "+v)
	}

	if level < 2 {
		head("Roles")
		names := inc.RoleNames()
		for _, r := range []string{incident.RoleLead, incident.RoleComms} {
			if !slices.Contains(names, r) {
				kv(roleLabel(r), 12, st.Warn.Render("unassigned"))
			}
		}
		var others []string
		for _, r := range names {
			if level == 1 && r != incident.RoleLead && r != incident.RoleComms {
				others = append(others, incident.CleanLine(inc.Roles[r]))
				continue
			}
			kv(roleLabel(r), 12, st.Text.Render(incident.CleanLine(inc.Roles[r])))
		}
		if len(others) > 0 {
			kv("also", 12, st.Text.Render(strings.Join(others, ", ")))
		}
	}

	head("Milestones")
	metrics := map[string]incident.Metric{}
	for _, m := range incident.Metrics(inc.Milestones) {
		metrics[m.Name] = m
	}
	for _, m := range incident.Milestones {
		t := inc.Milestones[m]
		v := st.Faint.Render("—")
		if !t.IsZero() {
			v = st.Text.Render(common.ClockAt(t, now))
			if mt, ok := metrics[metricFor[m]]; ok && mt.Known {
				v += st.Faint.Render(fmt.Sprintf("  %s %s", abbrev(metricFor[m]), incident.FormatDuration(mt.Value)))
			}
		}
		kv(string(m), 12, v)
	}
	for _, bad := range incident.MilestonesOutOfOrder(inc.Milestones) {
		out = append(out, " "+st.Warn.Render("⚠ "+bad))
	}

	head("Plan")
	cad := inc.Cadence
	if cad <= 0 {
		cad = p.ctx.Policy().UpdateEvery
	}
	eta := st.Faint.Render("none · /eta HH:MM")
	if !inc.ETA.IsZero() {
		eta = st.Text.Render(common.ClockAt(inc.ETA, now))
		if inc.Open() && inc.ETA.Before(now) {
			eta = st.Warn.Render(common.ClockAt(inc.ETA, now) + " passed")
		}
	}
	kv("ETA", 12, eta)
	kv("updates", 12, st.Text.Render("every "+incident.FormatDuration(cad))+st.Faint.Render(fmt.Sprintf(" · %d published", len(inc.Updates))))
	tags := st.Faint.Render("none · /tag NAME")
	if len(inc.Tags) > 0 {
		ts := make([]string, len(inc.Tags))
		for i, t := range inc.Tags {
			ts[i] = "#" + incident.CleanLine(t)
		}
		tags = st.Accent.Render(strings.Join(ts, " "))
	}
	kv("tags", 12, tags)
	return out
}

// abbrev shortens a metric name to its initials: "time to detect" → "ttd".
func abbrev(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		b.WriteByte(w[0])
	}
	return b.String()
}

// naturalHeight is the height the pane needs to show everything.
func (p incidentPane) naturalHeight() int { return len(p.content(0)) + 2 }

// View draws the pane at its size.
func (p incidentPane) View() string {
	return common.Box(p.ctx.Styles, "Incident", "", p.lines(p.w-2), p.w, p.h, false)
}
