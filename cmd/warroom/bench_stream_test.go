package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// BenchmarkShowJSON is show --json of one incident of 10,000 and of
// 100,000 entries, streamed (the command as it is) and read whole and
// encoded at once (as before), in process, printing to io.Discard:
//
//	go test -run '^$' -bench ShowJSON -benchtime 3x ./cmd/warroom
//
// It reports the peak of the live heap while the command runs (sampled
// every 100 µs; peak-heap-MB, over what was live before it began) and the
// bytes allocated per run (alloc-MB/op), beside the largest entry's JSON
// (entry-KB) and the document's size (doc-MB). The goal: a peak no larger
// than twice the largest entry plus a fixed amount, whatever the
// incident's size.
func BenchmarkShowJSON(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		dir := b.TempDir()
		b.Setenv("HOME", dir)
		b.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
		b.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
		b.Setenv("TMPDIR", dir)
		db := filepath.Join(dir, "big.db")
		st, err := store.Open(db)
		if err != nil {
			b.Fatal(err)
		}
		created := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		inc := &incident.Incident{Title: "big", Severity: 2, Status: incident.Investigating, Created: created, Updated: created,
			Roles: map[string]string{incident.RoleLead: "amara"}}
		inc.Entries = append(inc.Entries, incident.DeclaredEntry(inc, "amara", created))
		largest := 0
		for i := range n {
			at := created.Add(time.Duration(i+1) * time.Second)
			text := fmt.Sprintf("entry %d: checked the payment gateway logs and the pool metrics", i)
			inc.Entries = append(inc.Entries, incident.Entry{UID: fmt.Sprintf("e-%d", i), At: at, RecordedAt: at, Author: "dmitri", Kind: incident.KindNote, Text: text})
			largest = max(largest, len(text)+200)
		}
		if _, err := st.ImportIncident(inc); err != nil {
			b.Fatal(err)
		}
		inc = nil
		for _, mode := range []string{"streamed", "whole"} {
			b.Run(fmt.Sprintf("entries=%d/%s", n, mode), func(b *testing.B) {
				var peak, alloc uint64
				var size int64
				for b.Loop() {
					cw := &countingWriter{}
					p, a := peakHeap(func() {
						if mode == "streamed" {
							root := newRootCmd(newApp(cw, io.Discard))
							root.SetArgs([]string{"--db", db, "show", "1", "--json"})
							if err := root.Execute(); err != nil {
								b.Fatal(err)
							}
							return
						}
						whole, err := st.Incident(1)
						if err != nil {
							b.Fatal(err)
						}
						whole.Ops = nil
						data, err := export.JSON(whole, incident.DefaultPolicy())
						if err != nil {
							b.Fatal(err)
						}
						_, _ = cw.Write(data)
					})
					peak, alloc, size = max(peak, p), a, cw.n
				}
				b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
				b.ReportMetric(float64(alloc)/1e6, "alloc-MB/op")
				b.ReportMetric(float64(size)/1e6, "doc-MB")
				b.ReportMetric(float64(largest)/1e3, "entry-KB")
			})
		}
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// peakHeap runs fn and returns the most heap its objects took meanwhile,
// over what was live before, and the bytes it allocated.
func peakHeap(fn func()) (peak, alloc uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	base, allocBase := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	var max uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(s)
				mu.Lock()
				if v := s[0].Value.Uint64(); v > max {
					max = v
				}
				mu.Unlock()
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	metrics.Read(sample)
	if v := sample[0].Value.Uint64(); v > max {
		max = v
	}
	if max < base {
		return 0, sample[1].Value.Uint64() - allocBase
	}
	return max - base, sample[1].Value.Uint64() - allocBase
}
