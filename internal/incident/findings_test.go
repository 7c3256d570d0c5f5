package incident

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// at returns 2026-03-04 HH:MM UTC.
func at(hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2026-03-04 "+hhmm)
	if err != nil {
		panic(err)
	}
	return t
}

// wellRun is an incident handled by the book: no findings.
func wellRun() *Incident {
	inc := &Incident{
		Title:   "Checkout failing",
		Status:  Resolved,
		Created: at("12:00"),
		Cadence: 30 * time.Minute,
		Roles:   map[string]string{RoleLead: "amara", RoleComms: "li"},
		Milestones: map[Milestone]time.Time{
			Started: at("11:55"), Detected: at("12:00"), Acknowledged: at("12:03"),
			Mitigated: at("12:30"), MResolved: at("13:00"),
		},
		Updates: []Update{{At: at("12:04")}, {At: at("12:30")}, {At: at("12:58")}},
	}
	for i, hm := range []string{"12:00", "12:10", "12:20", "12:30", "12:40", "12:50", "13:00"} {
		inc.Entries = append(inc.Entries, Entry{ID: int64(i + 1), At: at(hm), Text: "entry " + hm})
	}
	return inc
}

func TestFindings(t *testing.T) {
	type want struct {
		kind   FindingKind
		at     string
		length time.Duration
		text   string // a part of the sentence
	}
	tests := []struct {
		name   string
		change func(inc *Incident)
		p      Policy
		want   []want
	}{
		{"handled by the book", func(*Incident) {}, DefaultPolicy(), nil},
		{
			"silence over the gap threshold",
			func(inc *Incident) {
				inc.Entries = slices.DeleteFunc(inc.Entries, func(e Entry) bool { return e.At.Equal(at("12:20")) || e.At.Equal(at("12:30")) })
			},
			DefaultPolicy(),
			[]want{{FindingGap, "12:10", 30 * time.Minute, "Nothing was logged for 30m, from 12:10 to 12:40."}},
		},
		{
			"silence exactly at the threshold is fine",
			func(inc *Incident) {
				inc.Entries = slices.DeleteFunc(inc.Entries, func(e Entry) bool { return e.At.Equal(at("12:20")) })
			},
			Policy{GapThreshold: 20 * time.Minute},
			nil,
		},
		{
			"gap threshold from the policy",
			func(*Incident) {},
			Policy{GapThreshold: 5 * time.Minute},
			[]want{
				{FindingGap, "12:00", 10 * time.Minute, "from 12:00 to 12:10"},
				{FindingGap, "12:10", 10 * time.Minute, ""},
				{FindingGap, "12:20", 10 * time.Minute, ""},
				{FindingGap, "12:30", 10 * time.Minute, ""},
				{FindingGap, "12:40", 10 * time.Minute, ""},
				{FindingGap, "12:50", 10 * time.Minute, ""},
			},
		},
		{
			"deleted entries do not fill a silence",
			func(inc *Incident) {
				for i := range inc.Entries {
					if inc.Entries[i].At.Equal(at("12:20")) || inc.Entries[i].At.Equal(at("12:30")) {
						inc.Entries[i].Deleted = true
					}
				}
			},
			DefaultPolicy(),
			[]want{{FindingGap, "12:10", 30 * time.Minute, ""}},
		},
		{
			"quiet after the resolution is not a gap; the gap up to it is",
			func(inc *Incident) {
				inc.Entries = slices.DeleteFunc(inc.Entries, func(e Entry) bool { return e.At.After(at("12:30")) })
				inc.Entries = append(inc.Entries, Entry{ID: 20, At: at("15:00"), Text: "retro notes"}, Entry{ID: 21, At: at("17:00")})
			},
			DefaultPolicy(),
			[]want{{FindingGap, "12:30", 30 * time.Minute, "from 12:30 to 13:00"}},
		},
		{
			"no public update at all",
			func(inc *Incident) { inc.Updates = nil },
			DefaultPolicy(),
			[]want{{FindingNoUpdate, "12:05", 0, "No public update was published"}},
		},
		{
			"first update later than first_update_after",
			func(inc *Incident) { inc.Updates[0].At = at("12:20") },
			DefaultPolicy(),
			[]want{{FindingLateFirstUpdate, "12:05", 15 * time.Minute, "The first public update went out at 12:20, 20m after the incident was declared; it was due within 5m."}},
		},
		{
			"updates further apart than the cadence, in any stored order",
			func(inc *Incident) {
				inc.Updates = []Update{{At: at("12:58")}, {At: at("12:04")}, {At: at("12:45")}}
			},
			DefaultPolicy(),
			[]want{{FindingLateUpdate, "12:34", 11 * time.Minute, "The public update at 12:45 came 41m after the one before; updates were due every 30m."}},
		},
		{
			"the incident's own cadence wins over the policy's",
			func(inc *Incident) { inc.Cadence = 20 * time.Minute },
			DefaultPolicy(),
			[]want{
				{FindingLateUpdate, "12:24", 6 * time.Minute, "came 26m after"},
				{FindingLateUpdate, "12:50", 8 * time.Minute, "came 28m after"},
			},
		},
		{
			"one cadence of public silence before the resolution is fine",
			func(inc *Incident) { inc.Updates = inc.Updates[:2] },
			DefaultPolicy(),
			nil,
		},
		{
			"silence on the public channel longer than the cadence before resolving",
			func(inc *Incident) { inc.Updates = inc.Updates[:2]; inc.Milestones[MResolved] = at("13:10") },
			DefaultPolicy(),
			[]want{{FindingLateUpdate, "13:00", 10 * time.Minute, "No public update for the last 40m before the incident was resolved at 13:10"}},
		},
		{
			"milestones out of order",
			func(inc *Incident) { inc.Milestones[Acknowledged] = at("11:58") },
			DefaultPolicy(),
			[]want{{FindingMilestoneOrder, "11:58", 0, "Milestones are out of order: acknowledged before detected; check the recorded times."}},
		},
		{
			"slow acknowledgement",
			func(inc *Incident) { inc.Milestones[Acknowledged] = at("12:25") },
			DefaultPolicy(),
			[]want{{FindingSlowAcknowledge, "12:00", 25 * time.Minute, "25m passed between detection at 12:00 and acknowledgement at 12:25."}},
		},
		{
			"slow detection",
			func(inc *Incident) { inc.Milestones[Started] = at("11:20") },
			DefaultPolicy(),
			[]want{{FindingSlowDetect, "11:20", 40 * time.Minute, "Impact began at 11:20 but was detected only 40m later."}},
		},
		{
			"missing milestones on a resolved incident",
			func(inc *Incident) { delete(inc.Milestones, Started); delete(inc.Milestones, Mitigated) },
			DefaultPolicy(),
			[]want{{FindingMissingMilestone, "13:00", 0, "The started and mitigated milestones were never recorded"}},
		},
		{
			"one missing milestone",
			func(inc *Incident) { delete(inc.Milestones, Acknowledged) },
			DefaultPolicy(),
			[]want{{FindingMissingMilestone, "13:00", 0, "The acknowledged milestone was never recorded"}},
		},
		{
			"missing milestones do not count while the incident is open",
			func(inc *Incident) {
				inc.Status = Identified
				inc.Milestones = map[Milestone]time.Time{Detected: at("12:00")}
			},
			DefaultPolicy(),
			nil,
		},
		{
			"no communication lead",
			func(inc *Incident) { delete(inc.Roles, RoleComms) },
			DefaultPolicy(),
			[]want{{FindingMissingRole, "12:00", 0, "No communication lead was named."}},
		},
		{
			"dates shown when the incident spans days",
			func(inc *Incident) {
				inc.Entries = append(inc.Entries[:1], Entry{ID: 30, At: at("12:00").Add(24 * time.Hour)})
				inc.Milestones[MResolved] = at("12:00").Add(25 * time.Hour)
				inc.Updates = append(inc.Updates, Update{At: inc.Milestones[MResolved].Add(-time.Minute)})
			},
			DefaultPolicy(),
			[]want{
				{FindingGap, "12:00", 24 * time.Hour, "from Mar 4 12:00 to Mar 5 12:00"},
				{FindingLateUpdate, "13:28", 0, "came 1d 0h01m after"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := wellRun()
			tt.change(inc)
			got := Findings(inc, tt.p)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tt.want), dumpFindings(got))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Kind != w.kind || !g.At.Equal(at(w.at)) || (w.length != 0 && g.Length != w.length) || !strings.Contains(g.Text, w.text) {
					t.Errorf("finding %d = %s %s %s %q; want %s %s %s containing %q", i,
						g.Kind, g.At.Format("15:04"), g.Length, g.Text, w.kind, w.at, w.length, w.text)
				}
			}
		})
	}
}

