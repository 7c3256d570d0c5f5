package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migrations[i] moves the schema from version i to i+1. They run in order in
// one transaction, so a database is never left half migrated.
var migrations = []func(tx *bolt.Tx) error{
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketIncidents} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
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
