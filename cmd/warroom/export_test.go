package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/export"
)

func TestExportMarkdownAndJSON(t *testing.T) {
	e := newEnv(t)
	e.ok("demo", "--no-open")
	md := e.ok("export", "INC-1")
	for _, want := range []string{
		"# INC-1: Checkout failing for some customers\n",
		"- 12:40: Issue identified; team working on resolution.\n",
		"- 14:20: Ongoing resolution efforts; ETA for resolution provided.\n",
		"| Time | Author | Kind | Entry |",
		"**(root cause)**",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	if again := e.ok("export"); again != md {
		t.Error("export without an id (one open incident) differs from export INC-1")
	}
	out := filepath.Join(e.dir, "inc1.md")
	if msg := e.ok("export", "1", "-o", out); !strings.Contains(msg, "Wrote INC-1 to "+out) {
		t.Errorf("export -o printed %q", msg)
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != md {
		t.Errorf("the file written with -o differs from stdout (%v)", err)
	}
	js := e.ok("export", "inc-1", "--format", "json")
	// The export also carries the operations (a backup, a teammate's
	// copy); everything else is show --json's.
	var withOps, shown map[string]any
	if err := json.Unmarshal([]byte(js), &withOps); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(e.ok("show", "INC-1", "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	if ops, ok := withOps["ops"].([]any); !ok || len(ops) == 0 {
		t.Error("export --format json carries no operations")
	}
	delete(withOps, "ops")
	if !reflect.DeepEqual(withOps, shown) {
		t.Error("export --format json and show --json differ beyond the operations")
	}
	if !strings.Contains(js, `"format_version": 1`) {
		t.Error("JSON export lacks format_version")
	}
}

func TestExportAllIntoAFolder(t *testing.T) {
	e := newEnv(t)
	e.ok("demo", "--no-open")
	e.newIncident("Login slow: EU / mobile", "--sev", "3")
	dir := filepath.Join(e.dir, "repo")
	stale := filepath.Join(dir, "INC-9-old-name.md")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A file an earlier export wrote (it carries the generated marker) is
	// stale once its incident is gone; one a person wrote is not ours.
	if err := os.WriteFile(stale, export.Generated([]byte("# INC-9: Old name\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "INC-1-notes.md")
	if err := os.WriteFile(notes, []byte("hand-written notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := e.ok("export", "--all", "--dir", dir)
	if !strings.Contains(msg, "Wrote 2 incidents and index.md") || !strings.Contains(msg, "removed 1 stale file (INC-9-old-name.md)") {
		t.Errorf("export --all printed %q", msg)
	}
	if data, err := os.ReadFile(notes); err != nil || string(data) != "hand-written notes\n" {
		t.Errorf("export --all touched the hand-written INC-1-notes.md (%v)", err)
	}
	if err := os.Remove(notes); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, en := range ents {
		names = append(names, en.Name())
	}
	want := []string{"INC-1-checkout-failing-for-some-customers.md", "INC-2-login-slow-eu-mobile.md", "feed.atom", "index.md"}
	if !slices.Equal(names, want) {
		t.Errorf("folder holds %q, want %q", names, want)
	}
	index, _ := os.ReadFile(filepath.Join(dir, "index.md"))
	if !strings.Contains(string(index), "[INC-2](INC-2-login-slow-eu-mobile.md)") {
		t.Errorf("index does not link INC-2:\n%s", index)
	}
	if msg := e.ok("export", "--all", "--dir", dir); strings.Contains(msg, "removed") {
		t.Errorf("a re-run removed files: %q", msg)
	}
	// What changed since is written again, and only that: a new entry on
	// INC-2, a file deleted by hand for INC-1.
	inc1 := filepath.Join(dir, "INC-1-checkout-failing-for-some-customers.md")
	before1, _ := os.ReadFile(inc1)
	if err := os.Remove(inc1); err != nil {
		t.Fatal(err)
	}
	e.ok("log", "-i", "2", "logged after the export")
	e.ok("export", "--all", "--dir", dir)
	if after1, err := os.ReadFile(inc1); err != nil || string(after1) != string(before1) {
		t.Errorf("the deleted INC-1 file was not written again as it was (%v)", err)
	}
	if inc2, _ := os.ReadFile(filepath.Join(dir, "INC-2-login-slow-eu-mobile.md")); !strings.Contains(string(inc2), "logged after the export") {
		t.Error("INC-2's new entry is not in its file after a re-run")
	}
}

func TestExportErrors(t *testing.T) {
	e := newEnv(t)
	e.fails("there is no warroom database", "export")
	e.createEmptyDB()
	e.fails("no open incident", "export")
	e.ok("demo", "--no-open")
	e.fails("use --format md, html or json", "export", "--format", "pdf")
	e.fails("needs --dir", "export", "--all")
	e.fails("--dir goes with --all", "export", "--dir", e.dir)
	e.fails("takes no incident id", "export", "--all", "--dir", e.dir, "INC-1")
	e.fails("does not exist", "export", "INC-9")
	e.fails("cannot write", "export", "-o", filepath.Join(e.dir, "no", "such", "dir", "x.md"))
}

func TestExportUsesTheConfiguredTemplate(t *testing.T) {
	e := newEnv(t)
	e.ok("demo", "--no-open")
	cfgDir := filepath.Join(e.dir, "config", "warroom")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(`export_template = "short.tmpl"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.fails("export template", "export", "INC-1")
	if err := os.WriteFile(filepath.Join(cfgDir, "short.tmpl"), []byte("{{.ID}} {{.Severity}} {{len .Updates}} updates\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := e.ok("export", "INC-1"); got != "INC-1 SEV2 4 updates\n" {
		t.Errorf("templated export = %q", got)
	}
}
