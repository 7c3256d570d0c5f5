package store

import (
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// For random sequences of operations (lines, edits, re-times, deletions,
// restorations, reopenings), the stored head always equals the fold of the
// whole timeline, and warroom check agrees.
func TestHeadIsAlwaysTheFoldOfTheTimeline(t *testing.T) {
	lines := []string{
		"/status identified", "/status monitoring", "/status resolved", "/status investigating",
		"/sev 1", "/sev 2", "/sev 4", "/lead amara", "/lead ben", "/comms chen", "/role scribe dana",
		"/eta 23:50", "/tag db", "/tag deploy", "/every 20m", "/every 45m", "/snooze 10m",
		"/started -50m", "/detected -40m", "/acknowledged -30m", "/mitigated -20m", "/mitigated -15m",
		"/resolved -5m", "/resolved", "/draft All good", "/publish We are looking into it.",
		"a note", "!an action", "?a question", "@-25m backdated note",
	}
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 99))
		s := openTemp(t)
		inc := declare(t, s, "Property")
		now := t0.Add(time.Hour)
		for step := range 60 {
			now = now.Add(time.Duration(r.IntN(90)+1) * time.Second)
			full, err := s.Incident(inc.ID)
			if err != nil {
				t.Fatal(err)
			}
			vis := full.VisibleEntries()
			switch op := r.IntN(10); {
			case op < 6 || len(vis) < 3:
				line := lines[r.IntN(len(lines))]
				c, err := incident.ParseCapture(line, now)
				if err != nil {
					t.Fatalf("seed %d: %s: %v", seed, line, err)
				}
				_, _ = s.Apply(inc.ID, c, now, "amara", incident.DefaultPolicy()) // "already" refusals are fine
			case op < 8:
				e := vis[r.IntN(len(vis))]
				at := e.At.Add(time.Duration(r.IntN(1200)-600) * time.Second)
				_, _ = s.EditEntry(inc.ID, e.ID, now, "ben", func(x *incident.Entry) error { x.At = at; return nil })
			case op < 9:
				e := vis[r.IntN(len(vis))]
				_, _ = s.DeleteEntry(inc.ID, e.ID, now, "ben")
			default:
				for _, e := range vis {
					if e.Set.Field == incident.FieldDelete {
						_, _ = s.RestoreEntry(inc.ID, e.ID, now, "chen")
						break
					}
				}
			}
			got, err := s.Incident(inc.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := *got
			incident.Fold(&want)
			if ok, what := incident.FoldedEqual(got, &want); !ok {
				t.Fatalf("seed %d step %d: the head is not the fold of the timeline: %s", seed, step, what)
			}
		}
		rep, err := s.Check()
		if err != nil || !rep.OK() {
			t.Fatalf("seed %d: check = %+v, %v", seed, rep, err)
		}
	}
}

// A database written by schema 1 (fields kept beside the timeline, entries
// without settings) opens at the current schema with every entry kept and the same
// fields, now read from the timeline; the next change folds from there.
func TestMigrateSchema1KeepsEveryEntryAndField(t *testing.T) {
	// OpenDeferred migrates in its first call (here a read) instead.
	for name, open := range map[string]func(string) (*Store, error){"Open": Open, "OpenDeferred": OpenDeferred} {
		t.Run(name, func(t *testing.T) { testMigrateSchema1(t, open) })
	}
}

