package retro

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// View draws the top line, the section list and the editor.
func (s *Model) View() string {
	if s.w <= 0 || s.h <= 0 {
		return ""
	}
	st := s.ctx.Styles
	if !s.loaded {
		return common.FitBlock(st.Faint.Render(" loading the retro…"), s.w, s.h)
	}
	top := s.topLine()
	lw := s.listWidth()
	ew, eh := s.editorSize()
	list := common.Box(st, "Sections", "", s.sectionLines(lw-2), lw, eh, s.Focus == focusSections)
	title := s.Current()
	note := ""
	if sec := s.retro.Section(title); sec != nil && len(sec.Contributors) > 0 {
		names := make([]string, len(sec.Contributors))
		for i, c := range sec.Contributors {
			names[i] = incident.CleanLine(c)
		}
		note = st.Faint.Render(common.Cut("by "+strings.Join(names, ", "), max(ew/2, 8)))
	}
	target := "section:" + title
	switch kindOf(title) {
	case kindWhys:
		target = "whys"
	case kindActions:
		target = "actions"
	}
	if who := common.EditorsNote(s.ctx, target); who != "" {
		note = st.Warn.Render(common.Cut(who, max(ew/2, 8)))
	}
	boxTitle := incident.CleanLine(title)
	switch {
	case s.notes:
		boxTitle += " notes"
	case s.perspective:
		boxTitle += " · your perspective"
	}
	editor := common.Box(st, boxTitle, note, s.editorLines(ew-2, eh-2), ew, eh, s.Focus == FocusEditor)
	return top + "\n" + common.JoinH(list, editor)
}

// topLine names the retro and shows its status and due time.
func (s *Model) topLine() string {
	st := s.ctx.Styles
	inc := s.ctx.Incident
	now := s.ctx.Now()
	left := " " + st.ID.Render(inc.Key()) + "  " + st.Title.Render("Retrospective") + "  " + st.Muted.Render(incident.CleanLine(inc.Title))
	status := s.retro.Status
	if status == "" {
		status = incident.RetroDraft
	}
	stStyle := st.Warn
	if status == incident.RetroFinal {
		stStyle = st.OK
	}
	right := stStyle.Render(strings.ToUpper(string(status)))
	view := *inc
	view.Retro = s.retro
	if due, ok := incident.RetroDue(&view, s.ctx.Policy()); ok {
		dueS := st.Label.Render("  due ") + st.Text.Render(common.ClockAt(due, now))
		if over, late := incident.RetroOverdue(&view, s.ctx.Policy(), now); late {
			dueS = st.Label.Render("  due ") + st.Error.Render(common.ClockAt(due, now)+" OVERDUE +"+incident.FormatDuration(over))
		} else if status != incident.RetroFinal {
			dueS += st.Faint.Render(" (in " + incident.FormatDuration(due.Sub(now)) + ")")
		}
		right += dueS
	} else {
		after := s.ctx.Policy().RetroDueAfter
		if after <= 0 {
			after = incident.DefaultPolicy().RetroDueAfter
		}
		right += st.Faint.Render("  due " + incident.FormatDuration(after) + " after resolved")
	}
	return common.Spread(left, "  "+right+" ", s.w)
}

// sectionLines lists the sections with a mark for those with content.
func (s *Model) sectionLines(w int) []string {
	st := s.ctx.Styles
	var out []string
	for i, sec := range s.retro.Sections {
		mark := st.Faint.Render("○")
		if s.hasContent(sec.Title) {
			mark = st.OK.Render("●")
		}
		name := incident.CleanLine(sec.Title)
		line := " " + mark + " " + name
		if i == s.sel {
			line = st.SelectionMarker.Render("›") + mark + " " + st.Bold.Render(name)
			line = st.Selected.Render(common.Fit(line, w))
		}
		out = append(out, line)
	}
	out = append(out, "")
	all := s.retro.Contributors()
	if len(all) > 0 {
		out = append(out, " "+st.Label.Render("Contributors"))
		for _, c := range all {
			out = append(out, "  "+st.Muted.Render(incident.CleanLine(c)))
		}
		out = append(out, "")
	}
	if n := s.retro.OpenActions(); n > 0 {
		out = append(out, " "+st.Muted.Render(fmt.Sprintf("%d open action%s", n, common.Plural(n, "", "s"))))
	}
	if n := len(s.retro.OverdueActions(s.ctx.Now())); n > 0 {
		out = append(out, " "+st.Error.Render(fmt.Sprintf("%d overdue", n)))
	}
	out = append(out, " "+st.Hint.Render(common.Cut("F marks draft/final", w-1)))
	return out
}

// hasContent is the section list's mark: text, whys, actions, or for the
// timeline, anything on it.
func (s *Model) hasContent(title string) bool {
	if s.retro.HasContent(title) {
		return true
	}
	if kindOf(title) == kindTimeline {
		return s.ctx.HasEntries()
	}
	return false
}

// editorLines renders the selected section's editor at inner size w×h.
func (s *Model) editorLines(w, h int) []string {
	if s.perspective {
		return s.Text.view(w, h, s.Focus == FocusEditor)
	}
	switch kindOf(s.Current()) {
	case kindTimeline:
		if s.notes {
			return s.Text.view(w, h, s.Focus == FocusEditor)
		}
		return s.Timeline.view(w, h, s.Focus == FocusEditor)
	case kindWhys:
		return s.whysLines(w, h)
	case kindActions:
		return s.Actions.view(w, h, s.Focus == FocusEditor)
	}
	return s.Text.view(w, h, s.Focus == FocusEditor)
}

// whysLines draws the Five whys editor: the chain, then the contributing
// factors, scrolled to keep the selection of whichever has the keys in
// view.
func (s *Model) whysLines(w, h int) []string {
	focused := s.Focus == FocusEditor
	body, foot, sel := s.Whys.lines(w, focused && !s.OnFactors)
	factors, fsel := s.Factors.view(w, focused && s.OnFactors)
	if focused && s.OnFactors {
		sel = len(body) + fsel
		foot = s.Factors.foot(w)
	}
	body = append(body, factors...)
	return fitRows(body, foot, sel, h)
}

func (s *Model) ShortHelp() []key.Binding {
	k := s.keys
	if s.Focus == focusSections {
		open := k.Open
		ext := k.External
		ext.SetEnabled(kindOf(s.Current()) != kindWhys && kindOf(s.Current()) != kindActions)
		return []key.Binding{k.Up, open, k.Perspective, ext, k.Final, common.WithHelp(s.ctx.Keys.Back, "cockpit")}
	}
	var binds []key.Binding
	switch kindOf(s.Current()) {
	case kindText:
		binds = s.Text.shortHelp()
	case kindTimeline:
		if s.notes {
			binds = s.Text.shortHelp()
		} else {
			binds = s.Timeline.shortHelp()
		}
	case kindWhys:
		binds = s.Whys.shortHelp()
		if s.OnFactors {
			binds = s.Factors.shortHelp()
		}
	case kindActions:
		binds = s.Actions.shortHelp()
	}
	return binds
}

func (s *Model) FullHelp() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Open, k.Cancel, k.Final, k.External},
		{k.Add, k.Edit, k.Delete, k.MoveUp, k.Root, k.Toggle},
		{k.Factor, k.Evidence, k.Lucky, k.SwitchList},
		{k.Star, k.Annotate, k.Notes, k.Perspective, k.PageUp},
	}
}
