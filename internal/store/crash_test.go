package store

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// TestCrashChild is the writer the crash test kills; it does nothing unless
// started by TestKillDuringWritesLosesNothing.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("WARROOM_CRASH_DB")
	if path == "" {
		t.Skip("only runs as the crash test's child process")
	}
	s := &Store{path: path}
	run := os.Getenv("WARROOM_CRASH_RUN")
	head, err := s.Incident(1)
	if err != nil {
		fmt.Printf("error %v\n", err)
		os.Exit(2)
	}
	base := Edit{BaseRev: head.DraftRev, Base: head.Draft}
	for i := 0; ; i++ {
		text := fmt.Sprintf("run %s entry %d", run, i)
		var err error
		switch i % 3 {
		case 0:
			_, err = s.AppendEntry(1, incident.Entry{At: time.Now(), Author: "crash", Kind: incident.KindNote, Text: text})
		case 1:
			// A change that folds into the head in the same transaction.
			text = fmt.Sprintf("r%si%d", run, i)
			_, err = s.Apply(1, incident.Capture{Command: incident.CmdTag, Tag: text}, time.Now(), "crash", incident.DefaultPolicy())
			text = "tag " + text
		default:
			// As the cockpit does: each save on the copy the last one left.
			var m Merged
			m, err = s.SetDraft(1, Edit{BaseRev: base.BaseRev, Base: base.Base, Text: text}, "crash", time.Now())
			base = Edit{BaseRev: m.Rev, Base: m.Text}
			text = "draft " + text
		}
		if err != nil {
			fmt.Printf("error %v\n", err)
			os.Exit(2)
		}
		// Acknowledged only after the write returned: the parent holds us
		// to every line it reads.
		fmt.Printf("ack %s\n", text)
	}
}

// TestKillDuringWritesLosesNothing kills a writer with SIGKILL at random
// moments, many times, and then finds every acknowledged entry and a clean
// bbolt check.
func TestKillDuringWritesLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	s := openTemp(t)
	declare(t, s, "crash test")
	runs := 25
	var acked []string
	for run := 0; run < runs; run++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v=false")
		cmd.Env = append(os.Environ(), "WARROOM_CRASH_DB="+s.Path(), fmt.Sprintf("WARROOM_CRASH_RUN=%d", run))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait for the first acknowledgement so the child is writing, then
		// kill it a random few milliseconds later, mid-commit or not.
		deadline := time.After(time.Duration(20+rand.IntN(60)) * time.Millisecond)
		started := false
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				if strings.HasPrefix(l, "error") {
					t.Fatalf("child: %s", l)
				}
				if text, ok := strings.CutPrefix(l, "ack "); ok {
					acked = append(acked, text)
					started = true
				}
			case <-deadline:
				if started {
					_ = cmd.Process.Signal(syscall.SIGKILL)
					deadline = nil
				} else {
					deadline = time.After(5 * time.Millisecond)
				}
			}
		}
		_ = cmd.Wait()
	}
	if len(acked) < runs {
		t.Fatalf("only %d acknowledged entries over %d runs", len(acked), runs)
	}
	rep, err := s.Check()
	if err != nil || !rep.OK() {
		t.Fatalf("check after crashes: %+v, %v", rep, err)
	}
	inc, err := s.Incident(1)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range inc.Entries {
		have[e.Text] = true
	}
	drafts := map[string]bool{}
	for _, c := range inc.Changes {
		if c.Target == "draft" {
			drafts[c.After] = true
		}
	}
	for _, text := range acked {
		switch {
		case strings.HasPrefix(text, "tag "):
			if tag := strings.TrimPrefix(text, "tag "); !inc.HasTag(tag) {
				t.Errorf("acknowledged tag %q is not in the folded head", tag)
			}
		case strings.HasPrefix(text, "draft "):
			if !drafts[strings.TrimPrefix(text, "draft ")] {
				t.Errorf("acknowledged draft %q has no change record", text)
			}
		case !have[text]:
			t.Errorf("acknowledged entry %q was lost", text)
		}
	}
	t.Logf("%d runs killed, %d acknowledged entries all found", runs, len(acked))
}
