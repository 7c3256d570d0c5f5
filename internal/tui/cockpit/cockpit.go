// Package cockpit is the main screen: the header, the running timeline (the
// largest pane), the incident pane and the public update pane on the right,
// and the capture line at the bottom. It shows what this program writes at
// once (follow.go) and hands /draft and /publish to the comms pane in the
// order they were typed.
package cockpit

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/comms"
)

// rightPanes builds the panes stacked under the incident pane in the right
// column, top to bottom. This is the plug-in point for the comms pane:
//
//	return []common.Component{newCommsPane(ctx)}
//
// Each pane gets an equal share of the column below the incident pane
// (which takes what it needs, up to half of the column once panes are
// below it), joins the tab focus order after the timeline, and receives
// data messages always and keys while focused.
func rightPanes(ctx *common.Context) []common.Component {
	return []common.Component{comms.New(ctx)}
}

// focus identifies the focused part of the cockpit: the capture line, the
// timeline, or focusRight+i for the i-th right pane.
type focus int

const (
	FocusCapture focus = iota
	FocusTimeline
	FocusRight
)

// Model is the main screen: header, timeline on the left (the largest
// pane), the incident pane and plug-in panes on the right, the capture line
// at the bottom.
type Model struct {
	ctx      *common.Context
	Timeline timelinePane
	info     incidentPane
	Right    []common.Component
	Capture  captureLine
	Focus    focus
	w, h     int
	// pendingFind is a search to run once the timeline has loaded.
	pendingFind string
	// drawn, shared by the model's copies, holds the timeline and the
	// capture line as View last drew them (clock.go).
	drawn *drawnParts
}

func New(ctx *common.Context) Model {
	c := Model{
		ctx:      ctx,
		Timeline: newTimelinePane(ctx),
		info:     incidentPane{ctx: ctx, memo: &paneMemo{}},
		Right:    rightPanes(ctx),
		Capture:  newCaptureLine(ctx),
		drawn:    &drawnParts{},
	}
	return c
}

// Init starts the plug-in panes.
func (c Model) Init() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(c.Right))
	for _, p := range c.Right {
		cmds = append(cmds, p.Init())
	}
	return tea.Batch(cmds...)
}

// CaptureHeight is the capture line and its hint row.
const CaptureHeight = 2

// rightWidth is the width of the right column for a cockpit w wide.
func rightWidth(w int) int { return min(max(w*2/5, 34), 60) }

// SetSize lays the cockpit out. All layout arithmetic lives here.
func (c *Model) SetSize(w, h int) {
	c.w, c.h = w, h
	bodyH := max(h-HeaderHeight-CaptureHeight, 0)
	rw := rightWidth(w)
	c.Timeline.SetSize(w-rw, bodyH)
	c.Capture.SetSize(w)
	c.info.SetSize(rw, bodyH)
	if len(c.Right) == 0 {
		return
	}
	infoH := min(c.info.naturalHeight(), bodyH/2)
	c.info.SetSize(rw, infoH)
	rest := bodyH - infoH
	for i := range c.Right {
		ph := rest / (len(c.Right) - i)
		rest -= ph
		c.Right[i] = c.Right[i].SetSize(rw, ph)
	}
}

// focusables is how many parts take the keyboard: the capture line, the
// timeline, the right panes, then the incident pane (last, so that tab
// reaches the comms pane as before and shift+tab from the capture line
// reaches the incident pane at once).
func (c *Model) focusables() int { return int(FocusRight) + len(c.Right) + 1 }

// focusInfo is the incident pane's place in the focus order.
func (c *Model) focusInfo() focus { return FocusRight + focus(len(c.Right)) }

// rightFocused returns the index of the focused right pane.
func (c *Model) rightFocused() (int, bool) {
	i := int(c.Focus - FocusRight)
	return i, c.Focus >= FocusRight && i < len(c.Right)
}

// SetFocus moves the keyboard to f.
func (c *Model) SetFocus(f focus) tea.Cmd {
	n := focus(c.focusables())
	f = ((f % n) + n) % n
	c.Focus = f
	c.Timeline.focused = f == FocusTimeline
	c.info.setFocused(f == c.focusInfo())
	if f != FocusTimeline {
		c.Timeline.stopSelecting()
	}
	for i := range c.Right {
		c.Right[i] = c.Right[i].SetFocused(f == FocusRight+focus(i))
	}
	if f == FocusCapture {
		return c.Capture.Focus()
	}
	c.Capture.Blur()
	return nil
}

