package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Operations are the record (schema 3; see incident/ops.go). Each incident
// keeps every operation it ever saw in its ops bucket, keyed in fold order,
// with an index by stream so that one entry, or the draft, updates and
// retro, can be folded again from its own few operations. Everything else
// in the incident's bucket (entries, updates, retro, head, changes) is the
// fold of those operations, rewritten stream by stream in the same
// transaction as the operations that change it: the view a screen reads
// at once, never a second source of truth. `warroom check` verifies that.
//
//	incidents/<id>/ops/<clock><opid>            operation JSON, in fold order
//	incidents/<id>/streams/<stream>\x00<clock><opid>   index: the ops of one stream
//	incidents/<id>/entry_uids/<uid>             entry uid -> local entry id
//	incidents/<id>/opchanges/<clock><opid>      the change record each op made (show --json)
var (
	bucketOps       = []byte("ops")
	bucketStreams   = []byte("streams")
	bucketEntryUIDs = []byte("entry_uids")
	bucketOpChanges = []byte("opchanges")
)

// opBuckets are the incident buckets schema 3 added.
var opBuckets = [][]byte{bucketOps, bucketStreams, bucketEntryUIDs, bucketOpChanges}

func opKey(o incident.Op) []byte {
	k := make([]byte, 8, 8+len(o.ID))
	binary.BigEndian.PutUint64(k, o.Clock)
	return append(k, o.ID...)
}

// streamPrefix is where a stream's operations are indexed: "r\x00" for
// the record stream, and "e" with the entry's local number for an entry's,
// so that the index of a timeline typed line by line grows at its end (a
// uid would scatter its keys over every page of the index).
func streamPrefix(b *bolt.Bucket, stream string) []byte {
	if uid, ok := strings.CutPrefix(stream, "e:"); ok {
		return append([]byte("e"), idKey(entryIDOf(b)(uid))...)
	}
	return append([]byte(stream), 0)
}

// lastClock is the greatest clock of the incident's operations.
func lastClock(b *bolt.Bucket) uint64 {
	ob := b.Bucket(bucketOps)
	if ob == nil {
		return 0
	}
	k, _ := ob.Cursor().Last()
	if len(k) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}

// nextClock is a hybrid logical clock: after every clock seen, and the
// wall time in milliseconds when that is later, so that concurrent
// operations are ordered about as they happened, the same way everywhere.
func nextClock(last uint64, now time.Time) uint64 {
	c := last + 1
	if ms := now.UnixMilli(); ms > 0 && uint64(ms) > c {
		c = uint64(ms)
	}
	return c
}

// putOp stores one operation and its stream index entry.
func putOp(b *bolt.Bucket, o incident.Op) error {
	o = normalizeOp(o)
	if err := putJSON(b.Bucket(bucketOps), opKey(o), o); err != nil {
		return err
	}
	return b.Bucket(bucketStreams).Put(append(streamPrefix(b, o.Stream()), opKey(o)...), nil)
}

// normalizeOp is o as it is stored: times in UTC.
func normalizeOp(o incident.Op) incident.Op {
	if o.Entry != nil {
		e := *o.Entry
		e.At, e.RecordedAt = utc(e.At), utc(e.RecordedAt)
		o.Entry = &e
	}
	if o.Update != nil {
		u := *o.Update
		u.At = utc(u.At)
		o.Update = &u
	}
	o.At = utc(o.At)
	return o
}

