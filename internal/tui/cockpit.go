package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/warroom-cli/warroom/internal/tui/common"
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
	return []common.Component{newCommsPane(ctx)}
}

// focus identifies the focused part of the cockpit: the capture line, the
// timeline, or focusRight+i for the i-th right pane.
type focus int

const (
	focusCapture focus = iota
	focusTimeline
	focusRight
)

// cockpit is the main screen: header, timeline on the left (the largest
// pane), the incident pane and plug-in panes on the right, the capture line
// at the bottom.
type cockpit struct {
	ctx      *common.Context
	timeline timelinePane
	info     incidentPane
	right    []common.Component
	capture  captureLine
	focus    focus
	w, h     int
}

func newCockpit(ctx *common.Context) cockpit {
	c := cockpit{
		ctx:      ctx,
		timeline: newTimelinePane(ctx),
		info:     incidentPane{ctx: ctx},
		right:    rightPanes(ctx),
		capture:  newCaptureLine(ctx),
	}
	return c
}

// Init starts the plug-in panes.
func (c cockpit) Init() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(c.right))
	for _, p := range c.right {
		cmds = append(cmds, p.Init())
	}
	return tea.Batch(cmds...)
}

// captureHeight is the capture line and its hint row.
const captureHeight = 2

// rightWidth is the width of the right column for a cockpit w wide.
func rightWidth(w int) int { return min(max(w*2/5, 34), 60) }

// SetSize lays the cockpit out. All layout arithmetic lives here.
func (c *cockpit) SetSize(w, h int) {
	c.w, c.h = w, h
	bodyH := max(h-headerHeight-captureHeight, 0)
	rw := rightWidth(w)
	c.timeline.SetSize(w-rw, bodyH)
	c.capture.SetSize(w)
	c.info.SetSize(rw, bodyH)
	if len(c.right) == 0 {
		return
	}
	infoH := min(c.info.naturalHeight(), bodyH/2)
	c.info.SetSize(rw, infoH)
	rest := bodyH - infoH
	for i := range c.right {
		ph := rest / (len(c.right) - i)
		rest -= ph
		c.right[i] = c.right[i].SetSize(rw, ph)
	}
}

// focusables is how many parts take the keyboard.
func (c *cockpit) focusables() int { return int(focusRight) + len(c.right) }

// setFocus moves the keyboard to f.
func (c *cockpit) setFocus(f focus) tea.Cmd {
	n := focus(c.focusables())
	f = ((f % n) + n) % n
	c.focus = f
	c.timeline.focused = f == focusTimeline
	if f != focusTimeline {
		c.timeline.stopSelecting()
	}
	for i := range c.right {
		c.right[i] = c.right[i].SetFocused(f == focusRight+focus(i))
	}
	if f == focusCapture {
		return c.capture.Focus()
	}
	c.capture.Blur()
	return nil
}

// Typing reports whether the focused part takes text, so that the root
// leaves letters, esc and ? to it.
func (c *cockpit) Typing() bool {
	switch {
	case c.focus == focusCapture:
		return true
	case c.focus >= focusRight:
		return c.right[c.focus-focusRight].Typing()
	}
	return c.timeline.confirm
}

// broadcast hands a data message to every plug-in pane.
func (c *cockpit) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(c.right))
	for i := range c.right {
		var cmd tea.Cmd
		c.right[i], cmd = c.right[i].Update(msg)
		cmds = append(cmds, cmd, c.answerFocusRequest(i))
	}
	return tea.Batch(cmds...)
}

// answerFocusRequest moves the keyboard to or from the i-th right pane
// when it asked (see common.FocusAsker).
func (c *cockpit) answerFocusRequest(i int) tea.Cmd {
	fa, ok := c.right[i].(common.FocusAsker)
	if !ok {
		return nil
	}
	switch fa.TakeFocusRequest() {
	case 1:
		return c.setFocus(focusRight + focus(i))
	case -1:
		if c.focus == focusRight+focus(i) {
			return c.setFocus(focusCapture)
		}
	}
	return nil
}

