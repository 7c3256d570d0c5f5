package tui

// TakingText: the filter, or a field of the declare form.
func (l *ListScreen) TakingText() bool {
	return l.focused && (l.form != nil || l.Filter.Focused())
}
