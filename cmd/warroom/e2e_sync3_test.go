package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// Issue 20, "Prove it": three laptops and one bare repository. Each edits
// one shared incident offline through the CLI (and the retro through the
// store, until the retro has a command of its own), then they sync in
// turns, in a seeded random order each round, until a whole round brings
// nothing. All three then show the same record, holding every line anyone
// typed, and the remote's history has one commit for each sync that
// brought something and none for the quiet round.
func TestSyncThreeLaptopsUntilQuiet(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b, c := laptop(t, "amara"), laptop(t, "ben"), laptop(t, "chidi")
	laptops := map[string]*env{"amara": a, "ben": b, "chidi": c}
	id := a.newIncident("Checkout failing", "--sev", "2")
	for _, n := range []string{"one", "two", "three", "four", "five"} {
		a.ok("log", "-i", id, "note "+n) // #2 to #6
	}
	sections := incident.DefaultSections
	setRetroSection(t, a, "Introduction", "Checkout failed.\nCause unknown.\n", sections)
	a.ok("sync", "--remote", remote)
	b.ok("sync", "--remote", remote)
	c.ok("sync", "--remote", remote)
	for _, e := range []*env{b, c} {
		if s := e.show(id); !s.hasEntry("note", "note five") {
			t.Fatalf("%s did not receive the incident before going offline", e.dir)
		}
	}

	// Offline, all three at once. typed is every line a person wrote.
	var typed []string
	logLine := func(e *env, text string) {
		t.Helper()
		e.ok("log", "-i", id, text)
		typed = append(typed, text)
	}
	editLine := func(e *env, entry, text string) {
		t.Helper()
		e.ok("edit", "-i", id, entry, "--text", text)
		typed = append(typed, text)
	}
	// The same minute on two laptops: the tie must be broken the same way
	// everywhere, never by each database's own numbers.
	minute := time.Now().UTC().Truncate(time.Minute).Format(time.RFC3339)

	logLine(a, "amara: card errors on the EU cluster")
	editLine(a, "#2", "note one, corrected by amara")
	a.ok("delete", "-i", id, "#3")
	a.ok("log", "-i", id, "--at", minute, "/eta 11:50")
	setRetroSection(t, a, "Introduction", "Checkout failed.\nCause unknown.\nAmara: card payments only.\n", sections)
	typed = append(typed, "Amara: card payments only.")

	logLine(b, "ben: rolled back deploy 4711")
	editLine(b, "#3", "note two, corrected by ben") // deleted by amara meanwhile
	b.ok("delete", "-i", id, "#4")
	b.ok("log", "-i", id, "--at", minute, "/eta 11:20")
	b.ok("log", "-i", id, "--at", minute, "/sev 3")
	setRetroSection(t, b, "Introduction", "Checkout failed for every card payment.\nCause unknown.\n", sections)
	typed = append(typed, "Checkout failed for every card payment.")

	logLine(c, "chidi: the canary stayed green")
	editLine(c, "#2", "note one, corrected by chidi") // edited by amara too
	c.ok("log", "-i", id, "--at", minute, "/sev 4")
	c.withStore(func(st *store.Store) {
		if _, err := st.SetPerspective(1, "Introduction", "chidi", "Chidi was on call.", time.Now(), sections); err != nil {
			t.Fatal(err)
		}
	})
	typed = append(typed, "Chidi was on call.")

	// Chidi syncs while the remote cannot be reached: the sync commits
	// locally and says so, and chidi's next sync has to merge for real
	// (two histories, git running warroom's merge driver).
	hidden := remote + ".away"
	if err := os.Rename(remote, hidden); err != nil {
		t.Fatal(err)
	}
	if r := c.run("sync"); r.code == 0 || !strings.Contains(r.stderr, "cannot fetch from the remote") || !strings.Contains(r.stderr, "committed in") {
		t.Fatalf("a sync without the remote: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if err := os.Rename(hidden, remote); err != nil {
		t.Fatal(err)
	}

	// Sync in turns until a whole round brings nothing.
	// The seed puts chidi after a teammate in the first round, so that
	// chidi's sync merges two histories.
	rng := rand.New(rand.NewPCG(20, 2))
	order := []string{"amara", "ben", "chidi"}
	remoteCommits := func() int {
		out, err := exec.Command("git", "-C", remote, "rev-list", "--count", "--all").CombinedOutput()
		if err != nil {
			t.Fatalf("git rev-list in the remote: %v\n%s", err, out)
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(out)))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	start := remoteCommits()
	// Each laptop holds operations the remote lacks until its own first
	// sync, which therefore brings something to the repository: exactly
	// one commit. Chidi's brings the commit of the sync made without the
	// remote, and, if a teammate pushed first, the merge with theirs.
	// Every later sync only takes (a fast-forward) and commits nothing.
	offline := map[string]int{"amara": 1, "ben": 1, "chidi": 1}
	wantMerges := 0
	quiet := false
	var log []string
	for round := 1; round <= 6 && !quiet; round++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		quiet = true
		for _, who := range order {
			e := laptops[who]
			before := remoteCommits()
			out := e.ok("sync")
			added := remoteCommits() - before
			log = append(log, "round "+strconv.Itoa(round)+" "+who+": +"+strconv.Itoa(added)+" commits; "+strings.ReplaceAll(strings.TrimSpace(out), "\n", " | "))
			want := offline[who]
			if who == "chidi" && want > 0 && before > start {
				want, wantMerges = 2, 1
			}
			offline[who] = 0
			if added != want {
				t.Errorf("the sync of %s in round %d added %d commits to the remote, want %d:\n%s", who, round, added, want, out)
			}
			if added > 0 || strings.Contains(out, "Brought in") {
				quiet = false
			}
			if added == 0 && !strings.Contains(out, "0 commits, pushed") {
				t.Errorf("the sync of %s in round %d brought nothing to the remote but printed %q", who, round, out)
			}
		}
	}
	t.Logf("syncs:\n%s", strings.Join(log, "\n"))
	if !quiet {
		t.Fatalf("the laptops never reached a quiet round in 6:\n%s", strings.Join(log, "\n"))
	}
	if got := remoteCommits() - start; got != 3+wantMerges {
		t.Errorf("the remote has %d new commits for %d syncs that brought something:\n%s", got, 3+wantMerges, strings.Join(log, "\n"))
	}
	merges, err := exec.Command("git", "-C", remote, "rev-list", "--merges", "--count", "--all").CombinedOutput()
	if err != nil || strings.TrimSpace(string(merges)) != strconv.Itoa(wantMerges) {
		t.Errorf("the remote holds %s merge commits, want %d (%v)", merges, wantMerges, err)
	}
	// Each commit says what it brought, and from whom.
	out, err := exec.Command("git", "-C", remote, "log", "--format=%B%x00", "-4").CombinedOutput()
	if err != nil {
		t.Fatalf("git log in the remote: %v\n%s", err, out)
	}
	for _, who := range []string{"amara", "ben", "chidi"} {
		said := slices.ContainsFunc(strings.Split(string(out), "\x00"), func(msg string) bool {
			title, body, _ := strings.Cut(strings.TrimSpace(msg), "\n")
			return title == "warroom sync: changes from "+who && strings.Contains(body, "checkout-failing-") && strings.Contains(body, " from "+who)
		})
		if !said {
			t.Errorf("no commit in the remote says what %s brought:\n%s", who, out)
		}
	}

	// The same record everywhere.
	shown := map[string]string{}
	for who, e := range laptops {
		shown[who] = normalShow(t, e.ok("show", id, "--json"))
	}
	if shown["amara"] != shown["ben"] || shown["amara"] != shown["chidi"] {
		t.Fatalf("the laptops disagree after syncing until quiet:\namara: %s\nben: %s\nchidi: %s", shown["amara"], shown["ben"], shown["chidi"])
	}
	ra, rb, rc := a.record(id), b.record(id), c.record(id)
	ja, _ := json.Marshal(ra)
	jb, _ := json.Marshal(rb)
	jc, _ := json.Marshal(rc)
	if string(ja) != string(jb) || string(ja) != string(jc) {
		t.Fatalf("the records disagree:\namara: %s\nben: %s\nchidi: %s", ja, jb, jc)
	}
	// Every line anyone typed is in it, as an entry (live, or deleted and
	// kept) or in the retro.
	var all strings.Builder
	for _, e := range ra.Entries {
		all.WriteString(e.Text + "\n")
	}
	rj, _ := json.Marshal(ra.Retro)
	var retroText any
	_ = json.Unmarshal(rj, &retroText)
	collectStrings(retroText, &all)
	for _, line := range typed {
		if !strings.Contains(all.String(), line) {
			t.Errorf("%q, typed offline, is not in the merged record", line)
		}
	}
	s := a.show(id)
	for _, want := range []string{"amara: card errors on the EU cluster", "ben: rolled back deploy 4711", "chidi: the canary stayed green"} {
		if !s.hasEntry("note", want) {
			t.Errorf("the merged timeline lacks the entry %q", want)
		}
	}
	// The edit made to an entry a teammate deleted is what a restore
	// brings back.
	b.ok("edit", "-i", id, "#3", "--restore")
	if !b.show(id).hasEntry("note", "note two, corrected by ben") {
		t.Errorf("restoring the entry edited under a delete did not bring back the edit: %+v", b.show(id).Entries)
	}
	// The ties: one ETA and one severity, the same everywhere (compared
	// above), and both settings of each in the timeline.
	if s.Severity != "SEV3" && s.Severity != "SEV4" {
		t.Errorf("severity after the tie = %q, want SEV3 or SEV4", s.Severity)
	}
	var timeline []string
	for _, e := range s.Entries {
		timeline = append(timeline, e.Text)
	}
	for _, want := range []*regexp.Regexp{regexp.MustCompile(`ETA set to .*11:50`), regexp.MustCompile(`ETA set to .*11:20`), regexp.MustCompile(`SEV3`), regexp.MustCompile(`SEV4`)} {
		if !slices.ContainsFunc(timeline, want.MatchString) {
			t.Errorf("no timeline entry matches %q after the tie:\n%s", want, strings.Join(timeline, "\n"))
		}
	}
}

