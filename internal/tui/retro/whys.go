package retro

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// retroWhys edits the five-whys chain: an ordered list of why → because,
// from the immediate cause down to the systemic one, with one step marked
// as the root cause. Below the chain it asks the next why until there are
// five.
type retroWhys struct {
	ctx  *common.Context
	keys *common.RetroKeys
	r    *incident.Retro
	Sel  int
	// Form is open while adding (editing < 0) or editing step editing.
	Form    *retroForm
	editing int
	// base is the step as it was when the form opened, so a save on a
	// stale copy merges with a teammate's edit instead of replacing it.
	base incident.Why
	// confirm is set while a delete waits for y.
	confirm common.Question
	w, h    int
}

func (v *retroWhys) setRetro(r *incident.Retro) {
	v.r = r
	v.Sel = max(min(v.Sel, len(r.Whys)-1), 0)
}

func (v retroWhys) typing() bool { return v.Form != nil || v.confirm.Open() }

func (v *retroWhys) openForm(i int) tea.Cmd {
	labels := []string{"Why", "Because"}
	if i < 0 {
		q := incident.NextWhyQuestion(v.r)
		if q == "" {
			q = "why did that happen?"
		}
		v.Form = newRetroForm(v.ctx, v.keys, fmt.Sprintf("Why %d", len(v.r.Whys)+1), labels,
			[]string{q, "the answer: what caused it"}, []string{"", ""})
	} else {
		w := v.r.Whys[i]
		v.base = w
		v.Form = newRetroForm(v.ctx, v.keys, fmt.Sprintf("Edit why %d", i+1), labels,
			[]string{"why did that happen?", "the answer: what caused it"}, []string{w.Why, w.Because})
	}
	v.editing = i
	v.Form.setWidth(v.w)
	return nil
}

func (v retroWhys) update(msg tea.Msg) (retroWhys, tea.Cmd) {
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
		if ans == common.Yes && v.Sel < len(v.r.Whys) {
			i, seen := v.Sel, v.r.Whys[v.Sel]
			return v, retroWriteCmd(v.ctx, fmt.Sprintf("Why %d deleted", i+1), func(r *incident.Retro, author string, now time.Time) error {
				i, err := incident.ExpectWhy(r, i, seen)
				if err != nil {
					return err
				}
				return incident.DeleteWhy(r, i, author, now)
			})
		}
		return v, nil
	}
	n := len(v.r.Whys)
	switch {
	case key.Matches(km, k.Up):
		v.Sel = max(v.Sel-1, 0)
	case key.Matches(km, k.Down):
		v.Sel = max(min(v.Sel+1, n-1), 0)
	case key.Matches(km, k.Add):
		return v, v.openForm(-1)
	case n == 0:
		return v, nil
	case key.Matches(km, k.Edit), key.Matches(km, k.Enter):
		return v, v.openForm(v.Sel)
	case key.Matches(km, k.Delete):
		return v, v.confirm.Ask(v.ctx)
	case key.Matches(km, k.MoveUp), key.Matches(km, k.MoveDown):
		d := 1
		if key.Matches(km, k.MoveUp) {
			d = -1
		}
		i := v.Sel
		if i+d < 0 || i+d >= n {
			return v, nil
		}
		v.Sel = i + d
		seen := v.r.Whys[i]
		return v, retroWriteCmd(v.ctx, "", func(r *incident.Retro, author string, now time.Time) error {
			i, err := incident.ExpectWhy(r, i, seen)
			if err != nil {
				return err
			}
			_, err = incident.MoveWhy(r, i, d, author, now)
			return err
		})
	case key.Matches(km, k.Root):
		i := v.Sel
		what := fmt.Sprintf("Why %d marked as the root cause", i+1)
		if v.r.Whys[i].RootCause {
			what = "Root cause mark removed"
		}
		seen := v.r.Whys[i]
		return v, retroWriteCmd(v.ctx, what, func(r *incident.Retro, author string, now time.Time) error {
			i, err := incident.ExpectWhy(r, i, seen)
			if err != nil {
				return err
			}
			_, err = incident.MarkRootCause(r, i, author, now)
			return err
		})
	}
	return v, nil
}

// submit stores the form: a new step, or the edited one.
func (v retroWhys) submit() (retroWhys, tea.Cmd) {
	why, because := strings.TrimSpace(v.Form.Value(0)), strings.TrimSpace(v.Form.Value(1))
	if why == "" && v.editing < 0 && because != "" {
		// The suggested question stands when only the answer is typed.
		why = incident.NextWhyQuestion(v.r)
	}
	if why == "" && because == "" {
		v.Form.err = "Type the why, the because or both; esc cancels."
		return v, nil
	}
	i := v.editing
	v.Form = nil
	if i < 0 {
		v.Sel = len(v.r.Whys)
		return v, retroWriteCmd(v.ctx, "Why added", func(r *incident.Retro, author string, now time.Time) error {
			_, err := incident.AddWhy(r, why, because, author, now)
			return err
		})
	}
	base := v.base
	return v, retroMergeCmd(v.ctx, fmt.Sprintf("Why %d changed", i+1), func(r *incident.Retro, author string, now time.Time) (string, error) {
		return incident.EditWhyFrom(r, i, base, why, because, author, now)
	})
}

