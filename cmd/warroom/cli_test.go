package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestNewLogShowFlow(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing for some customers", "--sev", "2", "--lead", "amara", "--comms", "li", "--war-room", "#inc-war", "--public", "#status", "--every", "20m")
	if id != "INC-1" {
		t.Fatalf("new printed %q as its last line, want INC-1", id)
	}
	if fi, err := os.Stat(e.db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("database %v mode %v", err, fi)
	}
	e.ok("log", "customers report failed payments")
	e.ok("log", "-i", "inc-1", "!rolled back deploy 4711")
	e.ok("log", "-i", "1", "*>fail over to the standby")
	e.ok("log", "?is the cache warm")
	e.ok("log", "--at", "-30m", "first alert fired")
	for _, cmd := range []string{"/status identified", "/sev 1", "/lead sam", "/comms kim", "/eta +45m", "/tag payments", "/started -40m", "/acknowledged", "/every 25m"} {
		e.ok("log", cmd)
	}
	s := e.show(id)
	if s.ID != "INC-1" || s.Title != "Checkout failing for some customers" || s.Severity != "SEV1" || s.Status != "identified" {
		t.Fatalf("show: %+v", s)
	}
	if s.Roles["resolution lead"] != "sam" || s.Roles["communication lead"] != "kim" {
		t.Fatalf("roles %v", s.Roles)
	}
	for _, m := range []string{"started", "detected", "acknowledged"} {
		if _, err := time.Parse(time.RFC3339, s.Milestones[m]); err != nil {
			t.Errorf("milestone %s = %q: %v", m, s.Milestones[m], err)
		}
	}
	for _, want := range [][2]string{
		{"note", "customers report failed payments"},
		{"action", "rolled back deploy 4711"},
		{"decision", "fail over to the standby"},
		{"question", "is the cache warm"},
		{"note", "first alert fired"},
		{"status", "Status investigating → identified"},
		{"status", "Severity SEV2 → SEV1"},
		{"role", "sam is Resolution lead"},
		{"system", "Tagged payments"},
		{"milestone", "Acknowledged"},
		{"system", "Public updates every 25m"},
	} {
		if !s.hasEntry(want[0], want[1]) {
			t.Errorf("no %s entry %q in %+v", want[0], want[1], s.Entries)
		}
	}
	// Entries are in time order, the backdated one before the later notes.
	var prev time.Time
	for _, en := range s.Entries {
		at, err := time.Parse(time.RFC3339, en.At)
		if err != nil {
			t.Fatalf("entry at %q: %v", en.At, err)
		}
		if at.Before(prev) {
			t.Fatalf("entries out of order at %+v", en)
		}
		prev = at
		if en.Author != "tester" {
			t.Errorf("author %q, want tester", en.Author)
		}
	}
	for _, en := range s.Entries {
		if en.Text == "fail over to the standby" && !en.Starred {
			t.Error("starred entry not starred")
		}
	}

	// Text output and list.
	out := e.ok("show")
	if !strings.Contains(out, "INC-1") || !strings.Contains(out, "rolled back deploy 4711") {
		t.Errorf("show output:\n%s", out)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(e.ok("list", "--json")), &list); err != nil || len(list) != 1 || list[0]["id"] != "INC-1" || list[0]["severity"] != "SEV1" {
		t.Fatalf("list --json: %v %v", list, err)
	}
	e.ok("log", "/resolved")
	if out := e.ok("list"); !strings.Contains(out, "No open incidents") {
		t.Errorf("list after resolve:\n%s", out)
	}
	if out := e.ok("list", "--all"); !strings.Contains(out, "INC-1") || !strings.Contains(out, "resolved") {
		t.Errorf("list --all:\n%s", out)
	}
}

func TestDraftAndPublishFromScript(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Search slow")
	e.ok("log", "-i", id, "/draft We are investigating slow search for some customers.")
	out := e.ok("log", "-i", id, "/publish")
	if !strings.Contains(out, "published") {
		t.Fatalf("publish output %q", out)
	}
	s := e.show(id)
	if len(s.Updates) != 1 || s.Updates[0].Text != "We are investigating slow search for some customers." || s.Updates[0].Status != "investigating" {
		t.Fatalf("updates %+v", s.Updates)
	}
	if !s.hasEntry("public", "We are investigating slow search for some customers.") {
		t.Fatal("no public entry on the timeline")
	}
	e.fails("draft is empty", "log", "-i", id, "/publish")
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	e.fails("no open incident", "log", "hello")
	e.fails("title is empty", "new")
	e.fails("title is empty", "new", "   ")
	e.fails("1 (worst) to 4", "new", "x", "--sev", "5")
	e.fails("1 (worst) to 4", "new", "x", "--sev", "0")
	e.fails("not valid", "new", "x", "--every", "soon")
	id := e.newIncident("first")
	e.fails("nothing to log", "log", "-i", id)
	e.fails("nothing to log", "log", "-i", id, "   ")
	e.fails("not valid", "log", "--at", "25:99", "text")
	e.fails("in the future", "log", "--at", "2999-01-01T00:00:00Z", "text")
	e.fails("not valid", "log", "@soon text")
	e.fails("not a command", "log", "/frobnicate")
	e.fails("opens a screen", "log", "/retro")
	e.fails("does not exist", "log", "-i", "INC-42", "text")
	e.fails("not an incident id", "show", "INC-x")
	e.fails("does not exist", "show", "99")
	e.newIncident("second")
	e.fails("2 incidents are open", "log", "hello")
	e.fails("2 incidents are open", "show")
	e.fails("unknown flag", "list", "--frob")
	e.fails("takes no arguments", "list", "extra")

	// Nothing was written by the failures: two incidents, one declaration entry each.
	s := e.show("1")
	if len(s.Entries) != 1 {
		t.Fatalf("failed commands wrote entries: %+v", s.Entries)
	}
}

