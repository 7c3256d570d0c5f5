package tui

// takingText: the capture line in any mode (log, edit, re-time) is a text
// input; the timeline never is, even while a y/n confirmation is asked.
func (c *cockpit) takingText() bool {
	switch {
	case c.focus == focusCapture:
		return c.capture.focused
	case c.focus >= focusRight:
		return componentTakingText(c.right[c.focus-focusRight])
	}
	return false
}
