package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCockpitEndToEnd types into the real cockpit in tmux, has another
// process log a line, quits, and checks that everything is on disk.
func TestCockpitEndToEnd(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2", "--lead", "amara")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Checkout failing", 5*time.Second)
	s.waitFor("Incident declared", 5*time.Second)

	s.typeText("customers report failed payments")
	s.keys("Enter")
	s.waitFor("customers report failed payments", 3*time.Second)
	s.typeText("!rolled back deploy 4711")
	s.keys("Enter")
	s.waitFor("rolled back deploy 4711", 3*time.Second)
	s.typeText("*error rate back to baseline")
	s.keys("Enter")
	s.waitFor("error rate back to baseline", 3*time.Second)
	s.typeText("/status identified")
	s.keys("Enter")
	s.waitFor("Status investigating → identified", 3*time.Second)
	s.waitFor("IDENTIFIED", 3*time.Second)

	// Another process writes to the same database: it shows within 2 s.
	e.ok("log", "-i", id, "logged from a script")
	s.waitFor("logged from a script", 2*time.Second)

	// A half-typed line survives quitting.
	s.typeText("half typed thought")
	time.Sleep(700 * time.Millisecond)
	s.keys("C-c")
	s.waitExit(3 * time.Second)

	js := e.show(id)
	for _, want := range [][2]string{
		{"note", "customers report failed payments"},
		{"action", "rolled back deploy 4711"},
		{"note", "error rate back to baseline"},
		{"status", "Status investigating → identified"},
		{"note", "logged from a script"},
	} {
		if !js.hasEntry(want[0], want[1]) {
			t.Errorf("show --json lacks %s %q", want[0], want[1])
		}
	}
	for _, en := range js.Entries {
		if en.Text == "error rate back to baseline" && !en.Starred {
			t.Error("the * entry is not starred")
		}
	}
	if js.Status != "identified" {
		t.Errorf("status %q", js.Status)
	}

	s2 := e.startTmuxNamed("again", 120, 40, "open", id)
	s2.waitFor("half typed thought", 5*time.Second)
	s2.keys("C-c")
	s2.waitExit(3 * time.Second)
}

// TestCockpitHostileInputAndResizes pastes a huge line, escape sequences
// and invalid UTF-8, shrinks the terminal below the minimum and back, and
// resizes it a hundred times: no panic, no garbage, nothing lost.
func TestCockpitHostileInputAndResizes(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Hostile input")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)

	// Escape sequences and invalid UTF-8 typed into the capture line.
	s.typeText("evil \x1b]0;pwned\x07 title \x1b[2J and \xff\xfe bytes")
	s.keys("Enter")
	s.waitFor("evil", 3*time.Second)
	if scr := s.colorScreen(); strings.Contains(scr, "pwned") && strings.Contains(scr, "\x1b]0;") {
		t.Fatal("an OSC sequence reached the terminal")
	}

	// A 1 MB paste: the line is refused with a clear message, nothing crashes.
	big := strings.Repeat("x", 1<<20)
	bufFile := filepath.Join(e.dir, "paste.txt")
	if err := os.WriteFile(bufFile, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	s.tmux("load-buffer", "-b", "big", bufFile)
	s.tmux("paste-buffer", "-p", "-b", "big", "-t", s.name)
	s.keys("Enter")
	s.waitFor("limit", 10*time.Second)

	// Tiny terminal, then back.
	s.resize(20, 5)
	s.waitFor("small", 3*time.Second)
	for i := 0; i < 100; i++ {
		s.resize(60+i%70, 10+i%35)
	}
	s.resize(120, 40)
	s.waitFor("Hostile input", 5*time.Second)
	if strings.Contains(s.screen(), "panic") {
		t.Fatalf("panic on screen:\n%s", s.screen())
	}
	s.keys("Escape")
	s.keys("C-c")
	// Quitting first saves the megabyte still on the capture line; under
	// -race on a loaded machine that and the last frames take seconds.
	s.waitExit(20 * time.Second)

	js := e.show(id)
	found := false
	for _, en := range js.Entries {
		if strings.HasPrefix(en.Text, "evil") {
			found = true
		}
	}
	if !found {
		t.Fatal("the hostile entry was not saved")
	}
}
