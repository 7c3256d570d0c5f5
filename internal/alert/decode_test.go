package alert

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 12, 6, 12, 30, 0, 0, time.UTC)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func decodeFixture(t *testing.T, name string, f Format) Event {
	t.Helper()
	ev, err := Decode(fixture(t, name), f, testNow)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ev
}

func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file     string
		source   Format
		key      string
		name     string
		status   Status
		statuses []Status
		times    []string
		receiver string
		links    []string // URLs of the first alert
	}{
		{"am_firing.json", Alertmanager, `{}/{service="payments"}:{alertname="Payments5xx"}`, "Payments5xx", Firing, []Status{Firing}, []string{"2026-12-06T11:50:00Z"}, "warroom",
			[]string{"https://runbooks.example.com/payments-5xx", "http://prometheus.example.com/graph?g0.expr=rate"}},
		{"am_repeated.json", Alertmanager, `{}/{service="payments"}:{alertname="Payments5xx"}`, "Payments5xx", Firing, []Status{Firing}, []string{"2026-12-06T11:50:00Z"}, "warroom", nil},
		{"am_partial.json", Alertmanager, `{}/{service="payments"}:{alertname="Payments5xx"}`, "Payments5xx", Firing, []Status{Resolved, Firing}, []string{"2026-12-06T12:10:00Z", "2026-12-06T11:55:00Z"}, "warroom", nil},
		{"am_resolved.json", Alertmanager, `{}/{service="payments"}:{alertname="Payments5xx"}`, "Payments5xx", Resolved, []Status{Resolved, Resolved}, []string{"2026-12-06T12:10:00Z", "2026-12-06T12:20:00Z"}, "warroom", nil},
		{"grafana_firing.json", Grafana, `{}:{alertname="DiskFull"}`, "DiskFull", Firing, []Status{Firing}, []string{"2026-12-06T11:40:00Z"}, "warroom-grafana",
			[]string{"https://runbooks.example.com/disk", "https://grafana.example.com/alerting/grafana/abc/view", "https://grafana.example.com/d/xyz", "https://grafana.example.com/d/xyz?viewPanel=2"}},
		{"pd_trigger.json", PagerDuty, "checkout-latency-eu", "latency", Firing, []Status{Firing}, []string{"2026-12-06T11:45:00Z"}, "",
			[]string{"https://grafana.example.com/d/checkout", "https://prometheus.example.com"}},
		{"pd_ack.json", PagerDuty, "checkout-latency-eu", "checkout-latency-eu", Acknowledged, []Status{Acknowledged}, []string{"2026-12-06T12:30:00Z"}, "", nil},
		{"pd_resolve.json", PagerDuty, "checkout-latency-eu", "checkout-latency-eu", Resolved, []Status{Resolved}, []string{"2026-12-06T12:30:00Z"}, "", nil},
		{"cdevents_detected.json", CDEvents, "incident-4711", "incident-4711", Firing, []Status{Firing}, []string{"2026-12-06T11:30:00Z"}, "", []string{"https://monitoring.example.com/incidents"}},
		{"cdevents_reported.json", CDEvents, "incident-4711", "incident-4711", Reported, []Status{Reported}, []string{"2026-12-06T11:35:00Z"}, "", []string{"https://tickets.example.com/OPS-88", "https://monitoring.example.com/incidents"}},
		{"cdevents_resolved.json", CDEvents, "incident-4711", "incident-4711", Resolved, []Status{Resolved}, []string{"2026-12-06T12:05:00Z"}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			for _, f := range []Format{Auto, tc.source} {
				ev := decodeFixture(t, tc.file, f)
				if ev.Source != tc.source || ev.Key != tc.key || ev.Name != tc.name || ev.Status != tc.status || ev.Receiver != tc.receiver {
					t.Fatalf("format %s: got source %q key %q name %q status %q receiver %q", f, ev.Source, ev.Key, ev.Name, ev.Status, ev.Receiver)
				}
				if len(ev.Alerts) != len(tc.statuses) {
					t.Fatalf("got %d alerts, want %d", len(ev.Alerts), len(tc.statuses))
				}
				for i, a := range ev.Alerts {
					if a.Status != tc.statuses[i] || !a.At.Equal(at(tc.times[i])) {
						t.Errorf("alert %d: status %s at %s, want %s at %s", i, a.Status, a.At, tc.statuses[i], tc.times[i])
					}
					if a.Fingerprint == "" {
						t.Errorf("alert %d has no fingerprint", i)
					}
				}
				if tc.links != nil {
					var got []string
					for _, l := range ev.Alerts[0].Links {
						got = append(got, l.URL)
					}
					if strings.Join(got, " ") != strings.Join(tc.links, " ") {
						t.Errorf("links %q, want %q", got, tc.links)
					}
				}
			}
		})
	}
}

