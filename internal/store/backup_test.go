package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestBackupIsSyncedBeforeItIsDone(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "x")
	dir := t.TempDir()
	var calls []string
	origFile, origDir := syncFile, syncDir
	t.Cleanup(func() { syncFile, syncDir = origFile, origDir })
	syncFile = func(f *os.File) error {
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		calls = append(calls, "file "+f.Name())
		if fi.Size() == 0 {
			t.Error("the file was synced before it was written")
		}
		return f.Sync()
	}
	syncDir = func(d string) error {
		calls = append(calls, "dir "+d)
		return syncDirectory(d)
	}
	p := filepath.Join(dir, "backup.db")
	if err := s.Backup(p); err != nil {
		t.Fatal(err)
	}
	if want := []string{"file " + p, "dir " + dir}; strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Fatalf("syncs %q, want %q", calls, want)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup %v, mode %v", err, fi)
	}
	if rep, err := CheckFile(p); err != nil || !rep.OK() || rep.Incidents != 1 {
		t.Fatalf("the backup does not check: %v %+v", err, rep)
	}
	if err := s.Backup(p); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("a second backup to the same file: %v", err)
	}

	// A backup that cannot be made durable is no backup: it is reported
	// and removed.
	for name, spoil := range map[string]func(){
		"file": func() { syncFile = func(*os.File) error { return syscall.EIO } },
		"dir":  func() { syncFile, syncDir = origFile, func(string) error { return syscall.EIO } },
	} {
		spoil()
		q := filepath.Join(dir, "failed-"+name+".db")
		err := s.Backup(q)
		if !errors.Is(err, syscall.EIO) && (err == nil || !strings.Contains(err.Error(), "so there is none")) {
			t.Errorf("%s sync failing: %v", name, err)
		}
		if _, err := os.Stat(q); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s sync failing left a file behind: %v", name, err)
		}
	}
}
