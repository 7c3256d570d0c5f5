package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// incidentJSON is the incident as show --json would have it.
func incidentJSON(t *testing.T, s *Store, id int64) []byte {
	t.Helper()
	inc, err := s.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(inc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCompactShrinksAndKeepsEverything(t *testing.T) {
	defer func(old float64) { packedFill = old }(packedFill)
	packedFill = DefaultFill // half-full pages, as before fill.go
	s := openTemp(t)
	inc := declare(t, s, "long")
	appendLines(t, s, inc.ID, 3000, 10)
	packedFill = 0.9
	before := incidentJSON(t, s, inc.ID)

	// A handle opened before the compaction goes on with the new file.
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Compact()
	if err != nil {
		t.Fatal(err)
	}
	if c.After <= 0 || c.After*10 > c.Before*7 {
		t.Errorf("compacted %d bytes to %d; want under 70%%", c.Before, c.After)
	}
	if got := fileSize(t, s.Path()); got != c.After {
		t.Errorf("the file is %d bytes after compacting; Compact reported %d", got, c.After)
	}
	if after := incidentJSON(t, s, inc.ID); !bytes.Equal(before, after) {
		t.Error("the incident differs after compacting")
	}
	rep, err := s.Check()
	if err != nil || !rep.OK() {
		t.Fatalf("check after compacting: %v %v", err, rep.Problems)
	}
	if _, err := other.AppendEntry(inc.ID, benchEntry()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Entries); n != 3002 {
		t.Errorf("%d entries after an append through the other handle; want 3002", n)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(s.Path()), "."+filepath.Base(s.Path())+".compact")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the copy's temporary name is still there: %v", err)
	}
}

// A compaction that fails before the copy is in place leaves the database
// as it was and no copy behind.
func TestCompactFailureKeepsTheOriginal(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "x")
	appendLines(t, s, inc.ID, 50, 10)
	orig, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer func(old func(*os.File) error) { syncFile = old }(syncFile)
	syncFile = func(*os.File) error { return errors.New("injected sync failure") }
	if _, err := s.Compact(); err == nil || !errors.Is(err, errCompact) {
		t.Fatalf("Compact with a failing sync = %v; want it refused", err)
	}
	now, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(orig, now) {
		t.Error("a failed compaction changed the database")
	}
	entries, _ := os.ReadDir(filepath.Dir(s.Path()))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files after a failed compaction; want only the database", len(entries))
	}
}

// openDB notices a file put in place of the one it opened (the window
// between bbolt's open and its lock, see Compact).
func TestReplacedFile(t *testing.T) {
	dir := t.TempDir()
	p, q := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, f := range []string{p, q} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	before, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if replaced(before, p) {
		t.Error("an unchanged file counts as replaced")
	}
	if err := os.Rename(q, p); err != nil {
		t.Fatal(err)
	}
	if !replaced(before, p) {
		t.Error("a file renamed into place does not count as replaced")
	}
}
