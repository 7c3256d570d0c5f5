package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// Run on a machine doing little else; every ratio compares runs of one
// command:
//
//	go test -run '^$' -bench LogProcess -benchtime 40x -count 3 ./cmd/warroom

// minimalAppend is the baseline of BenchmarkLogProcess: the least a Go
// program can do to append one line durably to a bbolt file. It opens the
// file with a lock timeout (as every bbolt user should), puts the line as
// JSON under the next sequence number in one Update (two fsyncs, as for
// warroom) and closes. IMPORTS is replaced by what a variant links besides.
const minimalAppend = `package main

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	IMPORTS
)

type entry struct {
	At   time.Time ` + "`json:\"at\"`" + `
	Text string    ` + "`json:\"text\"`" + `
}

func main() {
	db, err := bolt.Open(os.Args[1], 0o600, &bolt.Options{Timeout: 4 * time.Second})
	if err != nil {
		os.Exit(1)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("entries"))
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		data, err := json.Marshal(entry{At: time.Now(), Text: os.Args[2]})
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, seq), data)
	})
	if err != nil || db.Close() != nil {
		os.Exit(1)
	}
}
`

// buildMinimalAppend writes minimalAppend, linking imports besides, to a
// temporary folder and builds it once, resolving bbolt (and the rest)
// through this module, so at the versions warroom links.
func buildMinimalAppend(b *testing.B, imports string) string {
	b.Helper()
	dir := b.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(strings.Replace(minimalAppend, "IMPORTS", imports, 1)), 0o644); err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(dir, "append")
	build := exec.Command("go", "build", "-o", bin, src)
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building the baseline: %v\n%s", err, out)
	}
	return bin
}

// process is one command line of a process benchmark, with the durations
// of its runs.
type process struct {
	name string
	args []string
	env  []string
	runs []time.Duration
}

// runProcesses runs each process once per iteration, rotating which goes
// first so that none always follows another's writeback, after one
// untimed run each (so none pays for a cold page cache of its binary).
// ns/op is the sum of one run of each.
func runProcesses(b *testing.B, ps []*process) {
	b.Helper()
	run := func(p *process) time.Duration {
		cmd := exec.Command(p.args[0], p.args[1:]...)
		cmd.Env = p.env
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", p.name, err, out)
		}
		return time.Since(start)
	}
	for _, p := range ps {
		run(p)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		for j := range ps {
			p := ps[(i+j)%len(ps)]
			p.runs = append(p.runs, run(p))
		}
	}
	b.StopTimer()
}

// BenchmarkLogProcess is `warroom log -i 1 TEXT` as a whole process
// (start-up with every linked package's init, config, opening the
// database, one durable entry, exit) beside minimalAppend doing a durable
// bbolt append, and beside minimalAppend with glamour linked and unused
// (what any program that links glamour pays before main: chroma, goldmark
// and bluemonday initialise their registries), run alternately in the same
// loop so all see the same machine. It reports the medians (log-, base-
// and glamour-p50-ms), ratio-p50 = log/base (ratio-mean from the means)
// and floor-p50 = glamour/base, the part of the ratio that glamour alone
// makes. The goal is ratio-p50 ≤ 4.5 with glamour linked;
// docs/performance.md accounts for what stands between it and 1.2.
func BenchmarkLogProcess(b *testing.B) {
	base := buildMinimalAppend(b, "")
	glamour := buildMinimalAppend(b, `_ "github.com/charmbracelet/glamour"`)
	dir := b.TempDir()
	env := append(benchEnv(dir), "WARROOM_DB="+filepath.Join(dir, "bench.db"))
	newCmd := exec.Command(binPath, "new", "bench")
	newCmd.Env = env
	if out, err := newCmd.CombinedOutput(); err != nil {
		b.Fatalf("warroom new: %v\n%s", err, out)
	}
	const line = "restarted the payments workers"
	l := &process{name: "warroom log", args: []string{binPath, "log", "-i", "1", line}, env: env}
	m := &process{name: "minimal append", args: []string{base, filepath.Join(dir, "base.db"), line}, env: env}
	g := &process{name: "minimal append with glamour", args: []string{glamour, filepath.Join(dir, "glamour.db"), line}, env: env}
	runProcesses(b, []*process{l, m, g})
	lp, mp, gp := median(l.runs), median(m.runs), median(g.runs)
	b.ReportMetric(ms(lp), "log-p50-ms")
	b.ReportMetric(ms(mp), "base-p50-ms")
	b.ReportMetric(ms(gp), "glamour-p50-ms")
	b.ReportMetric(float64(lp)/float64(mp), "ratio-p50")
	b.ReportMetric(float64(mean(l.runs))/float64(mean(m.runs)), "ratio-mean")
	b.ReportMetric(float64(gp)/float64(mp), "floor-p50")
}

