package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestWritesOnADamagedTimelineFail: one entry's bytes on disk no longer
// decode. A log into that incident used to exit 0 while show could not
// read it; now the write is refused and nothing is saved, and a new
// incident, which the damage does not touch, can be read back.
func TestWritesOnADamagedTimelineFail(t *testing.T) {
	e := newEnv(t)
	e.newIncident("x")
	e.ok("log", "note one")
	e.ok("log", "damage-me")
	e.ok("log", "note three")
	data, err := os.ReadFile(e.db)
	if err != nil {
		t.Fatal(err)
	}
	marker := []byte(`"damage-me"`)
	if !bytes.Contains(data, marker) {
		t.Fatal("the marked entry is not on disk")
	}
	for at := bytes.Index(data, marker); at >= 0; at = bytes.Index(data, marker) {
		data[at] = 'x' // "text":xdamage-me" is not JSON
	}
	p := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	e.fails("nothing was saved", "--db", p, "log", "-i", "1", "more")
	e.fails("nothing was saved", "--db", p, "log", "-i", "1", "/status identified")
	if after, _ := os.ReadFile(p); !bytes.Equal(after, data) {
		t.Fatal("a refused write changed the file")
	}
	e.fails("damaged", "--db", p, "show", "1")
	if r := e.run("--db", p, "check"); r.code != 1 || !strings.Contains(r.stdout, "problem: ") {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// What new writes is read back too, and here it reads.
	id := strings.TrimSpace(e.ok("--db", p, "new", "y"))
	id = id[strings.LastIndex(id, "\n")+1:]
	e.ok("--db", p, "show", id)
}

func TestCheckReportsANewerSchema(t *testing.T) {
	e := newEnv(t)
	e.newIncident("x")
	db, err := bolt.Open(e.db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 99)
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	e.fails("newer warroom", "list")
	r := e.run("check")
	if r.code != 1 || strings.Contains(r.stdout, "OK") || !strings.Contains(r.stdout, "problem: the database was written by a newer warroom (schema 99") {
		t.Fatalf("check of a schema 99 file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
