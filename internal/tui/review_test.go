package tui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// startReview runs the whole program as author in the review meeting.
func startReview(t *testing.T, st *store.Store, id int64, author string) *retroProgram {
	t.Helper()
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, Author: author, IncidentID: id, Width: 100, Height: 30, Review: true})
	return &retroProgram{TestModel: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))}
}

// The presenter walks the retro; a second cockpit on the same database
// follows the section, adds a question that lands under it, cannot move
// the room itself, and presents once the presenter leaves.
func TestReviewMeetingFollowsThePresenter(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	lead := startReview(t, st, id, "amara")
	waitOutput(t, lead, "you present")
	waitOutput(t, lead, "Overview 1/6")

	guest := startReview(t, st, id, "kim")
	waitOutput(t, guest, "following amara")

	lead.Send(keyMsg("tab"))
	waitOutput(t, lead, "Introduction 2/6")
	waitOutput(t, guest, "Introduction 2/6")

	guest.Type("Who decided to roll forward?")
	guest.Send(keyMsg("enter"))
	r := waitStore(t, st, id, "the review comment", func(r incident.Retro) bool { return len(r.Review) == 1 })
	if c := r.Review[0]; c.Author != "kim" || c.Section != "Introduction" || c.Text != "Who decided to roll forward?" || c.UID == "" {
		t.Errorf("comment stored as %+v", c)
	}
	waitOutput(t, guest, "Questions and suggestions on Introduction (1)")
	waitOutput(t, lead, "kim: Who decided to roll forward?")

	guest.Send(keyMsg("tab"))
	waitOutput(t, guest, "amara is presenting")

	// An empty comment is refused, not stored.
	lead.Send(keyMsg("enter"))
	waitOutput(t, lead, "type a question or a suggestion first")

	// esc leaves warroom review where it started, the shell (it used to
	// drop into the cockpit); the room has no presenter then.
	lead.Send(keyMsg("esc"))
	lead.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
	waitOutput(t, guest, "you present")
	guest.Send(keyMsg("tab"))
	waitOutput(t, guest, "Timeline 3/6")
	quit(t, guest)
	if got := retroOf(t, st, id).Review; len(got) != 1 {
		t.Errorf("after the meeting the retro holds %d comments, want 1", len(got))
	}
}

// A question is about the section it was begun on: typed while the room
// is on Introduction and sent after the presenter moved on, it is stored
// under Introduction, and the person is told.
func TestReviewQuestionStaysWithItsSection(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	lead := startReview(t, st, id, "amara")
	waitOutput(t, lead, "you present")
	guest := startReview(t, st, id, "kim")
	waitOutput(t, guest, "following amara")
	lead.Send(keyMsg("tab"))
	waitOutput(t, guest, "Introduction 2/6")

	guest.Type("Why was the PSP")
	lead.Send(keyMsg("tab"))
	waitOutput(t, guest, "Timeline 3/6")
	guest.Type(" not paged?")
	guest.Send(keyMsg("enter"))
	r := waitStore(t, st, id, "the review comment", func(r incident.Retro) bool { return len(r.Review) == 1 })
	if c := r.Review[0]; c.Section != "Introduction" || c.Text != "Why was the PSP not paged?" {
		t.Fatalf("comment stored as %+v; want it under Introduction", c)
	}
	waitOutput(t, guest, "Saved under Introduction, where you began typing it")
	quit(t, guest)
	quit(t, lead)
}
