package main

import (
	"strings"
	"testing"
	"time"
)

// A scribe pastes timed lines from a chat into the cockpit (tmux pastes
// them bracketed, as a terminal does): the cockpit offers to backfill them,
// and enter logs each line at its own time.
func TestPasteOfTimedLinesBackfillsInTheCockpit(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Night outage", "--at", "2026-03-12T23:05:00Z")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)

	chat := "2026-03-12 23:10 pager fired for checkout\n23:15 /status identified\n23:40 /mitigated\n"
	s.tmux("set-buffer", "-b", "chat", chat)
	s.tmux("paste-buffer", "-p", "-b", "chat", "-t", s.name)
	s.waitFor("enter logs them at their times", 5*time.Second)
	s.keys("Enter")
	e.waitEntries(id, 4, 5*time.Second)
	s.keys("C-c")
	s.waitExit(5 * time.Second)

	js := e.show(id)
	if js.Status != "identified" || js.Milestones["mitigated"] != "2026-03-12T23:40:00Z" {
		t.Fatalf("status %s milestones %v; want identified and mitigated at 23:40", js.Status, js.Milestones)
	}
	found := false
	for _, en := range js.Entries {
		found = found || (en.Text == "pager fired for checkout" && strings.HasPrefix(en.At, "2026-03-12T23:10"))
	}
	if !found {
		t.Fatalf("the pasted note is not at its time: %+v", js.Entries)
	}
}
