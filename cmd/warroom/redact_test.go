package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// warroom delete --redact removes an entry's text for good: show, show
// --json, export and the database file no longer hold it; what is kept is
// who redacted which entry and when.
func TestDeleteRedactRemovesTheTextForGood(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	e.ok("log", "-i", id, "the pool is saturated")
	e.ok("log", "-i", id, "password is hunter2-SECRET-7731")
	e.ok("edit", "-i", id, "3", "--text", "password is hunter2-SECRET-7731 (rotated)")
	out := e.ok("delete", "-i", id, "--redact", "3")
	if !strings.Contains(out, "removed from this database for good") || !strings.Contains(out, "git filter-repo") {
		t.Errorf("delete --redact printed %q", out)
	}
	for _, args := range [][]string{{"show", id}, {"show", id, "--json"}, {"export", id}, {"export", id, "--format", "json"}, {"search", "hunter2"}} {
		if got := e.ok(args...); strings.Contains(got, "SECRET-7731") {
			t.Errorf("warroom %s still shows the redacted text:\n%s", strings.Join(args, " "), got)
		}
	}
	s := e.show(id)
	if js := e.ok("show", id, "--json"); !strings.Contains(js, "(text redacted)") {
		t.Errorf("the change record does not say the entry was redacted:\n%s", js)
	}
	if !s.hasEntry("note", "the pool is saturated") {
		t.Error("the other entry was lost")
	}
	data, err := os.ReadFile(e.db)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("SECRET-7731")) {
		t.Error("the database file still holds the redacted text")
	}
	if r := e.run("delete", "-i", id, "--redact", "3"); r.code != 1 || !strings.Contains(r.stderr, "already redacted") {
		t.Errorf("redacting again: exit %d %q", r.code, r.stderr)
	}
}
