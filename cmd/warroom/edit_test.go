package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// timelineJSON is the part of `show --json` that edits and deletions change.
type timelineJSON struct {
	Status     string            `json:"status"`
	Milestones map[string]string `json:"milestones"`
	Entries    []struct {
		ID       int64  `json:"id"`
		At       string `json:"at"`
		Author   string `json:"author"`
		Kind     string `json:"kind"`
		Text     string `json:"text"`
		Starred  bool   `json:"starred"`
		EditedBy string `json:"edited_by"`
		Deleted  bool   `json:"deleted"`
		Ref      int64  `json:"ref"`
	} `json:"entries"`
	Changes []struct {
		At     string `json:"at"`
		Author string `json:"author"`
		Target string `json:"target"`
		Before string `json:"before"`
		After  string `json:"after"`
	} `json:"changes"`
}

func (e *env) timeline(id string) timelineJSON {
	e.t.Helper()
	var s timelineJSON
	out := e.ok("show", id, "--json")
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		e.t.Fatalf("show --json is not JSON: %v\n%s", err, out)
	}
	return s
}

// entry returns the entry with the given id, failing the test without it.
func (s timelineJSON) entry(t *testing.T, id int64) int {
	t.Helper()
	for i := range s.Entries {
		if s.Entries[i].ID == id {
			return i
		}
	}
	t.Fatalf("no entry #%d in show --json: %+v", id, s.Entries)
	return -1
}

// setAuthor writes a config naming who makes the following changes.
func (e *env) setAuthor(name string) {
	e.t.Helper()
	dir := filepath.Join(e.dir, "config", "warroom")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte("author = \""+name+"\"\n"), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// loggedID reads the #N out of one line of warroom log's output, which must
// match pattern (with (\d+) where the id is).
func loggedID(t *testing.T, out, pattern string) int64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + pattern + `$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("warroom log printed %q, want a line matching %q", out, pattern)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLogPrintsTheEntryID(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	note := loggedID(t, e.ok("log", "-i", id, "customers report failed payments"), `INC-1: logged #(\d+) note at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: customers report failed payments`)
	act := loggedID(t, e.ok("log", "-i", id, "!rolled back deploy 4711"), `INC-1: logged #(\d+) action at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: rolled back deploy 4711`)
	status := loggedID(t, e.ok("log", "-i", id, "/status identified"), `INC-1: logged #(\d+) status at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: Status investigating → identified`)
	if out := e.ok("log", "-i", id, "/draft We are working on failed payments."); !strings.Contains(out, "draft saved") {
		t.Fatalf("draft: %q", out)
	}
	pub := loggedID(t, e.ok("log", "-i", id, "/publish"), `INC-1: published #(\d+) at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: We are working on failed payments\.`)
	if note == act || act == status || status == pub {
		t.Fatalf("ids repeat: %d %d %d %d", note, act, status, pub)
	}
	s := e.timeline(id)
	for _, want := range []struct {
		id         int64
		kind, text string
	}{
		{note, "note", "customers report failed payments"},
		{act, "action", "rolled back deploy 4711"},
		{status, "status", "Status investigating → identified"},
		{pub, "public", "We are working on failed payments."},
	} {
		got := s.Entries[s.entry(t, want.id)]
		if got.Kind != want.kind || got.Text != want.text {
			t.Errorf("log printed #%d for %s %q, but show --json has #%d as %s %q", want.id, want.kind, want.text, got.ID, got.Kind, got.Text)
		}
	}

	// Setting a milestone again moves the entry that set it, and says which.
	now := time.Now().UTC()
	first, again := now.Add(-2*time.Hour), now.Add(-110*time.Minute)
	ms := loggedID(t, e.ok("log", "-i", id, "/mitigated "+first.Format("15:04")), `INC-1: logged #(\d+) milestone at (?:\d{4}-\d\d-\d\d )?`+first.Format("15:04")+` [A-Z+\-0-9]+: Mitigated`)
	moved := loggedID(t, e.ok("log", "-i", id, "/mitigated "+again.Format("15:04")), `INC-1: moved #(\d+) \(mitigated\) to (?:\d{4}-\d\d-\d\d )?`+again.Format("15:04")+` [A-Z+\-0-9]+`)
	if moved != ms {
		t.Fatalf("moved #%d, but the mitigated entry is #%d", moved, ms)
	}
}

