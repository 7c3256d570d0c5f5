package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// A database is created whole. bbolt creates its file in place and writes
// its first pages after that, so a crash (or kill -9) during the very first
// write used to leave a 0-byte file that every later command refused. Now
// the new database is built in a temporary file beside the final one (so
// the rename stays on one file system): bbolt's pages, the buckets and the
// schema version, committed and fsynced; then it is linked into place,
// which fails rather than replace a database another process created
// meanwhile, and the folder is fsynced so the name survives a crash too. A
// crash leaves no file, or a whole one (and at worst a stray temporary
// file, named so it is plainly warroom's).
//
// A 0-byte file is what such a crash left with an older warroom: it holds
// nothing, so it is treated as absent and replaced by a whole database.

// beforePlace, when set (by tests), runs when the new database is whole in
// its temporary file and not yet in place: the moment a crash tests.
var beforePlace func(tmp string)

// createWhole makes a new, fully initialised database at path. It returns
// nil, too, when another process created the file first.
func createWhole(path string) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*")
	if err != nil {
		return fmt.Errorf("cannot create the database %s: %w", path, unwrapPath(err))
	}
	name := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(name) // after the link, only the temporary name goes
	// bbolt writes its first pages only into an empty file.
	if err := os.Chmod(name, 0o600); err != nil {
		return fmt.Errorf("cannot create the database %s: %w", path, unwrapPath(err))
	}
	db, err := bolt.Open(name, 0o600, &bolt.Options{Timeout: lockProbe})
	if err != nil {
		return fmt.Errorf("cannot create the database %s: %w", path, unwrapPath(err))
	}
	err = db.Update(func(tx *bolt.Tx) error { return migrate(tx, 0) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot create the database %s: %w", path, err)
	}
	if err := fsyncPath(name); err != nil {
		return fmt.Errorf("cannot create the database %s: %w", path, unwrapPath(err))
	}
	if beforePlace != nil {
		beforePlace(name)
	}
	if err := placeNew(name, path); err != nil {
		return err
	}
	if err := syncDirectory(dir); err != nil {
		return fmt.Errorf("cannot flush the folder of the new database %s: %w", path, unwrapPath(err))
	}
	return nil
}

// placeNew puts the whole database name at path: linked when nothing is
// there (never replacing another process's new database), renamed over a
// 0-byte file left by a crash.
func placeNew(name, path string) error {
	err := os.Link(name, path)
	if err == nil || !errors.Is(err, fs.ErrExist) {
		if err != nil {
			// A file system without hard links: rename, which is
			// atomic too; only a racing creator's file could be replaced.
			if _, serr := os.Stat(path); errors.Is(serr, fs.ErrNotExist) {
				err = os.Rename(name, path)
			}
		}
		if err != nil {
			return fmt.Errorf("cannot create the database %s: %w", path, unwrapPath(err))
		}
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != 0 || !fi.Mode().IsRegular() {
		return nil // another process created it: use theirs
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("cannot replace the empty database file %s: %w", path, unwrapPath(err))
	}
	return nil
}

// fsyncPath flushes the file at name (bbolt syncs its data on commit;
// this also covers its size and mode).
func fsyncPath(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
