package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	bolt "go.etcd.io/bbolt"
)

// Every JSON record carries a checksum (schema 3). bbolt checksums only its
// meta pages, so a flipped bit in a data page used to change an entry's
// text or time without anyone noticing; warroom check now reports it, with
// the incident and the entry it hit.
//
// The checksum is CRC-32C over the record's key and its JSON, written after
// the JSON as whitespace: a newline, then 16 characters from " \t\r\n",
// each carrying two bits. JSON allows trailing whitespace, so every reader
// (json.Unmarshal, an older warroom, a script poking at the file) reads a
// sealed record as it read it before; and json.Marshal never ends a value
// with whitespace, so a record with the trailer is told from one without
// (written before schema 3) beyond doubt. Covering the key catches a flip
// that would move an entry in time (its key starts with its time) or file a
// record under another id.

const sealLen = 17

// checksumSchema is the schema from which every record carries a checksum
// (migrateChecksums runs on the way to it). The migration seals only
// records without a seal, so it may run at any step of the migrations.
const checksumSchema = 4

// sealDigits are the trailer's characters; castagnoli (heads.go) is the
// CRC-32C table.
var sealDigits = [4]byte{' ', '\t', '\r', '\n'}

// recordSum is the checksum of the record key -> js.
func recordSum(key, js []byte) uint32 {
	return crc32.Update(crc32.Checksum(key, castagnoli), castagnoli, js)
}

// sealRecord returns a copy of js followed by its checksum trailer; js
// may be bytes in the file.
func sealRecord(key, js []byte) []byte {
	out := make([]byte, len(js), len(js)+sealLen)
	copy(out, js)
	return appendSeal(out, key)
}

// appendSeal appends js's checksum trailer to js, which must be the
// caller's own (json.Marshal's output): no copy of a record is made on the
// way to the page.
func appendSeal(js, key []byte) []byte {
	sum := recordSum(key, js)
	js = append(js, '\n')
	for i := 15; i >= 0; i-- {
		js = append(js, sealDigits[(sum>>(2*uint(i)))&3])
	}
	return js
}

// unsealRecord splits a stored record into its JSON and checksum; sealed
// is false for a record without a trailer.
func unsealRecord(v []byte) (js []byte, sum uint32, sealed bool) {
	if len(v) < sealLen || v[len(v)-sealLen] != '\n' {
		return v, 0, false
	}
	for _, c := range v[len(v)-16:] {
		d := bytes.IndexByte(sealDigits[:], c)
		if d < 0 {
			return v, 0, false
		}
		sum = sum<<2 | uint32(d)
	}
	return v[:len(v)-sealLen], sum, true
}

// recordJSON is a stored record's JSON, without its checksum trailer.
func recordJSON(v []byte) []byte {
	js, _, _ := unsealRecord(v)
	return js
}

// recordState says what a stored record's checksum says of it.
type recordState int

const (
	recordOK       recordState = iota
	recordUnsealed             // no checksum: written before schema 3, or its trailer was hit
	recordDamaged              // the checksum does not match
)

func checkRecord(key, v []byte) recordState {
	js, sum, sealed := unsealRecord(v)
	switch {
	case !sealed:
		return recordUnsealed
	case recordSum(key, js) != sum:
		return recordDamaged
	}
	return recordOK
}