// streamOps reads the operations of one stream, in fold order.
func streamOps(b *bolt.Bucket, stream string) ([]incident.Op, error) {
	prefix := streamPrefix(b, stream)
	ob := b.Bucket(bucketOps)
	var out []incident.Op
	c := b.Bucket(bucketStreams).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		var o incident.Op
		if err := getJSON(ob, k[len(prefix):], &o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// allOps reads every operation of an incident, in fold order.
func allOps(b *bolt.Bucket) ([]incident.Op, error) {
	var out []incident.Op
	ob := b.Bucket(bucketOps)
	if ob == nil {
		return nil, nil
	}
	err := ob.ForEach(func(_, v []byte) error {
		var o incident.Op
		if err := jsonUnmarshal(v, &o); err != nil {
			return fmt.Errorf("an operation is damaged (%v); run warroom check: %w", err, ErrCorrupt)
		}
		out = append(out, o)
		return nil
	})
	return out, err
}

// The uid index (entry_uids) is keyed by random uids, and bbolt inserts
// into a leaf held in memory until the commit splits it: a transaction
// that adds 10,000 entries (a backfill, an import) would copy that leaf
// over and over. New uids are therefore gathered per transaction and put
// in key order just before it commits (flushUIDs); lookups see them.
var pendingUIDs sync.Map // *bolt.Tx -> map[*bolt.Bucket]map[string]int64

func pendingFor(b *bolt.Bucket) map[string]int64 {
	v, _ := pendingUIDs.LoadOrStore(b.Tx(), map[*bolt.Bucket]map[string]int64{})
	byBucket := v.(map[*bolt.Bucket]map[string]int64)
	m := byBucket[b]
	if m == nil {
		m = map[string]int64{}
		byBucket[b] = m
	}
	return m
}

// lookupUID reads the uid index of incident bucket b: key is an entry uid,
// or "u:" and an update's.
func lookupUID(b *bolt.Bucket, key string) (int64, bool) {
	if b.Writable() {
		if id, ok := pendingFor(b)[key]; ok {
			return id, true
		}
	}
	if v := b.Bucket(bucketEntryUIDs).Get([]byte(key)); len(v) == 8 {
		return int64(binary.BigEndian.Uint64(v)), true
	}
	return 0, false
}

// flushUIDs writes the transaction's new uids, in key order, and forgets
// them; drop only forgets them (the transaction rolls back).
func flushUIDs(tx *bolt.Tx, drop bool) error {
	v, ok := pendingUIDs.LoadAndDelete(tx)
	if !ok || drop {
		return nil
	}
	for b, m := range v.(map[*bolt.Bucket]map[string]int64) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		ub := b.Bucket(bucketEntryUIDs)
		for _, k := range keys {
			if err := ub.Put([]byte(k), idKey(m[k])); err != nil {
				return err
			}
		}
	}
	return nil
}

// entryIDOf returns the local number of an entry uid, giving the next one
// to a uid this database has not seen.
func entryIDOf(b *bolt.Bucket) func(uid string) int64 {
	return func(uid string) int64 {
		if id, ok := lookupUID(b, uid); ok {
			return id
		}
		if !b.Writable() {
			return 0
		}
		seq, err := b.Bucket(bucketEntries).NextSequence()
		if err != nil {
			return 0
		}
		pendingFor(b)[uid] = int64(seq)
		return int64(seq)
	}
}

// updateIDOf returns the local number of a public update's uid, giving the
// next one to a uid this database has not seen.
func updateIDOf(b *bolt.Bucket, uid string) int64 {
	if id, ok := lookupUID(b, "u:"+uid); ok {
		return id
	}
	seq, err := b.Bucket(bucketUpdates).NextSequence()
	if err != nil {
		return 0
	}
	pendingFor(b)["u:"+uid] = int64(seq)
	return int64(seq)
}

// commitOps gives ops their ids, clocks, time and author, stores them and
// brings the view of every stream they touch up to date. It returns the
// ops as stored.
//
// foldHead false leaves the head's fold to the caller, which makes several
// changes in one transaction and folds once at the end.
func commitOps(b *bolt.Bucket, ops []incident.Op, now time.Time, author string, foldHead bool) ([]incident.Op, error) {
	clock := lastClock(b)
	fresh := freshEntries(b, ops)
	for i := range ops {
		o := &ops[i]
		if o.ID == "" {
			o.ID = NewUID()
		}
		clock = nextClock(clock, now)
		o.Clock = clock
		if o.At.IsZero() {
			o.At = now
		}
		o.At = o.At.UTC()
		if o.Author == "" {
			o.Author = author
		}
		if err := putOp(b, *o); err != nil {
			return nil, err
		}
	}
	return ops, refoldStreams(b, ops, now, foldHead, fresh)
}

// freshEntries names the entries that ops add and this incident has not
// seen, before the ops are stored: their fold is the add alone.
func freshEntries(b *bolt.Bucket, ops []incident.Op) map[string]bool {
	fresh := map[string]bool{}
	for _, o := range ops {
		if o.Type != incident.OpEntryAdd {
			continue
		}
		if _, known := lookupUID(b, o.EntryUID()); !known {
			fresh[o.EntryUID()] = true
		}
	}
	return fresh
}

// refoldStreams folds again each stream the ops belong to, and the head
// when an entry that sets a field may have changed.
//
// fresh names the entries new to the incident (freshEntries): an entry
// whose only operation in ops is its add is written from it directly.
func refoldStreams(b *bolt.Bucket, ops []incident.Op, now time.Time, foldHead bool, fresh map[string]bool) error {
	seen := map[string]bool{}
	inBatch := map[string]int{}
	for _, o := range ops {
		inBatch[o.Stream()]++
	}
	head := false
	for _, o := range ops {
		st := o.Stream()
		if seen[st] {
			continue
		}
		seen[st] = true
		if uid := o.EntryUID(); uid != "" {
			var folds bool
			var err error
			if o.Type == incident.OpEntryAdd && inBatch[st] == 1 && fresh[uid] {
				// A new entry (the common write: a line typed): its
				// only operation is this one, no need to read it back.
				folds, err = addedEntry(b, o)
			} else {
				folds, err = refoldEntry(b, uid)
			}
			if err != nil {
				return err
			}
			head = head || folds
			continue
		}
		if err := refoldRecord(b); err != nil {
			return err
		}
	}
	if !foldHead {
		// The caller makes more changes, then folds the head and moves
		// its updated time once (see Apply).
		return nil
	}
	if head {
		if _, err := refold(b); err != nil {
			return err
		}
	}
	return touchHead(b, latest(ops))
}

// addedEntry writes a new entry from the one operation that adds it: what
// refoldEntry would do, without reading the operation back.
func addedEntry(b *bolt.Bucket, o incident.Op) (bool, error) {
	e := *o.Entry
	e.ID = entryIDOf(b)(e.UID)
	e.Seq = o.Clock
	e.At, e.RecordedAt = utc(e.At), utc(e.RecordedAt)
	if err := putEntry(b, e, nil); err != nil {
		return false, err
	}
	if e.Key != "" {
		if err := recordKey(b, e.Key, e.ID); err != nil {
			return false, err
		}
	}
	return e.Set.Folds(), nil
}

// touchHead moves the head's updated time to the newest operation's.
func touchHead(b *bolt.Bucket, now time.Time) error {
	h, err := readHead(b)
	if err != nil {
		return err
	}
	if !now.After(h.Updated) {
		return nil
	}
	h.Updated = now.UTC()
	return putHead(b, h)
}

// refoldEntry writes one entry (and the entries telling of its deletions)
// as its operations make it. It reports whether the head needs folding.
func refoldEntry(b *bolt.Bucket, uid string) (bool, error) {
	ops, err := streamOps(b, "e:"+uid)
	if err != nil {
		return false, err
	}
	f := incident.FoldEntry(ops, entryIDOf(b))
	if !f.Exists {
		return false, nil
	}
	folds := f.Entry.Set.Folds()
	all := append([]incident.Entry{f.Entry}, f.Tellings...)
	// A deletion that a teammate's earlier one made moot tells of nothing:
	// the entry that told of it here goes.
	told := map[string]bool{}
	for _, e := range f.Tellings {
		told[e.UID] = true
	}
	for _, o := range ops {
		if (o.Type == incident.OpEntryDelete || o.Type == incident.OpEntryRestore) && !told[o.ID] {
			if err := removeEntry(b, o.ID); err != nil {
				return false, err
			}
		}
	}
	for _, e := range all {
		old, oldKey, err := loadEntryIfAny(b, e.ID)
		if err != nil {
			return false, err
		}
		if oldKey != nil && entryEqual(old, e) {
			continue
		}
		folds = folds || old.Set.Folds()
		if err := putEntry(b, e, oldKey); err != nil {
			return false, err
		}
		if e.Key != "" {
			if err := recordKey(b, e.Key, e.ID); err != nil {
				return false, err
			}
		}
	}
	return folds, putOpChanges(b, ops, f.Changes, entryIDOf(b))
}

// removeEntry takes an entry out of the view (its local number stays
// reserved for its uid).
func removeEntry(b *bolt.Bucket, uid string) error {
	id, ok := lookupUID(b, uid)
	if !ok {
		return nil
	}
	key := b.Bucket(bucketEntryIDs).Get(idKey(id))
	if key == nil {
		return nil
	}
	key = bytes.Clone(key)
	noteEntry(b, key, nil) // for search's text index (textindex.go)
	for _, name := range [][]byte{bucketEntries, bucketFold} {
		if err := b.Bucket(name).Delete(key); err != nil {
			return err
		}
	}
	return b.Bucket(bucketEntryIDs).Delete(idKey(id))
}

func entryEqual(a, b incident.Entry) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// loadEntryIfAny is loadEntry for an entry that may not be stored yet.
func loadEntryIfAny(b *bolt.Bucket, id int64) (incident.Entry, []byte, error) {
	key := b.Bucket(bucketEntryIDs).Get(idKey(id))
	if key == nil {
		return incident.Entry{}, nil, nil
	}
	key = bytes.Clone(key)
	var e incident.Entry
	err := decodeEntry(b.Bucket(bucketEntries).Get(key), &e)
	return e, key, err
}

// putOpChanges stores the change records the fold of a stream's ops
// derived, each under its operation, and removes those of its ops that no
// longer change anything (a teammate's earlier operation made the same
// change first). One not stored before is also appended to the change log
// that open screens follow (see Since).
func putOpChanges(b *bolt.Bucket, ops []incident.Op, cs []incident.OpChange, idOf func(string) int64) error {
	cb := b.Bucket(bucketOpChanges)
	made := make(map[string]bool, len(cs))
	for _, c := range cs {
		made[c.Op] = true
	}
	for _, o := range ops {
		if !made[o.ID] {
			if err := cb.Delete(opKey(o)); err != nil {
				return err
			}
		}
	}
	for _, c := range cs {
		key := opKey(incident.Op{ID: c.Op, Clock: c.Clock})
		var entry int64
		if c.Entry != "" {
			entry = idOf(c.Entry)
		}
		data, err := json.Marshal(storedChange{Change: c.Change, Entry: entry})
		if err != nil {
			return err
		}
		if bytes.Equal(recordJSON(cb.Get(key)), data) {
			continue
		}
		if err := cb.Put(key, appendSeal(data, key)); err != nil {
			return err
		}
		if err := recordChange(b, c.Change, entry); err != nil {
			return err
		}
	}
	return nil
}

// refoldRecord writes the draft, the public updates and the retro as the
// "r" stream's operations make them.
func refoldRecord(b *bolt.Bucket) error {
	ops, err := streamOps(b, "r")
	if err != nil {
		return err
	}
	f := incident.FoldRecord(ops)
	h, err := readHead(b)
	if err != nil {
		return err
	}
	if h.Draft != f.Draft || h.DraftRev != f.DraftRev || h.DraftBy != f.DraftBy {
		h.Draft, h.DraftRev, h.DraftBy = f.Draft, f.DraftRev, f.DraftBy
		if err := putHead(b, h); err != nil {
			return err
		}
	}
	if err := putJSON(b, keyRetro, &f.Retro); err != nil {
		return err
	}
	ub := b.Bucket(bucketUpdates)
	for _, u := range f.Updates {
		// Updates keep the local number they were first stored under, as
		// entries do, so a delivery in flight names the right one.
		u.ID = updateIDOf(b, u.UID)
		data, err := json.Marshal(u)
		if err != nil {
			return err
		}
		key := idKey(u.ID)
		if bytes.Equal(recordJSON(ub.Get(key)), data) {
			continue
		}
		if err := ub.Put(key, appendSeal(data, key)); err != nil {
			return err
		}
	}
	return putOpChanges(b, ops, f.Changes, entryIDOf(b))
}

// rebuildView folds every stream of an incident again, after operations
// were brought in (an import, a sync, the migration).
func rebuildView(b *bolt.Bucket, now time.Time) error {
	ops, err := allOps(b)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var uids []string
	for _, o := range ops {
		if uid := o.EntryUID(); uid != "" && !seen[uid] {
			seen[uid] = true
			uids = append(uids, uid)
		}
	}
	if err := refoldRecord(b); err != nil {
		return err
	}
	for _, uid := range uids {
		if _, err := refoldEntry(b, uid); err != nil {
			return err
		}
	}
	_, err = refold(b)
	return err
}

// unionOps adds to an incident the operations it lacks. An operation whose
// id is known with other content is refused whole (a hand-edited record),
// as is one that does not pass incident.CheckOp. It returns the ops added,
// in fold order, and the entries they add that the incident had not seen
// (see refoldStreams).
//
// A sync brings every operation of every incident each time, nearly all of
// them known: each is compared as the bytes it would be stored as, and an
// entry's stored operations are read once, only when one of its operations
// is new or its text was redacted.
func unionOps(b *bolt.Bucket, in []incident.Op, now time.Time) ([]incident.Op, map[string]bool, error) {
	fresh := freshEntries(b, in)
	ob := b.Bucket(bucketOps)
	var added []incident.Op
	redacted := map[string]bool{}
	for _, o := range in {
		if o.Type == incident.OpEntryRedact {
			redacted[o.Target] = true
		}
	}
	stored := map[string][]incident.Op{} // an entry's operations here, read once
	streamOf := func(uid string) ([]incident.Op, error) {
		if ops, ok := stored[uid]; ok {
			return ops, nil
		}
		ops, err := streamOps(b, "e:"+uid)
		stored[uid] = ops
		return ops, err
	}
	for _, o := range in {
		if err := incident.CheckOp(o, now); err != nil {
			return nil, nil, err
		}
		o = normalizeOp(o)
		isRedacted := false
		if uid := o.EntryUID(); uid != "" && !fresh[uid] {
			ops, err := streamOf(uid)
			if err != nil {
				return nil, nil, err
			}
			isRedacted = redacted[uid] || slices.ContainsFunc(ops, func(h incident.Op) bool { return h.Type == incident.OpEntryRedact })
		}
		if isRedacted || redacted[o.EntryUID()] {
			o, isRedacted = incident.RedactOp(o), true
		}
		if v := ob.Get(opKey(o)); v != nil {
			if want, err := json.Marshal(o); err == nil && bytes.Equal(recordJSON(v), want) {
				continue
			}
			var have incident.Op
			if err := jsonUnmarshal(v, &have); err != nil {
				return nil, nil, fmt.Errorf("an operation is damaged (%v); run warroom check: %w", err, ErrCorrupt)
			}
			same := incident.SameOp(have, o)
			if isRedacted {
				same = incident.SameOp(incident.RedactOp(have), o)
			}
			if !same {
				return nil, nil, fmt.Errorf("operation %s by %s differs from the one already recorded under that id; the record was edited by hand, so nothing of it was brought in: %w", o.ID, o.Author, incident.ErrOpConflict)
			}
			continue
		}
		// A new operation: its id must not be stored at another clock.
		if uid := o.EntryUID(); uid != "" && !fresh[uid] {
			ops, err := streamOf(uid)
			if err != nil {
				return nil, nil, err
			}
			if slices.ContainsFunc(ops, func(h incident.Op) bool { return h.ID == o.ID }) {
				return nil, nil, fmt.Errorf("operation %s by %s is recorded here at another clock; the record was edited by hand, so nothing of it was brought in: %w", o.ID, o.Author, incident.ErrOpConflict)
			}
		}
		if err := putOp(b, o); err != nil {
			return nil, nil, err
		}
		added = append(added, o)
	}
	incident.SortOps(added)
	for uid := range redacted {
		if err := redactStream(b, uid); err != nil {
			return nil, nil, err
		}
	}
	return added, fresh, nil
}

// redactStream removes the text of every operation on one entry from the
// database, for good.
func redactStream(b *bolt.Bucket, uid string) error {
	ops, err := streamOps(b, "e:"+uid)
	if err != nil {
		return err
	}
	for _, o := range ops {
		r := incident.RedactOp(o)
		if !incident.SameOp(r, o) {
			if err := putOp(b, r); err != nil {
				return err
			}
		}
	}
	cb := b.Bucket(bucketChanges)
	c := cb.Cursor()
	id := entryIDOf(b)(uid)
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var sc storedChange
		if jsonUnmarshal(v, &sc) == nil && sc.Entry == id {
			sc.Before, sc.After = "(text redacted)", "(text redacted)"
			if err := putJSON(cb, bytes.Clone(k), sc); err != nil {
				return err
			}
		}
	}
	return nil
}