func TestBadDatabaseFiles(t *testing.T) {
	e := newEnv(t)
	e.newIncident("x")
	good, err := os.ReadFile(e.db)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := []struct {
		name, want string
		data       []byte
		mode       os.FileMode
	}{
		{"text.db", "not a warroom database", []byte("hello, I am a text file\n"), 0o600},
		{"truncated.db", "", good[:5000], 0o600},
		{"readonly.db", "read-only", good, 0o400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name)
			if err := os.WriteFile(p, c.data, c.mode); err != nil {
				t.Fatal(err)
			}
			r := e.run("--db", p, "log", "-i", "1", "text")
			if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, p) {
				t.Fatalf("exit %d stderr %q", r.code, r.stderr)
			}
			if c.want != "" && !strings.Contains(r.stderr, c.want) {
				t.Fatalf("stderr %q does not mention %q", r.stderr, c.want)
			}
			after, _ := os.ReadFile(p)
			if !bytes.Equal(after, c.data) {
				t.Fatal("the file was modified")
			}
		})
	}
	t.Run("corrupt", func(t *testing.T) {
		data := append([]byte(nil), good...)
		for off := 4 * 4096; off < len(data); off += 4096 {
			for i := 0; i < 64 && off+i < len(data); i++ {
				data[off+i] ^= 0x5A
			}
		}
		p := filepath.Join(dir, "corrupt.db")
		_ = os.WriteFile(p, data, 0o600)
		r := e.run("--db", p, "check")
		if r.code != 1 || !strings.Contains(r.stdout, "problem") {
			t.Fatalf("check on a damaged file: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		r = e.run("--db", p, "log", "-i", "1", "text")
		if r.code != 1 || strings.Contains(r.stderr, "goroutine") {
			t.Fatalf("log on a damaged file: exit %d %q", r.code, r.stderr)
		}
		if after, _ := os.ReadFile(p); !bytes.Equal(after, data) {
			t.Fatal("the damaged file was modified")
		}
	})
	t.Run("locked", func(t *testing.T) {
		db, err := bolt.Open(e.db, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		start := time.Now()
		e.fails("locked by another process", "log", "-i", "1", "text")
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("waited %v on the lock", d)
		}
	})
	out := e.ok("check")
	if !strings.Contains(out, "OK") {
		t.Fatalf("check on a good file:\n%s", out)
	}
}

func TestEscapeSequencesNeverPrintedRaw(t *testing.T) {
	e := newEnv(t)
	e.newIncident("evil \x1b]0;pwned\x07 title \x1b[31mred")
	e.ok("log", "text with \x1b[2J clear and \r carriage \b back \a bell \u009b31m c1")
	for _, args := range [][]string{{"show"}, {"list"}, {"list", "--all"}} {
		out := e.ok(args...)
		for _, bad := range []string{"\x1b", "\r", "\b", "\a", "\u009b"} {
			if strings.Contains(out, bad) {
				t.Errorf("warroom %v printed %q raw:\n%q", args, bad, out)
			}
		}
	}
	// Stored as given: JSON keeps the original text (escaped by JSON).
	s := e.show("1")
	if !strings.Contains(s.Entries[len(s.Entries)-1].Text, "\x1b[2J") {
		t.Error("the text was not stored as given")
	}
}

func TestBackupAndConfig(t *testing.T) {
	e := newEnv(t)
	e.newIncident("x")
	dst := filepath.Join(e.dir, "backup.db")
	e.ok("backup", dst)
	if out := e.ok("--db", dst, "list"); !strings.Contains(out, "INC-1") {
		t.Fatalf("backup list:\n%s", out)
	}
	e.fails("already exists", "backup", dst)

	cfgDir := filepath.Join(e.dir, "config", "warroom")
	_ = os.MkdirAll(cfgDir, 0o700)
	_ = os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("author = \"amara\"\nupdate_every = \"20m\"\n"), 0o600)
	out := e.ok("config")
	for key, want := range map[string][]string{
		"author":        {"= amara", "# file "},
		"update_every":  {"= 20m0s", "# file "},
		"gap_threshold": {"= 15m0s", "# default"},
	} {
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, key+" ") {
				line = l
			}
		}
		for _, w := range want {
			if !strings.Contains(line, w) {
				t.Errorf("config line for %s lacks %q:\n%s", key, w, out)
			}
		}
	}
	// A mistake in the file is a warning naming the file and line:
	// warroom config exits 1, every other command warns and works.
	_ = os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("autor = \"typo\"\n"), 0o600)
	if r := e.run("config"); r.code != 1 || !strings.Contains(r.stderr, "config.toml line 1: unknown key autor") || !strings.Contains(r.stderr, "has 1 warning") {
		t.Errorf("warroom config on an unknown key: exit %d\n%s", r.code, r.stderr)
	}
	_ = os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("author = \"amara\"\nupdate_every = \"often\"\n"), 0o600)
	if r := e.run("list"); r.code != 0 || !strings.Contains(r.stderr, "config.toml line 2: update_every = \"often\" is not a duration") || !strings.Contains(r.stdout, "INC-1") {
		t.Errorf("warroom list on a bad value: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestUnknownConfigKeyWarnsAndLogWorks: one unknown key in config.toml
// never refuses `warroom log` in the middle of an incident (product.md §5).
func TestUnknownConfigKeyWarnsAndLogWorks(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	cfgDir := filepath.Join(e.dir, "config", "warroom")
	_ = os.MkdirAll(cfgDir, 0o700)
	_ = os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("author = \"amara\"\n\n[jargon]\nwrods = [\"pgbouncer\"]\n"), 0o600)
	r := e.run("log", "-i", id, "pgbouncer pool is full")
	if r.code != 0 || !strings.Contains(r.stderr, "warroom: warning: ") || !strings.Contains(r.stderr, "config.toml line 4: unknown key jargon.wrods") {
		t.Fatalf("log with an unknown key: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	js := e.show(id)
	if !js.hasEntry("note", "pgbouncer pool is full") {
		t.Fatal("the line was not logged")
	}
	for _, en := range js.Entries {
		if en.Text == "pgbouncer pool is full" && en.Author != "amara" {
			t.Errorf("the good key beside the bad one was not used: author %q", en.Author)
		}
	}
	if r := e.run("config"); r.code != 1 {
		t.Errorf("warroom config exit %d, want 1", r.code)
	}
}

func TestDevNullIsNotATerminal(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("/dev/null counts as a terminal, so `warroom demo >/dev/null` would start the cockpit")
	}
}

func TestDemoTwiceReopensTheSameIncident(t *testing.T) {
	e := newEnv(t)
	if out := e.ok("demo"); !strings.Contains(out, "Created the demo incident INC-1") {
		t.Fatalf("first demo: %q", out)
	}
	first := e.show("1")
	if len(first.Entries) < 20 || len(first.Updates) != 4 {
		t.Fatalf("the demo is not a full incident: %d entries, %d updates", len(first.Entries), len(first.Updates))
	}
	if out := e.ok("demo"); !strings.Contains(out, "Reopened the demo incident INC-1") {
		t.Fatalf("second demo: %q", out)
	}
	again := e.show("1")
	if len(again.Entries) != len(first.Entries) || len(again.Updates) != len(first.Updates) {
		t.Fatalf("the second demo duplicated: %d entries (was %d)", len(again.Entries), len(first.Entries))
	}
	// The demo retro has its contributing factors, each linked to entries
	// that exist, once however often the demo runs.
	var retro struct {
		Factors []struct {
			Cause    string `json:"cause"`
			Evidence []struct {
				ID      int64 `json:"id"`
				Deleted bool  `json:"deleted"`
			} `json:"evidence"`
		} `json:"factors"`
	}
	if err := json.Unmarshal(again.Retro, &retro); err != nil {
		t.Fatal(err)
	}
	if len(retro.Factors) != 4 {
		t.Fatalf("the demo has %d contributing factors, want 4", len(retro.Factors))
	}
	for _, f := range retro.Factors {
		if len(f.Evidence) == 0 || f.Evidence[0].ID == 0 || f.Evidence[0].Deleted {
			t.Errorf("factor %q is not linked to a timeline entry: %+v", f.Cause, f.Evidence)
		}
	}
	if out := e.ok("list", "--all"); strings.Contains(out, "INC-2") {
		t.Fatalf("a second demo incident was created:\n%s", out)
	}
}

func TestCockpitCommandsFromScripts(t *testing.T) {
	e := newEnv(t)
	e.newIncident("x")
	e.fails("does not exist", "open", "99")
	e.fails("needs a terminal", "open", "1")
	e.fails("needs a terminal")
	e.fails("no SSH key may connect", "serve")
	e.fails("does not exist", "review", "99")
	e.fails("needs a terminal", "review")
	e.fails("/review opens a screen in the cockpit", "log", "/review")
}

func TestReviewWithNoIDTakesTheLatestResolved(t *testing.T) {
	e := newEnv(t)
	e.fails("no incident to review yet", "review")
	e.newIncident("first")
	e.newIncident("second")
	e.ok("log", "-i", "1", "/resolved")
	e.ok("log", "-i", "2", "/resolved")
	// Both resolved: the latest is taken, and only then is a terminal needed.
	e.fails("needs a terminal", "review")
	e.newIncident("third")
	e.newIncident("fourth")
	e.fails("2 incidents are open", "review")
}
