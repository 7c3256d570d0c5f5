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
// No process keeps the lock longer than its transaction needs: a Store holds
// no handle between calls, not even for a moment after a write to make a
// burst cheaper. An earlier version kept the read-write handle for 100 ms
// after each write, and a cockpit writing every 60 ms then held the lock
// almost without a gap, so scripts in other terminals timed out.
//
// bbolt polls a busy lock every 50 ms, so a waiter only gets in when its poll
// happens to land in a gap between another process's transactions; with many
// readers or a busy writer those gaps are a few milliseconds long and the
// fixed poll keeps missing them. A Store instead retries the lock itself
// after short random sleeps (about 1 ms at first, growing to about 15 ms):
// they catch short gaps, and the randomness keeps several waiting processes
// from retrying in lockstep.
//
// Retrying only helps if the file is ever free. Twenty SSH sessions reloading
// a 10,000-entry incident overlap their reads, and a shared lock held by
// overlapping readers is never released, however briefly; the same goes for a
// long burst of writes handed from one goroutine to the next. So a Store that
// has held the lock for turnSlice (100 ms) without a break lets the calls in
// progress finish and keeps new ones back until the file has been free for
// turnGap (20 ms), longer than any waiter's sleep, so every waiting process
// gets to try the lock during the gap. That costs this process at most a
// sixth of its time, and only while it is saturated.
//
// A call waits at most LockTimeout (4 s) for the lock and then reports
// ErrLocked rather than hanging. 4 s outlasts any transaction warroom makes
// (loading a 10,000-entry incident, an import), and the bursts of them a
// busy cockpit or a room of SSH sessions produce, so a script waits them out
// instead of failing; a lock held longer than that is a stuck or foreign
// process, which a person should hear about. Within one process, writes on a
// Store take turns behind a mutex and reads run side by side (bbolt's lock
// for a read is shared), so goroutines need not spin on the file lock.
//
// # The timeline is the record
//
// An incident's status, severity, roles, ETA, cadence, tags and milestones
// are the fold of its timeline (incident.Fold): every entry that changes one
// carries the Setting it sets, and the latest of each kind wins. Folding a
// 100,000-entry timeline on every write would cost what the timeline costs,
// so two things keep it cheap:
//
//   - the fold bucket holds a copy of just the entries that set something
//     (a few hundred, however long the timeline), kept in step by putEntry on
//     every append, edit, re-time, deletion and restoration;
//   - the head (the folded fields, plus the draft and its revision) is
//     rebuilt from that bucket in the same transaction as every change to
//     such an entry, so it is always the fold; readers take the head as it
//     is and never fold. warroom check verifies head = Fold(all entries).
//
// Every edit and deletion of an entry, the draft, a retro section, the whys
// and the actions is also written to the changes bucket (who, when, before,
// after), which is how `show --json` reports changes and how a reader
// following the incident learns which earlier entries to read again.
//
// Texts several people edit (the draft, retro sections) carry a revision;
// an Edit names the revision it was made on, and one made on a stale copy
// is merged (incident.Merge3) with the newer text instead of replacing it.
//
// # Reading without holding the lock
//
// Reads copy the bytes they need out of the transaction and decode them
// after it, so the file is locked no longer than the copy takes. A Snapshot
// returns a Cursor (the transaction, the last entry id and the last change
// seen); Since(cursor) then reads only what came after it: entries with
// later ids (ids follow recording order), the entries named by later
// changes, and the small head, retro and updates. A cockpit follows other
// processes at the cost of what changed, not of the timeline, and the
// cockpits one commit wakes (a room's SSH sessions) share one such read
// (see since.go).
//
// # Change notification
//
// Every commit bumps the transaction id in the bbolt meta pages. Stamp reads
// it (with the file's modification time and size) without taking the lock;
// the cockpit reads a delta when it differs from the cursor's. It looks at
// the stamp when a Subscription wakes it (at once after a commit by this
// process, through fsnotify after one by another; see watch.go) and every
// second in case a notification never comes, all without any daemon.
// Its own writes return their transaction id, so a write that nobody else
// interleaved with (a half-typed line kept) triggers no read at all.
//
// # Layout (schema 3)
//
//	meta/schema                     schema version (uint64)
//	incidents/<id>/head             the folded fields, draft and revision (JSON; no entries, updates or retro)
//	incidents/<id>/retro            retro as JSON (sections carry revisions)
//	incidents/<id>/entries/<at><id> entries keyed by time then id, so a cursor walks the timeline in order
//	incidents/<id>/entry_ids/<id>   entry id -> its key in entries
//	incidents/<id>/fold/<at><id>    copies of the entries that set a field, for the fold
//	incidents/<id>/changes/<seq>    the change record
//	incidents/<id>/updates/<id>     public updates
//	incidents/<id>/ui/<name>        per-user state that must survive a quit (half-typed lines, forms, presence)
//	incidents/<id>/keys/<key>       idempotency key (warroom log --id) -> id of the entry that recorded it; made with the first key
//	summaries/<id>                  what list, stats and search read of each incident, kept in step by every write (schema 5; see summary.go)
//	entry_text/<id><entry key>      the folded text of a run of an incident's timeline, for search (schema 5; see textindex.go)
//
// Ids come from NextSequence and are stored as 8-byte big-endian keys.
// Every JSON record ends in a checksum of its key and JSON (schema 3; see
// checksum.go), which warroom check verifies.
// Schema 1 kept the fields beside the timeline; migrating reads each old
// entry's setting back from its text (incident.Backfill) without removing
// or re-keying any entry.
package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	mathrand "math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
	bolterrors "go.etcd.io/bbolt/errors"
)

