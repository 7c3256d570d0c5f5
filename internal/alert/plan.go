package alert

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Rules are the [alerts] settings that shape what an alert records.
type Rules struct {
	// Declare is false when alerts wait as pending alerts instead of
	// declaring incidents (the store reads it; Plan always plans one).
	Declare bool
	// SeverityLabel is the label whose value gives the severity.
	SeverityLabel string
	// Severities maps a severity word (lower case) to a severity.
	Severities map[string]incident.Severity
	// TagLabels are the labels whose values become tags.
	TagLabels []string
	// AllowMitigated lets the end of every alert of a group set the
	// mitigated milestone (never resolved: a person resolves).
	AllowMitigated bool
	// Sections are the retro sections a declared incident starts with.
	Sections []string
}

// DefaultSeverities is product.md §9's mapping.
var DefaultSeverities = map[string]incident.Severity{"critical": 1, "error": 2, "warning": 3, "info": 4}

// DefaultSeverity is what an alert with no known severity word declares:
// the severity the fold starts from.
const DefaultSeverity incident.Severity = 3

// DefaultRules are the rules with nothing configured.
func DefaultRules() Rules {
	return Rules{Declare: true, SeverityLabel: "severity", Severities: DefaultSeverities, TagLabels: []string{"service", "team"}, Sections: incident.DefaultSections}
}

// Key ranks (see incident.AlertEntryOp): entries at one time keep this order.
const (
	rankLabels   = 1
	rankLink     = 2
	rankFiring   = 3
	rankAck      = 4
	rankResolved = 5
	rankAll      = 6
	rankMitigate = 7
)

// Author is who an event's entries are by: alert:<receiver or source>.
func (ev Event) Author() string {
	who := ev.Receiver
	if who == "" {
		who = string(ev.Source)
	}
	return incident.AlertAuthorPrefix + cut(strings.ReplaceAll(who, " ", "-"), incident.MaxNameRunes-len(incident.AlertAuthorPrefix)-1)
}

// Origin is where an incident the event declares came from.
func (ev Event) Origin() incident.AlertOrigin {
	return incident.AlertOrigin{Source: string(ev.Source), Name: ev.Name, Key: ev.Key, Receiver: ev.Receiver}
}

// Severity maps an alert's severity word through the rules: the
// configured label, else the sender's severity field; a word the mapping
// lacks may still be a severity itself ("1", "sev2"). ok is false when
// nothing gave one.
func (r Rules) Severity(ev Event, a Alert) (incident.Severity, bool) {
	label := r.SeverityLabel
	if label == "" {
		label = "severity"
	}
	for _, w := range []string{a.Labels[label], ev.CommonLabels[label], a.Severity} {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		sevs := r.Severities
		if sevs == nil {
			sevs = DefaultSeverities
		}
		if s, ok := sevs[w]; ok && s.Valid() {
			return s, true
		}
		if s, err := incident.ParseSeverity(w); err == nil {
			return s, true
		}
	}
	return 0, false
}

// tagOf makes a label value a tag: one word, within the tag limit.
func tagOf(v string) string {
	v = strings.Join(strings.Fields(strings.ToLower(v)), "-")
	v = strings.Trim(v, "#")
	return cut(v, incident.MaxTagRunes-1)
}

