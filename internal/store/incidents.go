package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// CreateIncident stores a new incident, assigning its id and uid, and logs
// the declaration on its timeline: the entry the fold of the timeline
// starts from. It returns the stored incident.
func (s *Store) CreateIncident(inc *incident.Incident, author string) (*incident.Incident, error) {
	// The roles are set by the caller after NewIncident (--lead, the
	// declare form), so the limits of typing are held here.
	if err := incident.CheckDeclaration(inc); err != nil {
		return nil, err
	}
	var out *incident.Incident
	err := s.update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketIncidents)
		seq, err := root.NextSequence()
		if err != nil {
			return err
		}
		head := *inc
		head.ID = int64(seq)
		if head.UID == "" {
			head.UID = NewUID()
		}
		head.Entries, head.Updates, head.Changes = nil, nil, nil
		b, err := createIncidentBucket(root, head.ID)
		if err != nil {
			return err
		}
		if err := indexUID(tx, head.UID, head.ID); err != nil {
			return err
		}
		sections := head.Retro.Sections
		head.Retro = incident.Retro{}
		head.Draft, head.DraftRev, head.DraftBy = "", 0, ""
		head.Updated = time.Time{}
		if err := putHead(b, &head); err != nil {
			return err
		}
		ops := []incident.Op{incident.CreateOp(head.UID, head.Created, sectionNames(sections))}
		if inc.Draft != "" {
			ops = append(ops, incident.Op{Type: incident.OpDraft, Base: incident.Str(""), Value: inc.Draft, At: head.Created})
		}
		decl := incident.DeclaredEntry(&head, author, head.Created)
		decl.UID = NewUID()
		ops = append(ops, incident.Op{Type: incident.OpEntryAdd, Entry: &decl, At: head.Created})
		if _, err := commitOps(b, ops, head.Created, author, true); err != nil {
			return err
		}
		if decl, _, err = loadEntryByUID(b, decl.UID); err != nil {
			return err
		}
		if out, err = readHead(b); err != nil {
			return err
		}
		if err := getJSON(b, keyRetro, &out.Retro); err != nil {
			return err
		}
		if err := readBack(tx, b, entryKey(decl)); err != nil {
			return s.unreadable(head.ID, err)
		}
		if err := readBackIncidents(tx, root, idKey(head.ID)); err != nil {
			return s.unreadable(head.ID, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func createIncidentBucket(root *bolt.Bucket, id int64) (*bolt.Bucket, error) {
	b, err := root.CreateBucket(idKey(id))
	if err != nil {
		return nil, err
	}
	for _, name := range incidentBuckets {
		if _, err := b.CreateBucket(name); err != nil {
			return nil, err
		}
	}
	return packIncident(b, idKey(id)), nil
}

// putHead writes the incident's own fields; entries, updates, changes and
// retro live in their own keys.
func putHead(b *bolt.Bucket, inc *incident.Incident) error {
	head := *inc
	head.Entries, head.Updates, head.Changes, head.Retro = nil, nil, nil, incident.Retro{}
	return putJSON(b, keyHead, &head)
}

func readHead(b *bolt.Bucket) (*incident.Incident, error) {
	inc := &incident.Incident{}
	if err := getJSON(b, keyHead, inc); err != nil {
		return nil, err
	}
	return inc, nil
}

// refold recomputes the head from the entries that set fields (the fold
// bucket holds a copy of each, so this reads a few hundred small records
// however long the timeline) and writes it. It is called in the same
// transaction as every change to such an entry, so the stored head is
// always the fold of the timeline.
//
// The head's updated time is the time of the newest operation (see
// touchHead and refoldAt), the same on every copy holding the same
// operations; refold leaves it.
func refold(b *bolt.Bucket) (*incident.Incident, error) {
	return refoldAt(b, time.Time{})
}

// refoldAt is refold after changes made at now: the head's updated time
// moves to now too (the time of their operations).
func refoldAt(b *bolt.Bucket, now time.Time) (*incident.Incident, error) {
	head, err := readHead(b)
	if err != nil {
		return nil, err
	}
	es, err := foldEntries(b)
	if err != nil {
		return nil, err
	}
	incident.FoldEntries(head, es)
	if now = utc(now); now.After(head.Updated) {
		head.Updated = now
	}
	return head, putHead(b, head)
}

// foldEntries reads the copies of the entries that set fields.
func foldEntries(b *bolt.Bucket) ([]incident.Entry, error) {
	fb := b.Bucket(bucketFold)
	if fb == nil {
		return nil, nil
	}
	var es []incident.Entry
	err := fb.ForEach(func(_, v []byte) error {
		var e incident.Entry
		if err := decodeEntry(v, &e); err != nil {
			return err
		}
		es = append(es, e)
		return nil
	})
	return es, err
}

// Summary is an incident's own fields with counts, for lists.
type Summary struct {
	*incident.Incident
	EntryCount int
}

// ListIncidents returns every incident's own fields (no entries), newest
// first.
func (s *Store) ListIncidents() ([]Summary, error) {
	type raw struct {
		head, retro []byte
		n           int
	}
	var raws []raw
	err := s.view(func(tx *bolt.Tx) error {
		eachIncident(tx, true, func(b *bolt.Bucket) {
			raws = append(raws, raw{bytes.Clone(b.Get(keyHead)), bytes.Clone(b.Get(keyRetro)), entryCount(b)})
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Summary, 0, len(raws))
	for _, r := range raws {
		inc := &incident.Incident{}
		if err := decodeJSON(r.head, inc); err != nil {
			return nil, err
		}
		if err := decodeJSON(r.retro, &inc.Retro); err != nil {
			return nil, err
		}
		out = append(out, Summary{Incident: inc, EntryCount: r.n})
	}
	return out, nil
}

// Incident loads one incident with its whole timeline, updates, retro and
// change record. Deleted entries are included (flagged) so callers can show
// the record.
func (s *Store) Incident(id int64) (*incident.Incident, error) {
	snap, err := s.Snapshot(id, -1)
	if err != nil {
		return nil, err
	}
	return snap.Incident, nil
}

// IncidentTail loads one incident with only its last n timeline entries, so
// the cockpit can draw a huge incident's first frame at once. Total is the
// number of entries stored.
func (s *Store) IncidentTail(id int64, n int) (inc *incident.Incident, total int, err error) {
	snap, err := s.Snapshot(id, n)
	if err != nil {
		return nil, 0, err
	}
	return snap.Incident, snap.Total, nil
}

// Snapshot is an incident as read in one transaction, with where that read
// stands so that the next read can take only what came after (see Since).
type Snapshot struct {
	Incident *incident.Incident
	// Total is the number of entries stored; Partial reports that only
	// the last ones were read.
	Total   int
	Partial bool
	Cursor  Cursor
}

// Cursor says how far a reader has read an incident: the transaction it
// read in, the newest entry id and the newest change it has seen. Entries
// take ids in the order they are recorded and every edit of an entry is a
// change, so what happened after a cursor is the entries with larger ids
// and the entries named by later changes.
type Cursor struct {
	Tx        uint64
	LastEntry int64
	LastChg   int64
}

// rawIncident is an incident's bytes copied out of a transaction, decoded
// only after the transaction (and the file lock) is released.
type rawIncident struct {
	head, retro []byte
	entries     [][]byte
	updates     [][]byte
	changes     [][]byte
	ops         [][]byte
	total       int
	cursor      Cursor
}

// Snapshot reads an incident whole (tail < 0) or with its last tail entries.
func (s *Store) Snapshot(id int64, tail int) (Snapshot, error) { return s.snapshot(id, tail, tail < 0) }

// ScreenSnapshot is Snapshot without the incident's operations: what a
// screen shows is their fold (entries, retro, draft, updates), and at
// 100,000 entries the decoded operations alone are over 40 MB that a
// cockpit would hold and never read.
func (s *Store) ScreenSnapshot(id int64, tail int) (Snapshot, error) {
	return s.snapshot(id, tail, false)
}

func (s *Store) snapshot(id int64, tail int, withOps bool) (Snapshot, error) {
	var r rawIncident
	err := s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		r = copyIncident(tx, b, tail, withOps)
		return nil
	})
	if err != nil {
		return Snapshot{}, err
	}
	inc, err := r.decode()
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{Incident: inc, Total: r.total, Partial: tail >= 0 && r.total > len(inc.Entries), Cursor: r.cursor}, nil
}

func copyIncident(tx *bolt.Tx, b *bolt.Bucket, tail int, withOps bool) rawIncident {
	r := rawIncident{
		head: bytes.Clone(b.Get(keyHead)), retro: bytes.Clone(b.Get(keyRetro)),
		total: entryCount(b),
	}
	r.cursor = Cursor{Tx: uint64(tx.ID()), LastEntry: int64(b.Bucket(bucketEntries).Sequence())}
	c := b.Bucket(bucketEntries).Cursor()
	if ob := b.Bucket(bucketOps); ob != nil && withOps {
		_ = ob.ForEach(func(_, v []byte) error {
			r.ops = append(r.ops, bytes.Clone(v))
			return nil
		})
	}
	if tail < 0 {
		// The count is the bucket's sequence, read from the file: capped,
		// so a damaged header costs an error, not an allocation of
		// gigabytes that the runtime cannot survive.
		r.entries = make([][]byte, 0, min(max(r.total, 0), 1<<16))
		for k, v := c.First(); k != nil; k, v = c.Next() {
			r.entries = append(r.entries, bytes.Clone(v))
		}
	} else {
		for k, v := c.Last(); k != nil && len(r.entries) < tail; k, v = c.Prev() {
			r.entries = append(r.entries, bytes.Clone(v))
		}
		slices.Reverse(r.entries)
	}
	_ = b.Bucket(bucketUpdates).ForEach(func(_, v []byte) error {
		r.updates = append(r.updates, bytes.Clone(v))
		return nil
	})
	if cb := b.Bucket(bucketChanges); cb != nil {
		r.cursor.LastChg = int64(cb.Sequence())
	}
	// The change record as the operations make it, in their order: the
	// same on every copy (schema 2 kept only the log).
	cb := b.Bucket(bucketOpChanges)
	if cb == nil {
		cb = b.Bucket(bucketChanges)
	}
	if cb != nil {
		_ = cb.ForEach(func(_, v []byte) error {
			r.changes = append(r.changes, bytes.Clone(v))
			return nil
		})
	}
	return r
}

func (r rawIncident) decode() (*incident.Incident, error) {
	inc := &incident.Incident{}
	if err := decodeJSON(r.head, inc); err != nil {
		return nil, err
	}
	if err := decodeJSON(r.retro, &inc.Retro); err != nil {
		return nil, err
	}
	var err error
	if inc.Entries, err = decodeEntries(r.entries); err != nil {
		return nil, err
	}
	if inc.Updates, err = decodeUpdates(r.updates); err != nil {
		return nil, err
	}
	if len(r.ops) > 0 {
		inc.Ops = make([]incident.Op, len(r.ops))
		for i, v := range r.ops {
			if err := jsonUnmarshal(v, &inc.Ops[i]); err != nil {
				return nil, fmt.Errorf("an operation is damaged (%v); run warroom check: %w", err, ErrCorrupt)
			}
		}
	}
	inc.Changes, err = decodeChanges(r.changes)
	return inc, err
}

func decodeJSON(data []byte, v any) error {
	if data == nil {
		return nil
	}
	if err := jsonUnmarshal(data, v); err != nil {
		return fmt.Errorf("a record is damaged (%v); run warroom check: %w", err, ErrCorrupt)
	}
	return nil
}

func decodeEntries(raw [][]byte) ([]incident.Entry, error) {
	out := make([]incident.Entry, len(raw))
	for i, v := range raw {
		if err := decodeEntry(v, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func decodeUpdates(raw [][]byte) ([]incident.Update, error) {
	var out []incident.Update
	for _, v := range raw {
		var u incident.Update
		if err := jsonUnmarshal(v, &u); err != nil {
			return nil, fmt.Errorf("a public update is damaged (%v); run warroom check: %w", err, ErrCorrupt)
		}
		out = append(out, u)
	}
	sortUpdates(out)
	return out, nil
}

func decodeChanges(raw [][]byte) ([]incident.Change, error) {
	var out []incident.Change
	for _, v := range raw {
		var c storedChange
		if err := jsonUnmarshal(v, &c); err != nil {
			return nil, fmt.Errorf("a change record is damaged (%v); run warroom check: %w", err, ErrCorrupt)
		}
		out = append(out, c.Change)
	}
	return out, nil
}

// Delta is what changed in an incident after a Cursor: its head, retro and
// updates as they are now (small), the entries recorded since, and the
// entries edited, re-timed, starred, deleted or restored since.
type Delta struct {
	Head    *incident.Incident // with Retro and Updates; no entries
	Added   []incident.Entry   // ids after the cursor's, in id order
	Edited  []incident.Entry   // earlier entries changed since, as they are now
	Changes []incident.Change  // the change records since
	Cursor  Cursor
}

// readSince reads what changed in an incident after cur in a transaction
// of its own (Since shares one such read among its callers). Beside the
// delta it returns the key of each change record and the entry each names
// (0 for none), so that a later cursor's part can be cut from it.
func (s *Store) readSince(id int64, cur Cursor) (d Delta, chgSeq, chgEntry []int64, err error) {
	var head, retro []byte
	var added, edited, updates [][]byte
	var changes []storedChange
	var damaged error
	var out Cursor
	err = s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		head, retro = bytes.Clone(b.Get(keyHead)), bytes.Clone(b.Get(keyRetro))
		eb, ib := b.Bucket(bucketEntries), b.Bucket(bucketEntryIDs)
		out = Cursor{Tx: uint64(tx.ID()), LastEntry: int64(eb.Sequence())}
		ic := ib.Cursor()
		for k, key := ic.Seek(idKey(cur.LastEntry + 1)); k != nil; k, key = ic.Next() {
			if v := eb.Get(key); v != nil {
				added = append(added, bytes.Clone(v))
			}
		}
		if cb := b.Bucket(bucketChanges); cb != nil {
			out.LastChg = int64(cb.Sequence())
			seen := map[int64]bool{}
			cc := cb.Cursor()
			for k, v := cc.Seek(idKey(cur.LastChg + 1)); k != nil; k, v = cc.Next() {
				var sc storedChange
				if err := jsonUnmarshal(v, &sc); err != nil {
					damaged = fmt.Errorf("a change record is damaged (%v); run warroom check: %w", err, ErrCorrupt)
					continue
				}
				changes = append(changes, sc)
				chgSeq = append(chgSeq, int64(binary.BigEndian.Uint64(k)))
				chgEntry = append(chgEntry, sc.Entry)
				if sc.Entry != 0 && sc.Entry <= cur.LastEntry && !seen[sc.Entry] {
					seen[sc.Entry] = true
					if key := ib.Get(idKey(sc.Entry)); key != nil {
						if v := eb.Get(key); v != nil {
							edited = append(edited, bytes.Clone(v))
						}
					}
				}
			}
		}
		_ = b.Bucket(bucketUpdates).ForEach(func(_, v []byte) error {
			updates = append(updates, bytes.Clone(v))
			return nil
		})
		return nil
	})
	if err == nil {
		err = damaged
	}
	if err != nil {
		return Delta{}, nil, nil, err
	}
	d = Delta{Cursor: out, Head: &incident.Incident{}}
	if err := decodeJSON(head, d.Head); err != nil {
		return Delta{}, nil, nil, err
	}
	if err := decodeJSON(retro, &d.Head.Retro); err != nil {
		return Delta{}, nil, nil, err
	}
	if d.Head.Updates, err = decodeUpdates(updates); err != nil {
		return Delta{}, nil, nil, err
	}
	if d.Added, err = decodeEntries(added); err != nil {
		return Delta{}, nil, nil, err
	}
	if d.Edited, err = decodeEntries(edited); err != nil {
		return Delta{}, nil, nil, err
	}
	for _, c := range changes {
		d.Changes = append(d.Changes, c.Change)
	}
	return d, chgSeq, chgEntry, nil
}

// entryCount is the number of entries stored. Every entry takes its id from
// the bucket's sequence and none is ever removed (deletion is a flag), so
// the sequence is the count: O(1), where Stats would walk every page of a
// huge timeline.
func entryCount(b *bolt.Bucket) int {
	if eb := b.Bucket(bucketEntries); eb != nil {
		return int(eb.Sequence())
	}
	return 0
}

// readIncident reads a whole incident from its bucket inside a
// transaction; the import and the check use it, which need it there.
func readIncident(tx *bolt.Tx, b *bolt.Bucket) (*incident.Incident, error) {
	return copyIncident(tx, b, -1, true).decode()
}

func decodeEntry(v []byte, e *incident.Entry) error {
	if err := jsonUnmarshal(v, e); err != nil {
		return fmt.Errorf("a timeline entry is damaged (%v); run warroom check: %w", err, ErrCorrupt)
	}
	return nil
}

func readUpdates(ub *bolt.Bucket) ([]incident.Update, error) {
	var raw [][]byte
	_ = ub.ForEach(func(_, v []byte) error { raw = append(raw, v); return nil })
	return decodeUpdates(raw)
}

// sortUpdates puts updates in the order every copy agrees on: by the time
// they were published, then by uid.
func sortUpdates(us []incident.Update) {
	slices.SortStableFunc(us, func(a, b incident.Update) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Seq, b.Seq); c != 0 {
			return c
		}
		return strings.Compare(a.UID, b.UID)
	})
}

// appendEntry records e as an operation (entry.add) and returns it as
// stored, with its local id. The head is folded by the caller (foldHead
// false) or here.
func appendEntry(b *bolt.Bucket, e incident.Entry, now time.Time, foldHead bool) (incident.Entry, error) {
	out, err := appendEntries(b, []incident.Entry{e}, now, foldHead)
	if err != nil {
		return e, err
	}
	return out[0], nil
}

// appendEntries records several entries, in order, in one go.
func appendEntries(b *bolt.Bucket, es []incident.Entry, now time.Time, foldHead bool) ([]incident.Entry, error) {
	ops := make([]incident.Op, len(es))
	for i, e := range es {
		if e.UID == "" {
			e.UID = NewUID()
		}
		e.ID, e.Seq, e.Deleted, e.EditedAt, e.EditedBy = 0, 0, false, time.Time{}, ""
		at := e.RecordedAt
		if at.IsZero() {
			at = now
		}
		ops[i] = incident.Op{Type: incident.OpEntryAdd, Entry: &e, At: at, Author: e.Author}
	}
	if _, err := commitOps(b, ops, now, "", foldHead); err != nil {
		return nil, err
	}
	// As the fold stored them (see addedEntry), without reading them back.
	out := make([]incident.Entry, len(es))
	for i, o := range ops {
		id, ok := lookupUID(b, o.Entry.UID)
		if !ok {
			return nil, fmt.Errorf("entry %s was not stored: %w", o.Entry.UID, ErrCorrupt)
		}
		e := *o.Entry
		e.ID, e.Seq = id, o.Clock
		e.At, e.RecordedAt = utc(e.At), utc(e.RecordedAt)
		out[i] = e
	}
	return out, nil
}

// loadEntryByUID reads an entry by its uid.
func loadEntryByUID(b *bolt.Bucket, uid string) (incident.Entry, []byte, error) {
	id, ok := lookupUID(b, uid)
	if !ok {
		return incident.Entry{}, nil, fmt.Errorf("entry %s is not recorded: %w", uid, ErrNotFound)
	}
	return loadEntry(b, 0, id)
}

func sectionNames(ss []incident.Section) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Title
	}
	return out
}

