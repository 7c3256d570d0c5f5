// Package store keeps incidents in one bbolt file.
//
// # Sharing the file between processes
//
// bbolt takes an exclusive lock on its file for as long as a writer keeps it
// open. A cockpit left open for hours would then lock out `warroom log` in
// another terminal, a script, or a second cockpit. So a Store does not keep
// the database open: every call opens the file, runs exactly one transaction
// and closes it again, holding the lock for a few milliseconds. Opening a
// bbolt file is cheap (a lock, two meta pages and an mmap; nothing is read
// in proportion to its size), and the cost is small beside the two fsyncs a
// durable commit needs anyway; BenchmarkAppendEntry keeps that honest against
// a raw bbolt Put.
//
// The alternative, forwarding writes to the running process over a unix
// socket, would make every script depend on whichever process happens to own
// the file, and a crashed owner would strand the rest. Short transactions
// keep every process equal and the file the only source of truth.
//
// No call waits more than LockTimeout for the lock; a lock still held after
// that is reported as ErrLocked rather than hanging.
//
// # Change notification
//
// Every commit rewrites the file, so its modification time and size change.
// Stamp reads them with one stat call; the cockpit polls it (see Watch) and
// reloads when it differs, which shows other processes' writes within a
// second without any daemon.
//
// # Layout
//
//	meta/schema                    schema version (uint64)
//	incidents/<id>/head            incident fields as JSON (no entries, updates or retro)
//	incidents/<id>/retro           retro as JSON
//	incidents/<id>/entries/<at><id> entries keyed by time then id, so a cursor walks the timeline in order
//	incidents/<id>/entry_ids/<id>  entry id -> its key in entries
//	incidents/<id>/updates/<id>    public updates
//	incidents/<id>/ui/<name>       per-user state that must survive a quit (half-typed lines)
//
// Ids come from NextSequence and are stored as 8-byte big-endian keys.
package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// LockTimeout bounds how long any call waits for another process's lock.
const LockTimeout = time.Second

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 1

var (
	bucketMeta      = []byte("meta")
	bucketIncidents = []byte("incidents")
	bucketEntries   = []byte("entries")
	bucketEntryIDs  = []byte("entry_ids")
	bucketUpdates   = []byte("updates")
	bucketUI        = []byte("ui")
	keySchema       = []byte("schema")
	keyHead         = []byte("head")
	keyRetro        = []byte("retro")
)

// Errors a caller can tell apart. Each wraps into a sentence a person can act on.
var (
	ErrLocked    = errors.New("locked by another process")
	ErrNotFound  = errors.New("not found")
	ErrCorrupt   = errors.New("damaged")
	ErrNotBolt   = errors.New("not a warroom database")
	ErrReadOnly  = errors.New("not writable")
	ErrTooNew    = errors.New("written by a newer warroom")
	ErrDiskFull  = errors.New("disk full")
	errNoChanges = errors.New("no changes")
)

// Store is a handle on one database file. It is safe for concurrent use by
// goroutines and by other processes.
type Store struct {
	path string

	// After a write the read-write handle stays open for idleClose, so a
	// burst of writes (a paste of many lines, an import) pays for opening
	// the file once. Other processes wait at most that long for the lock.
	mu    sync.Mutex
	db    *bolt.DB
	timer *time.Timer
}

// idleClose is how long a read-write handle outlives its last write.
const idleClose = 100 * time.Millisecond

// Open prepares the database at path, creating it (0600, in a 0700
// directory) if it does not exist, and migrating its schema. An existing file
// that is not a warroom database is reported and never modified.
func Open(path string) (*Store, error) {
	s := &Store{path: path}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the folder for the database %s: %w", path, unwrapPath(err))
		}
	case err != nil:
		return nil, fmt.Errorf("cannot read the database %s: %w", path, unwrapPath(err))
	case fi.IsDir():
		return nil, fmt.Errorf("the database %s is a folder; give the path of a file: %w", path, ErrNotBolt)
	case fi.Size() == 0:
		return nil, fmt.Errorf("the database %s is an empty file; delete it or choose another path: %w", path, ErrNotBolt)
	}
	// Only write when the schema needs it, so a database that is already
	// current is opened read-only and left untouched.
	var version uint64
	needsInit := err != nil
	if !needsInit {
		err = s.view(func(tx *bolt.Tx) error {
			if m := tx.Bucket(bucketMeta); m != nil {
				if v := m.Get(keySchema); len(v) == 8 {
					version = binary.BigEndian.Uint64(v)
				}
			}
			if tx.Bucket(bucketIncidents) == nil && tx.Bucket(bucketMeta) == nil && len(allBuckets(tx)) > 0 {
				return fmt.Errorf("the database %s belongs to another program: %w", path, ErrNotBolt)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if version > SchemaVersion {
			return nil, fmt.Errorf("the database %s was written by a newer warroom (schema %d); upgrade warroom: %w", path, version, ErrTooNew)
		}
	}
	if needsInit || version < SchemaVersion {
		if err := s.update(func(tx *bolt.Tx) error { return migrate(tx, version) }); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func allBuckets(tx *bolt.Tx) [][]byte {
	var names [][]byte
	_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		names = append(names, append([]byte(nil), name...))
		return nil
	})
	return names
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) openDB(readOnly bool) (*bolt.DB, error) {
	if !readOnly {
		if fi, err := os.Stat(s.path); err == nil && fi.Mode().Perm()&0o200 == 0 {
			return nil, fmt.Errorf("the database %s is read-only (mode %v); make it writable with chmod u+w: %w", s.path, fi.Mode().Perm(), ErrReadOnly)
		}
	}
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly})
	if err != nil {
		return nil, s.explainOpen(err)
	}
	return db, nil
}

