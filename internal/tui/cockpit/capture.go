package cockpit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// captureMode says what enter does with the line.
type captureMode int

const (
	// ModeLog logs the line (entry or slash command).
	ModeLog captureMode = iota
	// ModeEditText replaces the text of the entry being edited.
	ModeEditText
	// ModeRetime moves the entry being edited to another time.
	ModeRetime
	// ModeFind asks for the text to find in the timeline.
	ModeFind
)

const (
	placeholder      = "log what happened · ! action  > decision  ? question  * star  @-10m backdate · /command"
	shortPlaceholder = "log what happened · ! action  > decision  ? question  * star · /command"
)

// maxHistory bounds the lines up/down can recall.
const maxHistory = 200

// captureLine is the always-ready input at the bottom of the cockpit. It
// logs entries and runs slash commands, completes commands with tab, recalls
// earlier lines with up/down, shows errors inline while keeping the text,
// and keeps a half-typed line across quits.
type captureLine struct {
	ctx   *common.Context
	Input textinput.Model
	Mode  captureMode
	// Entry is the Entry an edit or re-time prompt changes.
	Entry incident.Entry
	// stash keeps the half-typed log line while a prompt borrows the input.
	stash string
	// cands are the commands a repeated tab cycles through, cand the one
	// on the line now (-1 before the first, while the line is candBase).
	cands    []string
	cand     int
	candBase string
	// held keeps the half-typed log line while a command key (/, S, V, …)
	// borrows the line; it comes back when the command runs or on esc.
	held string

	history []string
	// hist is the position while recalling: len(history) means the line
	// being typed, kept in histDraft.
	hist      int
	histDraft string

	Err     string
	focused bool
	w       int
	// Seq counts edits so a debounced save knows whether it is current.
	Seq int
	// handoffs are messages for other panes that must reach them before
	// the next key does (/draft, /publish, a pending row): the cockpit
	// delivers them at once, in order, in the Update that made them, since
	// a tea.Cmd's message could arrive after the next line's.
	handoffs []tea.Msg
	// paste is a paste of several lines waiting for enter or esc because
	// it holds commands (see paste_lines.go).
	paste *pendingPaste
	// overflow is the line past lineCap runes (see capture_long.go).
	overflow []rune
	// Note is a notice on the hint row that is no error (a command that
	// changed nothing).
	Note string
	// tokens numbers the lines sent, to match pending rows to writes.
	tokens int
	// saved is the value last written to the store; armed is set while a
	// longest-wait save tick is pending.
	saved       string
	savedPrompt string
	Armed       bool
}

func newCaptureLine(ctx *common.Context) captureLine {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.Focus()
	in.Cursor.SetMode(cursor.CursorStatic)
	c := captureLine{ctx: ctx, Input: in, focused: true}
	c.applyStyles()
	return c
}

func (c *captureLine) applyStyles() {
	st := c.ctx.Styles
	c.Input.PlaceholderStyle = st.Faint
	c.Input.TextStyle = st.Text
	c.Input.Cursor.Style = st.Accent
}

// SetSize sets the width; the capture line is two rows: the input and a
// row for errors and hints.
func (c *captureLine) SetSize(w int) {
	c.w = w
	// The hint of what to type, whole: a shorter one where the long one
	// would be cut mid-word.
	c.Input.Placeholder = placeholder
	switch {
	case c.Mode == ModeFind:
		c.Input.Placeholder = "words to find in the timeline"
	case w < len([]rune(placeholder))+6:
		c.Input.Placeholder = shortPlaceholder
	}
	iw := max(w-c.promptWidth()-1, 1)
	if iw == c.Input.Width {
		return
	}
	c.Input.Width = iw
	// Re-place the visible window of the text for the new width.
	c.Input.SetCursor(c.Input.Position())
}

func (c *captureLine) promptWidth() int { return len([]rune(c.prompt())) }

func (c *captureLine) prompt() string {
	switch c.Mode {
	case ModeEditText:
		return fmt.Sprintf(" edit #%d › ", c.Entry.ID)
	case ModeRetime:
		return fmt.Sprintf(" time of #%d › ", c.Entry.ID)
	case ModeFind:
		return " find › "
	}
	return " › "
}

// Focus and Blur move the keyboard to and from the line.
func (c *captureLine) Focus() tea.Cmd {
	c.focused = true
	return c.Input.Focus()
}

func (c *captureLine) Blur() {
	c.focused = false
	c.Input.Blur()
}

// Value is what is typed.
func (c *captureLine) Value() string {
	if len(c.overflow) == 0 {
		return c.Input.Value()
	}
	return c.Input.Value() + string(c.overflow)
}

