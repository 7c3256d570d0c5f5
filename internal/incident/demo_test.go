package incident

import (
	"reflect"
	"testing"
	"time"
)

func TestDemoIsTodayOrYesterdayAndNeverInTheFuture(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	tests := []struct {
		name    string
		now     time.Time
		wantDay int
	}{
		{"afternoon is today", time.Date(2026, 3, 10, 16, 0, 0, 0, loc), 10},
		{"exactly 14:30 is today", time.Date(2026, 3, 10, 14, 30, 0, 0, loc), 10},
		{"morning is yesterday", time.Date(2026, 3, 10, 9, 0, 0, 0, loc), 9},
		{"just after midnight on the 1st is the last day of the month before", time.Date(2026, 3, 1, 0, 5, 0, 0, loc), 28},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := Demo(tt.now)
			check := func(what string, at time.Time) {
				t.Helper()
				if at.After(tt.now) {
					t.Errorf("%s at %v is after now %v", what, at, tt.now)
				}
				if at.Day() != tt.wantDay || at.Location() != loc {
					t.Errorf("%s at %v, want day %d in %v", what, at, tt.wantDay, loc)
				}
			}
			check("created", inc.Created)
			for m, at := range inc.Milestones {
				check(string(m), at)
			}
			for _, e := range inc.Entries {
				check("entry "+e.Text, e.At)
			}
			for _, u := range inc.Updates {
				check("update "+u.Text, u.At)
			}
			if inc.ETA.Before(inc.Updated) {
				t.Errorf("ETA %v is before the last change %v", inc.ETA, inc.Updated)
			}
		})
	}
}

func TestDemoIsDeterministicAndComplete(t *testing.T) {
	now := time.Date(2026, 5, 4, 18, 0, 0, 0, time.UTC)
	a, b := Demo(now), Demo(now)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two demos for the same now differ")
	}
	if a.Severity != 2 || a.Role(RoleLead) == "" || a.Role(RoleComms) == "" || a.WarRoom == "" || a.PublicChannel == "" {
		t.Errorf("demo header incomplete: %+v", a)
	}
	if got := len(a.Entries); got < 25 {
		t.Errorf("demo has %d entries, want about 25 or more", got)
	}
	kinds := map[Kind]int{}
	starred := 0
	for _, e := range a.Entries {
		if e.ID != 0 || e.UID != "" {
			t.Errorf("entry %q has id %d uid %q; the store assigns them", e.Text, e.ID, e.UID)
		}
		kinds[e.Kind]++
		if e.Starred {
			starred++
		}
	}
	for _, k := range []Kind{KindNote, KindAction, KindDecision, KindQuestion, KindMilestone, KindStatus, KindPublic, KindRole, KindSystem} {
		if kinds[k] == 0 {
			t.Errorf("demo has no %s entry", k)
		}
	}
	if starred < 3 {
		t.Errorf("demo has %d starred entries, want a few", starred)
	}
	want := []string{
		"12:40: Issue identified; team working on resolution.",
		"13:10: Still investigating the problem; no ETA yet.",
		"13:40: Root cause identified; resolution plan in progress.",
		"14:20: Ongoing resolution efforts; ETA for resolution provided.",
	}
	var got []string
	for _, u := range a.Updates {
		got = append(got, u.At.Format("15:04")+": "+u.Text)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("updates = %q, want the handbook's %q", got, want)
	}
	if bad := MilestonesOutOfOrder(a.Milestones); len(bad) > 0 {
		t.Errorf("milestones out of order: %v", bad)
	}
	r := a.Retro
	roots := 0
	for _, w := range r.Whys {
		if w.RootCause {
			roots++
		}
	}
	if roots != 1 || len(r.Whys) < 2 {
		t.Errorf("whys = %+v, want a chain with one root cause", r.Whys)
	}
	var imm, long int
	for _, act := range r.Actions {
		switch act.Kind {
		case Immediate:
			imm++
		case LongTerm:
			long++
		}
	}
	if imm == 0 || long == 0 || len(r.Sections) == 0 || r.Sections[0].Text == "" {
		t.Errorf("retro not started properly: %+v", r)
	}
}
