package comms

// TakingText: the draft is being edited. A publish confirmation wants y or
// n, which are keys.
func (c *Pane) TakingText() bool { return c.Focused && c.Editing }