// bucketKeys maps an idempotency key (warroom log --id) to the entry that
// recorded it. It is created with the first key, so incidents that never
// see one have none and no migration was needed.
var bucketKeys = []byte("keys")

// recordKey notes that key was recorded by entry id, unless an earlier
// entry already took it (an import bringing both keeps the first).
func recordKey(b *bolt.Bucket, key string, id int64) error {
	kb, err := b.CreateBucketIfNotExists(bucketKeys)
	if err != nil {
		return err
	}
	if kb.Get([]byte(key)) != nil {
		return nil
	}
	return kb.Put([]byte(key), idKey(id))
}

// keyedEntry returns the entry that recorded key, if any: one lookup in
// the keys bucket and one in the id index, however long the timeline.
func keyedEntry(b *bolt.Bucket, id int64, key string) (incident.Entry, bool, error) {
	kb := b.Bucket(bucketKeys)
	if kb == nil {
		return incident.Entry{}, false, nil
	}
	v := kb.Get([]byte(key))
	if len(v) != 8 {
		return incident.Entry{}, false, nil
	}
	e, _, err := loadEntry(b, id, int64(binary.BigEndian.Uint64(v)))
	return e, err == nil, err
}

// putEntry writes e under its (time, id) key, removing it from oldKey when
// it moved, and keeps the id index and the fold bucket in step.
func putEntry(b *bolt.Bucket, e incident.Entry, oldKey []byte) error {
	eb, ib, fb := b.Bucket(bucketEntries), b.Bucket(bucketEntryIDs), b.Bucket(bucketFold)
	// Times are stored in UTC (product.md §1a) and shown in the one zone
	// the screen or export names.
	e.At, e.RecordedAt, e.EditedAt = utc(e.At), utc(e.RecordedAt), utc(e.EditedAt)
	key := entryKey(e)
	noteEntry(b, key, &e)
	if oldKey != nil && !bytes.Equal(oldKey, key) {
		noteEntry(b, oldKey, nil)
		if err := eb.Delete(oldKey); err != nil {
			return err
		}
		if err := fb.Delete(oldKey); err != nil {
			return err
		}
	}
	if err := putJSON(eb, key, &e); err != nil {
		return err
	}
	if err := ib.Put(idKey(e.ID), key); err != nil {
		return err
	}
	if e.Set.Folds() && !e.Deleted {
		return putJSON(fb, key, &e)
	}
	return fb.Delete(key)
}

