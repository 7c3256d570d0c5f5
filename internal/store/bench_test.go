package store

import (
	"encoding/json"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

func benchEntry() incident.Entry {
	return incident.Entry{At: t0, RecordedAt: t0, Author: "amara", Kind: incident.KindAction, Text: "rolled back deploy 4711 on the payments service"}
}

// BenchmarkAppendEntry is one durable entry through the store: open the
// file, one Update transaction, close. Compare with BenchmarkRawBoltPut; the
// store should add at most 20%.
func BenchmarkAppendEntry(b *testing.B) {
	s := openTemp(b)
	inc := declare(b, s, "bench")
	e := benchEntry()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.AppendEntry(inc.ID, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawBoltPut is the baseline: the same JSON payload put in a raw
// bbolt Update on a database that stays open.
func BenchmarkRawBoltPut(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("entries")); return err }); err != nil {
		b.Fatal(err)
	}
	e := benchEntry()
	b.ResetTimer()
	for b.Loop() {
		err := db.Update(func(tx *bolt.Tx) error {
			bk := tx.Bucket([]byte("entries"))
			seq, _ := bk.NextSequence()
			data, err := json.Marshal(&e)
			if err != nil {
				return err
			}
			return bk.Put(u64(seq), data)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
