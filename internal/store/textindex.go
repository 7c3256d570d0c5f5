package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// The timeline's text index (schema 5), for search.
//
//	entry_text/<id><entry key>   the case-folded, cleaned text of a run of
//	                             an incident's timeline entries (deleted
//	                             ones left out), one entry a line, from the
//	                             entry of that key on: the key of the run's
//	                             last entry (24 bytes), then the text
//
// The runs of an incident, in key order, hold the text of every entry of
// its timeline that is not deleted, in timeline order, each run at most
// about textRunBytes long; search scans them as grep scans a file, and
// reads an incident only when its runs (or its summary's text) hold the
// query. A line typed adds its text to the incident's last run (or starts
// a new one); an entry edited, deleted, restored or moved has the run it
// falls in written again from the entries, which costs a run's worth of
// decoding. Both happen just before the write commits (flushSummaries),
// from the entries the write put or removed (noteEntry).
var bucketEntryText = []byte("entry_text")

// textRunBytes is the size at which a run is closed and a new one begun.
var textRunBytes = 4 << 10

// entryNote is what a write did to one entry key: put a live entry with
// this text, or anything else (put a deleted entry, removed or moved it
// away), which has the run rebuilt.
type entryNote struct {
	text string
	live bool // put, not deleted: text is its text
}

// noteEntry records, for the text index, that the write put entry e under
// key (or, with e nil, removed what was under key).
func noteEntry(b *bolt.Bucket, key []byte, e *incident.Entry) {
	if !b.Writable() {
		return
	}
	t := touchedFor(b)
	if t.entries == nil {
		t.entries, t.before = map[string]entryNote{}, map[string]uint64{}
	}
	if _, seen := t.before[string(key)]; !seen {
		t.before[string(key)] = entryHash(key, b.Bucket(bucketEntries).Get(key))
	}
	n := entryNote{}
	if e != nil && !e.Deleted {
		n = entryNote{text: e.Text, live: true}
	}
	t.entries[string(key)] = n
}

// entryLine is an entry's line in the index: its text cleaned and folded
// as search reads it, "" when search can find nothing in it.
func entryLine(text string) string {
	t := incident.CleanLine(text)
	if strings.TrimSpace(t) == "" {
		return ""
	}
	return incident.SearchFold(t)
}

// flushEntryText brings the runs of incident id (bucket b) up to date with
// the entries the write noted.
func flushEntryText(tb, b *bolt.Bucket, id []byte, notes map[string]entryNote, before map[string]uint64) error {
	keys := make([]string, 0, len(notes))
	for k := range notes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var done []byte // keys below this are in a run rebuilt or appended to in this flush
	for _, k := range keys {
		key := []byte(k)
		if done != nil && bytes.Compare(key, done) < 0 {
			continue
		}
		last, lastRun, lastEnd := lastRunOf(tb, id)
		n := notes[k]
		if n.live && (last == nil || bytes.Compare(key, lastEnd) > 0) {
			// After every indexed entry: the common write, a line typed.
			if err := appendLine(tb, id, last, lastRun, key, entryLine(n.text)); err != nil {
				return err
			}
			continue
		}
		if !n.live && (last == nil || bytes.Compare(key, lastEnd) > 0) {
			continue // nothing indexed there to take out
		}
		if n.live && len(notes) == 1 && before[k] == 0 {
			// A new entry just before the last ones: lines typed at
			// the same moment in a room commit in any order.
			if ok, err := insertLine(tb, b, last, lastRun, key, entryLine(n.text)); ok || err != nil {
				return err
			}
		}
		from, to, err := regionOf(tb, id, key)
		if err != nil {
			return err
		}
		if err := rebuildRegion(tb, b, id, from, to); err != nil {
			return err
		}
		if to == nil {
			return nil // rebuilt to the end: every later note is in
		}
		done = to
	}
	return nil
}

// lastRunOf returns the key and value of incident id's last run, and the
// key of the last entry in it; nil when it has none.
func lastRunOf(tb *bolt.Bucket, id []byte) (key, run, end []byte) {
	c := tb.Cursor()
	next := binary.BigEndian.AppendUint64(nil, binary.BigEndian.Uint64(id)+1)
	var k, v []byte
	if sk, _ := c.Seek(next); sk == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, id) || len(v) < 24 {
		return nil, nil, nil
	}
	return k, v, v[:24]
}

// appendLine adds an entry's line at the end of incident id's text: to its
// last run, or as a new run when that is full.
func appendLine(tb *bolt.Bucket, id, lastKey, lastRun, entry []byte, line string) error {
	if lastKey != nil && len(lastRun)+len(line) < textRunBytes {
		v := make([]byte, 0, len(lastRun)+len(line)+1)
		v = append(v, entry...)
		v = append(v, lastRun[24:]...)
		if line != "" {
			v = append(append(v, line...), '\n')
		}
		return tb.Put(bytes.Clone(lastKey), v)
	}
	v := append(bytes.Clone(entry), line...)
	if line != "" {
		v = append(v, '\n')
	}
	return tb.Put(append(bytes.Clone(id), entry...), v)
}

