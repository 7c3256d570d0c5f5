package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// amPayload is an Alertmanager webhook for group name with one alert per
// instance, started ago before now (the binary reads the real clock).
func amPayload(name string, status string, alerts map[string]time.Duration, ended time.Duration) string {
	return amPayloadAt(time.Now().UTC(), name, status, alerts, ended)
}

// amPayloadAt is amPayload with times counted back from now: payloads
// that stand for one alert sent twice must take the same now.
func amPayloadAt(now time.Time, name string, status string, alerts map[string]time.Duration, ended time.Duration) string {
	var as []map[string]any
	for inst, ago := range alerts {
		a := map[string]any{
			"status":      status,
			"fingerprint": name + "-" + inst,
			"labels":      map[string]string{"alertname": name, "instance": inst, "severity": "critical", "service": "payments"},
			"annotations": map[string]string{"summary": name + " is failing", "runbook_url": "https://runbooks.example.com/" + name},
			"startsAt":    now.Add(-ago).Truncate(time.Second).Format(time.RFC3339),
		}
		if status == "resolved" {
			a["endsAt"] = now.Add(-ended).Truncate(time.Second).Format(time.RFC3339)
		}
		as = append(as, a)
	}
	p := map[string]any{"version": "4", "status": status, "receiver": "warroom", "groupKey": `{}:{alertname="` + name + `"}`,
		"groupLabels": map[string]string{"alertname": name}, "commonLabels": map[string]string{"alertname": name}, "alerts": as}
	data, _ := json.Marshal(p)
	return string(data)
}

func (e *env) writeFile(name, text string) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func TestAlertCommand(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	firing := e.writeFile("firing.json", amPayloadAt(now, "Payments5xx", "firing", map[string]time.Duration{"pay-1": 20 * time.Minute}, 0))
	out := e.ok("alert", firing)
	if !strings.HasPrefix(out, "declared INC-1: Payments5xx is failing (SEV1) from alert Payments5xx · alertmanager\n") ||
		!strings.Contains(out, "INC-1 #") || !strings.Contains(out, "appended: Alert firing: Payments5xx — Payments5xx is failing") {
		t.Fatalf("first: %s", out)
	}
	s := e.show("INC-1")
	if s.Title != "Payments5xx is failing" || s.Severity != "SEV1" || s.Status != "investigating" {
		t.Errorf("show: %+v", s)
	}
	n := len(s.Entries)
	var origin struct {
		Alert struct{ Source, Name, Key, Receiver string }
	}
	if err := json.Unmarshal([]byte(e.ok("show", "INC-1", "--json")), &origin); err != nil || origin.Alert.Source != "alertmanager" || origin.Alert.Name != "Payments5xx" || origin.Alert.Key != `{}:{alertname="Payments5xx"}` || origin.Alert.Receiver != "warroom" {
		t.Errorf("show --json alert: %+v %v", origin.Alert, err)
	}
	for _, en := range s.Entries {
		if en.Author != "alert:warroom" {
			t.Errorf("entry %q by %q", en.Text, en.Author)
		}
	}
	// Sent again, from stdin: already recorded, nothing added.
	r := e.runStdin(amPayloadAt(now, "Payments5xx", "firing", map[string]time.Duration{"pay-1": 20 * time.Minute}, 0), "alert", "-")
	if r.code != 0 || strings.Contains(r.stdout, "appended") || !strings.Contains(r.stdout, "INC-1: 2 entries already recorded") {
		t.Fatalf("resend: %d %q %q", r.code, r.stdout, r.stderr)
	}
	// Several payloads, one per line: a second alert, then all resolved.
	lines := amPayloadAt(now, "Payments5xx", "firing", map[string]time.Duration{"pay-1": 20 * time.Minute, "pay-2": 10 * time.Minute}, 0) + "\n" +
		amPayloadAt(now, "Payments5xx", "resolved", map[string]time.Duration{"pay-1": 20 * time.Minute, "pay-2": 10 * time.Minute}, 2*time.Minute) + "\n"
	r = e.runStdin(lines, "alert")
	if r.code != 0 || strings.Count(r.stdout, "appended: Alert resolved") != 2 || strings.Count(r.stdout, "appended: Alert firing") != 1 || !strings.Contains(r.stdout, "appended: Every alert of Payments5xx has resolved") {
		t.Fatalf("lines: %d %s %s", r.code, r.stdout, r.stderr)
	}
	s = e.show("INC-1")
	if len(s.Entries) != n+4 || s.Status != "investigating" {
		t.Errorf("%d entries (want %d), status %s", len(s.Entries), n+4, s.Status)
	}
	// PagerDuty, forced.
	pd := e.writeFile("pd.json", `{"event_action":"trigger","dedup_key":"disk-db1","payload":{"summary":"Disk full on db1","source":"db1","severity":"warning"}}`)
	if out := e.ok("alert", "--format", "pagerduty", pd); !strings.HasPrefix(out, "declared INC-2: Disk full on db1 (SEV3) from alert disk-db1 · pagerduty") {
		t.Errorf("pagerduty: %s", out)
	}
}

func TestAlertCommandRefusesBadInputWritingNothing(t *testing.T) {
	e := newEnv(t)
	good := amPayload("A", "firing", map[string]time.Duration{"x": time.Minute}, 0)
	future := amPayload("B", "firing", map[string]time.Duration{"x": -5 * time.Hour}, 0)
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{good + "\n{broken\n", []string{"alert"}, "payload 2 (line 2) is not JSON"},
		{good + "\n" + future + "\n", []string{"alert"}, "payload 2: alert B is dated"},
		{`{"event_action":"trigger"}`, []string{"alert", "--format", "alertmanager"}, "not an Alertmanager webhook"},
		{good, []string{"alert", "--format", "nagios"}, "format \"nagios\" is not known"},
		{"", []string{"alert"}, "holds no alert payload"},
	} {
		r := e.runStdin(tc.stdin, tc.args...)
		msg := strings.TrimSpace(r.stderr)
		if r.code != 1 || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
			t.Errorf("%v: exit %d, stderr %q, want one line with %q", tc.args, r.code, msg, tc.want)
		}
	}
	e.fails("cannot read", "alert", filepath.Join(e.dir, "missing.json"))
	e.fails("the alert receiver needs a token", "receive", "--listen", "127.0.0.1:0")
	if _, err := os.Stat(e.db); err == nil {
		out := e.ok("list", "--all", "--json")
		if strings.TrimSpace(out) != "[]" {
			t.Errorf("something was written: %s", out)
		}
	}
}

func TestAlertCommandPendingWhenDeclaringIsOff(t *testing.T) {
	e := newEnv(t)
	e.writeFile("config/warroom/config.toml", "[alerts]\ndeclare = false\n")
	out := e.ok("alert", e.writeFile("a.json", amPayload("Quiet", "firing", map[string]time.Duration{"x": time.Minute}, 0)))
	if !strings.Contains(out, "pending Quiet: Alert firing") || !strings.Contains(out, "waits as a pending alert") {
		t.Errorf("%s", out)
	}
	if out := e.ok("list", "--all", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("declared anyway: %s", out)
	}
}