func dumpFindings(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.At.Format("Jan 2 15:04") + " " + string(f.Kind) + " " + f.Text + "\n")
	}
	return b.String()
}

func TestFindingsInTimeOrderAndEmptyIncident(t *testing.T) {
	inc := wellRun()
	inc.Updates = nil
	inc.Roles = nil
	inc.Milestones[Acknowledged] = at("12:40")
	got := Findings(inc, DefaultPolicy())
	if !slices.IsSortedFunc(got, func(a, b Finding) int { return a.At.Compare(b.At) }) {
		t.Errorf("findings not in time order:\n%s", dumpFindings(got))
	}
	kinds := map[FindingKind]bool{}
	for _, f := range got {
		kinds[f.Kind] = true
	}
	for _, k := range []FindingKind{FindingNoUpdate, FindingMissingRole, FindingSlowAcknowledge} {
		if !kinds[k] {
			t.Errorf("missing a %s finding:\n%s", k, dumpFindings(got))
		}
	}
	// An incident with nothing recorded must not panic or invent times.
	for _, f := range Findings(&Incident{}, Policy{}) {
		if f.Kind != FindingMissingRole {
			t.Errorf("empty incident produced %s: %q", f.Kind, f.Text)
		}
	}
}

func TestSummarizeTimeline(t *testing.T) {
	inc := wellRun()
	inc.Entries[4].Starred = true // 12:40
	inc.Entries[1].Starred = true // 12:10
	inc.Entries[6].Deleted = true // 13:00
	inc.Milestones[Acknowledged] = at("11:58")
	s := SummarizeTimeline(inc, DefaultPolicy())
	if len(s.Starred) != 2 || !s.Starred[0].At.Equal(at("12:10")) || !s.Starred[1].At.Equal(at("12:40")) {
		t.Errorf("starred = %+v", s.Starred)
	}
	if len(s.Rest) != 4 || slices.ContainsFunc(s.Rest, func(e Entry) bool { return e.Starred || e.Deleted }) {
		t.Errorf("rest = %+v", s.Rest)
	}
	var order []Milestone
	for _, m := range s.Milestones {
		order = append(order, m.Milestone)
	}
	if want := []Milestone{Started, Acknowledged, Detected, Mitigated, MResolved}; !slices.Equal(order, want) {
		t.Errorf("milestones in time order = %v; want %v", order, want)
	}
	if len(s.Metrics) != 4 || !s.Metrics[0].Known || s.Metrics[0].Value != 5*time.Minute {
		t.Errorf("metrics = %+v", s.Metrics)
	}
	if len(s.Findings) != 1 || s.Findings[0].Kind != FindingMilestoneOrder {
		t.Errorf("findings = %s", dumpFindings(s.Findings))
	}
	if s.Updates != 3 || s.MultiDay {
		t.Errorf("updates = %d, multi-day = %v", s.Updates, s.MultiDay)
	}
}