// storedChange is a change record with the entry it is about, so that a
// reader following the incident knows which entry to read again.
type storedChange struct {
	incident.Change
	Entry int64 `json:"entry,omitzero"`
}

// recordChange appends a change record.
func recordChange(b *bolt.Bucket, c incident.Change, entry int64) error {
	cb := b.Bucket(bucketChanges)
	seq, err := cb.NextSequence()
	if err != nil {
		return err
	}
	return putJSON(cb, idKey(int64(seq)), storedChange{Change: c, Entry: entry})
}

// AppendEntry adds one entry to an incident's timeline. When it returns
// without error the entry is on disk.
//
// An entry with a Key that an earlier entry of the incident recorded is not
// added again: the earlier entry is returned and nothing is written.
func (s *Store) AppendEntry(id int64, e incident.Entry) (incident.Entry, error) {
	if e.Key != "" {
		if err := incident.CheckKey(e.Key); err != nil {
			return e, err
		}
	}
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		if e.Key != "" {
			orig, found, err := keyedEntry(b, id, e.Key)
			if err != nil {
				return err
			}
			if found {
				e = orig
				return errNoChanges
			}
		}
		now := e.RecordedAt
		if now.IsZero() {
			now = time.Now()
		}
		if e, err = appendEntry(b, e, now, true); err != nil {
			return err
		}
		if err := readBack(tx, b, entryKey(e)); err != nil {
			return s.unreadable(id, err)
		}
		return nil
	})
	return e, err
}

