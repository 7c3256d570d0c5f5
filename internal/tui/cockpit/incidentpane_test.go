package cockpit

import (
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestIncidentPaneFollowsEachFact: the pane is kept by the facts it shows,
// not by the copy of the incident (every logged line brings a new copy).
// Each change of a fact it shows must draw it again, in a session of its
// own and in a room sharing the memo; a change it does not show (a note,
// the draft) must not.
func TestIncidentPaneFollowsEachFact(t *testing.T) {
	t0 := time.Date(2026, 3, 11, 22, 0, 0, 0, time.UTC)
	now := t0.Add(30 * time.Minute)
	base := func() *incident.Incident {
		return &incident.Incident{
			ID: 7, Title: "Checkout failing", Status: incident.Investigating, Created: t0,
			Roles:      map[string]string{incident.RoleLead: "amara"},
			Milestones: map[incident.Milestone]time.Time{incident.Started: t0},
			ETA:        t0.Add(2 * time.Hour),
			Tags:       []string{"payments"},
		}
	}
	changes := map[string]func(*incident.Incident){
		"a role": func(inc *incident.Incident) { inc.Roles = map[string]string{incident.RoleLead: "ben"} },
		"a new role": func(inc *incident.Incident) {
			inc.Roles = map[string]string{incident.RoleLead: "amara", "scribe": "chen"}
		},
		"a milestone": func(inc *incident.Incident) {
			inc.Milestones = map[incident.Milestone]time.Time{incident.Started: t0, incident.Detected: t0.Add(5 * time.Minute)}
		},
		"a milestone moved": func(inc *incident.Incident) {
			inc.Milestones = map[incident.Milestone]time.Time{incident.Started: t0.Add(-time.Minute)}
		},
		"the ETA":         func(inc *incident.Incident) { inc.ETA = t0.Add(3 * time.Hour) },
		"the ETA cleared": func(inc *incident.Incident) { inc.ETA = time.Time{} },
		"the cadence":     func(inc *incident.Incident) { inc.Cadence = 45 * time.Minute },
		"an update":       func(inc *incident.Incident) { inc.Updates = []incident.Update{{At: now, Text: "fixed"}} },
		"a tag":           func(inc *incident.Incident) { inc.Tags = []string{"payments", "db"} },
		"resolved":        func(inc *incident.Incident) { inc.Status = incident.Resolved; inc.ETA = t0.Add(-time.Minute) },
		"the alert":       func(inc *incident.Incident) { inc.Alert = &incident.AlertOrigin{Source: "alertmanager", Key: "k1"} },
	}
	same := map[string]func(*incident.Incident){
		"a note":      func(inc *incident.Incident) { inc.Entries = []incident.Entry{{ID: 1, Text: "note"}} },
		"the draft":   func(inc *incident.Incident) { inc.Draft, inc.DraftRev = "We are looking", 2 },
		"the updated": func(inc *incident.Incident) { inc.Updated = now },
	}
	styles := testStyles(false)
	for _, shared := range []bool{false, true} {
		newPane := func(inc *incident.Incident, memo *common.Memo) incidentPane {
			ctx := testContext(func() time.Time { return now }, styles, inc, memo)
			p := incidentPane{ctx: ctx, memo: &paneMemo{}}
			p.SetSize(40, 24)
			return p
		}
		fresh := func(inc *incident.Incident) string { return newPane(inc, nil).View() }
		for name, change := range changes {
			var memo *common.Memo
			if shared {
				memo = common.NewMemo()
			}
			p := newPane(base(), memo)
			before := p.View()
			if shared {
				// Another session of the room drew the old facts.
				_ = newPane(base(), memo).View()
			}
			next := base()
			change(next)
			p.ctx.Incident = next
			got, want := p.View(), fresh(next)
			if got != want {
				t.Errorf("shared %v: after %s the pane shows\n%s\nwant\n%s", shared, name, got, want)
			}
			if got == before {
				t.Errorf("shared %v: %s does not show in the pane: the test's change is not one", shared, name)
			}
			if h, want := p.naturalHeight(), newPane(next, nil).naturalHeight(); h != want {
				t.Errorf("shared %v: after %s the pane's height is %d, want %d", shared, name, h, want)
			}
		}
		for name, change := range same {
			p := newPane(base(), nil)
			before := p.View()
			next := base()
			change(next)
			if paneFacts(next, time.Hour) != paneFacts(base(), time.Hour) {
				t.Errorf("%s changes the pane's facts, which it does not show", name)
			}
			p.ctx.Incident = next
			if got := p.View(); got != before {
				t.Errorf("%s changed the pane", name)
			}
		}
	}
}

// TestIncidentPaneByZone: two sessions of one room in different zones
// share no pane: the same instant shows at a different hour.
func TestIncidentPaneByZone(t *testing.T) {
	t0 := time.Date(2026, 3, 11, 22, 0, 0, 0, time.UTC)
	inc := &incident.Incident{ID: 7, Title: "x", Status: incident.Investigating, Created: t0,
		Milestones: map[incident.Milestone]time.Time{incident.Started: t0}}
	styles := testStyles(false)
	memo := common.NewMemo()
	view := func(zone *time.Location) string {
		ctx := testContext(func() time.Time { return t0.Add(time.Minute).In(zone) }, styles, inc, memo)
		p := incidentPane{ctx: ctx, memo: &paneMemo{}}
		p.SetSize(40, 24)
		return p.View()
	}
	utc := view(time.UTC)
	tokyo := view(time.FixedZone("JST", 9*3600))
	if utc == tokyo {
		t.Fatalf("a session in another zone was given the same pane:\n%s", tokyo)
	}
}
