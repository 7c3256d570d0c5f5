package main

import (
	"slices"
	"testing"
	"time"
)

// TestCockpitKeysInOneBurst types words that name keys (enter, up, tab, j,
// k) in one send-keys each, so that the program reads each phrase in one go
// and Bubble Tea reports every word as one key message: they must land as
// text on the capture line, never act as keys.
func TestCockpitKeysInOneBurst(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Keys in one burst")
	before := len(e.show(id).Entries)
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)

	const phrase = "press enter then up and tab"
	s.typeText(phrase)
	s.keys("Enter")
	if got := e.waitEntries(id, before+1, 5*time.Second).Entries[before].Text; got != phrase {
		t.Fatalf("the first entry typed is %q, want %q", got, phrase)
	}

	// Several lines and their Enters (a carriage return) in one write, as a
	// paste without bracketed paste or a laggy link delivers them.
	burst := []string{"jj kkk enter", "up up down tab", "esc then q"}
	s.typeText(burst[0] + "\r" + burst[1] + "\r" + burst[2] + "\r")
	e.waitEntries(id, before+1+len(burst), 5*time.Second)

	s.keys("C-c")
	s.waitExit(5 * time.Second)
	var got []string
	for _, en := range e.show(id).Entries[before:] {
		if en.Kind != "note" {
			t.Errorf("a %s entry %q was logged", en.Kind, en.Text)
		}
		got = append(got, en.Text)
	}
	if want := append([]string{phrase}, burst...); !slices.Equal(got, want) {
		t.Fatalf("the timeline gained %q, want exactly %q", got, want)
	}
}

// waitEntries polls `warroom show --json` until the incident has at least n
// entries, and returns it.
func (e *env) waitEntries(id string, n int, timeout time.Duration) showJSON {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	var js showJSON
	for time.Now().Before(deadline) {
		if js = e.show(id); len(js.Entries) >= n {
			return js
		}
		time.Sleep(50 * time.Millisecond)
	}
	var texts []string
	for _, en := range js.Entries {
		texts = append(texts, en.Kind+" "+en.Text)
	}
	e.t.Fatalf("the incident has %d entries after %v, want %d: %q", len(js.Entries), timeout, n, texts)
	return js
}
