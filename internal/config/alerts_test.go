package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/incident"
)

func TestAlertsConfig(t *testing.T) {
	c, err := LoadFile(writeConfig(t, `
author = "li"
retro_preset = "google-sre"

[alerts]
token_file = "alert.token"
declare = false
severity_label = "priority"
tag_labels = ["service", "service", "team"]
allow_mitigated = true

[alerts.severity]
P1 = 1
p4 = 4
p9 = 9
`))
	if err != nil {
		t.Fatal(err)
	}
	r := c.AlertRules()
	if r.Declare || r.SeverityLabel != "priority" || strings.Join(r.TagLabels, ",") != "service,team" || !r.AllowMitigated || len(r.Sections) != 7 {
		t.Errorf("rules %+v", r)
	}
	if len(r.Severities) != 2 || r.Severities["p1"] != 1 || r.Severities["p4"] != incident.Severity(4) {
		t.Errorf("severities %v", r.Severities)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "alerts.severity.p9 = 9 is not a severity") || !strings.Contains(c.Warnings[0], "line ") {
		t.Errorf("warnings %q", c.Warnings)
	}
	// The token file is next to the config and read when asked.
	if _, err := c.Alerts.Token(); err == nil || !strings.Contains(err.Error(), "cannot read the alert token file") {
		t.Errorf("missing token file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "alert.token"), []byte("  t0ken  \nrest\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if tok, err := c.Alerts.Token(); err != nil || tok != "t0ken" {
		t.Errorf("token %q, %v", tok, err)
	}
	if v := c.Value("alerts.token"); v != "(none)" {
		t.Errorf("token shown as %q", v)
	}

	// Defaults: declaring on, §9's mapping, no token.
	d, err := LoadFile(filepath.Join(t.TempDir(), "none.toml"))
	if err != nil {
		t.Fatal(err)
	}
	r = d.AlertRules()
	if !r.Declare || r.SeverityLabel != "severity" || r.Severities["critical"] != 1 || r.Severities["info"] != 4 || strings.Join(r.TagLabels, ",") != "service,team" || r.AllowMitigated {
		t.Errorf("default rules %+v", r)
	}
	if _, err := d.Alerts.Token(); !errors.Is(err, ErrNoToken) {
		t.Errorf("no token: %v", err)
	}
	// A token in the file is never printed.
	s, err := LoadFile(writeConfig(t, "[alerts]\ntoken = \"s3cret\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tok, _ := s.Alerts.Token(); tok != "s3cret" || s.Value("alerts.token") != "(set)" {
		t.Errorf("token %q shown as %q", tok, s.Value("alerts.token"))
	}
	if bad, _ := LoadFile(writeConfig(t, "[alerts]\ndeclar = true\n")); len(bad.Warnings) != 1 || !strings.Contains(bad.Warnings[0], "did you mean alerts.declare") {
		t.Errorf("typo: %q", bad.Warnings)
	}
}