// LockTimeout bounds how long any call waits for another process's lock. It
// is long enough for a script to wait out a busy cockpit (see the package
// comment) and short enough that a stuck lock is reported, not waited on.
const LockTimeout = 4 * time.Second

// lockProbe is the bolt.Open timeout for one try at the lock. bbolt gives
// up after its first failed try when the timeout is below its 50 ms poll
// interval, so this turns bolt.Open into a single non-blocking attempt and
// leaves the waiting to openDB. (A timeout of 0 would wait forever.)
const lockProbe = time.Nanosecond

// Bounds of the random sleep between tries at a busy lock: short enough to
// catch the few milliseconds between another process's transactions.
const (
	lockRetryMin = time.Millisecond
	lockRetryMax = 15 * time.Millisecond
)

// After holding the lock for turnSlice without a break, a Store leaves the
// file free for turnGap; the gap outlasts lockRetryMax so that every process
// waiting for the lock tries it at least once while it is free.
const (
	turnSlice = 100 * time.Millisecond
	turnGap   = lockRetryMax + 5*time.Millisecond
)

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 5

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
	ErrNoFile    = errors.New("no database")
	errNoChanges = errors.New("no changes")
)

// Store is a handle on one database file. It is safe for concurrent use by
// goroutines and by other processes.
type Store struct {
	path string

	// mu lets this process's writes take turns (and waiting writes go
	// before new reads) instead of all spinning on the file lock, which
	// would starve each other as they starve other processes. Reads share
	// it: bbolt locks the file shared for them anyway.
	mu sync.RWMutex

	// unchecked is set by OpenDeferred until a transaction has checked
	// the schema (and migrated it) as its first step.
	unchecked atomic.Bool

	// lockBudget overrides LockTimeout when not zero, so tests need not
	// wait seconds to see a lock reported.
	lockBudget time.Duration

	// How long this Store has held the file lock without a break, so it
	// can give other processes a turn (see awaitTurn).
	turnMu    sync.Mutex
	held      int       // open handles, each holding the lock
	busySince time.Time // when the current stretch of holding began
	lastFree  time.Time // when the last handle closed

	// hub wakes this process's readers after each commit (see watch.go).
	hub hub

	// deltas keeps the last delta read of each incident, shared by the
	// readers one commit wakes (see since.go).
	deltas deltaMemo

	// groups queues the writes that may share a transaction (group.go).
	groups writeGroups
}

