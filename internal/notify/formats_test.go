package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/warroom-cli/warroom/internal/incident"
)

// request is one request a receiver got.
type request struct {
	header http.Header
	body   []byte
}

// receiver is a loopback webhook that records requests and answers with
// the handler's status and body (200 "ok" when answer is nil).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []request
	answer func(n int, w http.ResponseWriter)
}

func newReceiver(t *testing.T, answer func(n int, w http.ResponseWriter)) *receiver {
	rc := &receiver{answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		rc.mu.Lock()
		rc.got = append(rc.got, request{r.Header.Clone(), body})
		n := len(rc.got)
		rc.mu.Unlock()
		if rc.answer == nil {
			_, _ = io.WriteString(w, "ok")
			return
		}
		rc.answer(n, w)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.got...)
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("body %s is not a JSON object: %v", b, err)
	}
	return v
}

const mentions = "Payments & refunds <slow> <!channel> <!here> <@U123> @everyone @here @channel; mail ops@here.example"

func deliverOne(t *testing.T, tg Target, m Message) (incident.Delivery, request) {
	t.Helper()
	rc := newReceiver(t, nil)
	tg.URL = rc.URL + "/hook"
	ds := New([]Target{tg}, quick()).Deliver(context.Background(), m)
	if len(ds) != 1 || ds[0].State != incident.DeliverySent {
		t.Fatalf("%s delivery = %+v, want sent", tg.Format, ds)
	}
	reqs := rc.requests()
	if len(reqs) != 1 {
		t.Fatalf("%s receiver got %d requests, want 1", tg.Format, len(reqs))
	}
	if ct := reqs[0].header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s Content-Type = %q", tg.Format, ct)
	}
	return ds[0], reqs[0]
}

