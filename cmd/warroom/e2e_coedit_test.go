package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestTwoPeopleTypeInOneEditorOverSSH: amara and ben, each over OpenSSH in
// one `warroom serve` room, type into the retro's Introduction at the same
// time, word by word, each pausing long enough for their words to be saved
// and to reach the other's open editor. A teammate's words arriving never
// move the other's cursor: at the end each person's words are in the
// record once, in the order typed, side by side.
func TestTwoPeopleTypeInOneEditorOverSSH(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	room := startServe(t, e)
	amara := sshInto(t, e, room, 120, 40, "")
	ben := sshIntoWith(t, e, "ben", room.sshCommandWith(room.benKey), 120, 40, "")
	for _, s := range []*tmuxSession{amara, ben} {
		s.waitFor("Checkout failing", 10*time.Second)
		s.typeText("/retro\r")
		s.waitFor("Introduction", 5*time.Second)
		s.keys("Enter") // edit the first section, the Introduction
	}
	amara.waitFor("ben is editing", 10*time.Second)
	time.Sleep(500 * time.Millisecond)

	const words = 6
	for i := 1; i <= words; i++ {
		amara.typeText(fmt.Sprintf("a%d ", i))
		time.Sleep(350 * time.Millisecond)
		ben.typeText(fmt.Sprintf("b%d ", i))
		time.Sleep(350 * time.Millisecond)
	}
	want := []string{"a1 a2 a3 a4 a5 a6", "b1 b2 b3 b4 b5 b6"}
	// Both saved, and each editor shows both people's words.
	for _, s := range []*tmuxSession{amara, ben} {
		for _, w := range want {
			s.waitFor(w, 10*time.Second)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	var intro string
	for {
		var doc struct {
			Retro struct {
				Sections []struct{ Title, Text string } `json:"sections"`
			} `json:"retro"`
		}
		if err := json.Unmarshal([]byte(e.ok("show", id, "--json")), &doc); err != nil {
			t.Fatal(err)
		}
		for _, sec := range doc.Retro.Sections {
			if sec.Title == "Introduction" {
				intro = sec.Text
			}
		}
		if strings.Contains(intro, want[0]) && strings.Contains(intro, want[1]) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, w := range want {
		if n := strings.Count(intro, w); n != 1 {
			t.Errorf("%q is %d times in the Introduction:\n%s", w, n, intro)
		}
	}
	for _, w := range []string{"a", "b"} {
		for i := 1; i <= words; i++ {
			if n := strings.Count(intro, fmt.Sprintf("%s%d ", w, i)); n != 1 {
				t.Errorf("%s%d is %d times in the Introduction:\n%s", w, i, n, intro)
			}
		}
	}
}