// setRetroSection writes a retro section's text on laptop e as its person
// would from the screen they last saw.
func setRetroSection(t *testing.T, e *env, title, text string, sections []string) {
	t.Helper()
	e.withStore(func(st *store.Store) {
		inc, err := st.Incident(1)
		if err != nil {
			t.Fatal(err)
		}
		ed := store.Edit{Text: text}
		if sec := inc.Retro.Section(title); sec != nil {
			ed.Base, ed.BaseRev = sec.Text, sec.Rev
		}
		if _, _, err := st.SetSectionText(1, title, ed, e.author(), time.Now(), sections); err != nil {
			t.Fatal(err)
		}
	})
}

// author is the name in the laptop's config.
func (e *env) author() string {
	data, err := os.ReadFile(filepath.Join(e.dir, "config", "warroom", "config.toml"))
	if err != nil {
		e.t.Fatal(err)
	}
	m := regexp.MustCompile(`author = "([^"]*)"`).FindSubmatch(data)
	if m == nil {
		e.t.Fatalf("no author in %s", data)
	}
	return string(m[1])
}

// normalShow is `show --json` with what only one database means taken
// out: the incident's INC-n, entry and update ids, and #N in texts.
func normalShow(t *testing.T, out string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("show --json is not JSON: %v\n%s", err, out)
	}
	v = dropLocal(v, "")
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func dropLocal(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "id" || k == "ref" || k == "entry_id" || k == "update_id" {
				if _, isNum := val.(float64); isNum || k == "id" && key == "" {
					delete(x, k)
					continue
				}
			}
			x[k] = dropLocal(val, k)
		}
		return x
	case []any:
		for i := range x {
			x[i] = dropLocal(x[i], key)
		}
		return x
	case string:
		return localNumber.ReplaceAllString(x, "#")
	}
	return v
}

