package cockpit

import (
	"strings"

	"github.com/warroom-cli/warroom/internal/incident"
)

// timelineFilter is one of the views f cycles through: what a lead wants
// to read through the noise of a long incident.
type timelineFilter struct {
	// Name is shown in the pane's title while the filter is on.
	Name string
	keep func(e *incident.Entry) bool
	// skipEmpty leaves the filter out of f's round on a timeline where it
	// would show nothing (most incidents have no alert entries).
	skipEmpty bool
}

// filters are the views f cycles through, "all" first.
var filters = []timelineFilter{
	{Name: "all"},
	{Name: "no status/role/system", keep: func(e *incident.Entry) bool {
		switch e.Kind {
		case incident.KindSystem, incident.KindStatus, incident.KindRole:
			return false
		}
		return true
	}},
	{Name: "starred only", keep: func(e *incident.Entry) bool { return e.Starred }},
	kindFilter(incident.KindAction, "actions"),
	kindFilter(incident.KindDecision, "decisions"),
	kindFilter(incident.KindQuestion, "questions"),
	kindFilter(incident.KindNote, "notes"),
	kindFilter(incident.KindMilestone, "milestones"),
	kindFilter(incident.KindPublic, "public updates"),
	// What alerts wrote (declaration, labels, links, firing and
	// resolving), by its author "alert:<source>" rather than a kind: an
	// alert's news is a note like any other on the record.
	{Name: "alerts only", keep: func(e *incident.Entry) bool { return incident.IsAlertEntry(*e) }, skipEmpty: true},
}

func kindFilter(k incident.Kind, name string) timelineFilter {
	return timelineFilter{Name: name + " only", keep: func(e *incident.Entry) bool { return e.Kind == k }}
}

// apply returns the rows the filter lets through. Gap lines are left out
// of a filtered view: a silence between two shown entries is not one on
// the incident. Date lines stay, so days still read as days.
func (f timelineFilter) apply(td *TimelineData) *TimelineData {
	if f.keep == nil {
		return td
	}
	// The same ids as the timeline filtered: a filtered view finds an
	// entry's row the same way, and shares every chunk of them.
	out := &TimelineData{author: td.author, ids: td.ids, multiDay: td.multiDay}
	var rows []tlRow
	var prev *incident.Entry
	for e := range td.Shown() {
		if !f.keep(e) {
			continue
		}
		rows = out.rowsFor(rows, e, prev)
		prev = e
	}
	out.rows = seqOf(rows)
	return out
}

// nextFilter is the filter after the current one in f's round, passing
// over those that would show nothing and ask to be skipped then.
func (t *timelinePane) nextFilter() int {
	i := t.filter
	for range filters {
		i = (i + 1) % len(filters)
		f := filters[i]
		if !f.skipEmpty || t.Data == nil || t.Data.anyShown(f.keep) {
			return i
		}
	}
	return 0
}

// setFilter switches to filter i, keeping the selected (or top) entry in
// view when it passes.
func (t *timelinePane) setFilter(i int) {
	t.filter = (i + len(filters)) % len(filters)
	t.visible = filters[t.filter].apply(t.Data)
	t.Off = 0
	if _, ok := t.visible.rowOf(t.selID); t.selecting && ok {
		t.findMatches()
		t.reveal()
		return
	}
	t.selecting = false
	t.confirm.Close(t.ctx)
	t.Follow = true
	t.findMatches()
	t.clamp()
}

// setSearch looks for text in the entries shown and selects the newest
// match; "" ends the search.
func (t *timelinePane) setSearch(text string) bool {
	t.search = strings.TrimSpace(text)
	t.findMatches()
	if t.search == "" || len(t.matches) == 0 {
		return t.search == ""
	}
	t.selecting = true
	t.selID = t.matches[len(t.matches)-1]
	t.reveal()
	return true
}

// findMatches lists the ids of the shown entries that contain the search,
// case-insensitively, oldest first.
func (t *timelinePane) findMatches() {
	t.matches = t.matches[:0]
	if t.search == "" {
		return
	}
	q := strings.ToLower(t.search)
	for e := range t.visible.Shown() {
		if strings.Contains(strings.ToLower(e.Text), q) || strings.Contains(strings.ToLower(e.Author), q) {
			t.matches = append(t.matches, e.ID)
		}
	}
}

// nextMatch selects the match dir away from the selected entry: -1 is the
// older one (n, as the search runs up from the newest), +1 the newer (N);
// it wraps round at either end.
func (t *timelinePane) nextMatch(dir int) {
	n := len(t.matches)
	if n == 0 {
		return
	}
	target := n - 1 // nothing selected: n starts at the newest match
	if dir > 0 {
		target = 0
	}
	if cur := t.matchIndex() - 1; cur >= 0 {
		target = ((cur+dir)%n + n) % n
	} else if row, ok := t.visible.rowOf(t.selID); ok && t.selecting {
		// Between matches: the nearest one in that direction, wrapping.
		target = -1
		for i, id := range t.matches {
			if r, _ := t.visible.rowOf(id); (dir < 0 && r < row) || (dir > 0 && r > row && target < 0) {
				target = i
			}
		}
		if target < 0 && dir < 0 {
			target = n - 1
		} else if target < 0 {
			target = 0
		}
	}
	t.selecting = true
	t.selID = t.matches[target]
	t.confirm.Close(t.ctx)
	t.reveal()
}

// matchIndex is the 1-based position of the selected entry among the
// matches, 0 when it is not one.
func (t *timelinePane) matchIndex() int {
	for i, id := range t.matches {
		if id == t.selID {
			return i + 1
		}
	}
	return 0
}

// anyShown reports whether keep holds for any entry shown.
func (td *TimelineData) anyShown(keep func(*incident.Entry) bool) bool {
	for e := range td.Shown() {
		if keep(e) {
			return true
		}
	}
	return false
}
