package store

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// TestCreateIsWholeOrAbsent: while the new database is being built, the
// final path does not exist (a crash then leaves no file); when Open
// returns, the file is whole (buckets and schema), 0600, and no temporary
// file is left beside it.
func TestCreateIsWholeOrAbsent(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "warroom.db")
	called := false
	beforePlace = func(tmp string) {
		called = true
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("the database is at its path before it is whole: %v", err)
		}
		// The temporary file is a whole database already.
		rep, err := (&Store{path: tmp}).Check()
		if err != nil || !rep.OK() || rep.Schema != SchemaVersion {
			t.Errorf("the temporary database is not whole: %+v, %v", rep, err)
		}
	}
	t.Cleanup(func() { beforePlace = nil })
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if !called {
		t.Fatal("the database was not built aside first")
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("stat %v, %v; want a 0600 file", fi, err)
	}
	names, _ := os.ReadDir(dir)
	if len(names) != 1 {
		t.Errorf("files left beside the database: %v", names)
	}
	if rep, err := s.Check(); err != nil || !rep.OK() || rep.Schema != SchemaVersion {
		t.Errorf("check: %+v, %v", rep, err)
	}
}

// TestCreateCrashLeavesNothing: a crash after the temporary file was
// written but before it was put in place leaves no database; the next Open
// creates one, and the stray temporary file does not stop it.
func TestCreateCrashLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "warroom.db")
	// What a kill at that moment leaves: a whole temporary file, no database.
	stray := filepath.Join(dir, ".warroom.db.new-123")
	if err := os.WriteFile(stray, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenExisting(p); err == nil || !strings.Contains(err.Error(), "there is no warroom database") {
		t.Fatalf("OpenExisting after the crash: %v", err)
	}
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateIncident(newTestIncident(t, "after the crash"), "amara"); err != nil {
		t.Fatal(err)
	}
}

// TestCreateConcurrentlyKeepsOneDatabase: processes (here goroutines, each
// with its own Store) creating the same database at once all end up on one
// file, and nobody's first write is lost to another's creation.
func TestCreateConcurrentlyKeepsOneDatabase(t *testing.T) {
	p := filepath.Join(t.TempDir(), "warroom.db")
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			s, err := Open(p)
			if err == nil {
				_, err = s.CreateIncident(newTestIncident(t, "racer"), "amara")
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("racer %d: %v", i, err)
		}
	}
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListIncidents()
	if err != nil || len(list) != n {
		t.Fatalf("%d incidents (%v), want %d: a creation replaced another's database", len(list), err, n)
	}
}

func newTestIncident(t *testing.T, title string) *incident.Incident {
	t.Helper()
	inc, err := incident.NewIncident(title, 2, time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC), incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return inc
}
