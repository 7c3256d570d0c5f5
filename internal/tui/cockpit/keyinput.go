package cockpit

import "github.com/warroom-cli/warroom/internal/tui/common"

// TakingText: the capture line in any mode (log, edit, re-time) is a text
// input; the timeline never is, even while a y/n confirmation is asked.
func (c *Model) TakingText() bool {
	switch {
	case c.Focus == FocusCapture:
		return c.Capture.focused
	}
	if i, ok := c.rightFocused(); ok {
		return common.ComponentTakingText(c.Right[i])
	}
	return false
}
