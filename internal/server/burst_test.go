package server

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A client that sends a megabyte in one write (a Go client pasting, not
// OpenSSH's small reads) and ctrl+c right behind it: the session takes the
// whole text in order and quits on the ctrl+c, saving the text as the
// half-typed line, instead of grinding through the text for minutes first.
func TestMegabyteInOneWriteThenCtrlC(t *testing.T) {
	amara := newKey(t, "amara@laptop")
	wr := startWarRoom(t, []keypair{amara}, nil)
	s := mustDial(t, wr.addr, amara)
	s.waitFor("Checkout failing")
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString("card payments fail ")
		if i%9 == 0 {
			b.WriteString(strings.Repeat("z", 400) + " ")
		}
	}
	text := b.String()[:1<<20]
	if _, err := s.in.Write([]byte(text + "\x03")); err != nil {
		t.Fatal(err)
	}
	// The ctrl+c quits, which saves the line: the quit is what is waited
	// for, however long the megabyte takes to arrive (seconds; much longer
	// under the race detector, hence the generous bound on a hang).
	deadline := time.Now().Add(2 * time.Minute)
	for {
		v, err := wr.st.UIState(wr.id, common.UIStateName("amara"))
		if err != nil {
			t.Fatal(err)
		}
		if v == text {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the megabyte and ctrl+c the kept line has %d of %d bytes", len(v), len(text))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
