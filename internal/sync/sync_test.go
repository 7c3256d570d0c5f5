package sync

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

var t0 = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

func TestNames(t *testing.T) {
	inc := &incident.Incident{ID: 7, UID: "3f9a2c1b77aa00bb11cc22dd", Title: "Checkout: failing!"}
	if got := Base(inc); got != "checkout-failing-3f9a2c1b77aa00bb11cc22dd" {
		t.Errorf("Base = %q", got)
	}
	inc.UID = "Demo_2026-05"
	if got := Base(inc); got != "checkout-failing-demo-2026-05" || !ownName(got+".md") {
		t.Errorf("Base of an odd uid = %q", got)
	}
	for name, want := range map[string]bool{
		"checkout-failing-3f9a2c1b.md":   true,
		"incident-00000000.md":           true,
		"INC-3-notes.md":                 false,
		"notes.md":                       false,
		"checkout-3F9A2C1B.md":           false,
		"-3f9a2c1b.md":                   false,
		"checkout-failing-3f9a2c1b.json": false,
	} {
		if got := ownName(name); got != want {
			t.Errorf("ownName(%q) = %v, want %v", name, got, want)
		}
	}
}

// record writes one version of the demo incident to a file and returns it.
func record(t *testing.T, dir, name string, edit func(inc *incident.Incident)) string {
	t.Helper()
	inc := incident.Demo(t0)
	inc.UID = "3f9a2c1b77aa00bb11cc22dd"
	inc.ID = 4
	for i := range inc.Entries {
		inc.Entries[i].UID = "demo" + string(rune('a'+i))
	}
	if edit != nil {
		edit(inc)
	}
	inc.Ops = incident.LegacyOps(inc)
	data, err := Record(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func addEntry(uid, text string, at time.Time) func(inc *incident.Incident) {
	return func(inc *incident.Incident) {
		inc.Entries = append(inc.Entries, incident.Entry{UID: uid, At: at, RecordedAt: at, Author: "x", Kind: incident.KindNote, Text: text})
	}
}

// The driver merges two records the way import does: both sides' new
// entries, a deletion kept, the smaller repository number.
func TestMergeFileMergesRecords(t *testing.T) {
	dir := t.TempDir()
	base := record(t, dir, "base", nil)
	ours := record(t, dir, "ours", addEntry("aaaa", "ours: found it", t0.Add(3*time.Hour)))
	theirs := record(t, dir, "theirs", func(inc *incident.Incident) {
		addEntry("bbbb", "theirs: fixed it", t0.Add(4*time.Hour))(inc)
		inc.Entries[1].Deleted = true
		inc.ID = 2
	})
	if err := MergeFile(base, ours, theirs, incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(ours)
	if err != nil {
		t.Fatal(err)
	}
	got := foldedRecord(t, data)
	texts := map[string]bool{}
	deleted := 0
	for _, e := range got.Entries {
		texts[e.Text] = true
		if e.Deleted {
			deleted++
		}
	}
	if !texts["ours: found it"] || !texts["theirs: fixed it"] || deleted != 1 {
		t.Errorf("merged entries: %v, %d deleted", texts, deleted)
	}
	if got.UID != "3f9a2c1b77aa00bb11cc22dd" {
		t.Errorf("merged uid %q, want the same uid", got.UID)
	}
	// Merging the result with theirs again changes nothing: the driver
	// settles.
	again := filepath.Join(dir, "again")
	if err := os.WriteFile(again, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := MergeFile(base, again, theirs, incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	if data2, _ := os.ReadFile(again); string(data2) != string(data) {
		t.Error("merging a merged record with one of its sides changed it")
	}
}

func TestMergeFileRefusesTwoIncidents(t *testing.T) {
	dir := t.TempDir()
	base := record(t, dir, "base", nil)
	ours := record(t, dir, "ours", nil)
	theirs := record(t, dir, "theirs", func(inc *incident.Incident) { inc.UID = "ffffffff0000000000000000" })
	err := MergeFile(base, ours, theirs, incident.DefaultPolicy())
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "different incidents") {
		t.Errorf("merging two incidents: %v", err)
	}
}

// Generated Markdown keeps ours; a file a person edited on both sides is
// git's line merge, and a clash is left marked.
func TestMergeFileMarkdown(t *testing.T) {
	dir := t.TempDir()
	put := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := put("base", string(export.Generated([]byte("# INC-1\n\nold\n"))))
	ours := put("ours", string(export.Generated([]byte("# INC-1\n\nours\n"))))
	theirs := put("theirs", string(export.Generated([]byte("# INC-1\n\ntheirs\n"))))
	if err := MergeFile(base, ours, theirs, incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(ours); !strings.Contains(string(data), "ours") {
		t.Errorf("generated Markdown did not keep ours: %q", data)
	}
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("WARROOM_E2E_REQUIRED") != "" {
			t.Fatal("git is required (WARROOM_E2E_REQUIRED is set); install it with apt-get install git")
		}
		t.Skip("git not installed; the line merge needs it")
	}
	base = put("hbase", "a\nb\nc\nd\ne\n")
	ours = put("hours", "a\nb by hand\nc\nd\ne\n")
	theirs = put("htheirs", "a\nb\nc\nd\ne, also by hand\n")
	if err := MergeFile(base, ours, theirs, incident.DefaultPolicy()); err != nil {
		t.Fatalf("a clean line merge failed: %v", err)
	}
	if data, _ := os.ReadFile(ours); string(data) != "a\nb by hand\nc\nd\ne, also by hand\n" {
		t.Errorf("line merge = %q", data)
	}
	theirs = put("htheirs2", "a\nb, theirs by hand\nc\nd\ne\n")
	ours = put("hours2", "a\nb by hand\nc\nd\ne\n")
	if err := MergeFile(base, ours, theirs, incident.DefaultPolicy()); !errors.Is(err, ErrConflict) {
		t.Errorf("a clash returned %v, want ErrConflict", err)
	}
	if data, _ := os.ReadFile(ours); !strings.Contains(string(data), "<<<<<<< ours") {
		t.Errorf("the clash is not marked: %q", data)
	}
}

func TestSettle(t *testing.T) {
	dir := t.TempDir()
	read := func(p string) []byte {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	ours := read(record(t, dir, "ours", addEntry("aaaa", "ours: found it", t0.Add(3*time.Hour))))
	theirs := read(record(t, dir, "theirs", addEntry("bbbb", "theirs: fixed it", t0.Add(4*time.Hour))))
	p := incident.DefaultPolicy()
	data, keep, ok := settle([][]byte{ours, theirs}, p)
	if !ok || !keep || !strings.Contains(string(data), "ours: found it") || !strings.Contains(string(data), "theirs: fixed it") {
		t.Errorf("two records of one incident: keep %v ok %v", keep, ok)
	}
	if data, keep, ok = settle([][]byte{theirs}, p); !ok || !keep || string(data) != string(theirs) {
		t.Error("a record kept on one side only is not kept")
	}
	if _, keep, ok = settle(nil, p); !ok || keep {
		t.Error("a path neither side kept is not removed")
	}
	gen := export.Generated([]byte("# INC-4\n"))
	if data, keep, ok = settle([][]byte{gen, export.Generated([]byte("# INC-2\n"))}, p); !ok || !keep || string(data) != string(gen) {
		t.Error("generated Markdown does not keep ours")
	}
	if _, _, ok = settle([][]byte{gen, []byte("# INC-4\n\nby hand\n")}, p); ok {
		t.Error("a hand-edited file was settled without a person")
	}
}

// Contributing factors and review comments written on two laptops both
// survive the merge driver, evidence links and all, whichever side is ours.
func TestMergeFileKeepsBothSidesFactorsAndReview(t *testing.T) {
	dir := t.TempDir()
	base := record(t, dir, "base", nil)
	at := t0.Add(5 * time.Hour)
	mine := func(inc *incident.Incident) {
		inc.Retro.Factors = append(inc.Retro.Factors, incident.Factor{UID: "fa", Cause: "no load test", Evidence: []string{"democ"}, Author: "dana"})
		inc.Retro.Review = append(inc.Retro.Review, incident.ReviewComment{UID: "ra", At: at, Author: "kim", Section: "Timeline", Text: "why so late?"})
	}
	theirs := func(inc *incident.Incident) {
		inc.Retro.Factors = append(inc.Retro.Factors, incident.Factor{UID: "fb", Cause: "lucky canary", Lucky: true, Author: "chen"})
		inc.Retro.Review = append(inc.Retro.Review, incident.ReviewComment{UID: "rb", At: at.Add(-time.Minute), Author: "lee", Section: "Actions", Text: "who owns the alert?"})
	}
	for _, order := range [][2]func(*incident.Incident){{mine, theirs}, {theirs, mine}} {
		ours := record(t, dir, "ours", order[0])
		other := record(t, dir, "theirs", order[1])
		if err := MergeFile(base, ours, other, incident.DefaultPolicy()); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(ours)
		got := foldedRecord(t, data)
		if len(got.Retro.Factors) != 2 || len(got.Retro.Review) != 2 {
			t.Fatalf("merged retro has %d factors and %d comments, want 2 and 2", len(got.Retro.Factors), len(got.Retro.Review))
		}
		if got.Retro.Review[0].UID != "rb" {
			t.Errorf("review comments are not in time order: %+v", got.Retro.Review)
		}
		for _, f := range got.Retro.Factors {
			if f.UID == "fa" && (len(f.Evidence) != 1 || f.Evidence[0] != "democ") {
				t.Errorf("factor evidence lost in the merge: %+v", f)
			}
		}
	}
}

// foldedRecord is the incident a record file holds, as a database that
// imports it folds it.
func foldedRecord(t *testing.T, data []byte) *incident.Incident {
	t.Helper()
	rec, err := parseRecord(data)
	if err != nil {
		t.Fatalf("the merge is not a record: %v", err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "fold.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := st.ImportIncident(rec)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := st.Incident(res.ID)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}
