package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// requireGit skips without git on a developer's machine, but fails in CI,
// where .ci/run sets WARROOM_E2E_REQUIRED (and installs git).
func requireGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("WARROOM_E2E_REQUIRED") != "" {
			t.Fatal("git is required for the sync tests (WARROOM_E2E_REQUIRED is set); install it with apt-get install git")
		}
		t.Skip("git not installed; the sync tests need it")
	}
}

// isolateGit keeps the machine's git configuration out of the test: no
// system or global config, and a fixed identity for the commits.
func isolateGit(t *testing.T) {
	t.Helper()
	requireGit(t)
	global := filepath.Join(t.TempDir(), "gitconfig")
	if err := os.WriteFile(global, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"} {
		t.Setenv(k, "warroom tests")
	}
	for _, k := range []string{"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"} {
		t.Setenv(k, "tests@warroom.invalid")
	}
}

// bareRemote is a bare repository standing in for the team's remote.
func bareRemote(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "incidents.git")
	if out, err := exec.Command("git", "init", "--quiet", "--bare", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init --bare: %v\n%s", err, out)
	}
	return dir
}

// laptop is one teammate's machine: a database of their own, with author.
func laptop(t *testing.T, author string) *env {
	t.Helper()
	e := newEnv(t)
	cfg := filepath.Join(e.dir, "config", "warroom")
	if err := os.MkdirAll(cfg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("author = \""+author+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) repo() string { return filepath.Join(filepath.Dir(e.db), "repo") }

func (e *env) git(args ...string) string {
	e.t.Helper()
	out, err := exec.Command("git", append([]string{"-C", e.repo()}, args...)...).CombinedOutput()
	if err != nil {
		e.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// withStore runs fn on the laptop's database, in the test's process (the
// retro's own commands are driven through the binary in retro_test.go).
func (e *env) withStore(fn func(st *store.Store)) {
	e.t.Helper()
	st, err := store.Open(e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	defer st.Close()
	fn(st)
}

// record is an incident as the repository holds it (wsync.Record), read
// from the laptop's database, for comparing two laptops' copies: the
// local numbers are each database's own.
func (e *env) record(id string) export.Doc {
	e.t.Helper()
	n, err := incident.ParseID(id)
	if err != nil {
		e.t.Fatal(err)
	}
	var d export.Doc
	e.withStore(func(st *store.Store) {
		inc, err := st.Incident(n)
		if err != nil {
			e.t.Fatal(err)
		}
		inc.Ops = nil
		d = export.NewDoc(inc, incident.DefaultPolicy())
	})
	// What only this database means (INC-n, #N) is left out: the rest is
	// what every copy holding the same operations must agree on.
	d.ID = ""
	for i := range d.Entries {
		d.Entries[i].ID, d.Entries[i].Ref = 0, 0
		d.Entries[i].Text = localNumber.ReplaceAllString(d.Entries[i].Text, "#")
	}
	for i := range d.Updates {
		d.Updates[i].ID = 0
	}
	for i := range d.Changes {
		d.Changes[i].Target = localNumber.ReplaceAllString(d.Changes[i].Target, "#")
	}
	for i := range d.Retro.Factors {
		for j := range d.Retro.Factors[i].Evidence {
			d.Retro.Factors[i].Evidence[j].ID = 0
		}
	}
	return d
}

var localNumber = regexp.MustCompile(`#[0-9]+`)

// Two laptops edit one incident offline (each adds an entry, edits one,
// deletes one and writes in the retro), then both sync twice: they end
// with the same record, holding everything both did.
func TestSyncTwoLaptopsMeetUp(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b := laptop(t, "amara"), laptop(t, "ben")
	id := a.newIncident("Checkout failing", "--sev", "2")
	for _, n := range []string{"one", "two", "three", "four"} {
		a.ok("log", "-i", id, "note "+n) // #2 to #5
	}
	if out := a.ok("sync", "--remote", remote); !strings.Contains(out, "Cloned") || !strings.Contains(out, "pushed") {
		t.Fatalf("first sync printed %q", out)
	}
	if out := b.ok("sync", "--remote", remote); !strings.Contains(out, "Brought in INC-1 Checkout failing: 5 entries from") {
		t.Fatalf("the second laptop's first sync printed %q", out)
	}

	// Offline, both at once.
	a.ok("log", "-i", id, "amara: offline finding")
	a.ok("edit", "-i", id, "#2", "--text", "note one, corrected by amara")
	a.ok("delete", "-i", id, "#4")
	b.ok("log", "-i", id, "ben: offline finding")
	b.ok("edit", "-i", id, "#3", "--text", "note two, corrected by ben")
	b.ok("delete", "-i", id, "#5")
	sections := incident.DefaultSections
	now := time.Now()
	a.withStore(func(st *store.Store) {
		if _, err := st.SetPerspective(1, "Introduction", "amara", "Amara saw the checkout errors first.", now, sections); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.SetSectionText(1, "Introduction", store.Edit{Text: "Checkout failed for card payments."}, "amara", now, sections); err != nil {
			t.Fatal(err)
		}
	})
	b.withStore(func(st *store.Store) {
		if _, err := st.SetPerspective(1, "Introduction", "ben", "Ben rolled back the deploy.", now, sections); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.SetSectionText(1, "Actions", store.Edit{Text: "Add a checkout canary."}, "ben", now, sections); err != nil {
			t.Fatal(err)
		}
	})

	for range 2 {
		a.ok("sync")
		b.ok("sync")
	}
	ra, rb := a.record(id), b.record(id)
	ja, _ := json.MarshalIndent(ra, "", " ")
	jb, _ := json.MarshalIndent(rb, "", " ")
	if string(ja) != string(jb) {
		t.Fatalf("the laptops disagree after syncing twice:\namara: %s\nben: %s", ja, jb)
	}
	live := map[string]bool{}
	for _, e := range ra.Entries {
		if e.Kind == "note" {
			live[e.Text] = !e.Deleted
		}
	}
	for _, want := range []string{"note one, corrected by amara", "note two, corrected by ben", "amara: offline finding", "ben: offline finding"} {
		if !live[want] {
			t.Errorf("the merged timeline lacks %q", want)
		}
	}
	for _, gone := range []string{"note three", "note four"} {
		if on, ok := live[gone]; !ok || on {
			t.Errorf("the entry %q deleted on one laptop is not kept deleted (in the record: %v)", gone, ok)
		}
	}
	intro, actions := section(ra, "Introduction"), section(ra, "Actions")
	if intro == nil || intro.Text != "Checkout failed for card payments." || len(intro.Perspectives) != 2 {
		t.Errorf("Introduction after the merge: %+v", intro)
	}
	if actions == nil || actions.Text != "Add a checkout canary." {
		t.Errorf("Actions after the merge: %+v", actions)
	}
	var editors []string
	for _, c := range ra.Changes {
		editors = append(editors, c.Author)
	}
	if !slices.Contains(editors, "amara") || !slices.Contains(editors, "ben") {
		t.Errorf("the change record lost an editor: %q", editors)
	}
	// Settled: a further sync on either side commits nothing.
	before := a.git("rev-parse", "HEAD")
	if out := a.ok("sync"); !strings.Contains(out, "0 commits") {
		t.Errorf("a sync with nothing new printed %q", out)
	}
	if a.git("rev-parse", "HEAD") != before {
		t.Errorf("a sync with nothing new made a commit:\n%s", a.git("show", "HEAD"))
	}
	// One file per incident, named by uid, and the driver in place.
	names := repoFiles(t, a.repo())
	if n := countSuffix(names, ".json"); n != 1 {
		t.Errorf("the repository holds %d records for one incident: %q", n, names)
	}
	if attrs, _ := os.ReadFile(filepath.Join(a.repo(), ".gitattributes")); !strings.Contains(string(attrs), "*.json merge=warroom") {
		t.Errorf(".gitattributes = %q", attrs)
	}
	if drv := a.git("config", "merge.warroom.driver"); !strings.Contains(drv, binPath) || !strings.Contains(drv, "merge-file %O %A %B") {
		t.Errorf("merge driver = %q", drv)
	}
}

func section(d export.Doc, title string) *export.DocSection {
	for i := range d.Retro.Sections {
		if d.Retro.Sections[i].Title == title {
			return &d.Retro.Sections[i]
		}
	}
	return nil
}

func repoFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func countSuffix(names []string, suffix string) int {
	n := 0
	for _, s := range names {
		if strings.HasSuffix(s, suffix) {
			n++
		}
	}
	return n
}

// A title edited on one laptop renames the incident's files: the old
// ones go, so one uid never has two files.
func TestSyncRenameLeavesOneFile(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b := laptop(t, "amara"), laptop(t, "ben")
	id := a.newIncident("Checkout failing")
	a.ok("sync", "--remote", remote)
	b.ok("sync", "--remote", remote)
	a.withStore(func(st *store.Store) {
		if err := st.SetTitle(1, "Card payments failing", time.Now(), "amara"); err != nil {
			t.Fatal(err)
		}
	})
	a.ok("sync")
	b.ok("sync")
	for _, e := range []*env{a, b} {
		names := repoFiles(t, e.repo())
		if countSuffix(names, ".json") != 1 || countSuffix(names, ".md") != 2 { // the record's document and index.md
			t.Errorf("after the rename the repository holds %q", names)
		}
		if !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "card-payments-failing-") }) {
			t.Errorf("the renamed incident's files are missing: %q", names)
		}
	}
	if got := b.show(id).Title; got != "Card payments failing" {
		t.Errorf("the other laptop has the title %q", got)
	}
	// Both rename it offline: after two syncs each, one title (the later
	// rename) and still one file.
	a.withStore(func(st *store.Store) {
		if err := st.SetTitle(1, "Card payments failing in the EU", time.Now(), "amara"); err != nil {
			t.Fatal(err)
		}
	})
	b.withStore(func(st *store.Store) {
		if err := st.SetTitle(1, "Card payments failing for Visa", time.Now().Add(time.Second), "ben"); err != nil {
			t.Fatal(err)
		}
	})
	for range 2 {
		a.ok("sync")
		b.ok("sync")
	}
	for _, e := range []*env{a, b} {
		names := repoFiles(t, e.repo())
		if countSuffix(names, ".json") != 1 || countSuffix(names, ".md") != 2 {
			t.Errorf("after two renames the repository holds %q", names)
		}
		// Renamed on both laptops at once: both names are kept, in
		// the same order everywhere.
		if got := e.show(id).Title; !strings.Contains(got, "Card payments failing for Visa") || !strings.Contains(got, "Card payments failing in the EU") {
			t.Errorf("after two renames the title is %q", got)
		}
	}
	// One renames it while the other logs to it.
	a.withStore(func(st *store.Store) {
		if err := st.SetTitle(1, "Visa payments failing", time.Now().Add(2*time.Second), "amara"); err != nil {
			t.Fatal(err)
		}
	})
	b.ok("log", "-i", id, "ben: logged under the old name")
	for range 2 {
		a.ok("sync")
		b.ok("sync")
	}
	for _, e := range []*env{a, b} {
		names := repoFiles(t, e.repo())
		if countSuffix(names, ".json") != 1 || countSuffix(names, ".md") != 2 {
			t.Errorf("after a rename beside an edit the repository holds %q", names)
		}
		if s := e.show(id); s.Title != "Visa payments failing" || !s.hasEntry("note", "ben: logged under the old name") {
			t.Errorf("after a rename beside an edit: title %q, entries %d", s.Title, len(s.Entries))
		}
	}
}

// A Markdown file edited by hand on both laptops is a conflict git cannot
// solve: the sync stops with one sentence, the database is unchanged and
// the repository is left as git left it.
func TestSyncStopsOnAHandEditConflict(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b := laptop(t, "amara"), laptop(t, "ben")
	a.newIncident("Checkout failing")
	a.ok("sync", "--remote", remote)
	b.ok("sync", "--remote", remote)
	edit := func(e *env, line string) {
		names := repoFiles(t, e.repo())
		i := slices.IndexFunc(names, func(n string) bool { return strings.HasPrefix(n, "checkout-failing-") && strings.HasSuffix(n, ".md") })
		path := filepath.Join(e.repo(), names[i])
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(data), "# INC-1: Checkout failing", "# INC-1: Checkout failing\n\n"+line, 1)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit(a, "Amara's note, by hand.")
	a.ok("sync")
	edit(b, "Ben's note, by hand.")
	b.ok("log", "-i", "1", "ben: logged before the sync")
	before := b.ok("show", "1", "--json")
	r := b.fails("could not merge", "sync")
	if !strings.Contains(r.stderr, "checkout-failing-") || !strings.Contains(r.stderr, "database was not changed") {
		t.Errorf("the conflict message does not name the file and the database: %q", r.stderr)
	}
	if after := b.ok("show", "1", "--json"); after != before {
		t.Error("a sync that stopped on a conflict changed the database")
	}
	if _, err := os.Stat(filepath.Join(b.repo(), ".git", "MERGE_HEAD")); err != nil {
		t.Error("the repository is not left in the merge git stopped in")
	}
	b.fails("unresolved conflicts", "sync")
	// Resolving it as git asks lets the next sync go on.
	b.git("checkout", "--theirs", ".")
	b.git("add", "--all")
	b.git("commit", "--quiet", "--no-edit")
	b.ok("sync")
	if !b.show("1").hasEntry("note", "ben: logged before the sync") {
		t.Error("the entry logged before the conflict is gone")
	}
}

// Without git, sync says so in one sentence.
func TestSyncWithoutGit(t *testing.T) {
	e := laptop(t, "amara")
	e.newIncident("Checkout failing")
	t.Setenv("PATH", t.TempDir())
	e.fails("needs git", "sync")
}

// export --all (outside sync) never deletes a hand-written file that looks
// like one of its own.
func TestExportAllLeavesHandWrittenNotes(t *testing.T) {
	e := newEnv(t)
	e.ok("demo", "--no-open")
	e.newIncident("Login slow")
	e.newIncident("Search down")
	dir := filepath.Join(e.dir, "incidents")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "INC-3-notes.md")
	if err := os.WriteFile(notes, []byte("# What we learnt from INC-3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if out := e.ok("export", "--all", "--dir", dir); strings.Contains(out, "removed") {
			t.Errorf("export --all removed a file: %q", out)
		}
	}
	if data, err := os.ReadFile(notes); err != nil || string(data) != "# What we learnt from INC-3\n" {
		t.Errorf("INC-3-notes.md was changed or removed (%v)", err)
	}
}

// A sync killed with SIGKILL (kill -9) at any point leaves the database readable and
// the repository one the next sync completes: the records meet up anyway.
func TestSyncSurvivesKill(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b := laptop(t, "amara"), laptop(t, "ben")
	id := a.newIncident("Checkout failing")
	a.ok("sync", "--remote", remote)
	b.ok("sync", "--remote", remote)
	for i := range 30 {
		b.ok("log", "-i", id, "ben: note "+string(rune('a'+i%26)))
	}
	b.ok("sync")
	a.ok("log", "-i", id, "amara: after ben")
	// Kill a's sync at increasing delays, so some land in the middle of
	// git and some in the middle of the import.
	for _, delay := range []time.Duration{0, 5 * time.Millisecond, 20 * time.Millisecond, 60 * time.Millisecond, 150 * time.Millisecond} {
		cmd := exec.Command(binPath, "sync")
		cmd.Env = a.environ()
		cmd.Dir = a.dir
		// Its own process group, killed whole: warroom and the git it is
		// running die together, as when a laptop's power goes.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		a.ok("check")
		// A killed git can leave a lock file behind: the next sync names
		// it in one sentence, and a person removes it.
		for range 5 {
			r := a.run("sync")
			if r.code == 0 {
				break
			}
			_, rest, ok := strings.Cut(r.stderr, "was interrupted and left ")
			lock, _, _ := strings.Cut(rest, " behind;")
			if !ok || !strings.HasSuffix(lock, ".lock") || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
				t.Fatalf("after a kill, sync failed with %q", r.stderr)
			}
			if err := os.Remove(lock); err != nil {
				t.Fatal(err)
			}
		}
		a.ok("show", id)
	}
	a.ok("sync")
	b.ok("sync")
	a.ok("sync")
	ra, rb := a.record(id), b.record(id)
	ja, _ := json.Marshal(ra)
	jb, _ := json.Marshal(rb)
	if string(ja) != string(jb) {
		t.Fatalf("after the killed syncs the laptops disagree:\n%s\n%s", ja, jb)
	}
	if s := b.show(id); !s.hasEntry("note", "amara: after ben") || !s.hasEntry("note", "ben: note d") {
		t.Error("an entry was lost across the killed syncs")
	}
}

