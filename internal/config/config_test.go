package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMissingFileGivesDefaults(t *testing.T) {
	t.Setenv("USER", "amara")
	t.Setenv("WARROOM_AUTHOR", "")
	c, err := LoadFile(filepath.Join(t.TempDir(), "none.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Author != "amara" || c.UpdateEvery != 30*time.Minute || c.FirstUpdateAfter != 5*time.Minute ||
		c.RetroDueAfter != 2*time.Hour || c.GapThreshold != 15*time.Minute || c.Bell || len(c.Webhooks) != 0 {
		t.Fatalf("defaults: %+v", c)
	}
	if got := c.Sections(); strings.Join(got, ",") != "Introduction,Timeline,Five whys,Actions" {
		t.Fatalf("sections %v", got)
	}
	if c.Source["update_every"] != "default" || c.Source["author"] != "environment" {
		t.Fatalf("sources %v", c.Source)
	}
}

func TestEveryKey(t *testing.T) {
	p := writeConfig(t, `
author = "li"
update_every = "20m"
first_update_after = "10m"
retro_due_after = "4h"
gap_threshold = "5m"
long_incident_after = "3h"
long_update_every = "45m"
bell = true
webhooks = ["http://127.0.0.1:9/hook"]
retro_preset = "google-sre"
export_template = "export.md.tmpl"
export_dir = "/srv/incidents"
timezone = "Europe/Berlin"
status_page_dir = "status"

[status_page]
org = "Example Ltd"
logo = "/srv/logo.png"
show_names = true

[[webhook]]
url = "https://discord.com/api/webhooks/1/abc"

[jargon]
words = ["pgbouncer"]
allow = ["API"]

[templates]
investigating = "We are looking into it. Next update by {next_update}."
eta = "Fix expected by {eta}."

[alerts]
token = "s3cret"
token_file = "alert.token"
declare = false
severity_label = "priority"
tag_labels = ["service"]
allow_mitigated = true

[alerts.severity]
p1 = 1
p4 = 4
`)
	c, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	pol := c.Policy()
	if c.Author != "li" || pol.UpdateEvery != 20*time.Minute || pol.FirstUpdateAfter != 10*time.Minute ||
		pol.RetroDueAfter != 4*time.Hour || pol.GapThreshold != 5*time.Minute || !c.Bell {
		t.Fatalf("values: %+v", c)
	}
	if c.Webhooks[0] != "http://127.0.0.1:9/hook" || c.JargonWords[0] != "pgbouncer" || c.JargonAllow[0] != "API" {
		t.Fatalf("lists: %+v", c)
	}
	if c.ExportTemplate != filepath.Join(filepath.Dir(p), "export.md.tmpl") {
		t.Fatalf("export template %q is not relative to the config directory", c.ExportTemplate)
	}
	if c.Templates["investigating"] == "" || c.Templates["eta"] != "Fix expected by {eta}." {
		t.Fatalf("templates %v", c.Templates)
	}
	if pol.LongAfter != 3*time.Hour || pol.LongEvery != 45*time.Minute {
		t.Fatalf("long incident cadence %v %v", pol.LongAfter, pol.LongEvery)
	}
	if c.Location.String() != "Europe/Berlin" || c.Value("timezone") != "Europe/Berlin" {
		t.Fatalf("timezone %v", c.Location)
	}
	if bad, err := LoadFile(writeConfig(t, `timezone = "Mars/Olympus"`)); err != nil || len(bad.Warnings) != 1 || !strings.Contains(bad.Warnings[0], "is not a time zone") {
		t.Fatalf("a bad timezone: %v %v", bad.Warnings, err)
	}
	if len(c.Sections()) != 7 || c.Sections()[4] != "What went well" {
		t.Fatalf("preset sections %v", c.Sections())
	}
	for _, k := range Keys {
		if k == "jargon.words" || k == "jargon.allow" || k == "retro_sections" {
			continue
		}
		if !strings.HasPrefix(c.Source[k], "file ") {
			t.Errorf("source of %s = %q, want the file", k, c.Source[k])
		}
		if c.Value(k) == "" {
			t.Errorf("Value(%s) is empty", k)
		}
	}
	// retro_sections beats the preset.
	c2, err := LoadFile(writeConfig(t, `retro_sections = ["Introduction", "What went well"]`))
	if err != nil || strings.Join(c2.Sections(), ",") != "Introduction,What went well" {
		t.Fatalf("retro_sections: %v %v", c2.Sections(), err)
	}
}

// TestBadConfig: a mistake in the file is a warning naming the file and
// the line, and the key keeps its default; it never refuses to load
// (product.md §5: `log` and the cockpit must work mid-incident).
func TestBadConfig(t *testing.T) {
	tests := []struct {
		text, want string
		line       int
	}{
		{`autor = "typo"`, "unknown key autor is ignored; did you mean author?", 1},
		{`colour = "blue"`, "unknown key colour is ignored; check its spelling (the keys are author,", 1},
		{"author = \"amara\"\n[jargon]\nwrods = [\"x\"]", "unknown key jargon.wrods", 3},
		{"[jargn]\nwords = [\"x\"]", "unknown key jargn ", 1},
		{`update_every = "often"`, "not a duration", 1},
		{"bell = true\ngap_threshold = \"-5m\"", "not a duration", 2},
		{`retro_preset = "mine"`, "not known", 1},
		{`retro_sections = []`, "at least one section", 1},
		{`author = "  "`, "author is empty", 1},
		{"[templates]\ndegraded = \"x\"", "templates.degraded", 2},
		{`timezone = "Mars/Olympus"`, "not a time zone", 1},
		{"bell = true\nupdate_every = ", "not valid TOML", 2},
	}
	for _, tt := range tests {
		p := writeConfig(t, tt.text)
		c, err := LoadFile(p)
		if err != nil {
			t.Errorf("config %q refused to load: %v", tt.text, err)
			continue
		}
		if len(c.Warnings) != 1 {
			t.Errorf("config %q: warnings %q, want one", tt.text, c.Warnings)
			continue
		}
		w := c.Warnings[0]
		if !strings.Contains(w, tt.want) || !strings.Contains(w, fmt.Sprintf("%s line %d", p, tt.line)) {
			t.Errorf("config %q: warning %q, want %q at %s line %d", tt.text, w, tt.want, p, tt.line)
		}
	}
	// The good keys beside a bad one still apply; the bad one keeps its default.
	c, err := LoadFile(writeConfig(t, "author = \"amara\"\nupdate_every = \"often\"\nautor = \"x\"\n"))
	if err != nil || c.Author != "amara" || c.UpdateEvery != 30*time.Minute || len(c.Warnings) != 2 {
		t.Fatalf("author %q, update_every %v, warnings %q, err %v", c.Author, c.UpdateEvery, c.Warnings, err)
	}
}

func TestExportDir(t *testing.T) {
	t.Setenv("HOME", "/home/amara")
	p := writeConfig(t, `export_dir = "~/incidents"`)
	c, err := LoadFile(p)
	if err != nil || c.ExportDir != "/home/amara/incidents" || !strings.HasPrefix(c.Source["export_dir"], "file ") {
		t.Fatalf("export_dir = %q (%s), %v", c.ExportDir, c.Source["export_dir"], err)
	}
	c, _ = LoadFile(writeConfig(t, `export_dir = "exports"`))
	if c.ExportDir != filepath.Join(c.Dir, "exports") {
		t.Fatalf("a relative export_dir is %q, want it under the config directory", c.ExportDir)
	}
	if c := Default(); c.Value("export_dir") != "(the current directory)" {
		t.Fatalf("default export_dir reads %q", c.Value("export_dir"))
	}
}

func TestPaths(t *testing.T) {
	t.Setenv("WARROOM_DB", "")
	t.Setenv("XDG_DATA_HOME", "/data")
	t.Setenv("XDG_CONFIG_HOME", "/conf")
	if got := DefaultDBPath(); got != "/data/warroom/warroom.db" {
		t.Errorf("DefaultDBPath = %q", got)
	}
	if got := Dir(); got != "/conf/warroom" {
		t.Errorf("Dir = %q", got)
	}
	t.Setenv("WARROOM_DB", "/x/y.db")
	if got := DefaultDBPath(); got != "/x/y.db" {
		t.Errorf("DefaultDBPath with WARROOM_DB = %q", got)
	}
	t.Setenv("WARROOM_DB", "")
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/amara")
	if got := DefaultDBPath(); got != "/home/amara/.local/share/warroom/warroom.db" {
		t.Errorf("DefaultDBPath fallback = %q", got)
	}
}
