package server

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A session's frames are written by a tui.FrameWriter (no renderer ticking
// 60 times a second): it still enters the alternate screen with the mouse
// and bracketed paste on, echoes what is typed, and on quitting gives the
// terminal back as Bubble Tea's renderer did.
func TestSessionTerminalModesAndTheTerminalBack(t *testing.T) {
	amara := newKey(t, "amara@laptop")
	wr := startWarRoom(t, []keypair{amara}, nil)
	s := mustDial(t, wr.addr, amara)
	s.waitFor("Checkout failing")
	for _, want := range []string{ansi.SetMode(ansi.ModeAltScreenSaveCursor), ansi.SetMode(ansi.ModeBracketedPaste), ansi.SetMode(ansi.ModeMouseButtonEvent), ansi.SetMode(ansi.ModeMouseExtSgr)} {
		s.waitFor(want)
	}
	if _, err := s.in.Write([]byte("typed at once")); err != nil {
		t.Fatal(err)
	}
	s.waitFor("typed at once")
	if _, err := s.in.Write([]byte("\x03")); err != nil {
		t.Fatal(err)
	}
	s.waitFor(ansi.ResetMode(ansi.ModeAltScreenSaveCursor))
	s.mu.Lock()
	out := s.out.String()
	s.mu.Unlock()
	tail := out[strings.LastIndex(out, "typed at once"):]
	for _, want := range []string{ansi.ShowCursor, ansi.ResetMode(ansi.ModeBracketedPaste), ansi.ResetMode(ansi.ModeMouseButtonEvent), ansi.ResetMode(ansi.ModeMouseExtSgr)} {
		if !strings.Contains(tail, want) {
			t.Errorf("after quitting the terminal did not get %q back: %q", want, tail)
		}
	}
}

// A viewer's screen asks for no mouse reports, as before.
func TestViewerSessionHasNoMouseReports(t *testing.T) {
	amara, sam := newKey(t, "amara@laptop"), newKey(t, "sam@phone")
	wr := startWarRoom(t, []keypair{amara}, []keypair{sam})
	s := mustDial(t, wr.addr, sam)
	s.waitFor(ansi.SetMode(ansi.ModeAltScreenSaveCursor))
	s.waitFor("Checkout failing")
	s.mu.Lock()
	out := s.out.String()
	s.mu.Unlock()
	if strings.Contains(out, ansi.SetMode(ansi.ModeMouseButtonEvent)) {
		t.Errorf("the viewer's screen turned mouse reports on: %q", out)
	}
}
