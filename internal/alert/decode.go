package alert

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// ErrMalformed wraps every decoding error: the receiver answers 400.
var ErrMalformed = errors.New("malformed alert payload")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// Message is the sentence an error says, without the ErrMalformed prefix.
func Message(err error) string {
	s := err.Error()
	if t, ok := strings.CutPrefix(s, ErrMalformed.Error()+": "); ok {
		return t
	}
	return s
}

// Decode reads one payload in format f (Auto detects it). now is the time
// it arrived, used for alerts that carry no time of their own.
func Decode(data []byte, f Format, now time.Time) (Event, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return Event{}, malformed("the alert payload is empty")
	}
	// Invalid UTF-8 inside strings becomes U+FFFD (encoding/json does
	// that), so a label with a broken byte comes out clean, not refused.
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return Event{}, malformed("the alert payload is not a JSON object (%s)", jsonProblem(err))
	}
	if f == Auto || f == "" {
		var err error
		if f, err = detect(probe); err != nil {
			return Event{}, err
		}
	}
	var ev Event
	var err error
	switch f {
	case Alertmanager, Grafana:
		ev, err = decodeAlertmanager(data, probe, f)
	case PagerDuty:
		ev, err = decodePagerDuty(data, probe, now)
	case CDEvents:
		ev, err = decodeCDEvents(data, probe)
	default:
		return Event{}, malformed("format %q is not known", f)
	}
	if err != nil {
		return Event{}, err
	}
	return ev, nil
}

// Stream reads one payload, or several one after another (one per line,
// or simply concatenated), until r ends.
func Stream(r io.Reader, f Format, now time.Time) ([]Event, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []Event
	for n := 1; ; n++ {
		var raw json.RawMessage
		start := dec.InputOffset()
		if err := dec.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			return nil, malformed("payload %d (line %d) is not JSON (%s)", n, lineAt(data, start), jsonProblem(err))
		}
		ev, err := Decode(raw, f, now)
		if err != nil {
			if n == 1 && !dec.More() {
				return nil, err
			}
			return nil, fmt.Errorf("payload %d (line %d): %w", n, lineAt(data, start), err)
		}
		out = append(out, ev)
	}
	if len(out) == 0 {
		return nil, malformed("the input holds no alert payload")
	}
	return out, nil
}

// lineAt is the line number of byte offset off, skipping leading space.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	rest := data[off:]
	skip := len(rest) - len(bytes.TrimLeft(rest, " \t\r\n"))
	return 1 + bytes.Count(data[:int(off)+skip], []byte("\n"))
}

// jsonProblem says what is wrong with JSON in a few words.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at byte %d", se.Error(), se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("%s is a JSON %s where %s was expected", te.Field, te.Value, te.Type)
		}
		return fmt.Sprintf("it is a JSON %s", te.Value)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "it ends too soon"
	}
	return err.Error()
}

// detect names the format of a payload from its keys.
func detect(p map[string]json.RawMessage) (Format, error) {
	has := func(k string) bool { _, ok := p[k]; return ok }
	switch {
	case has("alerts") && (has("orgId") || has("state") || has("title") && has("message")):
		return Grafana, nil
	case has("alerts"):
		return Alertmanager, nil
	case has("event_action"):
		return PagerDuty, nil
	case has("context") && has("subject"):
		return CDEvents, nil
	}
	return "", malformed("the payload is not an alert warroom knows: expected an Alertmanager or Grafana webhook (alerts, groupKey), a PagerDuty event (event_action) or a CDEvents incident event (context, subject)")
}

// time parsing ---------------------------------------------------------

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700", // PagerDuty's examples: +0000
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05Z07:00",
}

// parseTime reads a sender's time; the zero time (Alertmanager's endsAt
// of a firing alert, "0001-01-01T00:00:00Z") and "" are no time.
func parseTime(what, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() <= 1 {
				return time.Time{}, nil
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, malformed("%s %q is not a time (use RFC 3339, e.g. 2026-12-06T13:40:00Z)", what, cut(s, 40))
}

// links ------------------------------------------------------------------

// link keeps an http or https URL only: a javascript: or file: URL from a
// payload must not become a link in an export.
func link(text, raw string) (Link, bool) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Link{}, false
	}
	c := clean(raw, maxValueRunes)
	if strings.ContainsAny(c, " …") {
		return Link{}, false
	}
	return Link{Text: clean(text, maxKeyRunes), URL: c}, true
}

