package store

import (
	"os"

	bolt "go.etcd.io/bbolt"
)

// How full bbolt leaves the pages it splits.
//
// bbolt splits a leaf that outgrows its page at the bucket's FillPercent,
// 50% unless told otherwise. That suits keys inserted at random; for keys
// that grow at the end (an entry id, an operation's clock) the first half
// of every split page is never written again, so an incident typed line by
// line left its pages 46% full and the file 2.5 times its compacted size.
// FillPercent belongs to the bucket handle of one transaction and is read
// at commit, when the pages are split; bbolt caches a transaction's child
// bucket handles, so setting it once on the handles an incident's writes go
// through covers every write of that transaction (packIncident, called
// wherever a write transaction opens or creates an incident's bucket).
//
// Which buckets: those whose keys grow at their end. entry_uids is left at
// the default, as uids are random: a split at 100% of a page that is then
// inserted into in its middle leaves a page holding one key, again and
// again. The streams index grows at the end of its "e" keys, just before
// the record stream's "r" keys; a split there at 90% leaves room for the
// next lines before the page splits again.
var packedFill = 0.9

// packedBuckets are an incident's buckets whose keys grow at their end.
var packedBuckets = [][]byte{bucketEntries, bucketEntryIDs, bucketFold, bucketChanges, bucketUpdates, bucketOps, bucketStreams, bucketOpChanges}

// packIncident sets the fill of an incident's append-only buckets for the
// rest of the write transaction b belongs to, and notes the incident
// (filed under key) for its summary (see summary.go); in a read, it does
// nothing.
func packIncident(b *bolt.Bucket, key []byte) *bolt.Bucket {
	if b == nil || !b.Writable() {
		return b
	}
	touchIncident(b, key)
	fillAppendOnly(b)
	return b
}

// fillAppendOnly sets the fill of incident bucket b's append-only buckets.
func fillAppendOnly(b *bolt.Bucket) {
	for _, name := range packedBuckets {
		if c := b.Bucket(name); c != nil {
			c.FillPercent = packedFill
		}
	}
}

// growInSteps sets how much bbolt adds to the file when a write needs more
// room: a sixteenth of its size, at least 1 MB, instead of bbolt's 16 MB,
// so that the file is not up to 16 MB larger than what it holds (half of a
// 33 MB file). Growing takes a truncate and an fsync, so steps in
// proportion to the size keep their number small whatever it grows to.
func growInSteps(db *bolt.DB, fi os.FileInfo) {
	if db.IsReadOnly() {
		return
	}
	step := 1 << 20
	if fi != nil {
		step = max(step, int(fi.Size()/16))
	}
	db.AllocSize = step
}

// replaced reports whether path no longer names the file that was there
// when before was read.
func replaced(before os.FileInfo, path string) bool {
	if before == nil {
		return false
	}
	now, err := os.Stat(path)
	return err == nil && !os.SameFile(before, now)
}
