package main

import (
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// End-to-end tests of "keys mean what the person meant" (issue #25): the
// sequences a lead types at 3 a.m., sent in one `send-keys -l` burst (as a
// paste without bracketing or a laggy SSH link delivers them) and typed
// slowly, key by key. Each must be stored exactly as typed: text, kind and
// order.

// slowly types text one key at a time, as a person does; "\r" is Enter.
func (s *tmuxSession) slowly(text string) {
	s.t.Helper()
	for _, r := range text {
		if r == '\r' {
			s.keys("Enter")
		} else {
			s.typeText(string(r))
		}
		time.Sleep(15 * time.Millisecond)
	}
}

// kindTexts lists entries after skip as kind:text.
func kindTexts(js showJSON, skip int) []string {
	var out []string
	for _, en := range js.Entries[min(skip, len(js.Entries)):] {
		out = append(out, en.Kind+":"+en.Text)
	}
	return out
}

// waitKinds waits until the entries after skip are exactly want.
func waitKinds(t *testing.T, e *env, id string, skip int, want []string, s *tmuxSession) showJSON {
	t.Helper()
	return waitShow(t, e, id, 10*time.Second, func(js showJSON) bool {
		return slices.Equal(kindTexts(js, skip), want)
	}, s)
}

// The jargon question of /publish never takes a letter typed ahead of it:
// the y of "yesterday" is the note's, and no update goes out.
func TestTypedAheadNeverAnswersThePublishQuestion(t *testing.T) {
	requireTmux(t)
	for _, mode := range []string{"burst", "slowly"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t)
			id := e.newIncident("Checkout failing", "--sev", "2")
			before := len(e.show(id).Entries)
			s := e.startTmux(120, 40, "open", id)
			s.waitFor("investigating draft", 5*time.Second) // the pane names the template its draft came from
			if mode == "burst" {
				s.typeText("/draft Our database is slow for some customers.\r/publish\ryesterday's deploy is suspect\r")
			} else {
				s.slowly("/draft Our database is slow for some customers.\r/publish\r")
				// The person reads the question, says no, and goes on.
				s.waitFor("y/enter publishes", 5*time.Second)
				s.keys("Escape")
				s.waitWithout("Publish anyway?", 3*time.Second)
				s.slowly("yesterday's deploy is suspect\r")
			}
			waitKinds(t, e, id, before, []string{"note:yesterday's deploy is suspect"}, s)
			s.keys("C-c")
			s.waitExit(5 * time.Second)
			js := e.show(id)
			if len(js.Updates) != 0 {
				t.Fatalf("an update was published: %+v", js.Updates)
			}
			if got := kindTexts(js, before); !slices.Equal(got, []string{"note:yesterday's deploy is suspect"}) {
				t.Fatalf("entries %q", got)
			}
		})
	}
}

// A refused command, and a command that changes nothing, end with their
// Enter: the lines after them are logged as typed.
func TestRefusedCommandNeverSwallowsTheNextLines(t *testing.T) {
	requireTmux(t)
	typed, rest := "/sev 9\rnote A after bad command\r!action B\r/sev 2\r", "note C\r"
	want := []string{"note:note A after bad command", "action:action B", "note:note C"}
	for _, mode := range []string{"burst", "slowly"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t)
			id := e.newIncident("Checkout failing", "--sev", "2")
			before := len(e.show(id).Entries)
			s := e.startTmux(120, 40, "open", id)
			s.waitFor("Incident declared", 5*time.Second)
			if mode == "burst" {
				s.typeText(typed + rest)
			} else {
				s.slowly(typed)
				// The no-op is a notice on the status line, not a refusal
				// (the next key clears the status line).
				s.waitFor("severity is already SEV2; nothing changed", 3*time.Second)
				s.slowly(rest)
			}
			waitKinds(t, e, id, before, want, s)
			// The notice outlives the line typed after it.
			s.waitFor("severity is already SEV2; nothing changed", 3*time.Second)
			if line := captureLineText(s.screen()); strings.Contains(line, "note") || strings.Contains(line, "/sev") {
				t.Fatalf("the capture line kept %q", line)
			}
			// ↑ brings the refused lines back.
			s.keys("Up", "Up", "Up", "Up", "Up")
			s.waitFor(" › /sev 9", 3*time.Second)
			s.keys("C-c")
			s.waitExit(5 * time.Second)
			if got := kindTexts(e.show(id), before); !slices.Equal(got, want) {
				t.Fatalf("entries %q, want %q", got, want)
			}
		})
	}
}

// A bracketed paste of plain lines is one entry per line, its command run
// after one question; a line typed right behind the paste follows it.
func TestPasteOfLinesIsOneEntryPerLine(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	before := len(e.show(id).Entries)
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)
	s.tmux("set-buffer", "-b", "chat", "pasted line one\n/sev 1\npasted line three\n!pasted action four")
	s.tmux("paste-buffer", "-p", "-b", "chat", "-t", s.name)
	// Typed in the same moment as the paste: no answer, a line of its own.
	s.typeText("typed right after\r")
	s.waitFor("Paste 4 lines, 1 command?", 5*time.Second)
	s.waitFor("enter logs each line", 5*time.Second)
	s.keys("Enter")
	want := []string{"note:pasted line one", "status:Severity SEV2 → SEV1", "note:pasted line three", "action:pasted action four", "note:typed right after"}
	waitKinds(t, e, id, before, want, s)
	s.keys("C-c")
	s.waitExit(5 * time.Second)
	if js := e.show(id); js.Severity != "SEV1" {
		t.Fatalf("the pasted /sev 1 did not run: %s", js.Severity)
	}
}

