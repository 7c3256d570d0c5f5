package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Action items from every incident, overdue first; done ones only with --all.
func TestActionsAcrossIncidents(t *testing.T) {
	e := newEnv(t)
	e.ok("demo", "--no-open")
	e.ok("demo", "--past", "--no-open") // a second incident, with no actions
	var items []struct {
		Incident string  `json:"incident"`
		Title    string  `json:"title"`
		Owner    string  `json:"owner"`
		Due      *string `json:"due"`
		Done     bool    `json:"done"`
		Overdue  bool    `json:"overdue"`
	}
	if err := json.Unmarshal([]byte(e.ok("actions", "--json")), &items); err != nil {
		t.Fatal(err)
	}
	// The demo has four actions, one done.
	if len(items) != 3 {
		t.Fatalf("%d open actions, want 3: %+v", len(items), items)
	}
	for i, it := range items {
		if it.Done || it.Incident != "INC-1" || it.Owner == "" || it.Due == nil {
			t.Errorf("item %d = %+v", i, it)
		}
		if i > 0 && *items[i-1].Due > *it.Due && !items[i-1].Overdue {
			t.Errorf("not in due order: %+v then %+v", items[i-1], it)
		}
	}
	if err := json.Unmarshal([]byte(e.ok("actions", "--all", "--json")), &items); err != nil || len(items) != 4 || !items[len(items)-1].Done {
		t.Fatalf("--all: %v %+v", err, items)
	}
	out := e.ok("actions")
	if !strings.Contains(out, "OWNER") || !strings.Contains(out, "Add a slow-card-provider scenario") {
		t.Errorf("actions printed:\n%s", out)
	}
	if out := e.ok("actions", "--overdue"); !strings.Contains(out, "No action item is overdue") && !strings.Contains(out, "overdue") {
		t.Errorf("--overdue printed:\n%s", out)
	}
}
