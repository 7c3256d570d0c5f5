package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// The repository at 10,000 incidents (issue 22): list --all, stats, search
// and export --all, each beside its floor in the same loop, alternating
// which runs first:
//
//	go test -run '^$' -bench Repository10000 -benchtime 5x ./cmd/warroom
//
// Seeding takes a minute or two (10,000 durable imports of 40 entries).
// Each sub-benchmark reports the medians of its command and its floor
// (cmd-p50-ms, floor-p50-ms) and their ratio (ratio-p50):
//
//   - list --all and stats, run in process (cobra, config, the store,
//     printing to io.Discard), beside a raw bbolt walk that copies out what
//     each printed from before summaries, decoding nothing: every head and
//     the number of entries for list; every head, retro and public update
//     for stats. The "-heads" cases are the same commands' old read (the
//     heads decoded from JSON), for the before and after in one run.
//   - search, as a process (the built binary), beside grep -ri over the
//     same incidents exported as Markdown.
//   - export --all into an empty folder beside copying the files of an
//     earlier export into an empty folder (the same bytes written); into
//     the unchanged folder beside a raw walk of every record.
const (
	scaleIncidents = 10000
	scaleEntries   = 40
)

func BenchmarkRepository10000(b *testing.B) {
	dir := b.TempDir()
	benchHome(b, dir)
	db := filepath.Join(dir, "repo.db")
	seedRepository(b, db, scaleIncidents, scaleEntries)
	if fi, err := os.Stat(db); err == nil {
		b.Logf("seeded %d incidents of %d entries: %.1f MB", scaleIncidents, scaleEntries, float64(fi.Size())/1e6)
	}
	run := func(args ...string) func() {
		return func() {
			root := newRootCmd(newApp(io.Discard, io.Discard))
			root.SetArgs(append([]string{"--db", db}, args...))
			if err := root.Execute(); err != nil {
				b.Fatalf("warroom %v: %v", args, err)
			}
		}
	}
	process := func(name string, args ...string) func() {
		return func() {
			cmd := exec.Command(name, args...)
			cmd.Env = append(benchEnv(dir), "WARROOM_DB="+db, "TZ=UTC")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			// grep exits 1 when nothing matches; the query here matches.
			if err := cmd.Run(); err != nil {
				b.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
			}
		}
	}
	side := func(name string, cmd, floor func()) {
		b.Run(name, func(b *testing.B) {
			cmd()
			floor()
			var cs, fs []time.Duration
			timed := func(fn func(), into *[]time.Duration) {
				start := time.Now()
				fn()
				*into = append(*into, time.Since(start))
			}
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					timed(cmd, &cs)
					timed(floor, &fs)
				} else {
					timed(floor, &fs)
					timed(cmd, &cs)
				}
			}
			c, f := median(cs), median(fs)
			b.ReportMetric(ms(c), "cmd-p50-ms")
			b.ReportMetric(ms(f), "floor-p50-ms")
			b.ReportMetric(float64(c)/float64(f), "ratio-p50")
		})
	}
	heads := func(parts bool) func() { return func() { rawHeads(b, db, parts) } }
	side("list-all", run("list", "--all"), heads(false))
	side("list-all-heads", func() {
		st, err := store.OpenExisting(db)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.ListIncidents(); err != nil {
			b.Fatal(err)
		}
	}, heads(false))
	side("stats", run("stats"), heads(true))
	side("stats-heads", func() {
		st, err := store.OpenExisting(db)
		if err != nil {
			b.Fatal(err)
		}
		incs, err := st.IncidentHeads()
		if err != nil {
			b.Fatal(err)
		}
		export.ComputeStats(incs, time.Now(), incident.DefaultPolicy())
	}, heads(true))

	out := filepath.Join(dir, "export")
	run("export", "--all", "--dir", out)()
	const query = "connection pool exhausted"
	side("search", process(binPath, "search", query), process("grep", "-ri", query, out))
	side("search-in-process", run("search", query), process("grep", "-ri", query, out))

	side("export-all-unchanged", run("export", "--all", "--dir", out), func() { rawWalk(b, db) })
	fresh := 0
	side("export-all-fresh", func() {
		fresh++
		run("export", "--all", "--dir", filepath.Join(dir, fmt.Sprintf("fresh-%d", fresh)))()
		_ = os.RemoveAll(filepath.Join(dir, fmt.Sprintf("fresh-%d", fresh)))
	}, func() {
		fresh++
		copyTree(b, out, filepath.Join(dir, fmt.Sprintf("copy-%d", fresh)))
		_ = os.RemoveAll(filepath.Join(dir, fmt.Sprintf("copy-%d", fresh)))
	})
}

// rawHeads opens the database read-only with bbolt alone and copies out
// every incident's head and its number of entries (the entries bucket's
// sequence) and, with parts, its retro and public updates: what list and
// stats printed from before summaries, decoding nothing.
func rawHeads(b *testing.B, path string, parts bool) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	buf := rawBuf[:0]
	var count uint64
	err = db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket([]byte("incidents"))
		return root.ForEachBucket(func(k []byte) error {
			inc := root.Bucket(k)
			buf = append(buf, inc.Get([]byte("head"))...)
			count += inc.Bucket([]byte("entries")).Sequence()
			if !parts {
				return nil
			}
			buf = append(buf, inc.Get([]byte("retro"))...)
			return inc.Bucket([]byte("updates")).ForEach(func(_, v []byte) error {
				buf = append(buf, v...)
				return nil
			})
		})
	})
	rawBuf = buf
	if err != nil || count == 0 {
		b.Fatalf("raw walk of the heads: %v, %d entries counted", err, count)
	}
}

// copyTree writes every file of src into a new folder dst (one level of
// folders, as export --all makes): the same bytes an export writes.
func copyTree(b *testing.B, src, dst string) {
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
}