// Ops returns every operation of an incident in fold order, with its uid:
// what sync writes and an export carries.
func (s *Store) Ops(id int64) (uid string, ops []incident.Op, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		h, err := readHead(b)
		if err != nil {
			return err
		}
		uid = h.UID
		ops, err = allOps(b)
		return err
	})
	return uid, ops, err
}

// viewProblems compares what an incident's view holds (inc, read from
// bucket b) with the fold of its operations, for warroom check: a
// sentence for each thing that differs.
func viewProblems(b *bolt.Bucket, inc *incident.Incident) []string {
	if b.Bucket(bucketOps) == nil {
		return nil
	}
	var out []string
	ops := inc.Ops
	byStream := map[string][]incident.Op{}
	for _, o := range ops {
		byStream[o.Stream()] = append(byStream[o.Stream()], o)
	}
	stored := map[string]incident.Entry{}
	for _, e := range inc.Entries {
		stored[e.UID] = e
	}
	lookup := func(uid string) int64 {
		id, _ := lookupUID(b, uid)
		return id
	}
	streams := make([]string, 0, len(byStream))
	for st := range byStream {
		streams = append(streams, st)
	}
	slices.Sort(streams)
	for _, st := range streams {
		if st == "r" {
			continue
		}
		f := incident.FoldEntry(byStream[st], lookup)
		if !f.Exists {
			continue
		}
		for _, want := range append([]incident.Entry{f.Entry}, f.Tellings...) {
			got, ok := stored[want.UID]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s: entry %s is in the operations but not on the timeline", inc.Key(), want.UID))
			case !entryEqual(got, want):
				out = append(out, fmt.Sprintf("%s: entry #%d differs from the fold of its operations", inc.Key(), got.ID))
			}
		}
	}
	f := incident.FoldRecord(byStream["r"])
	if inc.Draft != f.Draft {
		out = append(out, fmt.Sprintf("%s: the public draft differs from the fold of its operations", inc.Key()))
	}
	a, _ := json.Marshal(f.Retro)
	r, _ := json.Marshal(inc.Retro)
	if !bytes.Equal(a, r) {
		out = append(out, fmt.Sprintf("%s: the retro differs from the fold of its operations", inc.Key()))
	}
	if len(f.Updates) != len(inc.Updates) {
		out = append(out, fmt.Sprintf("%s: %d public updates are stored but the operations publish %d", inc.Key(), len(inc.Updates), len(f.Updates)))
	}
	return out
}

