package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// scriptEntries is how many entries each script writer appends.
const scriptEntries = 12

// TestFairScriptChild is a `warroom log` run from a script in another
// process; it does nothing unless started by TestBusyCockpitDoesNotLockOutScripts.
func TestFairScriptChild(t *testing.T) {
	path := os.Getenv("WARROOM_FAIR_DB")
	if path == "" {
		t.Skip("only runs as the fairness test's child process")
	}
	id, _ := strconv.ParseInt(os.Getenv("WARROOM_FAIR_INCIDENT"), 10, 64)
	s, err := Open(path)
	if err != nil {
		fmt.Printf("error %v\n", err)
		os.Exit(2)
	}
	if err := appendScript(s, id, os.Getenv("WARROOM_FAIR_NAME")); err != nil {
		fmt.Printf("error %v\n", err)
		os.Exit(2)
	}
	os.Exit(0)
}

func scriptText(name string, i int) string { return fmt.Sprintf("%s line %d", name, i) }

// appendScript appends scriptEntries entries with short pauses, the way a
// script logging progress would.
func appendScript(s *Store, id int64, name string) error {
	for i := 0; i < scriptEntries; i++ {
		e := incident.Entry{At: time.Now(), Author: name, Kind: incident.KindNote, Text: scriptText(name, i)}
		if _, err := s.AppendEntry(id, e); err != nil {
			return fmt.Errorf("%s entry %d: %w", name, i, err)
		}
		time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
	}
	return nil
}

// TestBusyCockpitDoesNotLockOutScripts runs a cockpit that writes every 20 to
// 60 ms and reloads after each write (from several goroutines, as Bubble Tea
// commands would), while script writers append through their own Stores and
// in child processes. Every script write must succeed and land.
func TestBusyCockpitDoesNotLockOutScripts(t *testing.T) {
	cockpit := openTemp(t)
	inc := declare(t, cockpit, "busy cockpit")

	stop := make(chan struct{})
	var cockpitWG sync.WaitGroup
	var mu sync.Mutex
	var cockpitErrs []error
	var cockpitTexts []string
	cockpitStart := time.Now()
	deadline := cockpitStart.Add(10 * time.Second) // bounds the cockpit if scripts hang
	for g := 0; g < 2; g++ {
		cockpitWG.Add(1)
		go func() {
			defer cockpitWG.Done()
			for i := 0; i < 500 && time.Now().Before(deadline); i++ {
				select {
				case <-stop:
					return
				case <-time.After(time.Duration(20+rand.IntN(41)) * time.Millisecond):
				}
				text := fmt.Sprintf("cockpit %d line %d", g, i)
				_, err := cockpit.AppendEntry(inc.ID, incident.Entry{At: time.Now(), Author: "amara", Kind: incident.KindAction, Text: text})
				if err == nil {
					_, _, err = cockpit.IncidentTail(inc.ID, 50)
				}
				mu.Lock()
				if err != nil {
					cockpitErrs = append(cockpitErrs, err)
				} else {
					cockpitTexts = append(cockpitTexts, text)
				}
				mu.Unlock()
			}
		}()
	}
	// Give the cockpit a head start so the scripts meet a busy file.
	time.Sleep(200 * time.Millisecond)

	var names []string
	var scriptWG sync.WaitGroup
	scriptErrs := make(chan error, 16)
	for w := 0; w < 8; w++ {
		name := fmt.Sprintf("script %d", w)
		names = append(names, name)
		scriptWG.Add(1)
		go func() {
			defer scriptWG.Done()
			s, err := Open(cockpit.Path()) // its own Store, as another process would have
			if err != nil {
				scriptErrs <- err
				return
			}
			defer s.Close()
			if err := appendScript(s, inc.ID, name); err != nil {
				scriptErrs <- err
			}
		}()
	}
	for p := 0; p < 2; p++ {
		name := fmt.Sprintf("process %d", p)
		names = append(names, name)
		scriptWG.Add(1)
		go func() {
			defer scriptWG.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestFairScriptChild$", "-test.v=false")
			cmd.Env = append(os.Environ(), "WARROOM_FAIR_DB="+cockpit.Path(),
				fmt.Sprintf("WARROOM_FAIR_INCIDENT=%d", inc.ID), "WARROOM_FAIR_NAME="+name)
			done := make(chan struct{})
			timer := time.AfterFunc(30*time.Second, func() {
				select {
				case <-done:
				default:
					_ = cmd.Process.Kill()
				}
			})
			out, err := cmd.CombinedOutput()
			close(done)
			timer.Stop()
			if err != nil {
				scriptErrs <- fmt.Errorf("%s: %v: %s", name, err, strings.TrimSpace(string(out)))
			}
		}()
	}
	scriptWG.Wait()
	// Keep the cockpit busy for a couple of seconds even if the scripts
	// finish sooner.
	time.Sleep(time.Until(cockpitStart.Add(2 * time.Second)))
	close(stop)
	cockpitWG.Wait()
	close(scriptErrs)
	for err := range scriptErrs {
		t.Error(err)
	}
	for _, err := range cockpitErrs {
		t.Errorf("cockpit: %v", err)
	}
	if t.Failed() {
		return
	}

	got, err := cockpit.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]int{}
	for _, e := range got.Entries {
		have[e.Text]++
	}
	want := append([]string(nil), cockpitTexts...)
	for _, name := range names {
		for i := 0; i < scriptEntries; i++ {
			want = append(want, scriptText(name, i))
		}
	}
	for _, text := range want {
		if have[text] != 1 {
			t.Errorf("entry %q stored %d times, want once", text, have[text])
		}
	}
	t.Logf("%d cockpit writes, %d script writes", len(cockpitTexts), len(want)-len(cockpitTexts))
}

