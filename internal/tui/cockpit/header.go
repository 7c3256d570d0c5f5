package cockpit

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// HeaderHeight is the rows the cockpit header takes.
const HeaderHeight = 2

// headerView draws the incident's identity and state: id, severity, title,
// status and the live elapsed time on the first row; roles, channels and the
// ETA on the second.
func headerView(ctx *common.Context, w int) string {
	return drawHeader(ctx, w, nil)
}

// headerParts are the header as last drawn whole, but for the running
// clock: what the clock's frames draw it from (clock.go).
type headerParts struct {
	// left, status, label and zone are the first row's parts around
	// the clock; line2 is the second row, and clock2 the plain text of
	// what in it follows the clock (the ETA's and the retro's times).
	left, status, label, zone string
	line2, clock2             string
	ok                        bool
}

// drawHeader draws the header, and keeps its parts in parts when given.
func drawHeader(ctx *common.Context, w int, parts *headerParts) string {
	st := ctx.Styles
	inc := ctx.Incident
	if parts != nil {
		parts.ok = false
	}
	if inc == nil {
		return common.Fit(st.Faint.Render(" loading…"), w) + "\n" + common.Fit("", w)
	}
	now := ctx.Now()

	left := " " + st.ID.Render(inc.Key()) + "  " + st.SeverityStyle(inc.Severity).Render(inc.Severity.String()) + "  " + st.Title.Render(incident.CleanLine(inc.Title))
	status := st.StatusStyle(inc.Status).Render(strings.ToUpper(string(inc.Status)))
	label := st.Label.Render("elapsed ")
	// The header names the zone every time on screen is in.
	zone := st.Faint.Render(" " + ctx.Zone)
	line1 := headerLine1(ctx, inc, now, w, left, status, label, zone)

	// The two leads come first; more roles follow who is in the room,
	// since the incident pane lists every role whole and the room changes.
	var leads, others []string
	for _, r := range inc.RoleNames() {
		part := st.Label.Render(roleLabel(r)+" ") + st.Text.Render(incident.CleanLine(inc.Roles[r]))
		if r == incident.RoleLead || r == incident.RoleComms {
			leads = append(leads, part)
		} else {
			others = append(others, part)
		}
	}
	if len(leads) == 0 && len(others) == 0 {
		leads = append(leads, st.Warn.Render("no resolution lead: /lead NAME"))
	}
	if len(leads) == 0 {
		leads, others = others[:1], others[1:]
	}
	roles := strings.Join(leads, st.Faint.Render(" · "))
	var ch []string
	if from := alertOriginView(ctx, inc); from != "" {
		ch = append(ch, from)
	}
	if inc.WarRoom != "" {
		ch = append(ch, st.Label.Render("war room ")+st.Muted.Render(incident.CleanLine(inc.WarRoom)))
	}
	if inc.PublicChannel != "" {
		ch = append(ch, st.Label.Render("public ")+st.Muted.Render(incident.CleanLine(inc.PublicChannel)))
	}
	eta := st.Label.Render("ETA ") + st.Faint.Render("none")
	at, rel, late := etaText(inc, now)
	if at != "" {
		es := st.Text
		if late {
			es = st.Warn
		}
		eta = st.Label.Render("ETA ") + es.Render(at) + st.Faint.Render(" ("+rel+")")
	}
	if retro := retroDueView(ctx, inc, now); retro != "" {
		eta = retro
	}
	left2 := " " + roles
	right2 := "  " + eta + " "
	// Who is in the room, once there is someone besides this person, goes
	// after the two leads and before the other roles and the channels
	// (they are set once and can be looked up; the room changes): in what
	// the row has left beside the leads and ETA.
	sep := " · "
	if room := ctx.Room(); len(room) > 1 {
		if here := roomView(ctx, room, w-lipgloss.Width(left2)-lipgloss.Width(right2)-3); here != "" {
			left2 += st.Faint.Render("   ") + here
			sep = "   "
		}
	}
	if len(others) > 0 {
		left2 += st.Faint.Render(sep) + strings.Join(others, st.Faint.Render(" · "))
	}
	if len(ch) > 0 {
		left2 += st.Faint.Render("   ") + strings.Join(ch, st.Faint.Render(" · "))
	}
	line2 := common.Spread(left2, right2, w)
	if parts != nil {
		*parts = headerParts{left: left, status: status, label: label, zone: zone, line2: line2, clock2: headerClock2(ctx, inc, now), ok: true}
	}
	return line1 + "\n" + line2
}