// RedactEntry removes an entry's text for good: from the entry, the
// entries that tell of its deletion, the change record and every stored
// operation about it (so the next sync's record files no longer hold it).
// The entry is deleted too, if it was not. What stays on record is that
// author redacted the entry at now, never what it said. A copy that still
// holds the text loses it when it merges this operation.
func (s *Store) RedactEntry(id, entryID int64, now time.Time, author string) (incident.Entry, error) {
	var out incident.Entry
	var secrets []string
	err := s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		e, _, err := loadEntry(b, id, entryID)
		if err != nil {
			return err
		}
		if e.Set.Field == incident.FieldDelete || e.Set.Field == incident.FieldRestore {
			if e, _, err = loadEntry(b, id, e.Ref); err != nil {
				return err
			}
		}
		if e.Set.Field == incident.FieldDeclared {
			return fmt.Errorf("entry #%d is the declaration the incident starts from; it cannot be redacted (change the title with the declare form instead)", e.ID)
		}
		if e.Redacted {
			return fmt.Errorf("entry #%d of INC-%d is already redacted", e.ID, id)
		}
		// The texts it ever had, to wipe from pages bbolt freed.
		had, err := streamOps(b, "e:"+e.UID)
		if err != nil {
			return err
		}
		for _, o := range had {
			if o.Entry != nil {
				secrets = append(secrets, o.Entry.Text)
			}
			if o.Type == incident.OpEntrySet && o.Field == "text" {
				secrets = append(secrets, o.Value)
				if o.Base != nil {
					secrets = append(secrets, *o.Base)
				}
			}
		}
		var ops []incident.Op
		if !e.Deleted {
			ops = append(ops, incident.Op{Type: incident.OpEntryDelete, Target: e.UID})
		}
		ops = append(ops, incident.Op{Type: incident.OpEntryRedact, Target: e.UID})
		if _, err := commitOps(b, ops, now, author, true); err != nil {
			return err
		}
		if err := redactStream(b, e.UID); err != nil {
			return err
		}
		out, _, err = loadEntryByUID(b, e.UID)
		return err
	})
	if err != nil {
		return out, err
	}
	return out, s.wipeFreePages(secrets)
}

