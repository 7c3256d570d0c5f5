package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestLogWithAnIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	e.newIncident("x")
	entryID := regexp.MustCompile(`#\d+`)
	first := e.ok("log", "--id", "job-17", "!rolled back deploy 4711")
	retry := e.ok("log", "--id", "job-17", "!rolled back deploy 4711")
	if id := entryID.FindString(first); id == "" || entryID.FindString(retry) != id || !strings.Contains(retry, "already logged "+id) {
		t.Fatalf("first run %q, retry %q", first, retry)
	}
	// The key, not the text, decides: a retry after a change of wording
	// still logs nothing new.
	e.ok("log", "--id", "job-17", "!rolled back deploy 4711 (retry)")
	n := 0
	for _, en := range e.show("1").Entries {
		if strings.HasPrefix(en.Text, "rolled back deploy 4711") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d entries for one keyed write", n)
	}

	// A retried command that would now be refused is a repeat, not an error.
	e.ok("log", "--id", "job-18", "/status identified")
	if out := e.ok("log", "--id", "job-18", "/status identified"); !strings.Contains(out, "already logged") {
		t.Fatalf("retried /status: %q", out)
	}
	e.fails("status is already identified", "log", "/status identified")

	// A retried publish publishes once.
	e.ok("log", "--id", "job-19", "/publish We are investigating.")
	e.ok("log", "--id", "job-19", "/publish We are investigating.")
	if s := e.show("1"); len(s.Updates) != 1 {
		t.Fatalf("%d public updates after a retried publish", len(s.Updates))
	}
	e.fails("--id: the idempotency key is empty", "log", "--id", " ", "text")
}
