package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// TestDeletedTextStaysOutOfExports: a secret pasted by mistake and
// deleted never reaches the Markdown, the repository's files or the feed;
// the deletion shows only as who deleted an entry and when.
func TestDeletedTextStaysOutOfExports(t *testing.T) {
	const secret = "AKIAhunter2SECRETKEY"
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--at", "2026-05-04T12:00:00Z")
	e.ok("log", "-i", id, "--at", "2026-05-04T12:05:00Z", "*db password is "+secret)
	e.ok("log", "-i", id, "--at", "2026-05-04T12:06:00Z", "/handover bob")
	var entry int64
	for _, en := range e.show(id).Entries {
		if strings.Contains(en.Text, secret) && en.Kind != "handover" {
			entry = en.ID
		}
	}
	if entry == 0 {
		t.Fatal("the pasted entry is not on the timeline")
	}
	e.ok("delete", "-i", id, "#"+strconv.FormatInt(entry, 10))

	md := e.ok("export", id)
	if strings.Contains(md, secret) {
		t.Errorf("the Markdown export carries the deleted text:\n%s", md)
	}
	if !strings.Contains(md, "An entry was deleted by tester at ") {
		t.Errorf("the Markdown export does not tell of the deletion:\n%s", md)
	}
	if atom := e.ok("export", id, "--format", "atom"); strings.Contains(atom, secret) {
		t.Errorf("the Atom feed carries the deleted text:\n%s", atom)
	}
	dir := filepath.Join(e.dir, "repo")
	e.ok("export", "--all", "--dir", dir)
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(files) < 2 {
		t.Fatalf("export --all wrote %v (%v)", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), secret) {
			t.Errorf("%s carries the deleted text", filepath.Base(f))
		}
	}
}

// TestJSONEscapesC1AndBidi: --json output carries C1 controls and bidi
// overrides as \u escapes, never as raw characters a terminal acts on.
func TestJSONEscapesC1AndBidi(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout \u202eliated\u202c failing \u009b31m")
	e.ok("log", "-i", id, "entry with \u009b2J and \u202egnp.exe\u2066 x")
	for _, args := range [][]string{
		{"show", id, "--json"},
		{"export", id, "--format", "json"},
		{"list", "--json"},
		{"search", "entry", "--json"},
	} {
		out := e.ok(args...)
		if strings.ContainsAny(out, "\u009b\u202e\u202c\u2066") {
			t.Errorf("warroom %s prints raw C1 or bidi controls:\n%q", strings.Join(args, " "), out)
		}
		if args[0] != "search" && !strings.Contains(out, `\u202e`) {
			// (search's snippets are cleaned text; the others keep the
			// stored text as given)
			t.Errorf("warroom %s lost the override instead of escaping it:\n%s", strings.Join(args, " "), out)
		}
	}
	// The escapes are the same text to a JSON reader.
	if got := e.show(id).Title; got != "Checkout \u202eliated\u202c failing \u009b31m" {
		t.Errorf("show --json title reads back as %q", got)
	}
}

// TestPostmortemCarriesFindings: the Markdown's Timeline lists what the
// retro screen finds, and Roles everyone who held each role.
func TestPostmortemCarriesFindings(t *testing.T) {
	e := newEnv(t)
	id := e.replay(replays["gitlab-2017"])
	md := e.ok("export", id)
	_, timeline, ok := strings.Cut(md, "\n## Timeline\n")
	if !ok {
		t.Fatalf("no Timeline section:\n%s", md)
	}
	timeline, _, _ = strings.Cut(timeline, "\n## Five whys")
	for _, want := range []string{
		"### Possible deficiencies",
		// Declared 23:30, first update 23:47, due within 5m.
		"The first public update went out at Jan 31 23:47, 17m after the incident was declared; it was due within 5m.",
		// 23:47 then 07:46 against the 30m cadence.
		"The public update at Feb 1 07:46 came 7h59m after the one before; updates were due every 30m.",
		"18m passed between detection at Jan 31 23:27 and acknowledgement at Jan 31 23:45.",
	} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the Timeline section lacks %q:\n%s", want, timeline)
		}
	}

	// The findings' times are in the configured zone, like the rest.
	cfgDir := filepath.Join(e.dir, "config", "warroom")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("timezone = \"America/Los_Angeles\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if la := e.ok("export", id); !strings.Contains(la, "The first public update went out at Jan 31 15:47,") {
		t.Errorf("the findings are not in the configured zone:\n%s", la)
	}
	if err := os.Remove(filepath.Join(cfgDir, "config.toml")); err != nil {
		t.Fatal(err)
	}

	id = e.replay(replays["github-2018"])
	md = e.ok("export", id)
	want := "- **Resolution lead:** sam (2018-10-21 23:07–2018-10-22 08:10), priya (from 2018-10-22 08:10)"
	if !strings.Contains(md, want) {
		t.Errorf("Roles do not list both resolution leads; want %q in:\n%s", want, md)
	}
}