// BenchmarkLogProcessNoID1000 is `warroom log TEXT` with no incident named
// in a database of 1,000 incidents, one of them open, beside `warroom log
// -i ID TEXT` on the same file: resolving the open incident reads every
// head (and nothing else), which no-id-ratio-p50 (no id over with id) puts
// a price on.
func BenchmarkLogProcessNoID1000(b *testing.B) {
	dir := b.TempDir()
	db := filepath.Join(dir, "repo.db")
	seedRepository(b, db, repoIncidents, repoEntries)
	st, err := store.Open(db)
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	resolved, err := incident.ParseCapture("/resolved", at)
	if err != nil {
		b.Fatal(err)
	}
	list, err := st.ListIncidents()
	if err != nil {
		b.Fatal(err)
	}
	var open int64 // the newest open incident stays open
	for _, s := range list {
		switch {
		case !s.Open():
		case open == 0:
			open = s.ID
		default:
			if _, err := st.Apply(s.ID, resolved, at, "amara", incident.DefaultPolicy()); err != nil {
				b.Fatal(err)
			}
		}
	}
	env := append(benchEnv(dir), "WARROOM_DB="+db)
	const line = "restarted the payments workers"
	noID := &process{name: "warroom log", args: []string{binPath, "log", line}, env: env}
	withID := &process{name: "warroom log -i", args: []string{binPath, "log", "-i", incident.FormatID(open), line}, env: env}
	runProcesses(b, []*process{noID, withID})
	np, wp := median(noID.runs), median(withID.runs)
	b.ReportMetric(ms(np), "no-id-p50-ms")
	b.ReportMetric(ms(wp), "with-id-p50-ms")
	b.ReportMetric(float64(np)/float64(wp), "no-id-ratio-p50")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func mean(ds []time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func benchEnv(dir string) []string {
	return []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "USER=bench", "PATH=/usr/bin:/bin"}
}

// The repository at scale: stats, search and export --all over 1,000
// incidents of 100 entries each, each run in process as the command
// (cobra, config, opening the store, reading, computing, printing to
// io.Discard) against a raw bbolt walk of the same file:
//
//	go test -run '^$' -bench Repository1000 -benchtime 10x -count 3 ./cmd/warroom
//
// The raw walk is what any reader of every incident pays at least: opening
// the file read-only and copying out every record the commands used to
// decode (each incident's head, retro, entries, public updates and change
// record), decoding nothing. Every iteration of a command's sub-benchmark
// runs one raw walk first, off the clock, so that ratio-raw (the command's
// time over the raw walk's, summed over the iterations) compares runs made
// side by side under the same load; raw-ms is the raw walk's mean.
const (
	repoIncidents = 1000
	repoEntries   = 100
)

// benchHome points the benchmark's processes at dir for their home,
// config, data and cache, in UTC, so that nothing of the machine's own
// setup is read or written.
func benchHome(b *testing.B, dir string) {
	b.Helper()
	b.Setenv("HOME", dir)
	b.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	b.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	b.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	b.Setenv("TZ", "UTC")
}

// BenchmarkRepository1000 builds the database once (about 1,200 durable
// transactions, a few seconds) and runs the commands against it.
func BenchmarkRepository1000(b *testing.B) {
	dir := b.TempDir()
	benchHome(b, dir)
	db := filepath.Join(dir, "repo.db")
	seedRepository(b, db, repoIncidents, repoEntries)

	run := func(args ...string) func(b *testing.B) {
		return func(b *testing.B) {
			root := newRootCmd(newApp(io.Discard, io.Discard))
			root.SetArgs(append([]string{"--db", db}, args...))
			if err := root.Execute(); err != nil {
				b.Fatalf("warroom %v: %v", args, err)
			}
		}
	}
	b.Run("raw-walk", func(b *testing.B) {
		for b.Loop() {
			rawWalk(b, db)
		}
	})
	beside := func(name string, fn func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			var raw, cmd time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				start := time.Now()
				rawWalk(b, db)
				raw += time.Since(start)
				b.StartTimer()
				start = time.Now()
				fn(b)
				cmd += time.Since(start)
			}
			b.ReportMetric(float64(cmd)/float64(raw), "ratio-raw")
			b.ReportMetric(ms(raw)/float64(b.N), "raw-ms")
		})
	}
	beside("stats", run("stats"))
	beside("search", run("search", "connection pool exhausted"))
	// The common case: the folder holds the last export and nothing
	// changed since.
	out := filepath.Join(dir, "export")
	run("export", "--all", "--dir", out)(b)
	beside("export-all-unchanged", run("export", "--all", "--dir", out))
	// A first export into an empty folder writes every file.
	fresh := 0
	beside("export-all-fresh", func(b *testing.B) {
		fresh++
		run("export", "--all", "--dir", filepath.Join(dir, fmt.Sprintf("fresh-%d", fresh)))(b)
	})
}