func TestEditRecordsTheChangeAndItsAuthor(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Search slow")
	n := loggedID(t, e.ok("log", "-i", id, "restarted the search workers"), `INC-1: logged #(\d+) note at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: restarted the search workers`)

	e.setAuthor("amara")
	out := e.ok("edit", "-i", id, strconv.FormatInt(n, 10), "--text", "restarted the search and index workers", "--star")
	if want := "INC-1: edited #" + strconv.FormatInt(n, 10) + " (text, starred)\n"; out != want {
		t.Fatalf("edit printed %q, want %q", out, want)
	}
	s := e.timeline(id)
	got := s.Entries[s.entry(t, n)]
	if got.Text != "restarted the search and index workers" || !got.Starred || got.Author != "tester" || got.EditedBy != "amara" {
		t.Fatalf("after edit: %+v", got)
	}
	var found bool
	for _, c := range s.Changes {
		if c.Target != "entry #"+strconv.FormatInt(n, 10) {
			continue
		}
		found = true
		if c.Author != "amara" || !strings.Contains(c.Before, "restarted the search workers") || !strings.Contains(c.After, "restarted the search and index workers") {
			t.Errorf("change record %+v", c)
		}
		if _, err := time.Parse(time.RFC3339, c.At); err != nil {
			t.Errorf("change at %q: %v", c.At, err)
		}
	}
	if !found {
		t.Fatalf("no change record for entry #%d: %+v", n, s.Changes)
	}

	// #N is accepted as printed; an edit that changes nothing says so and
	// records nothing.
	if out := e.ok("edit", "-i", id, "#"+strconv.FormatInt(n, 10), "--star"); !strings.Contains(out, "unchanged") {
		t.Fatalf("no-op edit printed %q", out)
	}
	if again := e.timeline(id); len(again.Changes) != len(s.Changes) {
		t.Fatalf("a no-op edit was recorded: %+v", again.Changes)
	}
	if out := e.ok("edit", "-i", id, "#"+strconv.FormatInt(n, 10), "--unstar"); out != "INC-1: edited #"+strconv.FormatInt(n, 10)+" (unstarred)\n" {
		t.Fatalf("unstar printed %q", out)
	}
	if s := e.timeline(id); s.Entries[s.entry(t, n)].Starred {
		t.Fatal("--unstar left the star")
	}
}

