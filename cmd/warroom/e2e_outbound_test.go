package main

import (
	"strings"
	"testing"
	"time"
)

// TestDraftFollowsThePhaseEndToEnd: in the real cockpit, /eta puts the
// ETA in the draft; once /mitigated, the draft is the monitoring one and
// the ETA is gone; the pane names the template each time.
func TestDraftFollowsThePhaseEndToEnd(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("investigating draft", 5*time.Second)

	s.typeText("/eta +2h")
	s.keys("Enter")
	s.waitFor("ETA draft", 5*time.Second)
	s.waitFor("Ongoing resolution efforts", 3*time.Second)

	s.typeText("/mitigated")
	s.keys("Enter")
	s.waitFor("monitoring draft", 5*time.Second)
	scr := s.waitFor("A fix is in place", 3*time.Second)
	if strings.Contains(scr, "Ongoing resolution efforts") {
		t.Errorf("after /mitigated the draft still promises the ETA:\n%s", scr)
	}
	// The status line follows the draft by one message.
	s.waitFor("now follows the monitoring template", 5*time.Second)
	s.keys("C-c")
	s.waitExit(3 * time.Second)
}

// TestPreviewShowsTextAsTypedEndToEnd: the preview of the export shows
// "~300 GB" without the export's backslash.
func TestPreviewShowsTextAsTypedEndToEnd(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Database removed", "--sev", "1")
	e.ok("log", "-i", id, "Stopped after ~300 GB removed by rm -rf on db1")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Public update", 5*time.Second)
	s.typeText("/preview")
	s.keys("Enter")
	// glamour under -race on a loaded machine takes its time; the
	// timeline is below the first page, so go to the end of the document.
	s.waitFor("Preview ·", 30*time.Second)
	s.waitFor("## Introduction", 30*time.Second)
	s.keys("G")
	scr := s.waitFor("~300 GB", 30*time.Second)
	if strings.Contains(scr, `\~`) {
		t.Errorf("the preview shows the export's escape:\n%s", scr)
	}
	s.keys("C-c")
	s.waitExit(3 * time.Second)
}
