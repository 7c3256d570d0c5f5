package comms

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// commsLayout is how the inner rows are shared.
type commsLayout struct {
	draft, findings, updates int
}

// layout sizes the textarea for the current plan.
func (c *Pane) layout() {
	l := c.plan()
	c.Ta.SetWidth(max(c.w-2, 1))
	c.Ta.SetHeight(max(l.draft, 1))
}

// plan shares the inner height. After the row for the due time, rows go
// in order of what matters while writing: two rows of draft, the findings'
// summary, the latest published update, more draft (up to what it needs,
// six rows at most), up to three findings, every published update, every
// finding, the rest of the draft; what is left goes to the editor while
// editing and is blank at the bottom otherwise.
func (c *Pane) plan() commsLayout {
	iw, ih := max(c.w-2, 1), max(c.h-2, 0)
	rem := ih - 1
	if c.confirm.Open() || c.askTemplate.Open() || c.askChanged.Open() {
		// The question, and the row that says what its answers do.
		rem -= 2
	}
	rem = max(rem, 0)
	fAll, uAll := 0, 0
	if n := len(c.findings); n > 0 {
		fAll = 1 + n
	}
	if inc := c.ctx.Incident; inc != nil && len(inc.Updates) > 0 {
		uAll = 1 + len(inc.Updates)
	}
	need := max(len(c.wrapped(incident.CleanText(c.Text()), iw-1)), 2)
	if c.Editing {
		need++
	}
	var l commsLayout
	grow := func(field *int, upTo int) {
		n := min(max(upTo-*field, 0), rem)
		*field += n
		rem -= n
	}
	grow(&l.draft, 2)
	// The summary and at least the first finding, even at 80×24.
	grow(&l.findings, min(fAll, 2))
	if rem >= 2 {
		grow(&l.updates, min(uAll, 2))
	}
	grow(&l.draft, min(need, 6))
	grow(&l.findings, min(fAll, 4))
	grow(&l.updates, uAll)
	grow(&l.findings, fAll)
	grow(&l.draft, need)
	if c.Editing {
		// The editor takes the rest; otherwise it stays blank at the end.
		l.draft += rem
	}
	return l
}

// View draws the pane.
func (c *Pane) View() string {
	st := c.ctx.Styles
	iw := max(c.w-2, 1)
	inc := c.ctx.Incident
	if inc == nil {
		return common.Box(st, "Public update", "", []string{st.Faint.Render(" loading…")}, c.w, c.h, c.Focused)
	}
	if c.allFindings {
		return c.findingsView()
	}
	l := c.plan()
	cd := c.Countdown()
	var note string
	switch cd.State {
	case incident.CountdownOverdue:
		note = st.Error.Bold(true).Render(cd.Clock())
	case incident.CountdownSoon:
		// The glyph tells "soon" apart without colour (NO_COLOR).
		note = st.Warn.Bold(true).Render("⚠ " + cd.Clock())
	case incident.CountdownDone:
		note = st.OK.Render(cd.Clock())
	default:
		note = st.Bold.Render(cd.Clock())
	}

	var lines []string
	meta := ""
	if cd.State != incident.CountdownDone {
		meta = "next update due " + common.ClockAt(cd.Due, c.ctx.Now())
		if cd.Snoozed {
			meta += " · snoozed"
		}
	} else {
		meta = "resolution published"
		if !incident.PublishedResolution(inc) {
			meta = "resolved · publish the resolution when ready"
		}
	}
	switch {
	case c.publishing > 0:
		meta += " · publishing…"
	case c.Templated && c.replaced != "":
		meta += fitting(meta, iw-1, " · "+c.tmplLabel+" template · u undoes", " · template · u undoes")
	case c.Templated:
		// Which template, since the phase picks it (and drops the ETA
		// once a fix is in place); shorter where the pane is narrow.
		meta += fitting(meta, iw-1, " · draft from the "+c.tmplLabel+" template", " · "+c.tmplLabel+" draft")
	case c.Ta.Value() != c.synced:
		meta += " · saving…"
	}
	if who := common.EditorsNote(c.ctx, "draft"); who != "" {
		// First, where a narrow pane cannot cut it off.
		meta = who + " · " + meta
	}
	lines = append(lines, " "+st.Muted.Render(meta))

	if c.Editing {
		lines = append(lines, strings.Split(c.Ta.View(), "\n")...)
	} else {
		lines = append(lines, c.DraftLines(iw, l.draft)...)
	}
	for len(lines) < 1+l.draft {
		lines = append(lines, "")
	}
	lines = lines[:1+l.draft]

	if l.findings > 0 {
		n := len(c.findings)
		lines = append(lines, st.Warn.Render(fmt.Sprintf(" ⚠ %d unclear to customers:", n)))
		shown := l.findings - 1
		for i, f := range c.findings[:min(shown, n)] {
			s := fmt.Sprintf("  %q %s", f.Word, f.Why)
			if len(f.Suggest) > 0 {
				s += " → " + f.Suggest[0]
			}
			if i == shown-1 && n > shown {
				s = fmt.Sprintf("  … and %d more", n-shown+1)
			}
			lines = append(lines, st.Muted.Render(incident.CleanLine(s)))
		}
	}
	if c.confirm.Open() {
		lines = append(lines, st.Warn.Bold(true).Render(" Publish anyway?"),
			st.Warn.Render(common.Cut(c.confirm.Answers(c.ctx, " y/enter publishes · n/esc keeps editing"), iw)))
	}
	if c.askChanged.Open() {
		by := c.changedBy
		if by == "" {
			by = "Someone"
		}
		lines = append(lines, st.Warn.Bold(true).Render(common.Cut(" "+by+" changed it: publish as it is now?", iw)),
			st.Warn.Render(common.Cut(c.askChanged.Answers(c.ctx, " y/enter publishes it · n/esc keeps editing"), iw)))
	}
	if c.askTemplate.Open() {
		lines = append(lines, st.Warn.Bold(true).Render(common.Cut(" Replace your draft with the template?", iw)),
			st.Warn.Render(common.Cut(c.askTemplate.Answers(c.ctx, " y/enter replaces (u undoes) · n/esc keeps it"), iw)))
	}
	if l.updates > 0 {
		lines = append(lines, " "+st.PaneTitle.Render("Published"))
		lines = append(lines, c.updateLines(iw, l.updates-1)...)
	}
	// The countdown is the pane's reason to exist: in a narrow pane the
	// title gives way so the countdown always fits on the top edge.
	title := "Public update"
	for _, t := range []string{"Public update", "Update", ""} {
		title = t
		if 2+ansi.StringWidth(" "+t+" ")+ansi.StringWidth(note)+4 <= c.w {
			break
		}
	}
	return common.Box(st, title, note, lines, c.w, c.h, c.Focused)
}

