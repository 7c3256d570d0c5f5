package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
)

// webhookKeys are the keys a [[webhook]] table may have.
var webhookKeys = []string{"url", "format", "secret", "name"}

var (
	webhookHeader = regexp.MustCompile(`^\s*\[\[\s*webhook\s*\]\]`)
	webhooksKey   = regexp.MustCompile(`^\s*webhooks\s*=`)
)

// readWebhooks takes the plain `webhooks` list and the [[webhook]] tables.
// A target that cannot be used is a warning and is skipped, so one typo
// never costs the other targets their updates in the middle of an
// incident.
func (c *Config) readWebhooks(list []string, tables []map[string]any, text string) {
	lines := strings.Split(text, "\n")
	listLine := 0
	var headers []int
	for i, l := range lines {
		switch {
		case webhookHeader.MatchString(l):
			headers = append(headers, i+1)
		case listLine == 0 && webhooksKey.MatchString(l):
			listLine = i + 1
		}
	}
	at := func(line int) string {
		if line == 0 {
			return c.File
		}
		return fmt.Sprintf("%s line %d", c.File, line)
	}
	seenURL := map[string]string{}   // URL -> label of the target that has it
	seenLabel := map[string]string{} // label -> where
	taken := func(t notify.Target, where string) string {
		if other, ok := seenURL[t.URL]; ok {
			return fmt.Sprintf("posts to the same URL as %s, so it is skipped (each update would arrive twice)", other)
		}
		if other, ok := seenLabel[t.Label()]; ok {
			return fmt.Sprintf("has the name of another target (%s), so it is skipped; give each a different name", other)
		}
		seenURL[t.URL] = t.Label()
		seenLabel[t.Label()] = where
		return ""
	}

	if list != nil {
		c.Source["webhooks"] = "file " + c.File
		var kept []string
		for _, u := range list {
			what := fmt.Sprintf("%s: webhooks entry %s", at(listLine), notify.Redact(u))
			if why := badURL(u); why != "" {
				c.warn("%s %s, so it is skipped", what, why)
				continue
			}
			t := notify.Target{URL: u, Format: notify.FormatSlack}
			if why := taken(t, at(listLine)); why != "" {
				c.warn("%s %s", what, why)
				continue
			}
			if f, host, ok := notify.GuessFormat(u); ok && f != notify.FormatSlack {
				c.warn("%s is a %s webhook (host %s) but the webhooks list posts Slack's format, which %s does not take; move it to a [[webhook]] table with format = %q", what, f, host, f, f)
			}
			kept = append(kept, u)
		}
		c.Webhooks = kept
	}

	if tables != nil {
		c.Source["webhook"] = "file " + c.File
	}
	for i, tab := range tables {
		line := 0
		if i < len(headers) {
			line = headers[i]
		}
		w, ok := c.readWebhook(tab, at(line), i+1)
		if !ok {
			continue
		}
		w.Line = line
		if why := taken(w.Target, at(line)); why != "" {
			c.warn("%s: [[webhook]] %s %s", at(line), w.Label(), why)
			continue
		}
		c.Webhook = append(c.Webhook, w)
	}
}

// readWebhook reads one [[webhook]] table (the n-th); ok is false when the
// target cannot be used.
func (c *Config) readWebhook(tab map[string]any, where string, n int) (w Webhook, ok bool) {
	str := func(key string) (string, bool) {
		v, present := tab[key]
		if !present {
			return "", false
		}
		s, isStr := v.(string)
		if !isStr {
			c.warn("%s: [[webhook]] number %d has %s = %v, which is not a string; write it in quotes", where, n, key, v)
		}
		return s, true
	}
	rawURL, _ := str("url")
	format, hasFormat := str("format")
	secret, hasSecret := str("secret")
	name, _ := str("name")
	w.Name = strings.TrimSpace(incident.CleanLine(name))
	w.URL = strings.TrimSpace(rawURL)
	w.Secret = secret
	// Name the target by what the person wrote: its name, else its
	// (redacted) URL, else its place in the file.
	label := fmt.Sprintf("number %d", n)
	switch {
	case w.Name != "":
		label = fmt.Sprintf("%q", w.Name)
	case w.URL != "":
		label = notify.Redact(w.URL)
	}
	what := where + ": [[webhook]] " + label

	var unknown []string
	for k := range tab {
		if !slices.Contains(webhookKeys, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		c.warn("%s has unknown keys %s (ignored); a [[webhook]] table takes %s", what, strings.Join(unknown, ", "), strings.Join(webhookKeys, ", "))
	}
	if w.URL == "" {
		c.warn("%s has no url, so it is skipped", what)
		return w, false
	}
	if why := badURL(w.URL); why != "" {
		c.warn("%s %s, so it is skipped", what, why)
		return w, false
	}
	switch {
	case hasFormat:
		f, known := notify.ParseFormat(format)
		if !known {
			c.warn("%s has format %q, which is not known, so it is skipped; use one of %s", what, format, notify.FormatNames())
			return w, false
		}
		w.Format = f
	default:
		if f, host, guessed := notify.GuessFormat(w.URL); guessed {
			w.Format, w.FormatFrom = f, "guessed from the host "+host
		} else {
			w.Format, w.FormatFrom = notify.FormatSlack, "default"
		}
	}
	switch {
	case w.Format == notify.FormatJSON && hasSecret && strings.TrimSpace(secret) == "":
		c.warn("%s has an empty secret, so its updates are sent unsigned; set secret to a long random string, or remove the key", what)
		w.Secret = ""
	case w.Format != notify.FormatJSON && hasSecret:
		c.warn("%s has a secret, but only json targets sign their updates; this %s target is sent unsigned", what, w.Format)
		w.Secret = ""
	}
	return w, true
}

// badURL says why u cannot be posted to, or "".
func badURL(u string) string {
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return "is not a URL"
	case p.Scheme != "http" && p.Scheme != "https":
		return "is not an http(s) URL"
	case p.Host == "":
		return "has no host"
	}
	return ""
}

func (c *Config) warn(format string, args ...any) {
	c.Warnings = append(c.Warnings, fmt.Sprintf(format, args...))
}

// webhookValue renders the [[webhook]] targets for `warroom config`: each
// with its format and where that came from, never its secret or the secret
// part of its URL.
func (c *Config) webhookValue() string {
	if len(c.Webhook) == 0 {
		return "(none)"
	}
	parts := make([]string, len(c.Webhook))
	for i, w := range c.Webhook {
		s := string(w.Format)
		if w.FormatFrom != "" {
			s += ", " + w.FormatFrom
		}
		if w.Secret != "" {
			s += ", signed"
		}
		who := notify.Redact(w.URL)
		if w.Name != "" {
			who = w.Name + " " + who
		}
		parts[i] = who + " (" + s + ")"
	}
	return strings.Join(parts, "; ")
}
