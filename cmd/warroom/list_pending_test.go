package main

import (
	"strings"
	"testing"
	"time"
)

func TestListSaysWhichAlertsWait(t *testing.T) {
	e := newEnv(t)
	e.writeFile("config/warroom/config.toml", "[alerts]\ndeclare = false\n")
	e.newIncident("Nothing to do with alerts")
	if out := e.ok("list"); strings.Contains(out, "wait") {
		t.Fatalf("list speaks of pending alerts with none: %s", out)
	}
	e.ok("alert", e.writeFile("a.json", amPayload("DiskFull", "firing", map[string]time.Duration{"db-1": time.Minute}, 0)))
	out := e.ok("list")
	if !strings.Contains(out, "1 alert waits to be declared: DiskFull (alertmanager)") {
		t.Fatalf("list does not name the pending alert:\n%s", out)
	}
	// JSON stays the incidents alone, for scripts.
	if out := e.ok("list", "--json"); strings.Contains(out, "DiskFull") || !strings.Contains(out, "Nothing to do with alerts") {
		t.Fatalf("list --json carries more than incidents: %s", out)
	}
}