// With another process holding the database file longer than a write
// waits, a burst of lines is stored in the order typed, each on its own,
// once the file is free; meanwhile they show as saving.
func TestBurstWhileTheFileIsLockedKeepsOrder(t *testing.T) {
	requireTmux(t)
	for _, mode := range []string{"burst", "slowly"} {
		t.Run(mode, func(t *testing.T) { lockedFileKeepsOrder(t, mode) })
	}
}

func lockedFileKeepsOrder(t *testing.T, mode string) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	before := len(e.show(id).Entries)
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)

	// The file lock bbolt takes, held by this test process (another
	// process to warroom) for longer than warroom's 4 s lock wait.
	f, err := os.OpenFile(e.db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	var want []string
	var burst strings.Builder
	for _, l := range []string{"L1 first", "L2 second", "L3 third", "L4 fourth", "L5 fifth"} {
		want = append(want, "note:"+l)
		burst.WriteString(l + "\r")
	}
	if mode == "burst" {
		s.typeText(burst.String())
	} else {
		s.slowly(burst.String())
	}
	scr := s.waitFor("… L5 fifth", 3*time.Second)
	if strings.Count(scr, "saving…") < 5 {
		t.Fatalf("the waiting lines are not all shown as saving:\n%s", scr)
	}
	time.Sleep(5 * time.Second)
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	waitKinds(t, e, id, before, want, s)
	s.waitWithout("saving…", 5*time.Second)
	if line := captureLineText(s.screen()); strings.Contains(line, "L1") {
		t.Fatalf("a line came back to the capture line: %q", line)
	}
	s.keys("C-c")
	s.waitExit(5 * time.Second)
}

// Killed right after Enter, the cockpit comes back with an empty capture
// line: the half-typed line was cleared with the entry, in one
// transaction, and the next line typed does not carry it.
func TestKillRightAfterEnterNeverBringsTheLineBack(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	before := len(e.show(id).Entries)
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)
	pid := s.warroomPID()
	s.typeText("CLEAN1 half")
	// Long enough for the half line to be saved.
	time.Sleep(2 * time.Second)
	s.typeText(" done\r")
	waitKinds(t, e, id, before, []string{"note:CLEAN1 half done"}, s)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.waitExit(5 * time.Second)

	s2 := e.startTmuxNamed("again", 120, 40, "open", id)
	s2.waitFor("Incident declared", 5*time.Second)
	s2.waitFor("CLEAN1 half done", 5*time.Second)
	s2.typeText("CLEAN2\r")
	waitKinds(t, e, id, before, []string{"note:CLEAN1 half done", "note:CLEAN2"}, s2)
	s2.keys("C-c")
	s2.waitExit(5 * time.Second)
}

// esc in `warroom review` goes back to the shell it was started from; the
// same review reached from the cockpit (/review) goes back to the cockpit.
func TestEscLeavesTheReviewWhereItStarted(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	s := e.startTmux(100, 30, "review", id)
	s.waitFor("you present", 5*time.Second)
	s.keys("Escape")
	s.waitExit(5 * time.Second)

	c := e.startTmuxNamed("cockpit", 100, 30, "open", id)
	c.waitFor("Incident declared", 5*time.Second)
	c.typeText("/review\r")
	c.waitFor("you present", 5*time.Second)
	c.keys("Escape")
	c.waitFor("Incident declared", 5*time.Second)
	c.waitWithout("you present", 3*time.Second)
	c.keys("C-c")
	c.waitExit(5 * time.Second)
}

// A time typed that has not come yet today is yesterday's, and the status
// line says so with the date.
func TestTypedTimeSaysItsDay(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	writeConfig(t, e, "timezone = \"UTC\"\n")
	now := time.Now().UTC()
	y := now.Add(-24 * time.Hour)
	later := now.Add(90 * time.Minute)
	at, want := later.Format("15:04"), "Logged at "+later.Format("15:04")+" yesterday, "+y.Format("Jan 2")
	if later.Day() != now.Day() {
		// Late in the day an HH:MM 90 minutes on is early today: type a
		// full time of yesterday instead.
		at, want = y.Format(time.RFC3339), "Logged at "+y.Format("15:04")+" yesterday, "+y.Format("Jan 2")
	}
	id := e.newIncident("Night outage", "--at", now.Add(-30*time.Hour).Format(time.RFC3339))
	s := e.startTmux(140, 40, "open", id)
	s.waitFor("Night outage", 5*time.Second)
	s.typeText("@" + at + " the night shift saw it first\r")
	s.waitFor(want, 5*time.Second)
	// Logged into the past, it is scrolled to.
	s.waitFor("the night shift saw it first", 3*time.Second)
	s.keys("C-c")
	s.waitExit(5 * time.Second)
}
