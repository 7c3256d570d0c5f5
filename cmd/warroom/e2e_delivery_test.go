package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// postLog is a loopback webhook that records every post it gets, in order.
type postLog struct {
	*httptest.Server
	mu    sync.Mutex
	posts []string
	// onPost runs after a post is recorded and before it is answered.
	onPost func(n int, body string)
}

func newPostLog(t *testing.T) *postLog {
	p := &postLog{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.posts = append(p.posts, string(b))
		n, hook := len(p.posts), p.onPost
		p.mu.Unlock()
		if hook != nil {
			hook(n, string(b))
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *postLog) snapshot() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.posts...)
}

// webhookDeliveries are an update's deliveries to webhooks (the
// clipboard's left out).
func webhookDeliveries(t *testing.T, raw json.RawMessage) []deliveryJSON {
	t.Helper()
	var out []deliveryJSON
	for _, d := range deliveries(t, raw) {
		if d.Target != "clipboard" {
			out = append(out, d)
		}
	}
	return out
}

// publishInCockpit drafts text and publishes it from the capture line.
func publishInCockpit(s *tmuxSession, text string) {
	s.typeText("/draft " + text)
	s.keys("Enter")
	s.waitFor(text, 3*time.Second)
	s.typeText("/publish")
	s.keys("Enter")
}

// TestDeliveryKilledAfterPublishingArrivesOnce: the cockpit is killed with
// SIGKILL while its post is at the receiver (the worst moment: the update
// arrived, the outcome was never recorded). Opened again, the cockpit says
// the update may have arrived instead of posting it again, and the next
// update is posted once: every update reaches the receiver exactly once.
func TestDeliveryKilledAfterPublishingArrivesOnce(t *testing.T) {
	requireTmux(t)
	hook := newPostLog(t)
	e := newEnv(t)
	writeConfig(t, e, fmt.Sprintf("webhooks = [%q]\n", hook.URL+"/services/T0/B0/secret"))
	id := e.newIncident("Checkout failing", "--sev", "2")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Public update", 5*time.Second)
	var pid atomic.Int64
	pid.Store(int64(s.warroomPID()))
	killed := make(chan struct{})
	hook.mu.Lock()
	hook.onPost = func(n int, _ string) {
		if n == 1 {
			_ = syscall.Kill(int(pid.Load()), syscall.SIGKILL)
			close(killed)
		}
	}
	hook.mu.Unlock()

	publishInCockpit(s, "We are investigating failed card payments.")
	select {
	case <-killed:
	case <-time.After(10 * time.Second):
		t.Fatalf("the update never reached the webhook:\n%s", s.screen())
	}
	s.waitExit(5 * time.Second)

	// The try was journaled before it was sent.
	js := e.show(id)
	if len(js.Updates) != 1 {
		t.Fatalf("updates after the kill: %+v", js.Updates)
	}
	if ds := webhookDeliveries(t, js.Updates[0].Delivery); len(ds) != 1 || ds[0].State != "pending" || ds[0].Attempts != 1 {
		t.Fatalf("stored after the kill %+v, want pending with its one try recorded", ds)
	}

	s2 := e.startTmuxNamed("again", 120, 40, "open", id)
	s2.waitFor("unknown — may have arrived", 30*time.Second) // -race on a loaded machine: the first tick may come late
	if ds := webhookDeliveries(t, e.show(id).Updates[0].Delivery); len(ds) != 1 || ds[0].State != "unknown" {
		t.Fatalf("stored after reopening %+v, want unknown", ds)
	}
	publishInCockpit(s2, "The payment provider fixed the fault.")
	s2.waitFor("reached 1 webhook", 10*time.Second)
	// A few ticks, in which a resume would have run.
	time.Sleep(2500 * time.Millisecond)
	s2.keys("C-c")
	s2.waitExit(5 * time.Second)

	got := hook.snapshot()
	want := []string{`{"text":"We are investigating failed card payments."}`, `{"text":"The payment provider fixed the fault."}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the webhook received %q, want each update exactly once: %q", got, want)
	}
	// A third process publishing from the command line re-sends nothing.
	e.ok("log", "-i", id, "/publish Payments work again.")
	if got := hook.snapshot(); len(got) != 3 || got[2] != `{"text":"Payments work again."}` {
		t.Fatalf("after a third publish the webhook received %q", got)
	}
}

// TestDeliverySlowEndpointIsUnknownNotResent: an endpoint that takes the
// post but answers after the 5 s timeout is shown "unknown — may have
// arrived", and is not posted again, by that cockpit or the next one,
// until the person asks (r).
func TestDeliverySlowEndpointIsUnknownNotResent(t *testing.T) {
	requireTmux(t)
	hook := newPostLog(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hook.onPost = func(n int, _ string) {
		if n > 1 {
			return // the endpoint is fast again
		}
		select {
		case <-release:
		case <-time.After(8 * time.Second):
		}
	}
	e := newEnv(t)
	writeConfig(t, e, fmt.Sprintf("webhooks = [%q]\n", hook.URL+"/services/T0/B0/secret"))
	id := e.newIncident("Checkout failing", "--sev", "2")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Public update", 5*time.Second)
	publishInCockpit(s, "We are investigating failed card payments.")
	s.waitFor("unknown — may have arrived", 15*time.Second)
	time.Sleep(4 * time.Second) // past the slow answer and the retry backoff
	s.keys("C-c")
	s.waitExit(5 * time.Second)
	ds := webhookDeliveries(t, e.show(id).Updates[0].Delivery)
	if len(ds) != 1 || ds[0].State != "unknown" || ds[0].Attempts != 1 || !strings.Contains(ds[0].Error, "no answer within 5s after the update was sent") {
		t.Fatalf("stored %+v, want unknown after one try", ds)
	}
	s2 := e.startTmuxNamed("again", 120, 40, "open", id)
	s2.waitFor("unknown — may have arrived", 5*time.Second)
	time.Sleep(2500 * time.Millisecond)
	if got := hook.snapshot(); len(got) != 1 {
		t.Fatalf("the slow webhook received %d posts, want 1: %q", len(got), got)
	}
	// The person finds it did not arrive and asks: r in the comms pane
	// sends it again, once.
	s2.keys("Tab", "Tab")
	s2.typeText("r")
	s2.waitFor("reached 1 webhook", 10*time.Second)
	s2.waitFor("✓ sent", 5*time.Second)
	s2.keys("C-c")
	s2.waitExit(5 * time.Second)
	if got := hook.snapshot(); len(got) != 2 || got[1] != got[0] {
		t.Fatalf("after r the webhook received %q, want the update twice in all", got)
	}
	if ds := webhookDeliveries(t, e.show(id).Updates[0].Delivery); len(ds) != 1 || ds[0].State != "sent" || ds[0].Attempts != 2 {
		t.Fatalf("stored %+v, want sent on the second try", ds)
	}
}