// Typing reports whether the focused part takes text, so that the root
// leaves letters, esc and ? to it.
func (c *Model) Typing() bool {
	switch {
	case c.Focus == FocusCapture:
		return true
	}
	if i, ok := c.rightFocused(); ok {
		return c.Right[i].Typing()
	}
	return c.Timeline.confirm.Open()
}

// broadcast hands a data message to every plug-in pane.
func (c *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(c.Right))
	for i := range c.Right {
		var cmd tea.Cmd
		c.Right[i], cmd = c.Right[i].Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// answerFromCapture offers a key typed on the capture line to a question
// a right pane asked from there (/publish with jargon in the draft). Only
// while nothing is half-typed on the line: a key in the middle of a line
// is that line's text, and so is every key typed before the question
// could be read (common.Question).
func (c *Model) answerFromCapture(msg tea.KeyMsg) (tea.Cmd, bool) {
	if c.Capture.Mode != ModeLog || c.Capture.paste != nil {
		return nil, false
	}
	for i := range c.Right {
		// The line is read only while a question waits: it may be long.
		if a, ok := c.Right[i].(common.Asker); ok && a.Asking() && c.Capture.Input.Value() == "" {
			return a.AnswerKey(msg)
		}
	}
	return nil, false
}

// Update routes messages: keys to the focused part, data to everyone.
func (c Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.IncidentLoadedMsg:
		if td, ok := msg.Timeline.(*TimelineData); ok {
			c.Timeline.setData(td)
		}
		c.SetSize(c.w, c.h) // the incident pane's height may change
		var find tea.Cmd
		if c.pendingFind != "" && !msg.Partial {
			find, c.pendingFind = c.find(c.pendingFind), ""
		}
		return c, tea.Batch(find, c.broadcast(msg))
	case common.AppliedMsg:
		c.Timeline.settle(msg.Token)
		if msg.Token != 0 && len(msg.Result.Entries) > 0 {
			// Typed here: the new line is shown wherever it landed.
			c.Timeline.showOwn(msg.Result.Entries[0].ID)
		}
		return c, c.broadcast(msg)
	case common.TickMsg, common.EntryChangedMsg:
		return c, c.broadcast(msg)
	case common.ApplyFailedMsg:
		c.Timeline.settle(msg.Token)
		var cmd tea.Cmd
		c.Capture, cmd = c.Capture.Update(msg)
		return c, cmd
	case SaveLineMsg:
		var cmd tea.Cmd
		c.Capture, cmd = c.Capture.Update(msg)
		return c, cmd
	case UIStateMsg:
		if on := msg.wrap == "on"; on != c.Timeline.Wrap {
			c.Timeline.ToggleWrap()
		}
		if msg.id != c.ctx.IncidentID {
			return c, nil
		}
		c.Capture.restore(msg.value)
		if msg.prompt != "" {
			cmd := c.SetFocus(FocusCapture)
			return c, tea.Batch(cmd, c.Capture.restorePrompt(msg.prompt))
		}
		return c, nil
	case EntryPromptMsg:
		cmd := c.SetFocus(FocusCapture)
		return c, tea.Batch(cmd, c.Capture.openPrompt(msg.field, msg.entry))
	case tea.MouseMsg:
		c.Timeline.wheel(msg)
		return c, nil
	case tea.KeyMsg:
		return c.key(msg)
	}
	// Results of a plug-in pane's own commands go to every pane; each
	// ignores message types it does not know.
	return c, c.broadcast(msg)
}

