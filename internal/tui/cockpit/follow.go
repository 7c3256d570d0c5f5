package cockpit

import (
	"reflect"
	"slices"
	"time"

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

// Headroom is the spare capacity kept after n entries: enough for a long
// stretch of typing before a slice must grow (and be copied) again.
func Headroom(n int) int { return 256 + n/16 }

// withHead is inc with its own fields, updates and retro from head, and
// its entries and changes kept: a new value, since components may hold the
// old one.
func withHead(inc, head *incident.Incident) *incident.Incident {
	out := *head
	out.Entries, out.Changes = inc.Entries, inc.Changes
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
// and its timeline: extended in place when the delta only appends entries
// at the end (the common case: someone logged a line), otherwise patched
// in place where the entries changed (patch.go), so an edit, star, delete
// or re-time costs the same on a 100,000-entry timeline as on a 10-entry
// one. known holds the ids of entries already applied from this program's
// own writes, which a delta brings again.
//
// The incident's entries are changed in place too: the copy handed out
// before is no longer used after (a render of it in another goroutine
// works on its own snapshot, as the preview's does).
func MergeDelta(inc *incident.Incident, td *TimelineData, d store.Delta, gap time.Duration, known map[int64]bool) (*incident.Incident, *TimelineData) {
	out := withHead(inc, d.Head)
	out.Changes = append(inc.Changes, d.Changes...)
	added := make([]incident.Entry, 0, len(d.Added))
	for _, e := range d.Added {
		if !known[e.ID] {
			added = append(added, e)
		}
	}
	if len(d.Edited) == 0 && td != nil && td.canExtend(added) {
		out.Entries = append(inc.Entries, added...)
		return out, td.extend(added, gap)
	}
	if len(d.Edited) == 0 && len(added) == 0 && td != nil {
		return out, td
	}
	var old map[int64]entryKey
	if td != nil {
		old = td.keyOf
	}
	changed := append(slices.Clip(d.Edited), added...)
	out.Entries = patchEntries(inc.Entries, changed, old, len(d.Edited))
	if td == nil || td.pending != nil {
		return out, BuildTimeline(out, gap)
	}
	return out, td.Patched(changed, out, gap)
}

// AppendOwn adds the entries this program just stored to the incident on
// screen, and the timeline to match.
func AppendOwn(inc *incident.Incident, td *TimelineData, head *incident.Incident, added []incident.Entry, gap time.Duration) (*incident.Incident, *TimelineData) {
	out := inc
	if head != nil {
		out = withHead(inc, head)
	} else {
		c := *inc
		out = &c
	}
	out.Entries = append(inc.Entries, added...)
	if td != nil && td.canExtend(added) {
		return out, td.extend(added, gap)
	}
	incident.SortEntries(out.Entries)
	return out, BuildTimeline(out, gap)
}
