package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc64"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// IncidentWalk reads the long parts of an incident one record at a time:
// what show --json and export --format json write without holding a
// 100,000-entry incident in memory (export.Source has the same shape).
type IncidentWalk struct {
	// Entries walks the timeline in the order incident.SortEntries gives,
	// deleted entries included.
	Entries func(yield func(incident.Entry) error) error
	// Changes walks the change record as Incident has it.
	Changes func(yield func(incident.Change) error) error
	// Ops walks the operations in fold order; nil unless asked for.
	Ops func(yield func(incident.Op) error) error
	// EntryByUID reads one entry.
	EntryByUID func(uid string) (incident.Entry, bool)
}

// StreamIncident reads incident id for fn: its own fields with its retro
// and public updates (no entries, changes or operations: inc.Entries is
// empty) and a walk over the rest, which reads the file as fn goes and is
// valid only until fn returns. withOps adds the operations' walk. What is
// in memory at once is the head, retro, updates, one chunk of records
// (about streamChunkBytes) and the record being handed over.
//
// The walks read the file a chunk at a time, each chunk in a read
// transaction of its own, so the file is not kept locked while fn works
// (encoding 100,000 entries takes a second; writers would wait that long).
// Each chunk checks that the incident is as it was when fn began (the
// roots of its buckets, and its head and retro); if a write changed it
// meanwhile, the walk fails and fn is called again from the start, so fn
// must throw away what it made of the earlier call. After streamTries such
// tries, the whole incident is read in one transaction that fn runs in.
func (s *Store) StreamIncident(id int64, withOps bool, fn func(inc *incident.Incident, walk IncidentWalk) error) error {
	for range streamTries {
		err := s.streamChunked(id, withOps, fn)
		if !errors.Is(err, errIncidentMoved) {
			return err
		}
	}
	return s.streamInOne(id, withOps, fn)
}

// How many times StreamIncident starts again after a write moved the
// incident, and how much a walk reads in one transaction.
var (
	streamTries      = 3
	streamChunkBytes = 256 << 10
)

var errIncidentMoved = errors.New("the incident changed while it was being read")

// readStreamHead reads what StreamIncident hands fn first.
func readStreamHead(b *bolt.Bucket) (*incident.Incident, error) {
	inc, err := readHead(b)
	if err != nil {
		return nil, err
	}
	if err := getJSON(b, keyRetro, &inc.Retro); err != nil {
		return nil, err
	}
	if inc.Updates, err = readUpdates(b.Bucket(bucketUpdates)); err != nil {
		return nil, err
	}
	return inc, nil
}

// incidentVersion names the state of what StreamIncident reads of an
// incident: the root page of each bucket it walks (bbolt writes a
// changed bucket's pages anew, root included; a bucket small enough to
// live inside its parent is summed instead) and the sums of its head and
// retro. A write to anything else (a half-typed line, presence) leaves it.
func incidentVersion(b *bolt.Bucket) string {
	h := crc64.New(crc64Table)
	h.Write(b.Get(keyHead))
	h.Write(b.Get(keyRetro))
	for _, name := range [][]byte{bucketEntries, bucketUpdates, bucketOpChanges, bucketChanges, bucketOps, bucketEntryUIDs, bucketEntryIDs} {
		sub := b.Bucket(name)
		if sub == nil {
			h.Write([]byte{0})
			continue
		}
		var root [8]byte
		binary.BigEndian.PutUint64(root[:], uint64(sub.Root()))
		h.Write(root[:])
		if sub.Root() == 0 {
			_ = sub.ForEach(func(k, v []byte) error { h.Write(k); h.Write(v); return nil })
		}
	}
	return string(h.Sum(nil))
}

// streamChunked is one try of StreamIncident, reading in chunks.
func (s *Store) streamChunked(id int64, withOps bool, fn func(inc *incident.Incident, walk IncidentWalk) error) error {
	var inc *incident.Incident
	var version string
	err := s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		version = incidentVersion(b)
		inc, err = readStreamHead(b)
		return err
	})
	if err != nil {
		return err
	}
	// chunk reads, in a transaction of its own, the records of one of the
	// incident's buckets from the key after from, up to about
	// streamChunkBytes of them; next is nil after the last.
	chunk := func(name []byte, from []byte) (keys, values [][]byte, next []byte, err error) {
		err = s.view(func(tx *bolt.Tx) error {
			b, err := incidentBucket(tx, id)
			if err != nil {
				return err
			}
			if incidentVersion(b) != version {
				return errIncidentMoved
			}
			sub := b.Bucket(name)
			if sub == nil {
				return nil
			}
			c := sub.Cursor()
			k, v := c.First()
			if from != nil {
				if k, v = c.Seek(from); k != nil && bytes.Equal(k, from) {
					k, v = c.Next()
				}
			}
			size := 0
			for ; k != nil; k, v = c.Next() {
				if size >= streamChunkBytes {
					next = bytes.Clone(keys[len(keys)-1])
					return nil
				}
				keys, values = append(keys, bytes.Clone(k)), append(values, bytes.Clone(v))
				size += len(k) + len(v)
			}
			return nil
		})
		return keys, values, next, err
	}
	walkBucket := func(name []byte, each func(k, v []byte) error) error {
		var from []byte
		for {
			keys, values, next, err := chunk(name, from)
			if err != nil {
				return err
			}
			for i := range keys {
				if err := each(keys[i], values[i]); err != nil {
					return err
				}
			}
			if next == nil {
				return nil
			}
			from = next
		}
	}
	walk := IncidentWalk{
		Entries: func(yield func(incident.Entry) error) error {
			r := entryRuns{yield: yield}
			if err := walkBucket(bucketEntries, r.add); err != nil {
				return err
			}
			return r.flush()
		},
		Changes: func(yield func(incident.Change) error) error {
			name := bucketOpChanges
			err := s.view(func(tx *bolt.Tx) error {
				b, err := incidentBucket(tx, id)
				if err == nil && b.Bucket(bucketOpChanges) == nil {
					name = bucketChanges
				}
				return err
			})
			if err != nil {
				return err
			}
			return walkBucket(name, func(_, v []byte) error { return yieldChange(v, yield) })
		},
		EntryByUID: func(uid string) (e incident.Entry, found bool) {
			_ = s.view(func(tx *bolt.Tx) error {
				b, err := incidentBucket(tx, id)
				if err != nil || incidentVersion(b) != version {
					return err
				}
				e, found = entryByUID(b, uid)
				return nil
			})
			return e, found
		},
	}
	if withOps {
		walk.Ops = func(yield func(incident.Op) error) error {
			return walkBucket(bucketOps, func(_, v []byte) error { return yieldOp(v, yield) })
		}
	}
	if err := fn(inc, walk); err != nil {
		return err
	}
	// A lookup by uid that found the incident moved reports nothing: the
	// version is read once more, so that such a run is not kept.
	return s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err == nil && incidentVersion(b) != version {
			return errIncidentMoved
		}
		return err
	})
}