func (c Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := c.ctx.Keys
	if msg.Paste && c.Focus == FocusCapture {
		// Text for the line; no binding matches a paste.
		var cmd tea.Cmd
		c.Capture, cmd = c.Capture.Update(msg)
		return c, tea.Batch(cmd, c.deliverHandoffs())
	}
	// Focus moves with tab unless tab completes a command; page keys scroll
	// the timeline from the capture line so reading back never costs focus.
	switch {
	case key.Matches(msg, k.NextPane) && !(c.Focus == FocusCapture && c.Capture.completing()) && c.Capture.Mode == ModeLog && !c.rightTyping():
		return c, c.SetFocus(c.Focus + 1)
	case key.Matches(msg, k.PrevPane) && c.Capture.Mode == ModeLog && !c.rightTyping():
		return c, c.SetFocus(c.Focus - 1)
	}
	switch c.Focus {
	case FocusCapture:
		if key.Matches(msg, k.PageUp, k.PageDown) {
			var cmd tea.Cmd
			c.Timeline, cmd = c.Timeline.Update(msg)
			return c, cmd
		}
		if cmd, ok := c.answerFromCapture(msg); ok {
			return c, cmd
		}
		var cmd tea.Cmd
		c.Capture, cmd = c.Capture.Update(msg)
		return c, tea.Batch(cmd, c.deliverHandoffs())
	case FocusTimeline:
		if c.Timeline.search != "" && !c.Timeline.confirm.Open() && key.Matches(msg, k.NextMatch, k.PrevMatch) {
			// Before the command keys: N steps back through the matches
			// rather than starting /role while a search is on.
			dir := 1
			if key.Matches(msg, k.NextMatch) {
				dir = -1
			}
			c.Timeline.nextMatch(dir)
			return c, nil
		}
		if !c.Timeline.selecting && !c.Timeline.confirm.Open() && c.Timeline.search != "" && key.Matches(msg, k.Back) {
			c.Timeline.setSearch("")
			return c, func() tea.Msg { return common.StatusMsg{Text: "Search ended"} }
		}
		if !c.Timeline.selecting && !c.Timeline.confirm.Open() {
			switch {
			case key.Matches(msg, k.Capture), key.Matches(msg, k.Back):
				return c, c.SetFocus(FocusCapture)
			case key.Matches(msg, k.Command):
				return c, c.startCommand("/")
			}
			for _, ck := range k.Commands {
				if key.Matches(msg, ck.Binding) {
					return c, c.startCommand(ck.Line)
				}
			}
		}
		var cmd tea.Cmd
		c.Timeline, cmd = c.Timeline.Update(msg)
		return c, cmd
	case c.focusInfo():
		switch {
		case key.Matches(msg, k.Capture, k.Back):
			return c, c.SetFocus(FocusCapture)
		case key.Matches(msg, k.Command):
			return c, c.startCommand("/")
		}
		c.info.Update(msg)
		return c, nil
	default:
		// "/" starts a command from any pane not taking text, as help's
		// "Everywhere" group says, not only from the timeline.
		i := int(c.Focus - FocusRight)
		if !c.Right[i].Typing() {
			switch {
			case key.Matches(msg, k.Capture):
				return c, c.SetFocus(FocusCapture)
			case key.Matches(msg, k.Command):
				return c, c.startCommand("/")
			}
		}
		var cmd tea.Cmd
		c.Right[i], cmd = c.Right[i].Update(msg)
		return c, cmd
	}
}

// deliverHandoffs hands the capture line's messages for other parts to
// them now, in the order the lines were typed.
func (c *Model) deliverHandoffs() tea.Cmd {
	hs := c.Capture.handoffs
	if len(hs) == 0 {
		return nil
	}
	c.Capture.handoffs = nil
	cmds := make([]tea.Cmd, 0, len(hs))
	for _, h := range hs {
		switch h := h.(type) {
		case common.PendingMsg:
			// Your own line is always in view: logging scrolls to it.
			c.Timeline.addPending(h)
		case FindMsg:
			cmds = append(cmds, c.find(h.Text))
		default:
			cmds = append(cmds, c.broadcast(h))
		}
	}
	return tea.Batch(cmds...)
}

// FindOnOpen runs a search on the timeline as soon as it has loaded: an
// incident opened from a list search opens on the matching entry.
func (c *Model) FindOnOpen(text string) tea.Cmd {
	if c.ctx.Incident != nil && !c.ctx.Partial && c.Timeline.Data.Entries() > 0 {
		return c.find(text)
	}
	c.pendingFind = text
	return nil
}

// find runs a search typed at the find prompt: the timeline takes the
// keyboard with the newest match selected, so n and N work at once.
func (c *Model) find(text string) tea.Cmd {
	cmd := c.SetFocus(FocusTimeline)
	if !c.Timeline.setSearch(text) {
		return tea.Batch(cmd, common.ErrCmd(fmt.Errorf("nothing in the timeline shown contains %q; try other words, or f for another filter", incident.CleanLine(strings.TrimSpace(text)))))
	}
	if text == "" {
		return tea.Batch(cmd, func() tea.Msg { return common.StatusMsg{Text: "Search ended"} })
	}
	n := len(c.Timeline.matches)
	return tea.Batch(cmd, func() tea.Msg {
		return common.StatusMsg{Text: fmt.Sprintf("%d %s · n older, N newer · esc ends the search", n, common.Plural(n, "match", "matches"))}
	})
}

