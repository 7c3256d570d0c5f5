package retro

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// retroActions edits the follow-up actions as a table: title, immediate or
// long-term, owner, due date, status and link. Overdue ones are shown in
// red.
type retroActions struct {
	ctx  *common.Context
	keys *common.RetroKeys
	r    *incident.Retro
	sel  int
	Form *retroForm
	// editing is the uid of the action the form edits, "" when adding, and
	// base the action as it was when the form opened.
	editing string
	base    incident.Action
	confirm common.Question
	w, h    int
}

func (v *retroActions) setRetro(r *incident.Retro) {
	v.r = r
	v.sel = max(min(v.sel, len(r.Actions)-1), 0)
}

func (v retroActions) typing() bool { return v.Form != nil || v.confirm.Open() }

func (v *retroActions) selected() (incident.Action, bool) {
	if v.sel < 0 || v.sel >= len(v.r.Actions) {
		return incident.Action{}, false
	}
	return v.r.Actions[v.sel], true
}

var actionLabels = []string{"Title", "Kind", "Owner", "Due", "Link", "Addresses"}

var actionPlaceholders = []string{
	"what will be done",
	"immediate or long-term",
	"who does it",
	"YYYY-MM-DD, +3d, +2w or HH:MM",
	"ticket or document URL",
	"f1 for factor 1, w2 for why 2, or empty",
}

func (v *retroActions) openForm(a incident.Action, editing bool) {
	title := "New action"
	values := []string{"", string(incident.Immediate), "", "", "", ""}
	v.editing = ""
	if editing {
		title = "Edit action"
		due := ""
		if !a.Due.IsZero() {
			due = a.Due.In(v.ctx.Now().Location()).Format(incident.DueLayout)
		}
		values = []string{a.Title, string(a.Kind), a.Owner, due, a.Link, v.r.AddressCode(a.Addresses)}
		v.editing = a.UID
		v.base = a
	}
	v.Form = newRetroForm(v.ctx, v.keys, title, actionLabels, actionPlaceholders, values).choices(1)
	v.Form.setWidth(v.w)
}

