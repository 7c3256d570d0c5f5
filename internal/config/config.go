// Package config reads warroom's optional TOML configuration and knows the
// XDG paths of the config and data files.
//
// Every key is optional. Load remembers where each effective value came from
// (default, file or environment) so `warroom config` can explain itself, and
// reports keys it does not know instead of silently ignoring a typo.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
)

// Config is the effective configuration.
type Config struct {
	Author           string
	UpdateEvery      time.Duration
	FirstUpdateAfter time.Duration
	RetroDueAfter    time.Duration
	GapThreshold     time.Duration
	// LongIncidentAfter and LongUpdateEvery slow the update cadence of a
	// long incident.
	LongIncidentAfter, LongUpdateEvery time.Duration
	Bell                               bool
	Webhooks                           []string // the plain list: Slack targets
	RetroPreset                        string
	RetroSections                      []string
	ExportTemplate                     string // absolute path, or ""
	JargonWords                        []string
	JargonAllow                        []string
	Templates                          map[string]string // status (or "eta") -> draft template
	// Location is the one time zone every time is shown and exported in:
	// the config's timezone (an IANA name), else the local zone ($TZ).
	Location *time.Location

	// Dir is the config directory; File the config file (which may not exist).
	Dir  string
	File string
	// Source names where each key's value came from, for `warroom config`.
	Source map[string]string
	// Webhook holds the [[webhook]] tables that can be used, each in its
	// own format (Targets has every target).
	Webhook []Webhook
	// Warnings are the problems found in the file that do not stop
	// warroom (a webhook target that cannot be used is skipped, the
	// others still work): each is a sentence naming the file and line.
	// They are printed on start, and make `warroom config` exit 1.
	Warnings []string
}

// Webhook is one [[webhook]] table.
type Webhook struct {
	notify.Target
	// FormatFrom says where the format came from when the table did not
	// name it: "guessed from the host discord.com", or "default".
	FormatFrom string
	// Line is the line of the table's [[webhook]] header, 0 if unknown.
	Line int
}

// Targets returns every webhook target updates are posted to: the plain
// list as Slack targets, then the [[webhook]] tables.
func (c *Config) Targets() []notify.Target {
	out := notify.Slack(c.Webhooks...)
	for _, w := range c.Webhook {
		out = append(out, w.Target)
	}
	return out
}

// Policy returns the process timings as the domain wants them.
func (c *Config) Policy() incident.Policy {
	return incident.Policy{
		UpdateEvery:      c.UpdateEvery,
		FirstUpdateAfter: c.FirstUpdateAfter,
		RetroDueAfter:    c.RetroDueAfter,
		GapThreshold:     c.GapThreshold,
		LongAfter:        c.LongIncidentAfter,
		LongEvery:        c.LongUpdateEvery,
	}
}

// Sections returns the retro section titles: retro_sections if set, else the
// preset's.
func (c *Config) Sections() []string {
	if len(c.RetroSections) > 0 {
		return c.RetroSections
	}
	if s, ok := incident.RetroPresets[c.RetroPreset]; ok {
		return s
	}
	return incident.DefaultSections
}

// file mirrors config.toml. Durations are strings so errors can name them.
type file struct {
	Author           *string           `toml:"author"`
	UpdateEvery      *string           `toml:"update_every"`
	FirstUpdateAfter *string           `toml:"first_update_after"`
	RetroDueAfter    *string           `toml:"retro_due_after"`
	GapThreshold     *string           `toml:"gap_threshold"`
	LongAfter        *string           `toml:"long_incident_after"`
	LongEvery        *string           `toml:"long_update_every"`
	Bell             *bool             `toml:"bell"`
	Webhooks         []string          `toml:"webhooks"`
	Webhook          []map[string]any  `toml:"webhook"`
	RetroPreset      *string           `toml:"retro_preset"`
	RetroSections    []string          `toml:"retro_sections"`
	ExportTemplate   *string           `toml:"export_template"`
	Jargon           *jargonFile       `toml:"jargon"`
	Templates        map[string]string `toml:"templates"`
	Timezone         *string           `toml:"timezone"`
}

type jargonFile struct {
	Words []string `toml:"words"`
	Allow []string `toml:"allow"`
}

