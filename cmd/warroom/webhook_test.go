package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hookLog is a loopback webhook for the command tests. While hang is set
// it takes requests and never answers (a slow endpoint); otherwise it
// answers 200 and counts the delivery ids it answered.
type hookLog struct {
	*httptest.Server
	hang     atomic.Bool
	mu       sync.Mutex
	bodies   []string
	answered map[string]int // X-Warroom-Delivery -> 2xx answers
	sigs     []string
}

func newHookLog(t *testing.T) *hookLog {
	h := &hookLog{answered: map[string]int{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		h.sigs = append(h.sigs, r.Header.Get("X-Warroom-Signature"))
		h.mu.Unlock()
		if h.hang.Load() {
			select {
			case <-r.Context().Done():
			case <-time.After(30 * time.Second):
			}
			return
		}
		h.mu.Lock()
		h.answered[r.Header.Get("X-Warroom-Delivery")]++
		h.mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookLog) snapshot() (bodies []string, answered map[string]int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	answered = map[string]int{}
	for k, v := range h.answered {
		answered[k] = v
	}
	return append([]string(nil), h.bodies...), answered
}

type deliveryJSON struct {
	Target, State, Error string
	Attempts             int
}

func deliveries(t *testing.T, raw json.RawMessage) []deliveryJSON {
	t.Helper()
	var ds []deliveryJSON
	if err := json.Unmarshal(raw, &ds); err != nil {
		t.Fatalf("delivery %s: %v", raw, err)
	}
	return ds
}

func TestWebhookTestNoneConfigured(t *testing.T) {
	e := newEnv(t)
	out := e.ok("webhook", "test")
	if !strings.Contains(out, "No webhook is configured") || !strings.Contains(out, "config.toml") {
		t.Errorf("webhook test with none configured printed %q", out)
	}
}

func TestWebhookTestEachTarget(t *testing.T) {
	good := newHookLog(t)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "no_service")
	}))
	defer bad.Close()
	e := newEnv(t)
	writeConfig(t, e, fmt.Sprintf(`webhooks = [%q]

[[webhook]]
name = "status page"
url = %q
format = "json"
secret = "k3y"
`, bad.URL+"/services/T/B/secret", good.URL+"/in"))
	r := e.run("webhook", "test")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 with a failed target\n%s%s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one line per target, got %q", r.stdout)
	}
	if !strings.HasPrefix(lines[0], "failed  ") || !strings.Contains(lines[0], "404 Not Found: no_service") || strings.Contains(lines[0], "secret") {
		t.Errorf("line for the bad target: %q", lines[0])
	}
	if lines[1] != "ok      status page (json)" {
		t.Errorf("line for the good target: %q", lines[1])
	}
	if !strings.Contains(r.stderr, "1 of 2 webhooks failed the test") {
		t.Errorf("stderr %q", r.stderr)
	}
	bodies, _ := good.snapshot()
	if len(bodies) != 1 || !strings.Contains(bodies[0], `"test":true`) || !strings.Contains(bodies[0], "[TEST]") || !strings.Contains(bodies[0], "No incident is happening") {
		t.Fatalf("the good target got %q, want one labelled test message", bodies)
	}
	mac := hmac.New(sha256.New, []byte("k3y"))
	mac.Write([]byte(bodies[0]))
	if good.sigs[0] != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
		t.Errorf("signature %q does not match the body", good.sigs[0])
	}
	// All good: exit 0.
	writeConfig(t, e, fmt.Sprintf("webhooks = [%q]\n", good.URL+"/slack"))
	if out := e.ok("webhook", "test"); !strings.HasPrefix(out, "ok      "+good.URL+"/…lack (slack)") {
		t.Errorf("output %q", out)
	}
}

