package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"http://www.w3.org/2005/Atom id"`
	Entries []struct {
		ID      string `xml:"http://www.w3.org/2005/Atom id"`
		Title   string `xml:"http://www.w3.org/2005/Atom title"`
		Updated string `xml:"http://www.w3.org/2005/Atom updated"`
		Content string `xml:"http://www.w3.org/2005/Atom content"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

func parseAtom(t *testing.T, data []byte) atomDoc {
	t.Helper()
	var f atomDoc
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatalf("not an Atom feed: %v\n%s", err, data)
	}
	return f
}

func TestExportAtom(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	e.ok("log", "-i", id, "--at", "-20m", "/publish We are investigating.")
	e.ok("log", "-i", id, "/status identified")
	e.ok("log", "-i", id, "/publish Issue identified; a fix is under way.")
	f := parseAtom(t, []byte(e.ok("export", id, "--format", "atom")))
	if len(f.Entries) != 2 {
		t.Fatalf("%d entries, want 2", len(f.Entries))
	}
	if f.Entries[0].Title != "[Identified] Checkout failing" || f.Entries[0].Content != "Issue identified; a fix is under way." ||
		f.Entries[1].Title != "[Investigating] Checkout failing" {
		t.Errorf("entries %+v, want newest first", f.Entries)
	}
	again := parseAtom(t, []byte(e.ok("export", id, "--format", "atom")))
	if again.ID != f.ID || again.Entries[0].ID != f.Entries[0].ID || !strings.HasPrefix(f.Entries[0].ID, "urn:uuid:") {
		t.Error("feed ids are not stable between exports")
	}

	// -o writes the file; export --all writes feed.atom with every incident.
	out := filepath.Join(e.dir, "inc.atom")
	e.ok("export", id, "--format", "atom", "-o", out)
	if data, err := os.ReadFile(out); err != nil || len(parseAtom(t, data).Entries) != 2 {
		t.Fatalf("-o: %v", err)
	}
	other := e.newIncident("Login slow")
	e.ok("log", "-i", other, "/publish Logins are slow; we are looking into it.")
	dir := filepath.Join(e.dir, "repo")
	if msg := e.ok("export", "--all", "--dir", dir); !strings.Contains(msg, "feed.atom") {
		t.Errorf("export --all printed %q", msg)
	}
	data, err := os.ReadFile(filepath.Join(dir, "feed.atom"))
	if err != nil {
		t.Fatal(err)
	}
	all := parseAtom(t, data)
	if len(all.Entries) != 3 || all.Entries[0].Title != "[Investigating] Login slow" || all.Entries[1].ID != f.Entries[0].ID {
		t.Errorf("feed.atom entries %+v", all.Entries)
	}
	e.fails("--format atom for a feed", "export", id, "--format", "rss")
}
