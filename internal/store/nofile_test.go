package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenExistingCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	p := filepath.Join(dir, "warroom.db")
	_, err := OpenExisting(p)
	if !errors.Is(err, ErrNoFile) || !strings.Contains(Message(err), "there is no warroom database at "+p+"; check --db or WARROOM_DB") {
		t.Fatalf("OpenExisting on a missing file: %v", err)
	}
	if strings.HasSuffix(Message(err), ErrNoFile.Error()) {
		t.Errorf("Message keeps the sentinel: %q", Message(err))
	}
	if _, err := CheckFile(p); !errors.Is(err, ErrNoFile) {
		t.Fatalf("CheckFile on a missing file: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the folder was created: %v", err)
	}
	s := openTemp(t)
	declare(t, s, "x")
	if got, err := OpenExisting(s.Path()); err != nil || got.Path() != s.Path() {
		t.Fatalf("OpenExisting on a database: %v", err)
	}
}
