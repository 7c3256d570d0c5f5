package sync

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// The figures of issue 20 (docs/performance.md, "Operations and sync"), each
// beside a baseline measured in the same run:
//
//	go test -run '^$' -bench 'Sync100|Records100' -benchtime 5x -count 3 ./internal/sync
//	go test -run '^$' -bench 'Fold|Import|RecordSize' -benchtime 10x -count 3 ./internal/sync
//
// BenchmarkSync100 runs warroom sync itself (git included) on a laptop of
// 100 incidents against a bare remote on the same disk; BenchmarkRecords100
// is the same work without git (reading, parsing and importing the record
// files, and exporting them again). Fold and Import take one incident of
// 1,000 and one of 10,000 operations, made through the store's own write
// paths.

var benchT0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// isolateGitBench keeps the machine's git configuration out of a benchmark.
func isolateGitBench(b *testing.B) {
	b.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git not installed")
	}
	global := filepath.Join(b.TempDir(), "gitconfig")
	if err := os.WriteFile(global, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Setenv("GIT_CONFIG_GLOBAL", global)
	b.Setenv("GIT_CONFIG_NOSYSTEM", "1")
}

func openBenchStore(b *testing.B, dir string) *store.Store {
	b.Helper()
	st, err := store.Open(filepath.Join(dir, "warroom.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// seedIncidents declares n incidents of 20 entries each.
func seedIncidents(b *testing.B, st *store.Store, n int) []int64 {
	b.Helper()
	ids := make([]int64, n)
	for i := range n {
		inc, err := incident.NewIncident(fmt.Sprintf("Checkout failing %d", i), 2, benchT0.Add(time.Duration(i)*time.Minute), incident.DefaultPolicy())
		if err != nil {
			b.Fatal(err)
		}
		out, err := st.CreateIncident(inc, "amara")
		if err != nil {
			b.Fatal(err)
		}
		lines := make([]incident.BackfillLine, 20)
		for j := range lines {
			lines[j] = incident.BackfillLine{N: j + 1, At: inc.Created.Add(time.Duration(j) * time.Second), Text: fmt.Sprintf("checked shard %d of the payments database", j)}
		}
		if _, err := st.ApplyBackfill(out.ID, lines, benchT0.Add(24*time.Hour), "amara", incident.DefaultPolicy()); err != nil {
			b.Fatal(err)
		}
		ids[i] = out.ID
	}
	return ids
}

// laptopBench is one laptop of a sync benchmark: its store and working copy.
type laptopBench struct {
	st   *store.Store
	opts Options
}

func newLaptopBench(b *testing.B, author, remote string) *laptopBench {
	b.Helper()
	dir := b.TempDir()
	st := openBenchStore(b, dir)
	// No merge in these benchmarks runs the driver (the laptop that
	// receives has nothing of its own: a fast-forward); a driver that
	// fails makes sure of it.
	return &laptopBench{st: st, opts: Options{
		Store: st, Dir: filepath.Join(dir, "repo"), Remote: remote, Author: author, Driver: "false %O %A %B",
		Export: export.Options{Policy: incident.DefaultPolicy(), Location: time.UTC},
	}}
}

func (l *laptopBench) sync(b *testing.B) Result {
	b.Helper()
	res, err := Run(l.opts)
	if err != nil {
		b.Fatal(err)
	}
	l.opts.Remote = ""
	return res
}

// BenchmarkSync100 is warroom sync on a laptop holding the same 100
// incidents as the remote: with nothing new, and receiving one new
// operation in each incident (logged and pushed by a teammate, off the
// clock). git-floor is the baseline: the three git commands any sync
// that talks to the remote needs (status, fetch, push), on the same
// working copy.
func BenchmarkSync100(b *testing.B) {
	isolateGitBench(b)
	remote := filepath.Join(b.TempDir(), "incidents.git")
	if out, err := exec.Command("git", "init", "--quiet", "--bare", remote).CombinedOutput(); err != nil {
		b.Fatalf("git init --bare: %v\n%s", err, out)
	}
	a, recv := newLaptopBench(b, "amara", remote), newLaptopBench(b, "ben", remote)
	ids := seedIncidents(b, a.st, 100)
	a.sync(b)
	recv.sync(b)
	b.Run("nothing-new", func(b *testing.B) {
		for b.Loop() {
			res := recv.sync(b)
			if res.Commits != 0 || len(res.Imported) != 0 {
				b.Fatalf("a sync with nothing new made %d commits and imported %q", res.Commits, res.Imported)
			}
		}
		reportRepoSize(b, recv.opts.Dir)
	})
	b.Run("one-new-each", func(b *testing.B) {
		n := 0
		for b.Loop() {
			b.StopTimer()
			n++
			for _, id := range ids {
				e := incident.Entry{At: benchT0.Add(48 * time.Hour), RecordedAt: benchT0.Add(48 * time.Hour), Author: "amara", Kind: incident.KindNote, Text: fmt.Sprintf("round %d: error rate back to normal", n)}
				if _, err := a.st.AppendEntry(id, e); err != nil {
					b.Fatal(err)
				}
			}
			if res := a.sync(b); res.Commits != 1 {
				b.Fatalf("the teammate's sync made %d commits, want 1", res.Commits)
			}
			b.StartTimer()
			res := recv.sync(b)
			if len(res.Imported) != len(ids) || res.Commits != 0 {
				b.Fatalf("the sync imported %d incidents with %d commits, want %d and 0", len(res.Imported), res.Commits, len(ids))
			}
		}
		reportPackSize(b, remote, recv.opts.Dir)
	})
	b.Run("git-floor", func(b *testing.B) {
		g, err := findGit(recv.opts.Dir)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			for _, args := range [][]string{{"status", "--porcelain"}, {"fetch", "--quiet", "origin"}, {"push", "--quiet", "origin", "HEAD"}} {
				if _, err := g.run(args...); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// reportPackSize reports the remote's size once git has packed it (all
// its history: every version of every file the syncs pushed, and the
// Markdown beside the records) per operation the records now hold.
func reportPackSize(b *testing.B, remote, dir string) {
	b.Helper()
	g, err := findGit(remote)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := g.run("gc", "--quiet"); err != nil {
		b.Fatal(err)
	}
	out, err := g.run("count-objects", "-v")
	if err != nil {
		b.Fatal(err)
	}
	var kib int
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "size-pack: "); ok {
			if _, err := fmt.Sscan(v, &kib); err != nil {
				b.Fatal(err)
			}
		}
	}
	incs, _, _, err := readRecords(dir)
	if err != nil {
		b.Fatal(err)
	}
	ops := 0
	for _, inc := range incs {
		ops += len(inc.Ops)
	}
	b.ReportMetric(float64(kib*1024)/float64(ops), "packed-B/op")
}

// reportRepoSize reports the size of the records (*.json) in a working
// copy per operation they hold.
func reportRepoSize(b *testing.B, dir string) {
	b.Helper()
	incs, names, broken, err := readRecords(dir)
	if err != nil || len(broken) > 0 {
		b.Fatalf("reading the records: %v %q", err, broken)
	}
	var size, ops int
	for i, inc := range incs {
		fi, err := os.Stat(filepath.Join(dir, names[i]))
		if err != nil {
			b.Fatal(err)
		}
		size += int(fi.Size())
		ops += len(inc.Ops)
	}
	if ops > 0 {
		b.ReportMetric(float64(size)/float64(ops), "record-B/op")
	}
}

// BenchmarkRecords100 is a sync's work without git, on 100 incidents:
// import reads, parses and imports every record file of a working copy
// (nothing new, or one new operation in each, written off the clock);
// export reads every incident with its operations and encodes its record.
// parse is the baseline: reading and parsing the 100 files alone.
func BenchmarkRecords100(b *testing.B) {
	src := openBenchStore(b, b.TempDir())
	ids := seedIncidents(b, src, 100)
	dir := b.TempDir()
	writeRecords := func() {
		b.Helper()
		incs, err := src.AllIncidentsWithOps()
		if err != nil {
			b.Fatal(err)
		}
		for _, inc := range incs {
			data, err := Record(inc, incident.DefaultPolicy())
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, Base(inc)+".json"), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	writeRecords()
	dst := openBenchStore(b, b.TempDir())
	opts := Options{Store: dst, Dir: dir}
	var res Result
	if err := importAll(opts, &res); err != nil || len(res.Imported) != len(ids) {
		b.Fatalf("first import: %v, %d imported", err, len(res.Imported))
	}
	b.Run("import/nothing-new", func(b *testing.B) {
		for b.Loop() {
			var res Result
			if err := importAll(opts, &res); err != nil {
				b.Fatal(err)
			}
			if len(res.Imported) != 0 || len(res.Skipped) != 0 {
				b.Fatalf("imported %q, skipped %q; want nothing", res.Imported, res.Skipped)
			}
		}
		reportRepoSize(b, dir)
	})
	b.Run("import/one-new-each", func(b *testing.B) {
		n := 0
		for b.Loop() {
			b.StopTimer()
			n++
			for _, id := range ids {
				e := incident.Entry{At: benchT0.Add(48 * time.Hour), RecordedAt: benchT0.Add(48 * time.Hour), Author: "amara", Kind: incident.KindNote, Text: fmt.Sprintf("round %d: error rate back to normal", n)}
				if _, err := src.AppendEntry(id, e); err != nil {
					b.Fatal(err)
				}
			}
			writeRecords()
			b.StartTimer()
			var res Result
			if err := importAll(opts, &res); err != nil {
				b.Fatal(err)
			}
			if len(res.Imported) != len(ids) {
				b.Fatalf("imported %d incidents, want %d", len(res.Imported), len(ids))
			}
		}
	})
	b.Run("export", func(b *testing.B) {
		for b.Loop() {
			incs, err := dst.AllIncidentsWithOps()
			if err != nil {
				b.Fatal(err)
			}
			for _, inc := range incs {
				if _, err := Record(canonical(inc), incident.DefaultPolicy()); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			incs, _, broken, err := readRecords(dir)
			if err != nil || len(broken) > 0 || len(incs) != len(ids) {
				b.Fatalf("read %d records: %v %q", len(incs), err, broken)
			}
		}
	})
}

// bigIncident is one incident of n operations, made once per process and
// size through the store's write paths: timeline lines (backfilled in one
// transaction), text edits, deletions and restores, retro section edits
// and draft saves, in the proportions of makeBigIncident; then topped up
// with lines to exactly n.
type bigIncident struct {
	uid, title string
	ops        []incident.Op
}

var (
	bigMu    gosync.Mutex
	bigCache = map[int]bigIncident{}
)

// bigOps is the size of the incident whose record BenchmarkRecordSize
// measures.
const bigOps = 10000

// opSizes are the sizes the fold and import benchmarks compare: the
// ratio of the two shows how each grows.
var opSizes = []int{1000, 10000}

func bigIncidentOps(b *testing.B, n int) (uid, title string, ops []incident.Op) {
	b.Helper()
	bigMu.Lock()
	defer bigMu.Unlock()
	if c, ok := bigCache[n]; ok {
		return c.uid, c.title, c.ops
	}
	dir, err := os.MkdirTemp("", "warroom-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	uid, title, ops, err = makeBigIncident(dir, n)
	if err != nil {
		b.Fatal(err)
	}
	bigCache[n] = bigIncident{uid, title, ops}
	return uid, title, ops
}

func makeBigIncident(dir string, n int) (string, string, []incident.Op, error) {
	lines := n * 8 / 10
	st, err := store.Open(filepath.Join(dir, "warroom.db"))
	if err != nil {
		return "", "", nil, err
	}
	defer st.Close()
	p := incident.DefaultPolicy()
	inc, err := incident.NewIncident("Checkout failing", 2, benchT0, p)
	if err != nil {
		return "", "", nil, err
	}
	inc, err = st.CreateIncident(inc, "amara")
	if err != nil {
		return "", "", nil, err
	}
	backfill := func(n, from int, now time.Time) error {
		lines := make([]incident.BackfillLine, n)
		for i := range lines {
			lines[i] = incident.BackfillLine{N: i + 1, At: benchT0.Add(time.Duration(from+i) * time.Second), Text: fmt.Sprintf("checked shard %d of the payments database", from+i)}
		}
		_, err := st.ApplyBackfill(inc.ID, lines, now, "amara", p)
		return err
	}
	now := benchT0.Add(24 * time.Hour)
	if err := backfill(lines, 0, now); err != nil {
		return "", "", nil, err
	}
	authors := []string{"amara", "ben", "chidi"}
	tick := func() time.Time { now = now.Add(time.Second); return now }
	for i := range n * 12 / 100 { // text edits, spread over the timeline
		entry := int64(2 + (i*7)%lines)
		if _, err := st.EditEntry(inc.ID, entry, tick(), authors[i%3], func(e *incident.Entry) error {
			e.Text += fmt.Sprintf(" (checked again by %s)", authors[i%3])
			return nil
		}); err != nil {
			return "", "", nil, err
		}
	}
	for i := range n * 3 / 100 {
		entry := int64(3 + (i*13)%lines)
		if _, err := st.DeleteEntry(inc.ID, entry, tick(), "ben"); err != nil {
			return "", "", nil, err
		}
		if i%3 == 0 {
			if _, err := st.RestoreEntry(inc.ID, entry, tick(), "chidi"); err != nil {
				return "", "", nil, err
			}
		}
	}
	sections := incident.DefaultSections
	text := ""
	for i := range n / 100 {
		next := text + fmt.Sprintf("Line %d of the introduction, by %s.\n", i, authors[i%3])
		if _, _, err := st.SetSectionText(inc.ID, "Introduction", store.Edit{Base: text, Text: next, BaseRev: -1}, authors[i%3], tick(), sections); err != nil {
			return "", "", nil, err
		}
		text = next
	}
	draft := ""
	for i := range n / 100 {
		next := fmt.Sprintf("We are investigating checkout errors (%d).", i)
		if _, err := st.SetDraft(inc.ID, store.Edit{Base: draft, Text: next, BaseRev: -1}, "amara", tick()); err != nil {
			return "", "", nil, err
		}
		draft = next
	}
	uid, ops, err := st.Ops(inc.ID)
	if err != nil {
		return "", "", nil, err
	}
	if len(ops) < n {
		if err := backfill(n-len(ops), lines, tick()); err != nil {
			return "", "", nil, err
		}
		if uid, ops, err = st.Ops(inc.ID); err != nil {
			return "", "", nil, err
		}
	}
	if len(ops) != n {
		return "", "", nil, fmt.Errorf("the incident has %d operations, want %d", len(ops), n)
	}
	return uid, inc.Title, ops, nil
}

// BenchmarkFold folds the operations of one incident (1,000 and 10,000)
// as the store keeps them, stream by stream: FoldEntry for each timeline
// entry, FoldRecord for the rest. decode is the baseline: unmarshalling
// the same operations from their stored JSON, what reading them costs.
func BenchmarkFold(b *testing.B) {
	for _, n := range opSizes {
		_, _, ops := bigIncidentOps(b, n)
		streams := map[string][]incident.Op{}
		for _, o := range ops {
			streams[o.Stream()] = append(streams[o.Stream()], o)
		}
		keys := slices.Sorted(maps.Keys(streams))
		ids := map[string]int64{}
		for _, o := range ops {
			if o.Type == incident.OpEntryAdd && o.Entry != nil {
				ids[o.Entry.UID] = int64(len(ids) + 1)
			}
		}
		idOf := func(uid string) int64 { return ids[uid] }
		lastLine := fmt.Sprintf("Line %d of the introduction", n/100-1)
		b.Run(fmt.Sprintf("ops=%d/fold", n), func(b *testing.B) {
			for b.Loop() {
				entries := 0
				for _, k := range keys {
					if k == "r" {
						f := incident.FoldRecord(streams[k])
						if !strings.Contains(f.Retro.Sections[0].Text, lastLine) {
							b.Fatalf("the folded Introduction is %q", f.Retro.Sections[0].Text)
						}
						continue
					}
					if f := incident.FoldEntry(streams[k], idOf); f.Exists {
						entries++
					}
				}
				if entries < n*8/10 {
					b.Fatalf("folded %d entries", entries)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/fold-op")
		})
		raw := make([][]byte, len(ops))
		for i, o := range ops {
			data, err := json.Marshal(o)
			if err != nil {
				b.Fatal(err)
			}
			raw[i] = data
		}
		b.Run(fmt.Sprintf("ops=%d/decode", n), func(b *testing.B) {
			for b.Loop() {
				for _, data := range raw {
					var o incident.Op
					if err := json.Unmarshal(data, &o); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkImport rebuilds a database from a record: the incident of
// 1,000 or 10,000 operations imported into an empty store (one
// transaction: the operations put, every stream folded, the views
// written, the incident read back). raw is its baseline: the same
// operations marshalled and put in one raw bbolt transaction.
func BenchmarkImport(b *testing.B) {
	for _, n := range opSizes {
		uid, title, ops := bigIncidentOps(b, n)
		b.Run(fmt.Sprintf("ops=%d/import", n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				st := openBenchStore(b, b.TempDir())
				b.StartTimer()
				r, err := st.ImportIncident(&incident.Incident{UID: uid, Title: title, Ops: slices.Clone(ops)})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if !r.Created {
					b.Fatal("the import did not create the incident")
				}
				st.Close()
				b.StartTimer()
			}
		})
		b.Run(fmt.Sprintf("ops=%d/raw", n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				err = db.Update(func(tx *bolt.Tx) error {
					bk, err := tx.CreateBucketIfNotExists([]byte("ops"))
					if err != nil {
						return err
					}
					for _, o := range ops {
						data, err := json.Marshal(o)
						if err != nil {
							return err
						}
						if err := bk.Put([]byte(o.ID), data); err != nil {
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
		})
	}
}

// BenchmarkRecordSize writes the record of the 10,000-operation incident
// and reports its size per operation, raw and as git stores it (zlib, as
// in a loose object; a pack's deltas between versions make history
// smaller still).
func BenchmarkRecordSize(b *testing.B) {
	uid, title, ops := bigIncidentOps(b, bigOps)
	inc := &incident.Incident{UID: uid, Title: title, Ops: ops}
	var data []byte
	for b.Loop() {
		var err error
		if data, err = Record(inc, incident.DefaultPolicy()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/bigOps, "record-B/op")
	dir := b.TempDir()
	if out, err := exec.Command("git", "init", "--quiet", dir).CombinedOutput(); err != nil {
		b.Skipf("git init: %v %s", err, out)
	}
	path := filepath.Join(dir, "record.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	sha, err := exec.Command("git", "-C", dir, "hash-object", "-w", path).Output()
	if err != nil {
		b.Fatal(err)
	}
	s := strings.TrimSpace(string(sha))
	fi, err := os.Stat(filepath.Join(dir, ".git", "objects", s[:2], s[2:]))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/bigOps, "git-B/op")
}
