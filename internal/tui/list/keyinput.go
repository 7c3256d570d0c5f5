package list

// TakingText: the filter, or a field of the declare form.
func (l *Model) TakingText() bool {
	return l.focused && (l.form != nil || l.Filter.Focused())
}
