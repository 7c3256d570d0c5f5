package receiver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/alert"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

const token = "t0k3n-for-tests"

var testNow = time.Date(2026, 12, 6, 12, 30, 0, 0, time.UTC)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "alert", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type rig struct {
	t   *testing.T
	st  *store.Store
	srv *httptest.Server
}

func newRig(t *testing.T, mod func(o *Options)) *rig {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "warroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Store: st, Token: token, Rules: alert.DefaultRules(), Now: func() time.Time { return testNow }}
	if mod != nil {
		mod(&o)
	}
	h, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h) // loopback
	t.Cleanup(srv.Close)
	return &rig{t: t, st: st, srv: srv}
}

func (r *rig) post(path, auth string, body []byte) (int, string) {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.srv.Client().Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func (r *rig) incidents() []store.Summary {
	r.t.Helper()
	l, err := r.st.ListIncidents()
	if err != nil {
		r.t.Fatal(err)
	}
	return l
}

func oneSentence(t *testing.T, body, want string) {
	t.Helper()
	b := strings.TrimSuffix(body, "\n")
	if strings.Contains(b, "\n") || !strings.Contains(b, want) {
		t.Errorf("body %q, want one line with %q", body, want)
	}
}

func TestReceiverNeedsTheToken(t *testing.T) {
	r := newRig(t, nil)
	body := fixture(t, "am_firing.json")
	for _, auth := range []string{"", "Bearer wrong", "Bearer " + token + "x", "Basic " + token, token, "Bearer"} {
		code, msg := r.post("/alerts/alertmanager", auth, body)
		if code != http.StatusUnauthorized {
			t.Errorf("auth %q: %d", auth, code)
		}
		oneSentence(t, msg, "bearer token")
	}
	if n := len(r.incidents()); n != 0 {
		t.Fatalf("%d incidents written without the token", n)
	}
	if code, _ := r.post("/alerts/alertmanager", "bearer "+token, body); code != http.StatusAccepted {
		t.Errorf("right token: %d", code)
	}
	if _, err := New(Options{Store: r.st}); err == nil {
		t.Error("a receiver without a token was built")
	}
}

func TestReceiverAcceptsOnce(t *testing.T) {
	r := newRig(t, nil)
	auth := "Bearer " + token
	var rep Reply
	code, body := r.post("/alerts/alertmanager", auth, fixture(t, "am_firing.json"))
	if code != http.StatusAccepted || json.Unmarshal([]byte(body), &rep) != nil || !rep.Declared || rep.Incident != "INC-1" || rep.Added != 6 {
		t.Fatalf("%d %s", code, body)
	}
	code, body = r.post("/alerts/alertmanager", auth, fixture(t, "am_repeated.json"))
	rep = Reply{}
	if code != http.StatusAccepted || json.Unmarshal([]byte(body), &rep) != nil || rep.Declared || rep.Added != 0 || rep.Known == 0 || rep.Incident != "INC-1" {
		t.Fatalf("resend: %d %s", code, body)
	}
	// Grafana posts to the same endpoint.
	code, body = r.post("/alerts/alertmanager", auth, fixture(t, "grafana_firing.json"))
	if code != http.StatusAccepted || !strings.Contains(body, `"incident":"INC-2"`) {
		t.Fatalf("grafana: %d %s", code, body)
	}
	for _, f := range []string{"pd_trigger.json", "pd_ack.json", "pd_resolve.json"} {
		if code, body := r.post("/alerts/pagerduty", auth, fixture(t, f)); code != http.StatusAccepted || !strings.Contains(body, `"incident":"INC-3"`) {
			t.Fatalf("%s: %d %s", f, code, body)
		}
	}
	if code, body := r.post("/alerts/cdevents", auth, fixture(t, "cdevents_detected.json")); code != http.StatusAccepted || !strings.Contains(body, `"incident":"INC-4"`) {
		t.Fatalf("cdevents: %d %s", code, body)
	}
	inc, err := r.st.Incident(3)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Alert == nil || inc.Alert.Source != "pagerduty" || inc.Status != incident.Investigating {
		t.Errorf("pagerduty incident %+v", inc.Alert)
	}
}

func TestReceiverRefusesBadInput(t *testing.T) {
	r := newRig(t, func(o *Options) { o.MaxBody = 64 << 10 })
	auth := "Bearer " + token
	future := strings.ReplaceAll(string(fixture(t, "am_firing.json")), "2026-12-06T11:50:00Z", "2026-12-06T18:00:00Z")
	past := strings.ReplaceAll(string(fixture(t, "am_firing.json")), "2026-12-06T11:50:00Z", "2023-01-01T00:00:00Z")
	huge := `{"groupKey":"g","alerts":[{"status":"firing","startsAt":"2026-12-06T11:00:00Z","labels":{"x":"` + strings.Repeat("a", 70<<10) + `"}}]}`
	tests := []struct {
		name, path, body string
		code             int
		want             string
	}{
		{"invalid json", "/alerts/alertmanager", `{"groupKey": `, 400, "not a JSON object"},
		{"not an alert", "/alerts/alertmanager", `{"hello":"world"}`, 400, "not an alert warroom knows"},
		{"pagerduty to alertmanager", "/alerts/alertmanager", string(fixture(t, "pd_trigger.json")), 400, "post it to /alerts/pagerduty"},
		{"alertmanager to pagerduty", "/alerts/pagerduty", string(fixture(t, "am_firing.json")), 400, "not a PagerDuty event"},
		{"alertmanager to cdevents", "/alerts/cdevents", string(fixture(t, "am_firing.json")), 400, "not a CDEvent"},
		{"future", "/alerts/alertmanager", future, 400, "ahead of this machine's clock"},
		{"years ago", "/alerts/alertmanager", past, 400, "more than a year ago"},
		{"huge", "/alerts/alertmanager", huge, 413, "over the limit"},
		{"nowhere", "/alerts/nagios", "{}", 404, "post alerts to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := r.post(tc.path, auth, []byte(tc.body))
			if code != tc.code {
				t.Errorf("%d %s, want %d", code, body, tc.code)
			}
			oneSentence(t, body, tc.want)
		})
	}
	// A huge body without a length (chunked) is cut off too.
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/alerts/alertmanager", io.MultiReader(strings.NewReader(huge)))
	req.Header.Set("Authorization", auth)
	req.ContentLength = -1
	resp, err := r.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked huge body: %d", resp.StatusCode)
	}
	// GET is not taken.
	req, _ = http.NewRequest(http.MethodGet, r.srv.URL+"/alerts/alertmanager", nil)
	req.Header.Set("Authorization", auth)
	resp, err = r.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	if n := len(r.incidents()); n != 0 {
		t.Fatalf("%d incidents written by bad requests", n)
	}
	// And it keeps serving.
	if code, body := r.post("/alerts/alertmanager", auth, fixture(t, "am_firing.json")); code != http.StatusAccepted {
		t.Errorf("after the bad ones: %d %s", code, body)
	}
}