// Open prepares the database at path, creating it (0600, in a 0700
// directory) if it does not exist, and migrating its schema. An existing file
// that is not a warroom database is reported and never modified.
func Open(path string) (*Store, error) {
	s, exists, err := prepare(path)
	if err != nil {
		return nil, err
	}
	if !exists {
		if err := createWhole(path); err != nil {
			return nil, err
		}
		// Another process may have created it first, at an older
		// schema: go on as for any existing file.
	}
	// Only write when the schema needs it, so a database that is already
	// current is opened read-only and left untouched.
	var version uint64
	if err := s.view(func(tx *bolt.Tx) error {
		var err error
		version, err = s.schemaOf(tx)
		return err
	}); err != nil {
		return nil, err
	}
	if version < SchemaVersion {
		if err := s.update(func(tx *bolt.Tx) error { return migrate(tx, version) }); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// OpenDeferred is Open for a process that makes one write and exits
// (warroom log): the schema check and any migration Open makes in a
// transaction of its own are made as the first step of the first
// transaction instead, so logging a line opens the file once. A file that
// is not a warroom database, or one too new, is reported by that first
// call with the same sentence Open would give.
func OpenDeferred(path string) (*Store, error) {
	s, exists, err := prepare(path)
	if err != nil {
		return nil, err
	}
	if !exists {
		return Open(path)
	}
	s.unchecked.Store(true)
	return s, nil
}

// prepare checks what is at path before bbolt opens it, creating the
// folder of a database not there yet; exists reports a file.
func prepare(path string) (s *Store, exists bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, false, fmt.Errorf("cannot create the folder for the database %s: %w", path, unwrapPath(err))
		}
		return &Store{path: path}, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("cannot read the database %s: %w", path, unwrapPath(err))
	case fi.IsDir():
		return nil, false, fmt.Errorf("the database %s is a folder; give the path of a file: %w", path, ErrNotBolt)
	case fi.Size() == 0:
		// Left by a crash while an older warroom created it: it holds
		// nothing, so it is replaced by a whole database (see create.go).
		return &Store{path: path}, false, nil
	}
	return &Store{path: path}, true, nil
}

// schemaOf reads the schema version, refusing another program's file and
// one written by a newer warroom.
func (s *Store) schemaOf(tx *bolt.Tx) (uint64, error) {
	var version uint64
	if m := tx.Bucket(bucketMeta); m != nil {
		if v := m.Get(keySchema); len(v) == 8 {
			version = binary.BigEndian.Uint64(v)
		}
	}
	if tx.Bucket(bucketIncidents) == nil && tx.Bucket(bucketMeta) == nil && len(allBuckets(tx)) > 0 {
		return 0, fmt.Errorf("the database %s belongs to another program: %w", s.path, ErrNotBolt)
	}
	if version > SchemaVersion {
		return 0, fmt.Errorf("the database %s was written by a newer warroom (schema %d); upgrade warroom: %w", s.path, version, ErrTooNew)
	}
	return version, nil
}

// OpenExisting is Open for commands that only read (list, show, search,
// stats, export, backup, check): a path with no file is reported as
// ErrNoFile rather than created, so a mistyped --db names the mistake
// instead of leaving an empty database (and its folders) behind and
// reporting that there are no incidents.
func OpenExisting(path string) (*Store, error) {
	if fi, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Mode().IsRegular() && fi.Size() == 0) {
		return nil, noFile(path)
	}
	return Open(path)
}