// Applied is what Apply stored: the entries (with their ids), the public
// update, the head as folded after it, and the transaction it committed
// in, so a screen can show it without reading the incident again.
type Applied struct {
	incident.Result
	// ID is the incident changed (the one resolved, when Apply was given 0).
	ID   int64
	Head *incident.Incident // the incident's own fields after the change
	Tx   uint64
	// Repeated reports that the capture's idempotency key was recorded
	// before: nothing was written (Tx is 0) and Entries holds the entry
	// that recorded the key.
	Repeated bool
	// TxWhole reports that transaction Tx held plain lines to this
	// incident and nothing else: this capture's, and those of the
	// captures that shared its transaction (group.go). TxEntries are then
	// the entries they all added, in the order written, this capture's
	// included, and TxHead the incident's head as the transaction left
	// it: a reader that had read up to the transaction before Tx has
	// read Tx too once it has them.
	TxWhole   bool
	TxEntries []incident.Entry
	TxHead    *incident.Incident
}

// Apply parses nothing: it applies an already parsed capture line to the
// incident in one transaction (timeline entries, the fold of them into the
// head, a public update, the draft), so the change and its record land
// together or not at all. An id of 0 means the only open incident, found
// in the same transaction (see OnlyOpenIncident); out.ID says which, also
// when the capture is refused.
func (s *Store) Apply(id int64, c incident.Capture, now time.Time, author string, p incident.Policy) (Applied, error) {
	return s.applyAlso(id, c, now, author, p, nil)
}

// applyAlso is Apply with also run in the same transaction, on the
// incident's bucket, once the capture is stored (see ApplyLine).
//
// Captures arriving at the same moment (a room typing) share a transaction
// (group.go): the function below computes out afresh each time it runs.
func (s *Store) applyAlso(id int64, c incident.Capture, now time.Time, author string, p incident.Policy, also func(b *bolt.Bucket) error) (Applied, error) {
	var out Applied
	err := s.updateGrouped(func(tx *bolt.Tx) error {
		out = Applied{Tx: uint64(tx.ID()), ID: id}
		if id == 0 {
			var err error
			if id, err = onlyOpenIn(tx); err != nil {
				return err
			}
			out.ID = id
		}
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		inc, err := readHead(b)
		if err != nil {
			return err
		}
		// A retry of a keyed capture is answered from the first try,
		// before the capture is checked against the incident as it is
		// now (where "/status identified" would already be refused).
		if c.Key != "" {
			orig, found, err := keyedEntry(b, id, c.Key)
			if err != nil {
				return err
			}
			if found {
				out = Applied{ID: id, Head: inc, Repeated: true}
				out.Entries = []incident.Entry{orig}
				return errNoChanges
			}
		}
		if inc.Updates, err = readUpdates(b.Bucket(bucketUpdates)); err != nil {
			return err
		}
		written, err := applyOne(b, id, inc, c, now, author, p, &out)
		if err != nil {
			return err
		}
		if out.Head, err = refoldAt(b, now); err != nil {
			return err
		}
		out.Head.Updates = inc.Updates
		if err := readBack(tx, b, written...); err != nil {
			return s.unreadable(id, err)
		}
		if also != nil {
			return also(b)
		}
		return nil
	}, &out)
	return out, err
}

