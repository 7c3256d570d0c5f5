package cockpit

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestHeaderMemo: the header kept between frames and shared by a room's
// sessions is the header drawn afresh, whatever moved on: the second, the
// incident, who is here, the zone, the colours.
func TestHeaderMemo(t *testing.T) {
	t0 := time.Date(2026, 3, 11, 22, 0, 0, 0, time.UTC)
	now := t0.Add(90 * time.Second)
	inc := &incident.Incident{ID: 7, Title: "Checkout failing", Status: incident.Investigating, Created: t0,
		Roles: map[string]string{incident.RoleLead: "amara"}, Milestones: map[incident.Milestone]time.Time{incident.Started: t0},
		ETA: t0.Add(time.Hour)}
	plain := testStyles(false)
	memo := common.NewMemo()
	newSession := func() (*common.Context, *drawnParts) {
		ctx := testContext(func() time.Time { return now }, testStyles(true), inc, memo)
		ctx.Zone = "UTC"
		return ctx, &drawnParts{}
	}
	a, da := newSession()
	b, db := newSession()
	steps := []struct {
		name   string
		change func()
	}{
		{"nothing", func() {}},
		{"a second", func() { now = now.Add(time.Second) }},
		{"the room", func() { a.SetRoom([]string{"amara", "ben"}); b.SetRoom([]string{"amara", "ben"}) }},
		{"one session's room", func() { b.SetRoom([]string{"amara", "ben", "chen"}) }},
		{"the incident", func() {
			next := *inc
			next.Title = "Checkout failing for EU cards"
			a.Incident, b.Incident = &next, &next
		}},
		{"one session's zone", func() {
			zone := time.FixedZone("JST", 9*3600)
			b.Now = func() time.Time { return now.In(zone) }
			b.Zone = "JST"
		}},
		{"one session's colours", func() { b.Styles = plain }},
		{"the width", func() {}},
	}
	w := 120
	for _, s := range steps {
		s.change()
		if s.name == "the width" {
			w = 90
		}
		for i, sess := range []struct {
			ctx *common.Context
			d   *drawnParts
		}{{a, da}, {b, db}} {
			if got, want := sess.d.headerFor(sess.ctx, w), drawHeader(sess.ctx, w, nil); got != want {
				t.Errorf("after %s, session %d was given the header\n%s\nand draws\n%s", s.name, i, got, want)
			}
			// The clock's frames build on the parts kept with it.
			if got, want := clockHeader(sess.ctx, w, &sess.d.header), drawHeader(sess.ctx, w, nil); got != want {
				t.Errorf("after %s, session %d's clock frame has the header\n%s\nwant\n%s", s.name, i, got, want)
			}
		}
	}
}