func noFile(path string) error {
	return fmt.Errorf("there is no warroom database at %s; check --db or WARROOM_DB, or declare an incident with warroom new: %w", path, ErrNoFile)
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
	budget := s.budget()
	start := time.Now()
	pause := lockRetryMin
	for {
		before, serr := os.Stat(s.path)
		if errors.Is(serr, fs.ErrNotExist) {
			// bbolt creates the file it opens, for reading too: a file
			// deleted or moved while warroom runs would come back empty,
			// and the next write would go into that.
			return nil, fmt.Errorf("the database %s is gone (moved or deleted while warroom was running); nothing was read or written: put it back, or open it where it is now with --db: %w", s.path, serr)
		}
		db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: lockProbe, ReadOnly: readOnly})
		if err == nil {
			if replaced(before, s.path) {
				// warroom compact put a new file in its place between
				// the open and the lock (see Compact): open that one.
				_ = db.Close()
				continue
			}
			growInSteps(db, before)
			return db, nil
		}
		if !errors.Is(err, bolterrors.ErrTimeout) {
			return nil, s.explainOpen(err)
		}
		left := budget - time.Since(start)
		if left <= 0 {
			return nil, s.explainOpen(err)
		}
		// A random sleep in [lockRetryMin, pause], pause growing by half
		// each try up to lockRetryMax: waiters spread out instead of
		// retrying together, and a long wait costs few tries.
		sleep := lockRetryMin + mathrand.N(pause-lockRetryMin+1)
		pause = min(pause+pause/2+time.Millisecond, lockRetryMax)
		time.Sleep(min(sleep, left))
	}
}

func (s *Store) budget() time.Duration {
	if s.lockBudget > 0 {
		return s.lockBudget
	}
	return LockTimeout
}

func (s *Store) explainOpen(err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("the database %s is locked by another process for over %s; close other warroom processes or try again: %w", s.path, s.budget(), ErrLocked)
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

// view runs fn in a read-only transaction on a freshly opened read-only
// handle, closed before it returns so the shared lock lasts no longer than fn.
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	if s.unchecked.Load() {
		// The first call of a deferred Store checks the schema; one that
		// needs migrating is migrated by a write first.
		var version uint64
		err := s.viewChecked(func(tx *bolt.Tx) error {
			var err error
			if version, err = s.schemaOf(tx); err != nil || version < SchemaVersion {
				return err
			}
			s.unchecked.Store(false)
			return fn(tx)
		})
		if err != nil || !s.unchecked.Load() {
			return err
		}
		if err := s.update(func(tx *bolt.Tx) error { return errNoChanges }); err != nil {
			return err
		}
	}
	return s.viewChecked(fn)
}

