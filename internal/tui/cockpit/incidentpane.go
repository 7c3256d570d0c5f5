package cockpit

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// incidentPane shows the incident's facts beside the timeline: roles,
// milestones with their times and the metrics they give, tags, ETA and the
// public update cadence. Focused (tab), its rows are selectable with j/k
// and the selected one shows whole, so a cut tag list or role reads in
// full.
type incidentPane struct {
	ctx     *common.Context
	w, h    int
	focused bool
	// sel is the selected row among the content's rows (headings are
	// skipped).
	sel int
	// memo keeps the pane last drawn: it changes with the incident's
	// head, not with every second of the clock (see View).
	memo *paneMemo
}

// paneMemo is a pane's last view and what it was drawn from.
// sharedPaneKey is a pane's key in the room's memo.
type sharedPaneKey struct {
	look common.Look
	pane incidentPaneKey
}

type paneMemo struct {
	key  incidentPaneKey
	view string
}

// incidentPaneKey is everything the incident pane's view depends on. The
// incident counts by the facts the pane shows (paneFacts), not by its copy:
// every line logged brings a new copy with the same facts. The clock
// counts by the minute in the session's zone (times show as HH:MM, and the
// day they fall on), except for whether the ETA has passed, which is kept
// exact.
type incidentPaneKey struct {
	facts     string
	zone      string
	w, h, sel int
	focused   bool
	minute    int64
	etaPassed bool
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
	if p.focused {
		return p.focusedLines(w)
	}
	var out []string
	for level := range 4 {
		out, _ = p.content(level)
		if p.h == 0 || len(out) <= p.h-2 {
			break
		}
	}
	return out
}

// focusedLines shows everything (every role on its own row), scrolled to
// the selected row, which is drawn whole: wrapped under its value column.
func (p incidentPane) focusedLines(w int) []string {
	st := p.ctx.Styles
	rows, heads, whole := p.rows(0)
	var out []string
	selAt, selH := 0, 0
	for i, r := range rows {
		if i != p.sel || heads[i] {
			out = append(out, r)
			continue
		}
		selAt = len(out)
		parts := common.Wrap(whole[i], max(w-3, 8))
		selH = len(parts)
		for j, part := range parts {
			if j > 0 {
				part = "  " + part
			}
			out = append(out, st.Selected.Render(common.Fit(" "+part, w)))
		}
	}
	// Scrolled just enough to show the selected row whole.
	top := 0
	if room := max(p.h-2, 1); selAt+selH > room {
		top = min(selAt+selH-room, selAt)
	}
	return out[top:]
}

// selectable reports which rows j/k stop on.
func (p incidentPane) selectable() []bool {
	_, heads := p.content(0)
	out := make([]bool, len(heads))
	for i, h := range heads {
		out[i] = !h
	}
	return out
}

