package common

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Field is a form's one-line input whose text can be selected, as when
// tabbing into a filled field of any form a person knows: typing replaces
// it (a pre-filled severity 3 then 1 gives 1, not 31; "no" then "yes"
// gives yes), backspace or delete clears it, and a movement key keeps it.
// The declare form and the retro's forms use it.
type Field struct {
	textinput.Model
	// Choice marks a field whose text is picked rather than written (a
	// severity, a kind, yes or no): it is selected whenever the field
	// gets the cursor, so typing replaces it. Prose keeps the cursor at
	// its end, so an edit goes on where the text stops.
	Choice bool
	// Selected is set while the text is selected.
	Selected bool
}

// Select gives the field the cursor, at the end, with its text selected
// when it is a choice and has any.
func (f *Field) Select() tea.Cmd {
	f.CursorEnd()
	f.Selected = f.Choice && f.Value() != ""
	return f.Focus()
}

// Unfocus takes the cursor away and ends the selection.
func (f *Field) Unfocus() {
	f.Selected = false
	f.Blur()
}

// Update hands msg to the input; a key first ends the selection, a
// character or a deletion also removing the selected text.
func (f Field) Update(msg tea.Msg) (Field, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && f.Selected {
		f.Selected = false
		switch k.Type {
		case tea.KeyRunes, tea.KeySpace:
			f.SetValue("")
		case tea.KeyBackspace, tea.KeyDelete:
			f.SetValue("")
			return f, nil
		}
	}
	var cmd tea.Cmd
	f.Model, cmd = f.Model.Update(msg)
	return f, cmd
}

// View draws the input, a selected text in the selection style.
func (f Field) View(selected lipgloss.Style) string {
	if f.Selected && f.Focused() {
		return selected.Render(incident.CleanLine(f.Value()))
	}
	return f.Model.View()
}
