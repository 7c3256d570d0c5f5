package main

import (
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
	scr := s.waitFor("› db pool looks saturated", 3*time.Second)
	if strings.Contains(scr, "is kept") {
		t.Errorf("the kept-line note stayed after the line came back:\n%s", scr)
	}
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
