package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// retroDoc is the part of show --json's retro the retro tests read.
type retroDoc struct {
	Status   string `json:"status"`
	Sections []struct {
		Title        string   `json:"title"`
		Text         string   `json:"text"`
		Contributors []string `json:"contributors"`
		Perspectives []struct {
			Author string `json:"author"`
			Text   string `json:"text"`
		} `json:"perspectives"`
	} `json:"sections"`
	Whys []struct {
		UID       string `json:"uid"`
		Why       string `json:"why"`
		Because   string `json:"because"`
		RootCause bool   `json:"root_cause"`
		Author    string `json:"author"`
	} `json:"whys"`
	Factors []struct {
		UID      string `json:"uid"`
		Cause    string `json:"cause"`
		Lucky    bool   `json:"lucky"`
		Author   string `json:"author"`
		Evidence []struct {
			UID     string `json:"uid"`
			ID      int64  `json:"id"`
			Deleted bool   `json:"deleted"`
		} `json:"evidence"`
	} `json:"factors"`
	Actions []struct {
		UID    string  `json:"uid"`
		Title  string  `json:"title"`
		Kind   string  `json:"kind"`
		Owner  string  `json:"owner"`
		Due    *string `json:"due"`
		Done   bool    `json:"done"`
		Link   string  `json:"link"`
		Author string  `json:"author"`
	} `json:"actions"`
}

// retro reads an incident's retro from show --json.
func (e *env) retro(id string) retroDoc {
	e.t.Helper()
	var r retroDoc
	if err := json.Unmarshal(e.show(id).Retro, &r); err != nil {
		e.t.Fatalf("show --json's retro: %v", err)
	}
	return r
}

// section returns the section titled title, failing the test without one.
func (r retroDoc) section(t *testing.T, title string) (text string, contributors []string, perspectives map[string]string) {
	t.Helper()
	for _, s := range r.Sections {
		if s.Title == title {
			perspectives = map[string]string{}
			for _, p := range s.Perspectives {
				perspectives[p.Author] = p.Text
			}
			return s.Text, s.Contributors, perspectives
		}
	}
	t.Fatalf("no section %q in show --json: %+v", title, r.Sections)
	return "", nil, nil
}

// lastLine is the last line a command printed: the item it touched.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	return lines[len(lines)-1]
}