// holdLock opens the file as another writer would and keeps bbolt's
// exclusive lock until the returned function is called.
func holdLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { _ = db.Close() }) }
	t.Cleanup(release)
	return release
}

// TestLockHeldPastBudgetIsReported holds the lock longer than the budget:
// writes and reads both give up with ErrLocked once the budget has passed,
// neither sooner nor hanging.
func TestLockHeldPastBudgetIsReported(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "x")
	const budget = 300 * time.Millisecond
	s.lockBudget = budget
	holdLock(t, s.Path())

	calls := map[string]func() error{
		"write": func() error {
			_, err := s.AppendEntry(inc.ID, incident.Entry{At: t0, Text: "blocked"})
			return err
		},
		"read": func() error { _, err := s.ListIncidents(); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- call() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(budget + 10*time.Second):
				t.Fatal("still waiting for the lock long after the budget")
			}
			waited := time.Since(start)
			if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "locked by another process for over 300ms") {
				t.Fatalf("err = %v, want ErrLocked", err)
			}
			if waited < budget {
				t.Errorf("gave up after %v, before the %v budget", waited, budget)
			}
		})
	}
}

// TestLockReleasedWithinBudgetIsWaitedFor holds the lock for a while, well
// within the budget: the waiting call then succeeds and its entry is stored.
func TestLockReleasedWithinBudgetIsWaitedFor(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "x")
	release := holdLock(t, s.Path())
	time.AfterFunc(300*time.Millisecond, release)
	e, err := s.AppendEntry(inc.ID, incident.Entry{At: t0, Author: "amara", Kind: incident.KindNote, Text: "after the wait"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Entries); n == 0 || got.Entries[n-1].ID != e.ID {
		t.Fatalf("entry %d not stored last: %+v", e.ID, got.Entries)
	}
}

// TestOverlappingReadersLeaveGaps has twenty goroutines (SSH sessions)
// reloading a large incident through one Store without pause, so their shared
// locks overlap and the file is never free unless the Store makes a gap;
// writes through another Store must still get in.
func TestOverlappingReadersLeaveGaps(t *testing.T) {
	server := openTemp(t)
	inc := declare(t, server, "big")
	err := server.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, inc.ID)
		if err != nil {
			return err
		}
		for i := 0; i < 3000; i++ {
			e := incident.Entry{At: t0.Add(time.Duration(i) * time.Second), Author: "amara", Kind: incident.KindNote, Text: fmt.Sprintf("entry %d of a long incident", i)}
			if _, err := appendEntry(b, e, t0, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	deadline := time.Now().Add(30 * time.Second)
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := server.Incident(inc.ID); err != nil {
					t.Errorf("session reload: %v", err)
					return
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	time.Sleep(100 * time.Millisecond) // let the reloads pile up

	script, err := Open(server.Path())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 8; i++ {
		// Fatal at the first failure: each one costs a whole LockTimeout.
		if _, err := script.AppendEntry(inc.ID, incident.Entry{At: time.Now(), Author: "log", Kind: incident.KindNote, Text: fmt.Sprintf("log %d", i)}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
}