// applyOne applies one capture to inc (the head as it stands, updates
// included) inside a write transaction: the draft, a public update, moved
// and new entries. It fills out's Result and update and returns the keys
// written, for the read-back check; the caller folds the head after.
func applyOne(b *bolt.Bucket, id int64, inc *incident.Incident, c incident.Capture, now time.Time, author string, p incident.Policy, out *Applied) ([][]byte, error) {
	if c.Command == incident.CmdHandover && inc.Entries == nil {
		// The brief sums up the timeline: the only command that reads it.
		var raw [][]byte
		_ = b.Bucket(bucketEntries).ForEach(func(_, v []byte) error { raw = append(raw, v); return nil })
		es, err := decodeEntries(raw)
		if err != nil {
			return nil, err
		}
		inc.Entries = es
	}
	before := *inc
	res, err := incident.Apply(inc, c, now, author, p)
	if err != nil {
		return nil, err
	}
	out.Result = res
	if res.Draft != nil {
		if _, err := commitOps(b, []incident.Op{{Type: incident.OpDraft, Base: incident.Str(before.Draft), Value: *res.Draft}}, now, author, false); err != nil {
			return nil, err
		}
	}
	if res.Update != nil {
		// What the publish takes out of the draft is what its person's
		// text was based on; a teammate's words added meanwhile stay.
		base := draftNow(b, before.Draft)
		if c.SeenDraft != nil {
			head, err := readHead(b)
			if err != nil {
				return nil, err
			}
			if head.Draft != *c.SeenDraft && head.DraftBy != author {
				return nil, draftChanged(b, head)
			}
			if head.Draft == *c.SeenDraft {
				base = *c.SeenDraft
			}
		}
		u := *out.Update
		u.UID = NewUID()
		u.At = utc(u.At)
		u.ID = 0
		if _, err := commitOps(b, []incident.Op{{Type: incident.OpPublish, Update: &u, Base: incident.Str(base)}}, now, author, false); err != nil {
			return nil, err
		}
		stored, err := updateByUID(b, u.UID)
		if err != nil {
			return nil, err
		}
		*out.Update = stored
	}
	if res.Draft != nil || res.Update != nil {
		if h, err := readHead(b); err == nil {
			inc.Draft, inc.DraftRev, inc.DraftBy = h.Draft, h.DraftRev, h.DraftBy
		}
	}
	var written [][]byte
	for _, mv := range res.Moves {
		moved, err := editEntry(b, id, mv.ID, now, author, func(e *incident.Entry) error { e.At = mv.At; return nil })
		if err != nil {
			return nil, err
		}
		written = append(written, entryKey(moved))
	}
	if len(res.Entries) > 0 {
		stored, err := appendEntries(b, res.Entries, now, false)
		if err != nil {
			return nil, err
		}
		for i, e := range stored {
			out.Entries[i] = e
			written = append(written, entryKey(e))
		}
	}
	// Setting a milestone again moves its entry and adds none; the
	// key then names the moved entry, so a retry does not move it twice.
	if c.Key != "" && len(res.Entries) == 0 && len(res.Moves) > 0 {
		if err := recordKey(b, c.Key, res.Moves[0].ID); err != nil {
			return nil, err
		}
	}
	if res.Update != nil {
		inc.Updates = append(inc.Updates, *out.Update)
	}
	return written, nil
}

// ErrDraftChanged is what a publish returns when a teammate changed the
// draft after the text being published was based on it.
var ErrDraftChanged = errors.New("the draft changed")

// draftChanged says who changed the draft and when.
func draftChanged(b *bolt.Bucket, head *incident.Incident) error {
	when := ""
	if ops, err := streamOps(b, "r"); err == nil {
		for _, o := range slices.Backward(ops) {
			if o.Type == incident.OpDraft {
				when = " at " + o.At.Format("15:04") + " UTC"
				break
			}
		}
	}
	who := head.DraftBy
	if who == "" {
		who = "someone"
	}
	return fmt.Errorf("%s changed the public draft%s since you last saw it, so nothing was published; read the draft, then publish again: %w", who, when, ErrDraftChanged)
}

// draftNow is the draft as stored, or fallback when the head is unreadable.
func draftNow(b *bolt.Bucket, fallback string) string {
	if h, err := readHead(b); err == nil {
		return h.Draft
	}
	return fallback
}

// updateByUID reads a public update by its uid.
func updateByUID(b *bolt.Bucket, uid string) (incident.Update, error) {
	us, err := readUpdates(b.Bucket(bucketUpdates))
	if err != nil {
		return incident.Update{}, err
	}
	for _, u := range us {
		if u.UID == uid {
			return u, nil
		}
	}
	return incident.Update{}, fmt.Errorf("update %s is not recorded: %w", uid, ErrNotFound)
}

// Edit is one change to a text that several people edit (the public draft,
// a retro section): the text as the person last saw it (Base, at BaseRev)
// and as they want it now.
type Edit struct {
	BaseRev int64
	Base    string
	Text    string
}

// Merged says how an Edit landed.
type Merged struct {
	Text string // what is stored now
	Rev  int64
	// By is who made the newer version the edit was merged with, when it
	// was made on a stale copy; Conflict reports that both versions were
	// kept side by side because they changed the same lines.
	By       string
	Merged   bool
	Conflict bool
	Tx       uint64
}

// SetDraft saves the public update draft as it is typed. An edit made on a
// stale copy (someone else changed the draft since) is merged with theirs,
// never written over it.
func (s *Store) SetDraft(id int64, ed Edit, author string, now time.Time) (Merged, error) {
	var out Merged
	err := s.update(func(tx *bolt.Tx) error {
		out = Merged{Tx: uint64(tx.ID())}
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		head, err := readHead(b)
		if err != nil {
			return err
		}
		base := ed.Base
		if head.DraftRev == ed.BaseRev {
			base = head.Draft
		}
		text, conflict := incident.MergeText(base, ed.Text, head.Draft)
		if head.Draft != base {
			out.Merged, out.Conflict, out.By = true, conflict, head.DraftBy
		}
		out.Text, out.Rev = text, head.DraftRev
		if head.Draft == text {
			return errNoChanges
		}
		if _, err := commitOps(b, []incident.Op{{Type: incident.OpDraft, Base: incident.Str(base), Value: ed.Text}}, now, author, true); err != nil {
			return err
		}
		if head, err = readHead(b); err != nil {
			return err
		}
		out.Text, out.Rev = head.Draft, head.DraftRev
		return nil
	})
	return out, err
}

// EditEntry changes one entry through fn (text, time, star) on behalf of
// author. Changing the time moves the entry to keep the timeline in order,
// and an entry that sets a field changes the head with it. The change is
// recorded (who, when, before, after).
func (s *Store) EditEntry(id, entryID int64, now time.Time, author string, fn func(e *incident.Entry) error) (incident.Entry, error) {
	var out incident.Entry
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		if out, err = editEntry(b, id, entryID, now, author, fn); err != nil {
			return err
		}
		if _, err = refoldAt(b, now); err != nil {
			return err
		}
		if err := readBack(tx, b, entryKey(out)); err != nil {
			return s.unreadable(id, err)
		}
		return nil
	})
	return out, err
}

