package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// eachIncident calls fn with every incident's bucket, in creation order or
// newest first: the one walk of the incidents bucket that every read of
// many incidents shares.
func eachIncident(tx *bolt.Tx, newestFirst bool, fn func(b *bolt.Bucket)) {
	root := tx.Bucket(bucketIncidents)
	if root == nil {
		return
	}
	c := root.Cursor()
	next, k, v := c.Next, []byte(nil), []byte(nil)
	if newestFirst {
		next = c.Prev
		k, v = c.Last()
	} else {
		k, v = c.First()
	}
	for ; k != nil; k, v = next() {
		if v == nil {
			fn(root.Bucket(k))
		}
	}
}

// migrateEachIncident calls fn with every incident's bucket, for a
// migration that rewrites them (see forEachIncidentKey).
func migrateEachIncident(tx *bolt.Tx, fn func(b *bolt.Bucket) error) error {
	return forEachIncidentKey(tx, func(k []byte, b *bolt.Bucket) error { return fn(packIncident(b, k)) })
}

// forEachIncidentKey calls fn with every incident's key and bucket, for a
// migration or a rebuild that writes as it goes: the keys are gathered
// first, so fn may change the buckets, and an error names the incident.
func forEachIncidentKey(tx *bolt.Tx, fn func(k []byte, b *bolt.Bucket) error) error {
	root := tx.Bucket(bucketIncidents)
	if root == nil {
		return nil
	}
	var ids [][]byte
	_ = root.ForEachBucket(func(k []byte) error { ids = append(ids, bytes.Clone(k)); return nil })
	for _, k := range ids {
		if err := fn(k, root.Bucket(k)); err != nil {
			if len(k) == 8 {
				return fmt.Errorf("INC-%d: %w", int64(binary.BigEndian.Uint64(k)), err)
			}
			return err
		}
	}
	return nil
}
