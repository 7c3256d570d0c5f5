package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// Per-user preferences (how the timeline is shown, say) belong to a person,
// not to an incident, so they live in the meta bucket, which every schema
// has, under a prefix that cannot collide with the schema key.
func prefKey(author, name string) []byte { return []byte("pref\x00" + author + "\x00" + name) }

// SetUserPref keeps one preference of a user. It returns the transaction it
// committed in (0 when nothing changed), as SetUIState does, so the cockpit
// can tell its own quiet saves from other processes' writes.
func (s *Store) SetUserPref(author, name, value string) (uint64, error) {
	var txID uint64
	err := s.update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		k := prefKey(author, name)
		if bytes.Equal(m.Get(k), []byte(value)) {
			return errNoChanges
		}
		txID = uint64(tx.ID())
		if value == "" {
			return m.Delete(k)
		}
		return m.Put(k, []byte(value))
	})
	return txID, err
}

// UserPref returns what SetUserPref kept, or "".
func (s *Store) UserPref(author, name string) (string, error) {
	var out string
	err := s.view(func(tx *bolt.Tx) error {
		if m := tx.Bucket(bucketMeta); m != nil {
			out = string(m.Get(prefKey(author, name)))
		}
		return nil
	})
	return out, err
}
