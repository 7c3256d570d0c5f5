package tui

// takingText: the draft is being edited. A publish confirmation wants y or
// n, which are keys.
func (c *CommsPane) takingText() bool { return c.Focused && c.Editing }
