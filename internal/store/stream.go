package store

import (
	"bytes"
	"fmt"

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

// StreamIncident reads incident id in one read transaction: fn gets its
// own fields with its retro and public updates (no entries, changes or
// operations: inc.Entries is empty) and a walk over the rest, which reads
// the file as fn goes and is valid only until fn returns. withOps adds the
// operations' walk. What is in memory at once is the head, retro, updates
// and the record being handed over (and, for entries at one time, those).
//
// The file stays locked for reading while fn runs (bbolt's shared lock,
// which keeps writers out), so fn must not wait on anyone: write to a file,
// not to a pipe a person reads at their pace (see cmd/warroom's spool).
func (s *Store) StreamIncident(id int64, withOps bool, fn func(inc *incident.Incident, walk IncidentWalk) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		inc, err := readHead(b)
		if err != nil {
			return err
		}
		if err := getJSON(b, keyRetro, &inc.Retro); err != nil {
			return err
		}
		if inc.Updates, err = readUpdates(b.Bucket(bucketUpdates)); err != nil {
			return err
		}
		walk := IncidentWalk{
			Entries: func(yield func(incident.Entry) error) error { return walkEntries(b, yield) },
			Changes: func(yield func(incident.Change) error) error { return walkChanges(b, yield) },
			EntryByUID: func(uid string) (incident.Entry, bool) {
				id, ok := lookupUID(b, uid)
				if !ok {
					return incident.Entry{}, false
				}
				e, key, err := loadEntryIfAny(b, id)
				return e, err == nil && key != nil
			},
		}
		if withOps {
			walk.Ops = func(yield func(incident.Op) error) error { return walkOps(b, yield) }
		}
		return fn(inc, walk)
	})
}

// walkEntries yields the timeline in time order. The bucket's keys are in
// that order but for entries at the same nanosecond (and those before
// 1970, whose keys are clamped to it), which are sorted among themselves
// as incident.SortEntries sorts them.
func walkEntries(b *bolt.Bucket, yield func(incident.Entry) error) error {
	var run []incident.Entry
	var runKey []byte
	flush := func() error {
		if len(run) > 1 {
			incident.SortEntries(run)
		}
		for _, e := range run {
			if err := yield(e); err != nil {
				return err
			}
		}
		run = run[:0]
		return nil
	}
	c := b.Bucket(bucketEntries).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) < 8 {
			return fmt.Errorf("a timeline entry is filed under a damaged key; run warroom check: %w", ErrCorrupt)
		}
		if runKey != nil && !bytes.Equal(k[:8], runKey) {
			if err := flush(); err != nil {
				return err
			}
		}
		runKey = append(runKey[:0], k[:8]...)
		var e incident.Entry
		if err := decodeEntry(v, &e); err != nil {
			return err
		}
		run = append(run, e)
	}
	return flush()
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
		var sc storedChange
		if err := jsonUnmarshal(v, &sc); err != nil {
			return fmt.Errorf("a change record is damaged (%v); run warroom check: %w", err, ErrCorrupt)
		}
		if err := yield(sc.Change); err != nil {
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
		var o incident.Op
		if err := jsonUnmarshal(v, &o); err != nil {
			return fmt.Errorf("an operation is damaged (%v); run warroom check: %w", err, ErrCorrupt)
		}
		if err := yield(o); err != nil {
			return err
		}
	}
	return nil
}