func collectStrings(v any, out *strings.Builder) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			collectStrings(x[k], out)
		}
	case []any:
		for _, y := range x {
			collectStrings(y, out)
		}
	case string:
		out.WriteString(x + "\n")
	}
}

// A record file hand-edited in the remote to hold an operation that is
// not valid: every sync warns and skips that file while the other
// incidents still sync, and once the file is fixed upstream the next sync
// brings its incident in, with nothing lost.
//
// Each kind of bad input the issue names: an operation that does not
// check out, one id holding two different operations, and an operation
// dated hours ahead of this machine's clock.
func TestSyncSkipsABadRecordUntilFixedUpstream(t *testing.T) {
	future := time.Now().UTC().Add(3 * time.Hour).Format(time.RFC3339)
	cases := []struct {
		name string
		bad  func(good string) string // the line inserted first in the operations
		says string                   // what the warning says about it
	}{
		{"invalid operation", func(string) string {
			return "\n{\"id\":\"edited by hand!\",\"clock\":1,\"at\":\"2026-12-01T10:00:00Z\",\"type\":\"entry.add\"},"
		}, `"edited by hand!", which is not a uid`},
		{"one id, two operations", func(good string) string {
			for _, line := range strings.Split(good, "\n") {
				if strings.Contains(line, "amara: before the hand edit") {
					return "\n" + strings.TrimSuffix(strings.Replace(line, "amara: before the hand edit", "amara: rewritten by hand", 1), ",") + ","
				}
			}
			return ""
		}, "appears twice with different content"},
		{"operation from the future", func(string) string {
			return "\n{\"id\":\"f0f0f0f0f0f0f0f0f0f0f0f0\",\"clock\":1,\"at\":\"" + future + "\",\"author\":\"mallory\",\"type\":\"entry.add\",\"entry\":{\"uid\":\"e0e0e0e0e0e0e0e0e0e0e0e0\",\"at\":\"" + future + "\",\"recorded_at\":\"" + future + "\",\"author\":\"mallory\",\"kind\":\"note\",\"text\":\"from the future\"}},"
		}, "ahead of this machine's clock"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { testBadRecordUpstream(t, tc.bad, tc.says) })
	}
}

