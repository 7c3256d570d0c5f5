package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// OpenDeferred gives the same refusals as Open, from its first call, for
// a read as for a write, and a write on a current file works at once.
func TestOpenDeferredChecksInTheFirstCall(t *testing.T) {
	s := openTemp(t)
	id := declare(t, s, "x").ID
	d, err := OpenDeferred(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	c, _ := incident.ParseCapture("one line", t0)
	if _, err := d.Apply(id, c, t0, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	if inc, err := s.Incident(id); err != nil || inc.Entries[len(inc.Entries)-1].Text != "one line" {
		t.Fatalf("the deferred write did not land: %v", err)
	}

	// A newer schema: refused by a first read and a first write alike.
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion+1)) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	for what, call := range map[string]func(*Store) error{
		"read":  func(d *Store) error { _, err := d.Incident(id); return err },
		"write": func(d *Store) error { _, err := d.Apply(id, c, t0, "amara", incident.DefaultPolicy()); return err },
	} {
		d, err := OpenDeferred(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		if err := call(d); !errors.Is(err, ErrTooNew) {
			t.Errorf("first %s on a newer schema: %v, want ErrTooNew", what, err)
		}
	}

	// Another program's bbolt file is never written.
	other := filepath.Join(t.TempDir(), "other.db")
	db, err = bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("theirs")); return err })
	db.Close()
	before, _ := os.ReadFile(other)
	d, err = OpenDeferred(other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Apply(1, c, t0, "amara", incident.DefaultPolicy()); !errors.Is(err, ErrNotBolt) {
		t.Errorf("a write into another program's file: %v, want ErrNotBolt", err)
	}
	if after, _ := os.ReadFile(other); string(after) != string(before) {
		t.Error("another program's file was changed")
	}
}