// move selects the row n selectable rows away.
func (p *incidentPane) move(n int) {
	ok := p.selectable()
	if len(ok) == 0 {
		return
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	i := min(max(p.sel, 0), len(ok)-1)
	for ; n > 0; n-- {
		j := i + step
		for j >= 0 && j < len(ok) && !ok[j] {
			j += step
		}
		if j < 0 || j >= len(ok) {
			break
		}
		i = j
	}
	p.sel = i
}

// setFocused moves the keyboard to or from the pane; focusing selects the
// first row.
func (p *incidentPane) setFocused(f bool) {
	if f && !p.focused {
		p.sel = -1
		p.move(1)
	}
	p.focused = f
}

// Update handles keys while the pane is focused.
func (p *incidentPane) Update(km tea.KeyMsg) {
	k := p.ctx.Keys
	switch {
	case key.Matches(km, k.Up):
		p.move(-1)
	case key.Matches(km, k.Down):
		p.move(1)
	case key.Matches(km, k.Top):
		p.move(-len(p.selectable()))
	case key.Matches(km, k.Bottom):
		p.move(len(p.selectable()))
	}
}

// content renders the pane with less and less as level rises: 0 is all,
// 1 keeps only the two handbook roles, 2 drops the roles (the header has
// them), 3 drops the section titles too.
func (p incidentPane) content(level int) (out []string, heads []bool) {
	out, heads, _ = p.rows(level)
	return out, heads
}

// rows is content with each row's whole text too (label uncut), for the
// selected row of the focused pane.
func (p incidentPane) rows(level int) (out []string, heads []bool, whole []string) {
	compact := level >= 3
	st := p.ctx.Styles
	inc := p.ctx.Incident
	if inc == nil {
		return []string{st.Faint.Render(" loading…")}, []bool{true}, []string{"loading…"}
	}
	now := p.ctx.Now()
	// Rows added directly (warnings) are their own whole text.
	sync := func() {
		for len(heads) < len(out) {
			whole = append(whole, strings.TrimSpace(ansi.Strip(out[len(heads)])))
			heads = append(heads, false)
		}
	}
	defer sync()
	head := func(s string) {
		if !compact {
			sync()
			out = append(out, " "+st.PaneTitle.Render(s))
			heads = append(heads, true)
			whole = append(whole, s)
		}
	}
	kv := func(k string, kw int, v string) {
		sync()
		out = append(out, " "+st.Label.Render(common.Fit(k, kw))+" "+v)
		heads = append(heads, false)
		whole = append(whole, k+": "+strings.TrimSpace(ansi.Strip(v)))
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
	if a := inc.Alert; a != nil {
		// Where it came from, whole when the pane is focused: the dedup
		// key is what later payloads of the alert are matched by.
		v := st.Warn.Render(incident.CleanLine(firstNonEmpty(a.Name, a.Key))) + st.Faint.Render(" · "+incident.CleanLine(a.Source))
		if a.Receiver != "" {
			v += st.Faint.Render(" · " + incident.CleanLine(a.Receiver))
		}
		if a.Name != "" && a.Key != "" {
			v += st.Faint.Render(" · key " + incident.CleanLine(a.Key))
		}
		kv("from alert", 12, v)
	}
	return out, heads, whole
}

// abbrev shortens a metric name to its initials: "time to detect" → "ttd".
func abbrev(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		b.WriteByte(w[0])
	}
	return b.String()
}

// paneFacts is everything of the incident that rows shows, as one
// comparable value: the roles, milestones, ETA, cadence (the policy's when
// unset), how many updates were published, tags, the alert it came from
// and whether it is open. Times go in as instants: the pane shows them in
// the session's zone, which the key names apart. "" is no incident.
// Whatever rows comes to show of the incident must be added here, or the
// pane would keep showing the old value (TestIncidentPaneFollowsEachFact).
func paneFacts(inc *incident.Incident, every time.Duration) string {
	if inc == nil {
		return ""
	}
	var f factsKey
	field, instant := f.field, f.instant
	for _, r := range inc.RoleNames() {
		field(r)
		field(inc.Roles[r])
	}
	field("\x01")
	for _, m := range incident.Milestones {
		if t := inc.Milestones[m]; !t.IsZero() {
			field(string(m))
			instant(t)
		}
	}
	field("\x01")
	if inc.ETA.IsZero() {
		field("")
	} else {
		instant(inc.ETA)
	}
	cad := inc.Cadence
	if cad <= 0 {
		cad = every
	}
	field(strconv.FormatInt(int64(cad), 36))
	field(strconv.Itoa(len(inc.Updates)))
	field(strconv.FormatBool(inc.Open()))
	for _, t := range inc.Tags {
		field(t)
	}
	field("\x01")
	if a := inc.Alert; a != nil {
		field(a.Source)
		field(a.Name)
		field(a.Key)
		field(a.Receiver)
	}
	return f.String()
}

// factsKey builds a pane's facts (paneFacts, headerFacts): each field
// after its length, so that no two lists of fields make the same key
// whatever the text holds.
type factsKey struct{ strings.Builder }

func (f *factsKey) field(s string) {
	f.WriteString(strconv.Itoa(len(s)))
	f.WriteByte(':')
	f.WriteString(s)
}

func (f *factsKey) instant(t time.Time) { f.field(instantKey(t)) }

// instantKey names an instant for a facts key: whatever its zone, and
// the zero time and times far from now included (UnixNano covers only
// about 1678 to 2262).
func instantKey(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.Unix(), 36) + "." + strconv.Itoa(t.Nanosecond())
}

// key is what the pane's view at this moment is drawn from.
func (p incidentPane) key() incidentPaneKey {
	now := p.ctx.Now()
	inc := p.ctx.Incident
	key := incidentPaneKey{facts: paneFacts(inc, p.ctx.Policy().UpdateEvery), zone: now.Location().String(),
		w: p.w, h: p.h, sel: p.sel, focused: p.focused, minute: now.Unix() / 60}
	if inc != nil {
		key.etaPassed = !inc.ETA.IsZero() && inc.ETA.Before(now)
	}
	return key
}

// naturalHeight is the height the pane needs to show everything: laid
// out again after every change of what it shows, once for the room
// (common.Memo).
func (p incidentPane) naturalHeight() int {
	key := p.key()
	key.h, key.sel, key.focused = 0, 0, false
	hk := paneHeightKey{look: p.ctx.Styles.Look(), pane: key}
	if v, ok := p.ctx.Memo.Get(hk); ok && key.facts != "" {
		return v.(int)
	}
	rows, _ := p.content(0)
	p.ctx.Memo.Put(hk, len(rows)+2)
	return len(rows) + 2
}

// paneHeightKey is what the incident pane's natural height depends on:
// its key at no particular height, selection or focus.
type paneHeightKey struct {
	look common.Look
	pane incidentPaneKey
}

// View draws the pane at its size: the same facts, size, selection and
// minute draw the same pane.
func (p incidentPane) View() string {
	key := p.key()
	if p.memo != nil && p.memo.key == key && key.facts != "" {
		return p.memo.view
	}
	// Another session of the room may have drawn the same.
	shared := sharedPaneKey{look: p.ctx.Styles.Look(), pane: key}
	v, ok := p.ctx.Memo.Get(shared)
	if !ok || key.facts == "" {
		v = common.Box(p.ctx.Styles, "Incident", "", p.lines(p.w-2), p.w, p.h, p.focused)
		p.ctx.Memo.Put(shared, v)
	}
	if p.memo != nil {
		*p.memo = paneMemo{key: key, view: v.(string)}
	}
	return v.(string)
}

// ShortHelp lists the pane's keys.
func (p incidentPane) ShortHelp() []key.Binding {
	k := p.ctx.Keys
	return []key.Binding{common.WithHelp(k.Up, "select row"), k.Top, common.WithHelp(k.Back, "capture")}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
