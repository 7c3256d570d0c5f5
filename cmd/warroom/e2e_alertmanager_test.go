package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// alertmanagerBinary finds Debian's prometheus-alertmanager (or an
// upstream alertmanager): skipped without one on a developer's machine,
// a failure in CI, where .ci/run installs it.
func alertmanagerBinary(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"prometheus-alertmanager", "alertmanager"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("WARROOM_E2E_REQUIRED") != "" {
		t.Fatal("Alertmanager is required for the alert end-to-end test (WARROOM_E2E_REQUIRED is set); install it with apt-get install prometheus-alertmanager")
	}
	t.Skip("prometheus-alertmanager not installed; the alert end-to-end test needs it")
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startReceive runs `warroom receive` on a free loopback port and returns
// its base URL and its log.
func startReceive(t *testing.T, e *env, args ...string) (string, *lockedBuffer) {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"receive", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = e.environ()
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// SIGTERM: the receiver stops taking requests and ends cleanly.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("warroom receive after SIGTERM: %v\n%s", err, stderr)
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("warroom receive did not stop on SIGTERM")
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("warroom receive said nothing: %v\n%s", err, stderr)
	}
	// "warroom alert receiver on http://127.0.0.1:PORT/alerts/ (database ...)"
	_, rest, ok := strings.Cut(line, "http://")
	addr, _, _ := strings.Cut(rest, "/")
	if !ok || addr == "" {
		t.Fatalf("no address in %q", line)
	}
	return "http://" + addr, stderr
}

// TestAlertmanagerEndToEnd: a real Alertmanager with a webhook receiver
// pointing at `warroom receive` (the token in http_config.authorization).
// Alerts posted to its API declare one incident, its resends every
// repeat_interval add nothing, a second alert of the group and the
// resolution of both are appended once, and an open cockpit shows them.
func TestAlertmanagerEndToEnd(t *testing.T) {
	am := alertmanagerBinary(t)
	requireTmux(t)
	e := newEnv(t)
	const token = "e2e-alert-token"
	e.writeFile("config/warroom/config.toml", "[alerts]\ntoken_file = \"alert.token\"\ntag_labels = [\"service\"]\n")
	e.writeFile("config/warroom/alert.token", token+"\n")
	base, recvLog := startReceive(t, e)

	// The token is required: a request without it writes nothing.
	resp, err := http.Post(base+"/alerts/alertmanager", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: %d", resp.StatusCode)
	}

	amAddr := freeAddr(t)
	cfg := fmt.Sprintf(`route:
  receiver: warroom
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 3s
receivers:
- name: warroom
  webhook_configs:
  - url: %s/alerts/alertmanager
    send_resolved: true
    http_config:
      authorization:
        type: Bearer
        credentials: %s
`, base, token)
	cfgPath := e.writeFile("alertmanager.yml", cfg)
	amCmd := exec.Command(am, "--config.file="+cfgPath, "--storage.path="+filepath.Join(e.dir, "am-data"),
		"--web.listen-address="+amAddr, "--cluster.listen-address=", "--log.level=debug")
	amLog := &lockedBuffer{}
	amCmd.Stdout, amCmd.Stderr = amLog, amLog
	if err := amCmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = amCmd.Process.Kill(); _ = amCmd.Wait() })
	amURL := "http://" + amAddr
	waitUntil(t, 30*time.Second, "Alertmanager to be ready", func() bool {
		r, err := http.Get(amURL + "/-/ready")
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusOK
	}, amLog)

	started := time.Now().UTC().Add(-2 * time.Minute).Truncate(time.Second)
	post := func(instance string, ended time.Time) {
		t.Helper()
		a := map[string]any{
			"labels":       map[string]string{"alertname": "E2EPayments", "service": "payments", "severity": "critical", "instance": instance},
			"annotations":  map[string]string{"summary": "Payments API returns 5xx", "runbook_url": "https://runbooks.example.com/payments"},
			"startsAt":     started.Format(time.RFC3339),
			"generatorURL": "http://prometheus.example.com/graph",
		}
		if !ended.IsZero() {
			a["endsAt"] = ended.Format(time.RFC3339)
		}
		body, _ := json.Marshal([]any{a})
		r, err := http.Post(amURL+"/api/v2/alerts", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusOK {
			t.Fatalf("posting to Alertmanager: %d", r.StatusCode)
		}
	}
	post("pay-1", time.Time{})

	var list []struct {
		ID, Title, Severity, Status string
	}
	waitUntil(t, 60*time.Second, "an incident to be declared", func() bool {
		out := e.ok("list", "--all", "--json")
		list = nil
		_ = json.Unmarshal([]byte(out), &list)
		return len(list) > 0
	}, recvLog, amLog)
	if len(list) != 1 || list[0].ID != "INC-1" || list[0].Title != "Payments API returns 5xx" || list[0].Severity != "SEV1" {
		t.Fatalf("declared %+v", list)
	}
	first := e.show("INC-1")

	// An open cockpit follows what the receiver writes.
	cockpit := e.startTmux(140, 40, "open", "INC-1")
	cockpit.waitFor("Payments API returns 5xx", 15*time.Second)

	// Alertmanager resends the group every repeat_interval: nothing is added.
	resends := func() int { return strings.Count(recvLog.String(), "added=0 ") }
	waitUntil(t, 60*time.Second, "two resends", func() bool { return resends() >= 2 }, recvLog, amLog)
	if again := e.show("INC-1"); len(again.Entries) != len(first.Entries) {
		t.Fatalf("resends added entries: %d, then %d", len(first.Entries), len(again.Entries))
	}

	// A second alert joins the group: appended once, and on the cockpit.
	post("pay-2", time.Time{})
	waitUntil(t, 60*time.Second, "the cockpit to show the second alert", func() bool {
		return strings.Count(cockpit.screen(), "Alert firing: E2EPayments") == 2
	}, recvLog, amLog)
	waitUntil(t, 60*time.Second, "a resend after the second alert", func() bool {
		n := resends()
		return n >= 3 && strings.Count(e.ok("show", "INC-1"), "pay-2") >= 1
	}, recvLog, amLog)

	// Both resolve (endsAt in the past).
	ended := time.Now().UTC().Add(-10 * time.Second).Truncate(time.Second)
	post("pay-1", ended)
	post("pay-2", ended)
	var s showJSON
	waitUntil(t, 60*time.Second, "the resolution", func() bool {
		s = e.show("INC-1")
		return s.hasEntry("note", "Every alert of E2EPayments has resolved; the incident stays open until a person resolves it")
	}, recvLog, amLog)
	counts := map[string]int{}
	for _, en := range s.Entries {
		if en.Author != "alert:warroom" {
			t.Errorf("entry %q by %q", en.Text, en.Author)
		}
		counts[en.Text]++
	}
	for text, n := range counts {
		if n != 1 {
			t.Errorf("%q recorded %d times", text, n)
		}
	}
	var firing, resolved int
	for text := range counts {
		switch {
		case strings.HasPrefix(text, "Alert firing: E2EPayments"):
			firing++
		case strings.HasPrefix(text, "Alert resolved: E2EPayments"):
			resolved++
		}
	}
	if firing != 2 || resolved != 2 {
		t.Errorf("%d firing and %d resolved entries, want 2 and 2:\n%v", firing, resolved, counts)
	}
	if s.Status != "investigating" {
		t.Errorf("an alert changed the status to %s", s.Status)
	}
	if l := e.ok("list", "--all", "--json"); strings.Count(l, `"id"`) != 1 {
		t.Errorf("more than one incident: %s", l)
	}
	cockpit.waitFor("Every alert of E2EPayments has resolved", 30*time.Second)
}