func TestSlackAndMattermostBody(t *testing.T) {
	want := `{"text":"Payments &amp; refunds &lt;slow&gt; &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; @` + "\u200b" + `everyone @` + "\u200b" + `here @` + "\u200b" + `channel; mail ops@here.example"}`
	for _, f := range []Format{FormatSlack, FormatMattermost, ""} {
		_, r := deliverOne(t, Target{Format: f}, msg(update(mentions)))
		if string(r.body) != want {
			t.Errorf("%q body\n got %s\nwant %s", f, r.body, want)
		}
		if v := decode(t, r.body); len(v) != 1 {
			t.Errorf("%q body has more than text: %s", f, r.body)
		}
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"@here now", "@\u200bhere now"},
		{"ping @Everyone.", "ping @\u200bEveryone."},
		{"(@all)", "(@\u200ball)"},
		{"@allison and @heretic", "@allison and @heretic"},
		{"ops@here.example", "ops@here.example"},
		{"@channel @channel", "@\u200bchannel @\u200bchannel"},
	}
	for _, tt := range tests {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDiscordBody(t *testing.T) {
	_, r := deliverOne(t, Target{Format: FormatDiscord}, msg(update("Rollback done @everyone <@123>")))
	want := `{"content":"Rollback done @everyone <@123>","allowed_mentions":{"parse":[]}}`
	if string(r.body) != want {
		t.Errorf("discord body\n got %s\nwant %s", r.body, want)
	}
}

func TestDiscordLimit(t *testing.T) {
	long := strings.Repeat("word ", 500) + strings.Repeat("😀", 100) // 2,700 UTF-16 units
	_, r := deliverOne(t, Target{Format: FormatDiscord}, msg(update(long)))
	content, _ := decode(t, r.body)["content"].(string)
	if n := len(utf16.Encode([]rune(content))); n > DiscordLimit {
		t.Errorf("content is %d UTF-16 units, over Discord's %d", n, DiscordLimit)
	}
	if !strings.HasSuffix(content, discordCut) || !strings.HasPrefix(content, "word word") {
		t.Errorf("a cut update should end with the note: …%q", content[max(len(content)-80, 0):])
	}
	exact := strings.Repeat("a", DiscordLimit)
	if got := CutUTF16(exact, DiscordLimit, discordCut); got != exact {
		t.Error("an update of exactly the limit was cut")
	}
	// A character outside the BMP is never split.
	for _, s := range []string{strings.Repeat("😀", 1500), strings.Repeat("é", 2500)} {
		got := CutUTF16(s, DiscordLimit, discordCut)
		if !strings.HasSuffix(got, discordCut) || strings.ContainsRune(got, '\uFFFD') || len(utf16.Encode([]rune(got))) > DiscordLimit {
			t.Errorf("cut of %d runes is wrong: %d units", len([]rune(s)), len(utf16.Encode([]rune(got))))
		}
	}
}

func TestGoogleChatBody(t *testing.T) {
	_, r := deliverOne(t, Target{Format: FormatGoogleChat}, msg(update("A & B <users/all> fixed")))
	want := `{"text":"A & B <` + "\u200b" + `users/all> fixed"}`
	if string(r.body) != want {
		t.Errorf("googlechat body\n got %s\nwant %s", r.body, want)
	}
}

func TestTeamsBody(t *testing.T) {
	_, r := deliverOne(t, Target{Format: FormatTeams}, msg(update("Issue identified & fixed")))
	var got struct {
		Type        string `json:"type"`
		Attachments []struct {
			ContentType string  `json:"contentType"`
			ContentURL  *string `json:"contentUrl"`
			Content     struct {
				Schema  string `json:"$schema"`
				Type    string `json:"type"`
				Version string `json:"version"`
				Body    []struct {
					Type string `json:"type"`
					Text string `json:"text"`
					Wrap bool   `json:"wrap"`
				} `json:"body"`
			} `json:"content"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != "message" || len(got.Attachments) != 1 {
		t.Fatalf("teams body %s: want a message with one attachment", r.body)
	}
	a := got.Attachments[0]
	if a.ContentType != "application/vnd.microsoft.card.adaptive" || a.Content.Type != "AdaptiveCard" || a.Content.Version == "" ||
		!strings.Contains(a.Content.Schema, "adaptive-card.json") {
		t.Errorf("attachment is not one Adaptive Card: %s", r.body)
	}
	if len(a.Content.Body) != 1 || a.Content.Body[0].Type != "TextBlock" || a.Content.Body[0].Text != "Issue identified & fixed" || !a.Content.Body[0].Wrap {
		t.Errorf("card body %+v", a.Content.Body)
	}
	if !strings.Contains(string(r.body), `"contentUrl":null`) {
		t.Errorf("contentUrl should be null: %s", r.body)
	}
}

func TestJSONBodySigned(t *testing.T) {
	m := msg(update("Issue identified; team working on resolution."))
	m.NextUpdateBy = pinned.Add(30 * time.Minute)
	_, r := deliverOne(t, Target{Format: FormatJSON, Secret: "s3cret"}, m)
	want := `{"id":"u1","incident":"INC-7","title":"Checkout failing","severity":"SEV2","status":"identified","text":"Issue identified; team working on resolution.","published_at":"2026-03-14T12:40:00Z","next_update_by":"2026-03-14T13:10:00Z"}`
	if string(r.body) != want {
		t.Errorf("json body\n got %s\nwant %s", r.body, want)
	}
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write(r.body)
	if got, want := r.header.Get("X-Warroom-Signature"), "sha256="+hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("signature %q, want %q", got, want)
	}
	// Unsigned without a secret; next_update_by null once resolved.
	u := update("Resolved.")
	u.Status = incident.Resolved
	_, r = deliverOne(t, Target{Format: FormatJSON}, msg(u))
	if r.header.Get("X-Warroom-Signature") != "" {
		t.Error("a json target without a secret signed its body")
	}
	if v := decode(t, r.body); v["next_update_by"] != nil || v["status"] != "resolved" {
		t.Errorf("resolved body %s", r.body)
	}
	// Other formats never sign, even with a secret.
	_, r = deliverOne(t, Target{Format: FormatSlack, Secret: "s3cret"}, msg(update("x")))
	if r.header.Get("X-Warroom-Signature") != "" {
		t.Error("a slack target signed its body")
	}
}

func TestMessageForNextUpdate(t *testing.T) {
	inc := &incident.Incident{ID: 7, Title: "Checkout", Severity: 2, Status: incident.Identified, Cadence: 20 * time.Minute, Created: pinned.Add(-time.Hour),
		NextUpdateDue: pinned.Add(5 * time.Hour)}
	first := incident.Update{ID: 1, At: pinned, Status: incident.Investigating}
	second := incident.Update{ID: 2, At: pinned.Add(25 * time.Minute), Status: incident.Identified}
	inc.Updates = []incident.Update{first, second}
	if m := MessageFor(inc, first, incident.DefaultPolicy()); !m.NextUpdateBy.Equal(pinned.Add(20*time.Minute)) || m.Incident != "INC-7" || m.Severity != "SEV2" {
		t.Errorf("first: %+v", m)
	}
	if m := MessageFor(inc, second, incident.DefaultPolicy()); !m.NextUpdateBy.Equal(pinned.Add(45 * time.Minute)) {
		t.Errorf("second due %v", m.NextUpdateBy)
	}
}

func TestDeliveryIDStableAcrossRetries(t *testing.T) {
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		if n < 3 {
			w.WriteHeader(http.StatusBadGateway)
		}
	})
	tg := Target{URL: rc.URL + "/a", Format: FormatJSON}
	m := msg(update("x"))
	d := New([]Target{tg}, quick()).Deliver(context.Background(), m)[0]
	if d.State != incident.DeliverySent || d.Attempts != 3 {
		t.Fatalf("delivery %+v, want sent on the third try", d)
	}
	reqs := rc.requests()
	id := reqs[0].header.Get("X-Warroom-Delivery")
	if id == "" || id != DeliveryID(m, tg) {
		t.Fatalf("delivery id %q, want %q", id, DeliveryID(m, tg))
	}
	for _, r := range reqs {
		if r.header.Get("X-Warroom-Delivery") != id || r.header.Get("X-Warroom-Event") != "update" {
			t.Errorf("headers of a retry changed: %v", r.header)
		}
	}
	// Another target, or another update, has another id.
	other := tg
	other.URL += "x"
	u2 := update("x")
	u2.UID = "u2"
	if DeliveryID(m, other) == id || DeliveryID(msg(u2), tg) == id {
		t.Error("delivery ids are not per update and target")
	}
	if len(id) != 36 || id[14] != '8' {
		t.Errorf("id %q is not UUID-shaped", id)
	}
}

func TestRetryAfter(t *testing.T) {
	var first atomic.Int64
	var gap atomic.Int64
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		now := time.Now().UnixNano()
		if n == 1 {
			first.Store(now)
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		gap.Store(now - first.Load())
	})
	d := New(Slack(rc.URL), quick()).Deliver(context.Background(), msg(update("x")))[0]
	if d.State != incident.DeliverySent || d.Attempts != 2 {
		t.Fatalf("delivery %+v, want sent on the second try", d)
	}
	if g := time.Duration(gap.Load()); g < 900*time.Millisecond {
		t.Errorf("the retry came %s after the 429, want at least the 1s Retry-After", g)
	}
	// A long Retry-After is capped; every try answered 429 fails with it.
	rc2 := newReceiver(t, func(n int, w http.ResponseWriter) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	opts := quick()
	opts.MaxRetryAfter = 20 * time.Millisecond
	start := time.Now()
	d = New(Slack(rc2.URL), opts).Deliver(context.Background(), msg(update("x")))[0]
	if d.State != incident.DeliveryFailed || d.Attempts != 3 || !strings.Contains(d.Error, "429 Too Many Requests (asked to wait 1h0m0s)") {
		t.Errorf("delivery %+v, want failed after 3 capped waits", d)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("the wait was not capped")
	}
	if got := retryAfter(pinned.Add(90*time.Second).Format(http.TimeFormat), pinned); got != 90*time.Second {
		t.Errorf("Retry-After as a date = %s", got)
	}
	if retryAfter("soon", pinned) != 0 || retryAfter("-5", pinned) != 0 {
		t.Error("a bad Retry-After should be ignored")
	}
}

func TestRedirectIsAFailureNotFollowed(t *testing.T) {
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		elsewhere := newReceiver(t, nil)
		rc := newReceiver(t, func(n int, w http.ResponseWriter) {
			w.Header().Set("Location", elsewhere.URL+"/stolen")
			w.WriteHeader(code)
		})
		d := New(Slack(rc.URL), quick()).Deliver(context.Background(), msg(update("x")))[0]
		if d.State != incident.DeliveryFailed || d.Attempts != 1 || !strings.Contains(d.Error, "redirect") || strings.Contains(d.Error, elsewhere.URL) {
			t.Errorf("%d: delivery %+v, want failed at once, naming the redirect", code, d)
		}
		if n := len(elsewhere.requests()); n != 0 {
			t.Errorf("%d: the redirect was followed (%d requests elsewhere)", code, n)
		}
	}
	// Even with a client of the caller's that would follow.
	elsewhere := newReceiver(t, nil)
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		w.Header().Set("Location", elsewhere.URL)
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	opts := quick()
	opts.Client = &http.Client{}
	New(Slack(rc.URL), opts).Deliver(context.Background(), msg(update("x")))
	if len(elsewhere.requests()) != 0 || opts.Client.CheckRedirect != nil {
		t.Error("the caller's client followed the redirect, or was changed")
	}
}

func TestOKWithAnErrorBodyFails(t *testing.T) {
	tests := []struct {
		format Format
		body   string
		want   string // "" for sent
	}{
		{FormatSlack, "invalid_payload", "200 OK but refused the update: invalid_payload"},
		{FormatMattermost, "no_text\n", "refused the update: no_text"},
		{FormatSlack, "ok", ""},
		{FormatSlack, "", ""},
		{FormatSlack, `{"ok":false,"error":"channel_not_found"}`, "refused the update: channel_not_found"},
		{FormatJSON, `{"success":false,"message":"bad signature"}`, "refused the update: bad signature"},
		{FormatJSON, `{"ok":true}`, ""},
		{FormatJSON, "accepted_for_later", ""},
		{FormatGoogleChat, `{"name":"spaces/x/messages/y"}`, ""},
	}
	for _, tt := range tests {
		rc := newReceiver(t, func(n int, w http.ResponseWriter) { _, _ = io.WriteString(w, tt.body) })
		d := New([]Target{{URL: rc.URL, Format: tt.format}}, quick()).Deliver(context.Background(), msg(update("x")))[0]
		switch {
		case tt.want == "" && d.State != incident.DeliverySent:
			t.Errorf("%s answering %q: %+v, want sent", tt.format, tt.body, d)
		case tt.want != "" && (d.State != incident.DeliveryFailed || !strings.Contains(d.Error, tt.want) || d.Attempts != 1):
			t.Errorf("%s answering %q: %+v, want failed once with %q", tt.format, tt.body, d, tt.want)
		}
	}
}

func TestResponseBodyReadUpToALimit(t *testing.T) {
	var wrote atomic.Int64
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		w.WriteHeader(http.StatusBadRequest)
		chunk := []byte(strings.Repeat("x", 1024))
		for range 64 << 10 { // up to 64 MiB, bounded
			k, err := w.Write(chunk)
			wrote.Add(int64(k))
			if err != nil {
				return
			}
		}
	})
	d := New(Slack(rc.URL), quick()).Deliver(context.Background(), msg(update("x")))[0]
	if d.State != incident.DeliveryFailed || len(d.Error) > 200 {
		t.Errorf("delivery %+v, want failed with a short reason", d)
	}
	rc.CloseClientConnections()
	if wrote.Load() > 32<<20 {
		t.Errorf("the whole answer was read (%d bytes)", wrote.Load())
	}
}

func TestCheckSendsALabelledTestMessage(t *testing.T) {
	ok := newReceiver(t, nil)
	bad := newReceiver(t, func(n int, w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) })
	n := New([]Target{{Name: "ops", URL: ok.URL, Format: FormatJSON, Secret: "k"}, {URL: bad.URL + "/services/x", Format: FormatSlack}}, quick())
	ds := n.Check(context.Background())
	if len(ds) != 2 || ds[0].State != incident.DeliverySent || ds[0].Target != "ops" || ds[1].State != incident.DeliveryFailed {
		t.Fatalf("Check = %+v", ds)
	}
	r := ok.requests()[0]
	v := decode(t, r.body)
	if v["test"] != true || v["status"] != "test" || !strings.Contains(v["text"].(string), "test message") || r.header.Get("X-Warroom-Event") != "test" {
		t.Errorf("test body %s, event %q", r.body, r.header.Get("X-Warroom-Event"))
	}
	if r.header.Get("X-Warroom-Signature") == "" {
		t.Error("the test message to a json target with a secret is not signed")
	}
	// Two tests have two ids, so a receiver dropping repeats shows both.
	n.Check(context.Background())
	if a, b := ok.requests()[0].header.Get("X-Warroom-Delivery"), ok.requests()[1].header.Get("X-Warroom-Delivery"); a == b {
		t.Error("two test messages share a delivery id")
	}
}

// TestDeadlineAfterSendingIsUnknown: a command that stops waiting after
// the request went out cannot know whether it arrived. A chat target is
// then unknown (never re-sent by itself); a json target, which drops
// repeats by id, is parked for the next process to send again.
// (This test used to want the chat target parked, which re-posted it.)
func TestDeadlineAfterSendingIsUnknown(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); slow.Close() })
	fast := newReceiver(t, nil)
	opts := quick()
	opts.Timeout = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	targets := []Target{{URL: fast.URL}, {URL: slow.URL + "/chat"}, {URL: slow.URL + "/json", Format: FormatJSON}}
	ds := New(targets, opts).Deliver(ctx, msg(update("x")))
	if ds[0].State != incident.DeliverySent {
		t.Errorf("fast target %+v, want sent", ds[0])
	}
	if ds[1].State != incident.DeliveryUnknown || !strings.Contains(ds[1].Error, "after the update was sent") || ds[1].Attempts != 1 {
		t.Errorf("slow chat target %+v, want unknown after one try", ds[1])
	}
	if ds[2].State != incident.DeliveryPending || !strings.Contains(ds[2].Error, "stopped waiting") {
		t.Errorf("slow json target %+v, want parked pending", ds[2])
	}
}

func TestGuessFormat(t *testing.T) {
	tests := []struct {
		url  string
		want Format
		ok   bool
	}{
		{"https://hooks.slack.com/services/T/B/X", FormatSlack, true},
		{"https://discord.com/api/webhooks/1/abc", FormatDiscord, true},
		{"https://ptb.discordapp.com/api/webhooks/1/abc", FormatDiscord, true},
		{"https://chat.googleapis.com/v1/spaces/AAA/messages?key=k", FormatGoogleChat, true},
		{"https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke", FormatTeams, true},
		{"https://default1234.environment.api.powerplatform.com/powerautomate/x", FormatTeams, true},
		{"https://mattermost.example.com/hooks/xyz", "", false},
		{"https://notdiscord.com/x", "", false},
	}
	for _, tt := range tests {
		if got, _, ok := GuessFormat(tt.url); got != tt.want || ok != tt.ok {
			t.Errorf("GuessFormat(%q) = %q %v, want %q %v", tt.url, got, ok, tt.want, tt.ok)
		}
	}
	if f, ok := ParseFormat(" Discord "); f != FormatDiscord || !ok {
		t.Errorf("ParseFormat = %q %v", f, ok)
	}
	if _, ok := ParseFormat("dicord"); ok {
		t.Error("a misspelt format parsed")
	}
	if !reflect.DeepEqual(Slack("a"), []Target{{URL: "a", Format: FormatSlack}}) {
		t.Error("Slack")
	}
}