// Keys lists the configuration keys in the order `warroom config` prints them.
var Keys = []string{"author", "update_every", "first_update_after", "retro_due_after", "gap_threshold", "long_incident_after", "long_update_every", "bell", "webhooks", "webhook", "retro_preset", "retro_sections", "export_template", "jargon.words", "jargon.allow", "templates", "timezone"}

// TemplateNames are the statuses a [templates] entry may name, plus "eta"
// for the draft used once an ETA is set.
var TemplateNames = []string{"investigating", "identified", "monitoring", "resolved", "eta"}

// Dir returns the config directory: $XDG_CONFIG_HOME/warroom, falling back
// to ~/.config/warroom.
func Dir() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "warroom")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".config", "warroom")
	}
	return filepath.Join(home, ".config", "warroom")
}

// DefaultDBPath returns $WARROOM_DB, else $XDG_DATA_HOME/warroom/warroom.db,
// falling back to ~/.local/share/warroom/warroom.db.
func DefaultDBPath() string {
	if p := os.Getenv("WARROOM_DB"); p != "" {
		return p
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "warroom", "warroom.db")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".local", "share", "warroom", "warroom.db")
	}
	return filepath.Join(home, ".local", "share", "warroom", "warroom.db")
}

// Default returns the built-in configuration.
func Default() *Config {
	p := incident.DefaultPolicy()
	c := &Config{
		Author:            defaultAuthor(),
		UpdateEvery:       p.UpdateEvery,
		FirstUpdateAfter:  p.FirstUpdateAfter,
		RetroDueAfter:     p.RetroDueAfter,
		GapThreshold:      p.GapThreshold,
		LongIncidentAfter: p.LongAfter,
		LongUpdateEvery:   p.LongEvery,
		RetroPreset:       "handbook",
		Templates:         map[string]string{},
		Dir:               Dir(),
		Source:            map[string]string{},
		Location:          time.Local,
	}
	c.File = filepath.Join(c.Dir, "config.toml")
	for _, k := range Keys {
		c.Source[k] = "default"
	}
	if os.Getenv("WARROOM_AUTHOR") != "" || os.Getenv("USER") != "" {
		c.Source["author"] = "environment"
	}
	return c
}

