package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A scribe records a real two-day outage after the fact: declared at its
// time, then its chat log backfilled in one go. Statuses, milestones,
// updates and metrics in show --json follow each line's time.
func TestBackfillATwoDayIncidentFromAFile(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Night outage", "--sev", "2", "--at", "2026-03-12T23:05:00Z")
	log := `# from the #inc-night channel
2026-03-12 23:10 Alert: checkout errors at 4%
23:12 /started 23:00
23:15 /status identified
23:20 /publish Issue identified; team working on resolution.
23:59 !rolled back the deploy
00:05 /mitigated
00:30 /publish Fixed; we are watching closely.
2026-03-13 01:00 /resolved
`
	path := filepath.Join(e.dir, "night.txt")
	if err := os.WriteFile(path, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	out := e.ok("log", "-i", id, "--file", path)
	if !strings.Contains(out, "in one transaction") || !strings.Contains(out, "backfilled, not delivered") {
		t.Errorf("log --file said:\n%s", out)
	}
	s := e.show(id)
	if s.Status != "resolved" || s.Milestones["mitigated"] != "2026-03-13T00:05:00Z" ||
		s.Milestones["resolved"] != "2026-03-13T01:00:00Z" || s.Milestones["started"] != "2026-03-12T23:00:00Z" {
		t.Fatalf("status %s milestones %v", s.Status, s.Milestones)
	}
	if len(s.Updates) != 2 || s.Updates[0].At != "2026-03-12T23:20:00Z" || s.Updates[1].Text != "Fixed; we are watching closely." {
		t.Fatalf("updates %+v", s.Updates)
	}
	if first := s.Entries[0]; !strings.HasPrefix(first.Text, "Incident declared") && first.At > "2026-03-12T23:05:00Z" {
		t.Errorf("the declaration is not at --at: %+v", first)
	}
	out = e.ok("show", id)
	if !strings.Contains(out, "time to resolve: 2h00m") {
		t.Errorf("show does not give the metrics from the backfilled milestones:\n%s", out)
	}
}

// --at applies to slash commands: the change takes effect then.
func TestLogAtAppliesToSlashCommands(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	at := time.Now().UTC().Add(-20 * time.Minute).Truncate(time.Second).Format(time.RFC3339)
	e.ok("log", "-i", id, "--at", at, "/status identified")
	e.ok("log", "-i", id, "--at", at, "/detected")
	s := e.show(id)
	if s.Status != "identified" || s.Milestones["detected"] != at {
		t.Fatalf("status %s detected %s; want identified and detected at %s", s.Status, s.Milestones["detected"], at)
	}
	found := false
	for _, en := range s.Entries {
		found = found || (strings.HasPrefix(en.Text, "Status") && en.At == at)
	}
	if !found {
		t.Errorf("the status entry is not at --at: %+v", s.Entries)
	}
}

// A bad line names itself and nothing is written.
func TestBackfillBadLineWritesNothing(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Night outage")
	before := len(e.show(id).Entries)
	path := filepath.Join(e.dir, "bad.txt")
	if err := os.WriteFile(path, []byte("10:00 a note\nno time on this line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.fails("line 2:", "log", "-i", id, "--file", path)
	if err := os.WriteFile(path, []byte("2020-01-01 10:00 a note\n2020-01-01 10:05 /retro\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.fails("line 2:", "log", "-i", id, "--file", path)
	if after := len(e.show(id).Entries); after != before {
		t.Errorf("%d entries after refused backfills, want %d", after, before)
	}
}

// warroom demo --past shows a backfilled example: a resolved incident whose
// statuses, milestones and updates sit at their own times, across midnight.
func TestDemoPastIsABackfilledIncident(t *testing.T) {
	e := newEnv(t)
	out := e.ok("demo", "--past", "--no-open")
	if !strings.Contains(out, "Recorded a past incident, INC-2") {
		t.Fatalf("demo --past said:\n%s", out)
	}
	s := e.show("INC-2")
	if s.Status != "resolved" || s.Milestones["mitigated"] == "" || len(s.Updates) != 4 {
		t.Fatalf("status %s milestones %v updates %d", s.Status, s.Milestones, len(s.Updates))
	}
	if s.Milestones["resolved"][:10] == s.Milestones["started"][:10] {
		t.Errorf("the night did not cross midnight: %v", s.Milestones)
	}
	// Once a day: running it again adds nothing.
	e.ok("demo", "--past", "--no-open")
	if list := e.ok("list", "--all"); strings.Count(list, "INC-") != 2 {
		t.Errorf("demo --past twice made more incidents:\n%s", list)
	}
}

// The template's sections exist from the moment the incident is declared,
// in show --json too.
func TestShowJSONHasTheTemplateSectionsFromTheStart(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	var retro struct {
		Sections []struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(e.show(id).Retro, &retro); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range retro.Sections {
		titles = append(titles, s.Title)
	}
	if got := strings.Join(titles, ", "); got != "Introduction, Timeline, Five whys, Actions" {
		t.Fatalf("sections of a new incident = %q", got)
	}
}
