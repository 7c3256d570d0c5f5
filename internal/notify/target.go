package notify

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Format is the shape of the body a webhook target takes.
type Format string

// The formats a [[webhook]] table may name.
const (
	FormatSlack      Format = "slack"
	FormatMattermost Format = "mattermost"
	FormatDiscord    Format = "discord"
	FormatGoogleChat Format = "googlechat"
	FormatTeams      Format = "teams"
	FormatJSON       Format = "json"
)

// Formats lists every format, the default first.
var Formats = []Format{FormatSlack, FormatMattermost, FormatDiscord, FormatGoogleChat, FormatTeams, FormatJSON}

// ParseFormat reads a format name as written in the config ("Discord",
// " teams "); ok is false for a name that is not known.
func ParseFormat(s string) (Format, bool) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Formats {
		if f == k {
			return f, true
		}
	}
	return "", false
}

// FormatNames is the list of formats for a sentence: "slack, mattermost, …".
func FormatNames() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// Target is one place updates are posted to.
type Target struct {
	// Name is how the target is shown; empty means the redacted URL.
	Name   string
	URL    string
	Format Format
	// Secret signs json bodies (X-Warroom-Signature); other formats
	// ignore it.
	Secret string
}

// Slack returns a slack target for each URL: the plain `webhooks` list.
func Slack(urls ...string) []Target {
	out := make([]Target, len(urls))
	for i, u := range urls {
		out[i] = Target{URL: u, Format: FormatSlack}
	}
	return out
}

// Label is the target as recorded on a delivery and shown to people: its
// name, else its redacted URL. It never carries the URL's secret part.
func (t Target) Label() string {
	if t.Name != "" {
		return t.Name
	}
	return Redact(t.URL)
}

// Dedups reports that the target drops a repeat of an update by its
// X-Warroom-Delivery id (the json format carries the id in the header and
// the body, for receivers that keep the ids they saw), so an update whose
// delivery is unknown may be sent to it again without a person asking.
// Chat tools show every post.
func (t Target) Dedups() bool { return t.format() == FormatJSON }

func (t Target) format() Format {
	if t.Format == "" {
		return FormatSlack
	}
	return t.Format
}

// GuessFormat names the format a well-known webhook host takes, and the
// host it judged by; ok is false for a host it does not know (which then
// gets the default, slack). Mattermost runs on the customer's own hosts,
// so it is never guessed; it takes Slack's body anyway.
func GuessFormat(rawURL string) (f Format, host string, ok bool) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "", "", false
	}
	host = strings.ToLower(u.Hostname())
	is := func(domain string) bool { return host == domain || strings.HasSuffix(host, "."+domain) }
	switch {
	case is("hooks.slack.com"):
		return FormatSlack, host, true
	case is("discord.com") || is("discordapp.com"):
		return FormatDiscord, host, true
	case host == "chat.googleapis.com":
		return FormatGoogleChat, host, true
	// Power Automate Workflows (the replacement of the retired Office 365
	// connectors) post from logic.azure.com and powerplatform.com.
	case is("logic.azure.com") || is("powerplatform.com") || is("webhook.office.com"):
		return FormatTeams, host, true
	}
	return "", host, false
}

// Redact shortens a webhook URL to something safe to store and show: the
// scheme and host, and the last four characters of the rest, enough to tell
// two hooks on one host apart.
func Redact(hook string) string {
	u, err := url.Parse(hook)
	if err != nil || u.Host == "" {
		return "webhook"
	}
	rest := strings.TrimPrefix(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		rest += "?" + u.RawQuery
	}
	base := u.Scheme + "://" + u.Host
	switch {
	case rest == "":
		return base
	case len(rest) <= 4:
		return base + "/" + rest
	}
	return base + "/…" + rest[len(rest)-4:]
}

// Check posts the clearly labelled test message (TestMessage) to every
// target at once and returns one delivery per target, in order.
func (n *Notifier) Check(ctx context.Context) []incident.Delivery {
	m := TestMessage(n.opts.Now())
	out := make([]incident.Delivery, len(n.targets))
	var wg sync.WaitGroup
	for i, t := range n.targets {
		wg.Go(func() { out[i] = n.Send(ctx, t, m) })
	}
	wg.Wait()
	return out
}
