package cockpit

// showOwn brings an entry this person just logged into view: a line logged
// at the end is shown by following; one backdated into the past (@23:00,
// /mitigated 12:40) is scrolled to, wherever it landed. A selection in
// progress is left alone.
func (t *timelinePane) showOwn(id int64) {
	row, ok := t.visible.rowOf(id)
	if !ok || t.selecting {
		return
	}
	if mr, _ := t.maxPos(); row >= mr {
		t.Follow = true
		t.clamp()
		return
	}
	from, _, lastWhole := t.shown()
	if row >= from && row <= lastWhole {
		return
	}
	// As reveal does for the selection, with the row as the target.
	sel, selecting := t.selID, t.selecting
	t.selID, t.selecting = id, false
	t.Follow = false
	t.reveal()
	t.selID, t.selecting = sel, selecting
	t.clamp()
}