// Update routes messages: keys to the focused part, data to everyone.
func (c cockpit) Update(msg tea.Msg) (cockpit, tea.Cmd) {
	switch msg := msg.(type) {
	case common.IncidentLoadedMsg:
		if td, ok := msg.Timeline.(*timelineData); ok {
			c.timeline.setData(td)
		}
		c.SetSize(c.w, c.h) // the incident pane's height may change
		return c, c.broadcast(msg)
	case common.AppliedMsg:
		c.timeline.settle(msg.Token)
		return c, c.broadcast(msg)
	case common.TickMsg, common.EntryChangedMsg:
		return c, c.broadcast(msg)
	case common.ApplyFailedMsg:
		c.timeline.settle(msg.Token)
		var cmd tea.Cmd
		c.capture, cmd = c.capture.Update(msg)
		return c, cmd
	case saveLineMsg:
		var cmd tea.Cmd
		c.capture, cmd = c.capture.Update(msg)
		return c, cmd
	case uiStateMsg:
		if msg.id != c.ctx.IncidentID {
			return c, nil
		}
		c.capture.restore(msg.value)
		if msg.prompt != "" {
			cmd := c.setFocus(focusCapture)
			return c, tea.Batch(cmd, c.capture.restorePrompt(msg.prompt))
		}
		return c, nil
	case entryPromptMsg:
		cmd := c.setFocus(focusCapture)
		return c, tea.Batch(cmd, c.capture.openPrompt(msg.field, msg.entry))
	case tea.MouseMsg:
		c.timeline.wheel(msg)
		return c, nil
	case tea.KeyMsg:
		return c.key(msg)
	}
	// Results of a plug-in pane's own commands go to every pane; each
	// ignores message types it does not know.
	return c, c.broadcast(msg)
}

func (c cockpit) key(msg tea.KeyMsg) (cockpit, tea.Cmd) {
	k := c.ctx.Keys
	// Focus moves with tab unless tab completes a command; page keys scroll
	// the timeline from the capture line so reading back never costs focus.
	switch {
	case key.Matches(msg, k.NextPane) && !(c.focus == focusCapture && c.capture.completing()) && c.capture.mode == modeLog && !c.rightTyping():
		return c, c.setFocus(c.focus + 1)
	case key.Matches(msg, k.PrevPane) && c.capture.mode == modeLog && !c.rightTyping():
		return c, c.setFocus(c.focus - 1)
	}
	switch c.focus {
	case focusCapture:
		if key.Matches(msg, k.PageUp, k.PageDown) {
			var cmd tea.Cmd
			c.timeline, cmd = c.timeline.Update(msg)
			return c, cmd
		}
		var cmd tea.Cmd
		c.capture, cmd = c.capture.Update(msg)
		if h := c.capture.handoff; h != nil {
			c.capture.handoff = nil
			if p, ok := h.(common.PendingMsg); ok {
				c.timeline.addPending(p)
				return c, cmd
			}
			return c, tea.Batch(cmd, c.broadcast(h))
		}
		return c, cmd
	case focusTimeline:
		if !c.timeline.selecting && !c.timeline.confirm {
			switch {
			case key.Matches(msg, k.Capture), key.Matches(msg, k.Back):
				return c, c.setFocus(focusCapture)
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
		c.timeline, cmd = c.timeline.Update(msg)
		return c, cmd
	default:
		i := int(c.focus - focusRight)
		if !c.right[i].Typing() && key.Matches(msg, k.Capture) {
			return c, c.setFocus(focusCapture)
		}
		var cmd tea.Cmd
		c.right[i], cmd = c.right[i].Update(msg)
		return c, tea.Batch(cmd, c.answerFocusRequest(i))
	}
}

// startCommand focuses the capture line with a command begun, keeping any
// half-typed line in the history so nothing is lost.
func (c *cockpit) startCommand(line string) tea.Cmd {
	cmd := c.setFocus(focusCapture)
	if v := c.capture.Value(); v != "" && v != line {
		c.capture.remember(v)
	}
	c.capture.input.SetValue(line)
	c.capture.input.CursorEnd()
	c.capture.err = ""
	return tea.Batch(cmd, c.capture.changed())
}

func (c *cockpit) rightTyping() bool {
	return c.focus >= focusRight && c.right[c.focus-focusRight].Typing()
}

// View draws the cockpit at its size.
func (c cockpit) View() string {
	var b strings.Builder
	b.WriteString(headerView(c.ctx, c.w))
	b.WriteByte('\n')
	col := c.info.View()
	if len(c.right) > 0 {
		parts := make([]string, 0, len(c.right)+1)
		parts = append(parts, col)
		for _, p := range c.right {
			parts = append(parts, p.View())
		}
		col = strings.Join(parts, "\n")
	}
	b.WriteString(common.JoinH(c.timeline.View(), col))
	b.WriteByte('\n')
	b.WriteString(c.capture.View())
	return b.String()
}

// ShortHelp lists the keys of the focused part.
func (c cockpit) ShortHelp() []key.Binding {
	switch {
	case c.focus == focusCapture:
		return c.capture.ShortHelp()
	case c.focus == focusTimeline:
		return c.timeline.ShortHelp()
	}
	return c.right[c.focus-focusRight].ShortHelp()
}

// FullHelp lists every key of the cockpit.
func (c cockpit) FullHelp() [][]key.Binding {
	out := append(c.capture.FullHelp(), c.timeline.FullHelp()...)
	for _, p := range c.right {
		out = append(out, p.FullHelp()...)
	}
	return out
}