func (s *Store) explainOpen(err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("the database %s is locked by another process for over %s; close other warroom processes or try again: %w", s.path, LockTimeout, ErrLocked)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch):
		return fmt.Errorf("the file %s is not a warroom database; choose another path with --db: %w", s.path, ErrNotBolt)
	case errors.Is(err, bolterrors.ErrChecksum):
		return fmt.Errorf("the database %s is damaged (checksum error); restore a backup or run warroom check: %w", s.path, ErrCorrupt)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return fmt.Errorf("the database %s is not writable; check its permissions: %w", s.path, ErrReadOnly)
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("the disk holding %s is full; free some space and try again: %w", s.path, ErrDiskFull)
	}
	return fmt.Errorf("cannot open the database %s (%v); it may be truncated or damaged, run warroom check: %w", s.path, err, ErrCorrupt)
}

// view runs fn in a read-only transaction: on the open read-write handle
// if a write just happened, else on a freshly opened read-only one.
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db != nil {
		defer s.recoverCorrupt(&err)
		return s.db.View(fn)
	}
	db, err := s.openDB(true)
	if err != nil {
		return err
	}
	defer db.Close()
	defer s.recoverCorrupt(&err)
	return db.View(fn)
}

// update runs fn in one read-write transaction; when it returns nil the
// change is on disk.
func (s *Store) update(fn func(tx *bolt.Tx) error) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		if s.db, err = s.openDB(false); err != nil {
			return err
		}
	}
	db := s.db
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(idleClose, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.db == db {
			s.closeLocked()
		}
	})
	defer func() {
		if err != nil {
			// Do not keep a handle that just failed (full disk, damage).
			s.closeLocked()
		}
	}()
	defer s.recoverCorrupt(&err)
	err = db.Update(fn)
	if errors.Is(err, errNoChanges) {
		return nil
	}
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("the disk holding %s is full, so nothing was saved; free some space and try again: %w", s.path, ErrDiskFull)
	}
	return err
}

func (s *Store) closeLocked() {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if s.db != nil {
		_ = s.db.Close()
		s.db = nil
	}
}

// Close releases the file at once instead of after the idle delay.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeLocked()
	return nil
}

// recoverCorrupt turns the panics bbolt raises on damaged pages into an error.
func (s *Store) recoverCorrupt(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("the database %s is damaged (%v); run warroom check and restore a backup: %w", s.path, r, ErrCorrupt)
	}
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func idKey(id int64) []byte { return u64(uint64(id)) }

// entryKey orders entries by when they happened, then by id. Times before
// 1970 are clamped; nobody backdates that far.
func entryKey(at time.Time, id int64) []byte {
	b := make([]byte, 16)
	ns := at.UnixNano()
	if ns < 0 {
		ns = 0
	}
	binary.BigEndian.PutUint64(b, uint64(ns))
	binary.BigEndian.PutUint64(b[8:], uint64(id))
	return b
}

func newUID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func incidentNotFound(id int64) error {
	return fmt.Errorf("incident INC-%d does not exist; run warroom list --all to see them: %w", id, ErrNotFound)
}

// incidentBucket returns the bucket of one incident, or ErrNotFound.
func incidentBucket(tx *bolt.Tx, id int64) (*bolt.Bucket, error) {
	root := tx.Bucket(bucketIncidents)
	if root == nil {
		return nil, incidentNotFound(id)
	}
	b := root.Bucket(idKey(id))
	if b == nil {
		return nil, incidentNotFound(id)
	}
	return b, nil
}

func getJSON(b *bolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return nil
	}
	// json.Unmarshal copies what it keeps, so nothing refers to the mmap
	// after the transaction.
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("a record is damaged (%v); run warroom check: %w", err, ErrCorrupt)
	}
	return nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// Stamp identifies a version of the database file.
type Stamp struct {
	TxID    uint64 // the newest committed transaction
	ModTime time.Time
	Size    int64
}

// Stamp returns the file's current stamp; a different stamp means another
// commit happened. It reads the two bbolt meta pages without taking the
// lock: the transaction id in them changes on every commit, even when two
// commits land within one tick of the file system's modification time.
func (s *Store) Stamp() (Stamp, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return Stamp{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Stamp{}, err
	}
	st := Stamp{ModTime: fi.ModTime(), Size: fi.Size()}
	st.TxID = readTxID(f, 0)
	var buf [4]byte
	if _, err := f.ReadAt(buf[:], metaPageSizeOffset); err == nil {
		if ps := int64(binary.LittleEndian.Uint32(buf[:])); ps >= 512 && ps <= 1<<16 {
			st.TxID = max(st.TxID, readTxID(f, ps))
		}
	}
	return st, nil
}

// Offsets in a bbolt meta page: a 16-byte page header, then magic, version,
// page size, flags, root bucket (16), freelist, high-water page id, txid.
const (
	metaPageSizeOffset = 16 + 8
	metaTxIDOffset     = 16 + 48
)

func readTxID(f *os.File, page int64) uint64 {
	var buf [8]byte
	if _, err := f.ReadAt(buf[:], page+metaTxIDOffset); err != nil {
		return 0
	}
	return binary.LittleEndian.Uint64(buf[:])
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Message is err as a person should read it: the sentence without the
// sentinel that code matches on (": locked by another process" and such).
func Message(err error) string {
	msg := err.Error()
	for _, sentinel := range []error{ErrLocked, ErrNotFound, ErrCorrupt, ErrNotBolt, ErrReadOnly, ErrTooNew, ErrDiskFull} {
		if errors.Is(err, sentinel) {
			msg = strings.TrimSuffix(msg, ": "+sentinel.Error())
		}
	}
	return msg
}