// headerFacts is everything of the incident that drawHeader shows, as one
// comparable value: its number, severity, title and status, the roles, the
// alert it came from, the war room and public channel, the ETA, the
// retro's status and due time, the milestones the elapsed time runs from
// and to, when it was declared, and when it last changed once resolved
// without a resolved milestone (the elapsed time ends there). Times go in
// as instants; the key names the zone apart. "" is no incident. Whatever
// drawHeader comes to show of the incident must be added here, or the
// header would keep the old value (TestHeaderFollowsEachFact).
func headerFacts(inc *incident.Incident) string {
	if inc == nil {
		return ""
	}
	var f factsKey
	field, instant := f.field, f.instant
	field(strconv.FormatInt(inc.ID, 10))
	field(inc.Severity.String())
	field(inc.Title)
	field(string(inc.Status))
	for _, r := range inc.RoleNames() {
		field(r)
		field(inc.Roles[r])
	}
	field("\x01")
	if a := inc.Alert; a != nil {
		field(a.Source)
		field(a.Name)
		field(a.Key)
	}
	field("\x01")
	field(inc.WarRoom)
	field(inc.PublicChannel)
	instant(inc.ETA)
	field(string(inc.Retro.Status))
	instant(inc.Retro.Due)
	instant(inc.Milestones[incident.Started])
	instant(inc.Milestones[incident.MResolved])
	instant(inc.Created)
	if inc.Status == incident.Resolved && inc.Milestones[incident.MResolved].IsZero() {
		instant(inc.Updated)
	}
	return f.String()
}

// headerLine1 is the header's first row from its parts and the clock.
func headerLine1(ctx *common.Context, inc *incident.Incident, now time.Time, w int, left, status, label, zone string) string {
	right := status + "  " + elapsedView(ctx, inc, now, label) + zone + " "
	return common.Spread(left, "  "+right, w)
}

// clockHeader draws the header from parts, the header last drawn whole,
// after a tick of the clock that changed nothing else: the first row
// with the clock moved on, the second as it was unless its times moved
// too. Parts are drawn anew when they do not serve.
func clockHeader(ctx *common.Context, w int, parts *headerParts) string {
	inc := ctx.Incident
	if inc == nil || !parts.ok {
		return drawHeader(ctx, w, parts)
	}
	now := ctx.Now()
	if headerClock2(ctx, inc, now) != parts.clock2 {
		return drawHeader(ctx, w, parts)
	}
	return headerLine1(ctx, inc, now, w, parts.left, parts.status, parts.label, parts.zone) + "\n" + parts.line2
}

// headerClock2 is the plain text of what in the header's second row
// follows the clock: the ETA's time and how far off it is, the retro's.
func headerClock2(ctx *common.Context, inc *incident.Incident, now time.Time) string {
	at, rel, late := etaText(inc, now)
	kind, a, b := retroDueText(ctx, inc, now)
	return fmt.Sprint(at, "\x00", rel, "\x00", late, "\x00", kind, "\x00", a, "\x00", b)
}

// etaText is the ETA's time and how far off it is ("in 35m", "10m ago"),
// and whether it has passed; "" when there is none.
func etaText(inc *incident.Incident, now time.Time) (at, rel string, late bool) {
	if inc.ETA.IsZero() {
		return "", "", false
	}
	d := inc.ETA.Sub(now)
	rel = "in " + incident.FormatDuration(d)
	if d < 0 {
		rel = incident.FormatDuration(-d) + " ago"
	}
	return common.ClockAt(inc.ETA, now), rel, d < 0
}