// Plan maps an event to what the store records, the same on every machine
// for the same event and rules.
//
// An alert's identity is (source, dedup key, fingerprint, status, time);
// each entry's Key is derived from it, and its uid from the key and the
// entry's content, so the same alert received twice is one entry, and two
// laptops that received it make the same operation.
func Plan(ev Event, r Rules) incident.AlertBatch {
	author := ev.Author()
	b := incident.AlertBatch{Origin: ev.Origin(), Resolved: ev.Status == Resolved}
	var firing []Alert
	for _, a := range ev.Alerts {
		if a.Status.Fires() {
			firing = append(firing, a)
			b.Firing = append(b.Firing, a.Name)
		}
	}
	entry := func(rank int, at time.Time, kind incident.Kind, text string, identity ...any) incident.Entry {
		e := incident.Entry{
			At: at.UTC(), RecordedAt: at.UTC(), Author: author, Kind: kind,
			Text: cut(text, maxLineRunes),
			Key:  fmt.Sprintf("%s%d:%s", incident.AlertAuthorPrefix, rank, incident.AlertUID(append([]any{ev.Source, ev.Key}, identity...)...)[1:]),
		}
		return withUID(e)
	}
	stamp := func(a Alert) any {
		if a.Timeless {
			return "-"
		}
		return a.At.UTC().Format(time.RFC3339Nano)
	}

	if len(firing) > 0 {
		// The earliest firing alert declares (ties by fingerprint), so
		// two receivers of one group name the same incident.
		first := slices.MinFunc(firing, func(a, b Alert) int {
			if c := a.At.Compare(b.At); c != 0 {
				return c
			}
			return strings.Compare(a.Fingerprint, b.Fingerprint)
		})
		// Severity and tags come from the declaring alert alone, so every
		// receiver of the group declares the incident the same, whichever
		// of its payloads it saw first; a worse alert joining later is an
		// entry of its own.
		sev, known := r.Severity(ev, first)
		if !known {
			sev = DefaultSeverity
		}
		var tags []string
		for _, l := range r.TagLabels {
			if t := tagOf(first.Labels[l]); t != "" && !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		title := cut(firstOf(first.Summary, ev.CommonAnnotations["summary"], first.Name, ev.Name, ev.Key), incident.MaxTitleRunes-1)
		uid := incident.AlertUID("incident", ev.Source, ev.Key, first.Fingerprint, first.At.UTC().Format(time.RFC3339Nano))
		origin := b.Origin
		inc := &incident.Incident{Title: title, Severity: sev, Tags: tags, Created: first.At.UTC(), Alert: &origin}
		decl := incident.DeclaredEntry(inc, author, first.At.UTC())
		decl.Text += " — from alert " + firstOf(ev.Name, first.Name) + " · " + string(ev.Source)
		decl.Key = fmt.Sprintf("%s0:%s", incident.AlertAuthorPrefix, uid[1:])
		decl = withUID(decl)
		d := &incident.AlertDeclare{UID: uid, Title: title, Severity: sev, Tags: tags, Created: first.At.UTC(), Sections: r.Sections, Author: author, Opening: []incident.Entry{decl}}
		if len(first.Labels) > 0 {
			d.Opening = append(d.Opening, entry(rankLabels, first.At, incident.KindNote, "Labels: "+joinLabels(first.Labels, nil), "labels", uid))
		}
		if ev.ExternalURL != "" {
			d.Opening = append(d.Opening, entry(rankLink, first.At, incident.KindNote, string(ev.Source)+": "+ev.ExternalURL, "link", ev.ExternalURL))
		}
		b.Declare = d
	}

	// Links first (each URL once per incident), then each alert's news.
	for _, a := range ev.Alerts {
		for _, l := range a.Links {
			b.Entries = append(b.Entries, entry(rankLink, a.At, incident.KindNote, firstOf(l.Text, "Link")+": "+l.URL, "link", l.URL))
		}
	}
	// An alert's entries depend on the alert alone, never on the other
	// alerts of the payload, so that every payload that carries it makes
	// the same entry. Alertmanager and Grafana alerts of a group differ by
	// the labels outside the group's: those tell them apart.
	shared := map[string]string{"alertname": "*"}
	for k, v := range ev.GroupLabels {
		shared[k] = v
	}
	var lastEnd time.Time
	for _, a := range ev.Alerts {
		detail := ""
		if extra := joinLabels(a.Labels, shared); extra != "" && (ev.Source == Alertmanager || ev.Source == Grafana) {
			detail = " (" + extra + ")"
		}
		what := a.Name
		if a.Summary != "" && a.Summary != a.Name {
			what += " — " + a.Summary
		}
		switch a.Status {
		case Firing:
			b.Entries = append(b.Entries, entry(rankFiring, a.At, incident.KindNote, "Alert firing: "+what+detail, a.Fingerprint, a.Status, stamp(a)))
		case Reported:
			b.Entries = append(b.Entries, entry(rankFiring, a.At, incident.KindNote, "Incident reported: "+what+detail, a.Fingerprint, a.Status, stamp(a)))
		case Acknowledged:
			b.Entries = append(b.Entries, entry(rankAck, a.At, incident.KindNote, "Alert acknowledged in "+sourceName(ev.Source)+": "+a.Name, a.Fingerprint, a.Status, stamp(a)))
		case Resolved:
			b.Entries = append(b.Entries, entry(rankResolved, a.At, incident.KindNote, "Alert resolved: "+what+detail, a.Fingerprint, a.Status, stamp(a)))
			if a.At.After(lastEnd) {
				lastEnd = a.At
			}
		}
	}
	if b.Resolved && !lastEnd.IsZero() {
		stampAll := any(lastEnd.UTC().Format(time.RFC3339Nano))
		if ev.Alerts[0].Timeless {
			stampAll = "-"
		}
		name := firstOf(ev.Name, ev.Key)
		b.Entries = append(b.Entries, entry(rankAll, lastEnd, incident.KindNote, "Every alert of "+name+" has resolved; the incident stays open until a person resolves it", "all-resolved", stampAll))
		if r.AllowMitigated {
			m := entry(rankMitigate, lastEnd, incident.KindMilestone, "Mitigated", "mitigated", stampAll)
			m.Set = incident.Setting{Field: incident.FieldMilestone, Key: string(incident.Mitigated)}
			b.Entries = append(b.Entries, withUID(m))
		}
	}
	// A link two alerts share is one entry.
	seen := map[string]bool{}
	b.Entries = slices.DeleteFunc(b.Entries, func(e incident.Entry) bool {
		dup := seen[e.Key]
		seen[e.Key] = true
		return dup
	})
	return b
}

// withUID names an entry by its key and content.
func withUID(e incident.Entry) incident.Entry {
	e.UID = ""
	body, _ := json.Marshal(e)
	e.UID = incident.AlertUID("entry", e.Key, string(body))
	return e
}

func sourceName(f Format) string {
	switch f {
	case PagerDuty:
		return "PagerDuty"
	case Alertmanager:
		return "Alertmanager"
	case Grafana:
		return "Grafana"
	case CDEvents:
		return "CDEvents"
	}
	return string(f)
}

// joinLabels is "k=v, k=v" in key order, leaving out what common holds.
func joinLabels(labels, common map[string]string) string {
	var parts []string
	for _, k := range sortedKeys(labels) {
		if v, ok := common[k]; ok && (v == labels[k] || v == "*") {
			continue
		}
		parts = append(parts, k+"="+labels[k])
	}
	return strings.Join(parts, ", ")
}
