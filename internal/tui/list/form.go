package list

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// newForm declares an incident: title, severity and the two leads.
type newForm struct {
	ctx    *common.Context
	fields []textinput.Model
	labels []string
	// initial are the values the form opened with, to tell a form worth
	// asking about on esc from one nobody touched.
	initial []string
	focus   int
	err     string
	// selected: the focused field's text is selected, as when tabbing into
	// a filled field of any form: typing replaces it (the pre-filled
	// severity 3 then 1 gives 1, not 31), a movement key keeps it.
	selected bool
	// discarding: esc was pressed on a filled form; y discards it.
	discarding bool
}

func newNewForm(ctx *common.Context) *newForm {
	mk := func(placeholder, value string) textinput.Model {
		t := textinput.New()
		t.Prompt = ""
		t.Placeholder = placeholder
		t.SetValue(value)
		t.Cursor.SetMode(cursor.CursorStatic)
		t.PlaceholderStyle = ctx.Styles.Faint
		t.TextStyle = ctx.Styles.Text
		return t
	}
	f := &newForm{ctx: ctx,
		labels: []string{"Title", "Severity", "Resolution lead", "Communication lead"},
		fields: []textinput.Model{
			mk("what is broken, in a few words (e.g. Checkout payments failing)", ""),
			mk("1 (worst) to 4", "3"),
			mk("who finds the cause and coordinates the fix", ctx.Author),
			mk("who keeps stakeholders informed", ""),
		},
	}
	for _, t := range f.fields {
		f.initial = append(f.initial, t.Value())
	}
	f.fields[0].Focus()
	f.selected = f.fields[0].Value() != ""
	return f
}

// dirty reports whether anything differs from how the form opened.
func (f *newForm) dirty() bool {
	for i, t := range f.fields {
		if t.Value() != f.initial[i] {
			return true
		}
	}
	return false
}

// edit hands a key to the focused field. While its text is selected, a
// character replaces it and backspace or delete clears it; other keys
// (arrows, home, end) only end the selection.
func (f *newForm) edit(msg tea.KeyMsg) tea.Cmd {
	t := &f.fields[f.focus]
	if f.selected {
		f.selected = false
		switch msg.Type {
		case tea.KeyRunes, tea.KeySpace:
			t.SetValue("")
		case tea.KeyBackspace, tea.KeyDelete:
			t.SetValue("")
			return nil
		}
	}
	var cmd tea.Cmd
	*t, cmd = t.Update(msg)
	return cmd
}

func (f *newForm) setWidth(w int) {
	for i := range f.fields {
		f.fields[i].Width = max(w-26, 1)
	}
}

func (f *newForm) move(d int) {
	f.fields[f.focus].Blur()
	f.focus = (f.focus + d + len(f.fields)) % len(f.fields)
	f.fields[f.focus].Focus()
	f.fields[f.focus].CursorEnd()
	f.selected = f.fields[f.focus].Value() != ""
}

// submit validates the form and returns the command that declares it.
func (f *newForm) submit() (tea.Cmd, error) {
	title := strings.TrimSpace(f.fields[0].Value())
	if title == "" {
		return nil, fmt.Errorf("the title is empty; describe the incident in a few words")
	}
	sev, err := incident.ParseSeverity(f.fields[1].Value())
	if err != nil {
		return nil, err
	}
	return createIncidentCmd(f.ctx, title, sev, strings.TrimSpace(f.fields[2].Value()), strings.TrimSpace(f.fields[3].Value())), nil
}

func (f *newForm) view(w int) []string {
	st := f.ctx.Styles
	var out []string
	for i, t := range f.fields {
		label := st.Label.Render(common.Fit(f.labels[i], 20))
		if i == f.focus {
			label = st.Prompt.Render(common.Fit(f.labels[i], 20))
		}
		field := t.View()
		if i == f.focus && f.selected {
			field = st.Selected.Render(incident.CleanLine(t.Value()))
		}
		out = append(out, " "+label+" "+field, "")
	}
	switch {
	case f.discarding:
		out = append(out, " "+st.Warn.Bold(true).Render("Discard this incident? y discards it · any other key keeps editing"))
	case f.err != "":
		out = append(out, " "+st.Error.Render("✗ "+incident.CleanLine(f.err)))
	default:
		out = append(out, " "+st.Hint.Render("tab next field · enter on the last field or ctrl+s declares · esc cancels"))
	}
	return out
}
