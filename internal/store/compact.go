package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Space is how much of the database file its records use.
type Space struct {
	// File is the file's size on disk.
	File int64
	// InUse is the bytes the B+tree's pages hold (keys, values and page
	// headers): what a compacted copy needs at least.
	InUse int64
}

// Ratio is the file's size over the bytes in use: about what warroom
// compact would shrink it by (a compacted copy also has a few meta and
// free pages and no page is filled to the byte, so the true ratio to a
// compacted copy is a little lower).
func (sp Space) Ratio() float64 {
	if sp.InUse <= 0 {
		return 0
	}
	return float64(sp.File) / float64(sp.InUse)
}

// spaceOf measures the file of tx.
func spaceOf(tx *bolt.Tx, path string) Space {
	var sp Space
	if fi, err := os.Stat(path); err == nil {
		sp.File = fi.Size()
	}
	_ = tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
		st := b.Stats()
		sp.InUse += int64(st.BranchInuse + st.LeafInuse)
		return nil
	})
	// The root's own leaf (the names of the top-level buckets) and the two
	// meta pages.
	sp.InUse += 3 * int64(tx.DB().Info().PageSize)
	return sp
}

// Space measures the database file (see Space).
func (s *Store) Space() (Space, error) {
	var sp Space
	err := s.view(func(tx *bolt.Tx) error {
		sp = spaceOf(tx, s.path)
		return nil
	})
	return sp, err
}

// Compacted is what Compact did.
type Compacted struct {
	Before, After int64 // the file's size
}

// compactTxBytes bounds each transaction of the copy, so that compacting a
// large file does not hold all of it in memory at once.
const compactTxBytes = 16 << 20

// compactAllocSize is the copy's growth step: the file grows once per
// commit of the copy, to what it needs and this much more.
const compactAllocSize = 1 << 20

// Compact writes the database anew with every page filled (bbolt's Compact)
// and puts the copy in the file's place. The file's write lock is held
// throughout, so no other process writes meanwhile; the copy is made under
// a new name in the same folder, synced, checked to hold as many keys as
// the original, and only then renamed over it (and the folder synced). On
// any failure the copy is removed and the original stays as it was.
//
// A process that opened the old file just before the rename and takes its
// lock just after finds that the path names another file and opens it
// again (see openDB), so nothing is written to the file that was replaced.
func (s *Store) Compact() (Compacted, error) {
	var out Compacted
	s.mu.Lock()
	defer s.mu.Unlock()
	s.awaitTurn()
	db, err := s.openDB(false)
	if err != nil {
		return out, err
	}
	s.took()
	defer s.released()
	defer db.Close()
	fi, err := os.Stat(s.path)
	if err != nil {
		return out, fmt.Errorf("cannot read the database %s: %w", s.path, unwrapPath(err))
	}
	out.Before = fi.Size()
	tmp := filepath.Join(filepath.Dir(s.path), "."+filepath.Base(s.path)+".compact")
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return out, fmt.Errorf("cannot remove %s, left by an earlier compaction: %w", tmp, unwrapPath(err))
	}
	fail := func(err error) (Compacted, error) {
		_ = os.Remove(tmp)
		return Compacted{Before: out.Before}, fmt.Errorf("cannot compact %s (%v); the database is as it was: %w", s.path, unwrapPath(err), errCompact)
	}
	dst, err := bolt.Open(tmp, fi.Mode().Perm(), &bolt.Options{Timeout: lockProbe})
	if err != nil {
		return fail(err)
	}
	dst.AllocSize = compactAllocSize
	if err := bolt.Compact(dst, db, compactTxBytes); err != nil {
		_ = dst.Close()
		return fail(err)
	}
	want, got := keyCount(db), keyCount(dst)
	if err := dst.Close(); err != nil {
		return fail(err)
	}
	if want != got {
		return fail(fmt.Errorf("the copy holds %d keys where the database holds %d", got, want))
	}
	// Each commit of the copy was synced; this covers its growth too.
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return fail(err)
	}
	if err := syncFile(f); err != nil {
		_ = f.Close()
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if ti, err := os.Stat(tmp); err == nil {
		out.After = ti.Size()
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fail(err)
	}
	if err := syncDir(filepath.Dir(s.path)); err != nil {
		// The new name may not be durable yet; both files are whole
		// databases, so either is a good one to find after a crash.
		return out, fmt.Errorf("compacted %s, but its folder could not be synced (%v); check the disk", s.path, unwrapPath(err))
	}
	return out, nil
}

var errCompact = errors.New("not compacted")

// keyCount counts every key and bucket of db, nested ones included.
func keyCount(db *bolt.DB) int {
	n := 0
	_ = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			st := b.Stats()
			n += 1 + st.KeyN
			return nil
		})
	})
	return n
}