func TestEditAtMovesTheMilestone(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Payments down")
	// Clock times two hours back, so HH:MM means today's (or, just after
	// midnight, yesterday's) time and the test does not depend on the hour.
	now := time.Now().UTC()
	first := now.Add(-2 * time.Hour).Truncate(time.Minute)
	later := first.Add(10 * time.Minute)
	n := loggedID(t, e.ok("log", "-i", id, "/mitigated "+first.Format("15:04")), `INC-1: logged #(\d+) milestone at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: Mitigated`)
	if got := e.timeline(id).Milestones["mitigated"]; !mustTime(t, got).Equal(first) {
		t.Fatalf("mitigated %s, want %s", got, first.Format(time.RFC3339))
	}
	out := e.ok("edit", "-i", id, strconv.FormatInt(n, 10), "--at", later.Format("15:04"))
	shown := later.Format("15:04")
	if later.YearDay() != now.YearDay() {
		shown = later.Format("2006-01-02 15:04") // a time on another day carries its date
	}
	// Times are shown in the configured zone (here the local one), named.
	if want := "INC-1: edited #" + strconv.FormatInt(n, 10) + " (at " + shown + " " + later.Local().Format("MST") + ")\n"; out != want {
		t.Fatalf("edit --at printed %q, want %q", out, want)
	}
	s := e.timeline(id)
	if got := s.Milestones["mitigated"]; !mustTime(t, got).Equal(later) {
		t.Fatalf("after re-timing #%d to %s, mitigated is %s", n, later.Format("15:04"), got)
	}
	if got := s.Entries[s.entry(t, n)]; !mustTime(t, got.At).Equal(later) {
		t.Fatalf("entry #%d at %s, want %s", n, got.At, later.Format(time.RFC3339))
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return tm
}

func TestDeleteAndRestoreFollowTheTimeline(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Login errors")
	n := loggedID(t, e.ok("log", "-i", id, "/status identified"), `INC-1: logged #(\d+) status at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: Status investigating → identified`)
	if s := e.timeline(id); s.Status != "identified" {
		t.Fatalf("status %q after /status identified", s.Status)
	}
	ns := strconv.FormatInt(n, 10)
	out := e.ok("delete", "-i", id, "#"+ns)
	del := loggedID(t, out, `INC-1: deleted #`+ns+`; the deletion is #(\d+) \(warroom edit -i INC-1 (?:\d+) --restore brings it back\)`)
	if !strings.Contains(out, "warroom edit -i INC-1 "+strconv.FormatInt(del, 10)+" --restore") {
		t.Fatalf("delete names the wrong entry to restore: %q", out)
	}
	s := e.timeline(id)
	if s.Status != "investigating" {
		t.Fatalf("status %q after deleting the only /status entry, want investigating", s.Status)
	}
	if got := s.Entries[s.entry(t, n)]; !got.Deleted {
		t.Fatalf("deleted entry not marked deleted: %+v", got)
	}
	if got := s.Entries[s.entry(t, del)]; got.Kind != "system" || got.Ref != n || !strings.Contains(got.Text, "Deleted entry #"+ns) {
		t.Fatalf("the deletion entry #%d is %+v", del, got)
	}

	// Restoring through the deletion entry, as delete suggests.
	if out := e.ok("edit", "-i", id, strconv.FormatInt(del, 10), "--restore"); !strings.HasPrefix(out, "INC-1: restored #"+ns+", status at ") {
		t.Fatalf("restore printed %q", out)
	}
	s = e.timeline(id)
	if s.Status != "identified" || s.Entries[s.entry(t, n)].Deleted {
		t.Fatalf("after restore: status %q, entry %+v", s.Status, s.Entries[s.entry(t, n)])
	}

	// And through the entry itself.
	e.ok("delete", "-i", id, ns)
	if s := e.timeline(id); s.Status != "investigating" {
		t.Fatalf("status %q after the second deletion", s.Status)
	}
	e.ok("edit", "-i", id, ns, "--restore")
	if s := e.timeline(id); s.Status != "identified" {
		t.Fatalf("status %q after restoring #%d by its own id", s.Status, n)
	}
}

func TestEditAndDeleteErrors(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Queue backlog")
	n := strconv.FormatInt(loggedID(t, e.ok("log", "-i", id, "queue depth 40k"), `INC-1: logged #(\d+) note at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: queue depth 40k`), 10)
	gone := strconv.FormatInt(loggedID(t, e.ok("log", "-i", id, "typo"), `INC-1: logged #(\d+) note at (?:\d{4}-\d\d-\d\d )?\d\d:\d\d [A-Z+\-0-9]+: typo`), 10)
	e.ok("delete", "-i", id, gone)
	before := e.timeline(id)

	for _, c := range []struct {
		want string
		args []string
	}{
		{"entry #99 of INC-1 does not exist", []string{"edit", "-i", id, "99", "--star"}},
		{"entry #99 of INC-1 does not exist", []string{"delete", "-i", id, "#99"}},
		{"entry #" + gone + " of INC-1 is deleted; restore it first", []string{"edit", "-i", id, gone, "--text", "fixed"}},
		{"already deleted", []string{"delete", "-i", id, gone}},
		{"not deleted; nothing to restore", []string{"edit", "-i", id, n, "--restore"}},
		{"cannot be deleted", []string{"delete", "-i", id, "1"}},
		{"nothing to change; give --at TIME, --text TEXT, --star, --unstar or --restore", []string{"edit", "-i", id, n}},
		{"--star and --unstar contradict each other", []string{"edit", "-i", id, n, "--star", "--unstar"}},
		{"is in the future", []string{"edit", "-i", id, n, "--at", time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}},
		{"not valid", []string{"edit", "-i", id, n, "--at", "soon"}},
		{"--text is empty", []string{"edit", "-i", id, n, "--text", "  "}},
		{"takes no other change", []string{"edit", "-i", id, gone, "--restore", "--star"}},
		{"not an entry id", []string{"edit", "-i", id, "#x", "--star"}},
		{"not an entry id", []string{"delete", "-i", id, "0"}},
		{"needs exactly one entry id", []string{"edit", "-i", id, "--star"}},
		{"does not exist", []string{"edit", "-i", "INC-9", n, "--star"}},
	} {
		r := e.fails(c.want, c.args...)
		if strings.Contains(r.stderr, ": not found") {
			t.Errorf("warroom %v: the sentinel leaks into the sentence: %q", c.args, r.stderr)
		}
	}

	// None of the failures wrote anything.
	after := e.timeline(id)
	if len(after.Entries) != len(before.Entries) || len(after.Changes) != len(before.Changes) {
		t.Fatalf("failed edits wrote: %d entries (was %d), %d changes (was %d)", len(after.Entries), len(before.Entries), len(after.Changes), len(before.Changes))
	}
}
