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
	focus  int
	err    string
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
	f.fields[0].Focus()
	return f
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
		out = append(out, " "+label+" "+t.View(), "")
	}
	if f.err != "" {
		out = append(out, " "+st.Error.Render("✗ "+incident.CleanLine(f.err)))
	} else {
		out = append(out, " "+st.Hint.Render("tab moves between fields · enter on the last field (or ctrl+s) declares · esc cancels"))
	}
	return out
}
