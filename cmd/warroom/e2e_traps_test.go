package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCaptureLineKeptAcrossCommandKeys: a half-typed line survives a
// command key from the timeline: it comes back after the command runs.
func TestCaptureLineKeptAcrossCommandKeys(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2", "--lead", "amara")
	s := e.startTmux(80, 24, "open", id)
	s.waitFor("Incident declared", 5*time.Second)

	s.typeText("db pool looks saturated")
	s.keys("Tab")
	s.typeText("S")
	s.waitFor("is kept", 3*time.Second)
	s.typeText("identified")
	s.keys("Enter")
	s.waitFor("IDENTIFIED", 3*time.Second)
	s.waitFor("› db pool looks saturated", 3*time.Second)
	s.waitWithout("is kept", 3*time.Second)
	// esc on a command begun with / gives the line back without running it.
	s.keys("Tab")
	s.typeText("/")
	s.waitFor("is kept", 3*time.Second)
	s.typeText("sev 1")
	s.keys("Escape")
	s.waitFor("› db pool looks saturated", 3*time.Second)
	s.keys("Enter")
	s.waitFor("3 entries", 3*time.Second) // the declaration, the status, this note
	s.keys("C-c")
	s.waitExit(3 * time.Second)
	js := e.show(id)
	if !js.hasEntry("note", "db pool looks saturated") {
		t.Error("the kept line was not logged after it came back")
	}
	if js.Severity != "SEV2" {
		t.Errorf("esc ran the /sev command: %s", js.Severity)
	}
}

// TestDraftTemplateAsksFirst: t over a hand-written public draft asks, and
// the replaced draft is one u away.
func TestDraftTemplateAsksFirst(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("investigating draft", 5*time.Second)
	s.typeText("/draft Card payments fail for some customers; we are on it.")
	s.keys("Enter")
	s.waitFor("Card payments fail for some", 3*time.Second)
	s.keys("Tab", "Tab")
	s.typeText("t")
	s.waitFor("n/esc keeps it", 3*time.Second)
	s.typeText("n")
	if scr := s.waitWithout("Replace your draft", 3*time.Second); !strings.Contains(scr, "Card payments fail for some") {
		t.Fatalf("n did not keep the draft:\n%s", scr)
	}
	s.typeText("t")
	s.waitFor("n/esc keeps it", 3*time.Second)
	s.typeText("y")
	s.waitFor("template · u undoes", 3*time.Second)
	if d := e.draft(id); d != "" {
		t.Errorf("the template left the draft stored as %q", d)
	}
	s.typeText("u")
	s.waitFor("Your draft is back", 3*time.Second)
	s.waitFor("Card payments fail for some", 3*time.Second)
	s.keys("C-c")
	s.waitExit(3 * time.Second)
	if d := e.draft(id); d != "Card payments fail for some customers; we are on it." {
		t.Errorf("the draft brought back is stored as %q", d)
	}
}

// draft is the public draft as show --json has it.
func (e *env) draft(id string) string {
	e.t.Helper()
	var s struct {
		Draft string `json:"draft"`
	}
	if err := json.Unmarshal([]byte(e.ok("show", id, "--json")), &s); err != nil {
		e.t.Fatal(err)
	}
	return s.Draft
}

// waitWithout polls the screen until it no longer contains gone.
func (s *tmuxSession) waitWithout(gone string, timeout time.Duration) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	var scr string
	for time.Now().Before(deadline) {
		if scr = s.screen(); !strings.Contains(scr, gone) {
			return scr
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("screen still showed %q after %v:\n%s", gone, timeout, scr)
	return ""
}

// TestPreviewAsksForThePath: w in the preview asks where to write
// (export_dir first), shows the path, and never overwrites without a y.
func TestPreviewAsksForThePath(t *testing.T) {
	e := newEnv(t)
	out := filepath.Join(e.dir, "exports")
	if err := os.MkdirAll(out, 0o700); err != nil {
		t.Fatal(err)
	}
	writeConfig(t, e, fmt.Sprintf("export_dir = %q\n", out))
	id := e.newIncident("Checkout payments failing for EU customers after the deploy", "--sev", "2")
	// Wide enough for the whole temporary path; a longer one scrolls so
	// that the file name stays in view.
	s := e.startTmux(160, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)
	s.typeText("/preview")
	s.keys("Enter")
	s.waitFor("Preview · INC-1", 5*time.Second)
	s.waitFor("All times are in", 5*time.Second)
	s.typeText("w")
	want := filepath.Join(out, "INC-1-checkout-payments-failing-for-eu-customers-after.md")
	s.waitFor("Write to › "+want, 3*time.Second)
	if _, err := os.Stat(want); err == nil {
		t.Fatal("w wrote before the path was confirmed")
	}
	s.keys("Enter")
	s.waitFor("Wrote "+want, 3*time.Second)
	first, err := os.ReadFile(want)
	if err != nil || !strings.Contains(string(first), "Checkout payments failing") {
		t.Fatalf("the file: %v\n%s", err, first)
	}
	if err := os.WriteFile(want, []byte("edited by hand"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.typeText("w")
	s.waitFor("Write to › ", 3*time.Second)
	s.keys("Enter")
	s.waitFor("exists. y/enter replaces it", 3*time.Second)
	s.typeText("n")
	s.waitFor("Write to › ", 3*time.Second)
	s.keys("Escape")
	s.waitWithout("Write to › ", 3*time.Second)
	if got, _ := os.ReadFile(want); string(got) != "edited by hand" {
		t.Fatalf("the file was overwritten without a y: %q", got)
	}
	s.typeText("w")
	s.waitFor("Write to › ", 3*time.Second)
	s.keys("Enter")
	s.waitFor("exists. y/enter replaces it", 3*time.Second)
	s.typeText("y")
	s.waitFor("Wrote "+want, 3*time.Second)
	if got, _ := os.ReadFile(want); string(got) != string(first) {
		t.Fatalf("y did not replace the file: %q", got)
	}
	s.keys("C-c")
	s.waitExit(3 * time.Second)
}