// Two syncs in one repository at once: the second says so and does
// nothing, and the lock goes with the process that held it.
func TestSyncOneAtATime(t *testing.T) {
	isolateGit(t)
	e := laptop(t, "amara")
	e.newIncident("Checkout failing")
	e.ok("sync")
	f, err := os.OpenFile(filepath.Join(e.repo(), ".git", "warroom-sync.lock"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	e.ok("log", "-i", "1", "while another sync runs")
	head := e.git("rev-parse", "HEAD")
	e.fails("another warroom sync is running", "sync")
	if e.git("rev-parse", "HEAD") != head {
		t.Error("a refused sync committed")
	}
	f.Close()
	if out := e.ok("sync"); !strings.Contains(out, "1 commit") {
		t.Errorf("the sync after the lock was released printed %q", out)
	}
}

// A sync stopped after git merged and before it committed leaves git
// mid-merge with nothing to resolve: the next sync finishes it.
func TestSyncFinishesAnInterruptedMerge(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b := laptop(t, "amara"), laptop(t, "ben")
	id := a.newIncident("Checkout failing")
	a.ok("sync", "--remote", remote)
	b.ok("sync", "--remote", remote)
	a.ok("log", "-i", id, "amara: after the first sync")
	a.ok("sync")
	b.git("fetch", "--quiet", "origin")
	branch := strings.TrimSpace(b.git("symbolic-ref", "--short", "HEAD"))
	b.git("merge", "--no-commit", "--no-ff", "-m", "warroom sync: merge records", "origin/"+branch)
	if _, err := os.Stat(filepath.Join(b.repo(), ".git", "MERGE_HEAD")); err != nil {
		t.Fatal("the test did not leave git mid-merge")
	}
	b.ok("sync")
	if !b.show(id).hasEntry("note", "amara: after the first sync") {
		t.Error("the interrupted merge was not finished and imported")
	}
	if _, err := os.Stat(filepath.Join(b.repo(), ".git", "MERGE_HEAD")); err == nil {
		t.Error("git is still mid-merge")
	}
}

// Incidents declared on different laptops get the same number everywhere
// in the repository: every laptop writes the same index and the same
// headings, and two incidents never share a label or a file.
func TestSyncNumbersIncidentsTheSameOnEveryLaptop(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b := laptop(t, "amara"), laptop(t, "ben")
	a.newIncident("Checkout failing", "--at", "-2h")
	b.newIncident("Checkout failing", "--at", "-1h") // same title, its own incident
	b.newIncident("Search is slow")
	a.ok("sync", "--remote", remote)
	b.ok("sync", "--remote", remote)
	a.ok("sync")
	read := func(e *env) map[string]string {
		files := map[string]string{}
		for _, name := range repoFiles(t, e.repo()) {
			if strings.HasSuffix(name, ".md") {
				data, err := os.ReadFile(filepath.Join(e.repo(), name))
				if err != nil {
					t.Fatal(err)
				}
				files[name] = string(data)
			}
		}
		return files
	}
	fa, fb := read(a), read(b)
	if len(fa) != 4 {
		t.Fatalf("the repository holds %d Markdown files, want 3 incidents and the index: %v", len(fa), fa)
	}
	for name, text := range fa {
		if fb[name] != text {
			t.Errorf("%s differs between the laptops", name)
		}
	}
	index := fa["index.md"]
	for _, label := range []string{"INC-1", "INC-2", "INC-3"} {
		if strings.Count(index, "["+label+"]") != 1 {
			t.Errorf("index.md names %s %d times:\n%s", label, strings.Count(index, "["+label+"]"), index)
		}
	}
}