// startCommand focuses the capture line with a command begun. A
// half-typed line is held aside and comes back once the command has run
// (or on esc), so a command key never costs what was typed.
func (c *Model) startCommand(line string) tea.Cmd {
	cmd := c.SetFocus(FocusCapture)
	if v := c.Capture.Value(); v != line {
		c.Capture.hold()
	}
	c.Capture.setFull(line)
	c.Capture.Input.CursorEnd()
	c.Capture.Err = ""
	return tea.Batch(cmd, c.Capture.Changed())
}

func (c *Model) rightTyping() bool {
	i, ok := c.rightFocused()
	return ok && c.Right[i].Typing()
}

// View draws the cockpit at its size.
func (c Model) View() string {
	tl, capture := c.Timeline.View(), c.Capture.View()
	var header string
	if d := c.drawn; d != nil {
		d.timeline, d.capture, d.w, d.h, d.ok = tl, capture, c.w, c.h, true
		header = d.headerFor(c.ctx, c.w)
	} else {
		header = headerView(c.ctx, c.w)
	}
	return c.body(header, tl, capture)
}

// body is the cockpit of header, the timeline tl and the capture line
// capture, with the right column drawn now.
func (c Model) body(header, tl, capture string) string {
	col := c.info.View()
	if len(c.Right) > 0 {
		parts := make([]string, 0, len(c.Right)+1)
		parts = append(parts, col)
		for _, p := range c.Right {
			parts = append(parts, p.View())
		}
		col = strings.Join(parts, "\n")
	}
	return header + "\n" + common.JoinH(tl, col) + "\n" + capture
}

// ShortHelp lists the keys of the focused part.
func (c Model) ShortHelp() []key.Binding {
	switch {
	case c.Focus == FocusCapture:
		return c.Capture.ShortHelp()
	case c.Focus == FocusTimeline:
		return c.Timeline.ShortHelp()
	case c.Focus == c.focusInfo():
		return c.info.ShortHelp()
	}
	return c.Right[c.Focus-FocusRight].ShortHelp()
}

// FullHelp lists every key of the cockpit.
func (c Model) FullHelp() [][]key.Binding {
	out := append(c.Capture.FullHelp(), c.Timeline.FullHelp()...)
	for _, p := range c.Right {
		out = append(out, p.FullHelp()...)
	}
	return out
}

// HelpGroups lists the keys of each part of the cockpit, the focused part
// first.
func (c Model) HelpGroups() []common.HelpGroup {
	k := c.ctx.Keys
	cmds := make([]key.Binding, 0, len(k.Commands))
	for _, ck := range k.Commands {
		cmds = append(cmds, ck.Binding)
	}
	tl := c.Timeline.FullHelp()
	capture := common.HelpGroup{Title: "Capture line", Keys: common.Flatten(c.Capture.FullHelp())}
	timeline := []common.HelpGroup{
		{Title: "Timeline", Keys: common.Flatten(tl[:len(tl)-1])},
		{Title: "Timeline: keys that start a command", Keys: cmds},
	}
	var right []common.HelpGroup
	for _, p := range c.Right {
		title := "Pane"
		if t, ok := p.(common.HelpTitler); ok {
			title = t.HelpTitle()
		}
		right = append(right, common.HelpGroup{Title: title, Keys: common.Flatten(p.FullHelp())})
	}
	info := common.HelpGroup{Title: "Incident", Keys: c.info.ShortHelp()}
	var out []common.HelpGroup
	switch {
	case c.Focus == c.focusInfo():
		out = append(append(out, info, capture), timeline...)
		out = append(out, right...)
		return out
	case c.Focus == FocusTimeline:
		out = append(append(out, timeline...), capture)
		out = append(out, right...)
	case c.Focus >= FocusRight:
		i := int(c.Focus - FocusRight)
		out = append(out, right[i], capture)
		out = append(out, timeline...)
		out = append(append(out, right[:i]...), right[i+1:]...)
	default:
		out = append(append(out, capture), timeline...)
		out = append(out, right...)
	}
	return append(out, info)
}
