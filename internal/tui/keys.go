package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the program knows, built by DefaultKeyMap and matched
// with key.Matches. Components enable and disable bindings to match their
// state so help shows only what works.
type KeyMap struct {
	// Global.
	Quit     key.Binding
	Help     key.Binding
	Back     key.Binding
	NextPane key.Binding
	PrevPane key.Binding
	Capture  key.Binding
	Command  key.Binding
	ListScr  key.Binding
	RetroScr key.Binding
	Preview  key.Binding

	// Capture line.
	Submit   key.Binding
	Complete key.Binding
	HistPrev key.Binding
	HistNext key.Binding
	Cancel   key.Binding

	// Timeline scrolling.
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Select   key.Binding

	// Entry selection.
	Edit    key.Binding
	Retime  key.Binding
	Star    key.Binding
	Delete  key.Binding
	Restore key.Binding
	Confirm key.Binding
	Deny    key.Binding

	// Incident list.
	Open       key.Binding
	New        key.Binding
	NextField  key.Binding
	PrevField  key.Binding
	CreateForm key.Binding

	// Commands start a slash command from the timeline: the key fills the
	// capture line with the command, whose syntax the hint then shows.
	Commands []CommandKey

	// The keys of the comms pane, the retro screen and the preview, kept
	// here so every key of the program is in this one map.
	CommsPane     commsKeys
	RetroScreen   *retroKeys
	PreviewScreen *previewKeys
}

// CommandKey is a key that starts a slash command.
type CommandKey struct {
	key.Binding
	// Line is what the capture line is filled with.
	Line string
}

// DefaultKeyMap returns the keys of product.md §3.
func DefaultKeyMap() *KeyMap {
	b := func(keys []string, k, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, help))
	}
	return &KeyMap{
		CommsPane:     defaultCommsKeys(),
		RetroScreen:   defaultRetroKeys(),
		PreviewScreen: defaultPreviewKeys(),

		Quit:     b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Help:     b([]string{"?", "f1"}, "?", "help"),
		Back:     b([]string{"esc"}, "esc", "back"),
		NextPane: b([]string{"tab"}, "tab", "next pane"),
		PrevPane: b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Capture:  b([]string{"i", "a"}, "i", "capture"),
		Command:  b([]string{"/", ":"}, "/", "command"),
		ListScr:  b([]string{"L"}, "L", "incidents"),
		RetroScr: b([]string{"R"}, "R", "retro"),
		Preview:  b([]string{"P"}, "P", "preview"),

		Submit:   b([]string{"enter"}, "enter", "log"),
		Complete: b([]string{"tab"}, "tab", "complete"),
		HistPrev: b([]string{"up"}, "↑/↓", "history"),
		HistNext: b([]string{"down"}, "↓", "next in history"),
		Cancel:   b([]string{"esc"}, "esc", "cancel"),

		Up:       b([]string{"k", "up"}, "j/k", "scroll"),
		Down:     b([]string{"j", "down"}, "j", "down"),
		PageUp:   b([]string{"pgup"}, "pgup/pgdn", "page"),
		PageDown: b([]string{"pgdown"}, "pgdn", "page down"),
		Top:      b([]string{"g", "home"}, "g/G", "top/bottom"),
		Bottom:   b([]string{"G", "end"}, "G", "bottom"),
		Select:   b([]string{"enter", "v"}, "enter", "select entry"),

		Edit:    b([]string{"e"}, "e", "edit text"),
		Retime:  b([]string{"t"}, "t", "re-time"),
		Star:    b([]string{"s", "*"}, "s", "star"),
		Delete:  b([]string{"d", "delete"}, "d", "delete"),
		Restore: b([]string{"u"}, "u", "undo deletion"),
		Confirm: b([]string{"y"}, "y", "confirm"),
		Deny:    b([]string{"n", "esc"}, "n", "keep"),

		Open:       b([]string{"enter"}, "enter", "open"),
		New:        b([]string{"ctrl+n"}, "ctrl+n", "new incident"),
		NextField:  b([]string{"tab", "down"}, "tab", "next field"),
		PrevField:  b([]string{"shift+tab", "up"}, "shift+tab", "previous field"),
		CreateForm: b([]string{"enter"}, "enter", "declare"),

		// Upper case, so they never clash with the panes' own keys; the
		// screen commands have L, R, P and ? above.
		Commands: []CommandKey{
			{b([]string{"S"}, "S", "/status"), "/status "},
			{b([]string{"V"}, "V", "/sev"), "/sev "},
			{b([]string{"O"}, "O", "/lead"), "/lead "},
			{b([]string{"C"}, "C", "/comms"), "/comms "},
			{b([]string{"N"}, "N", "/role"), "/role "},
			{b([]string{"E"}, "E", "/eta"), "/eta "},
			{b([]string{"T"}, "T", "/tag"), "/tag "},
			{b([]string{"B"}, "B", "/started"), "/started"},
			{b([]string{"F"}, "F", "/detected"), "/detected"},
			{b([]string{"A"}, "A", "/acknowledged"), "/acknowledged"},
			{b([]string{"M"}, "M", "/mitigated"), "/mitigated"},
			{b([]string{"X"}, "X", "/resolved"), "/resolved"},
			{b([]string{"W"}, "W", "/every"), "/every "},
			{b([]string{"Z"}, "Z", "/snooze"), "/snooze "},
			{b([]string{"D"}, "D", "/draft"), "/draft "},
			{b([]string{"U"}, "U", "/publish"), "/publish"},
		},
	}
}