func TestDecodeGroupName(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"groupKey":"g","groupLabels":{"alertname":"A","service":"s"},"commonLabels":{"alertname":"X"},"alerts":[{"startsAt":"2026-12-06T11:00:00Z","labels":{"alertname":"X"}}]}`, "A"},
		{`{"groupKey":"g","groupLabels":{"team":"core","service":"pay"},"commonLabels":{"alertname":"X"},"alerts":[{"startsAt":"2026-12-06T11:00:00Z","labels":{"alertname":"X"}}]}`, "service=pay, team=core"},
		{`{"groupKey":"g","alerts":[{"startsAt":"2026-12-06T11:00:00Z","labels":{"alertname":"X"}}]}`, "X"},
	} {
		ev, err := Decode([]byte(tc.body), Auto, testNow)
		if err != nil || ev.Name != tc.want {
			t.Errorf("name %q, want %q (%v)", ev.Name, tc.want, err)
		}
	}
}

func TestDecodeFields(t *testing.T) {
	am := decodeFixture(t, "am_firing.json", Auto)
	a := am.Alerts[0]
	if a.Summary != "Payments API returns 5xx above 5%" || a.Description != "5xx rate is 7.1%" || a.Labels["instance"] != "pay-1" || a.Fingerprint != "a1b2c3d4e5f60001" {
		t.Errorf("alertmanager alert: %+v", a)
	}
	if am.ExternalURL != "http://alertmanager.example.com:9093" || am.CommonLabels["team"] != "core" {
		t.Errorf("alertmanager event: %+v", am)
	}
	pd := decodeFixture(t, "pd_trigger.json", Auto)
	p := pd.Alerts[0]
	if p.Severity != "error" || p.Summary != "Checkout latency p99 over 2s in eu-west" || p.Labels["component"] != "checkout" || p.Labels["service"] != "checkout" || p.Labels["p99_ms"] != "2310" || p.Timeless != true {
		t.Errorf("pagerduty alert: %+v", p)
	}
	cd := decodeFixture(t, "cdevents_detected.json", Auto)
	c := cd.Alerts[0]
	if c.Summary != "Search service unreachable from the edge" || c.Labels["service"] != "search" || c.Labels["environment"] != "production" {
		t.Errorf("cdevents alert: %+v", c)
	}
}

func TestDecodeBadInput(t *testing.T) {
	tests := []struct {
		name, body string
		f          Format
		want       string
	}{
		{"empty", "  ", Auto, "empty"},
		{"not json", "{nope", Auto, "not a JSON object"},
		{"array", "[1,2]", Auto, "not a JSON object"},
		{"unknown", `{"hello":"world"}`, Auto, "not an alert warroom knows"},
		{"am forced on pd", string(fixture(t, "pd_trigger.json")), Alertmanager, "not an Alertmanager webhook: it has no alerts list"},
		{"pd forced on am", string(fixture(t, "am_firing.json")), PagerDuty, "not a PagerDuty event"},
		{"cdevents forced on am", string(fixture(t, "am_firing.json")), CDEvents, "not a CDEvent"},
		{"no alerts", `{"groupKey":"g","alerts":[]}`, Auto, "has no alerts"},
		{"alerts not a list", `{"groupKey":"g","alerts":{}}`, Auto, "not an Alertmanager webhook"},
		{"bad status", `{"groupKey":"g","alerts":[{"status":"exploded","startsAt":"2026-12-06T11:00:00Z"}]}`, Auto, "must be firing or resolved"},
		{"bad time", `{"groupKey":"g","alerts":[{"status":"firing","startsAt":"yesterday"}]}`, Auto, "is not a time"},
		{"no start", `{"groupKey":"g","alerts":[{"status":"firing"}]}`, Auto, "has no startsAt"},
		{"resolved without end", `{"groupKey":"g","alerts":[{"status":"resolved","startsAt":"2026-12-06T11:00:00Z"}]}`, Auto, "has no endsAt"},
		{"no group", `{"alerts":[{"status":"firing","startsAt":"2026-12-06T11:00:00Z"}]}`, Auto, "no groupKey"},
		{"pd action", `{"event_action":"explode","dedup_key":"k"}`, Auto, "not trigger, acknowledge or resolve"},
		{"pd ack without key", `{"event_action":"acknowledge"}`, Auto, "has no dedup_key"},
		{"pd trigger without payload", `{"event_action":"trigger","dedup_key":"k"}`, Auto, "no payload with a summary"},
		{"pd severity", `{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"bad"}}`, Auto, "severity \"bad\""},
		{"cdevents other type", `{"context":{"type":"dev.cdevents.pipelinerun.started.0.1.0","timestamp":"2026-12-06T11:00:00Z"},"subject":{"id":"x"}}`, Auto, "not an incident event"},
		{"cdevents no subject", `{"context":{"type":"dev.cdevents.incident.detected.0.2.0","timestamp":"2026-12-06T11:00:00Z"},"subject":{}}`, Auto, "no subject id"},
		{"cdevents no time", `{"context":{"type":"dev.cdevents.incident.detected.0.2.0"},"subject":{"id":"x"}}`, Auto, "no context timestamp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.body), tc.f, testNow)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("error %v is not ErrMalformed", err)
			}
			msg := Message(err)
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("message %q, want one line with %q", msg, tc.want)
			}
		})
	}
}

func TestDecodeHostile(t *testing.T) {
	ev := decodeFixture(t, "am_hostile.json", Auto)
	a := ev.Alerts[0]
	for k, v := range a.Labels {
		for _, s := range []string{k, v} {
			if strings.ContainsAny(s, "\x1b\x07\u202e\u202c\u200b") {
				t.Errorf("label %q=%q keeps a control or bidi character", k, v)
			}
		}
	}
	if strings.ContainsAny(a.Summary, "\x1b\u200b") {
		t.Errorf("summary %q keeps an escape", a.Summary)
	}
	if a.Labels["alertname"] != "EvilRED" {
		t.Errorf("alertname %q", a.Labels["alertname"])
	}
	for _, l := range a.Links {
		if !strings.HasPrefix(l.URL, "http") {
			t.Errorf("kept the link %q", l.URL)
		}
	}
	// The dedup key is kept clean too.
	k, err := Decode([]byte(`{"event_action":"acknowledge","dedup_key":"disk\u001b[2J\u202efull"}`), Auto, testNow)
	if err != nil || k.Key != "diskfull" {
		t.Errorf("key %q, %v", k.Key, err)
	}
	// Invalid UTF-8 and a lone surrogate come out as U+FFFD, not refused.
	raw := []byte("{\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"startsAt\":\"2026-12-06T11:00:00Z\",\"labels\":{\"alertname\":\"bad\xff\xfebytes\",\"x\":\"\\ud800\"}}]}")
	ev, err = Decode(raw, Auto, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if got := ev.Alerts[0].Labels["alertname"]; got != "bad\uFFFD\uFFFDbytes" {
		t.Errorf("alertname %q", got)
	}
	// A huge label value is cut.
	long := strings.Repeat("x", 10000)
	ev, err = Decode([]byte(`{"groupKey":"g","alerts":[{"status":"firing","startsAt":"2026-12-06T11:00:00Z","labels":{"alertname":"`+long+`"}}]}`), Auto, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(ev.Alerts[0].Labels["alertname"])); n > maxValueRunes+1 {
		t.Errorf("label of %d runes kept", n)
	}
}

func TestStream(t *testing.T) {
	one := strings.Join(strings.Fields(string(fixture(t, "pd_ack.json"))), "")
	two := strings.Join(strings.Fields(string(fixture(t, "pd_resolve.json"))), "")
	evs, err := Stream(strings.NewReader(one+"\n\n"+two+"\n"), Auto, testNow)
	if err != nil || len(evs) != 2 || evs[0].Status != Acknowledged || evs[1].Status != Resolved {
		t.Fatalf("got %d events, %v", len(evs), err)
	}
	// A pretty-printed payload is one payload.
	evs, err = Stream(strings.NewReader(string(fixture(t, "am_firing.json"))), Auto, testNow)
	if err != nil || len(evs) != 1 {
		t.Fatalf("got %d events, %v", len(evs), err)
	}
	_, err = Stream(strings.NewReader(one+"\n"+two+"\n{broken\n"), Auto, testNow)
	if err == nil || !strings.Contains(err.Error(), "payload 3 (line 3)") {
		t.Errorf("error %v does not name payload 3 on line 3", err)
	}
	_, err = Stream(strings.NewReader(one+"\n"+`{"hello":1}`+"\n"), Auto, testNow)
	if err == nil || !strings.Contains(err.Error(), "payload 2 (line 2)") {
		t.Errorf("error %v does not name payload 2", err)
	}
	if _, err = Stream(strings.NewReader(""), Auto, testNow); err == nil {
		t.Error("empty input accepted")
	}
}

func TestCheckTimes(t *testing.T) {
	ev := decodeFixture(t, "am_firing.json", Auto)
	if err := Check(ev, testNow); err != nil {
		t.Fatal(err)
	}
	future := ev
	future.Alerts = []Alert{ev.Alerts[0]}
	future.Alerts[0].At = testNow.Add(3 * time.Hour)
	if err := Check(future, testNow); err == nil || !strings.Contains(err.Error(), "ahead of this machine's clock") {
		t.Errorf("3 h ahead: %v", err)
	}
	future.Alerts[0].At = testNow.Add(30 * time.Minute)
	if err := Check(future, testNow); err != nil {
		t.Errorf("30 min ahead refused: %v", err)
	}
	future.Alerts[0].At = testNow.AddDate(-2, 0, 0)
	if err := Check(future, testNow); err == nil || !strings.Contains(err.Error(), "more than a year ago") {
		t.Errorf("2 years ago: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"am_firing.json", "am_partial.json", "am_resolved.json", "grafana_firing.json", "pd_trigger.json", "pd_ack.json", "cdevents_detected.json", "cdevents_reported.json", "am_hostile.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info","timestamp":"2026-12-06T11:00:00+0000"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := Decode(data, Auto, testNow)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			if strings.Contains(Message(err), "\n") {
				t.Fatalf("error of several lines: %q", err)
			}
			return
		}
		if ev.Key == "" || len(ev.Alerts) == 0 {
			t.Fatalf("accepted an event without key or alerts: %+v", ev)
		}
		b := Plan(ev, DefaultRules())
		for _, e := range b.Entries {
			if strings.ContainsAny(e.Text, "\x1b\r\u202e") || strings.Contains(e.Text, "\n") {
				t.Fatalf("entry text %q is not one clean line", e.Text)
			}
		}
		if b.Declare != nil && strings.ContainsAny(b.Declare.Title, "\x1b\n\u202e") {
			t.Fatalf("title %q is not clean", b.Declare.Title)
		}
	})
}
