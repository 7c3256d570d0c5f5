package common

import (
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// InZone puts every time of inc in loc, in place, so that whatever formats
// a time (a row's "15:04", a due date) shows it in the one zone the screen
// names. Times are compared with Equal and stored by instant, so nothing
// but their display changes. inc must be a copy this program owns (a fresh
// read or a delta), never one already shown.
func InZone(inc *incident.Incident, loc *time.Location) {
	if inc == nil || loc == nil {
		return
	}
	in := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.In(loc)
		}
	}
	in(&inc.Created)
	in(&inc.Updated)
	in(&inc.ETA)
	in(&inc.NextUpdateDue)
	for m, t := range inc.Milestones {
		inc.Milestones[m] = t.In(loc)
	}
	EntriesInZone(inc.Entries, loc)
	for i := range inc.Updates {
		in(&inc.Updates[i].At)
		for j := range inc.Updates[i].Delivery {
			in(&inc.Updates[i].Delivery[j].At)
		}
	}
	in(&inc.Retro.Due)
	for i := range inc.Retro.Actions {
		in(&inc.Retro.Actions[i].Due)
	}
	for i := range inc.Retro.Sections {
		in(&inc.Retro.Sections[i].Edited)
	}
	for i := range inc.Changes {
		in(&inc.Changes[i].At)
	}
}

// EntriesInZone puts the entries' times in loc, in place.
func EntriesInZone(es []incident.Entry, loc *time.Location) {
	if loc == nil {
		return
	}
	for i := range es {
		e := &es[i]
		e.At = e.At.In(loc)
		if !e.RecordedAt.IsZero() {
			e.RecordedAt = e.RecordedAt.In(loc)
		}
		if !e.EditedAt.IsZero() {
			e.EditedAt = e.EditedAt.In(loc)
		}
	}
}
