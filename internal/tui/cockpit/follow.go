package cockpit

import (
	"reflect"
	"slices"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// Following the incident without re-reading it.
//
// The screen applies this program's own writes as their results come back
// (the write returns the entries it stored and the head folded after them),
// and reads another process's changes as what came after the last
// transaction it has seen (store.Since: the entries with later ids and the
// entries named by later change records). Both cost what changed, not the
// length of the timeline. A copy read in a transaction older than the one
// on screen is dropped, so a reload that started before a save can never
// put older text back.

// withHead is inc with its own fields, updates and retro from head, and
// its changes kept: a new value, since components may hold the old one.
// The entries are the timeline's (TimelineData), not the incident's.
func withHead(inc, head *incident.Incident) *incident.Incident {
	out := *head
	out.Entries, out.Changes = nil, inc.Changes
	if head.Updates == nil {
		out.Updates = inc.Updates
	}
	return &out
}

// DeltaChangesNothing reports that d holds nothing the screen does not
// show already: no entry, no change record, and the same head, retro and
// updates. The commit it follows touched only per-user state (a
// half-typed line saved, a presence heartbeat), so the screen stays as it
// is. A head that only looks different is merely drawn again.
func DeltaChangesNothing(inc *incident.Incident, d store.Delta) bool {
	if inc == nil || d.Head == nil || len(d.Added) > 0 || len(d.Edited) > 0 || len(d.Changes) > 0 {
		return false
	}
	cur := *inc
	cur.Entries, cur.Changes = nil, nil
	next := *d.Head
	next.Entries, next.Changes = nil, nil
	if len(cur.Updates) == 0 && len(next.Updates) == 0 {
		cur.Updates, next.Updates = nil, nil
	}
	return reflect.DeepEqual(cur, next)
}

// MergeDelta applies d to the incident on screen and returns the new copy
// and its timeline: extended when the delta only appends entries at the
// end (the common case: someone logged a line), otherwise patched where
// the entries changed (patch.go), so an edit, star, delete or re-time
// costs the same on a 100,000-entry timeline as on a 10-entry one. known
// holds the ids of entries already applied from this program's own
// writes, which a delta brings again. Nothing handed in is changed: the
// timeline before may still be on another session's screen.
func MergeDelta(inc *incident.Incident, td *TimelineData, d store.Delta, known map[int64]bool) (*incident.Incident, *TimelineData) {
	out := withHead(inc, d.Head)
	if len(d.Changes) > 0 {
		// A new slice: the one before may be shared (a line logged,
		// the common change, has no change record and copies nothing).
		out.Changes = slices.Concat(inc.Changes, d.Changes)
	}
	if td == nil {
		td = &TimelineData{}
	}
	added := make([]incident.Entry, 0, len(d.Added))
	for _, e := range d.Added {
		if !known[e.ID] {
			added = append(added, e)
		}
	}
	switch {
	case len(d.Edited) == 0 && td.canExtend(added):
		return out, td.extend(added)
	case len(d.Edited) == 0 && len(added) == 0:
		return out, td
	}
	return out, td.Patched(slices.Concat(d.Edited, added))
}

// AppendOwn adds the entries this program just stored to the incident on
// screen, and the timeline to match.
func AppendOwn(inc *incident.Incident, td *TimelineData, head *incident.Incident, added []incident.Entry) (*incident.Incident, *TimelineData) {
	out := inc
	if head != nil {
		out = withHead(inc, head)
	} else {
		c := *inc
		out = &c
	}
	if td == nil {
		td = &TimelineData{}
	}
	added = slices.Clone(added)
	if td.canExtend(added) {
		return out, td.extend(added)
	}
	return out, td.Patched(added)
}
