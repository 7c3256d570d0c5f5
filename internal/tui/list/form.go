package list

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// newForm declares an incident: title, severity and the two leads.
type newForm struct {
	ctx    *common.Context
	fields []common.Field
	labels []string
	// initial are the values the form opened with, to tell a form worth
	// asking about on esc from one nobody touched.
	initial []string
	focus   int
	err     string
	// discarding: esc was pressed on a filled form; y discards it.
	discarding common.Question
	// pending is the alert the form declares, nil for a new incident.
	pending *store.PendingAlert
}

func newNewForm(ctx *common.Context) *newForm {
	mk := func(placeholder, value string) common.Field {
		t := textinput.New()
		t.Prompt = ""
		t.Placeholder = placeholder
		t.SetValue(value)
		t.Cursor.SetMode(cursor.CursorStatic)
		t.PlaceholderStyle = ctx.Styles.Faint
		t.TextStyle = ctx.Styles.Text
		// The declare form is all defaults to confirm or replace.
		return common.Field{Model: t, Choice: true}
	}
	f := &newForm{ctx: ctx,
		labels: []string{"Title", "Severity", "Resolution lead", "Communication lead"},
		fields: []common.Field{
			mk("what is broken, in a few words (e.g. Checkout payments failing)", ""),
			mk("1 (worst) to 4", "3"),
			mk("who finds the cause and coordinates the fix", ctx.Author),
			mk("who keeps stakeholders informed", ""),
		},
	}
	for _, t := range f.fields {
		f.initial = append(f.initial, t.Value())
	}
	// Every field is pre-filled or empty at first: the first is selected,
	// so typing replaces a default.
	f.fields[0].Select()
	return f
}

// newPendingForm is the declare form filled in from a pending alert: its
// summary as the title and the severity its labels map to.
func newPendingForm(ctx *common.Context, p store.PendingAlert) *newForm {
	f := newNewForm(ctx)
	form := p.Form()
	f.fields[0].SetValue(incident.CleanLine(form.Title))
	if form.Severity != 0 {
		f.fields[1].SetValue(strconv.Itoa(int(form.Severity)))
	}
	f.initial = f.initial[:0]
	for _, t := range f.fields {
		f.initial = append(f.initial, t.Value())
	}
	f.fields[0].Select()
	f.pending = &p
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

// edit hands a key to the focused field (see common.Field for its
// selection).
func (f *newForm) edit(msg tea.KeyMsg) tea.Cmd {
	var cmd tea.Cmd
	f.fields[f.focus], cmd = f.fields[f.focus].Update(msg)
	return cmd
}

func (f *newForm) setWidth(w int) {
	for i := range f.fields {
		f.fields[i].Width = max(w-26, 1)
	}
}

func (f *newForm) move(d int) {
	f.fields[f.focus].Unfocus()
	f.focus = (f.focus + d + len(f.fields)) % len(f.fields)
	f.fields[f.focus].Select()
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
	lead, comms := strings.TrimSpace(f.fields[2].Value()), strings.TrimSpace(f.fields[3].Value())
	if f.pending != nil {
		return declarePendingCmd(f.ctx, *f.pending, title, sev, lead, comms), nil
	}
	return createIncidentCmd(f.ctx, title, sev, lead, comms), nil
}

func (f *newForm) view(w int) []string {
	st := f.ctx.Styles
	var out []string
	if p := f.pending; p != nil {
		// What the alert brings besides these fields, said before them.
		what := fmt.Sprintf("From %s, received %s; %d firing", incident.CleanLine(p.Origin.Source), common.ClockAt(p.Received, f.ctx.Now()), len(p.Firing))
		if len(p.Declare.Tags) > 0 {
			what += "; tags " + incident.CleanLine(strings.Join(p.Declare.Tags, ", "))
		}
		what += ". It starts at the alert's time, with its labels and links on the timeline."
		for _, l := range common.Wrap(what, max(w-2, 20)) {
			out = append(out, " "+st.Muted.Render(l))
		}
		out = append(out, "")
	}
	for i, t := range f.fields {
		label := st.Label.Render(common.Fit(f.labels[i], 20))
		if i == f.focus {
			label = st.Prompt.Render(common.Fit(f.labels[i], 20))
		}
		field := t.View(st.Selected)
		out = append(out, " "+label+" "+field, "")
	}
	switch {
	case f.discarding.Open():
		out = append(out, " "+st.Warn.Bold(true).Render("Discard this incident?"+f.discarding.Answers(f.ctx, " y/enter discards it · n/esc keeps editing")))
	case f.err != "":
		out = append(out, " "+st.Error.Render("✗ "+incident.CleanLine(f.err)))
	default:
		out = append(out, " "+st.Hint.Render("tab next field · enter on the last field or ctrl+s declares · esc cancels"))
	}
	return out
}
