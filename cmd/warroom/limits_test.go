package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTypingLimitsFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	e.fails("the title is 201 characters long, over the limit of 200", "new", strings.Repeat("t", 201))
	e.fails("the name of the resolution lead is 81 characters long", "new", "x", "--lead", strings.Repeat("a", 81))
	e.fails("there is no warroom database", "list") // nothing was declared
	e.newIncident("x", "--lead", strings.Repeat("a", 80))
	e.fails("the tag is 41 characters long, over the limit of 40", "log", "/tag "+strings.Repeat("t", 41))
	e.fails("the name of the communication lead is 81 characters long", "log", "/comms "+strings.Repeat("c", 81))
	e.fails("the name of the scribe is 81 characters long", "log", "/role scribe "+strings.Repeat("c", 81))
	e.ok("log", "/tag "+strings.Repeat("t", 40))

	// An import meets the same limits, and its updates' fields are checked.
	e.ok("log", "/publish We are investigating.")
	src := filepath.Join(e.dir, "inc.json")
	e.ok("export", "1", "--format", "json", "-o", src)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for name, spoil := range map[string]func(doc map[string]any){
		"the author of timeline entry 1 is 81 characters long": func(doc map[string]any) {
			doc["entries"].([]any)[0].(map[string]any)["author"] = strings.Repeat("a", 81)
		},
		`public update 1 has the status "exploded"`: func(doc map[string]any) {
			doc["updates"].([]any)[0].(map[string]any)["status"] = "exploded"
		},
		`delivery 1 of public update 1 has the state "teleported"`: func(doc map[string]any) {
			doc["updates"].([]any)[0].(map[string]any)["delivery"] = []any{map[string]any{"target": "clipboard", "state": "teleported"}}
		},
		"the text of timeline entry 2 is 65 KB, over the 64 KB limit": func(doc map[string]any) {
			en := doc["entries"].([]any)[1].(map[string]any)
			en["kind"], en["text"] = "note", strings.Repeat("x", 64<<10+1)
		},
	} {
		var copyDoc map[string]any
		_ = json.Unmarshal(data, &copyDoc)
		delete(copyDoc, "uid") // a new incident, not a merge
		spoil(copyDoc)
		out, _ := json.Marshal(copyDoc)
		p := filepath.Join(e.dir, "spoiled.json")
		if err := os.WriteFile(p, out, 0o600); err != nil {
			t.Fatal(err)
		}
		e.fails(name, "import", p)
	}
	if out := e.ok("list", "--all"); strings.Contains(out, "INC-2") {
		t.Fatalf("a refused import created an incident:\n%s", out)
	}
}
