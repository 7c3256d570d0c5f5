package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/store"
)

// createEmptyDB creates the test's database with no incident in it, which
// the commands that only read no longer do themselves.
func (e *env) createEmptyDB() {
	e.t.Helper()
	if _, err := store.Open(e.db); err != nil {
		e.t.Fatal(err)
	}
}

// TestReadingCommandsCreateNoDatabase: at a mistyped --db path, the
// commands that only read say there is no database there and create
// nothing; the commands that write create it as before.
func TestReadingCommandsCreateNoDatabase(t *testing.T) {
	e := newEnv(t)
	typo := filepath.Join(e.dir, "typo")
	p := filepath.Join(typo, "warroom.db")
	for _, args := range [][]string{
		{"list"}, {"list", "--all", "--json"}, {"show"}, {"show", "1", "--json"},
		{"stats"}, {"search", "pool"}, {"export"}, {"export", "1", "-o", filepath.Join(e.dir, "out.md")},
		{"export", "--all", "--dir", filepath.Join(e.dir, "docs")}, {"check"},
		{"backup", filepath.Join(e.dir, "copy.db")}, {"compact"}, {"edit", "2", "--star"}, {"delete", "2"},
	} {
		r := e.fails("there is no warroom database at "+p+"; check --db or WARROOM_DB, or declare an incident with warroom new", append([]string{"--db", p}, args...)...)
		if r.stdout != "" {
			t.Errorf("warroom %s printed %q", strings.Join(args, " "), r.stdout)
		}
		for _, made := range []string{typo, filepath.Join(e.dir, "out.md"), filepath.Join(e.dir, "docs"), filepath.Join(e.dir, "copy.db")} {
			if _, err := os.Stat(made); err == nil {
				t.Fatalf("warroom %s created %s", strings.Join(args, " "), made)
			}
		}
	}
	// WARROOM_DB is held to the same rule.
	e.fails("there is no warroom database at "+e.db, "list")
	if _, err := os.Stat(e.db); err == nil {
		t.Fatal("list created the WARROOM_DB file")
	}

	// Writing commands create the database where they are told to.
	for i, args := range [][]string{{"new", "x"}, {"demo"}, {"log", "first note"}} {
		db := filepath.Join(e.dir, "new", string(rune('a'+i)), "warroom.db")
		r := e.run(append([]string{"--db", db}, args...)...)
		if strings.Contains(r.stderr, "there is no warroom database") {
			t.Fatalf("warroom %s refused to create the database: %s", args[0], r.stderr)
		}
		if _, err := os.Stat(db); err != nil {
			t.Fatalf("warroom %s did not create the database: %v", args[0], err)
		}
	}
	exported := filepath.Join(e.dir, "inc.json")
	e.ok("--db", filepath.Join(e.dir, "new", "a", "warroom.db"), "export", "1", "--format", "json", "-o", exported)
	db := filepath.Join(e.dir, "new", "import", "warroom.db")
	e.ok("--db", db, "import", exported)
	if out := e.ok("--db", db, "list"); !strings.Contains(out, "INC-1") {
		t.Fatalf("the imported database lists:\n%s", out)
	}
}