func loadEntry(b *bolt.Bucket, id, entryID int64) (incident.Entry, []byte, error) {
	key := b.Bucket(bucketEntryIDs).Get(idKey(entryID))
	if key == nil {
		return incident.Entry{}, nil, fmt.Errorf("entry #%d of INC-%d does not exist; run warroom show INC-%d to see the entries: %w", entryID, id, id, ErrNotFound)
	}
	key = bytes.Clone(key)
	var e incident.Entry
	err := decodeEntry(b.Bucket(bucketEntries).Get(key), &e)
	return e, key, err
}

func editEntry(b *bolt.Bucket, id, entryID int64, now time.Time, author string, fn func(e *incident.Entry) error) (incident.Entry, error) {
	e, _, err := loadEntry(b, id, entryID)
	if err != nil {
		return e, err
	}
	if e.Deleted {
		return e, fmt.Errorf("entry #%d of INC-%d is deleted; restore it first (u on its deletion, or warroom edit %d --restore): %w", entryID, id, entryID, ErrNotFound)
	}
	if err := tellingEntry(e, id, "edited"); err != nil {
		return e, err
	}
	before := e
	if err := fn(&e); err != nil {
		return e, err
	}
	var ops []incident.Op
	if !e.At.Equal(before.At) {
		ops = append(ops, incident.Op{Type: incident.OpEntrySet, Target: e.UID, Field: "at", Value: e.At.UTC().Format(time.RFC3339Nano)})
	}
	if e.Text != before.Text {
		ops = append(ops, incident.Op{Type: incident.OpEntrySet, Target: e.UID, Field: "text", Base: incident.Str(before.Text), Value: e.Text})
	}
	if e.Starred != before.Starred {
		ops = append(ops, incident.Op{Type: incident.OpEntrySet, Target: e.UID, Field: "star", Value: strconv.FormatBool(e.Starred)})
	}
	if len(ops) == 0 {
		return e, nil
	}
	if _, err := commitOps(b, ops, now, author, false); err != nil {
		return e, err
	}
	e, _, err = loadEntryByUID(b, e.UID)
	return e, err
}

// DeleteEntry marks an entry deleted and records the deletion on the
// timeline and in the change record, so nothing disappears silently; an
// entry that set a field no longer does. It returns the deletion entry.
func (s *Store) DeleteEntry(id, entryID int64, now time.Time, author string) (incident.Entry, error) {
	var out incident.Entry
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		e, key, err := loadEntry(b, id, entryID)
		if err != nil {
			return err
		}
		if e.Deleted {
			return fmt.Errorf("entry #%d of INC-%d is already deleted: %w", entryID, id, ErrNotFound)
		}
		if e.Set.Field == incident.FieldDeclared {
			return fmt.Errorf("entry #%d is the declaration the incident starts from; it cannot be deleted", entryID)
		}
		if err := tellingEntry(e, id, "deleted"); err != nil {
			return err
		}
		out, err = s.setDeleted(tx, b, id, e, key, true, now, author)
		return err
	})
	return out, err
}

// tellingEntry refuses to change an entry that tells of a deletion or a
// restoration: the fold writes it from that operation, so an edit or a
// deletion of it would be an operation nothing folds (and it is the record
// of what happened, which stays).
func tellingEntry(e incident.Entry, id int64, verb string) error {
	key := incident.FormatID(id)
	switch e.Set.Field {
	case incident.FieldDelete:
		return fmt.Errorf("entry #%d records that entry #%d was deleted and cannot be %s; it stays on the timeline as that record (warroom edit -i %s %d --restore brings #%d back)", e.ID, e.Ref, verb, key, e.ID, e.Ref)
	case incident.FieldRestore:
		return fmt.Errorf("entry #%d records that entry #%d was restored and cannot be %s; it stays on the timeline as that record (delete #%d again to take it back)", e.ID, e.Ref, verb, e.Ref)
	}
	return nil
}

// setDeleted deletes or restores entry e (stored under key) in one
// transaction: the entry, its change record, the timeline entry that tells
// of it, the fold and the read-back. It returns that timeline entry.
func (s *Store) setDeleted(tx *bolt.Tx, b *bolt.Bucket, id int64, e incident.Entry, _ []byte, deleted bool, now time.Time, author string) (incident.Entry, error) {
	typ := incident.OpEntryDelete
	if !deleted {
		typ = incident.OpEntryRestore
	}
	ops, err := commitOps(b, []incident.Op{{Type: typ, Target: e.UID}}, now, author, true)
	if err != nil {
		return incident.Entry{}, err
	}
	// The fold tells of it on the timeline, as an entry named by the
	// operation.
	told, _, err := loadEntryByUID(b, ops[0].ID)
	if err != nil {
		return incident.Entry{}, err
	}
	_, key, err := loadEntryByUID(b, e.UID)
	if err != nil {
		return incident.Entry{}, err
	}
	if err := readBack(tx, b, key, entryKey(told)); err != nil {
		return incident.Entry{}, s.unreadable(id, err)
	}
	return told, nil
}

// RestoreEntry brings back a deleted entry, given its id or the id of the
// entry that recorded its deletion, and records the restoration.
func (s *Store) RestoreEntry(id, entryID int64, now time.Time, author string) (incident.Entry, error) {
	var out incident.Entry
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		e, key, err := loadEntry(b, id, entryID)
		if err != nil {
			return err
		}
		if !e.Deleted && e.Set.Field == incident.FieldDelete && e.Ref != 0 {
			if e, key, err = loadEntry(b, id, e.Ref); err != nil {
				return err
			}
		}
		if !e.Deleted {
			return fmt.Errorf("entry #%d of INC-%d is not deleted; nothing to restore", e.ID, id)
		}
		if _, err := s.setDeleted(tx, b, id, e, key, false, now, author); err != nil {
			return err
		}
		out, _, err = loadEntryByUID(b, e.UID)
		return err
	})
	return out, err
}

// SetTitle renames an incident.
func (s *Store) SetTitle(id int64, title string, now time.Time, author string) error {
	title = strings.TrimSpace(title)
	if title == "" {
		return errors.New("the title is empty; describe the incident in a few words")
	}
	if err := incident.CheckTitle(title); err != nil {
		return err
	}
	return s.UpdateDeclaration(id, now, author, func(d *incident.Declaration) error { d.Title = title; return nil })
}

