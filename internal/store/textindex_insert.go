package store

import (
	"bytes"
	"fmt"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// regionsRebuilt counts rebuildRegion's calls, for tests.
var regionsRebuilt atomic.Int64

// insertAfterMax bounds how many later entries insertLine decodes to find
// where a new entry's line goes; past it, the run is written again whole.
const insertAfterMax = 16

// insertLine puts the line of a new entry (key, absent before this write)
// into incident's last run (lastKey, lastRun) when the key falls inside that
// run, before its last entry: in a room, lines typed at about the same
// moment commit in any order, and each that lands behind another would
// otherwise have the whole run (about 4 KB of entries) decoded and written
// again. Only the few entries after the key are read, to count the lines
// that follow its own. It reports false, having changed nothing, when the
// key is not inside the last run, too many entries follow it, or the run
// would outgrow textRunBytes; the caller rebuilds the run then.
func insertLine(tb, b *bolt.Bucket, lastKey, lastRun, key []byte, line string) (bool, error) {
	if len(lastKey) < 8 || len(lastRun) < 24 {
		return false, nil
	}
	first, end := lastKey[8:], lastRun[:24]
	if bytes.Compare(key, first) <= 0 || bytes.Compare(key, end) >= 0 {
		return false, nil
	}
	if line == "" {
		// Nothing to search for in it; the run's first and last entry
		// stay those around it.
		return true, nil
	}
	text := lastRun[24:]
	if 24+len(text)+len(line)+1 >= textRunBytes {
		return false, nil
	}
	// The lines after the new one: one for each later entry in the run
	// that is not deleted and has any.
	after := 0
	c := b.Bucket(bucketEntries).Cursor()
	k, v := c.Seek(key)
	if bytes.Equal(k, key) {
		k, v = c.Next()
	}
	for n := 0; k != nil && bytes.Compare(k, end) <= 0; k, v = c.Next() {
		if n++; n > insertAfterMax {
			return false, nil
		}
		var e struct {
			Text    string `json:"text"`
			Deleted bool   `json:"deleted"`
		}
		if err := jsonUnmarshal(v, &e); err != nil {
			return false, fmt.Errorf("a timeline entry is damaged (%v); run warroom check: %w", err, ErrCorrupt)
		}
		if !e.Deleted && entryLine(e.Text) != "" {
			after++
		}
	}
	at := len(text)
	for range after {
		if at == 0 {
			return false, nil // fewer lines than entries: rebuild
		}
		at = bytes.LastIndexByte(text[:at-1], '\n') + 1
	}
	v = make([]byte, 0, len(lastRun)+len(line)+1)
	v = append(v, end...)
	v = append(v, text[:at]...)
	v = append(append(v, line...), '\n')
	v = append(v, text[at:]...)
	return true, tb.Put(bytes.Clone(lastKey), v)
}
