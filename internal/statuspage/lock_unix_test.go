//go:build unix

package statuspage

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

func TestLockDirHoldsAFileLock(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	unlock := lockDir(dir)
	f, err := os.OpenFile(lockPath(dir), os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("no lock file: %v", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); !errors.Is(err, syscall.EWOULDBLOCK) {
		t.Fatalf("a second writer got the lock while the first held it: %v", err)
	}
	unlock()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatalf("the lock is still held after unlock: %v", err)
	}
	if lockPath(dir) == lockPath(t.TempDir()) {
		t.Error("two directories share a lock")
	}
}
