package common

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Component is a pane or screen that plugs into the root: the comms pane in
// the cockpit's right column, the retro and preview screens.
//
// Every method returns the updated component so that value types work; a
// pointer type may return itself. Size and focus arrive through SetSize and
// SetFocused before the first View. Read shared state from the *Context the
// constructor was given.
//
// Messages a component receives:
//   - every data message, focused or not: IncidentLoadedMsg (ctx.Incident
//     was replaced), TickMsg (once a second), AppliedMsg (a capture line or
//     `warroom log`-style command was applied here);
//   - key and mouse messages only while focused;
//   - the results of its own tea.Cmds (define your own message types).
//
// A component asks the root for things by returning commands that produce:
// ErrMsg (shown in the status line), StatusMsg, SwitchScreenMsg,
// ReloadMsg (reload the incident now).
type Component interface {
	// Init starts the component's own I/O, if any.
	Init() tea.Cmd
	Update(msg tea.Msg) (Component, tea.Cmd)
	View() string
	// SetSize gives the outer size the component must fill exactly.
	SetSize(w, h int) Component
	// SetFocused tells the component whether keys go to it.
	SetFocused(focused bool) Component
	// Typing reports whether the component is taking text input, so that the
	// root lets single-letter keys, esc and ? through to it.
	Typing() bool
	// ShortHelp and FullHelp list the keys that work right now.
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// Asker is a pane that can ask a yes/no question raised from the capture
// line (the comms pane when /publish meets jargon). The keyboard stays on
// the capture line: the cockpit offers the pane each key typed there with
// nothing half-typed, and the pane takes only an answer (common.Question).
type Asker interface {
	Asking() bool
	AnswerKey(msg tea.KeyMsg) (tea.Cmd, bool)
}

// Flusher is implemented by panes that keep typed text to save on quit.
type Flusher interface{ Flush() tea.Cmd }

// HelpGroup is one heading of the help screen: a pane or screen and its
// keys.
type HelpGroup struct {
	Title string
	Keys  []key.Binding
}

// HelpGrouper is a component whose help is more than one group (the
// cockpit: capture line, timeline, each pane); it lists the focused part
// first, since that is what the person asked help about.
type HelpGrouper interface{ HelpGroups() []HelpGroup }

// HelpTitler names a plug-in pane's group on the help screen.
type HelpTitler interface{ HelpTitle() string }

// Flatten joins FullHelp's columns into one list of keys.
func Flatten(cols [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, c := range cols {
		out = append(out, c...)
	}
	return out
}