// rawWalk opens the database read-only with bbolt alone and copies out
// every head, retro, entry, public update and change record: into one
// buffer kept from the last run, so that what it costs is bbolt's walk and
// the bytes, not allocation.
func rawWalk(b *testing.B, path string) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	buf := rawBuf[:0]
	records := 0
	keep := func(v []byte) {
		buf = append(buf, v...)
		records++
	}
	defer func() { rawBuf = buf }()
	err = db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket([]byte("incidents"))
		return root.ForEachBucket(func(k []byte) error {
			inc := root.Bucket(k)
			keep(inc.Get([]byte("head")))
			keep(inc.Get([]byte("retro")))
			for _, name := range []string{"entries", "updates", "changes"} {
				if err := inc.Bucket([]byte(name)).ForEach(func(_, v []byte) error {
					keep(v)
					return nil
				}); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	if records < repoIncidents*repoEntries {
		b.Fatalf("the raw walk read %d records", records)
	}
}

var rawBuf []byte

var repoWords = strings.Fields(`payments checkout cache latency queue database replica failover
	deploy rollback timeout errors customers region eu mobile login gateway pool connection
	exhausted workers restarted alert pager dns certificate expired disk full memory leak`)

// seedRepository fills path with n resolved and open incidents of
// perIncident entries, three public updates and a small retro each, as
// imports (one transaction each; no incident uid, so an import does not
// look for a copy to merge with); every tenth incident also has two
// edited entries, so there is a change record to skip.
func seedRepository(b *testing.B, path string, n, perIncident int) {
	b.Helper()
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	sentence := func() string {
		ws := make([]string, 4+rng.IntN(10))
		for i := range ws {
			ws[i] = repoWords[rng.IntN(len(repoWords))]
		}
		return strings.Join(ws, " ")
	}
	base := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	for i := range n {
		created := base.Add(-time.Duration(i) * 7 * time.Hour)
		inc := &incident.Incident{
			Title:    fmt.Sprintf("%s %s", repoWords[i%len(repoWords)], sentence()),
			Severity: incident.Severity(1 + i%4), Status: incident.Resolved, Cadence: 30 * time.Minute,
			Created: created, Updated: created.Add(3 * time.Hour),
			Roles: map[string]string{incident.RoleLead: "amara"},
			Tags:  []string{repoWords[i%5], repoWords[5+i%9]},
		}
		inc.Entries = append(inc.Entries, incident.DeclaredEntry(inc, "amara", created))
		for j := range perIncident {
			at := created.Add(time.Duration(j) * time.Minute)
			inc.Entries = append(inc.Entries, incident.Entry{UID: fmt.Sprintf("e-%d-%d", i, j), At: at, RecordedAt: at,
				Author: "amara", Kind: incident.KindNote, Text: sentence(), Starred: j%17 == 0})
		}
		if i%5 != 0 {
			at := created.Add(time.Duration(perIncident+10) * time.Minute)
			inc.Entries = append(inc.Entries, incident.Entry{UID: fmt.Sprintf("r-%d", i), At: at, RecordedAt: at, Author: "amara",
				Kind: incident.KindStatus, Text: "/status resolved", Set: incident.Setting{Field: incident.FieldStatus, Value: string(incident.Resolved)}})
		} else {
			inc.Status = incident.Investigating
		}
		for j := range 3 {
			at := created.Add(time.Duration(4+j*(25+i%10)) * time.Minute)
			inc.Updates = append(inc.Updates, incident.Update{UID: fmt.Sprintf("u-%d-%d", i, j), At: at, Author: "sam", Status: incident.Investigating, Text: sentence()})
		}
		inc.Retro = incident.Retro{
			Sections: []incident.Section{{Title: "Introduction", Text: sentence()}},
			Whys:     []incident.Why{{Why: sentence(), Because: sentence(), RootCause: true}},
			Actions: []incident.Action{
				{UID: fmt.Sprintf("a-%d", i), Title: sentence(), Kind: incident.Immediate, Owner: "amara", Due: created.AddDate(0, 0, 7), Done: i%2 == 0},
				{UID: fmt.Sprintf("b-%d", i), Title: sentence(), Kind: incident.LongTerm},
			},
		}
		res, err := st.ImportIncident(inc)
		if err != nil {
			b.Fatalf("seeding incident %d: %v", i, err)
		}
		if i%10 == 0 {
			for _, e := range []int64{3, 4} {
				if _, err := st.EditEntry(res.ID, e, created.Add(4*time.Hour), "amara", func(e *incident.Entry) error {
					e.Text += " (corrected)"
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
