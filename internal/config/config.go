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
	// ExportDir is where the preview offers to write files (absolute), or
	// "" for the current directory.
	ExportDir   string
	JargonWords []string
	JargonAllow []string
	Templates   map[string]string // status (or "eta") -> draft template
	// Location is the one time zone every time is shown and exported in:
	// the config's timezone (an IANA name), else the local zone ($TZ).
	Location *time.Location
	// StatusPage is the public status page: status_page_dir and the
	// [status_page] table (statuspage.go).
	StatusPage StatusPage

	// Dir is the config directory; File the config file (which may not exist).
	Dir  string
	File string
	// Source names where each key's value came from, for `warroom config`.
	Source map[string]string
	// Webhook holds the [[webhook]] tables that can be used, each in its
	// own format (Targets has every target).
	Webhook []Webhook
	// Alerts is the [alerts] table: the receiver's token and how alerts
	// declare and feed incidents (alerts.go).
	Alerts Alerts
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
	ExportDir        *string           `toml:"export_dir"`
	Jargon           *jargonFile       `toml:"jargon"`
	Templates        map[string]string `toml:"templates"`
	Timezone         *string           `toml:"timezone"`
	Alerts           *alertsFile       `toml:"alerts"`
	StatusPageDir    *string           `toml:"status_page_dir"`
	StatusPage       *statusPageFile   `toml:"status_page"`
}

type jargonFile struct {
	Words []string `toml:"words"`
	Allow []string `toml:"allow"`
}

// Keys lists the configuration keys in the order `warroom config` prints them.
var Keys = []string{"author", "update_every", "first_update_after", "retro_due_after", "gap_threshold", "long_incident_after", "long_update_every", "bell", "webhooks", "webhook", "retro_preset", "retro_sections", "export_template", "export_dir", "jargon.words", "jargon.allow", "templates", "timezone", "status_page_dir", "status_page.org", "status_page.logo", "status_page.show_names", "alerts.token", "alerts.token_file", "alerts.declare", "alerts.severity_label", "alerts.tag_labels", "alerts.severity", "alerts.allow_mitigated"}

// TemplateNames are the phases a [templates] entry may name, plus "eta"
// for the draft used while a fix is pending and an ETA is set.
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
		Alerts:            defaultAlerts(),
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
	text := string(data)
	// Nothing in the file refuses a command: in the middle of an incident
	// a typo must not cost `warroom log` or the cockpit. Each problem is a
	// warning naming the file and line, the value keeps its default, and
	// `warroom config` exits 1 (product.md §5).
	at := func(key ...string) string {
		if line := keyLine(text, key); line > 0 {
			return fmt.Sprintf("%s line %d", path, line)
		}
		return path
	}
	md, err := toml.Decode(text, &f)
	if err != nil {
		where := path
		var pe toml.ParseError
		if errors.As(err, &pe) && pe.Position.Line > 0 {
			where = fmt.Sprintf("%s line %d", path, pe.Position.Line)
		}
		c.warn("%s is not valid TOML (%s), so the whole file is ignored and the defaults apply; fix it or move it away", where, tomlMessage(err))
		return c, nil
	}
	undecoded := md.Undecoded()
	for _, k := range undecoded {
		if len(k) == 2 && k[0] == "templates" {
			continue // checked against the template names below
		}
		if len(k) > 1 && slices.ContainsFunc(undecoded, func(p toml.Key) bool { return p.String() == k[:len(k)-1].String() }) {
			continue // inside an unknown table, which is reported itself
		}
		if near := nearestKey(k.String()); near != "" {
			c.warn("%s: unknown key %s is ignored; did you mean %s?", at(k...), k.String(), near)
			continue
		}
		c.warn("%s: unknown key %s is ignored; check its spelling (the keys are %s)", at(k...), k.String(), strings.Join(Keys, ", "))
	}
	from := "file " + path
	set := func(key string) { c.Source[key] = from }
	if f.Author != nil {
		if strings.TrimSpace(*f.Author) == "" {
			c.warn("%s: author is empty, so %q is used; set a name or remove the key", at("author"), c.Author)
		} else {
			c.Author = strings.TrimSpace(*f.Author)
			set("author")
		}
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
			c.warn("%s: %s = %q is not a duration, so the default %s is used; use a value such as \"30m\"", at(d.key), d.key, *d.src, *d.dst)
			continue
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
			c.warn("%s: timezone = %q is not a time zone, so the local zone is used; use an IANA name such as \"Europe/Berlin\" or \"UTC\"", at("timezone"), *f.Timezone)
		} else {
			c.Location = loc
			set("timezone")
		}
	}
	c.readStatusPage(f.StatusPageDir, f.StatusPage, at, set)
	if f.Webhooks != nil || f.Webhook != nil {
		c.readWebhooks(f.Webhooks, f.Webhook, text)
	}
	if f.RetroPreset != nil {
		if _, ok := incident.RetroPresets[*f.RetroPreset]; !ok {
			var names []string
			for n := range incident.RetroPresets {
				names = append(names, n)
			}
			sort.Strings(names)
			c.warn("%s: retro_preset %q is not known, so %q is used; use one of %s", at("retro_preset"), *f.RetroPreset, c.RetroPreset, strings.Join(names, ", "))
		} else {
			c.RetroPreset = *f.RetroPreset
			set("retro_preset")
		}
	}
	if f.RetroSections != nil {
		if len(f.RetroSections) == 0 {
			c.warn("%s: retro_sections is empty, so the preset's sections are used; list at least one section or remove the key", at("retro_sections"))
		} else {
			c.RetroSections = f.RetroSections
			set("retro_sections")
		}
	}
	if f.ExportTemplate != nil {
		t := *f.ExportTemplate
		if !filepath.IsAbs(t) {
			t = filepath.Join(c.Dir, t)
		}
		c.ExportTemplate = t
		set("export_template")
	}
	if f.ExportDir != nil {
		d := expandHome(strings.TrimSpace(*f.ExportDir))
		switch {
		case d == "":
			c.warn("%s: export_dir is empty, so files are written to the current directory; name a directory or remove the key", at("export_dir"))
		default:
			if !filepath.IsAbs(d) {
				d = filepath.Join(c.Dir, d)
			}
			c.ExportDir = d
			set("export_dir")
		}
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
	if f.Alerts != nil {
		c.readAlerts(f.Alerts, at)
	}
	if f.Templates != nil {
		names := make([]string, 0, len(f.Templates))
		for k := range f.Templates {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if !slices.Contains(TemplateNames, k) {
				c.warn("%s: templates.%s is not known and is ignored; use %s", at("templates", k), k, strings.Join(TemplateNames, ", "))
				continue
			}
			c.Templates[k] = f.Templates[k]
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
	case "export_dir":
		if c.ExportDir == "" {
			return "(the current directory)"
		}
		return c.ExportDir
	case "jargon.words":
		return fmt.Sprintf("%q", c.JargonWords)
	case "jargon.allow":
		return fmt.Sprintf("%q", c.JargonAllow)
	case "timezone":
		return ZoneName(c.Location)
	case "status_page_dir", "status_page.org", "status_page.logo", "status_page.show_names":
		return c.statusPageValue(key)
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
	if strings.HasPrefix(key, "alerts.") {
		return c.alertValue(key)
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
