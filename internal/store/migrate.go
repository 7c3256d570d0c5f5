package store

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Buckets added by schema 2: the copies of the entries that set fields (the
// fold reads only these) and the change record.
var (
	bucketFold    = []byte("fold")
	bucketChanges = []byte("changes")
)

// incidentBuckets are the buckets inside every incident's bucket.
var incidentBuckets = [][]byte{bucketEntries, bucketEntryIDs, bucketUpdates, bucketUI, bucketFold, bucketChanges, bucketOps, bucketStreams, bucketEntryUIDs, bucketOpChanges}

// migrations[i] moves the schema from version i to i+1. They run in order in
// one transaction, so a database is never left half migrated.
var migrations = []func(tx *bolt.Tx) error{
	// 0 → 1: the top-level buckets.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketIncidents} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 1 → 2: the timeline becomes the record. Every entry that changed a
	// field gets the Setting the fold reads (read back from the text
	// warroom wrote for it), a declaration carries what no entry says, and
	// the head is then the fold. No entry is removed or re-keyed.
	migrateTimelineIsTheRecord,
	// 2 → 3: operations are the record. Each incident is described as
	// operations (incident.LegacyOps, the same on every laptop for the same
	// content) and its view folded again from them; entries and updates
	// keep their local numbers.
	migrateOperations,
	// 3 → 4: every JSON record carries a checksum (checksum.go).
	migrateChecksums,
	// 4 → 5: a summary of each incident for list, stats and search
	// (summary.go), and the text of each timeline for search
	// (textindex.go).
	func(tx *bolt.Tx) error {
		if err := buildSummaries(tx); err != nil {
			return err
		}
		if err := buildEntryText(tx); err != nil {
			return err
		}
		// Both are whole now: what the earlier migrations of this
		// transaction noted is in them already.
		touchedIncidents.Delete(tx)
		return nil
	},
}

func migrate(tx *bolt.Tx, from uint64) error {
	for v := from; v < SchemaVersion; v++ {
		if err := migrations[v](tx); err != nil {
			return fmt.Errorf("migrating the database to schema %d: %w", v+1, err)
		}
	}
	m, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	return m.Put(keySchema, u64(SchemaVersion))
}

func migrateTimelineIsTheRecord(tx *bolt.Tx) error {
	return migrateEachIncident(tx, func(b *bolt.Bucket) error {
		for _, name := range incidentBuckets {
			if _, err := b.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		inc, err := readIncident(tx, b)
		if err != nil {
			return err
		}
		return backfillIncident(b, inc, "warroom")
	})
}

// backfillIncident gives an incident's entries the settings the fold reads
// (see incident.Backfill), writes the entries that changed or were added,
// and folds the head.
func backfillIncident(b *bolt.Bucket, inc *incident.Incident, author string) error {
	before := make(map[int64]incident.Setting, len(inc.Entries))
	for _, e := range inc.Entries {
		before[e.ID] = e.Set
	}
	incident.Backfill(inc, author)
	for _, e := range inc.Entries {
		if e.ID == 0 {
			seq, err := b.Bucket(bucketEntries).NextSequence()
			if err != nil {
				return err
			}
			e.ID = int64(seq)
			if e.UID == "" {
				e.UID = NewUID()
			}
			if err := putEntry(b, e, nil); err != nil {
				return err
			}
			continue
		}
		if settingEqual(before[e.ID], e.Set) {
			continue
		}
		key := b.Bucket(bucketEntryIDs).Get(idKey(e.ID))
		if key == nil {
			key = entryKey(e)
		}
		if err := putEntry(b, e, bytes.Clone(key)); err != nil {
			return err
		}
	}
	_, err := refold(b)
	return err
}

func settingEqual(a, b incident.Setting) bool {
	if a.Field != b.Field || a.Key != b.Key || a.Value != b.Value {
		return false
	}
	return (a.Declared == nil) == (b.Declared == nil)
}

func migrateOperations(tx *bolt.Tx) error {
	return migrateEachIncident(tx, func(b *bolt.Bucket) error { return operationsOf(tx, b) })
}

// operationsOf turns one incident of schema 2 into operations.
func operationsOf(tx *bolt.Tx, b *bolt.Bucket) error {
	inc, err := readIncident(tx, b)
	if err != nil {
		return err
	}
	for i := range inc.Entries {
		if inc.Entries[i].UID == "" {
			inc.Entries[i].UID = NewUID()
		}
	}
	for i := range inc.Updates {
		if inc.Updates[i].UID == "" {
			inc.Updates[i].UID = NewUID()
		}
	}
	if inc.UID == "" {
		inc.UID = NewUID()
		h, err := readHead(b)
		if err != nil {
			return err
		}
		h.UID = inc.UID
		if err := putHead(b, h); err != nil {
			return err
		}
	}
	for _, name := range opBuckets {
		if _, err := b.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	fillAppendOnly(b)
	ub := b.Bucket(bucketEntryUIDs)
	for _, e := range inc.Entries {
		if err := ub.Put([]byte(e.UID), idKey(e.ID)); err != nil {
			return err
		}
	}
	for _, u := range inc.Updates {
		if err := ub.Put([]byte("u:"+u.UID), idKey(u.ID)); err != nil {
			return err
		}
	}
	// The view is folded again from the operations: clear it, keeping
	// the buckets' sequences (the next local numbers).
	for _, name := range [][]byte{bucketEntries, bucketEntryIDs, bucketFold, bucketUpdates} {
		if err := clearBucket(b.Bucket(name)); err != nil {
			return err
		}
	}
	ops := incident.LegacyOps(inc)
	if _, _, err := unionOps(b, ops, time.Time{}); err != nil {
		return err
	}
	return rebuildView(b, time.Time{})
}

// clearBucket deletes every key of b, keeping its sequence.
func clearBucket(b *bolt.Bucket) error {
	if b == nil {
		return nil
	}
	var keys [][]byte
	_ = b.ForEach(func(k, v []byte) error {
		if v != nil {
			keys = append(keys, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
