package common

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
	Wrap     key.Binding
	// Filter cycles the timeline's views; Find searches it, NextMatch and
	// PrevMatch step through the matches while a search is on.
	Filter    key.Binding
	Find      key.Binding
	NextMatch key.Binding
	PrevMatch key.Binding

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
	Dismiss    key.Binding // drops a pending alert
	NextField  key.Binding
	PrevField  key.Binding
	CreateForm key.Binding

	// Commands start a slash command from the timeline: the key fills the
	// capture line with the command, whose syntax the hint then shows.
	Commands []CommandKey

	// The keys of the comms pane, the retro screen and the preview, kept
	// here so every key of the program is in this one map.
	CommsPane     CommsKeys
	RetroScreen   *RetroKeys
	PreviewScreen *PreviewKeys
	ReviewScreen  *ReviewKeys
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
		CommsPane:     DefaultCommsKeys(),
		RetroScreen:   DefaultRetroKeys(),
		PreviewScreen: DefaultPreviewKeys(),
		ReviewScreen:  DefaultReviewKeys(),

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
		Wrap:     b([]string{"w"}, "w", "wrap on/off"),
		Filter:   b([]string{"f"}, "f", "filter"),
		Find:     b([]string{"ctrl+f"}, "ctrl+f", "find"),
		// While a search is on, N steps through matches rather than
		// starting /role (which / still reaches).
		NextMatch: b([]string{"n"}, "n/N", "older/newer match"),
		PrevMatch: b([]string{"N"}, "N", "newer match"),

		Edit:    b([]string{"e"}, "e", "edit text"),
		Retime:  b([]string{"t"}, "t", "re-time"),
		Star:    b([]string{"s", "*"}, "s", "star"),
		Delete:  b([]string{"d", "delete"}, "d", "delete"),
		Restore: b([]string{"u"}, "u", "undo deletion"),
		Confirm: b([]string{"y"}, "y", "confirm"),
		Deny:    b([]string{"n", "esc"}, "n", "keep"),

		Open:       b([]string{"enter"}, "enter", "open"),
		New:        b([]string{"ctrl+n"}, "ctrl+n", "new incident"),
		Dismiss:    b([]string{"ctrl+x"}, "ctrl+x", "dismiss alert"),
		NextField:  b([]string{"tab", "down"}, "tab", "next field"),
		PrevField:  b([]string{"shift+tab", "up"}, "shift+tab", "previous field"),
		CreateForm: b([]string{"enter"}, "enter", "declare"),

		// Upper case, so they never clash with the panes' own keys; the
		// Screen commands have L, R, P and ? above.
		Commands: []CommandKey{
			{b([]string{"S"}, "S", "/status"), "/status "},
			{b([]string{"V"}, "V", "/sev"), "/sev "},
			{b([]string{"O"}, "O", "/lead"), "/lead "},
			{b([]string{"C"}, "C", "/comms"), "/comms "},
			{b([]string{"N"}, "N", "/role"), "/role "},
			{b([]string{"H"}, "H", "/handover"), "/handover "},
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

// CommsKeys are the public update pane's keys, part of the one KeyMap.
type CommsKeys struct {
	Edit, Done, Publish, Resend, Template, Confirm, Deny key.Binding
	// Undo brings back the draft a template replaced.
	Undo key.Binding
	// Findings shows every jargon finding, or folds them back.
	Findings key.Binding
}

func DefaultCommsKeys() CommsKeys {
	b := func(keys []string, k, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, help))
	}
	return CommsKeys{
		Edit:     b([]string{"e", "enter"}, "e", "edit draft"),
		Done:     b([]string{"esc"}, "esc", "done editing"),
		Publish:  b([]string{"p", "ctrl+p"}, "p", "publish"),
		Resend:   b([]string{"r"}, "r", "re-send failed"),
		Template: b([]string{"t"}, "t", "draft from template"),
		Undo:     b([]string{"u"}, "u", "undo template"),
		Findings: b([]string{"f"}, "f", "all jargon findings"),
		Confirm:  b([]string{"y", "p", "ctrl+p"}, "y", "publish anyway"),
		Deny:     b([]string{"n", "esc"}, "n", "keep editing"),
	}
}

// RetroKeys are the retro screen's keys, part of the one KeyMap.
type RetroKeys struct {
	Up, Down       key.Binding
	Open           key.Binding
	Enter          key.Binding
	Cancel         key.Binding
	External       key.Binding
	Add            key.Binding
	Edit           key.Binding
	Delete         key.Binding
	Confirm        key.Binding
	MoveUp         key.Binding
	MoveDown       key.Binding
	Root           key.Binding
	Factor         key.Binding
	Lucky          key.Binding
	Evidence       key.Binding
	SwitchList     key.Binding
	Comment        key.Binding
	Toggle         key.Binding
	Star           key.Binding
	Annotate       key.Binding
	Notes          key.Binding
	Perspective    key.Binding
	Final          key.Binding
	NextField      key.Binding
	PrevField      key.Binding
	SaveForm       key.Binding
	PageUp, PageDn key.Binding
}

