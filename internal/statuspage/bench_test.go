package statuspage

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// thousand is a database of 1,000 published incidents over three years:
// the last 10 open, 40 resolved in the last 30 days, the rest older, each
// with six public updates of a typical length and a short timeline.
func thousand(b *testing.B) *store.Store {
	b.Helper()
	// Generate's lock file goes to the cache directory.
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	st, err := store.Open(filepath.Join(b.TempDir(), "warroom.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	texts := []string{
		"We are investigating reports of failed card payments at checkout. Next update within 30 minutes.",
		"We have identified the cause: a configuration change made this morning. We are undoing it.",
		"The change is undone and payments are recovering. We are watching closely.",
		"Payments have worked normally for 20 minutes. We keep watching before calling this resolved.",
		"A small number of payments made during the incident may show twice; they will be refunded automatically.",
		"This incident is resolved. We are sorry for the trouble, and will publish what we learn.",
	}
	statuses := []incident.Status{incident.Investigating, incident.Identified, incident.Monitoring, incident.Monitoring, incident.Monitoring, incident.Resolved}
	for i := range 1000 {
		var declared time.Time
		switch {
		case i >= 990:
			declared = now.Add(-time.Duration(1000-i) * time.Hour)
		case i >= 950:
			declared = now.Add(-time.Duration(990-i) * 17 * time.Hour)
		default:
			declared = now.Add(-30*24*time.Hour - time.Duration(950-i)*26*time.Hour)
		}
		inc := &incident.Incident{
			UID: fmt.Sprintf("%024x", i+1), Title: fmt.Sprintf("Checkout failing for some customers (%d)", i),
			Severity: incident.Severity(1 + i%4), Status: incident.Resolved, Created: declared, Updated: declared.Add(3 * time.Hour),
			Entries: []incident.Entry{{ID: 1, UID: fmt.Sprintf("e%d", i), At: declared, Author: "amara", Kind: incident.KindNote, Text: "war room note"}},
		}
		n := len(texts)
		if i >= 990 {
			inc.Status, n = incident.Identified, 3
		} else {
			inc.Milestones = map[incident.Milestone]time.Time{incident.MResolved: declared.Add(3 * time.Hour)}
		}
		for j := range n {
			inc.Updates = append(inc.Updates, incident.Update{ID: int64(j + 1), UID: fmt.Sprintf("u%d-%d", i, j), At: declared.Add(time.Duration(j) * 30 * time.Minute),
				Author: "ben", Status: statuses[j], Text: texts[j]})
		}
		if _, err := st.ImportIncident(inc); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

func benchConfig() *config.Config {
	cfg := config.Default()
	cfg.Location = time.UTC
	cfg.StatusPage = config.StatusPage{Org: "Example Ltd"}
	return cfg
}

// BenchmarkStatusPage1000 regenerates the page of 1,000 incidents, as
// after a publish (read the store, render, write what changed), against
// writing the same bytes with os.WriteFile: the ratio is what the page
// costs beyond its bytes (docs/performance.md, "The status page").
func BenchmarkStatusPage1000(b *testing.B) {
	st := thousand(b)
	cfg := benchConfig()
	incs, err := st.IncidentHeads()
	if err != nil {
		b.Fatal(err)
	}
	opts, _ := OptionsFrom(cfg)
	files, err := Build(incs, opts, now)
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for _, data := range files {
		total += len(data)
	}
	perIncident := float64(total) / 1000

	// What regenerating costs before any file is touched: reading the
	// incidents' heads and updates, and rendering every file.
	b.Run("read-and-render", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			incs, err := st.IncidentHeads()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Build(incs, opts, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Into an empty folder: every file is new, as writing the bytes.
	b.Run("regenerate-fresh", func(b *testing.B) {
		b.SetBytes(int64(total))
		for i := 0; b.Loop(); i++ {
			dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
			if _, err := Generate(st, dir, cfg, now); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(perIncident, "bytes/incident")
	})
	b.Run("write-same-bytes", func(b *testing.B) {
		b.SetBytes(int64(total))
		for i := 0; b.Loop(); i++ {
			dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
			if err := os.MkdirAll(filepath.Join(dir, IncidentDir), 0o755); err != nil {
				b.Fatal(err)
			}
			for name, data := range files {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	// Over the existing site, after one more update is published: what a
	// publish costs, where the index, the feed, status.json and one
	// incident's page change (the publish itself is not timed).
	b.Run("regenerate-after-publish", func(b *testing.B) {
		dir := b.TempDir()
		if _, err := Generate(st, dir, cfg, now); err != nil {
			b.Fatal(err)
		}
		id, err := st.LatestOpen()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(total))
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			at := now.Add(time.Duration(i) * time.Second)
			if _, err := st.Apply(id, incident.Capture{Command: incident.CmdPublish, Text: fmt.Sprintf("Update %d: payments are recovering.", i)}, at, "ben", cfg.Policy()); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := Generate(st, dir, cfg, at)
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Written) != 4 {
				b.Fatalf("a publish rewrote %v", res.Written)
			}
		}
	})
}
