package alert

import (
	"slices"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/incident"
)

func plan(t *testing.T, name string, r Rules) incident.AlertBatch {
	t.Helper()
	return Plan(decodeFixture(t, name, Auto), r)
}

func texts(es []incident.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Text)
	}
	return out
}

func TestPlanDeclares(t *testing.T) {
	tests := []struct {
		file   string
		title  string
		sev    incident.Severity
		tags   []string
		author string
		origin incident.AlertOrigin
		opens  []string // the opening entries' texts, after the declaration
		adds   []string // the entries' texts, in order
	}{
		{"am_firing.json", "Payments API returns 5xx above 5%", 1, []string{"payments", "core"}, "alert:warroom",
			incident.AlertOrigin{Source: "alertmanager", Name: "Payments5xx", Key: `{}/{service="payments"}:{alertname="Payments5xx"}`, Receiver: "warroom"},
			[]string{"Labels: alertname=Payments5xx, instance=pay-1, service=payments, severity=critical, team=core", "alertmanager: http://alertmanager.example.com:9093"},
			[]string{"Runbook: https://runbooks.example.com/payments-5xx", "Source: http://prometheus.example.com/graph?g0.expr=rate", "Alert firing: Payments5xx — Payments API returns 5xx above 5% (instance=pay-1, severity=critical, team=core)"}},
		{"grafana_firing.json", "Disk on db-1 is 95% full", 3, []string{"db"}, "alert:warroom-grafana",
			incident.AlertOrigin{Source: "grafana", Name: "DiskFull", Key: `{}:{alertname="DiskFull"}`, Receiver: "warroom-grafana"},
			[]string{"Labels: alertname=DiskFull, grafana_folder=infra, service=db, severity=warning", "grafana: https://grafana.example.com/"},
			nil},
		{"pd_trigger.json", "Checkout latency p99 over 2s in eu-west", 2, []string{"checkout"}, "alert:pagerduty",
			incident.AlertOrigin{Source: "pagerduty", Name: "latency", Key: "checkout-latency-eu"},
			[]string{"Labels: class=latency, component=checkout, group=eu-west, p99_ms=2310, service=checkout, severity=error, source=checkout-eu-1"},
			[]string{"Checkout dashboard: https://grafana.example.com/d/checkout", "Prometheus: https://prometheus.example.com", "Alert firing: latency — Checkout latency p99 over 2s in eu-west"}},
		{"cdevents_detected.json", "Search service unreachable from the edge", 3, []string{"search"}, "alert:cdevents",
			incident.AlertOrigin{Source: "cdevents", Name: "incident-4711", Key: "incident-4711"},
			[]string{"Labels: artifact=pkg:oci/search@sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427, environment=production, service=search"},
			[]string{"Source: https://monitoring.example.com/incidents", "Alert firing: incident-4711 — Search service unreachable from the edge"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b := plan(t, tc.file, DefaultRules())
			d := b.Declare
			if d == nil {
				t.Fatal("nothing declared")
			}
			if d.Title != tc.title || d.Severity != tc.sev || !slices.Equal(d.Tags, tc.tags) || d.Author != tc.author {
				t.Errorf("declared %q %s tags %q by %s", d.Title, d.Severity, d.Tags, d.Author)
			}
			if b.Origin != tc.origin {
				t.Errorf("origin %+v", b.Origin)
			}
			decl := d.Opening[0]
			if decl.Set.Field != incident.FieldDeclared || decl.Set.Declared.Alert == nil || *decl.Set.Declared.Alert != tc.origin || !decl.At.Equal(d.Created) {
				t.Errorf("declaration entry %+v", decl)
			}
			if got := texts(d.Opening[1:]); !slices.Equal(got, tc.opens) {
				t.Errorf("opening %q,\nwant %q", got, tc.opens)
			}
			if tc.adds != nil && !slices.Equal(texts(b.Entries), tc.adds) {
				t.Errorf("entries %q,\nwant %q", texts(b.Entries), tc.adds)
			}
			for _, e := range append(slices.Clone(d.Opening), b.Entries...) {
				if e.Author != tc.author || !incident.IsAlertEntry(e) || !incident.ValidUID(e.UID) || incident.CheckKey(e.Key) != nil {
					t.Errorf("entry %q: author %q uid %q key %q", e.Text, e.Author, e.UID, e.Key)
				}
			}
		})
	}
}

