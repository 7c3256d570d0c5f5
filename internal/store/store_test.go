package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "sub", "warroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func declare(t testing.TB, s *Store, title string) *incident.Incident {
	t.Helper()
	inc, err := incident.NewIncident(title, 2, t0, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	inc.Roles[incident.RoleLead] = "amara"
	out, err := s.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	s := openTemp(t)
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(filepath.Dir(s.Path()))
	if di.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", di.Mode().Perm())
	}
	// Reopening a current database writes nothing.
	before, _ := os.ReadFile(s.Path())
	if _, err := Open(s.Path()); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(s.Path())
	if !bytes.Equal(before, after) {
		t.Error("reopening a current database changed the file")
	}
}

func TestIncidentLifecycle(t *testing.T) {
	s := openTemp(t)
	a := declare(t, s, "Checkout failing")
	b := declare(t, s, "Search slow")
	if a.ID != 1 || b.ID != 2 || a.UID == "" || a.UID == b.UID {
		t.Fatalf("ids %d %d uids %q %q", a.ID, b.ID, a.UID, b.UID)
	}
	e, err := s.AppendEntry(a.ID, incident.Entry{At: t0.Add(10 * time.Minute), RecordedAt: t0.Add(10 * time.Minute), Author: "amara", Kind: incident.KindAction, Text: "restarted workers"})
	if err != nil {
		t.Fatal(err)
	}
	// A backdated entry sorts before the later one.
	early, err := s.AppendEntry(a.ID, incident.Entry{At: t0.Add(5 * time.Minute), Author: "li", Kind: incident.KindNote, Text: "first alert"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Incident(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != 3 || got.Entries[1].ID != early.ID || got.Entries[2].ID != e.ID {
		t.Fatalf("entries not in time order: %+v", got.Entries)
	}
	if got.Entries[0].Kind != incident.KindSystem || !strings.Contains(got.Entries[0].Text, "Incident declared") {
		t.Errorf("declaration not logged: %+v", got.Entries[0])
	}

	// Re-time the early entry after the action: it moves.
	if _, err := s.EditEntry(a.ID, early.ID, t0.Add(20*time.Minute), "amara", func(x *incident.Entry) error {
		x.At = t0.Add(15 * time.Minute)
		x.Starred = true
		x.Text = "first alert (pager)"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Incident(a.ID)
	last := got.Entries[len(got.Entries)-1]
	if last.ID != early.ID || !last.Starred || last.Text != "first alert (pager)" || last.EditedAt.IsZero() {
		t.Fatalf("edit not applied: %+v", got.Entries)
	}

	// Delete is recorded, not silent.
	if _, err := s.DeleteEntry(a.ID, e.ID, t0.Add(30*time.Minute), "amara"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Incident(a.ID)
	vis := got.VisibleEntries()
	if len(vis) != 3 || !strings.Contains(vis[len(vis)-1].Text, "from 12:10: restarted workers") {
		t.Fatalf("deletion not recorded: %+v", vis)
	}

	inc, total, err := s.IncidentTail(a.ID, 2)
	if err != nil || total != 4 || len(inc.Entries) != 2 || inc.Entries[1].Kind != incident.KindSystem {
		t.Fatalf("tail: total %d entries %+v err %v", total, inc.Entries, err)
	}

	list, err := s.ListIncidents()
	if err != nil || len(list) != 2 || list[0].ID != 2 || list[1].EntryCount != 4 {
		t.Fatalf("list %+v err %v", list, err)
	}
}

func TestApplyAndUIState(t *testing.T) {
	s := openTemp(t)
	a := declare(t, s, "Checkout failing")
	p := incident.DefaultPolicy()
	now := t0.Add(time.Hour)
	for _, line := range []string{"/status identified", "/sev 1", "/comms li", "/tag payments", "/draft Issue identified; team working on resolution.", "/publish", "/snooze 10m"} {
		c, err := incident.ParseCapture(line, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(a.ID, c, now, "amara", p); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
	}
	got, err := s.Incident(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != incident.Identified || got.Severity != 1 || got.Roles[incident.RoleComms] != "li" || !got.HasTag("payments") || got.Draft != "" {
		t.Fatalf("incident %+v", got)
	}
	if len(got.Updates) != 1 || got.Updates[0].ID != 1 || got.Updates[0].UID == "" {
		t.Fatalf("updates %+v", got.Updates)
	}
	if want := now.Add(40 * time.Minute); !got.NextUpdateDue.Equal(want) {
		t.Fatalf("snooze due %v want %v", got.NextUpdateDue, want)
	}
	// 1 declaration + 4 changes + 1 public + 1 snooze
	if n := len(got.Entries); n != 7 {
		t.Fatalf("%d entries: %+v", n, got.Entries)
	}
	if err := s.SetDelivery(a.ID, 1, []incident.Delivery{{Target: "https://example.invalid", State: incident.DeliveryFailed, Error: "timeout"}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Incident(a.ID)
	if got.Updates[0].Delivery[0].Error != "timeout" {
		t.Fatalf("delivery %+v", got.Updates[0])
	}

	if _, err := s.SetUIState(a.ID, "capture:amara", "half typed"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.UIState(a.ID, "capture:amara"); v != "half typed" {
		t.Fatalf("ui state %q", v)
	}
	if _, err := s.SetDraft(a.ID, Edit{Text: "We are investigating."}, "amara", now); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Incident(a.ID); got.Draft != "We are investigating." {
		t.Fatalf("draft %q", got.Draft)
	}
	if _, err := s.Apply(99, incident.Capture{Kind: incident.KindNote, Text: "x"}, now, "a", p); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing incident: %v", err)
	}
}

func TestResolveID(t *testing.T) {
	s := openTemp(t)
	if _, err := s.ResolveID(""); err == nil || !strings.Contains(err.Error(), "no open incident") {
		t.Fatalf("empty db: %v", err)
	}
	a := declare(t, s, "one")
	if id, err := s.ResolveID(""); err != nil || id != a.ID {
		t.Fatalf("single open: %d %v", id, err)
	}
	declare(t, s, "two")
	if _, err := s.ResolveID(""); err == nil || !strings.Contains(err.Error(), "INC-2, INC-1") {
		t.Fatalf("two open: %v", err)
	}
	if id, err := s.ResolveID("inc-2"); err != nil || id != 2 {
		t.Fatalf("inc-2: %d %v", id, err)
	}
	if _, err := s.ResolveID("INC-9"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("INC-9: %v", err)
	}
}

func TestBadFilesAreReportedAndUntouched(t *testing.T) {
	dir := t.TempDir()
	good := openTemp(t)
	declare(t, good, "x")
	goodBytes, _ := os.ReadFile(good.Path())

	cases := map[string][]byte{
		"text.db":      []byte("this is not a database\n"),
		"truncated.db": goodBytes[:4096+100],
		"zeros.db":     make([]byte, 64<<10),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(p)
			if err == nil {
				t.Fatal("opened a bad file")
			}
			if !errors.Is(err, ErrNotBolt) && !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v is neither ErrNotBolt nor ErrCorrupt", err)
			}
			after, _ := os.ReadFile(p)
			if !bytes.Equal(after, data) {
				t.Error("the bad file was modified")
			}
		})
	}
	// An empty file is what a crash while creating the database left
	// (issue 21): it holds nothing, so it is replaced by a whole database
	// rather than refused. (This subtest used to want it refused.)
	t.Run("empty", func(t *testing.T) {
		p := filepath.Join(dir, "empty.db")
		_ = os.WriteFile(p, nil, 0o600)
		if _, err := OpenExisting(p); !errors.Is(err, ErrNoFile) {
			t.Fatalf("OpenExisting of an empty file: %v, want ErrNoFile", err)
		}
		s, err := Open(p)
		if err != nil {
			t.Fatalf("Open of an empty file: %v", err)
		}
		if fi, _ := os.Stat(p); fi.Size() == 0 {
			t.Error("the empty file was not replaced by a database")
		}
		if rep, err := s.Check(); err != nil || !rep.OK() || rep.Schema != SchemaVersion {
			t.Errorf("check of the replaced file: %+v, %v", rep, err)
		}
	})
	t.Run("readonly", func(t *testing.T) {
		p := filepath.Join(dir, "ro.db")
		_ = os.WriteFile(p, goodBytes, 0o400)
		s := &Store{path: p}
		_, err := s.AppendEntry(1, incident.Entry{At: t0, Text: "x"})
		if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "chmod u+w") {
			t.Fatalf("read-only: %v", err)
		}
		after, _ := os.ReadFile(p)
		if !bytes.Equal(after, goodBytes) {
			t.Error("read-only file was modified")
		}
		// Reading still works.
		if _, err := s.Incident(1); err != nil {
			t.Fatalf("reading a read-only database: %v", err)
		}
	})
	t.Run("corrupt page", func(t *testing.T) {
		data := append([]byte(nil), goodBytes...)
		// Damage every page after the two meta pages and the freelist.
		for off := 4 * 4096; off < len(data); off += 4096 {
			for i := 0; i < 64 && off+i < len(data); i++ {
				data[off+i] ^= 0xA5
			}
		}
		p := filepath.Join(dir, "corrupt.db")
		_ = os.WriteFile(p, data, 0o600)
		rep, err := CheckFile(p)
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		if rep.OK() {
			t.Fatal("check found no problem in a damaged file")
		}
		s := &Store{path: p}
		if _, err := s.ListIncidents(); err == nil {
			t.Log("listing a damaged file happened to work")
		} else if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotBolt) {
			t.Errorf("damaged file error %v", err)
		}
	})
}

func TestLockTimeout(t *testing.T) {
	s := openTemp(t)
	a := declare(t, s, "x")
	db, err := bolt.Open(s.Path(), 0o600, nil) // another writer holding the lock
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	_, err = s.AppendEntry(a.ID, incident.Entry{At: t0, Text: "blocked"})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "locked by another process") {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if waited := time.Since(start); waited > 3*LockTimeout {
		t.Fatalf("waited %v for the lock", waited)
	}
}

func TestBackupAndCheck(t *testing.T) {
	s := openTemp(t)
	a := declare(t, s, "x")
	for i := 0; i < 50; i++ {
		if _, err := s.AppendEntry(a.ID, incident.Entry{At: t0.Add(time.Duration(i) * time.Minute), Text: "entry"}); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(dst); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(dst); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("backup over existing file: %v", err)
	}
	c, err := Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Incident(a.ID)
	if err != nil || len(got.Entries) != 51 {
		t.Fatalf("backup has %d entries, err %v", len(got.Entries), err)
	}
	rep, err := c.Check()
	if err != nil || !rep.OK() || rep.Incidents != 1 || rep.Entries != 51 || rep.Schema != SchemaVersion {
		t.Fatalf("check %+v err %v", rep, err)
	}
}

func TestStampChangesOnWrite(t *testing.T) {
	s := openTemp(t)
	a := declare(t, s, "x")
	before, err := s.Stamp()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Incident(a.ID); err != nil {
		t.Fatal(err)
	}
	if same, _ := s.Stamp(); same != before {
		t.Fatal("a read changed the stamp")
	}
	if _, err := s.AppendEntry(a.ID, incident.Entry{At: t0, Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Stamp(); after == before {
		t.Fatal("a write did not change the stamp")
	}
}

func TestStampSeesEveryCommit(t *testing.T) {
	s := openTemp(t)
	a := declare(t, s, "x")
	prev, _ := s.Stamp()
	for i := 0; i < 20; i++ {
		if _, err := s.AppendEntry(a.ID, incident.Entry{At: t0, Text: "quick"}); err != nil {
			t.Fatal(err)
		}
		cur, err := s.Stamp()
		if err != nil {
			t.Fatal(err)
		}
		if cur.TxID <= prev.TxID {
			t.Fatalf("commit %d: txid %d did not grow past %d", i, cur.TxID, prev.TxID)
		}
		prev = cur
	}
}

func TestMessageDropsTheSentinel(t *testing.T) {
	s := openTemp(t)
	_, err := s.ResolveID("INC-9")
	if got := Message(err); got != "incident INC-9 does not exist; run warroom list --all to see them" {
		t.Fatalf("Message = %q", got)
	}
	if got := Message(errors.New("plain")); got != "plain" {
		t.Fatalf("Message(plain) = %q", got)
	}
}
