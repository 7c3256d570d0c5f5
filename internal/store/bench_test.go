package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Run together so the ratios come from one run on one machine:
//
//	go test -run XXX -bench 'AppendEntry|RawBolt' -benchtime 1s -count 3 ./internal/store
//
// Every put below is durable (bbolt's default: two fsyncs per commit, the
// data pages and then the meta page), which is most of what each costs.

// opClock times each operation of a benchmark loop so that its median and
// 99th percentile are reported beside the mean (ns/op). On a shared disk an
// fsync now and then stalls for milliseconds, which moves the mean by tens
// of percent from one run to the next; the median hardly moves, so ratios
// are read from it. The tail shows the stalls, and the store's turn gaps.
type opClock struct {
	start time.Time
	ops   []time.Duration
}

func (c *opClock) begin() { c.start = time.Now() }
func (c *opClock) end()   { c.ops = append(c.ops, time.Since(c.start)) }

func (c *opClock) report(b *testing.B) {
	if len(c.ops) == 0 {
		return
	}
	slices.Sort(c.ops)
	b.ReportMetric(float64(c.ops[len(c.ops)/2].Nanoseconds()), "p50-ns/op")
	b.ReportMetric(float64(c.ops[len(c.ops)*99/100].Nanoseconds()), "p99-ns/op")
}

func benchEntry() incident.Entry {
	return incident.Entry{At: t0, RecordedAt: t0, Author: "amara", Kind: incident.KindAction, Text: "rolled back deploy 4711 on the payments service"}
}

// BenchmarkAppendEntry is one durable entry through the store: open the
// file, one Update transaction, close. Compare it with both baselines
// below: BenchmarkRawBoltOpenPut is the same work a store that must not
// hold the file lock between calls cannot avoid; BenchmarkRawBoltPut is
// what a process owning the file could have.
func BenchmarkAppendEntry(b *testing.B) {
	s := openTemp(b)
	inc := declare(b, s, "bench")
	e := benchEntry()
	var clock opClock
	for b.Loop() {
		clock.begin()
		if _, err := s.AppendEntry(inc.ID, e); err != nil {
			b.Fatal(err)
		}
		clock.end()
	}
	clock.report(b)
}

// rawPut is the baseline's transaction: the entry as JSON under the next
// sequence number.
func rawPut(db *bolt.DB, e *incident.Entry) error {
	return db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket([]byte("entries"))
		seq, _ := bk.NextSequence()
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		return bk.Put(u64(seq), data)
	})
}