func DefaultRetroKeys() *RetroKeys {
	b := func(keys []string, k, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, help))
	}
	return &RetroKeys{
		Up:          b([]string{"k", "up"}, "↑/k", "up"),
		Down:        b([]string{"j", "down"}, "↓/j", "down"),
		Open:        b([]string{"enter", "l", "right"}, "enter", "edit section"),
		Enter:       b([]string{"enter"}, "enter", "next field"),
		Cancel:      b([]string{"esc"}, "esc", "back to sections"),
		External:    b([]string{"ctrl+e"}, "ctrl+e", "open in $EDITOR"),
		Add:         b([]string{"a"}, "a", "add"),
		Edit:        b([]string{"e"}, "e", "edit"),
		Delete:      b([]string{"d", "delete"}, "d", "delete"),
		Confirm:     b([]string{"y"}, "y", "confirm"),
		MoveUp:      b([]string{"K", "shift+up"}, "K/J", "move up/down"),
		MoveDown:    b([]string{"J", "shift+down"}, "J", "move down"),
		Root:        b([]string{"r"}, "r", "mark root cause"),
		Factor:      b([]string{"f"}, "f", "add factor"),
		Lucky:       b([]string{"l"}, "l", "lucky"),
		Evidence:    b([]string{"t"}, "t", "link entries"),
		SwitchList:  b([]string{"tab"}, "tab", "chain/factors"),
		Comment:     b([]string{"c"}, "c", "comment"),
		Toggle:      b([]string{"x", " "}, "x", "toggle done"),
		Star:        b([]string{"s", "*"}, "s", "star entry"),
		Annotate:    b([]string{"a"}, "a", "annotate entry"),
		Notes:       b([]string{"n"}, "n", "edit notes"),
		Perspective: b([]string{"p"}, "p", "your perspective"),
		Final:       b([]string{"F"}, "F", "draft/final"),
		NextField:   b([]string{"tab", "down"}, "tab", "next field"),
		PrevField:   b([]string{"shift+tab", "up"}, "shift+tab", "previous field"),
		SaveForm:    b([]string{"ctrl+s"}, "ctrl+s", "save"),
		PageUp:      b([]string{"pgup", "ctrl+u"}, "pgup/pgdn", "page"),
		PageDn:      b([]string{"pgdown", "ctrl+d"}, "pgdn", "page down"),
	}
}

// PreviewKeys are the preview screen's keys, part of the one KeyMap.
type PreviewKeys struct {
	Up, Down       key.Binding
	PageUp, PageDn key.Binding
	Top, Bottom    key.Binding
	Write          key.Binding
	Copy           key.Binding
	Refresh        key.Binding
	// The path prompt of Write and its overwrite question.
	WritePath, CancelPath key.Binding
	Replace, OtherPath    key.Binding
}

func DefaultPreviewKeys() *PreviewKeys {
	b := func(keys []string, k, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, help))
	}
	return &PreviewKeys{
		Up:      b([]string{"k", "up"}, "j/k", "scroll"),
		Down:    b([]string{"j", "down"}, "j", "down"),
		PageUp:  b([]string{"pgup", "ctrl+u", "b"}, "pgup/pgdn", "page"),
		PageDn:  b([]string{"pgdown", "ctrl+d", " ", "f"}, "pgdn", "page down"),
		Top:     b([]string{"g", "home"}, "g/G", "top/bottom"),
		Bottom:  b([]string{"G", "end"}, "G", "bottom"),
		Write:   b([]string{"w"}, "w", "write .md file"),
		Copy:    b([]string{"y", "c"}, "y", "copy Markdown"),
		Refresh: b([]string{"r"}, "r", "re-render"),

		WritePath:  b([]string{"enter"}, "enter", "write"),
		CancelPath: b([]string{"esc"}, "esc", "cancel"),
		Replace:    b([]string{"y"}, "y", "replace the file"),
		OtherPath:  b([]string{"n", "esc"}, "n", "another path"),
	}
}

// ReviewKeys are the review meeting's keys. The comment line always has
// the cursor, so the keys are those that do not type: tab pages through
// the retro, arrows scroll the page.
type ReviewKeys struct {
	Next, Prev     key.Binding
	Up, Down       key.Binding
	PageUp, PageDn key.Binding
	Send           key.Binding
	Leave          key.Binding
	Present        key.Binding
}

func DefaultReviewKeys() *ReviewKeys {
	b := func(keys []string, k, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, help))
	}
	return &ReviewKeys{
		Next:    b([]string{"tab"}, "tab", "next section"),
		Prev:    b([]string{"shift+tab"}, "shift+tab", "previous section"),
		Up:      b([]string{"up"}, "↑/↓", "scroll"),
		Down:    b([]string{"down"}, "↓", "scroll down"),
		PageUp:  b([]string{"pgup"}, "pgup/pgdn", "page"),
		PageDn:  b([]string{"pgdown"}, "pgdn", "page down"),
		Send:    b([]string{"enter"}, "enter", "add comment"),
		Leave:   b([]string{"esc"}, "esc", "leave review"),
		Present: b([]string{"ctrl+p"}, "ctrl+p", "present"),
	}
}