func defaultAuthor() string {
	if a := os.Getenv("WARROOM_AUTHOR"); a != "" {
		return a
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// Load reads the config file from the default directory.
func Load() (*Config, error) { return LoadFile(filepath.Join(Dir(), "config.toml")) }

// LoadFile reads the config file at path over the defaults. A missing file is
// not an error.
func LoadFile(path string) (*Config, error) {
	c := Default()
	c.File = path
	c.Dir = filepath.Dir(path)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the config file %s: %v", path, err)
	}
	var f file
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, fmt.Errorf("the config file %s is not valid TOML (%v); fix it or move it away", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		var names []string
		for _, k := range und {
			if len(k) == 2 && k[0] == "templates" {
				continue
			}
			names = append(names, k.String())
		}
		if len(names) > 0 {
			return nil, fmt.Errorf("the config file %s has unknown keys %s; known keys are %s", path, strings.Join(names, ", "), strings.Join(Keys, ", "))
		}
	}
	from := "file " + path
	set := func(key string) { c.Source[key] = from }
	if f.Author != nil {
		if strings.TrimSpace(*f.Author) == "" {
			return nil, fmt.Errorf("author in %s is empty; set a name or remove the key", path)
		}
		c.Author = strings.TrimSpace(*f.Author)
		set("author")
	}
	durations := []struct {
		key string
		src *string
		dst *time.Duration
	}{
		{"update_every", f.UpdateEvery, &c.UpdateEvery},
		{"first_update_after", f.FirstUpdateAfter, &c.FirstUpdateAfter},
		{"retro_due_after", f.RetroDueAfter, &c.RetroDueAfter},
		{"gap_threshold", f.GapThreshold, &c.GapThreshold},
		{"long_incident_after", f.LongAfter, &c.LongIncidentAfter},
		{"long_update_every", f.LongEvery, &c.LongUpdateEvery},
	}
	for _, d := range durations {
		if d.src == nil {
			continue
		}
		v, err := time.ParseDuration(*d.src)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("%s = %q in %s is not a duration; use a value such as \"30m\"", d.key, *d.src, path)
		}
		*d.dst = v
		set(d.key)
	}
	if f.Bell != nil {
		c.Bell = *f.Bell
		set("bell")
	}
	if f.Timezone != nil {
		loc, err := time.LoadLocation(strings.TrimSpace(*f.Timezone))
		if err != nil || strings.TrimSpace(*f.Timezone) == "" {
			return nil, fmt.Errorf("timezone = %q in %s is not a time zone; use an IANA name such as \"Europe/Berlin\" or \"UTC\"", *f.Timezone, path)
		}
		c.Location = loc
		set("timezone")
	}
	if f.Webhooks != nil || f.Webhook != nil {
		c.readWebhooks(f.Webhooks, f.Webhook, string(data))
	}
	if f.RetroPreset != nil {
		if _, ok := incident.RetroPresets[*f.RetroPreset]; !ok {
			var names []string
			for n := range incident.RetroPresets {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("retro_preset %q in %s is not known; use one of %s", *f.RetroPreset, path, strings.Join(names, ", "))
		}
		c.RetroPreset = *f.RetroPreset
		set("retro_preset")
	}
	if f.RetroSections != nil {
		if len(f.RetroSections) == 0 {
			return nil, fmt.Errorf("retro_sections in %s is empty; list at least one section or remove the key", path)
		}
		c.RetroSections = f.RetroSections
		set("retro_sections")
	}
	if f.ExportTemplate != nil {
		t := *f.ExportTemplate
		if !filepath.IsAbs(t) {
			t = filepath.Join(c.Dir, t)
		}
		c.ExportTemplate = t
		set("export_template")
	}
	if f.Jargon != nil {
		if f.Jargon.Words != nil {
			c.JargonWords = f.Jargon.Words
			set("jargon.words")
		}
		if f.Jargon.Allow != nil {
			c.JargonAllow = f.Jargon.Allow
			set("jargon.allow")
		}
	}
	if f.Templates != nil {
		for k, v := range f.Templates {
			if !slices.Contains(TemplateNames, k) {
				return nil, fmt.Errorf("templates.%s in %s is not known; use %s", k, path, strings.Join(TemplateNames, ", "))
			}
			c.Templates[k] = v
		}
		set("templates")
	}
	return c, nil
}

// Value renders the effective value of a key for `warroom config`.
func (c *Config) Value(key string) string {
	switch key {
	case "author":
		return c.Author
	case "update_every":
		return c.UpdateEvery.String()
	case "first_update_after":
		return c.FirstUpdateAfter.String()
	case "retro_due_after":
		return c.RetroDueAfter.String()
	case "long_incident_after":
		return c.LongIncidentAfter.String()
	case "long_update_every":
		return c.LongUpdateEvery.String()
	case "gap_threshold":
		return c.GapThreshold.String()
	case "bell":
		return fmt.Sprint(c.Bell)
	case "webhooks":
		return fmt.Sprintf("%q", c.Webhooks)
	case "webhook":
		return c.webhookValue()
	case "retro_preset":
		return c.RetroPreset
	case "retro_sections":
		return fmt.Sprintf("%q", c.Sections())
	case "export_template":
		if c.ExportTemplate == "" {
			return "(built-in)"
		}
		return c.ExportTemplate
	case "jargon.words":
		return fmt.Sprintf("%q", c.JargonWords)
	case "jargon.allow":
		return fmt.Sprintf("%q", c.JargonAllow)
	case "timezone":
		return ZoneName(c.Location)
	case "templates":
		var names []string
		for k := range c.Templates {
			names = append(names, k)
		}
		sort.Strings(names)
		if len(names) == 0 {
			return "(built-in)"
		}
		return "custom for " + strings.Join(names, ", ")
	}
	return ""
}

// ZoneName names a time zone for people: its IANA name, or for the local
// zone the abbreviation in force now (with $TZ when set), since "Local"
// says nothing to someone reading an export elsewhere.
func ZoneName(loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	if loc != time.Local && loc.String() != "Local" {
		return loc.String()
	}
	if tz := os.Getenv("TZ"); tz != "" {
		return tz
	}
	name, off := time.Now().In(loc).Zone()
	if name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
		return fmt.Sprintf("UTC%+d", off/3600)
	}
	return name
}
