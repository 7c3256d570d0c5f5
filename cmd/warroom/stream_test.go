package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// show --json and export --format json stream the document from the
// database; the bytes are those of the incident read whole and encoded
// at once, as they were before streaming.
func TestStreamedJSONIsTheWholeIncidentsJSON(t *testing.T) {
	e := newEnv(t)
	e.ok("demo")
	e.ok("log", "-i", "1", "a line with <html> & \u0085 and \u202e in it")
	e.ok("edit", "2", "--star")
	e.ok("delete", "3")
	st, err := store.Open(e.db)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := st.Incident(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Retro.Factors) == 0 || len(inc.Ops) == 0 || len(inc.Changes) == 0 {
		t.Fatalf("the demo has %d factors, %d operations, %d changes; the test needs some of each", len(inc.Retro.Factors), len(inc.Ops), len(inc.Changes))
	}
	withOps, err := export.JSON(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	inc.Ops = nil
	without, err := export.JSON(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if got := e.ok("show", "1", "--json"); got != string(without) {
		t.Errorf("show --json differs from the incident's JSON:\n%s", diffLines(got, string(without)))
	}
	if got := e.ok("export", "1", "--format", "json"); got != string(withOps) {
		t.Errorf("export --format json differs from the incident's JSON:\n%s", diffLines(got, string(withOps)))
	}
	out := filepath.Join(e.dir, "inc.json")
	e.ok("export", "1", "--format", "json", "-o", out)
	if data, err := os.ReadFile(out); err != nil || string(data) != string(withOps) {
		t.Errorf("export -o wrote a different document (%v)", err)
	}
	// The spool file is gone.
	if left, _ := filepath.Glob(filepath.Join(e.dir, "warroom-*.json")); len(left) > 0 {
		t.Errorf("spool files left behind: %v", left)
	}
}

// diffLines names the first line where got and want differ.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
