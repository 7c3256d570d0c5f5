package export

import (
	"strings"
	"testing"
)

// BenchmarkExport renders incidents of 1,000 and 10,000 entries; the export
// should grow linearly (10k within 12× of 1k).
func BenchmarkExport(b *testing.B) {
	for _, n := range []struct {
		name    string
		entries int
	}{{"entries=1000", 1000}, {"entries=10000", 10000}} {
		inc := generate(1, n.entries, 5)[0]
		opts := utcOptions()
		b.Run(n.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Markdown(inc, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearch searches 1,000 incidents of 100 entries each. The
// plain-scan sub-benchmark is the baseline: strings.Contains over the same
// texts, already in memory and lower case, with no hits to build. The
// index should stay within 3× of it.
func BenchmarkSearch(b *testing.B) {
	repo := generate(1000, 100, 6)
	idx := NewSearchIndex(repo)
	var texts []string
	for _, f := range idx.fields {
		texts = append(texts, strings.ToLower(f.text))
	}
	for _, q := range []struct{ name, query string }{{"rare", "Cache Latency Queue"}, {"absent", "no such phrase"}} {
		b.Run("index/"+q.name, func(b *testing.B) {
			hits := 0
			for b.Loop() {
				hits = len(idx.Search(q.query))
			}
			b.ReportMetric(float64(hits), "hits")
		})
		lq := strings.ToLower(q.query)
		b.Run("plain-scan/"+q.name, func(b *testing.B) {
			hits := 0
			for b.Loop() {
				hits = 0
				for _, t := range texts {
					if strings.Contains(t, lq) {
						hits++
					}
				}
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
}
