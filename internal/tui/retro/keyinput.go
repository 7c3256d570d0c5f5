package retro

// TakingText: the editor pane holds a text input only in a free-text
// section, the Timeline section's notes or its annotation input, and the
// whys' and actions' forms; their lists use letters as keys.
func (s *Model) TakingText() bool {
	if !s.focused || s.Focus != FocusEditor {
		return false
	}
	if s.perspective {
		return s.Text.Area.Focused()
	}
	switch kindOf(s.Current()) {
	case kindText:
		return s.Text.Area.Focused()
	case kindTimeline:
		if s.notes {
			return s.Text.Area.Focused()
		}
		return s.Timeline.Annotating
	case kindWhys:
		return s.Whys.Form != nil || s.Factors.Form != nil
	case kindActions:
		return s.Actions.Form != nil
	}
	return false
}