func TestPlanIsTheSameForTheSameAlert(t *testing.T) {
	a := plan(t, "am_firing.json", DefaultRules())
	b := plan(t, "am_repeated.json", DefaultRules())
	if a.Declare.UID != b.Declare.UID {
		t.Error("a resend names another incident")
	}
	// The description changed, not the summary: the entries are the same.
	if !slices.Equal(texts(a.Entries), texts(b.Entries)) {
		t.Errorf("%q vs %q", texts(a.Entries), texts(b.Entries))
	}
	for i := range a.Entries {
		if a.Entries[i].Key != b.Entries[i].Key || a.Entries[i].UID != b.Entries[i].UID {
			t.Errorf("entry %d: keys %s/%s uids %s/%s", i, a.Entries[i].Key, b.Entries[i].Key, a.Entries[i].UID, b.Entries[i].UID)
		}
	}
	// A second alert joining the group keeps the incident the first declared.
	c := plan(t, "am_two_firing.json", DefaultRules())
	if c.Declare.UID != a.Declare.UID {
		t.Error("the second alert changed the incident's uid")
	}
	// Whatever else a payload holds, an alert's entries are the same
	// entries (same uid: same content), and so is the declaration.
	uids := map[string]bool{}
	for _, e := range c.Entries {
		uids[e.UID] = true
	}
	for _, e := range a.Entries {
		if !uids[e.UID] {
			t.Errorf("entry %q of the first payload is not in the second", e.Text)
		}
	}
	for i := range a.Declare.Opening {
		if a.Declare.Opening[i].UID != c.Declare.Opening[i].UID {
			t.Errorf("opening entry %q differs: %q", a.Declare.Opening[i].Text, c.Declare.Opening[i].Text)
		}
	}
	if a.Origin != c.Origin {
		t.Errorf("origin %+v vs %+v", a.Origin, c.Origin)
	}
}

func TestPlanResolutions(t *testing.T) {
	partial := plan(t, "am_partial.json", DefaultRules())
	if partial.Resolved {
		t.Error("a partly resolved group is resolved")
	}
	want := []string{"Alert resolved: Payments5xx — Payments API returns 5xx above 5% (instance=pay-1, severity=critical, team=core)", "Alert firing: Payments5xx — Payments API returns 5xx above 5% (instance=pay-2, severity=critical, team=core)"}
	got := texts(partial.Entries)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing %q in %q", w, got)
		}
	}
	resolved := plan(t, "am_resolved.json", DefaultRules())
	if !resolved.Resolved || resolved.Declare != nil {
		t.Errorf("resolved group: resolved %v declare %v", resolved.Resolved, resolved.Declare)
	}
	last := resolved.Entries[len(resolved.Entries)-1]
	if !strings.HasPrefix(last.Text, "Every alert of Payments5xx has resolved") || !last.At.Equal(at("2026-12-06T12:20:00Z")) || last.Set.Field != "" {
		t.Errorf("last entry %+v", last)
	}
	r := DefaultRules()
	r.AllowMitigated = true
	withM := plan(t, "am_resolved.json", r)
	m := withM.Entries[len(withM.Entries)-1]
	if m.Set.Field != incident.FieldMilestone || m.Set.Key != string(incident.Mitigated) || !m.At.Equal(at("2026-12-06T12:20:00Z")) {
		t.Errorf("mitigated entry %+v", m)
	}
	for _, e := range withM.Entries {
		if e.Set.Field == incident.FieldStatus {
			t.Error("an alert set the status")
		}
	}
	ack := plan(t, "pd_ack.json", DefaultRules())
	if ack.Declare != nil || len(ack.Entries) != 1 || ack.Entries[0].Text != "Alert acknowledged in PagerDuty: checkout-latency-eu" {
		t.Errorf("ack: %q", texts(ack.Entries))
	}
	res := plan(t, "pd_resolve.json", DefaultRules())
	if !res.Resolved || len(res.Entries) != 2 {
		t.Errorf("pd resolve: %q", texts(res.Entries))
	}
	cd := plan(t, "cdevents_resolved.json", DefaultRules())
	if !cd.Resolved || cd.Entries[len(cd.Entries)-1].Text != "Every alert of incident-4711 has resolved; the incident stays open until a person resolves it" {
		t.Errorf("cdevents resolved: %q", texts(cd.Entries))
	}
	rep := plan(t, "cdevents_reported.json", DefaultRules())
	if rep.Declare == nil || !slices.Contains(texts(rep.Entries), "Ticket: https://tickets.example.com/OPS-88") {
		t.Errorf("cdevents reported: %q", texts(rep.Entries))
	}
}