// streamInOne is StreamIncident in one read transaction, which fn runs in.
func (s *Store) streamInOne(id int64, withOps bool, fn func(inc *incident.Incident, walk IncidentWalk) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		inc, err := readStreamHead(b)
		if err != nil {
			return err
		}
		walk := IncidentWalk{
			Entries: func(yield func(incident.Entry) error) error { return walkEntries(b, yield) },
			Changes: func(yield func(incident.Change) error) error { return walkChanges(b, yield) },
			EntryByUID: func(uid string) (incident.Entry, bool) {
				return entryByUID(b, uid)
			},
		}
		if withOps {
			walk.Ops = func(yield func(incident.Op) error) error { return walkOps(b, yield) }
		}
		return fn(inc, walk)
	})
}

// entryByUID reads the entry with that uid from incident bucket b.
func entryByUID(b *bolt.Bucket, uid string) (incident.Entry, bool) {
	id, ok := lookupUID(b, uid)
	if !ok {
		return incident.Entry{}, false
	}
	e, key, err := loadEntryIfAny(b, id)
	return e, err == nil && key != nil
}

// entryRuns hands entries on in time order: the bucket's keys are in that
// order but for entries at the same nanosecond (and those before 1970,
// whose keys are clamped to it), which are sorted among themselves as
// incident.SortEntries sorts them.
type entryRuns struct {
	yield  func(incident.Entry) error
	run    []incident.Entry
	runKey []byte
}

func (r *entryRuns) add(k, v []byte) error {
	if len(k) < 8 {
		return fmt.Errorf("a timeline entry is filed under a damaged key; run warroom check: %w", ErrCorrupt)
	}
	if r.runKey != nil && !bytes.Equal(k[:8], r.runKey) {
		if err := r.flush(); err != nil {
			return err
		}
	}
	r.runKey = append(r.runKey[:0], k[:8]...)
	var e incident.Entry
	if err := decodeEntry(v, &e); err != nil {
		return err
	}
	r.run = append(r.run, e)
	return nil
}

func (r *entryRuns) flush() error {
	if len(r.run) > 1 {
		incident.SortEntries(r.run)
	}
	for _, e := range r.run {
		if err := r.yield(e); err != nil {
			return err
		}
	}
	r.run = r.run[:0]
	return nil
}

func yieldChange(v []byte, yield func(incident.Change) error) error {
	var sc storedChange
	if err := jsonUnmarshal(v, &sc); err != nil {
		return fmt.Errorf("a change record is damaged (%v); run warroom check: %w", err, ErrCorrupt)
	}
	return yield(sc.Change)
}

func yieldOp(v []byte, yield func(incident.Op) error) error {
	var o incident.Op
	if err := jsonUnmarshal(v, &o); err != nil {
		return fmt.Errorf("an operation is damaged (%v); run warroom check: %w", err, ErrCorrupt)
	}
	return yield(o)
}

// walkEntries yields the timeline in time order (see entryRuns).
func walkEntries(b *bolt.Bucket, yield func(incident.Entry) error) error {
	r := entryRuns{yield: yield}
	c := b.Bucket(bucketEntries).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := r.add(k, v); err != nil {
			return err
		}
	}
	return r.flush()
}

// walkChanges yields the change record as copyIncident reads it.
func walkChanges(b *bolt.Bucket, yield func(incident.Change) error) error {
	cb := b.Bucket(bucketOpChanges)
	if cb == nil {
		cb = b.Bucket(bucketChanges)
	}
	if cb == nil {
		return nil
	}
	c := cb.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := yieldChange(v, yield); err != nil {
			return err
		}
	}
	return nil
}

// walkOps yields the operations in fold order.
func walkOps(b *bolt.Bucket, yield func(incident.Op) error) error {
	ob := b.Bucket(bucketOps)
	if ob == nil {
		return nil
	}
	c := ob.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := yieldOp(v, yield); err != nil {
			return err
		}
	}
	return nil
}
