package store

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// A two-day incident recorded from its chat log: statuses, milestones and
// backfilled public updates all take effect at their own times, and the
// metrics follow.
func TestApplyBackfillRecordsAPastIncident(t *testing.T) {
	s := openTemp(t)
	now := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	inc, err := incident.NewIncident("Night outage", 2, time.Date(2026, 3, 12, 23, 5, 0, 0, time.UTC), incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	created, err := s.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	log := `2026-03-12 23:10 Alert: checkout errors at 4%
23:12 /started 23:00
23:15 /status identified
23:20 /publish Issue identified; team working on resolution.
23:59 !rolled back
00:05 /mitigated
00:30 /publish Fixed; we are watching closely.
2026-03-13 01:00 /resolved`
	lines, err := incident.ParseBackfill(strings.NewReader(log), now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyBackfill(created.ID, lines, now, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Incident(created.ID)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	if got.Status != incident.Resolved || !got.Milestones[incident.Mitigated].Equal(at(13, 0, 5)) ||
		!got.Milestones[incident.MResolved].Equal(at(13, 1, 0)) || !got.Milestones[incident.Started].Equal(at(12, 23, 0)) {
		t.Fatalf("status %s milestones %v", got.Status, got.Milestones)
	}
	if len(got.Updates) != 2 || !got.Updates[0].At.Equal(at(12, 23, 20)) || !got.Updates[0].Backfilled || got.Updates[1].Status != incident.Identified {
		t.Fatalf("updates %+v", got.Updates)
	}
	if ttr, ok := incident.TimeToResolve(got.Milestones); !ok || ttr != 2*time.Hour {
		t.Errorf("time to resolve %v %v, want 2h", ttr, ok)
	}
	for _, e := range got.Entries {
		if strings.HasPrefix(e.Text, "Status") && !e.At.Equal(at(12, 23, 15)) && !e.At.Equal(at(13, 1, 0)) {
			t.Errorf("status entry %q at %v; the change takes effect at its line's time", e.Text, e.At)
		}
	}
	if rep, err := s.Check(); err != nil || !rep.OK() {
		t.Fatalf("check: %+v %v", rep, err)
	}
}

// One bad line and nothing is written.
func TestApplyBackfillIsAllOrNothing(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Night outage")
	before, _ := s.Incident(inc.ID)
	now := t0.Add(2 * time.Hour)
	lines := []incident.BackfillLine{
		{N: 1, At: t0.Add(10 * time.Minute), Text: "a note"},
		{N: 2, At: t0.Add(11 * time.Minute), Text: "/status investigating"},
	}
	_, err := s.ApplyBackfill(inc.ID, lines, now, "amara", incident.DefaultPolicy())
	if err == nil || !strings.HasPrefix(err.Error(), "line 2: status is already investigating") {
		t.Fatalf("err = %v; want line 2 named", err)
	}
	after, _ := s.Incident(inc.ID)
	if len(after.Entries) != len(before.Entries) {
		t.Errorf("%d entries after a refused backfill, want %d", len(after.Entries), len(before.Entries))
	}
}

// /handover gives the role and writes the brief from the timeline.
func TestHandoverWritesTheBrief(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	p := incident.DefaultPolicy()
	for i, line := range []string{"?did anything deploy", "!rolled back 4711", "*pool saturated", "/publish We are investigating."} {
		c, err := incident.ParseCapture(line, t0.Add(time.Duration(i+1)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(inc.ID, c, t0.Add(time.Duration(i+1)*time.Minute), "amara", p); err != nil {
			t.Fatal(err)
		}
	}
	c, err := incident.ParseCapture("/handover ben", t0.Add(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(inc.ID, c, t0.Add(10*time.Minute), "amara", p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Incident(inc.ID)
	if got.Roles[incident.RoleLead] != "ben" {
		t.Fatalf("lead %q after the handover", got.Roles[incident.RoleLead])
	}
	var brief string
	for _, e := range got.Entries {
		if e.Kind == incident.KindHandover {
			brief = e.Text
		}
	}
	for _, want := range []string{"from amara to ben", "SEV2, investigating", "Last public update", "We are investigating; next due", "Open questions: did anything deploy", "rolled back 4711", "Starred:", "pool saturated"} {
		if !strings.Contains(brief, want) {
			t.Errorf("the brief lacks %q:\n%s", want, brief)
		}
	}
}