// lines renders the chain at inner width w: the body, its footer and the
// body line the selection is on.
func (v retroWhys) lines(w int, focused bool) (out, foot []string, selLine int) {
	st := v.ctx.Styles
	if len(v.r.Whys) == 0 {
		out = append(out, " "+st.Faint.Render(common.Cut("From the immediate cause down to the systemic one.", w-1)))
	}
	for i, y := range v.r.Whys {
		num := fmt.Sprintf("%d.", i+1)
		whyText := incident.CleanLine(y.Why)
		if whyText == "" {
			whyText = st.Faint.Render("(no question)")
		}
		if i == v.Sel {
			selLine = len(out)
		}
		first := " " + st.Bold.Render(common.Fit(num, 3)) + " " + st.Text.Render(whyText)
		if focused && i == v.Sel && v.Form == nil {
			first = st.Selected.Render(common.Fit(st.SelectionMarker.Render("›")+st.Bold.Render(common.Fit(num, 3))+" "+st.Text.Render(whyText), w))
		}
		out = append(out, common.Cut(first, w))
		// Wrapped as plain text and styled line by line: a styled string
		// wrapped whole lost its colour after the first line.
		because := incident.CleanLine(y.Because)
		var lines []string
		if because == "" {
			lines = []string{st.Faint.Render("because … (e to answer)")}
		} else {
			const label = "because: "
			for j, l := range common.Wrap(label+because, max(w-6, 10)) {
				if j == 0 && strings.HasPrefix(l, label) {
					lines = append(lines, st.Muted.Render(label)+st.Text.Render(l[len(label):]))
					continue
				}
				lines = append(lines, st.Text.Render(l))
			}
		}
		for j, l := range lines {
			lead := "     "
			if j == 0 && y.RootCause {
				lead = "   " + st.Error.Render("◆") + " "
			}
			out = append(out, lead+l)
		}
		if y.RootCause {
			out = append(out, "     "+st.Error.Render("root cause"))
		}
	}
	out = append(out, "")
	if p := incident.NextWhyPrompt(v.r); p != "" {
		for _, l := range common.Wrap(p, max(w-2, 10)) {
			out = append(out, " "+st.Accent.Render(l))
		}
		out = append(out, " "+st.Hint.Render(common.Cut("press a to add it", w-1)))
	} else if v.r.RootCause() < 0 {
		out = append(out, " "+st.Accent.Render(common.Cut("Five whys reached: mark the root cause with r.", w-1)))
	}

	switch {
	case v.Form != nil:
		foot = append([]string{""}, v.Form.view(w)...)
	case v.confirm.Open() && v.Sel < len(v.r.Whys):
		foot = []string{" " + st.Warn.Render(common.Cut(fmt.Sprintf("Delete why %d?", v.Sel+1)+v.confirm.Answers(v.ctx, " y/enter deletes · n/esc keeps it"), w-1))}
	case focused:
		foot = []string{" " + st.Hint.Render(common.Cut("a add · e edit · K/J move · r root · d delete · f factor · tab factors", w-1))}
	default:
		foot = []string{" " + st.Hint.Render(common.Cut("enter edits the chain and the contributing factors", w-1))}
	}
	return out, foot, selLine
}

// fitRows fits a body and a footer into h rows, the footer at the bottom;
// a body too tall is scrolled so that row near stays in view.
func fitRows(body, foot []string, near, h int) []string {
	room := max(h-len(foot), 0)
	if len(body) > room {
		start := max(min(near-room/2, len(body)-room), 0)
		body = body[start : start+room]
	}
	out := append([]string{}, body...)
	for len(out) < room {
		out = append(out, "")
	}
	return append(out, foot...)
}

func (v retroWhys) shortHelp() []key.Binding {
	k := v.keys
	if v.Form != nil {
		return []key.Binding{k.NextField, common.WithHelp(k.Enter, "next/save"), common.WithHelp(k.Cancel, "cancel")}
	}
	if v.confirm.Open() {
		return []key.Binding{common.WithHelp(k.Confirm, "delete"), common.WithHelp(k.Cancel, "keep")}
	}
	return []key.Binding{k.Up, common.WithHelp(k.Add, "add why"), k.Edit, k.MoveUp, k.Root, k.Delete, k.Factor, common.WithHelp(k.SwitchList, "factors"), common.WithHelp(k.Cancel, "back")}
}