// UpdateDeclaration changes what the incident was declared with (title,
// channels) through fn. Those fields are the declaration entry's, so that
// entry is edited, the change recorded and the head folded again.
func (s *Store) UpdateDeclaration(id int64, now time.Time, author string, fn func(d *incident.Declaration) error) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		var declID int64
		err = b.Bucket(bucketFold).ForEach(func(_, v []byte) error {
			var e incident.Entry
			if decodeEntry(v, &e) == nil && e.Set.Field == incident.FieldDeclared && declID == 0 {
				declID = e.ID
			}
			return nil
		})
		if err != nil || declID == 0 {
			return fmt.Errorf("INC-%d has no declaration entry; run warroom check", id)
		}
		e, _, err := loadEntry(b, id, declID)
		if err != nil {
			return err
		}
		var d incident.Declaration
		if e.Set.Declared != nil {
			d = *e.Set.Declared
		}
		before := d
		if err := fn(&d); err != nil {
			return err
		}
		var ops []incident.Op
		for _, f := range []struct{ field, was, now string }{
			{"decl.title", before.Title, d.Title},
			{"decl.war_room", before.WarRoom, d.WarRoom},
			{"decl.public_channel", before.PublicChannel, d.PublicChannel},
		} {
			if f.was != f.now {
				ops = append(ops, incident.Op{Type: incident.OpEntrySet, Target: e.UID, Field: f.field, Base: incident.Str(f.was), Value: f.now})
			}
		}
		if len(ops) == 0 {
			return errNoChanges
		}
		if _, err := commitOps(b, ops, now, author, true); err != nil {
			return err
		}
		_, key, err := loadEntryByUID(b, e.UID)
		if err != nil {
			return err
		}
		if err := readBack(tx, b, key); err != nil {
			return s.unreadable(id, err)
		}
		return nil
	})
}

// UpdateRetro changes the retro through fn in one transaction on behalf of
// author. A change to the five whys or the actions is recorded (before and
// after, one line per step or action), so they keep their history.
func (s *Store) UpdateRetro(id int64, author string, now time.Time, fn func(r *incident.Retro) error) (incident.Retro, error) {
	var out incident.Retro
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		var r incident.Retro
		if err := getJSON(b, keyRetro, &r); err != nil {
			return err
		}
		before := cloneRetro(r)
		if err := fn(&r); err != nil {
			return err
		}
		incident.FillRetroUIDs(&r, NewUID)
		ops := incident.RetroOps(before, r)
		if len(ops) == 0 {
			out = before
			return errNoChanges
		}
		if err := seenByDeletions(b, ops); err != nil {
			return err
		}
		if _, err := commitOps(b, ops, now, author, true); err != nil {
			return err
		}
		return getJSON(b, keyRetro, &out)
	})
	return out, err
}

// seenByDeletions makes each deletion of a retro item name the operations
// on it that its person had seen, so that a teammate's edit they had not
// seen keeps the item (see incident.FoldRecord).
func seenByDeletions(b *bolt.Bucket, ops []incident.Op) error {
	var have []incident.Op
	for i, o := range ops {
		if o.Type != incident.OpItemDelete {
			continue
		}
		if have == nil {
			var err error
			if have, err = streamOps(b, "r"); err != nil {
				return err
			}
		}
		seen := []string{}
		for _, h := range have {
			if (h.Type == incident.OpItemAdd || h.Type == incident.OpItemSet) && h.Item == o.Item && h.Target == o.Target {
				seen = append(seen, h.ID)
			}
		}
		v, err := json.Marshal(seen)
		if err != nil {
			return err
		}
		ops[i].Value = string(v)
	}
	return nil
}

// cloneRetro is a deep enough copy of r for RetroOps to compare with what
// fn made of it.
func cloneRetro(r incident.Retro) incident.Retro {
	data, _ := json.Marshal(r)
	var out incident.Retro
	_ = json.Unmarshal(data, &out)
	return out
}

// SetSectionText saves a retro section's text as typed. An edit made on a
// stale copy (a teammate changed the section since) is merged with theirs,
// or, where both changed the same lines, both versions are kept side by
// side; nothing typed is written over. The change is recorded.
func (s *Store) SetSectionText(id int64, title string, ed Edit, author string, now time.Time, sections []string) (Merged, incident.Retro, error) {
	var out Merged
	var retro incident.Retro
	err := s.update(func(tx *bolt.Tx) error {
		out = Merged{Tx: uint64(tx.ID())}
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		var r incident.Retro
		if err := getJSON(b, keyRetro, &r); err != nil {
			return err
		}
		cur := ""
		var rev int64
		by := ""
		if sec := r.Section(title); sec != nil {
			cur, rev, by = sec.Text, sec.Rev, sec.EditedBy
		}
		base := ed.Base
		if rev == ed.BaseRev {
			base = cur
		}
		text, conflict := incident.MergeText(base, ed.Text, cur)
		if cur != base {
			out.Merged, out.Conflict, out.By = true, conflict, by
		}
		out.Text, out.Rev = text, rev
		retro = r
		if cur == text {
			return errNoChanges
		}
		if len(text) > incident.MaxTextBytes {
			return fmt.Errorf("the %s section is over the %d KB limit; shorten it or link to a document", title, incident.MaxTextBytes>>10)
		}
		ops := []incident.Op{{Type: incident.OpSection, Target: title, Base: incident.Str(base), Value: ed.Text}}
		if _, err := commitOps(b, ops, now, author, true); err != nil {
			return err
		}
		if err := getJSON(b, keyRetro, &retro); err != nil {
			return err
		}
		incident.EnsureSections(&retro, sections)
		if sec := retro.Section(title); sec != nil {
			out.Text, out.Rev = sec.Text, sec.Rev
		}
		return nil
	})
	return out, retro, err
}

// SetDelivery records the delivery state of one public update.
func (s *Store) SetDelivery(id, updateID int64, d []incident.Delivery) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		u, err := loadUpdate(b, id, updateID)
		if err != nil {
			return err
		}
		old, _ := json.Marshal(u.Delivery)
		u.Delivery = d
		if now, _ := json.Marshal(d); string(old) == string(now) {
			return errNoChanges
		}
		return commitDeliveries(b, u)
	})
}

// loadUpdate reads public update updateID of incident id.
func loadUpdate(b *bolt.Bucket, id, updateID int64) (incident.Update, error) {
	var u incident.Update
	data := b.Bucket(bucketUpdates).Get(idKey(updateID))
	if data == nil {
		return u, fmt.Errorf("update %d of INC-%d does not exist: %w", updateID, id, ErrNotFound)
	}
	if err := jsonUnmarshal(data, &u); err != nil {
		return u, fmt.Errorf("a public update is damaged (%v): %w", err, ErrCorrupt)
	}
	return u, nil
}

// commitDeliveries records u's delivery states as an operation.
func commitDeliveries(b *bolt.Bucket, u incident.Update) error {
	for i := range u.Delivery {
		u.Delivery[i].At = utc(u.Delivery[i].At)
	}
	v, err := json.Marshal(u.Delivery)
	if err != nil {
		return err
	}
	_, err = commitOps(b, []incident.Op{{Type: incident.OpDelivery, Target: u.UID, Value: string(v), Author: "warroom"}}, time.Now(), "warroom", true)
	return err
}

