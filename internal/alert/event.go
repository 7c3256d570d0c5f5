// Package alert takes alert payloads in (product.md §9): it decodes
// Alertmanager and Grafana webhooks, PagerDuty Events API v2 and CDEvents
// incident events into one normalized Event, and maps an Event to what the
// store records (Plan): the incident it declares when no open incident has
// its dedup key, and the entries it appends, each once.
//
// It is pure: no I/O and no clock (the caller passes the time an event
// arrived, used only when a sender gives none). Every text that comes in is
// cleaned on the way in with the product's one sanitiser (incident.CleanLine),
// so escape sequences, bidi controls and invalid UTF-8 in a label never reach
// a terminal, an export or another laptop.
package alert

import (
	"fmt"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Format names a payload format.
type Format string

// The formats. Auto detects the format from the payload.
const (
	Auto         Format = "auto"
	Alertmanager Format = "alertmanager"
	Grafana      Format = "grafana"
	PagerDuty    Format = "pagerduty"
	CDEvents     Format = "cdevents"
)

// Formats lists the formats a person may name.
var Formats = []Format{Auto, Alertmanager, Grafana, PagerDuty, CDEvents}

// ParseFormat accepts a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(strings.TrimSpace(s), string(f)) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("format %q is not known; use one of %s", s, strings.Join(names, ", "))
}

// Status is where one alert stands.
type Status string

// The statuses.
const (
	Firing       Status = "firing"
	Reported     Status = "reported" // CDEvents incident.reported: firing, with a ticket
	Acknowledged Status = "acknowledged"
	Resolved     Status = "resolved"
)

// Fires reports whether an alert in this status can declare an incident.
func (s Status) Fires() bool { return s == Firing || s == Reported }

// Event is one payload, normalized: one dedup key and its alerts.
type Event struct {
	Source   Format // the format it came in: its "source" on the incident
	Receiver string // the Alertmanager receiver, or "" (author alert:<receiver or source>)
	Key      string // the dedup key: groupKey, dedup_key, subject id
	Name     string // the group's name: alertname, class, subject id
	// Status is the group's: Resolved when every alert of it has resolved.
	Status            Status
	ExternalURL       string
	CommonLabels      map[string]string
	CommonAnnotations map[string]string
	// GroupLabels are the labels every alert of the group shares by
	// definition (Alertmanager's group_by): the same in every payload.
	GroupLabels map[string]string
	Alerts      []Alert
}

// Alert is one alert of an event.
type Alert struct {
	Fingerprint string
	Status      Status
	Name        string
	Labels      map[string]string
	Annotations map[string]string
	Summary     string
	Description string
	// Severity is the sender's severity word when it has a field for one
	// (PagerDuty); labels are looked up by the configured label name.
	Severity string
	// At is when this status began: startsAt for a firing alert, endsAt
	// for a resolved one, the event's timestamp otherwise.
	At time.Time
	// Timeless is set when the sender gave no time of its own (At is then
	// the time the event arrived) or, for PagerDuty, whose senders repeat a
	// trigger with a fresh timestamp: the alert is then recorded once per
	// status, whatever time a repeat carries.
	Timeless bool
	Links    []Link
}

// Link is a named URL an alert carries (runbook, source, dashboard).
type Link struct {
	Text string
	URL  string
}

// Limits on text that comes in: generous for any real alert, small enough
// that a hostile payload cannot fill a timeline line with a wall of text.
const (
	maxValueRunes = 500  // one label or annotation value, a link
	maxKeyRunes   = 100  // one label name
	maxLabels     = 100  // labels kept per alert
	maxLineRunes  = 4000 // one entry written from an alert
	// MaxAlerts bounds the alerts of one payload.
	MaxAlerts = 1000
	// MaxAge is how far in the past an alert may be dated: more is a
	// clock or a sender gone wrong, and an incident declared years ago
	// would be a lie. Further ahead than incident.MaxOpSkew is refused too.
	MaxAge = 366 * 24 * time.Hour
)

// clean is a one-line text from outside, cleaned and cut to max runes.
func clean(s string, max int) string {
	s = strings.TrimSpace(incident.CleanLine(s))
	s = strings.Join(strings.Fields(s), " ")
	return cut(s, max)
}

// cut shortens s to max runes, marking the cut.
func cut(s string, max int) string {
	n := 0
	for i := range s {
		if n == max {
			return strings.TrimSpace(s[:i]) + "…"
		}
		n++
	}
	return s
}

// cleanMap cleans the keys and values of labels or annotations; empty
// keys and keys beyond maxLabels (in key order) are dropped.
func cleanMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, min(len(m), maxLabels))
	for _, k := range sortedKeys(m) {
		ck := clean(k, maxKeyRunes)
		if ck == "" || len(out) == maxLabels {
			continue
		}
		if _, dup := out[ck]; dup {
			continue
		}
		out[ck] = clean(m[k], maxValueRunes)
	}
	return out
}

// Check refuses an event whose times cannot be right: more than
// incident.MaxOpSkew ahead of now, or more than MaxAge before it.
func Check(ev Event, now time.Time) error {
	for _, a := range ev.Alerts {
		switch {
		case a.At.After(now.Add(incident.MaxOpSkew)):
			return fmt.Errorf("alert %s is dated %s, %s ahead of this machine's clock; check the clock of the machine that sent it (nothing was recorded)", a.Name, a.At.UTC().Format(time.RFC3339), incident.FormatDuration(a.At.Sub(now).Round(time.Minute)))
		case a.At.Before(now.Add(-MaxAge)):
			return fmt.Errorf("alert %s is dated %s, more than a year ago; check the clock of the machine that sent it (nothing was recorded)", a.Name, a.At.UTC().Format(time.RFC3339))
		}
	}
	return nil
}
