package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestRetroEndToEnd reaches the retro screen with /retro in the real
// cockpit in tmux, writes the introduction and a why, and reads them back
// through show --json after quitting.
func TestRetroEndToEnd(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	s := e.startTmux(100, 30, "open", id)
	s.waitFor("Checkout failing", 5*time.Second)

	s.typeText("/retro")
	s.keys("Enter")
	s.waitFor("Retrospective", 3*time.Second)
	s.waitFor("How was it resolved?", 3*time.Second)

	s.keys("Enter")
	s.waitFor("saved as you type", 3*time.Second)
	s.typeText("Card payments failed for 40 minutes.")
	s.waitFor("Card payments failed for 40 minutes.", 3*time.Second)
	s.keys("Escape")
	s.waitFor("edit section", 3*time.Second)
	s.waitFor("● Introduction", 3*time.Second)
	s.waitFor("by tester", 3*time.Second)

	s.keys("j")
	s.keys("j")
	s.keys("Enter")
	s.waitFor("Why 1 of 5", 3*time.Second)
	s.keys("a")
	s.waitFor("Because", 3*time.Second)
	s.typeText("Why did card payments fail?")
	s.keys("Tab")
	s.typeText("The provider rate-limited us.")
	s.keys("Enter")
	s.waitFor("Why 2 of 5: why the provider rate-limited us?", 3*time.Second)
	s.keys("r")
	s.waitFor("root cause", 3*time.Second)

	s.keys("C-c")
	s.waitExit(5 * time.Second)

	var retro struct {
		Status   string `json:"status"`
		Sections []struct {
			Title        string   `json:"title"`
			Text         string   `json:"text"`
			Contributors []string `json:"contributors"`
		} `json:"sections"`
		Whys []struct {
			Why       string `json:"why"`
			Because   string `json:"because"`
			RootCause bool   `json:"root_cause"`
		} `json:"whys"`
	}
	js := e.show(id)
	if err := json.Unmarshal(js.Retro, &retro); err != nil {
		t.Fatalf("retro in show --json: %v\n%s", err, js.Retro)
	}
	if retro.Status != "draft" || len(retro.Sections) < 4 || retro.Sections[0].Title != "Introduction" ||
		retro.Sections[0].Text != "Card payments failed for 40 minutes." ||
		len(retro.Sections[0].Contributors) != 1 || retro.Sections[0].Contributors[0] != "tester" {
		t.Fatalf("retro = %+v", retro)
	}
	if len(retro.Whys) != 1 || retro.Whys[0].Why != "Why did card payments fail?" ||
		retro.Whys[0].Because != "The provider rate-limited us." || !retro.Whys[0].RootCause {
		t.Fatalf("whys = %+v", retro.Whys)
	}
}

// TestReviewMeetingEndToEnd runs a review meeting with two people on one
// database: the presenter moves to Five whys, the guest's screen follows,
// the guest's question is stored under that section and exported under
// Review, and /review from the cockpit joins the same meeting.
func TestReviewMeetingEndToEnd(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	e.ok("log", "-i", id, "/resolved")
	lead := e.startTmux(100, 30, "review", id)
	lead.waitFor("you present", 5*time.Second)
	guest := e.startTmuxAs("guest", "kim", 100, 30, "open", id)
	guest.waitFor("Checkout failing", 5*time.Second)
	guest.typeText("/review")
	guest.keys("Enter")
	guest.waitFor("following tester", 5*time.Second)

	lead.keys("Tab")
	lead.keys("Tab")
	lead.keys("Tab")
	lead.waitFor("Five whys 4/6", 3*time.Second)
	guest.waitFor("Five whys 4/6", 5*time.Second)
	guest.waitFor("Contributing factors", 3*time.Second)

	guest.typeText("Was the retry limit ever load tested?")
	guest.keys("Enter")
	guest.waitFor("Questions and suggestions on Five whys (1)", 5*time.Second)
	lead.waitFor("kim: Was the retry limit ever load tested?", 5*time.Second)

	guest.keys("C-c")
	guest.waitExit(5 * time.Second)
	lead.keys("C-c")
	lead.waitExit(5 * time.Second)

	md := e.ok("export", id)
	if !strings.Contains(md, "## Review\n\n| Time | Who | Section | Comment |") ||
		!strings.Contains(md, "| kim | Five whys | Was the retry limit ever load tested? |") {
		t.Fatalf("the export lacks the review comment:\n%s", md)
	}
	var retro struct {
		Review []struct{ Author, Section, Text string } `json:"review"`
	}
	if err := json.Unmarshal(e.show(id).Retro, &retro); err != nil {
		t.Fatal(err)
	}
	if len(retro.Review) != 1 || retro.Review[0].Author != "kim" || retro.Review[0].Section != "Five whys" {
		t.Fatalf("review in show --json = %+v", retro.Review)
	}
}