// SetUIState keeps a small piece of per-user state for an incident, such as
// a half-typed capture line, so it survives quitting. It returns the
// transaction it committed in (0 when nothing changed), so the cockpit can
// tell its own quiet saves from other processes' writes.
func (s *Store) SetUIState(id int64, name, value string) (uint64, error) {
	var txID uint64
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		ui := b.Bucket(bucketUI)
		if bytes.Equal(ui.Get([]byte(name)), []byte(value)) {
			return errNoChanges
		}
		txID = uint64(tx.ID())
		if value == "" {
			return ui.Delete([]byte(name))
		}
		return ui.Put([]byte(name), []byte(value))
	})
	return txID, err
}

// UIState returns what SetUIState kept, or "".
func (s *Store) UIState(id int64, name string) (string, error) {
	var out string
	err := s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		out = string(b.Bucket(bucketUI).Get([]byte(name)))
		return nil
	})
	return out, err
}

// UIStates returns every piece of per-user state of an incident whose name
// starts with prefix (presence: who is editing what).
func (s *Store) UIStates(id int64, prefix string) (map[string]string, error) {
	out := map[string]string{}
	err := s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		c := b.Bucket(bucketUI).Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, v = c.Next() {
			out[string(k)] = string(v)
		}
		return nil
	})
	return out, err
}

// minEntryBytes is less than any entry takes on a leaf page: a 16-byte
// element header, the 16-byte key and the shortest JSON an appended entry
// has (an id, a 24-digit uid, a time). No page holds more entries than its
// size divided by this.
const minEntryBytes = 64

// readBack decodes again, in the write's own transaction and before it
// commits, what a write to an incident touched, so that a change the next
// read could not decode is refused (and rolled back) rather than reported
// as saved. Without it a damaged page let `warroom log` and `warroom new`
// succeed while `warroom show` could no longer read the incident.
//
// bbolt rewrites a changed leaf page whole, carrying over the records that
// shared it with the new one as it read them, damage included. So this
// decodes the head and the retro (small, and on the incident's own leaf)
// and, around each entry key written, as many entries either side as one
// page can hold: every record on the pages this write rewrote, without
// reading the timeline. That is at most a page's worth of small JSON
// decodes on each side, about 0.15 ms for an entry appended to a long
// timeline, where the commit's two fsyncs take 0.5 ms on a fast SSD and
// milliseconds elsewhere (BenchmarkAppendEntry). tx.Check instead would
// walk every page of the file on every write; damage on pages this write
// did not touch is warroom check's to report.
func readBack(tx *bolt.Tx, b *bolt.Bucket, entryKeys ...[]byte) error {
	if _, err := readHead(b); err != nil {
		return err
	}
	var r incident.Retro
	if err := getJSON(b, keyRetro, &r); err != nil {
		return err
	}
	if len(entryKeys) == 0 {
		return nil
	}
	window := tx.DB().Info().PageSize / minEntryBytes
	eb := b.Bucket(bucketEntries)
	var e incident.Entry
	// Keys in order, and each record decoded once however many written
	// keys share its page, so a backfill of 10,000 lines reads back what it
	// wrote once rather than 10,000 pages' worth.
	keys := slices.Clone(entryKeys)
	slices.SortFunc(keys, bytes.Compare)
	var last []byte // the greatest key decoded so far
	for _, key := range keys {
		if last != nil && bytes.Compare(key, last) <= 0 {
			continue
		}
		c := eb.Cursor()
		if k, _ := c.Seek(key); !bytes.Equal(k, key) {
			return fmt.Errorf("an entry just written is not found again: %w", ErrCorrupt)
		}
		// Back over the page before, not past what is decoded already.
		pk, pv := c.Prev()
		for i := 0; pk != nil && i < window && (last == nil || bytes.Compare(pk, last) > 0); i++ {
			if err := readableEntry(pv, &e); err != nil {
				return err
			}
			pk, pv = c.Prev()
		}
		k, v := c.Seek(key)
		for i := 0; k != nil && i <= window; i++ {
			if err := readableEntry(v, &e); err != nil {
				return err
			}
			last = k
			k, v = c.Next()
		}
		last = bytes.Clone(last)
	}
	return nil
}

// readableEntry checks that a stored entry can be read: valid JSON is
// checked cheaply, and only what fails that is decoded, for the sentence
// that says why.
func readableEntry(v []byte, e *incident.Entry) error {
	if json.Valid(v) {
		return nil
	}
	return decodeEntry(v, e)
}

// readBackIncidents decodes the heads of the incidents before key in the
// root bucket: the page CreateIncident and an import rewrite when they add
// an incident, which takes the largest id (see readBack).
func readBackIncidents(tx *bolt.Tx, root *bolt.Bucket, key []byte) error {
	// An incident takes at least its 8-byte key, a 16-byte element header
	// and a 16-byte bucket header on the root's leaf.
	window := tx.DB().Info().PageSize / 40
	c := root.Cursor()
	k, _ := c.Seek(key)
	if !bytes.Equal(k, key) {
		return fmt.Errorf("an incident just written is not found again: %w", ErrCorrupt)
	}
	for range window {
		if k, _ = c.Prev(); k == nil {
			break
		}
		if b := root.Bucket(k); b != nil {
			if _, err := readHead(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// unreadable is the error of a write that readBack refused.
func (s *Store) unreadable(id int64, err error) error {
	why := strings.TrimSuffix(Message(err), "; run warroom check")
	return fmt.Errorf("INC-%d in %s cannot be read back after this change (%s), so nothing was saved; run warroom check and restore a backup: %w", id, s.path, why, ErrCorrupt)
}

// utc is t in UTC, the zero time left zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// SetPerspective saves author's own perspective in a retro section (an
// empty text removes it) and records the change. Only the author writes
// their perspective, so two people saving at once never overwrite each
// other.
func (s *Store) SetPerspective(id int64, title, author, text string, now time.Time, sections []string) (incident.Retro, error) {
	var out incident.Retro
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		var r incident.Retro
		if err := getJSON(b, keyRetro, &r); err != nil {
			return err
		}
		before, err := incident.SetPerspective(&r, title, author, text, now)
		if err != nil {
			return err
		}
		out = r
		if before == text {
			incident.EnsureSections(&out, sections)
			return errNoChanges
		}
		if _, err := commitOps(b, []incident.Op{{Type: incident.OpPerspective, Target: title, Value: text}}, now, author, true); err != nil {
			return err
		}
		if err := getJSON(b, keyRetro, &out); err != nil {
			return err
		}
		incident.EnsureSections(&out, sections)
		return nil
	})
	return out, err
}
