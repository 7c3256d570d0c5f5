package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCommsEndToEnd writes a public update in the real cockpit in tmux: the
// jargon check flags it, the first /publish asks, y publishes, and
// a local webhook receives Slack's JSON; the delivery is stored.
func TestCommsEndToEnd(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	defer hook.Close()

	e := newEnv(t)
	cfgDir := filepath.Join(e.dir, "config", "warroom")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("webhooks = [%q]\n", hook.URL+"/services/T0/B0/secret")
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	id := e.newIncident("Checkout failing", "--sev", "2")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Public update", 5*time.Second)
	s.waitFor("investigating draft", 5*time.Second)

	s.typeText("/draft Rolled back the deploy & the k8s pods are healthy.")
	s.keys("Enter")
	s.waitFor("4 unclear to customers", 3*time.Second)
	s.waitFor(`"k8s" technical term`, 3*time.Second)

	s.typeText("/publish")
	s.keys("Enter")
	s.waitFor("may confuse customers", 3*time.Second)
	s.waitFor("y/enter publishes", 3*time.Second)
	s.typeText("y")
	s.waitFor("reached 1 webhook", 5*time.Second)
	s.waitFor("✓ sent", 3*time.Second)

	mu.Lock()
	got := append([]string(nil), bodies...)
	mu.Unlock()
	want := `{"text":"Rolled back the deploy &amp; the k8s pods are healthy."}`
	if len(got) != 1 || got[0] != want {
		t.Fatalf("the webhook received %q, want [%s]", got, want)
	}
	s.keys("C-c")
	s.waitExit(3 * time.Second)

	js := e.show(id)
	if len(js.Updates) != 1 || js.Updates[0].Text != "Rolled back the deploy & the k8s pods are healthy." {
		t.Fatalf("show --json updates = %+v", js.Updates)
	}
	var ds []struct {
		Target, State string
	}
	if err := json.Unmarshal(js.Updates[0].Delivery, &ds); err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, d := range ds {
		states = append(states, d.Target+"="+d.State)
		if strings.Contains(d.Target, "secret") {
			t.Errorf("the stored target %q keeps the webhook's secret", d.Target)
		}
	}
	if len(ds) != 2 || ds[0].State != "copied" || ds[1].State != "sent" {
		t.Errorf("deliveries = %v, want the clipboard copied and the webhook sent", states)
	}
	if !js.hasEntry("public", "Rolled back the deploy & the k8s pods are healthy.") {
		t.Error("no public entry on the timeline")
	}
}