func addLink(ls []Link, text, raw string) []Link {
	if l, ok := link(text, raw); ok && !slices.ContainsFunc(ls, func(o Link) bool { return o.URL == l.URL }) {
		ls = append(ls, l)
	}
	return ls
}

// labelsFingerprint stands in for a fingerprint a sender left out.
func labelsFingerprint(labels map[string]string) string {
	h := sha256.New()
	for _, k := range sortedKeys(labels) {
		fmt.Fprintf(h, "%s=%s\x00", k, labels[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Alertmanager and Grafana ------------------------------------------------

type amPayload struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []amAlert         `json:"alerts"`
}

type amAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
	// Grafana's extras.
	DashboardURL string `json:"dashboardURL"`
	PanelURL     string `json:"panelURL"`
	SilenceURL   string `json:"silenceURL"`
}

func decodeAlertmanager(data []byte, probe map[string]json.RawMessage, f Format) (Event, error) {
	name := "an Alertmanager webhook"
	if f == Grafana {
		name = "a Grafana alerting webhook"
	}
	if _, ok := probe["alerts"]; !ok {
		return Event{}, malformed("the payload is not %s: it has no alerts list", name)
	}
	var p amPayload
	if err := json.Unmarshal(data, &p); err != nil {
		return Event{}, malformed("the payload is not %s (%s)", name, jsonProblem(err))
	}
	if len(p.Alerts) == 0 {
		return Event{}, malformed("the %s payload has no alerts", f)
	}
	if len(p.Alerts) > MaxAlerts {
		return Event{}, malformed("the %s payload has %d alerts, over the limit of %d", f, len(p.Alerts), MaxAlerts)
	}
	ev := Event{
		Source:            f,
		Receiver:          clean(p.Receiver, 60),
		Key:               strings.TrimSpace(p.GroupKey),
		CommonLabels:      cleanMap(p.CommonLabels),
		CommonAnnotations: cleanMap(p.CommonAnnotations),
		GroupLabels:       cleanMap(p.GroupLabels),
	}
	if l, ok := link("", p.ExternalURL); ok {
		ev.ExternalURL = l.URL
	}
	if ev.Key == "" {
		// Grafana's test notification and hand-made payloads may lack a
		// group key: the receiver and group labels name the group.
		if len(p.GroupLabels) == 0 && p.Receiver == "" {
			return Event{}, malformed("the %s payload has no groupKey, receiver or groupLabels to tell its alerts apart", f)
		}
		ev.Key = p.Receiver + ":" + labelsFingerprint(p.GroupLabels)
	}
	if len(ev.Key) > 1024 {
		return Event{}, malformed("the %s payload's groupKey is %d bytes long, over the limit of 1024", f, len(ev.Key))
	}
	ev.Key = cleanKey(ev.Key)
	// The group's name comes from its group labels, which every payload
	// of the group carries the same (common labels depend on which alerts
	// a payload holds), so every receiver names it alike.
	ev.Name = clean(groupName(p.GroupLabels), 200)
	allResolved := true
	for i, a := range p.Alerts {
		st := Firing
		switch strings.ToLower(strings.TrimSpace(a.Status)) {
		case "firing", "":
		case "resolved":
			st = Resolved
		default:
			return Event{}, malformed("alert %d of the %s payload has the status %q; it must be firing or resolved", i+1, f, cut(a.Status, 40))
		}
		starts, err := parseTime(fmt.Sprintf("alert %d's startsAt", i+1), a.StartsAt)
		if err != nil {
			return Event{}, err
		}
		ends, err := parseTime(fmt.Sprintf("alert %d's endsAt", i+1), a.EndsAt)
		if err != nil {
			return Event{}, err
		}
		if starts.IsZero() {
			return Event{}, malformed("alert %d of the %s payload has no startsAt", i+1, f)
		}
		al := Alert{
			Status:      st,
			Labels:      cleanMap(a.Labels),
			Annotations: cleanMap(a.Annotations),
			Fingerprint: clean(a.Fingerprint, 64),
			At:          starts,
		}
		if al.Fingerprint == "" {
			al.Fingerprint = labelsFingerprint(a.Labels)
		}
		if st == Resolved {
			if ends.IsZero() {
				return Event{}, malformed("alert %d of the %s payload is resolved but has no endsAt", i+1, f)
			}
			al.At = ends
		} else {
			allResolved = false
		}
		al.Name = firstOf(al.Labels["alertname"], ev.Name, ev.Key)
		al.Summary = firstOf(al.Annotations["summary"], ev.CommonAnnotations["summary"])
		al.Description = firstOf(al.Annotations["description"], ev.CommonAnnotations["description"])
		al.Links = addLink(al.Links, "Runbook", firstOf(a.Annotations["runbook_url"], p.CommonAnnotations["runbook_url"]))
		al.Links = addLink(al.Links, "Source", a.GeneratorURL)
		al.Links = addLink(al.Links, "Dashboard", a.DashboardURL)
		al.Links = addLink(al.Links, "Panel", a.PanelURL)
		ev.Alerts = append(ev.Alerts, al)
	}
	ev.Status = Firing
	if allResolved {
		ev.Status = Resolved
	}
	if ev.Name == "" {
		ev.Name = ev.Alerts[0].Name
	}
	return ev, nil
}

// groupName names an Alertmanager group: its alertname, else its group
// labels.
func groupName(labels map[string]string) string {
	if n := strings.TrimSpace(labels["alertname"]); n != "" {
		return n
	}
	var parts []string
	for _, k := range sortedKeys(labels) {
		parts = append(parts, k+"="+labels[k])
	}
	return strings.Join(parts, ", ")
}

// cleanKey is a dedup key as it is kept and shown: the sender's bytes
// without escape sequences, controls or invalid UTF-8 (the same for the
// same key everywhere, so it still finds its incident).
func cleanKey(k string) string {
	return strings.TrimSpace(incident.CleanLine(k))
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// PagerDuty Events API v2 -------------------------------------------------

type pdEvent struct {
	RoutingKey  string `json:"routing_key"`
	EventAction string `json:"event_action"`
	DedupKey    string `json:"dedup_key"`
	Payload     *struct {
		Summary       string          `json:"summary"`
		Source        string          `json:"source"`
		Severity      string          `json:"severity"`
		Timestamp     string          `json:"timestamp"`
		Component     string          `json:"component"`
		Group         string          `json:"group"`
		Class         string          `json:"class"`
		CustomDetails json.RawMessage `json:"custom_details"`
	} `json:"payload"`
	Links []struct {
		Href string `json:"href"`
		Text string `json:"text"`
	} `json:"links"`
	Client    string `json:"client"`
	ClientURL string `json:"client_url"`
}

func decodePagerDuty(data []byte, probe map[string]json.RawMessage, now time.Time) (Event, error) {
	if _, ok := probe["event_action"]; !ok {
		return Event{}, malformed("the payload is not a PagerDuty event: it has no event_action")
	}
	var p pdEvent
	if err := json.Unmarshal(data, &p); err != nil {
		return Event{}, malformed("the payload is not a PagerDuty event (%s)", jsonProblem(err))
	}
	st := Firing
	switch strings.ToLower(strings.TrimSpace(p.EventAction)) {
	case "trigger":
	case "acknowledge":
		st = Acknowledged
	case "resolve":
		st = Resolved
	default:
		return Event{}, malformed("the PagerDuty event_action %q is not trigger, acknowledge or resolve", cut(p.EventAction, 40))
	}
	ev := Event{Source: PagerDuty, Key: cleanKey(p.DedupKey), Status: st}
	if len(ev.Key) > 1024 {
		return Event{}, malformed("the PagerDuty dedup_key is %d bytes long, over the limit of 1024", len(ev.Key))
	}
	al := Alert{Status: st, At: now.UTC(), Timeless: true}
	if st == Firing {
		if p.Payload == nil || strings.TrimSpace(p.Payload.Summary) == "" || strings.TrimSpace(p.Payload.Source) == "" {
			return Event{}, malformed("the PagerDuty trigger has no payload with a summary and a source")
		}
		pl := p.Payload
		labels := map[string]string{"source": pl.Source, "component": pl.Component, "group": pl.Group, "class": pl.Class, "severity": pl.Severity}
		details := map[string]string{}
		var custom map[string]any
		if len(pl.CustomDetails) > 0 && json.Unmarshal(pl.CustomDetails, &custom) == nil {
			for k, v := range custom {
				switch v := v.(type) {
				case string:
					details[k] = v
				case float64, bool:
					details[k] = fmt.Sprint(v)
				}
			}
		}
		for k, v := range details {
			if _, taken := labels[k]; !taken {
				labels[k] = v
			}
		}
		for k, v := range labels {
			if strings.TrimSpace(v) == "" {
				delete(labels, k)
			}
		}
		al.Labels = cleanMap(labels)
		al.Summary = clean(pl.Summary, 1024)
		al.Severity = strings.ToLower(strings.TrimSpace(pl.Severity))
		switch al.Severity {
		case "critical", "error", "warning", "info":
		default:
			return Event{}, malformed("the PagerDuty severity %q is not critical, error, warning or info", cut(pl.Severity, 40))
		}
		t, err := parseTime("the PagerDuty payload's timestamp", pl.Timestamp)
		if err != nil {
			return Event{}, err
		}
		if !t.IsZero() {
			al.At = t
		}
		if ev.Key == "" {
			// PagerDuty makes one up; ours is the alert's content, so a
			// repeat of the same trigger is the same alert.
			ev.Key = "pd-" + labelsFingerprint(map[string]string{"summary": pl.Summary, "source": pl.Source, "component": pl.Component, "group": pl.Group, "class": pl.Class})
		}
		ev.Name = clean(firstOf(pl.Class, pl.Component, ev.Key), 200)
	} else if ev.Key == "" {
		return Event{}, malformed("the PagerDuty %s event has no dedup_key, so it names no alert", p.EventAction)
	}
	if ev.Name == "" {
		ev.Name = clean(ev.Key, 200)
	}
	al.Name, al.Fingerprint = ev.Name, labelsFingerprint(map[string]string{"dedup_key": ev.Key})
	for _, l := range p.Links {
		al.Links = addLink(al.Links, firstOf(l.Text, "Link"), l.Href)
	}
	al.Links = addLink(al.Links, firstOf(p.Client, "Source"), p.ClientURL)
	ev.Alerts = []Alert{al}
	return ev, nil
}

// CDEvents ------------------------------------------------------------------

type cdEvent struct {
	Context struct {
		ID        string `json:"id"`
		Source    string `json:"source"`
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
	} `json:"context"`
	Subject struct {
		ID      string `json:"id"`
		Source  string `json:"source"`
		Content struct {
			Description string `json:"description"`
			Environment *struct {
				ID string `json:"id"`
			} `json:"environment"`
			Service *struct {
				ID string `json:"id"`
			} `json:"service"`
			ArtifactID string `json:"artifactId"`
			TicketURI  string `json:"ticketURI"`
		} `json:"content"`
	} `json:"subject"`
}

func decodeCDEvents(data []byte, probe map[string]json.RawMessage) (Event, error) {
	if _, ok := probe["context"]; !ok {
		return Event{}, malformed("the payload is not a CDEvent: it has no context")
	}
	var p cdEvent
	if err := json.Unmarshal(data, &p); err != nil {
		return Event{}, malformed("the payload is not a CDEvent (%s)", jsonProblem(err))
	}
	typ := strings.TrimSpace(p.Context.Type)
	rest, ok := strings.CutPrefix(typ, "dev.cdevents.incident.")
	if !ok {
		return Event{}, malformed("the CDEvent type %q is not an incident event (dev.cdevents.incident.detected, reported or resolved)", cut(typ, 80))
	}
	verb, _, _ := strings.Cut(rest, ".")
	var st Status
	switch verb {
	case "detected":
		st = Firing
	case "reported":
		st = Reported
	case "resolved":
		st = Resolved
	default:
		return Event{}, malformed("the CDEvent type %q is not incident.detected, reported or resolved", cut(typ, 80))
	}
	key := cleanKey(p.Subject.ID)
	if key == "" {
		return Event{}, malformed("the CDEvent has no subject id, so it names no incident")
	}
	if len(key) > 1024 {
		return Event{}, malformed("the CDEvent's subject id is %d bytes long, over the limit of 1024", len(key))
	}
	at, err := parseTime("the CDEvent's context timestamp", p.Context.Timestamp)
	if err != nil {
		return Event{}, err
	}
	if at.IsZero() {
		return Event{}, malformed("the CDEvent has no context timestamp")
	}
	c := p.Subject.Content
	labels := map[string]string{"artifact": c.ArtifactID}
	if c.Environment != nil {
		labels["environment"] = c.Environment.ID
	}
	if c.Service != nil {
		labels["service"] = c.Service.ID
	}
	for k, v := range labels {
		if strings.TrimSpace(v) == "" {
			delete(labels, k)
		}
	}
	ev := Event{Source: CDEvents, Key: key, Name: clean(key, 200), Status: st}
	al := Alert{
		Status: st, At: at, Name: ev.Name, Labels: cleanMap(labels),
		Summary:     clean(firstLine(c.Description), 1024),
		Description: clean(c.Description, 2000),
		Fingerprint: labelsFingerprint(map[string]string{"subject": key}),
	}
	al.Links = addLink(al.Links, "Ticket", c.TicketURI)
	al.Links = addLink(al.Links, "Source", p.Subject.Source)
	ev.Alerts = []Alert{al}
	return ev, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