// waitUntil polls cond until it holds, failing with the logs after timeout.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool, logs ...*lockedBuffer) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			var all []string
			for _, l := range logs {
				all = append(all, l.String())
			}
			t.Fatalf("waited %v for %s; logs:\n%s", timeout, what, strings.Join(all, "\n----\n"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestServeAlsoReceivesAlerts: `warroom serve --alerts ADDR` holds the room
// and the receiver in one process, and stops both on SIGTERM.
func TestServeAlsoReceivesAlerts(t *testing.T) {
	e := newEnv(t)
	e.writeFile("config/warroom/config.toml", "[alerts]\ntoken = \"room-token\"\n")
	team := e.writeFile("team_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPXuaWKkURx0TWSfprXpXAqB8dd2Yn5KPiHkjDIP7DRE amara@laptop\n")
	cmd := exec.Command(binPath, "serve", "--listen", "127.0.0.1:0", "--alerts", "127.0.0.1:0", "--authorized-keys", team, "--host-key", filepath.Join(e.dir, "host_key"))
	cmd.Env = e.environ()
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	rd := bufio.NewReader(out)
	var base string
	for base == "" {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("serve said no receiver address: %v\n%s", err, stderr)
		}
		if _, rest, ok := strings.Cut(line, "alert receiver on http://"); ok {
			addr, _, _ := strings.Cut(rest, "/")
			base = "http://" + addr
		}
	}
	body := amPayload("RoomAlert", "firing", map[string]time.Duration{"x": time.Minute}, 0)
	req, _ := http.NewRequest(http.MethodPost, base+"/alerts/alertmanager", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer room-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("post: %d\n%s", resp.StatusCode, stderr)
	}
	if l := e.ok("list", "--json"); !strings.Contains(l, "RoomAlert is failing") {
		t.Errorf("list: %s", l)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop on SIGTERM\n%s", stderr)
	}
	if !strings.Contains(stderr.String(), "alert") {
		t.Errorf("the request was not logged:\n%s", stderr)
	}
}
