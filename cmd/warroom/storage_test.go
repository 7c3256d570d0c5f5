package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCheckNamesTheEntryAFlippedByteHit: one bit flipped in the text of a
// timeline entry still decodes (the text reads "Rolled back the deploz"),
// so only the record's checksum can tell. warroom check reports it with the
// incident and the entry.
func TestCheckNamesTheEntryAFlippedByteHit(t *testing.T) {
	e := newEnv(t)
	e.newIncident("Checkout failing")
	e.ok("log", "first note")
	out := e.ok("log", "Rolled back the deploy")
	entry := regexp.MustCompile(`#\d+`).FindString(out)
	e.ok("log", "third note")
	if r := e.run("check"); r.code != 0 {
		t.Fatalf("check of the intact file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(e.db)
	if err != nil {
		t.Fatal(err)
	}
	marker := []byte("Rolled back the deploy")
	if !bytes.Contains(data, marker) {
		t.Fatal("the entry is not on disk")
	}
	// Old copies of the page may linger in freed pages; flip them all.
	for at := bytes.Index(data, marker); at >= 0; at = bytes.Index(data, marker) {
		data[at+len(marker)-1] ^= 0x03 // y -> z
	}
	p := filepath.Join(t.TempDir(), "flipped.db")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.run("--db", p, "check")
	if r.code != 1 || !strings.Contains(r.stdout, "INC-1: entry "+entry+" is damaged: its checksum does not match") {
		t.Fatalf("check of the flipped file (entry %s): exit %d\n%s%s", entry, r.code, r.stdout, r.stderr)
	}
}

// TestEmptyDatabaseFileIsTreatedAsAbsent: a 0-byte database, what a kill
// during the very first write left with an older warroom, no longer makes
// every command refuse: readers say there is no database yet, and the
// first write creates a whole one in its place.
func TestEmptyDatabaseFileIsTreatedAsAbsent(t *testing.T) {
	e := newEnv(t)
	if err := os.MkdirAll(filepath.Dir(e.db), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	e.fails("there is no warroom database", "list")
	if r := e.run("check"); r.code != 1 || !strings.Contains(r.stdout+r.stderr, "the file is empty") {
		t.Fatalf("check of the empty file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	e.newIncident("After the crash")
	if out := e.ok("list"); !strings.Contains(out, "After the crash") {
		t.Fatalf("list after creating: %q", out)
	}
	if r := e.run("check"); r.code != 0 {
		t.Fatalf("check of the new file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
