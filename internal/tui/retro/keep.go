package retro

import (
	"encoding/json"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A half-filled why or action form survives quitting, like the capture
// line: its fields are kept as per-user state, saved after a pause in
// typing (and at the latest common.MaxSaveWait after the first change) and when the
// program quits, and the form is opened again, filled in, on the next visit.

// keptForm is a why or action form in progress.
type keptForm struct {
	Kind string `json:"kind"` // "why", "factor" or "action"
	// Editing is the step (why) being edited, -1 when adding; UID the
	// action's, "" when adding.
	Editing int             `json:"editing"`
	UID     string          `json:"uid,omitzero"`
	BaseWhy incident.Why    `json:"base_why,omitzero"`
	BaseAct incident.Action `json:"base_action,omitzero"`
	BaseFac incident.Factor `json:"base_factor,omitzero"`
	Values  []string        `json:"values"`
	Focus   int             `json:"focus"`
}

func FormStateName(author string) string { return "retro-form:" + author }

// retroFormSaveMsg fires when typing in a form paused (or waited too long).
type retroFormSaveMsg struct{ force bool }

// retroFormLoadedMsg brings back a form kept from last time.
type retroFormLoadedMsg struct {
	id   int64
	form string
}

// keptFormState is the form open now, as JSON, or "" when none is.
func (s *Model) keptFormState() string {
	var k keptForm
	switch {
	case s.Whys.Form != nil:
		k = keptForm{Kind: "why", Editing: s.Whys.editing, BaseWhy: s.Whys.base, Values: formValues(s.Whys.Form), Focus: s.Whys.Form.Focus}
	case s.Factors.Form != nil:
		k = keptForm{Kind: "factor", UID: s.Factors.editing, BaseFac: s.Factors.base, Values: formValues(s.Factors.Form), Focus: s.Factors.Form.Focus}
	case s.Actions.Form != nil:
		k = keptForm{Kind: "action", UID: s.Actions.editing, BaseAct: s.Actions.base, Values: formValues(s.Actions.Form), Focus: s.Actions.Form.Focus}
	default:
		return ""
	}
	data, _ := json.Marshal(k)
	return string(data)
}

func formValues(f *retroForm) []string {
	out := make([]string, len(f.fields))
	for i := range f.fields {
		out[i] = f.Value(i)
	}
	return out
}

// saveFormCmd keeps the form open now (or clears what was kept) if it
// changed since last kept.
func (s *Model) saveFormCmd() tea.Cmd {
	v := s.keptFormState()
	if v == s.keptForm || s.ctx.Store == nil || s.ctx.IncidentID == 0 {
		return nil
	}
	s.keptForm = v
	return s.ctx.Write(common.SaveLineCmd(s.ctx.Store, s.ctx.IncidentID, FormStateName(s.ctx.Author), v))
}

// formChanged schedules keeping the form after a key reached it; a form
// just closed (saved or cancelled) is forgotten at once.
func (s *Model) formChanged() tea.Cmd {
	v := s.keptFormState()
	if v == s.keptForm {
		return nil
	}
	if v == "" {
		return s.saveFormCmd()
	}
	return common.SaveTicks(retroSaveAfter, &s.formArmed, func(force bool) tea.Msg { return retroFormSaveMsg{force: force} })
}

// loadFormCmd reads the form kept from last time.
func (s *Model) loadFormCmd() tea.Cmd {
	id := s.ctx.IncidentID
	return common.ReadStateCmd(s.ctx, FormStateName(s.ctx.Author), func(v string) tea.Msg { return retroFormLoadedMsg{id: id, form: v} })
}

// restoreForm opens a kept form again with what was typed, and says so.
func (s *Model) restoreForm(data string) tea.Cmd {
	var k keptForm
	if data == "" || json.Unmarshal([]byte(data), &k) != nil {
		return nil
	}
	s.keptForm = data
	var f **retroForm
	section := incident.SectionWhys
	switch k.Kind {
	case "why":
		if s.Whys.Form != nil {
			return nil
		}
		s.Whys.openForm(-1)
		s.Whys.editing, s.Whys.base = k.Editing, k.BaseWhy
		f = &s.Whys.Form
	case "factor":
		if s.Factors.Form != nil {
			return nil
		}
		s.Factors.openForm(k.BaseFac, k.UID != "", s.Whys.w)
		s.OnFactors = true
		f = &s.Factors.Form
	case "action":
		if s.Actions.Form != nil {
			return nil
		}
		s.Actions.openForm(k.BaseAct, k.UID != "")
		f = &s.Actions.Form
		section = incident.SectionActions
	default:
		return nil
	}
	form := *f
	for i := range form.fields {
		if i < len(k.Values) {
			form.fields[i].SetValue(k.Values[i])
			form.fields[i].CursorEnd()
		}
	}
	if k.Focus > 0 && k.Focus < len(form.fields) {
		form.move(k.Focus - form.Focus)
		// What was typed goes on where it stopped, not replaced by the
		// next key.
		form.fields[form.Focus].Selected = false
	}
	note := "Your unfinished " + k.Kind + " is kept; open " + section + " to finish it"
	return func() tea.Msg { return common.StatusMsg{Text: note} }
}
