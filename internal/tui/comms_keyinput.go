package tui

// takingText: the draft is being edited. A publish confirmation wants y or
// n, which are keys.
func (c *commsPane) takingText() bool { return c.focused && c.editing }
