package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/warroom-cli/warroom/internal/alert"
	"github.com/warroom-cli/warroom/internal/incident"
)

// Alerts is the [alerts] table (product.md §9).
type Alerts struct {
	// Token is the receiver's bearer token, from token or token_file
	// (read when the receiver starts, see Token).
	token     string
	TokenFile string
	Rules     alert.Rules
}

// alertsFile mirrors [alerts].
type alertsFile struct {
	Token          *string        `toml:"token"`
	TokenFile      *string        `toml:"token_file"`
	Declare        *bool          `toml:"declare"`
	SeverityLabel  *string        `toml:"severity_label"`
	TagLabels      []string       `toml:"tag_labels"`
	Severity       map[string]any `toml:"severity"`
	AllowMitigated *bool          `toml:"allow_mitigated"`
}

func defaultAlerts() Alerts { return Alerts{Rules: alert.DefaultRules()} }

// ErrNoToken is what the receiver says when no token is configured.
var ErrNoToken = errors.New("the alert receiver needs a token: set [alerts] token or token_file in the config, then give the same token to Alertmanager (http_config.authorization) or your sender")

// Token is the receiver's bearer token: token, else the first line of
// token_file. A receiver without one does not start.
func (a Alerts) Token() (string, error) {
	if a.token != "" {
		return a.token, nil
	}
	if a.TokenFile == "" {
		return "", ErrNoToken
	}
	data, err := os.ReadFile(a.TokenFile)
	if err != nil {
		return "", fmt.Errorf("cannot read the alert token file %s (%v); check [alerts] token_file", a.TokenFile, errors.Unwrap(err))
	}
	line, _, _ := strings.Cut(string(data), "\n")
	if t := strings.TrimSpace(line); t != "" {
		return t, nil
	}
	return "", fmt.Errorf("the alert token file %s is empty; put the token on its first line", a.TokenFile)
}

// AlertRules are the rules alerts are mapped by, with the retro sections
// a declared incident starts with.
func (c *Config) AlertRules() alert.Rules {
	r := c.Alerts.Rules
	r.Sections = c.Sections()
	return r
}

// readAlerts takes the [alerts] table; a bad value is a warning and keeps
// its default.
func (c *Config) readAlerts(f *alertsFile, at func(key ...string) string) {
	from := "file " + c.File
	set := func(key string) { c.Source[key] = from }
	a := &c.Alerts
	if f.Token != nil {
		if t := strings.TrimSpace(*f.Token); t == "" {
			c.warn("%s: alerts.token is empty, so the receiver has no token; set one or remove the key", at("alerts", "token"))
		} else {
			a.token = t
			set("alerts.token")
		}
	}
	if f.TokenFile != nil {
		p := expandHome(strings.TrimSpace(*f.TokenFile))
		if p == "" {
			c.warn("%s: alerts.token_file is empty; name the file holding the token or remove the key", at("alerts", "token_file"))
		} else {
			if !filepath.IsAbs(p) {
				p = filepath.Join(c.Dir, p)
			}
			a.TokenFile = p
			set("alerts.token_file")
		}
	}
	if f.Declare != nil {
		a.Rules.Declare = *f.Declare
		set("alerts.declare")
	}
	if f.SeverityLabel != nil {
		if l := strings.TrimSpace(*f.SeverityLabel); l == "" {
			c.warn("%s: alerts.severity_label is empty, so %q is used; name a label or remove the key", at("alerts", "severity_label"), a.Rules.SeverityLabel)
		} else {
			a.Rules.SeverityLabel = l
			set("alerts.severity_label")
		}
	}
	if f.TagLabels != nil {
		var ls []string
		for _, l := range f.TagLabels {
			if l = strings.TrimSpace(l); l != "" && !slices.Contains(ls, l) {
				ls = append(ls, l)
			}
		}
		a.Rules.TagLabels = ls
		set("alerts.tag_labels")
	}
	if f.Severity != nil {
		m := map[string]incident.Severity{}
		for _, k := range sortedKeys(f.Severity) {
			n, ok := f.Severity[k].(int64)
			if !ok || !incident.Severity(n).Valid() {
				c.warn("%s: alerts.severity.%s = %v is not a severity, so it is ignored; use a number from 1 (worst) to 4", at("alerts", "severity", k), k, f.Severity[k])
				continue
			}
			m[strings.ToLower(strings.TrimSpace(k))] = incident.Severity(n)
		}
		a.Rules.Severities = m
		set("alerts.severity")
	}
	if f.AllowMitigated != nil {
		a.Rules.AllowMitigated = *f.AllowMitigated
		set("alerts.allow_mitigated")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// alertValue renders an [alerts] key for `warroom config`; never the token.
func (c *Config) alertValue(key string) string {
	a := c.Alerts
	switch key {
	case "alerts.token":
		if a.token == "" {
			return "(none)"
		}
		return "(set)"
	case "alerts.token_file":
		if a.TokenFile == "" {
			return "(none)"
		}
		return a.TokenFile
	case "alerts.declare":
		return fmt.Sprint(a.Rules.Declare)
	case "alerts.severity_label":
		return a.Rules.SeverityLabel
	case "alerts.tag_labels":
		return fmt.Sprintf("%q", a.Rules.TagLabels)
	case "alerts.severity":
		var parts []string
		for _, k := range sortedKeys(a.Rules.Severities) {
			parts = append(parts, fmt.Sprintf("%s=%d", k, a.Rules.Severities[k]))
		}
		return strings.Join(parts, " ")
	case "alerts.allow_mitigated":
		return fmt.Sprint(a.Rules.AllowMitigated)
	}
	return ""
}