// viewChecked is view once the schema is known to be current.
func (s *Store) viewChecked(fn func(tx *bolt.Tx) error) (err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.awaitTurn()
	defer s.recoverCorrupt(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db, err := s.openDB(true)
	if err != nil {
		return err
	}
	s.took()
	defer s.released()
	defer db.Close()
	return db.View(fn)
}

// update runs fn in one read-write transaction on a freshly opened handle,
// closed before it returns; when it returns nil the change is on disk.
func (s *Store) update(fn func(tx *bolt.Tx) error) (err error) {
	// Deferred first, so it runs last: readers woken by the commit find
	// the file lock and the mutex free.
	committed := false
	defer func() {
		if committed {
			s.committed()
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.awaitTurn()
	defer s.recoverCorrupt(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db, err := s.openDB(false)
	if err != nil {
		return err
	}
	s.took()
	defer s.released()
	defer db.Close()
	checked := false
	err = db.Update(func(tx *bolt.Tx) (err error) {
		// The uids gathered in this transaction go in before it commits.
		defer func() {
			if ferr := flushUIDs(tx, err != nil); err == nil {
				err = ferr
			}
			// After the uids: the summaries read what the write left.
			if ferr := flushSummaries(tx, err != nil); err == nil {
				err = ferr
			}
		}()
		if !s.unchecked.Load() {
			return fn(tx)
		}
		version, err := s.schemaOf(tx)
		if err != nil {
			return err
		}
		if version == SchemaVersion {
			checked = true
			return fn(tx)
		}
		if err := migrate(tx, version); err != nil {
			return err
		}
		checked = true
		// The migration is kept even when fn changes nothing.
		if err := fn(tx); !errors.Is(err, errNoChanges) {
			return err
		}
		return nil
	})
	if checked && (err == nil || errors.Is(err, errNoChanges)) {
		s.unchecked.Store(false)
	}
	committed = err == nil
	if errors.Is(err, errNoChanges) {
		return nil
	}
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("the disk holding %s is full, so nothing was saved; free some space and try again: %w", s.path, ErrDiskFull)
	}
	return err
}

// awaitTurn holds a call back while this Store has held the file lock for
// longer than turnSlice without a break: until the handles open now have
// closed and the file has then been free for turnGap.
func (s *Store) awaitTurn() {
	for {
		s.turnMu.Lock()
		wait := s.turnWaitLocked(time.Now())
		s.turnMu.Unlock()
		if wait <= 0 {
			return
		}
		time.Sleep(wait)
	}
}

func (s *Store) turnWaitLocked(now time.Time) time.Duration {
	if s.held > 0 {
		if now.Sub(s.busySince) > turnSlice {
			return time.Millisecond // poll until the calls in progress end
		}
		return 0
	}
	if free := now.Sub(s.lastFree); free < turnGap && s.lastFree.Sub(s.busySince) > turnSlice {
		return turnGap - free
	}
	return 0
}

// took records that a handle now holds the lock. A gap shorter than turnGap
// does not end a stretch: no other process can count on getting in then.
func (s *Store) took() {
	s.turnMu.Lock()
	defer s.turnMu.Unlock()
	if now := time.Now(); s.held == 0 && now.Sub(s.lastFree) >= turnGap {
		s.busySince = now
	}
	s.held++
}

// released records that a handle has closed and so let go of the lock.
func (s *Store) released() {
	s.turnMu.Lock()
	defer s.turnMu.Unlock()
	if s.held--; s.held == 0 {
		s.lastFree = time.Now()
	}
}

// Close stops the file watcher, if one is running; a Store holds no
// database handle between calls, so nothing else needs closing.
func (s *Store) Close() error {
	s.hub.stop()
	return nil
}

// recoverCorrupt turns the panics bbolt raises on damaged pages into an error.
//
// A damaged element header can also send bbolt to read past the end of the
// mmap. That is a memory fault, which the runtime treats as fatal (a crash
// with a stack trace) unless the goroutine has asked for a panic instead, so
// view and update run their transaction with debug.SetPanicOnFault on: the
// fault then arrives here as a runtime.Error like any other damage. Opening
// is covered too: a read-write open reads the freelist.
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

// entryKey orders entries by when they happened, then by the clock of the
// operation that added them (the same on every copy), then by id. Times
// before 1970 are clamped; nobody backdates that far.
func entryKey(e incident.Entry) []byte {
	b := make([]byte, 24)
	ns := e.At.UnixNano()
	if ns < 0 {
		ns = 0
	}
	binary.BigEndian.PutUint64(b, uint64(ns))
	binary.BigEndian.PutUint64(b[8:], e.Seq)
	binary.BigEndian.PutUint64(b[16:], uint64(e.ID))
	return b
}

// NewUID is a fresh globally unique id (96 random bits in hex), as the
// store gives incidents, entries and updates; the TUI names retro items and
// review comments with it too, so a teammate's copy merges by it.
func NewUID() string {
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
	return packIncident(b, idKey(id)), nil
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

// putJSON stores v as JSON sealed with its checksum (see checksum.go).
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, appendSeal(data, key))
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
	st, err := s.fileStamp()
	return st.Stamp, err
}

// fileStamp is Stamp with the file's identity, which tells a file put in
// the database's place (warroom compact, a backup copied back) from the
// one read before even when their transaction ids, times and sizes agree.
func (s *Store) fileStamp() (fileStamp, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return fileStamp{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fileStamp{}, err
	}
	st := Stamp{ModTime: fi.ModTime(), Size: fi.Size()}
	st.TxID = readTxID(f, 0)
	var buf [4]byte
	if _, err := f.ReadAt(buf[:], metaPageSizeOffset); err == nil {
		if ps := int64(binary.LittleEndian.Uint32(buf[:])); ps >= 512 && ps <= 1<<16 {
			st.TxID = max(st.TxID, readTxID(f, ps))
		}
	}
	return fileStamp{Stamp: st, file: fi}, nil
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
	for _, sentinel := range []error{ErrLocked, ErrNotFound, ErrCorrupt, ErrNotBolt, ErrReadOnly, ErrTooNew, ErrDiskFull, ErrNoFile} {
		if errors.Is(err, sentinel) {
			msg = strings.TrimSuffix(msg, ": "+sentinel.Error())
		}
	}
	return msg
}