func TestReceiverCleansHostileLabels(t *testing.T) {
	r := newRig(t, nil)
	code, body := r.post("/alerts/alertmanager", "Bearer "+token, fixture(t, "am_hostile.json"))
	if code != http.StatusAccepted {
		t.Fatalf("%d %s", code, body)
	}
	inc, err := r.st.Incident(1)
	if err != nil {
		t.Fatal(err)
	}
	all := []string{inc.Title, strings.Join(inc.Tags, " ")}
	for _, e := range inc.Entries {
		all = append(all, e.Text)
	}
	for _, s := range all {
		if strings.ContainsAny(s, "\x1b\x07\u202e\u202c\u200b\r\n") || strings.Contains(s, "javascript:") {
			t.Errorf("stored %q", s)
		}
	}
}

// 1,000 posts from 20 clients while another process-like writer (a second
// Store on the same file) appends to an incident: every distinct alert is
// stored once, none lost, none refused.
func TestReceiverUnderLoad(t *testing.T) {
	r := newRig(t, nil)
	const groups, perGroup, repeats, clients = 25, 10, 4, 20
	var bodies [][]byte
	for g := range groups {
		for i := range perGroup {
			p := map[string]any{
				"version": "4", "status": "firing", "receiver": "load",
				"groupKey":    fmt.Sprintf(`{}:{alertname="Load%d"}`, g),
				"groupLabels": map[string]string{"alertname": fmt.Sprintf("Load%d", g)},
				"alerts": []map[string]any{{
					"status": "firing", "fingerprint": fmt.Sprintf("fp-%d-%d", g, i),
					"labels":      map[string]string{"alertname": fmt.Sprintf("Load%d", g), "instance": fmt.Sprintf("i%d", i)},
					"annotations": map[string]string{"summary": fmt.Sprintf("load group %d", g)},
					"startsAt":    testNow.Add(-time.Duration(i+1) * time.Minute).Format(time.RFC3339),
				}},
			}
			data, _ := json.Marshal(p)
			for range repeats {
				bodies = append(bodies, data)
			}
		}
	}
	rand.Shuffle(len(bodies), func(i, j int) { bodies[i], bodies[j] = bodies[j], bodies[i] })

	// The other writer: a second handle on the file, as a cockpit or a
	// script in another terminal has.
	other, err := store.Open(r.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	inc, err := incident.NewIncident("Typed by a person meanwhile", 2, testNow, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	typed, err := other.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	writerDone := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				writerDone <- n
				return
			default:
			}
			if _, err := other.AppendEntry(typed.ID, incident.Entry{At: time.Now(), Author: "amara", Kind: incident.KindNote, Text: fmt.Sprintf("note %d", n)}); err != nil {
				t.Error(err)
				writerDone <- n
				return
			}
			n++
		}
	}()

	work := make(chan []byte)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	client := r.srv.Client()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range work {
				req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/alerts/alertmanager", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				code := 0
				if err == nil {
					code = resp.StatusCode
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		}()
	}
	for _, b := range bodies {
		work <- b
	}
	close(work)
	wg.Wait()
	close(stop)
	notes := <-writerDone

	if codes[http.StatusAccepted] != len(bodies) {
		t.Fatalf("answers %v, want %d × 202", codes, len(bodies))
	}
	list := r.incidents()
	if len(list) != groups+1 {
		t.Fatalf("%d incidents, want %d", len(list), groups+1)
	}
	for _, s := range list {
		full, err := r.st.Incident(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.ID == typed.ID {
			if len(full.Entries) != notes+1 {
				t.Errorf("the other writer's incident has %d entries, want %d", len(full.Entries), notes+1)
			}
			continue
		}
		seen := map[string]int{}
		for _, e := range full.Entries {
			if strings.HasPrefix(e.Text, "Alert firing:") {
				seen[e.Text]++
			}
		}
		if len(seen) != perGroup {
			t.Errorf("%s: %d distinct alerts, want %d", full.Key(), len(seen), perGroup)
		}
		for text, n := range seen {
			if n != 1 {
				t.Errorf("%s: %q stored %d times", full.Key(), text, n)
			}
		}
	}
	rep, err := r.st.Check()
	if err != nil || len(rep.Problems) > 0 {
		t.Errorf("check: %v %q", err, rep.Problems)
	}
}

// Grafana's "Test" button on a contact point is answered 202 and declares
// nothing: it proves the contact point reaches warroom.
func TestReceiverTakesGrafanasTestWithoutAnIncident(t *testing.T) {
	r := newRig(t, nil)
	code, body := r.post("/alerts/alertmanager", "Bearer "+token, fixture(t, "grafana_test_notification.json"))
	if code != http.StatusAccepted || !strings.Contains(body, "contact point test") {
		t.Fatalf("%d %s", code, body)
	}
	if l := r.incidents(); len(l) != 0 {
		t.Fatalf("the test declared %d incidents", len(l))
	}
	pend, err := r.st.PendingAlerts()
	if err != nil || len(pend) != 0 {
		t.Fatalf("the test waits as a pending alert: %v %v", pend, err)
	}
}