func testBadRecordUpstream(t *testing.T, makeBad func(good string) string, says string) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b := laptop(t, "amara"), laptop(t, "ben")
	checkout := a.newIncident("Checkout failing")
	search := a.newIncident("Search slow")
	a.ok("sync", "--remote", remote)
	b.ok("sync", "--remote", remote)
	a.ok("log", "-i", checkout, "amara: before the hand edit")
	a.ok("log", "-i", search, "amara: search note")
	a.ok("sync")

	// Someone edits the remote's record by hand, outside warroom.
	hand := filepath.Join(t.TempDir(), "hand")
	runGit := func(dir string, args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	runGit(filepath.Dir(hand), "clone", "--quiet", remote, hand)
	names := repoFiles(t, hand)
	i := slices.IndexFunc(names, func(n string) bool { return strings.HasPrefix(n, "checkout-failing-") && strings.HasSuffix(n, ".json") })
	if i < 0 {
		t.Fatalf("no checkout record in the remote: %q", names)
	}
	recordName := names[i]
	path := filepath.Join(hand, recordName)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := makeBad(string(good))
	broken := strings.Replace(string(good), `"ops":[`, `"ops":[`+bad, 1)
	if bad == "" || broken == string(good) {
		t.Fatal("the test did not break the record")
	}
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	runGit(hand, "commit", "--quiet", "-am", "hand edit")
	runGit(hand, "push", "--quiet", "origin", "HEAD")

	// Ben syncs: a warning naming the file, and the other incident comes in.
	b.ok("log", "-i", search, "ben: search note")
	stored := b.record(checkout)
	r := b.run("sync")
	if r.code != 0 {
		t.Fatalf("a sync over one bad record failed: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: skipped") || !strings.Contains(r.stderr, recordName) || !strings.Contains(r.stderr, says) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
		t.Errorf("the sync did not warn about the bad record by name: %q", r.stderr)
	}
	if !b.show(search).hasEntry("note", "amara: search note") {
		t.Error("the other incident did not sync past the bad record")
	}
	if got := b.record(checkout); !reflect.DeepEqual(got, stored) {
		t.Errorf("the skipped record changed what ben had stored:\nbefore: %+v\nafter: %+v", stored, got)
	}
	// Skipped means left alone: the sync does not write its own copy over
	// operations it could not read.
	if got := runGit(remote, "show", "HEAD:"+recordName); got != broken {
		t.Errorf("ben's sync rewrote the record it skipped:\n%s", got)
	}
	a.ok("log", "-i", checkout, "amara: while the record is broken")
	r = a.run("sync")
	if r.code != 0 || !strings.Contains(r.stderr, recordName) {
		t.Fatalf("amara's sync over the bad record: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !a.show(search).hasEntry("note", "ben: search note") {
		t.Error("ben's entry in the other incident did not reach amara")
	}

	// Fixed upstream: the next sync brings the incident in by itself.
	runGit(hand, "pull", "--quiet", "--no-rebase", "origin")
	now, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(now), bad, "", 1)
	if fixed == string(now) {
		t.Fatalf("the bad operation is no longer in the remote's record:\n%s", now)
	}
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	runGit(hand, "commit", "--quiet", "-am", "fix the hand edit")
	runGit(hand, "push", "--quiet", "origin", "HEAD")
	r = b.run("sync")
	if r.code != 0 || strings.Contains(r.stderr, "warning") {
		t.Fatalf("the sync after the fix: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !b.show(checkout).hasEntry("note", "amara: before the hand edit") {
		t.Error("the record fixed upstream was not brought in")
	}
	// What amara logged while the record was broken stayed in her
	// database; her next sync brings it to the repository.
	for _, e := range []*env{a, b} {
		if r := e.run("sync"); r.code != 0 || r.stderr != "" {
			t.Fatalf("a sync after the fix: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	}
	if !b.show(checkout).hasEntry("note", "amara: while the record is broken") {
		t.Error("the entry logged while the record was broken did not reach ben")
	}
	if ra, rb := a.record(checkout), b.record(checkout); !reflect.DeepEqual(ra, rb) {
		t.Errorf("after the fix the laptops disagree:\n%+v\n%+v", ra, rb)
	}
}
