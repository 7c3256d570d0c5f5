package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestPresenceCommitsNothing: two cockpits on one database see each other
// in the room through a minute of heartbeats, and the database is not
// written once for it (no commit, so no fsync and no wake-up of the other
// programs on the file).
func TestPresenceCommitsNothing(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	open := func(who string) Model {
		m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Author: who})
		return drive(t, m, m.Init())
	}
	amara, ben := open("amara"), open("ben")
	before, err := st.Stamp()
	if err != nil {
		t.Fatal(err)
	}
	for s := range 60 {
		now := common.TickMsg(pinned.Add(time.Duration(s) * time.Second))
		amara = send(t, amara, now)
		ben = send(t, ben, now)
	}
	amara.ctx.WaitWrites()
	ben.ctx.WaitWrites()
	for _, m := range []Model{amara, ben} {
		if !strings.Contains(header(m), "here amara, ben") {
			t.Fatalf("%s's header does not show the room:\n%s", m.ctx.Author, header(m))
		}
	}
	after, err := st.Stamp()
	if err != nil {
		t.Fatal(err)
	}
	if after.TxID != before.TxID {
		t.Fatalf("a minute of presence committed %d transactions to the database", after.TxID-before.TxID)
	}
}

// TestFilePresenceAcrossProcesses: two boards on one database (as two
// processes have) read each other's records; a removed record is gone; a
// file whose program died long ago is removed by the next reader.
func TestFilePresenceAcrossProcesses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "warroom.db")
	a, b := NewFilePresence(db), NewFilePresence(db)
	if err := a.Say(7, "s1", "amara\t2026-03-12T13:45:00Z\tdraft"); err != nil {
		t.Fatal(err)
	}
	if err := b.Write(7, "serve-x", map[string]string{"s2": "ben\t2026-03-12T13:45:00Z\t", "s3": "chen\t2026-03-12T13:45:00Z\twhys"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Say(8, "s4", "dmitri\t2026-03-12T13:45:00Z\t"); err != nil {
		t.Fatal(err)
	}
	got, err := b.Records(7)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got["s1"] != "amara\t2026-03-12T13:45:00Z\tdraft" || got["s3"] != "chen\t2026-03-12T13:45:00Z\twhys" {
		t.Fatalf("records of incident 7: %q", got)
	}
	if err := a.Say(7, "s1", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Records(7); len(got) != 2 || got["s1"] != "" {
		t.Fatalf("after s1 left: %q", got)
	}
	// The server's file, from a process that died an age ago.
	old := time.Now().Add(-2 * presenceLeftover)
	if err := os.Chtimes(a.name(7, "serve-x"), old, old); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Records(7); len(got) != 0 {
		t.Fatalf("a leftover file was read: %q", got)
	}
	if _, err := os.Stat(a.name(7, "serve-x")); !os.IsNotExist(err) {
		t.Fatalf("the leftover file is still there (%v)", err)
	}
	if got, _ := a.Records(8); len(got) != 1 {
		t.Fatalf("incident 8's record went with 7's leftover: %q", got)
	}
}