// runStdin runs warroom with stdin as its standard input.
func (e *env) runStdin(stdin string, args ...string) result {
	e.t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = e.environ()
	cmd.Dir = e.dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("running warroom %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

// retroOps counts the incident's recorded operations by type, from the
// JSON export that carries them.
func (e *env) retroOps(id string) map[string]int {
	e.t.Helper()
	var doc struct {
		Ops []struct {
			Type   string `json:"type"`
			Author string `json:"author"`
		} `json:"ops"`
	}
	if err := json.Unmarshal([]byte(e.ok("export", id, "--format", "json")), &doc); err != nil {
		e.t.Fatal(err)
	}
	n := map[string]int{}
	for _, o := range doc.Ops {
		if strings.HasPrefix(o.Type, "retro.") {
			n[o.Type+" by "+o.Author]++
		}
	}
	return n
}

// TestRetroCommands drives every retro subcommand through the binary: each
// change lands in show --json, as an operation by the config's author,
// and the uid (or section title, or status) printed last is the one
// show --json lists.
func TestRetroCommands(t *testing.T) {
	e := newEnv(t)
	e.setAuthor("amara")
	id := e.newIncident("Checkout failing")
	e.ok("log", "-i", id, "payments queue at 40k")   // #2
	e.ok("log", "-i", id, "no alert on queue depth") // #3

	// Sections: matched without regard to case, a new name added.
	if got := lastLine(e.ok("retro", "-i", id, "section", "introduction", "--text", "Checkout failed for 12% of customers.")); got != "Introduction" {
		t.Errorf("section printed %q last, want the section's title Introduction", got)
	}
	if got := lastLine(e.ok("retro", "-i", id, "section", "Where we got lucky", "--text", "The on-call was awake.")); got != "Where we got lucky" {
		t.Errorf("a new section printed %q last", got)
	}
	file := filepath.Join(e.dir, "timeline.md")
	if err := os.WriteFile(file, []byte("- 12:31 alert\r\n- 12:40 rollback\r\n\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.ok("retro", "-i", id, "section", "Timeline", "--file", file)
	r := e.runStdin("What worked: the runbook.\n", "retro", "-i", id, "section", "Actions", "--file", "-")
	if r.code != 0 || lastLine(r.stdout) != "Actions" {
		t.Fatalf("section --file -: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if out := e.ok("retro", "-i", id, "section", "Timeline", "--file", file); !strings.Contains(out, "unchanged") {
		t.Errorf("saving the same text again printed %q", out)
	}
	rd := e.retro(id)
	for title, want := range map[string]string{
		"Introduction":       "Checkout failed for 12% of customers.",
		"Where we got lucky": "The on-call was awake.",
		"Timeline":           "- 12:31 alert\n- 12:40 rollback",
		"Actions":            "What worked: the runbook.",
	} {
		text, contributors, _ := rd.section(t, title)
		if text != want || !slices.Contains(contributors, "amara") {
			t.Errorf("section %s reads %q by %v, want %q by amara", title, text, contributors, want)
		}
	}

	// Perspectives: the author's own, removed by an empty text.
	if got := lastLine(e.ok("retro", "-i", id, "perspective", "Introduction", "--text", "Comms saw it first.")); got != "Introduction" {
		t.Errorf("perspective printed %q last", got)
	}
	if _, _, ps := e.retro(id).section(t, "Introduction"); ps["amara"] != "Comms saw it first." || len(ps) != 1 {
		t.Errorf("perspectives %v, want amara's", ps)
	}
	if out := e.ok("retro", "-i", id, "perspective", "Introduction", "--text", ""); !strings.Contains(out, "removed") {
		t.Errorf("an empty perspective printed %q", out)
	}
	if _, _, ps := e.retro(id).section(t, "Introduction"); len(ps) != 0 {
		t.Errorf("an empty perspective left %v", ps)
	}

	// Five whys.
	why1 := lastLine(e.ok("retro", "-i", id, "why", "add", "--why", "Why did checkout fail?", "--because", "The cache expired.", "--root"))
	// With only --because, the question is the one the screen suggests.
	why2 := lastLine(e.ok("retro", "-i", id, "why", "add", "--because", "Nobody owned its TTL.", "--root"))
	rd = e.retro(id)
	if len(rd.Whys) != 2 || rd.Whys[0].UID != why1 || rd.Whys[1].UID != why2 || why1 == why2 {
		t.Fatalf("why add printed %q and %q; show --json lists %+v", why1, why2, rd.Whys)
	}
	if w := rd.Whys[1]; w.Why != "Why the cache expired?" || w.Because != "Nobody owned its TTL." || !w.RootCause || w.Author != "amara" {
		t.Errorf("second why %+v", w)
	}
	if rd.Whys[0].RootCause {
		t.Error("--root on the second why left the first marked: a chain has one root cause")
	}
	if got := lastLine(e.ok("retro", "-i", id, "why", "edit", why1, "--because", "The payment cache expired.", "--root")); got != why1 {
		t.Errorf("why edit printed %q last, want %q", got, why1)
	}
	rd = e.retro(id)
	if w := rd.Whys[0]; w.Why != "Why did checkout fail?" || w.Because != "The payment cache expired." || !w.RootCause || rd.Whys[1].RootCause {
		t.Errorf("after why edit --because --root: %+v", rd.Whys)
	}
	e.ok("retro", "-i", id, "why", "edit", why1, "--not-root")
	if rd = e.retro(id); rd.Whys[0].RootCause || rd.Whys[1].RootCause {
		t.Errorf("--not-root left a mark: %+v", rd.Whys)
	}

	// A contributing factor with evidence, kept by the entries' uids.
	f := lastLine(e.ok("retro", "-i", id, "factor", "add", "No alert on queue depth", "--evidence", "#3", "--evidence", "2"))
	rd = e.retro(id)
	if len(rd.Factors) != 1 || rd.Factors[0].UID != f || rd.Factors[0].Cause != "No alert on queue depth" || rd.Factors[0].Author != "amara" {
		t.Fatalf("factor add printed %q; show --json lists %+v", f, rd.Factors)
	}
	if ev := rd.Factors[0].Evidence; len(ev) != 2 || ev[0].ID != 3 || ev[1].ID != 2 || ev[0].UID == "" || ev[0].UID == ev[1].UID {
		t.Errorf("evidence %+v, want entries #3 and #2 by uid", ev)
	}
	lucky := lastLine(e.ok("retro", "-i", id, "factor", "add", "The", "on-call", "was", "awake", "--lucky"))
	if rd = e.retro(id); len(rd.Factors) != 2 || rd.Factors[1].UID != lucky || !rd.Factors[1].Lucky || rd.Factors[1].Cause != "The on-call was awake" {
		t.Errorf("a lucky factor: %+v", rd.Factors)
	}

	// Actions.
	act := lastLine(e.ok("retro", "-i", id, "action", "add", "Alert on queue depth", "--long-term", "--owner", "dana", "--due", "2030-01-02"))
	imm := lastLine(e.ok("retro", "-i", id, "action", "add", "Raise the cache TTL"))
	rd = e.retro(id)
	if len(rd.Actions) != 2 || rd.Actions[0].UID != act || rd.Actions[1].UID != imm {
		t.Fatalf("action add printed %q and %q; show --json lists %+v", act, imm, rd.Actions)
	}
	a := rd.Actions[0]
	if a.Title != "Alert on queue depth" || a.Kind != "long-term" || a.Owner != "dana" || a.Due == nil || a.Author != "amara" || a.Done {
		t.Errorf("action %+v", a)
	} else if due := mustTime(t, *a.Due); !due.Equal(time.Date(2030, 1, 2, 23, 59, 0, 0, time.UTC)) {
		t.Errorf("--due 2030-01-02 stored %s, want the end of that day", due)
	}
	if b := rd.Actions[1]; b.Kind != "immediate" || b.Owner != "" || b.Due != nil {
		t.Errorf("a bare action %+v", b)
	}
	if got := lastLine(e.ok("retro", "-i", id, "action", "edit", act, "--title", "Alert on queue depth and age", "--immediate", "--owner", "", "--link", "https://tickets.example.com/OPS-12")); got != act {
		t.Errorf("action edit printed %q last, want %q", got, act)
	}
	a = e.retro(id).Actions[0]
	if a.Title != "Alert on queue depth and age" || a.Kind != "immediate" || a.Owner != "" || a.Link != "https://tickets.example.com/OPS-12" || a.Due == nil {
		t.Errorf("after action edit (due untouched): %+v", a)
	}
	e.ok("retro", "-i", id, "action", "edit", act, "--due", "", "--long-term")
	if a = e.retro(id).Actions[0]; a.Due != nil || a.Kind != "long-term" {
		t.Errorf("--due \"\" --long-term gave %+v", a)
	}
	if got := lastLine(e.ok("retro", "-i", id, "action", "done", act)); got != act || !e.retro(id).Actions[0].Done {
		t.Errorf("action done printed %q last; done = %v", got, e.retro(id).Actions[0].Done)
	}
	if out := e.ok("retro", "-i", id, "action", "done", act); !strings.Contains(out, "already done") || !e.retro(id).Actions[0].Done {
		t.Errorf("done twice printed %q; it must stay done", out)
	}
	e.ok("retro", "-i", id, "action", "undone", act)
	if e.retro(id).Actions[0].Done {
		t.Error("action undone left it done")
	}

	// Status.
	if got := lastLine(e.ok("retro", "-i", id, "status", "final")); got != "final" || e.retro(id).Status != "final" {
		t.Errorf("status final printed %q last; status %q", got, e.retro(id).Status)
	}
	if got := lastLine(e.ok("retro", "-i", id, "status", "Draft")); got != "draft" || e.retro(id).Status != "draft" {
		t.Errorf("status Draft printed %q last; status %q", got, e.retro(id).Status)
	}

	// Every change is an operation by the config's author.
	ops := e.retroOps(id)
	for _, typ := range []string{"retro.section", "retro.perspective", "retro.add", "retro.set", "retro.status"} {
		if ops[typ+" by amara"] == 0 {
			t.Errorf("no %s operation by amara among %v", typ, ops)
		}
	}
	if n := ops["retro.add by amara"]; n != 6 {
		t.Errorf("%d retro.add operations, want 6 (2 whys, 2 factors, 2 actions): %v", n, ops)
	}
}

// TestRetroCommandErrors: each mistake is one sentence with exit 1, and
// nothing is written.
func TestRetroCommandErrors(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	e.ok("log", "-i", id, "a note") // #2
	e.ok("delete", "-i", id, "2")
	act := lastLine(e.ok("retro", "-i", id, "action", "add", "Alert on queue depth"))
	why := lastLine(e.ok("retro", "-i", id, "why", "add", "--why", "Why?", "--because", "Cache."))
	before := string(e.show(id).Retro)

	bad := filepath.Join(e.dir, "bad.txt")
	if err := os.WriteFile(bad, []byte{'a', 0xff, 'b'}, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(e.dir, "big.txt")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 65*1024), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		want string
		args []string
	}{
		{"no why with uid nope in INC-1; warroom show INC-1 --json lists them.", []string{"why", "edit", "nope", "--root"}},
		{"no action with uid nope in INC-1; warroom show INC-1 --json lists them.", []string{"action", "edit", "nope", "--owner", "li"}},
		{"no action with uid " + why + " in INC-1", []string{"action", "done", why}},
		{"no action with uid nope in INC-1", []string{"action", "undone", "nope"}},
		{"no why with uid " + act + " in INC-1", []string{"why", "edit", act, "--because", "x"}},
		{"give the text with --text or --file, not both", []string{"section", "Introduction", "--text", "a", "--file", bad}},
		{"give the text with --text TEXT or --file FILE", []string{"section", "Introduction"}},
		{"give the text with --text TEXT or --file FILE", []string{"perspective", "Introduction"}},
		{"the section name is empty", []string{"section", "  ", "--text", "a"}},
		{"INC-1 has no section \"Nowhere\" and the text is empty", []string{"section", "Nowhere", "--text", ""}},
		{"INC-1 has no section \"Nowhere\" and the text is empty", []string{"perspective", "Nowhere", "--text", " "}},
		{"the section name is empty", []string{"perspective", "", "--text", "a"}},
		{"over the limit of 200", []string{"section", strings.Repeat("s", 201), "--text", "a"}},
		{"is not UTF-8 text", []string{"section", "Introduction", "--file", bad}},
		{"over the 64 KB a retro text holds", []string{"section", "Introduction", "--file", big}},
		{"cannot read", []string{"perspective", "Introduction", "--file", filepath.Join(e.dir, "missing.md")}},
		{"needs exactly one section name", []string{"section", "--text", "a"}},
		{"warroom retro has no command \"frob\"", []string{"frob"}},
		{"warroom retro why has no command \"delete\"", []string{"why", "delete", why}},
		{"retro status \"frozen\" is not known; use draft or final", []string{"status", "frozen"}},
		{"the why is empty", []string{"why", "add"}},
		{"nothing to change; give --why TEXT, --because TEXT, --root or --not-root", []string{"why", "edit", why}},
		{"--root and --not-root contradict each other", []string{"why", "edit", why, "--root", "--not-root"}},
		{"the factor is empty", []string{"factor", "add", " "}},
		{"over the limit of 300", []string{"factor", "add", strings.Repeat("f", 301)}},
		{"INC-1 has no entry #99", []string{"factor", "add", "x", "--evidence", "99"}},
		{"\"x1\" is not an entry id", []string{"factor", "add", "x", "--evidence", "x1"}},
		{"entry #2 of INC-1 is deleted", []string{"factor", "add", "x", "--evidence", "#2"}},
		{"the action has no title", []string{"action", "add"}},
		{"--due: due date \"soonish\" is not valid", []string{"action", "add", "x", "--due", "soonish"}},
		{"the owner's name is 81 characters long, over the limit of 80", []string{"action", "add", "x", "--owner", strings.Repeat("o", 81)}},
		{"nothing to change; give --title", []string{"action", "edit", act}},
		{"--long-term and --immediate contradict each other", []string{"action", "edit", act, "--long-term", "--immediate"}},
		{"--title is empty", []string{"action", "edit", act, "--title", " "}},
		{"INC-42 does not exist", []string{"-i", "INC-42", "status", "final"}},
	} {
		args := c.args
		if len(args) == 0 || args[0] != "-i" {
			args = append([]string{"-i", id}, args...)
		}
		e.fails(c.want, append([]string{"retro"}, args...)...)
	}
	if after := string(e.show(id).Retro); after != before {
		t.Errorf("failed commands changed the retro:\nbefore %s\nafter  %s", before, after)
	}
}

// TestRetroFindsTheIncident: with no -i, the only open incident, else the
// most recently resolved one; several open ones are named.
func TestRetroFindsTheIncident(t *testing.T) {
	e := newEnv(t)
	e.fails("there is no warroom database", "retro", "status", "final")
	e.createEmptyDB()
	e.fails("there is no incident to write a retro for", "retro", "status", "final")
	first := e.newIncident("First")
	e.ok("log", "-i", first, "/resolved")
	second := e.newIncident("Second")
	e.ok("retro", "section", "Introduction", "--text", "about the second")
	if text, _, _ := e.retro(second).section(t, "Introduction"); text != "about the second" {
		t.Errorf("with one open incident the text went elsewhere; the second reads %q", text)
	}
	e.ok("log", "-i", second, "/resolved")
	third := e.newIncident("Third")
	e.ok("log", "-i", third, "/resolved")
	e.ok("retro", "status", "final")
	if e.retro(third).Status != "final" || e.retro(first).Status != "draft" || e.retro(second).Status != "draft" {
		t.Error("with none open, the retro written was not the latest resolved incident's")
	}
	e.newIncident("Fourth")
	e.newIncident("Fifth")
	e.fails("2 incidents are open", "retro", "status", "final")
}

// TestRetroSectionOnTwoLaptops: two databases edit one section through the
// CLI, each from the text it read, and exchange JSON exports: both end with
// both edits (different lines merged, the same line kept twice, marked)
// and the same retro.
func TestRetroSectionOnTwoLaptops(t *testing.T) {
	a, b := newEnv(t), newEnv(t)
	a.setAuthor("amara")
	b.setAuthor("li")
	id := a.newIncident("Checkout failing")
	a.ok("retro", "-i", id, "section", "Introduction", "--text", "What happened.\nWhat the issue was.\nHow it was resolved.")
	a.ok("retro", "-i", id, "section", "Timeline", "--text", "12:31 alert")
	exchange := func(from, to *env, name string) {
		t.Helper()
		file := filepath.Join(from.dir, name)
		from.ok("export", id, "--format", "json", "-o", file)
		to.ok("import", file)
	}
	exchange(a, b, "start.json")

	// Offline: amara rewrites the first line, li the last; both the
	// Timeline's one line.
	a.ok("retro", "-i", id, "section", "Introduction", "--text", "Checkout failed for 12% of customers.\nWhat the issue was.\nHow it was resolved.")
	b.ok("retro", "-i", id, "section", "introduction", "--text", "What happened.\nWhat the issue was.\nRolled back deploy 4711.")
	a.ok("retro", "-i", id, "section", "Timeline", "--text", "12:31 alert fired (amara)")
	b.ok("retro", "-i", id, "section", "Timeline", "--text", "12:31 first page (li)")
	exchange(a, b, "a.json")
	exchange(b, a, "b.json")

	ra, rb := a.show(id).Retro, b.show(id).Retro
	if !bytes.Equal(ra, rb) {
		t.Errorf("after the exchange the two retros differ:\n%s\n%s", ra, rb)
	}
	text, contributors, _ := a.retro(id).section(t, "Introduction")
	if want := "Checkout failed for 12% of customers.\nWhat the issue was.\nRolled back deploy 4711."; text != want {
		t.Errorf("Introduction after both edits:\n%s\nwant\n%s", text, want)
	}
	if !slices.Contains(contributors, "amara") || !slices.Contains(contributors, "li") {
		t.Errorf("contributors %v, want amara and li", contributors)
	}
	tl, _, _ := b.retro(id).section(t, "Timeline")
	if !strings.Contains(tl, "12:31 alert fired (amara)") || !strings.Contains(tl, "12:31 first page (li)") {
		t.Errorf("the Timeline's one line changed on both laptops lost a version:\n%s", tl)
	}
}

// TestRetroManPages: warroom man --dir writes a page for each retro
// command.
func TestRetroManPages(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(e.dir, "man1")
	e.ok("man", "--dir", dir)
	for _, name := range []string{"warroom-retro.1", "warroom-retro-section.1", "warroom-retro-why-add.1", "warroom-retro-action-done.1", "warroom-retro-status.1"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Contains(data, []byte(".TH ")) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestRetroDueInTheConfiguredZone: --due reads its time in the configured
// zone, whatever the shell's TZ, and prints it there, named.
func TestRetroDueInTheConfiguredZone(t *testing.T) {
	if _, err := time.LoadLocation("America/Los_Angeles"); err != nil {
		t.Skip("no zone database here")
	}
	e := newEnv(t)
	writeConfig(t, e, "timezone = \"America/Los_Angeles\"\n")
	id := e.newIncident("Checkout failing")
	out := e.ok("retro", "-i", id, "action", "add", "Alert on queue depth", "--due", "2030-01-02 17:00")
	if !strings.Contains(out, "due 2030-01-02 17:00 PST") {
		t.Errorf("action add printed %q, want the due time in Los Angeles, named", out)
	}
	a := e.retro(id).Actions[0]
	if a.Due == nil || !mustTime(t, *a.Due).Equal(time.Date(2030, 1, 3, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("--due 2030-01-02 17:00 in Los Angeles stored %v, want 2030-01-03T01:00Z", a.Due)
	}
}

// TestRetroConfiguredSection: a section the config names but the incident
// does not hold yet (configured after it was declared) is found as the
// screen lists it, in the config's spelling.
func TestRetroConfiguredSection(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	writeConfig(t, e, "retro_sections = [\"Introduction\", \"What went well\"]\n")
	if out := e.ok("retro", "-i", id, "section", "what went well", "--text", ""); lastLine(out) != "What went well" || !strings.Contains(out, "unchanged") {
		t.Errorf("an empty text for a configured section printed %q", out)
	}
	if got := lastLine(e.ok("retro", "-i", id, "section", "what went well", "--text", "The runbook.")); got != "What went well" {
		t.Errorf("section printed %q last, want the config's spelling", got)
	}
	if text, _, _ := e.retro(id).section(t, "What went well"); text != "The runbook." {
		t.Errorf("What went well reads %q", text)
	}
}

// TestRetroOneLineFields: an action's title, owner and link are one line,
// as the screen's form types them, whatever a script passes.
func TestRetroOneLineFields(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	act := lastLine(e.ok("retro", "-i", id, "action", "add", "Alert on\nqueue depth\x1b[2J", "--owner", " dana\tsmith ", "--link", "https://x.example/1\n"))
	a := e.retro(id).Actions[0]
	if a.UID != act || a.Title != "Alert on queue depth" || a.Owner != "dana smith" || a.Link != "https://x.example/1" {
		t.Errorf("action %+v", a)
	}
	e.ok("retro", "-i", id, "action", "edit", act, "--title", "Alert\non age")
	if a = e.retro(id).Actions[0]; a.Title != "Alert on age" {
		t.Errorf("edited title %q", a.Title)
	}
	if got := lastLine(e.ok("retro", "-i", id, "section", " introduction\t", "--text", "x")); got != "Introduction" {
		t.Errorf("section printed %q last", got)
	}
}