// regionOf is the stretch of the timeline whose run holds (or would hold)
// the entry under key: from the key of the run at or before it (nil: the
// start) to the key of the next run (nil: the end), as entry keys.
func regionOf(tb *bolt.Bucket, id, key []byte) (from, to []byte, err error) {
	c := tb.Cursor()
	full := append(bytes.Clone(id), key...)
	k, _ := c.Seek(full)
	if k != nil && bytes.Equal(k, full) {
		from = bytes.Clone(k[8:])
		k, _ = c.Next()
	} else {
		// k is the first run after key (or none): the one before it, of
		// this incident, is where key falls.
		var pk []byte
		if k == nil {
			pk, _ = c.Last()
		} else {
			pk, _ = c.Prev()
			c.Next()
		}
		if pk != nil && bytes.HasPrefix(pk, id) {
			from = bytes.Clone(pk[8:])
		}
	}
	if k != nil && bytes.HasPrefix(k, id) {
		to = bytes.Clone(k[8:])
	}
	return from, to, nil
}

// rebuildRegion writes anew the runs of incident id for the entries with
// keys from from (nil: the first) to before to (nil: past the last).
func rebuildRegion(tb, b *bolt.Bucket, id, from, to []byte) error {
	regionsRebuilt.Add(1)
	lo := append(bytes.Clone(id), from...)
	var hi []byte
	if to != nil {
		hi = append(bytes.Clone(id), to...)
	} else {
		hi = binary.BigEndian.AppendUint64(nil, binary.BigEndian.Uint64(id)+1)
	}
	var old [][]byte
	c := tb.Cursor()
	for k, _ := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, _ = c.Next() {
		old = append(old, bytes.Clone(k))
	}
	for _, k := range old {
		if err := tb.Delete(k); err != nil {
			return err
		}
	}
	return eachRun(b, from, to, func(first, last []byte, text []byte) error {
		return tb.Put(append(bytes.Clone(id), first...), append(bytes.Clone(last), text...))
	})
}

// eachRun reads the entries of incident bucket b with keys from from (nil:
// the first) to before to (nil: past the last) and cuts their lines into
// runs, calling fn with each run's first and last entry key and its text.
func eachRun(b *bolt.Bucket, from, to []byte, fn func(first, last, text []byte) error) error {
	var first, last []byte
	var text []byte
	flush := func() error {
		if first == nil {
			return nil
		}
		err := fn(first, last, text)
		first, last, text = nil, nil, nil
		return err
	}
	c := b.Bucket(bucketEntries).Cursor()
	k, v := c.First()
	if from != nil {
		k, v = c.Seek(from)
	}
	for ; k != nil && (to == nil || bytes.Compare(k, to) < 0); k, v = c.Next() {
		var e struct {
			Text    string `json:"text"`
			Deleted bool   `json:"deleted"`
		}
		if err := jsonUnmarshal(v, &e); err != nil {
			return fmt.Errorf("a timeline entry is damaged (%v); run warroom check: %w", err, ErrCorrupt)
		}
		if e.Deleted {
			continue
		}
		line := entryLine(e.Text)
		if first != nil && 24+len(text)+len(line) >= textRunBytes {
			if err := flush(); err != nil {
				return err
			}
		}
		if first == nil {
			first = bytes.Clone(k)
		}
		last = bytes.Clone(k)
		if line != "" {
			text = append(append(text, line...), '\n')
		}
	}
	return flush()
}

// buildEntryText makes the text index whole (the migration to schema 5).
func buildEntryText(tx *bolt.Tx) error {
	tb, err := tx.CreateBucketIfNotExists(bucketEntryText)
	if err != nil {
		return err
	}
	tb.FillPercent = packedFill
	return forEachIncidentKey(tx, func(k []byte, b *bolt.Bucket) error {
		if len(k) != 8 {
			return nil
		}
		return rebuildRegion(tb, b, k, nil, nil)
	})
}

// entryTextProblems compares incident key's runs with runs made anew from
// its entries, for warroom check. Runs are cut where the writes cut them,
// so what is compared is the text and the keys' coverage: the same lines
// in the same order, every run's keys those of its first and last entry.
func entryTextProblems(tx *bolt.Tx, b *bolt.Bucket, key []byte, name string) []string {
	tb := tx.Bucket(bucketEntryText)
	if tb == nil {
		return nil
	}
	var want []byte
	if err := eachRun(b, nil, nil, func(_, _, text []byte) error { want = append(want, text...); return nil }); err != nil {
		return nil // the entries' own problems are reported already
	}
	var got []byte
	eb := b.Bucket(bucketEntries)
	c := tb.Cursor()
	for k, v := c.Seek(key); k != nil && bytes.HasPrefix(k, key); k, v = c.Next() {
		if len(k) != 32 || len(v) < 24 || eb.Get(k[8:]) == nil || eb.Get(v[:24]) == nil {
			return []string{name + ": its timeline's text index (what search reads) names an entry that is not there"}
		}
		got = append(got, v[24:]...)
	}
	if !bytes.Equal(got, want) {
		return []string{name + ": its timeline's text index (what search reads) differs from the timeline"}
	}
	return nil
}

// incidentsWithText returns the keys of the incidents whose runs hold q.
func incidentsWithText(tx *bolt.Tx, q string) map[string]bool {
	out := map[string]bool{}
	tb := tx.Bucket(bucketEntryText)
	if tb == nil || q == "" {
		return out
	}
	qb := []byte(q)
	c := tb.Cursor()
	for k, v := c.First(); k != nil; {
		if len(k) < 8 || len(v) < 24 || !bytes.Contains(v[24:], qb) {
			k, v = c.Next()
			continue
		}
		out[string(k[:8])] = true
		// The rest of this incident's runs need not be looked at.
		next := binary.BigEndian.AppendUint64(nil, binary.BigEndian.Uint64(k[:8])+1)
		k, v = c.Seek(next)
	}
	return out
}