// migrateChecksums (schema 3 -> 4) seals every JSON record of every
// incident. Records are rewritten after each bucket is walked, never while
// a cursor is on it.
func migrateChecksums(tx *bolt.Tx) error {
	return migrateEachIncident(tx, func(b *bolt.Bucket) error {
		if err := sealBucket(b, func(key []byte) bool { return bytes.Equal(key, keyHead) || bytes.Equal(key, keyRetro) }); err != nil {
			return err
		}
		for _, name := range recordBuckets {
			if rb := b.Bucket(name); rb != nil {
				if err := sealBucket(rb, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// recordBuckets are the buckets of an incident whose values are JSON
// records (entry_ids, keys and ui hold plain bytes).
var recordBuckets = [][]byte{bucketEntries, bucketFold, bucketChanges, bucketUpdates, bucketOps, bucketOpChanges}

func sealBucket(b *bolt.Bucket, only func(key []byte) bool) error {
	type kv struct{ k, v []byte }
	var todo []kv
	_ = b.ForEach(func(k, v []byte) error {
		if v == nil || (only != nil && !only(k)) {
			return nil // a nested bucket, or not a record
		}
		if _, _, sealed := unsealRecord(v); !sealed {
			todo = append(todo, kv{bytes.Clone(k), sealRecord(k, v)})
		}
		return nil
	})
	for _, r := range todo {
		if err := b.Put(r.k, r.v); err != nil {
			return err
		}
	}
	return nil
}

// checkRecords verifies the checksum of every record of one incident (k is
// its key in the incidents bucket) and that every entry is indexed under
// its key. Each problem names the incident and the record it hit. Records
// without a checksum are a problem only in a database that should have one
// on every record (checksumSchema and later).
func checkRecords(k []byte, b *bolt.Bucket, schema uint64) []string {
	inc := fmt.Sprintf("incident %x", k)
	if len(k) == 8 {
		inc = fmt.Sprintf("INC-%d", binary.BigEndian.Uint64(k))
	}
	var out []string
	staleSchema := false
	report := func(what string, st recordState) {
		if st != recordUnsealed && schema < checksumSchema && !staleSchema {
			// Checksums came with schema 3: the version itself was hit.
			staleSchema = true
			out = append(out, fmt.Sprintf("%s: its records carry checksums (schema %d) but the database says schema %d: the schema version was damaged; restore a backup", inc, checksumSchema, schema))
		}
		switch {
		case st == recordDamaged:
			out = append(out, fmt.Sprintf("%s: %s is damaged: its checksum does not match, so what is stored there changed since warroom wrote it; restore it from a backup or an export", inc, what))
		case st == recordUnsealed && schema >= checksumSchema:
			out = append(out, fmt.Sprintf("%s: %s has no valid checksum (its end was damaged, or something other than warroom wrote it); restore it from a backup or an export", inc, what))
		}
	}
	for _, key := range [][]byte{keyHead, keyRetro} {
		if v := b.Get(key); v != nil {
			what := "the incident's fields (head record)"
			if bytes.Equal(key, keyRetro) {
				what = "the retrospective record"
			}
			report(what, checkRecord(key, v))
		}
	}
	ids := b.Bucket(bucketEntryIDs)
	for _, name := range recordBuckets {
		rb := b.Bucket(name)
		if rb == nil {
			continue
		}
		_ = rb.ForEach(func(key, v []byte) error {
			if v == nil {
				return nil
			}
			what := recordName(name, key)
			report(what, checkRecord(key, v))
			if bytes.Equal(name, bucketEntries) && ids != nil && len(key) == 16 {
				if got := ids.Get(key[8:]); !bytes.Equal(got, key) {
					out = append(out, fmt.Sprintf("%s: %s is not indexed under its key (the index or the key was damaged), so it cannot be edited; restore it from a backup or an export", inc, what))
				}
			}
			return nil
		})
	}
	return out
}

// recordName names a record for a person: "entry #12", "public update #2".
func recordName(bucket, key []byte) string {
	var id uint64
	switch len(key) {
	case 8:
		id = binary.BigEndian.Uint64(key)
	case 16, 24:
		// An entry key: time, (the adding operation's clock,) id.
		id = binary.BigEndian.Uint64(key[len(key)-8:])
	}
	switch {
	case bytes.Equal(bucket, bucketOps) && len(key) > 8:
		return fmt.Sprintf("operation %s", key[8:])
	case bytes.Equal(bucket, bucketOpChanges) && len(key) > 8:
		return fmt.Sprintf("the change record of operation %s", key[8:])
	case bytes.Equal(bucket, bucketEntries):
		return fmt.Sprintf("entry #%d", id)
	case bytes.Equal(bucket, bucketFold):
		return fmt.Sprintf("the fold's copy of entry #%d", id)
	case bytes.Equal(bucket, bucketChanges):
		return fmt.Sprintf("change record %d", id)
	case bytes.Equal(bucket, bucketUpdates):
		return fmt.Sprintf("public update #%d", id)
	}
	return fmt.Sprintf("record %x", key)
}