func testMigrateSchema1(t *testing.T, open func(string) (*Store, error)) {
	path := filepath.Join(t.TempDir(), "old.db")
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	old := incident.Incident{
		ID: 1, UID: "old-uid", Title: "Checkout failing", Severity: 2, Status: incident.Monitoring,
		Roles:   map[string]string{incident.RoleLead: "amara", incident.RoleComms: "ben"},
		Cadence: 20 * time.Minute, ETA: at(120), Tags: []string{"payments", "db"},
		Created: at(0), Updated: at(40),
		Milestones: map[incident.Milestone]time.Time{incident.Detected: at(0), incident.Mitigated: at(30)},
		Draft:      "Half written",
	}
	entries := []incident.Entry{
		{ID: 1, At: at(0), Author: "amara", Kind: incident.KindSystem, Text: "Incident declared: Checkout failing (SEV3); resolution lead: amara"},
		{ID: 2, At: at(5), Author: "amara", Kind: incident.KindRole, Text: "ben is Communication lead"},
		{ID: 3, At: at(10), Author: "amara", Kind: incident.KindStatus, Text: "Severity SEV3 → SEV2"},
		{ID: 4, At: at(12), Author: "amara", Kind: incident.KindStatus, Text: "Status investigating → identified"},
		{ID: 5, At: at(15), Author: "amara", Kind: incident.KindSystem, Text: "Tagged payments"},
		{ID: 6, At: at(16), Author: "amara", Kind: incident.KindSystem, Text: "Public updates every 20m"},
		{ID: 7, At: at(18), Author: "amara", Kind: incident.KindSystem, Text: "ETA set to 14:00"},
		{ID: 8, At: at(20), Author: "chen", Kind: incident.KindNote, Text: "pool saturated"},
		{ID: 9, At: at(30), Author: "amara", Kind: incident.KindMilestone, Text: "Mitigated"},
		{ID: 10, At: at(35), Author: "amara", Kind: incident.KindStatus, Text: "Status identified → monitoring"},
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket(bucketMeta)
		if err := meta.Put(keySchema, u64(1)); err != nil {
			return err
		}
		root, _ := tx.CreateBucket(bucketIncidents)
		_, _ = root.NextSequence()
		b, err := root.CreateBucket(idKey(1))
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketEntries, bucketEntryIDs, bucketUpdates, bucketUI} {
			if _, err := b.CreateBucket(name); err != nil {
				return err
			}
		}
		head, _ := json.Marshal(old)
		if err := b.Put(keyHead, head); err != nil {
			return err
		}
		eb := b.Bucket(bucketEntries)
		for _, e := range entries {
			_, _ = eb.NextSequence()
			data, _ := json.Marshal(e)
			key := legacyEntryKey(e.At, e.ID)
			if err := eb.Put(key, data); err != nil {
				return err
			}
			if err := b.Bucket(bucketEntryIDs).Put(idKey(e.ID), key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Incident(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		found := false
		for _, g := range got.Entries {
			found = found || (g.ID == e.ID && g.Text == e.Text && g.At.Equal(e.At))
		}
		if !found {
			t.Errorf("entry #%d %q was lost in the migration", e.ID, e.Text)
		}
	}
	if ok, what := incident.FoldedEqual(got, &old); !ok {
		t.Errorf("after the migration the fields differ from schema 1's: %s", what)
	}
	if got.Title != old.Title || got.Draft != old.Draft || got.UID != old.UID {
		t.Errorf("title %q draft %q uid %q changed", got.Title, got.Draft, got.UID)
	}
	rep, err := s.Check()
	if err != nil || !rep.OK() || rep.Schema != SchemaVersion {
		t.Fatalf("check after migration = %+v, %v", rep, err)
	}
	// From now on the timeline is the record: re-timing the Mitigated
	// entry moves the milestone.
	if _, err := s.EditEntry(1, 9, at(50), "amara", func(e *incident.Entry) error { e.At = at(25); return nil }); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Incident(1)
	if !got.Milestones[incident.Mitigated].Equal(at(25)) {
		t.Errorf("mitigated = %v after re-timing its entry; want %v", got.Milestones[incident.Mitigated], at(25))
	}
}

// legacyEntryKey is the 16-byte entry key of schemas 1 and 2: time, then id.
func legacyEntryKey(at time.Time, id int64) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, uint64(at.UnixNano()))
	binary.BigEndian.PutUint64(b[8:], uint64(id))
	return b
}