// rawDB creates a raw bbolt file with one bucket and returns its path.
func rawDB(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "raw.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("entries")); return err }); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkRawBoltPut is the floor for a process that owns the file: the
// same JSON payload put in a raw bbolt Update on a database that stays
// open.
func BenchmarkRawBoltPut(b *testing.B) {
	db, err := bolt.Open(rawDB(b), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	e := benchEntry()
	var clock opClock
	for b.Loop() {
		clock.begin()
		if err := rawPut(db, &e); err != nil {
			b.Fatal(err)
		}
		clock.end()
	}
	clock.report(b)
}

// BenchmarkRawBoltOpenPut is the honest floor for the store, which must not
// hold the file lock between calls: the same put, opening the raw bbolt file
// before it and closing it after (lock, meta pages, mmap, freelist; then
// unmap and unlock).
func BenchmarkRawBoltOpenPut(b *testing.B) {
	path := rawDB(b)
	e := benchEntry()
	var clock opClock
	for b.Loop() {
		clock.begin()
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		if err := rawPut(db, &e); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		clock.end()
	}
	clock.report(b)
}

// seedIncident imports an incident of n entries, one a minute before t0.
func seedIncident(b *testing.B, s *Store, n int) int64 {
	b.Helper()
	inc, err := incident.NewIncident(fmt.Sprintf("Incident with %d entries", n), 3, t0.Add(-time.Duration(n+1)*time.Minute), incident.DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	inc.Roles[incident.RoleLead] = "amara"
	inc.Entries = make([]incident.Entry, n)
	for i := range n {
		at := t0.Add(-time.Duration(n-i) * time.Minute)
		inc.Entries[i] = incident.Entry{At: at, RecordedAt: at, Author: "dmitri", Kind: incident.KindNote,
			Text: fmt.Sprintf("entry %d: checked the payment gateway logs and the pool metrics", i)}
	}
	res, err := s.ImportIncident(inc)
	if err != nil {
		b.Fatal(err)
	}
	return res.ID
}

// BenchmarkSinceOneNew is what an open cockpit reads when another process
// has logged one entry: Since from the cursor before it. What it decodes is
// what changed, not the timeline, so the 100,000-entry case should cost
// what the 10-entry one does; the 10,000-entry case shows the trend of what
// does grow (opening the larger file, see docs/performance.md). It times
// the read itself (readSince): Since would serve every call after the first
// from that first read, as nothing commits in between.
func BenchmarkSinceOneNew(b *testing.B) {
	for _, n := range []int{10, 10000, 100000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			s := openTemp(b)
			id := seedIncident(b, s, n)
			snap, err := s.Snapshot(id, 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.AppendEntry(id, benchEntry()); err != nil {
				b.Fatal(err)
			}
			var clock opClock
			for b.Loop() {
				clock.begin()
				d, _, _, err := s.readSince(id, snap.Cursor)
				if err != nil {
					b.Fatal(err)
				}
				clock.end()
				if len(d.Added) != 1 || len(d.Edited) != 0 {
					b.Fatalf("delta has %d added, %d edited; want the one new entry", len(d.Added), len(d.Edited))
				}
			}
			clock.report(b)
		})
	}
}

// BenchmarkBackfill10000 is `warroom log --file` of 10,000 timed lines: one
// transaction through ApplyBackfill (parse, apply, append each line).
// Compare with BenchmarkRawBoltPut10000, the same number of entries put in
// one raw bbolt transaction; the goal is within 2x.
func BenchmarkBackfill10000(b *testing.B) {
	lines := make([]incident.BackfillLine, 10000)
	for i := range lines {
		lines[i] = incident.BackfillLine{N: i + 1, At: t0.Add(time.Duration(i) * time.Second), Text: "rolled back deploy 4711 on the payments service"}
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := openTemp(b)
		inc := declare(b, s, "bench")
		b.StartTimer()
		if _, err := s.ApplyBackfill(inc.ID, lines, t0.Add(24*time.Hour), "amara", incident.DefaultPolicy()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawBoltPut10000 is the baseline for BenchmarkBackfill10000:
// 10,000 entries marshalled and put in one raw bbolt transaction.
func BenchmarkRawBoltPut10000(b *testing.B) {
	e := benchEntry()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		err = db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("entries"))
			if err != nil {
				return err
			}
			for range 10000 {
				seq, _ := bk.NextSequence()
				data, err := json.Marshal(&e)
				if err != nil {
					return err
				}
				if err := bk.Put(u64(seq), data); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkSinceRoom is what each of a room's sessions reads after one
// round of 50 lines, one after the other as they wake: the first read
// (fresh) opens the file and decodes them; every later one (shared) takes
// its part of that read, with (Since) or without (SinceShared) a copy of
// its own.
func BenchmarkSinceRoom(b *testing.B) {
	s := openTemp(b)
	id := seedIncident(b, s, 1000)
	snap, err := s.Snapshot(id, 0)
	if err != nil {
		b.Fatal(err)
	}
	for range 50 {
		if _, err := s.AppendEntry(id, benchEntry()); err != nil {
			b.Fatal(err)
		}
	}
	check := func(d Delta, err error) {
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Added) != 50 {
			b.Fatalf("delta has %d added; want the round's 50", len(d.Added))
		}
	}
	b.Run("fresh", func(b *testing.B) {
		for b.Loop() {
			d, _, _, err := s.readSince(id, snap.Cursor)
			check(d, err)
		}
	})
	b.Run("shared/Since", func(b *testing.B) {
		for b.Loop() {
			check(s.Since(id, snap.Cursor))
		}
	})
	b.Run("shared/SinceShared", func(b *testing.B) {
		for b.Loop() {
			check(s.SinceShared(id, snap.Cursor))
		}
	})
}
