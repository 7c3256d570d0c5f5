package retro

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// formResult says what a key did to a retroForm.
type formResult int

const (
	formEditing formResult = iota
	formSubmit
	formCancel
)

// retroForm is a few labelled one-line fields, used to add and edit whys
// and actions. tab and arrows move between fields, enter on the last field
// (or ctrl+s anywhere) submits, esc cancels.
type retroForm struct {
	ctx    *common.Context
	keys   *common.RetroKeys
	title  string
	labels []string
	fields []common.Field
	Focus  int
	// err is shown under the fields until the next key.
	err    string
	labelW int
}

// newRetroForm builds a form; placeholders and values match labels.
func newRetroForm(ctx *common.Context, keys *common.RetroKeys, title string, labels, placeholders, values []string) *retroForm {
	f := &retroForm{ctx: ctx, keys: keys, title: title, labels: labels}
	for i := range labels {
		t := textinput.New()
		t.Prompt = ""
		t.Placeholder = placeholders[i]
		t.SetValue(values[i])
		t.CursorEnd()
		t.Cursor.SetMode(cursor.CursorStatic)
		t.PlaceholderStyle = ctx.Styles.Faint
		t.TextStyle = ctx.Styles.Text
		t.Cursor.Style = ctx.Styles.Accent
		f.fields = append(f.fields, common.Field{Model: t})
		f.labelW = max(f.labelW, len(labels[i]))
	}
	f.fields[0].Focus()
	return f
}

// choices marks fields i as choices (see common.Field).
func (f *retroForm) choices(i ...int) *retroForm {
	for _, j := range i {
		f.fields[j].Choice = true
	}
	return f
}

func (f *retroForm) setWidth(w int) {
	for i := range f.fields {
		f.fields[i].Width = max(w-f.labelW-5, 1)
	}
}

func (f *retroForm) move(d int) {
	f.fields[f.Focus].Unfocus()
	f.Focus = (f.Focus + d + len(f.fields)) % len(f.fields)
	f.fields[f.Focus].Select()
}

// Value returns field i as typed.
func (f *retroForm) Value(i int) string { return f.fields[i].Value() }

// stepForm hands msg to *f when a form is open: took reports that it did,
// submit that the form was submitted (the caller stores it); a cancelled
// form is closed. The whys, factors and actions editors share it.
func stepForm(f **retroForm, msg tea.Msg) (took, submit bool, cmd tea.Cmd) {
	if *f == nil {
		return false, false, nil
	}
	res, cmd := (*f).update(msg)
	switch res {
	case formCancel:
		*f = nil
	case formSubmit:
		return true, true, nil
	}
	return true, false, cmd
}

// update handles one message while the form is open.
func (f *retroForm) update(msg tea.Msg) (formResult, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		f.fields[f.Focus], cmd = f.fields[f.Focus].Update(msg)
		return formEditing, cmd
	}
	f.err = ""
	switch {
	case key.Matches(k, f.keys.Cancel):
		return formCancel, nil
	case key.Matches(k, f.keys.SaveForm):
		return formSubmit, nil
	case key.Matches(k, f.keys.NextField):
		f.move(1)
		return formEditing, nil
	case key.Matches(k, f.keys.PrevField):
		f.move(-1)
		return formEditing, nil
	case key.Matches(k, f.keys.Enter):
		if f.Focus == len(f.fields)-1 {
			return formSubmit, nil
		}
		f.move(1)
		return formEditing, nil
	}
	var cmd tea.Cmd
	f.fields[f.Focus], cmd = f.fields[f.Focus].Update(msg)
	return formEditing, cmd
}

// view renders the form at inner width w.
func (f *retroForm) view(w int) []string {
	st := f.ctx.Styles
	out := []string{" " + st.PaneTitle.Render(f.title)}
	for i, t := range f.fields {
		label := st.Label.Render(common.Fit(f.labels[i], f.labelW))
		if i == f.Focus {
			label = st.Prompt.Render(common.Fit(f.labels[i], f.labelW))
		}
		out = append(out, common.Cut(" "+label+"  "+t.View(st.Selected), w))
	}
	if f.err != "" {
		for _, l := range common.Wrap("✗ "+incident.CleanLine(f.err), max(w-2, 1)) {
			out = append(out, " "+st.Error.Render(l))
		}
	} else {
		out = append(out, " "+st.Hint.Render(common.Cut("tab next field · enter on the last field saves · esc cancels", w-1)))
	}
	return out
}