// prompt opens the line as a prompt for an entry's text or time, keeping
// the half-typed log line aside.
func (c *captureLine) openPrompt(field string, e incident.Entry) tea.Cmd {
	if c.Mode == ModeLog {
		c.stash = c.Value()
	}
	c.Entry = e
	c.Err = ""
	switch field {
	case "find":
		c.Mode = ModeFind
		c.setFull(e.Text)
	case "retime":
		c.Mode = ModeRetime
		c.setFull(e.At.Format("15:04"))
	default:
		c.Mode = ModeEditText
		c.setFull(incident.CleanLine(e.Text))
	}
	c.Input.CursorEnd()
	c.SetSize(c.w)
	return c.Focus()
}

// closePrompt returns to logging with the stashed line.
func (c *captureLine) closePrompt() {
	c.Mode = ModeLog
	c.setFull(c.stash)
	c.Input.CursorEnd()
	c.stash = ""
	c.SetSize(c.w)
}

// hold sets the half-typed line aside while a command borrows the line.
// A line held already stays held: it is the one typed by hand.
func (c *captureLine) hold() {
	v := c.Value()
	if v == "" || c.Mode != ModeLog {
		return
	}
	if c.held == "" {
		c.held = v
		return
	}
	c.remember(v)
}

// giveBack puts the held line back in the input.
func (c *captureLine) giveBack() {
	if c.held == "" {
		return
	}
	c.setFull(c.held)
	c.Input.CursorEnd()
	c.held = ""
}

// Typing reports whether keys should go to the line. Always, when focused.
func (c *captureLine) Typing() bool { return c.focused }

// Update handles keys while the line is focused.
func (c captureLine) Update(msg tea.Msg) (captureLine, tea.Cmd) {
	switch msg := msg.(type) {
	case SaveLineMsg:
		if msg.Force {
			c.Armed = false
		}
		if msg.Force || msg.Seq == c.Seq {
			return c, c.SaveNow()
		}
		return c, nil
	case common.ApplyFailedMsg:
		// Each enter ended its line: a refused line goes to the history
		// (↑ brings it back) with the reason, and never back into the line
		// being typed, where the next keys would join it.
		// (logLine put it in the history when it was sent.)
		cmd := c.refused(msg.Err)
		// The half-typed line was not set with the refused write.
		c.saved = "\x00"
		return c, tea.Batch(cmd, c.SaveNow())
	case tea.KeyMsg:
		return c.key(msg)
	}
	var cmd tea.Cmd
	c.Input, cmd = c.Input.Update(msg)
	return c, cmd
}

func (c captureLine) key(msg tea.KeyMsg) (captureLine, tea.Cmd) {
	k := c.ctx.Keys
	if c.paste != nil {
		if cmd, ok := c.pasteKey(msg); ok {
			return c, cmd
		}
	} else if cmd, ok := c.offerPaste(msg); ok {
		return c, cmd
	}
	if msg.Paste || (len(c.overflow) > 0 && (msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace)) {
		// Text: no binding matches a paste, and comparing would spell
		// out all of it for each.
		c.insert(msg.Runes)
		c.Err = ""
		return c, c.Changed()
	}
	if len(c.overflow) > 0 && msg.Type == tea.KeyBackspace && c.Input.Position() == len([]rune(c.Input.Value())) {
		c.overflow = c.overflow[:len(c.overflow)-1]
		return c, c.Changed()
	}
	switch {
	case key.Matches(msg, k.Submit):
		return c.submit()
	case key.Matches(msg, k.Cancel) && c.Mode == ModeLog && c.held != "":
		// The command is dropped (↑ recalls it) and the line comes back.
		c.remember(c.Value())
		c.giveBack()
		return c, c.Changed()
	case key.Matches(msg, k.Cancel) && c.Mode != ModeLog:
		c.closePrompt()
		c.Err = ""
		return c, c.SaveNow()
	case key.Matches(msg, k.Complete) && c.completing():
		c.complete()
		return c, c.Changed()
	case key.Matches(msg, k.HistPrev) && c.Mode == ModeLog:
		c.recall(-1)
		return c, c.Changed()
	case key.Matches(msg, k.HistNext) && c.Mode == ModeLog:
		c.recall(1)
		return c, c.Changed()
	}
	// Any other key edits or moves in the line. Comparing values to tell
	// the two apart would copy the whole line twice per key, which a
	// pasted megabyte makes slow; a save that finds nothing changed is
	// skipped anyway.
	var cmd tea.Cmd
	c.Input, cmd = c.Input.Update(msg)
	c.Err = ""
	return c, tea.Batch(cmd, c.Changed())
}

