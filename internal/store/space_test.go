package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// appendLines logs n lines into incident id, batch lines a transaction
// (ApplyBackfill), each a minute after the last: a timeline typed, pasted
// and scripted over hours.
func appendLines(t testing.TB, s *Store, id int64, n, batch int) {
	t.Helper()
	at := t0
	for done := 0; done < n; {
		k := min(batch, n-done)
		lines := make([]incident.BackfillLine, k)
		for i := range lines {
			at = at.Add(time.Minute)
			lines[i] = incident.BackfillLine{N: i + 1, At: at, Text: fmt.Sprintf("entry %d: checked the payment gateway logs and the pool metrics", done+i)}
		}
		if _, err := s.ApplyBackfill(id, lines, at, "amara", incident.DefaultPolicy()); err != nil {
			t.Fatal(err)
		}
		done += k
	}
}

// compactedSize compacts the file at path into a new one beside it, with
// bbolt's Compact as warroom compact does, and returns its size.
func compactedSize(t testing.TB, path string) int64 {
	t.Helper()
	src, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	out := filepath.Join(t.TempDir(), "compacted.db")
	dst, err := bolt.Open(out, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	// As warroom compact grows its copy: bbolt's default step would add
	// up to 16 MB that the copy does not use.
	dst.AllocSize = compactAllocSize
	if err := bolt.Compact(dst, src, 0); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// A timeline appended a few lines at a time leaves the file near its
// compacted size: append-only buckets split their pages full (fill.go), and
// the file grows in steps proportional to it. At the default fill the same
// appends made the file about twice its compacted size.
func TestAppendedFileNearCompacted(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "long")
	appendLines(t, s, inc.ID, 6000, 20)
	file, compacted := fileSize(t, s.Path()), compactedSize(t, s.Path())
	if ratio := float64(file) / float64(compacted); ratio > 1.3 {
		t.Errorf("the file is %d bytes, %.2f× its compacted size (%d bytes); want ≤ 1.3×", file, ratio, compacted)
	}
	sp, err := s.Space()
	if err != nil {
		t.Fatal(err)
	}
	if sp.File != file || sp.InUse <= 0 || sp.InUse > compacted {
		t.Errorf("Space = %+v; want the file's %d bytes and at most the compacted %d in use", sp, file, compacted)
	}
}

// BenchmarkFileSize appends a timeline in transactions of a few lines and
// reports the file's size over its compacted size (bbolt's Compact), with
// the fill of append-only buckets as the store sets it and at bbolt's
// default (fill=0.5), in the same run:
//
//	go test -run '^$' -bench FileSize -benchtime 1x ./internal/store
func BenchmarkFileSize(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		for _, fill := range []float64{DefaultFill, packedFill} {
			b.Run(fmt.Sprintf("entries=%d/fill=%.1f", n, fill), func(b *testing.B) {
				defer func(old float64) { packedFill = old }(packedFill)
				packedFill = fill
				var file, compacted int64
				var sp Space
				for b.Loop() {
					s := openTemp(b)
					inc := declare(b, s, "long")
					appendLines(b, s, inc.ID, n, 20)
					b.StopTimer()
					file, compacted = fileSize(b, s.Path()), compactedSize(b, s.Path())
					var err error
					if sp, err = s.Space(); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(file)/1e6, "file-MB")
				b.ReportMetric(float64(compacted)/1e6, "compacted-MB")
				b.ReportMetric(float64(sp.InUse)/1e6, "inuse-MB")
				b.ReportMetric(float64(file)/float64(compacted), "ratio")
				b.ReportMetric(sp.Ratio(), "ratio-inuse")
			})
		}
	}
}

// DefaultFill is bbolt's own fill, the baseline of BenchmarkFileSize.
const DefaultFill = bolt.DefaultFillPercent
