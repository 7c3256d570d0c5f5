package store

import (
	"errors"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// ApplyLine stores the line and sets the half-typed line in one
// transaction; a refused line leaves the half-typed line as it was.
func TestApplyLineSetsTheHalfLineWithTheEntry(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	const name = "capture-line:amara"
	if _, err := s.SetUIState(inc.ID, name, "CLEAN1 half"); err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Minute)
	c, _ := incident.ParseCapture("CLEAN1 half done", now)
	res, err := s.ApplyLine(inc.ID, c, now, "amara", incident.DefaultPolicy(), name, "")
	if err != nil || len(res.Entries) != 1 || res.Entries[0].Text != "CLEAN1 half done" {
		t.Fatalf("ApplyLine: %+v, %v", res.Entries, err)
	}
	if v, _ := s.UIState(inc.ID, name); v != "" {
		t.Fatalf("the half line is %q after the entry was stored", v)
	}
	// What stays on the line (a line held aside by a command key) is kept.
	c, _ = incident.ParseCapture("/tag eu", now)
	if _, err := s.ApplyLine(inc.ID, c, now, "amara", incident.DefaultPolicy(), name, "held line"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.UIState(inc.ID, name); v != "held line" {
		t.Fatalf("the half line is %q, want the held line", v)
	}
	// A refused line (no change) writes nothing, the half line included.
	if _, err := s.ApplyLine(inc.ID, c, now, "amara", incident.DefaultPolicy(), name, ""); !errors.Is(err, incident.ErrUnchanged) {
		t.Fatalf("tagging twice: %v, want ErrUnchanged", err)
	}
	if v, _ := s.UIState(inc.ID, name); v != "held line" {
		t.Fatalf("a refused line changed the half line to %q", v)
	}
}