// submit runs the line: logs it, runs its command, or finishes a prompt.
func (c captureLine) submit() (captureLine, tea.Cmd) {
	line := c.Value()
	now := c.ctx.Now()
	switch c.Mode {
	case ModeEditText:
		text := strings.TrimSpace(line)
		if text == "" {
			c.Err = "the text is empty; to remove the entry, select it and press d"
			return c, nil
		}
		id := c.Entry.ID
		c.closePrompt()
		return c, tea.Batch(common.EditEntryCmd(c.ctx, id, "Entry edited", func(e *incident.Entry) error { e.Text = text; return nil }), c.SaveNow())
	case ModeFind:
		c.closePrompt()
		c.handoffs = append(c.handoffs, FindMsg{Text: line})
		return c, c.SaveNow()
	case ModeRetime:
		at, err := incident.ParsePast(line, now)
		if err != nil {
			c.Err = store.Message(err)
			return c, nil
		}
		id := c.Entry.ID
		c.closePrompt()
		return c, tea.Batch(common.EditEntryCmd(c.ctx, id, "Entry moved to "+at.Format("15:04"), func(e *incident.Entry) error { e.At = at; return nil }), c.SaveNow())
	}
	if strings.TrimSpace(line) == "" {
		return c, nil
	}
	if c.ctx.IncidentID == 0 {
		c.Err = common.ErrNoIncident.Error()
		return c, nil
	}
	if c.paste != nil {
		// A paste waits for its answer: a line typed meanwhile follows
		// the paste's lines, in the order typed.
		c.paste.after = append(c.paste.after, line)
		c.remember(line)
		c.setFull("")
		c.giveBack()
		return c, c.Changed()
	}
	c.setFull("")
	c.giveBack()
	c.Err, c.Note = "", ""
	cmd := c.logLine(line)
	return c, tea.Batch(cmd, c.Changed())
}

// logLine logs one line as typed: an entry, or a command, or its refusal
// (the line goes to the history with the reason; what is typed after it
// is handled as typed). The capture line's own value must already be what
// stays on it once the line is logged.
func (c *captureLine) logLine(line string) tea.Cmd {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	now := c.ctx.Now()
	c.remember(line)
	capt, err := incident.ParseCapture(line, now)
	if err != nil {
		return c.refused(err)
	}
	switch capt.Command {
	case incident.CmdRetro, incident.CmdReview, incident.CmdList, incident.CmdPreview, incident.CmdHelp:
		s := map[incident.Command]common.Screen{incident.CmdRetro: common.ScreenRetro, incident.CmdReview: common.ScreenReview, incident.CmdList: common.ScreenList, incident.CmdPreview: common.ScreenPreview, incident.CmdHelp: common.ScreenHelp}[capt.Command]
		return func() tea.Msg { return common.SwitchScreenMsg{Screen: s} }
	case incident.CmdPublish:
		// The comms pane publishes: it holds the draft as typed and asks
		// once when the jargon check found something.
		c.handoffs = append(c.handoffs, common.PublishRequestMsg{Text: capt.Text})
		return nil
	case incident.CmdDraft:
		c.handoffs = append(c.handoffs, common.DraftSetMsg{Text: capt.Text})
		return nil
	}
	c.tokens++
	token := c.tokens
	pending := incident.Entry{At: now, Author: c.ctx.Author, Kind: capt.Kind, Text: line, Starred: capt.Starred}
	if capt.IsEntry() {
		pending.Text = capt.Text
		if !capt.At.IsZero() {
			pending.At = capt.At
		}
	} else {
		pending.Kind = incident.KindSystem
	}
	c.handoffs = append(c.handoffs, common.PendingMsg{Token: token, Entry: pending})
	// The half-typed line is set to what stays on the line in the same
	// transaction as the entry, so a crash never brings this line back.
	rest := c.Value()
	if c.held != "" {
		rest = c.held
	}
	c.saved = rest
	return applyCmd(c.ctx, line, capt, now, token, rest)
}

// refused says why a line was not logged, on the hint row and on the
// status line (where it stays while the next lines are typed): a refusal
// as an error, a command that changed nothing as a notice. The line is in
// the history already.
func (c *captureLine) refused(err error) tea.Cmd {
	if errors.Is(err, incident.ErrUnchanged) {
		note := store.Message(err) + "; nothing changed"
		return func() tea.Msg { return common.NoticeMsg{Text: note} }
	}
	why := "not logged, ↑ brings it back: " + store.Message(err)
	c.Err = why
	return func() tea.Msg { return common.NoticeMsg{Text: why, Err: true} }
}

// View draws the input row and the hint row.
func (c captureLine) View() string {
	st := c.ctx.Styles
	ps := st.Prompt
	if c.Mode != ModeLog {
		ps = st.PromptEdit
	}
	if !c.focused {
		ps = st.Faint
	}
	return common.Fit(ps.Render(c.prompt())+c.Input.View(), c.w) + "\n" + common.Fit(c.hint(), c.w)
}