func (v retroActions) update(msg tea.Msg) (retroActions, tea.Cmd) {
	if took, submit, cmd := stepForm(&v.Form, msg); took {
		if submit {
			return v.submit()
		}
		return v, cmd
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	k := v.keys
	if v.confirm.Open() {
		ans := v.confirm.Answer(v.ctx, km, k.Confirm, k.Cancel)
		if ans != common.NotAnswer {
			v.confirm.Close(v.ctx)
		}
		if a, ok := v.selected(); ok && ans == common.Yes {
			uid := a.UID
			return v, retroWriteCmd(v.ctx, "Action deleted", func(r *incident.Retro, author string, now time.Time) error {
				return incident.DeleteAction(r, uid, author, now)
			})
		}
		return v, nil
	}
	a, have := v.selected()
	switch {
	case key.Matches(km, k.Up):
		v.sel = max(v.sel-1, 0)
	case key.Matches(km, k.Down):
		v.sel = max(min(v.sel+1, len(v.r.Actions)-1), 0)
	case key.Matches(km, k.Add):
		v.openForm(incident.Action{}, false)
	case !have:
		return v, nil
	case key.Matches(km, k.Edit), key.Matches(km, k.Enter):
		v.openForm(a, true)
	case key.Matches(km, k.Toggle):
		uid, what := a.UID, "Action done"
		if a.Done {
			what = "Action reopened"
		}
		return v, retroWriteCmd(v.ctx, what, func(r *incident.Retro, author string, now time.Time) error {
			_, err := incident.ToggleAction(r, uid, author, now)
			return err
		})
	case key.Matches(km, k.Delete):
		return v, v.confirm.Ask(v.ctx)
	}
	return v, nil
}

// submit checks the form and stores the action.
func (v retroActions) submit() (retroActions, tea.Cmd) {
	f := v.Form
	a := incident.Action{
		Title: strings.TrimSpace(f.Value(0)),
		Owner: strings.TrimSpace(f.Value(2)),
		Link:  strings.TrimSpace(f.Value(4)),
	}
	if a.Title == "" {
		f.err = "The action has no title; say what will be done."
		return v, nil
	}
	kind := incident.Immediate
	if s := strings.TrimSpace(f.Value(1)); s != "" {
		k, err := incident.ParseActionKind(s)
		if err != nil {
			f.err = err.Error()
			return v, nil
		}
		kind = k
	}
	a.Kind = kind
	due, err := incident.ParseDue(f.Value(3), v.ctx.Now())
	if err != nil {
		f.err = err.Error()
		return v, nil
	}
	a.Due = due
	if a.Addresses, err = v.r.ParseAddress(f.Value(5)); err != nil {
		f.err = err.Error()
		return v, nil
	}
	if v.editing != "" && a.Addresses == "" && v.base.Addresses != "" && v.r.AddressCode(v.base.Addresses) == "" {
		// The factor or why it named is gone; an untouched field keeps the link.
		a.Addresses = v.base.Addresses
	}
	uid := v.editing
	v.Form = nil
	if uid == "" {
		v.sel = len(v.r.Actions)
		return v, retroWriteCmd(v.ctx, "Action added", func(r *incident.Retro, author string, now time.Time) error {
			_, err := incident.AddAction(r, a, author, now, newActionUID)
			return err
		})
	}
	base := v.base
	return v, retroMergeCmd(v.ctx, "Action changed", func(r *incident.Retro, author string, now time.Time) (string, error) {
		return incident.EditActionFrom(r, uid, base, a, author, now, newActionUID)
	})
}

// dueLabel shows a due date briefly: the time today, the weekday within a
// week, else the date.
func dueLabel(due, now time.Time) string {
	switch {
	case due.IsZero():
		return "—"
	case common.SameDay(due, now):
		return due.Format("15:04")
	case due.After(now) && due.Sub(now) < 6*24*time.Hour:
		return due.Format("Mon 15:04")
	case due.Year() == now.Year():
		return due.Format("Jan 2")
	}
	return due.Format("2006-01-02")
}

// view renders the table at inner size w×h.
func (v retroActions) view(w, h int, focused bool) []string {
	st := v.ctx.Styles
	now := v.ctx.Now()
	const kindW = 9
	// Owner and Due are as wide as their widest value (a date of another
	// year with its overdue mark, a full name), so neither is cut; the
	// title takes the rest and wraps in the detail below.
	ownerW, dueW := len("Owner"), len("Due")
	for _, a := range v.r.Actions {
		ownerW = max(ownerW, ansi.StringWidth(orDash(incident.CleanLine(a.Owner))))
		d := dueLabel(a.Due, now)
		if a.Overdue(now) {
			d = "! " + d
		}
		dueW = max(dueW, ansi.StringWidth(d))
	}
	linkW := 0
	if w >= 90 {
		linkW = min(24, w/5)
	}
	// The title keeps at least 12 cells; an owner longer than what is
	// left shows whole in the detail line under the table.
	ownerW = max(min(ownerW, w-1-4-kindW-dueW-linkW-4-12), 5)
	titleW := max(w-1-4-kindW-ownerW-dueW-linkW-4, 8)
	cell := func(s string, n int) string { return common.Fit(s, n) }
	header := " " + st.Label.Render("    "+cell("Title", titleW)+" "+cell("Kind", kindW)+" "+cell("Owner", ownerW)+" "+cell("Due", dueW))
	if linkW > 0 {
		header += st.Label.Render(" " + cell("Link", linkW))
	}
	out := []string{header}
	selLine := 0
	if len(v.r.Actions) == 0 {
		out = append(out, " "+st.Faint.Render(common.Cut("No actions yet: add what will be done now (immediate) and to prevent a repeat (long-term).", w-1)))
	}
	for i, a := range v.r.Actions {
		box := "[ ]"
		if a.Done {
			box = "[x]"
		}
		overdue := a.Overdue(now)
		due := dueLabel(a.Due, now)
		if overdue {
			due = "! " + due
		}
		owner := incident.CleanLine(a.Owner)
		if owner == "" {
			owner = "—"
		}
		kind := string(a.Kind)
		if kind == "" {
			kind = string(incident.Immediate)
		}
		plain := box + " " + cell(incident.CleanLine(a.Title), titleW) + " " + cell(kind, kindW) + " " + cell(owner, ownerW) + " " + cell(due, dueW)
		if linkW > 0 {
			plain += " " + cell(incident.CleanLine(a.Link), linkW)
		}
		style := st.Text
		switch {
		case a.Done:
			style = st.Faint
		case overdue:
			style = st.Error
		}
		if i == v.sel {
			selLine = len(out)
		}
		if focused && i == v.sel && v.Form == nil {
			out = append(out, st.Selected.Render(common.Fit(st.SelectionMarker.Render("›")+style.Render(plain), w)))
		} else {
			out = append(out, " "+style.Render(plain))
		}
	}
	open, over := 0, 0
	for _, a := range v.r.Actions {
		if !a.Done {
			open++
		}
		if a.Overdue(now) {
			over++
		}
	}
	if len(v.r.Actions) > 0 {
		sum := fmt.Sprintf("%d open · %d done", open, len(v.r.Actions)-open)
		line := " " + st.Muted.Render(sum)
		if over > 0 {
			line += st.Error.Render(fmt.Sprintf(" · %d overdue", over))
		}
		out = append(out, "", line)
	}
	if a, ok := v.selected(); ok && focused && v.Form == nil {
		out = append(out, "")
		for _, l := range common.Wrap(incident.CleanLine(a.Title), max(w-2, 10)) {
			out = append(out, " "+st.Bold.Render(l))
		}
		detail := string(a.Kind) + " · owner " + orDash(incident.CleanLine(a.Owner))
		if !a.Due.IsZero() {
			due := a.Due.In(now.Location())
			layout := "Mon Jan 2 15:04"
			if due.Year() != now.Year() {
				layout = "Mon Jan 2 2006 15:04"
			}
			detail += " · due " + due.Format(layout)
		}
		if a.Author != "" {
			detail += " · added by " + incident.CleanLine(a.Author)
		}
		for _, l := range common.Wrap(detail, max(w-2, 10)) {
			out = append(out, " "+st.Muted.Render(l))
		}
		if a.Link != "" {
			out = append(out, " "+st.Accent.Render(common.Cut(incident.CleanLine(a.Link), w-1)))
		}
		if label := v.r.AddressLabel(a.Addresses); label != "" {
			out = append(out, " "+st.Muted.Render(common.Cut("addresses "+label+v.addressed(a.Addresses), w-1)))
		}
	}

	var foot []string
	switch {
	case v.Form != nil:
		foot = append([]string{""}, v.Form.view(w)...)
	case v.confirm.Open():
		foot = []string{" " + st.Warn.Render(common.Cut("Delete this action?"+v.confirm.Answers(v.ctx, " y/enter deletes · n/esc keeps it"), w-1))}
	case focused:
		foot = []string{" " + st.Hint.Render(common.Cut("a add · e edit · x done · d delete · esc back", w-1))}
	default:
		foot = []string{" " + st.Hint.Render(common.Cut("enter edits the actions", w-1))}
	}
	return fitRows(out, foot, selLine, h)
}

// addressed quotes the factor or why an action addresses.
func (v retroActions) addressed(uid string) string {
	if f := v.r.Factor(uid); f != nil {
		return ": " + incident.CleanLine(f.Cause)
	}
	for _, w := range v.r.Whys {
		if w.UID == uid {
			return ": " + incident.CleanLine(w.Because)
		}
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (v retroActions) shortHelp() []key.Binding {
	k := v.keys
	if v.Form != nil {
		return []key.Binding{k.NextField, common.WithHelp(k.Enter, "next/save"), common.WithHelp(k.Cancel, "cancel")}
	}
	if v.confirm.Open() {
		return []key.Binding{common.WithHelp(k.Confirm, "delete"), common.WithHelp(k.Cancel, "keep")}
	}
	return []key.Binding{k.Up, common.WithHelp(k.Add, "add action"), k.Edit, k.Toggle, k.Delete, common.WithHelp(k.Cancel, "back")}
}