// wipeFreePages overwrites, on the pages of the file that bbolt has freed,
// every copy of the given texts: bbolt rewrites a changed page elsewhere
// and leaves the old one as it was until it reuses it, so text removed
// from every record would otherwise linger in the file. It runs in a write
// transaction, so no other process reads or writes meanwhile.
func (s *Store) wipeFreePages(texts []string) error {
	texts = slices.DeleteFunc(slices.Clone(texts), func(t string) bool { return len(t) < 4 })
	if len(texts) == 0 {
		return nil
	}
	// Longest first, so a text that contains another is wiped whole.
	slices.SortFunc(texts, func(a, b string) int { return len(b) - len(a) })
	return s.update(func(tx *bolt.Tx) error {
		data, err := os.ReadFile(s.path)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(s.path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		defer f.Close()
		pageSize := tx.DB().Info().PageSize
		wiped := false
		for _, text := range texts {
			for _, form := range [][]byte{[]byte(text), jsonText(text)} {
				for at := bytes.Index(data, form); at >= 0; {
					pi, err := tx.Page(at / pageSize)
					if err == nil && pi != nil && pi.Type == "free" {
						zero := make([]byte, len(form))
						if _, err := f.WriteAt(zero, int64(at)); err != nil {
							return err
						}
						copy(data[at:], zero)
						wiped = true
					}
					next := bytes.Index(data[at+1:], form)
					if next < 0 {
						break
					}
					at += 1 + next
				}
			}
		}
		if wiped {
			if err := f.Sync(); err != nil {
				return err
			}
		}
		return errNoChanges
	})
}

// jsonText is text as JSON stores it, without the quotes.
func jsonText(text string) []byte {
	b, _ := json.Marshal(text)
	return b[1 : len(b)-1]
}