func TestConfigWarningsNameTheTargetAndTheRestWork(t *testing.T) {
	good := newHookLog(t)
	e := newEnv(t)
	writeConfig(t, e, fmt.Sprintf(`author = "amara"

[[webhook]]
name = "ops"
url = "https://ops.example.com/hook"
format = "dicord"

[[webhook]]
url = %q
`, good.URL+"/in"))
	r := e.run("config")
	if r.code != 1 {
		t.Fatalf("warroom config exit %d, want 1 on a warning", r.code)
	}
	if !strings.Contains(r.stderr, `config.toml line 3: [[webhook]] "ops" has format "dicord", which is not known`) || !strings.Contains(r.stderr, "has 1 warning") {
		t.Errorf("stderr %q", r.stderr)
	}
	if !strings.Contains(r.stdout, "webhook ") || !strings.Contains(r.stdout, "(slack, default)") {
		t.Errorf("config output does not list the good target:\n%s", r.stdout)
	}
	// Other commands warn and go on; the good target gets the update.
	id := e.newIncident("Checkout failing")
	r = e.run("log", "-i", id, "/publish We are investigating.")
	if r.code != 0 || !strings.Contains(r.stderr, `warning:`) || !strings.Contains(r.stderr, `"ops"`) {
		t.Fatalf("log /publish: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if bodies, _ := good.snapshot(); len(bodies) != 1 || bodies[0] != `{"text":"We are investigating."}` {
		t.Errorf("the good target got %q", bodies)
	}
}

// TestPublishWaitsBrieflyThenResumes: a hook that never answers costs
// `warroom log /publish` a few seconds, not the whole retry schedule. The
// request went out, so a chat target is "unknown — may have arrived" and
// never posted again by itself; a json target (which drops repeats by id)
// is left pending and the next command that publishes sends it, once, and
// lists it once. (This test used to want the chat target resumed too,
// which posted the update twice.)
func TestPublishWaitsBrieflyThenResumes(t *testing.T) {
	chat := newHookLog(t)
	js := newHookLog(t)
	chat.hang.Store(true)
	js.hang.Store(true)
	e := newEnv(t)
	writeConfig(t, e, fmt.Sprintf(`webhooks = [%q]

[[webhook]]
name = "ops"
url = %q
format = "json"
`, chat.URL+"/hook", js.URL+"/in"))
	id := e.newIncident("Checkout failing")
	start := time.Now()
	r := e.run("log", "-i", id, "/publish We are investigating.")
	took := time.Since(start)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if took > 12*time.Second {
		t.Errorf("log /publish took %s with a hook that never answers; want a few seconds", took)
	}
	if !strings.Contains(r.stderr, "delivery to ops is not finished after 4s and is left to the cockpit or the next warroom command that publishes") {
		t.Errorf("stderr %q does not say the json delivery is left to be resumed", r.stderr)
	}
	if !strings.Contains(r.stderr, "/hook is unknown — may have arrived (warroom stopped waiting for an answer after the update was sent). It is not sent again by itself") {
		t.Errorf("stderr %q does not say the chat delivery is unknown", r.stderr)
	}
	s := e.show(id)
	ds := deliveries(t, s.Updates[0].Delivery)
	if len(ds) != 2 || ds[0].State != "unknown" || ds[1].State != "pending" || ds[1].Error == "" {
		t.Fatalf("stored %+v, want the chat target unknown and the json one parked with a reason", ds)
	}

	// The hooks recover; the next update brings the first along to the
	// json target only, and lists that once.
	chat.hang.Store(false)
	js.hang.Store(false)
	r = e.run("log", "-i", id, "/publish Issue identified.")
	if r.code != 0 || strings.Count(r.stdout, "sent to") != 3 || strings.Count(r.stdout, "resumed") != 1 ||
		!strings.Contains(r.stdout, "sent to ops (the ") {
		t.Fatalf("second publish: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	s = e.show(id)
	if ds := deliveries(t, s.Updates[0].Delivery); ds[0].State != "unknown" || ds[1].State != "sent" {
		t.Errorf("first update's deliveries %+v, want unknown and sent", ds)
	}
	if ds := deliveries(t, s.Updates[1].Delivery); ds[0].State != "sent" || ds[1].State != "sent" {
		t.Errorf("second update's deliveries %+v, want sent", ds)
	}
	// A third publish sends only itself and lists nothing resumed.
	out := e.ok("log", "-i", id, "/publish Still working on it.")
	if strings.Contains(out, "resumed") {
		t.Errorf("third publish lists resumed deliveries: %q", out)
	}
	// The chat hook got each update exactly once; the json hook answered
	// each delivery id once.
	bodies, _ := chat.snapshot()
	if want := []string{`{"text":"We are investigating."}`, `{"text":"Issue identified."}`, `{"text":"Still working on it."}`}; !slices.Equal(bodies, want) {
		t.Errorf("the chat hook got %q, want each update once", bodies)
	}
	_, answered := js.snapshot()
	if len(answered) != 3 {
		t.Errorf("answered %v, want 3 delivery ids", answered)
	}
	for k, n := range answered {
		if n != 1 {
			t.Errorf("delivery %s was answered %d times, want once", k, n)
		}
	}
	// A backfilled /publish is never delivered.
	before, _ := chat.snapshot()
	out = e.ok("log", "-i", id, "--at", "-2h", "/publish Looking into it.")
	if after, _ := chat.snapshot(); len(after) != len(before) || strings.Contains(out, "sent to") {
		t.Errorf("a backfilled update was delivered: %q", out)
	}
}

// TestCockpitResumesPendingOnOpen: what a command left pending is sent by
// the next cockpit as soon as it opens, once.
func TestCockpitResumesPendingOnOpen(t *testing.T) {
	h := newHookLog(t)
	h.hang.Store(true)
	e := newEnv(t)
	writeConfig(t, e, fmt.Sprintf(`[[webhook]]
url = %q
format = "json"
`, h.URL+"/in"))
	id := e.newIncident("Checkout failing")
	e.ok("log", "-i", id, "/publish We are investigating.")
	if ds := deliveries(t, e.show(id).Updates[0].Delivery); len(ds) != 1 || ds[0].State != "pending" {
		t.Fatalf("stored %+v, want pending", ds)
	}
	h.hang.Store(false)
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Public update", 5*time.Second)
	s.waitFor("✓ sent", 10*time.Second)
	s.keys("C-c")
	s.waitExit(3 * time.Second)
	ds := deliveries(t, e.show(id).Updates[0].Delivery)
	if len(ds) != 1 || ds[0].State != "sent" || ds[0].Attempts < 2 {
		t.Fatalf("stored %+v, want sent after the parked try", ds)
	}
	// Open again: nothing is sent twice.
	s = e.startTmuxNamed("again", 120, 40, "open", id)
	s.waitFor("✓ sent", 5*time.Second)
	time.Sleep(1500 * time.Millisecond) // a tick or so
	s.keys("C-c")
	s.waitExit(3 * time.Second)
	bodies, answered := h.snapshot()
	if len(answered) != 1 {
		t.Fatalf("answered %v, want one delivery id", answered)
	}
	for _, n := range answered {
		if n != 1 {
			t.Errorf("the update was answered %d times, want once (bodies %q)", n, bodies)
		}
	}
	if !strings.Contains(bodies[len(bodies)-1], `"incident":"INC-1"`) {
		t.Errorf("resumed body %s", bodies[len(bodies)-1])
	}
}