func TestPlanSeverityMapping(t *testing.T) {
	ev := decodeFixture(t, "am_firing.json", Auto)
	set := func(label, word string) Event {
		e := ev
		e.CommonLabels = map[string]string{}
		a := ev.Alerts[0]
		a.Labels = map[string]string{"alertname": "X", label: word}
		e.Alerts = []Alert{a}
		return e
	}
	tests := []struct {
		label, word string
		rules       func(r *Rules)
		want        incident.Severity
	}{
		{"severity", "critical", nil, 1},
		{"severity", "error", nil, 2},
		{"severity", "warning", nil, 3},
		{"severity", "info", nil, 4},
		{"severity", "CRITICAL", nil, 1},
		{"severity", "sev2", nil, 2},
		{"severity", "unheard-of", nil, DefaultSeverity},
		{"priority", "critical", nil, DefaultSeverity},
		{"priority", "critical", func(r *Rules) { r.SeverityLabel = "priority" }, 1},
		{"severity", "page", func(r *Rules) { r.Severities = map[string]incident.Severity{"page": 1, "ticket": 4} }, 1},
		{"severity", "critical", func(r *Rules) { r.Severities = map[string]incident.Severity{"critical": 2} }, 2},
	}
	for _, tc := range tests {
		r := DefaultRules()
		if tc.rules != nil {
			tc.rules(&r)
		}
		if got := Plan(set(tc.label, tc.word), r).Declare.Severity; got != tc.want {
			t.Errorf("%s=%s: %s, want %s", tc.label, tc.word, got, tc.want)
		}
	}
	// The declaring (earliest) alert's severity declares, whatever else
	// the payload holds, so every receiver declares the same incident.
	two := decodeFixture(t, "am_two_firing.json", Auto)
	two.CommonLabels = nil
	two.Alerts[0].Labels["severity"] = "warning"
	two.Alerts[1].Labels["severity"] = "error"
	if got := Plan(two, DefaultRules()).Declare.Severity; got != 3 {
		t.Errorf("first warning, then error: %s", got)
	}
	two.Alerts[0], two.Alerts[1] = two.Alerts[1], two.Alerts[0]
	if got := Plan(two, DefaultRules()).Declare.Severity; got != 3 {
		t.Errorf("the order in the payload changed the severity: %s", got)
	}
}

func TestPlanHostileText(t *testing.T) {
	b := plan(t, "am_hostile.json", DefaultRules())
	for _, s := range append(texts(append(slices.Clone(b.Declare.Opening), b.Entries...)), b.Declare.Title, strings.Join(b.Declare.Tags, " "), b.Origin.Name) {
		if strings.ContainsAny(s, "\x1b\x07\u202e\u202c\u200b\n\r") {
			t.Errorf("%q keeps a control, bidi or newline", s)
		}
		if strings.Contains(s, "javascript:") {
			t.Errorf("%q keeps a javascript: link", s)
		}
	}
	for _, tag := range b.Declare.Tags {
		if strings.ContainsAny(tag, " \t") || len([]rune(tag)) > incident.MaxTagRunes {
			t.Errorf("tag %q", tag)
		}
	}
}
