package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An incident whose stamp matches the manifest is not rendered again: the
// caller may pass it without its timeline and the file keeps it. A new
// stamp, a file changed on disk or other options render it again.
func TestWriteAllStampedSkipsFreshIncidents(t *testing.T) {
	dir := t.TempDir()
	mpath := ManifestPath(t.TempDir(), dir)
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	opts := utcOptions()
	incs := generate(3, 5, 11)
	for i, inc := range incs {
		inc.UID = "uid-" + string(rune('a'+i))
	}
	stamps := []string{"s1", "s2", "s3"}
	if _, err := WriteAllStamped(dir, incs, stamps, ReadManifest(mpath, opts), opts, now); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, FileName(incs[0]))
	full := read(t, file)
	text := incs[0].Entries[0].Text
	if !strings.Contains(full, Inline(text)) {
		t.Fatalf("the first export lacks the entry %q", text)
	}
	m := ReadManifest(mpath, opts)
	for i, inc := range incs {
		if !m.Fresh(dir, inc.UID, stamps[i]) {
			t.Errorf("%s is not fresh right after its export", inc.Key())
		}
	}
	// Same stamp, no timeline: skipped, the file is untouched.
	bare := *incs[0]
	bare.Entries = nil
	incs[0] = &bare
	if _, err := WriteAllStamped(dir, incs, stamps, ReadManifest(mpath, opts), opts, now); err != nil {
		t.Fatal(err)
	}
	if read(t, file) != full {
		t.Fatal("an incident with an unchanged stamp was rendered again")
	}
	// Another stamp: rendered from what it is now.
	stamps[0] = "s1-changed"
	if _, err := WriteAllStamped(dir, incs, stamps, ReadManifest(mpath, opts), opts, now); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(read(t, file), Inline(text)) {
		t.Fatal("an incident with a new stamp was not rendered again")
	}
	// The feed is written when its stamp or its file changed, only then.
	feed := filepath.Join(dir, FeedFile)
	feedBefore := read(t, feed)
	if err := os.Remove(feed); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAllStamped(dir, incs, stamps, ReadManifest(mpath, opts), opts, now); err != nil {
		t.Fatal(err)
	}
	if read(t, feed) != feedBefore {
		t.Error("a feed deleted by hand was not written again")
	}
	// Nothing moved: the feed is not made again (a same-sized file with
	// the recorded time stands in for it, and stays).
	fi, err := os.Stat(feed)
	if err != nil {
		t.Fatal(err)
	}
	standIn := strings.Repeat("x", int(fi.Size()))
	if err := os.WriteFile(feed, []byte(standIn), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(feed, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAllStamped(dir, incs, stamps, ReadManifest(mpath, opts), opts, now); err != nil {
		t.Fatal(err)
	}
	if read(t, feed) != standIn {
		t.Error("the feed was made again though no stamp moved")
	}
	if err := os.WriteFile(feed, []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	incs[2].Title = "Retitled"
	stamps[2] = "s3-changed"
	if _, err := WriteAllStamped(dir, incs, stamps, ReadManifest(mpath, opts), opts, now); err != nil {
		t.Fatal(err)
	}
	if got := read(t, feed); got == "stale" || !strings.Contains(got, "Retitled") && len(incs[2].Updates) > 0 {
		t.Error("the feed was not made again after an incident's stamp moved")
	}
	// Other options (here the gap threshold) make every incident stale.
	other := opts
	other.Policy.GapThreshold = 3 * time.Minute
	m = ReadManifest(mpath, other)
	if m.Fresh(dir, incs[1].UID, stamps[1]) {
		t.Error("a manifest written with other options counts as fresh")
	}
	// Nor does one written in another zone.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err == nil {
		zoned := opts
		zoned.Location = berlin
		if ReadManifest(mpath, zoned).Fresh(dir, incs[1].UID, stamps[1]) {
			t.Error("a manifest written in another zone counts as fresh")
		}
	}
	// A file edited on disk is not fresh.
	m = ReadManifest(mpath, opts)
	f2 := filepath.Join(dir, FileName(incs[1]))
	if err := os.WriteFile(f2, []byte(read(t, f2)+"x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if m.Fresh(dir, incs[1].UID, stamps[1]) {
		t.Error("a file changed since the export counts as fresh")
	}
}
