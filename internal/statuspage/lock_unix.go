//go:build unix

package statuspage

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"syscall"
)

// lockPath is the lock file of the page in dir: in the cache directory,
// not in dir, which a web server serves.
func lockPath(dir string) string {
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(cache, "warroom", "status-page-"+hex.EncodeToString(sum[:8])+".lock")
}

// lockDir keeps the writers of one page in different processes (a
// cockpit, the SSH room, a script's warroom log) in turn, as dirLocks
// does within one: each reads the store after the one before it wrote.
// The lock is flock(2), which the kernel drops when a process dies. It is
// best effort: without a cache directory the page is written unlocked,
// as the worst that can happen is a page one publish behind until the
// next.
func lockDir(dir string) (unlock func()) {
	path := lockPath(dir)
	if path == "" || os.MkdirAll(filepath.Dir(path), 0o700) != nil {
		return func() {}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return func() {}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return func() {}
	}
	return func() { f.Close() }
}