// alertOriginView says where an incident an alert declared came from:
// "from alert payments-5xx · alertmanager" ("" for one a person declared).
func alertOriginView(ctx *common.Context, inc *incident.Incident) string {
	a := inc.Alert
	if a == nil {
		return ""
	}
	st := ctx.Styles
	return st.Label.Render("from alert ") + st.Warn.Render(incident.CleanLine(firstNonEmpty(a.Name, a.Key))) + st.Faint.Render(" · "+incident.CleanLine(a.Source))
}

// roomView is "here amara, ben, chen" in at most w columns, ending in
// "+N" for the names that do not fit; "" when not even one fits. Each name
// is measured once, so a room of 50 costs 50 measurements, not 50².
func roomView(ctx *common.Context, room []string, w int) string {
	st := ctx.Styles
	const label = "here "
	names := make([]string, len(room))
	// used[n] is the width of the first n names joined by ", ".
	used := make([]int, len(room)+1)
	for i, r := range room {
		names[i] = incident.CleanLine(r)
		used[i+1] = used[i] + ansi.StringWidth(names[i])
		if i > 0 {
			used[i+1] += 2
		}
	}
	for n := len(room); n > 0; n-- {
		more := ""
		if n < len(room) {
			more = fmt.Sprintf(" +%d", len(room)-n)
		}
		if len(label)+used[n]+len(more) <= w {
			return st.Label.Render(label) + st.Muted.Render(strings.Join(names[:n], ", ")+more)
		}
	}
	return ""
}

// retroDueView replaces the ETA once the incident is resolved: the handbook
// wants the retro within a couple of hours, so the header counts down to its
// due time and turns red when it has passed.
func retroDueView(ctx *common.Context, inc *incident.Incident, now time.Time) string {
	st := ctx.Styles
	switch kind, a, b := retroDueText(ctx, inc, now); kind {
	case retroFinal:
		return st.Label.Render("retro ") + st.OK.Render("final")
	case retroOverdue:
		return st.Label.Render("retro ") + st.Error.Render("OVERDUE +"+a) + st.Faint.Render(" (due "+b+")")
	case retroDue:
		return st.Label.Render("retro due ") + st.Text.Render(a) + st.Faint.Render(" (in "+b+")")
	}
	return ""
}

// What the header says of the retro.
const (
	retroNone = iota
	retroFinal
	retroOverdue
	retroDue
)

// retroDueText is what the header says of the retro, as plain text: for
// retroOverdue how late and the due time, for retroDue the due time and
// how far off.
func retroDueText(ctx *common.Context, inc *incident.Incident, now time.Time) (kind int, a, b string) {
	if inc.Retro.Status == incident.RetroFinal {
		return retroFinal, "", ""
	}
	due, ok := incident.RetroDue(inc, ctx.Policy())
	if !ok || inc.Status != incident.Resolved {
		return retroNone, "", ""
	}
	if late, overdue := incident.RetroOverdue(inc, ctx.Policy(), now); overdue {
		return retroOverdue, incident.FormatDuration(late), common.ClockAt(due, now)
	}
	return retroDue, common.ClockAt(due, now), incident.FormatDuration(due.Sub(now))
}

// elapsedView is the running time since impact began (or the incident was
// declared), frozen once resolved; label is "elapsed " as styled.
func elapsedView(ctx *common.Context, inc *incident.Incident, now time.Time, label string) string {
	st := ctx.Styles
	from := inc.Milestones[incident.Started]
	if from.IsZero() {
		from = inc.Created
	}
	if inc.Status == incident.Resolved {
		end := inc.Milestones[incident.MResolved]
		if end.IsZero() {
			end = inc.Updated
		}
		return st.Muted.Render("lasted " + incident.FormatDuration(end.Sub(from)))
	}
	return label + st.Bold.Render(hms(now.Sub(from)))
}

// hms renders a duration as H:MM:SS, or Dd HH:MM:SS past a day.
func hms(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	days := s / 86400
	s %= 86400
	if days > 0 {
		return fmt.Sprintf("%dd %02d:%02d:%02d", days, s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// roleLabel shortens the handbook's role names for the header.
func roleLabel(r string) string {
	switch r {
	case incident.RoleLead:
		return "lead"
	case incident.RoleComms:
		return "comms"
	}
	return incident.CleanLine(r)
}