// TestHeaderFollowsEachFact: the header is kept by the facts it shows, not
// by the copy of the incident; each change of one draws it again, and a
// change it does not show (a note logged, the draft) keeps it.
func TestHeaderFollowsEachFact(t *testing.T) {
	t0 := time.Date(2026, 3, 11, 22, 0, 0, 0, time.UTC)
	now := t0.Add(50 * time.Hour)
	base := func() *incident.Incident {
		return &incident.Incident{ID: 7, Title: "Checkout failing", Severity: 2, Status: incident.Investigating, Created: t0,
			Roles:      map[string]string{incident.RoleLead: "amara", "scribe": "chen"},
			Milestones: map[incident.Milestone]time.Time{incident.Started: t0}, ETA: now.Add(time.Hour)}
	}
	resolved := func(inc *incident.Incident) {
		inc.Status = incident.Resolved
		inc.Milestones = map[incident.Milestone]time.Time{incident.Started: t0, incident.MResolved: t0.Add(3 * time.Hour)}
	}
	changes := map[string]func(*incident.Incident){
		"the number":   func(inc *incident.Incident) { inc.ID = 8 },
		"the severity": func(inc *incident.Incident) { inc.Severity = 1 },
		"the title":    func(inc *incident.Incident) { inc.Title = "Checkout failing in the EU" },
		"the status":   func(inc *incident.Incident) { inc.Status = incident.Identified },
		"a role": func(inc *incident.Incident) {
			inc.Roles = map[string]string{incident.RoleLead: "ben", "scribe": "chen"}
		},
		"another role": func(inc *incident.Incident) {
			inc.Roles = map[string]string{incident.RoleLead: "amara", "scribe": "dara"}
		},
		"the alert": func(inc *incident.Incident) {
			inc.Alert = &incident.AlertOrigin{Source: "alertmanager", Name: "HighErrorRate", Key: "k"}
		},
		"the war room":       func(inc *incident.Incident) { inc.WarRoom = "#inc-7" },
		"the public channel": func(inc *incident.Incident) { inc.PublicChannel = "status.example.com" },
		"the ETA":            func(inc *incident.Incident) { inc.ETA = now.Add(2 * time.Hour) },
		"the start": func(inc *incident.Incident) {
			inc.Milestones = map[incident.Milestone]time.Time{incident.Started: t0.Add(time.Minute)}
		},
		"the declaration": func(inc *incident.Incident) { inc.Milestones = nil; inc.Created = t0.Add(-time.Minute) },
		"resolved":        resolved,
	}
	// Changes of a resolved incident: from resolved, to resolved and more.
	fromResolved := map[string]func(*incident.Incident){
		"the retro's due": func(inc *incident.Incident) { inc.Retro.Due = now.Add(5 * time.Hour) },
		"the retro final": func(inc *incident.Incident) { inc.Retro.Status = incident.RetroFinal },
		"the end":         func(inc *incident.Incident) { inc.Milestones[incident.MResolved] = t0.Add(4 * time.Hour) },
	}
	for name, change := range fromResolved {
		changes["from resolved, "+name] = change
	}
	// Resolved with no resolved milestone: the elapsed time ends when it
	// last changed.
	unmarked := func(inc *incident.Incident) {
		resolved(inc)
		inc.Milestones = map[incident.Milestone]time.Time{incident.Started: t0}
		inc.Updated = t0.Add(4 * time.Hour)
	}
	changes["from unmarked, the last change"] = func(inc *incident.Incident) { inc.Updated = t0.Add(5 * time.Hour) }
	same := map[string]func(*incident.Incident){
		"a note":          func(inc *incident.Incident) { inc.Entries = []incident.Entry{{ID: 1, Text: "note"}}; inc.Updated = now },
		"the draft":       func(inc *incident.Incident) { inc.Draft, inc.DraftRev = "We are looking", 2 },
		"a public update": func(inc *incident.Incident) { inc.Updates = []incident.Update{{At: now, Text: "fixed"}} },
	}
	styles := testStyles(false)
	session := func(inc *incident.Incident, memo *common.Memo) *common.Context {
		ctx := testContext(func() time.Time { return now }, styles, inc, memo)
		ctx.Zone = "UTC"
		return ctx
	}
	for name, change := range changes {
		from := base
		switch {
		case strings.HasPrefix(name, "from resolved"):
			from = func() *incident.Incident { inc := base(); resolved(inc); return inc }
		case strings.HasPrefix(name, "from unmarked"):
			from = func() *incident.Incident { inc := base(); unmarked(inc); return inc }
		}
		memo := common.NewMemo()
		ctx, d := session(from(), memo), &drawnParts{}
		before := d.headerFor(ctx, 160)
		// Another session of the room drew the old facts too.
		_ = (&drawnParts{}).headerFor(session(from(), memo), 160)
		next := from()
		change(next)
		ctx.Incident = next
		got, want := d.headerFor(ctx, 160), drawHeader(session(next, nil), 160, nil)
		if got != want {
			t.Errorf("after %s the header is\n%s\nwant\n%s", name, got, want)
		}
		if got == before {
			t.Errorf("%s does not show in the header: the test's change is not one", name)
		}
	}
	for name, change := range same {
		next := base()
		change(next)
		if headerFacts(next) != headerFacts(base()) {
			t.Errorf("%s changes the header's facts, which it does not show", name)
		}
		if drawHeader(session(next, nil), 160, nil) != drawHeader(session(base(), nil), 160, nil) {
			t.Errorf("%s changes the header drawn afresh: it is a fact after all", name)
		}
	}
}
