package server

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// Cockpit sessions poll the stamp every watchedPollEvery where the
// database's folder can be watched, and as told when told; the
// stakeholder view keeps its own poll.
func TestCockpitsPollLessWhereTheFolderIsWatched(t *testing.T) {
	wr := startWarRoomFiles(t, keyLines([]keypair{newKey(t, "amara@laptop")}), "", func(s *Server) { s.opts.PollEvery = 0 })
	if got := wr.srv.cockpitPoll(); got != watchedPollEvery {
		t.Fatalf("poll %v in a watched folder, want %v", got, watchedPollEvery)
	}
	wr.srv.opts.PollEvery = 50 * time.Millisecond
	if got := wr.srv.cockpitPoll(); got != 50*time.Millisecond {
		t.Fatalf("poll %v when told 50ms", got)
	}
	wr.srv.opts.PollEvery = 0
	wr.srv.watchable = func() bool { return false }
	if got := wr.srv.cockpitPoll(); got != 0 {
		t.Fatalf("poll %v where the folder cannot be watched, want the cockpit's default", got)
	}
	if canWatch(filepath.Join(t.TempDir(), "gone", "warroom.db")) {
		t.Fatal("a folder that does not exist can be watched")
	}
}

// A cockpit session on the longer poll still follows another process's
// writes (a second Store on the file, as warroom log from a script): the
// watcher wakes it.
func TestLongPollSessionFollowsAnotherProcess(t *testing.T) {
	amara := newKey(t, "amara@laptop")
	wr := startWarRoomFiles(t, keyLines([]keypair{amara}), "", func(s *Server) { s.opts.PollEvery = 0 })
	if got := wr.srv.cockpitPoll(); got != watchedPollEvery {
		t.Fatalf("poll %v, want %v", got, watchedPollEvery)
	}
	s := mustDial(t, wr.addr, amara)
	s.waitFor("Checkout failing")
	script, err := store.Open(wr.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = script.Close() })
	c, _ := incident.ParseCapture("logged from a script", time.Now())
	if _, err := script.Apply(wr.id, c, time.Now(), "cron", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	s.waitFor("logged from a script")
}
