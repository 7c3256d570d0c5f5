package main

import (
	"os"
	"path/filepath"
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

func TestAlertCommandTakesGrafanasTestWithoutAnIncident(t *testing.T) {
	e := newEnv(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "internal", "alert", "testdata", "grafana_test_notification.json"))
	if err != nil {
		t.Fatal(err)
	}
	payload := strings.ReplaceAll(string(data), "2026-12-06T12:29:00Z", time.Now().UTC().Add(-time.Minute).Format(time.RFC3339))
	out := e.ok("alert", e.writeFile("test.json", payload))
	if !strings.Contains(out, "contact point test") || strings.Contains(out, "declared") {
		t.Fatalf("%s", out)
	}
	if r := e.run("list", "--all", "--json"); r.code == 0 && strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("the test made an incident: %s", r.stdout)
	}
}