// DraftLines renders the draft wrapped to w with jargon marked, in at most
// h rows.
func (c *Pane) DraftLines(w, h int) []string {
	st := c.ctx.Styles
	text := incident.CleanText(c.Text())
	if strings.TrimSpace(text) == "" {
		return []string{st.Faint.Render(" (empty) e writes the update")}
	}
	if lines, ok := c.drawnDraft(text, w, h); ok {
		return slices.Clone(lines)
	}
	base, mark := st.Text, st.Warn.Underline(true)
	if c.Templated {
		base = st.Muted
	}
	spans := c.wrapped(text, w-1)
	var out []string
	for i, sp := range spans {
		if i == h {
			break
		}
		var b strings.Builder
		b.WriteByte(' ')
		pos := sp[0]
		for _, f := range c.findings {
			if f.End <= pos || f.Start >= sp[1] {
				continue
			}
			s, e := max(f.Start, pos), min(f.End, sp[1])
			b.WriteString(base.Render(text[pos:s]))
			b.WriteString(mark.Render(text[s:e]))
			pos = e
		}
		b.WriteString(base.Render(text[pos:sp[1]]))
		line := b.String()
		if i == h-1 && len(spans) > h {
			line = common.Cut(line, w-1) + st.Faint.Render("…")
		}
		out = append(out, line)
	}
	c.keepDraft(text, w, h, slices.Clone(out))
	return out
}

// updateLines lists the published updates, newest last, as "HH:MM: text"
// with their delivery state, in at most h rows.
func (c *Pane) updateLines(w, h int) []string {
	st := c.ctx.Styles
	inc := c.ctx.Incident
	us := slices.Clone(inc.Updates)
	slices.SortStableFunc(us, func(a, b incident.Update) int { return a.At.Compare(b.At) })
	if len(us) > h {
		us = us[len(us)-h:]
	}
	now := c.ctx.Now()
	out := make([]string, 0, len(us))
	for _, u := range us {
		mark := deliveryMark(st, u)
		text := " " + st.Time.Render(common.ClockAt(u.At, now)+":") + " " + st.Text.Render(incident.CleanLine(u.Text))
		out = append(out, common.Spread(text, " "+mark, w))
	}
	return out
}

// deliveryMark sums up where an update went: ✓ sent, ✗ failed, ? unknown
// (it may have arrived), … pending.
func deliveryMark(st *common.Styles, u incident.Update) string {
	if u.Backfilled {
		return st.Faint.Render("backfilled")
	}
	var failed, unknown, pending, sent, copied int
	for _, d := range u.Delivery {
		switch d.State {
		case incident.DeliveryFailed:
			failed++
		case incident.DeliveryUnknown:
			unknown++
		case incident.DeliveryPending:
			pending++
		case incident.DeliverySent:
			sent++
		case incident.DeliveryCopied:
			copied++
		}
	}
	switch {
	case failed > 0:
		return st.Error.Render("✗ failed · r")
	case unknown > 0:
		return st.Warn.Render("? unknown — may have arrived · r")
	case pending > 0:
		return st.Warn.Render("… sending")
	case sent > 0:
		return st.OK.Render("✓ sent")
	case copied > 0:
		return st.Faint.Render("copied")
	}
	return ""
}

// findingsView is the whole pane given to the jargon findings (f), one
// per row, scrolled with j/k: every word a stakeholder may not follow, why,
// and what to say instead.
func (c *Pane) findingsView() string {
	st := c.ctx.Styles
	iw, ih := max(c.w-2, 1), max(c.h-2, 0)
	n := len(c.findings)
	rows := make([]string, 0, n)
	for _, f := range c.findings {
		s := fmt.Sprintf(" %q %s", f.Word, f.Why)
		if len(f.Suggest) > 0 {
			s += " → " + strings.Join(f.Suggest, ", ")
		}
		rows = append(rows, st.Muted.Render(common.Cut(incident.CleanLine(s), iw)))
	}
	if n == 0 {
		rows = append(rows, st.OK.Render(" No jargon found: plain words throughout."))
	}
	top := max(min(c.findingsTop, len(rows)-ih), 0)
	end := min(top+ih, len(rows))
	note := st.Faint.Render(fmt.Sprintf("%d–%d of %d · j/k · f closes", min(top+1, n), end, n))
	return common.Box(st, "Jargon", note, rows[top:end], c.w, c.h, c.Focused)
}

// fitting returns the first of tails that fits after meta in w columns,
// else the last.
func fitting(meta string, w int, tails ...string) string {
	for _, t := range tails {
		if ansi.StringWidth(meta+t) <= w {
			return t
		}
	}
	return tails[len(tails)-1]
}
