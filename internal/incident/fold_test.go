package incident

import (
	"strings"
	"testing"
	"time"
)

func foldOf(t *testing.T, lines ...string) *Incident {
	t.Helper()
	inc := newTestIncident(t)
	inc.Entries = []Entry{DeclaredEntry(inc, "amara", inc.Created)}
	inc.Entries[0].ID = 1
	now := testNow.Add(-50 * time.Minute)
	for _, l := range lines {
		now = now.Add(time.Minute)
		c, err := ParseCapture(l, now)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		res, err := Apply(inc, c, now, "amara", DefaultPolicy())
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		for _, e := range res.Entries {
			e.ID = int64(len(inc.Entries) + 1)
			inc.Entries = append(inc.Entries, e)
		}
		for _, mv := range res.Moves {
			for i := range inc.Entries {
				if inc.Entries[i].ID == mv.ID {
					inc.Entries[i].At = mv.At
				}
			}
		}
		Fold(inc)
	}
	return inc
}

func TestFoldReadsFieldsFromTheTimeline(t *testing.T) {
	inc := foldOf(t, "/status identified", "/sev 1", "/lead ben", "/tag db", "/every 20m", "/mitigated -5m")
	if inc.Status != Identified || inc.Severity != 1 || inc.Roles[RoleLead] != "ben" || !inc.HasTag("db") || inc.Cadence != 20*time.Minute {
		t.Fatalf("folded %+v", inc)
	}
	// Setting a milestone again moves its entry: one Mitigated, moved.
	inc2 := foldOf(t, "/mitigated -20m", "/mitigated -10m")
	n := 0
	for _, e := range inc2.Entries {
		if e.Set.Field == FieldMilestone && e.Set.Key == string(Mitigated) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d Mitigated entries after setting it twice; want one, moved", n)
	}
	// Deleting the status entry puts the status back.
	for i := range inc.Entries {
		if inc.Entries[i].Set.Field == FieldStatus {
			inc.Entries[i].Deleted = true
		}
	}
	Fold(inc)
	if inc.Status != Investigating {
		t.Errorf("status %s after deleting its entry; want investigating", inc.Status)
	}
}

func TestFoldReopeningClearsResolved(t *testing.T) {
	inc := foldOf(t, "/resolved", "/status investigating")
	if inc.Status != Investigating || !inc.Milestones[MResolved].IsZero() {
		t.Fatalf("after reopening: %s, resolved %v", inc.Status, inc.Milestones[MResolved])
	}
	inc = foldOf(t, "/resolved", "/status investigating", "/resolved")
	if inc.Status != Resolved || inc.Milestones[MResolved].IsZero() {
		t.Fatalf("after resolving again: %s, resolved %v", inc.Status, inc.Milestones[MResolved])
	}
}

// An update is judged against the cadence in force when it was due:
// /every 20m after the fact does not make earlier updates late.
func TestFindingsJudgeUpdatesByTheCadenceThen(t *testing.T) {
	inc := newTestIncident(t)
	inc.Entries = []Entry{DeclaredEntry(inc, "amara", inc.Created)}
	t1 := inc.Created.Add(3 * time.Minute)
	inc.Updates = []Update{{At: t1}, {At: t1.Add(28 * time.Minute)}}
	late := func() int {
		n := 0
		for _, f := range Findings(inc, DefaultPolicy()) {
			if f.Kind == FindingLateUpdate {
				n++
			}
		}
		return n
	}
	if n := late(); n != 0 {
		t.Fatalf("%d late updates with a 30m cadence", n)
	}
	inc.Entries = append(inc.Entries, Entry{ID: 9, At: t1.Add(40 * time.Minute), Kind: KindSystem, Set: Setting{Field: FieldCadence, Value: "20m"}})
	if n := late(); n != 0 {
		t.Errorf("a cadence set later made %d earlier updates late", n)
	}
}

func TestMerge3(t *testing.T) {
	tests := []struct {
		name, base, ours, theirs string
		want                     []string
		conflict                 bool
	}{
		{"different lines", "a\nb\nc", "A\nb\nc", "a\nb\nC", []string{"A\nb\nC"}, false},
		{"both append", "intro", "intro\nmine", "intro\ntheirs", []string{"theirs", "mine"}, true},
		{"both from empty", "", "alpha", "beta", []string{"alpha", "beta"}, true},
		{"same change", "x", "y", "y", []string{"y"}, false},
		{"only theirs", "x", "x", "z", []string{"z"}, false},
		{"edit and append after", "alpha", "alpha words", "alpha\n\nbeta", []string{"alpha words\n\nbeta"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Merge3(tt.base, tt.ours, tt.theirs)
			for _, w := range tt.want {
				if !strings.Contains(got.Text, w) {
					t.Errorf("Merge3 = %q; lost %q", got.Text, w)
				}
			}
			if got.Conflict != tt.conflict {
				t.Errorf("conflict = %v; want %v", got.Conflict, tt.conflict)
			}
		})
	}
}

func FuzzMerge3KeepsBothSides(f *testing.F) {
	f.Add("a\nb", "a\nx\nb", "a\nb\ny")
	f.Add("", "one", "two")
	f.Fuzz(func(t *testing.T, base, ours, theirs string) {
		if len(base)+len(ours)+len(theirs) > 4000 {
			return
		}
		got := Merge3(base, ours, theirs).Text
		// Every line either side added is in the merge.
		for _, side := range []string{ours, theirs} {
			for _, l := range strings.Split(side, "\n") {
				if l != "" && !strings.Contains(base, l) && !strings.Contains(got, l) {
					t.Fatalf("Merge3(%q, %q, %q) = %q lost the line %q", base, ours, theirs, got, l)
				}
			}
		}
	})
}
