package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSearch(t *testing.T) {
	e := newEnv(t)
	e.ok("demo", "--no-open")
	e.newIncident("Pgbouncer restarts in EU", "--sev", "3")
	out := e.ok("search", "PGBOUNCER")
	for _, want := range []string{"INC-1  entry 16", "Raised the pgbouncer pool to 300", "INC-2  title", "3 matches in 2 incidents searched; times in "} {
		if !strings.Contains(out, want) {
			t.Errorf("search output lacks %q:\n%s", want, out)
		}
	}
	var hits []struct {
		Incident, Where, Snippet string
		At                       *string
	}
	if err := json.Unmarshal([]byte(e.ok("search", "no", "ETA", "yet", "--json")), &hits); err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[1].Where != "update" || hits[1].At == nil || !strings.Contains(hits[1].Snippet, "no ETA yet") {
		t.Errorf("search --json = %+v", hits)
	}
	if out := e.ok("search", "--json", "nothing like this"); strings.TrimSpace(out) != "[]" {
		t.Errorf("no hits as JSON = %q, want []", out)
	}
	if out := e.ok("search", "nothing like this"); !strings.Contains(out, `No matches for "nothing like this" in 2 incidents.`) {
		t.Errorf("no hits printed %q", out)
	}
	e.fails("needs something to search for", "search")
}
