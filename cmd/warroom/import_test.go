package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportRoundTripAndIdempotence(t *testing.T) {
	a := newEnv(t)
	a.ok("demo", "--no-open")
	a.ok("log", "-i", "1", "a note only the first database has")
	file := filepath.Join(a.dir, "inc.json")
	a.ok("export", "1", "--format", "json", "-o", file)

	b := newEnv(t)
	b.newIncident("Something else first")
	if out := b.ok("import", file); !strings.HasPrefix(out, "Imported INC-2 as new: 32 entries, 4 public updates\n") || !strings.HasSuffix(out, "INC-2\n") {
		t.Errorf("first import printed %q", out)
	}
	for range 2 {
		if out := b.ok("import", file); !strings.Contains(out, "INC-2 is already up to date") {
			t.Errorf("re-import printed %q", out)
		}
	}
	orig, copied := a.show("INC-1"), b.show("INC-2")
	if len(orig.Entries) != len(copied.Entries) || copied.Title != orig.Title || len(copied.Updates) != 4 {
		t.Fatalf("copy has %d entries, want %d", len(copied.Entries), len(orig.Entries))
	}
	for i := range orig.Entries {
		if orig.Entries[i].Text != copied.Entries[i].Text || orig.Entries[i].At != copied.Entries[i].At {
			t.Errorf("entry %d differs after the round trip", i)
		}
	}

	// The teammate logs in their copy; importing it back merges one entry.
	b.ok("log", "-i", "2", "the teammate's note")
	back := filepath.Join(b.dir, "back.json")
	b.ok("export", "2", "--format", "json", "-o", back)
	if out := a.ok("import", back); !strings.Contains(out, "Merged into INC-1: 1 entries added, 0 updated") {
		t.Errorf("merging the teammate's copy printed %q", out)
	}
	merged := a.show("INC-1")
	if !merged.hasEntry("note", "the teammate's note") || !merged.hasEntry("note", "a note only the first database has") || len(merged.Entries) != len(orig.Entries)+1 {
		t.Errorf("merge lost or duplicated entries: %d entries", len(merged.Entries))
	}
}

func TestImportErrors(t *testing.T) {
	e := newEnv(t)
	e.fails("cannot read", "import", filepath.Join(e.dir, "missing.json"))
	md := filepath.Join(e.dir, "inc.md")
	if err := os.WriteFile(md, []byte("# INC-1: not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.fails("not a warroom JSON export", "import", md)
	e.fails("needs exactly one JSON file", "import")
}