// TestStatsSummarisesOverdueActions: stats gives the count and the ten
// oldest overdue actions; actions --overdue lists every one.
func TestStatsSummarisesOverdueActions(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--at", "2026-01-02T12:00:00Z")
	e.editRetro(id, func(r *incident.Retro) {
		for i := 1; i <= 12; i++ {
			r.Actions = append(r.Actions, incident.Action{
				Title: fmt.Sprintf("overdue action %02d", i), Kind: incident.Immediate, Owner: "dana",
				Due: time.Date(2026, 1, 2+i, 0, 0, 0, 0, time.UTC),
			})
		}
		r.Actions = append(r.Actions, incident.Action{Title: "future action", Kind: incident.LongTerm, Due: time.Now().AddDate(1, 0, 0)})
	})
	out := e.ok("stats")
	if !strings.Contains(out, "Action items: 13 open (12 overdue), 0 done") ||
		!strings.Contains(out, "Oldest overdue (10 of 12; warroom actions --overdue lists all):") {
		t.Errorf("stats does not summarise the overdue actions:\n%s", out)
	}
	for i := 1; i <= 12; i++ {
		line := fmt.Sprintf("overdue action %02d", i)
		if shown := strings.Contains(out, line); shown != (i <= 10) {
			t.Errorf("stats shows %q: %v, want only the ten oldest:\n%s", line, shown, out)
		}
	}
	if strings.Contains(out, "future action") {
		t.Errorf("stats lists an action that is not overdue:\n%s", out)
	}
	all := e.ok("actions", "--overdue")
	for i := 1; i <= 12; i++ {
		if line := fmt.Sprintf("overdue action %02d", i); !strings.Contains(all, line) {
			t.Errorf("actions --overdue lacks %q:\n%s", line, all)
		}
	}
	if strings.Contains(all, "future action") {
		t.Errorf("actions --overdue lists an action that is not overdue:\n%s", all)
	}
}

// TestManPage: warroom man prints a roff page generated from the help,
// and --dir writes one per command.
func TestManPage(t *testing.T) {
	e := newEnv(t)
	page := e.ok("man")
	for _, want := range []string{`.TH "WARROOM" "1"`, ".SH NAME", "warroom - A terminal incident cockpit", ".SH SEE ALSO", "\\fBwarroom-log(1)\\fP"} {
		if !strings.Contains(page, want) {
			t.Errorf("warroom man lacks %q:\n%s", want, page)
		}
	}
	dir := filepath.Join(e.dir, "man1")
	if out := e.ok("man", "--dir", dir); !strings.Contains(out, "manual pages into "+dir) {
		t.Errorf("man --dir said %q", out)
	}
	for _, name := range []string{"warroom.1", "warroom-log.1", "warroom-export.1", "warroom-actions.1"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.HasPrefix(string(data), ".nh\n.TH ") {
			t.Errorf("%s: %v %.40q", name, err, data)
		}
	}
	if man, err := exec.LookPath("man"); err == nil {
		cmd := exec.Command(man, "-l", filepath.Join(dir, "warroom-log.1"))
		cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--file") {
			t.Errorf("man -l cannot show warroom-log.1 (%v):\n%s", err, out)
		}
	}
}
