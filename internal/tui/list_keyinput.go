package tui

// takingText: the filter, or a field of the declare form.
func (l *listScreen) takingText() bool {
	return l.focused && (l.form != nil || l.filter.Focused())
}
