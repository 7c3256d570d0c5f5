package tui

// takingText: the editor pane holds a text input only in a free-text
// section, the Timeline section's notes or its annotation input, and the
// whys' and actions' forms; their lists use letters as keys.
func (s *retroScreen) takingText() bool {
	if !s.focused || s.focus != focusEditor {
		return false
	}
	switch kindOf(s.current()) {
	case kindText:
		return s.text.area.Focused()
	case kindTimeline:
		if s.notes {
			return s.text.area.Focused()
		}
		return s.timeline.annotating
	case kindWhys:
		return s.whys.form != nil
	case kindActions:
		return s.actions.form != nil
	}
	return false
}
