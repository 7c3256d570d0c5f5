//go:build unix

package sync

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockRepo keeps two syncs from working in one repository at once (a
// cron job and a person, say): each would commit and merge over the
// other's half-done work. The lock is flock(2) on a file in .git, so the
// kernel drops it when a sync dies, even by kill -9; nothing stale is left.
func lockRepo(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, ".git", "warroom-sync.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot lock the repository %s for the sync: %v", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another warroom sync is running in %s; wait for it to finish and run warroom sync again", dir)
		}
		return nil, fmt.Errorf("cannot lock the repository %s for the sync: %v", dir, err)
	}
	return func() { f.Close() }, nil
}
