package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestStatusPageKeys(t *testing.T) {
	p := writeConfig(t, `
status_page_dir = "public/status"

[status_page]
org = "  Example Ltd "
logo = "logo.svg"
show_names = true
`)
	c, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	want := StatusPage{Dir: filepath.Join(dir, "public/status"), Org: "Example Ltd", Logo: filepath.Join(dir, "logo.svg"), ShowNames: true}
	if c.StatusPage != want || len(c.Warnings) != 0 {
		t.Fatalf("status page %+v, warnings %v; want %+v", c.StatusPage, c.Warnings, want)
	}

	// Nothing set: no page, nobody named.
	d, err := LoadFile(writeConfig(t, `author = "li"`))
	if err != nil {
		t.Fatal(err)
	}
	if d.StatusPage != (StatusPage{}) || !strings.Contains(d.Value("status_page_dir"), "none") {
		t.Fatalf("default status page %+v, %q", d.StatusPage, d.Value("status_page_dir"))
	}

	// An empty directory is a warning naming the line, never a refusal.
	e, err := LoadFile(writeConfig(t, "author = \"li\"\nstatus_page_dir = \"  \"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if e.StatusPage.Dir != "" || len(e.Warnings) != 1 || !strings.Contains(e.Warnings[0], "line 2") {
		t.Fatalf("empty status_page_dir: %+v %v", e.StatusPage, e.Warnings)
	}

	// A typo in the table is named with its nearest key.
	f, err := LoadFile(writeConfig(t, "[status_page]\nshow_name = true\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0], "did you mean status_page.show_names") {
		t.Fatalf("typo: %v", f.Warnings)
	}
}
