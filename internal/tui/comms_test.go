package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/comms"
)

// commsTerm is a terminal that records what is written outside the frame.
type commsTerm struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *commsTerm) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *commsTerm) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// commsHook is a loopback webhook recording the JSON it receives; it
// answers the codes given, then 200.
type commsHook struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	codes  []int
}

func newCommsHook(t *testing.T, codes ...int) *commsHook {
	h := &commsHook{codes: codes}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		code := http.StatusOK
		if n := len(h.bodies); n <= len(h.codes) {
			code = h.codes[n-1]
		}
		h.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *commsHook) received() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.bodies...)
}

// seedComms declares an incident at 13:30 on the pinned day, publishing
// updates at the given times.
func seedComms(t *testing.T, st *store.Store, published ...string) int64 {
	t.Helper()
	p := incident.DefaultPolicy()
	declared := time.Date(2026, 3, 12, 13, 30, 0, 0, time.UTC)
	inc, err := incident.NewIncident("Checkout slow for EU customers", 2, declared, p)
	if err != nil {
		t.Fatal(err)
	}
	out, err := st.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	for _, hhmm := range published {
		at, err := time.Parse("15:04", hhmm)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 12, at.Hour(), at.Minute(), 0, 0, time.UTC)
		if _, err := st.Apply(out.ID, incident.Capture{Command: incident.CmdDraft, Text: "Investigating slow checkout."}, now, "amara", p); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Apply(out.ID, incident.Capture{Command: incident.CmdPublish}, now, "amara", p); err != nil {
			t.Fatal(err)
		}
	}
	return out.ID
}

// commsModel builds the program with a terminal and config of the test's.
func commsModel(t *testing.T, st *store.Store, id int64, cfg *config.Config, term io.Writer, w, h int) Model {
	t.Helper()
	m := New(Options{Store: st, Config: cfg, Now: pinnedNow, IncidentID: id, Width: w, Height: h, Terminal: term})
	m = drive(t, m, m.Init())
	return m
}

func commsOf(t *testing.T, m Model) *comms.Pane {
	t.Helper()
	for _, p := range m.cockpit.Right {
		if c, ok := p.(*comms.Pane); ok {
			return c
		}
	}
	t.Fatal("the cockpit has no comms pane")
	return nil
}

// focusComms moves the keyboard from the capture line to the comms pane.
func focusComms(t *testing.T, m Model) Model {
	t.Helper()
	m = press(t, m, "tab", "tab")
	if !commsOf(t, m).Focused {
		t.Fatal("tab tab did not focus the comms pane")
	}
	return m
}

func storedIncident(t *testing.T, st *store.Store, id int64) *incident.Incident {
	t.Helper()
	inc, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func TestCommsDraftFromTemplate(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st, "13:35")
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	c := commsOf(t, m)
	want := "Investigating an issue affecting some customers; no ETA yet. Next update by 14:15."
	if c.Text() != want || !c.Templated {
		t.Fatalf("draft = %q (templated %v), want the investigating template %q", c.Text(), c.Templated, want)
	}
	view := m.View()
	for _, s := range []string{"Public update", "20:00", "next update due 14:05", "investigating draft", "Investigating an issue", "Published", "13:35: Investigating slow checkout."} {
		if !strings.Contains(view, s) {
			t.Errorf("the comms pane does not show %q:\n%s", s, view)
		}
	}
	// A status change rewrites a draft nobody has touched.
	m = typeText(t, m, "/status identified")
	m = press(t, m, "enter")
	if got := commsOf(t, m).Text(); got != "Issue identified; team working on resolution. Next update by 14:15." {
		t.Errorf("after /status identified the draft is %q", got)
	}
	if storedIncident(t, st, id).Draft != "" {
		t.Error("a template nobody edited should not be stored as the draft")
	}
}

func TestCommsConfigTemplate(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	cfg := testConfig()
	cfg.Templates = map[string]string{"investigating": "We are looking into slow checkout. Next update by {next_update}."}
	m := commsModel(t, st, id, cfg, nil, 120, 40)
	if got := commsOf(t, m).Text(); got != "We are looking into slow checkout. Next update by 14:15." {
		t.Errorf("draft = %q, want the configured template", got)
	}
}

func TestCommsEditSavesAsTyped(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = focusComms(t, m)
	m = press(t, m, "t") // nothing typed yet: still the template
	m = press(t, m, "e")
	if !commsOf(t, m).Editing || !m.typing() {
		t.Fatal("e did not start editing the draft")
	}
	m = typeText(t, m, " Sorry.")
	c := commsOf(t, m)
	if !strings.HasSuffix(c.Text(), "Next update by 14:15. Sorry.") || c.Templated {
		t.Fatalf("draft after typing = %q (templated %v)", c.Text(), c.Templated)
	}
	// The debounced save fires once typing pauses.
	m = send(t, m, comms.DraftSaveMsg{Id: id, Seq: c.Seq})
	if got := storedIncident(t, st, id).Draft; got != c.Text() {
		t.Fatalf("stored draft = %q, want %q", got, c.Text())
	}
	// A stale save (more was typed since) writes nothing.
	m = typeText(t, m, "!")
	m = send(t, m, comms.DraftSaveMsg{Id: id, Seq: commsOf(t, m).Seq - 1})
	if got := storedIncident(t, st, id).Draft; strings.HasSuffix(got, "!") {
		t.Fatalf("a stale save wrote %q", got)
	}
	// Leaving the editor saves at once; so does quitting.
	m = press(t, m, "esc")
	if got := storedIncident(t, st, id).Draft; !strings.HasSuffix(got, "Sorry.!") {
		t.Fatalf("esc did not save the draft: %q", got)
	}
	m = press(t, m, "e")
	m = typeText(t, m, "?")
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	drive(t, next.(Model), cmd)
	if got := storedIncident(t, st, id).Draft; !strings.HasSuffix(got, "Sorry.!?") {
		t.Fatalf("quitting lost the last keystroke: %q", got)
	}
	// Reopening shows the stored draft, not the template.
	m = commsModel(t, st, id, testConfig(), nil, 120, 40)
	if c := commsOf(t, m); !strings.HasSuffix(c.Text(), "Sorry.!?") || c.Templated {
		t.Errorf("reopened draft = %q (templated %v)", c.Text(), c.Templated)
	}
}

func TestCommsDraftCommandShowsFindings(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = typeText(t, m, "/draft Rolled back the deploy; k8s pods on db-prod-03 are healthy.")
	m = press(t, m, "enter")
	c := commsOf(t, m)
	if c.Text() != "Rolled back the deploy; k8s pods on db-prod-03 are healthy." || c.Templated {
		t.Fatalf("draft = %q", c.Text())
	}
	if storedIncident(t, st, id).Draft != c.Text() {
		t.Fatal("/draft did not store the draft")
	}
	view := m.View()
	for _, s := range []string{"⚠ 5 unclear to customers", `"Rolled back" technical term → undo the`, `"deploy" technical term → change`, `"k8s" technical term`, `"pods" technical term`, `"db-prod-03" hostname`} {
		if !strings.Contains(view, s) {
			t.Errorf("the pane does not show %q:\n%s", s, view)
		}
	}
	checkFrame(t, view, 120, 40)
}

func TestCommsMarksJargonInTheDraft(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	r.SetHasDarkBackground(true)
	ctx := &common.Context{Styles: common.NewStyles(r, common.DefaultTheme()), Keys: common.DefaultKeyMap(), Now: pinnedNow, Config: testConfig(), IncidentID: 1,
		Incident: &incident.Incident{ID: 1, Created: pinned, Status: incident.Investigating, Draft: "The k8s cluster is slow."}}
	c := comms.New(ctx)
	c.SetSize(40, 12)
	lines := c.DraftLines(38, 3)
	underline := ctx.Styles.Warn.Underline(true).Render("k8s")
	if len(lines) != 1 || !strings.Contains(lines[0], underline) || !strings.Contains(lines[0], ctx.Styles.Warn.Underline(true).Render("cluster")) {
		t.Errorf("draft lines %q do not mark k8s and cluster", lines)
	}
}

func TestCommsPublishConfirmsJargonThenDelivers(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st, "13:35")
	hook := newCommsHook(t)
	cfg := testConfig()
	cfg.Webhooks = []string{hook.URL + "/services/T0/B0/secret"}
	term := &commsTerm{}
	m := commsModel(t, st, id, cfg, term, 120, 40)

	m = typeText(t, m, "/draft Payments & refunds are slow; we rolled back.")
	m = press(t, m, "enter")
	m = typeText(t, m, "/publish")
	m = press(t, m, "enter")
	if n := len(storedIncident(t, st, id).Updates); n != 1 {
		t.Fatalf("the first /publish with jargon published (%d updates); it should ask", n)
	}
	if !strings.Contains(m.status, "1 word in the draft may confuse customers") || !m.statusErr {
		t.Errorf("status = %q, want the question about the flagged word", m.status)
	}
	if !strings.Contains(m.View(), "Publish anyway?") {
		t.Error("the pane does not ask to confirm")
	}
	// The keyboard stays on the capture line; a y typed before the
	// question could be read is text there, and one typed after answers.
	if m.cockpit.Focus != cockpit.FocusCapture {
		t.Fatalf("focus %d: the question took the keyboard", m.cockpit.Focus)
	}
	m = press(t, m, "y")
	if n := len(storedIncident(t, st, id).Updates); n != 1 || m.cockpit.Capture.Value() != "y" {
		t.Fatalf("a y typed ahead of the question answered it (%d updates, line %q)", n, m.cockpit.Capture.Value())
	}
	m = press(t, m, "backspace")
	m = armQuestions(m)
	m = press(t, m, "y")
	if m.cockpit.Focus != cockpit.FocusCapture || m.cockpit.Capture.Value() != "" {
		t.Errorf("focus %d, line %q after answering; want the empty capture line", m.cockpit.Focus, m.cockpit.Capture.Value())
	}

	inc := storedIncident(t, st, id)
	if len(inc.Updates) != 2 {
		t.Fatalf("the second /publish did not publish: %d updates", len(inc.Updates))
	}
	u := inc.Updates[1]
	if u.Text != "Payments & refunds are slow; we rolled back." || u.Author != "amara" || !u.At.Equal(pinned) || u.Status != incident.Investigating {
		t.Errorf("stored update = %+v", u)
	}
	if inc.Draft != "" {
		t.Errorf("the draft %q was not cleared by publishing", inc.Draft)
	}
	public := false
	for _, e := range inc.Entries {
		public = public || (e.Kind == incident.KindPublic && e.Text == u.Text)
	}
	if !public {
		t.Error("no public entry on the timeline")
	}
	// The webhook got Slack's JSON, escaped.
	bodies := hook.received()
	if len(bodies) != 1 || bodies[0] != `{"text":"Payments &amp; refunds are slow; we rolled back."}` {
		t.Fatalf("the webhook received %q", bodies)
	}
	var msg map[string]string
	if err := json.Unmarshal([]byte(bodies[0]), &msg); err != nil {
		t.Fatal(err)
	}
	// The clipboard got the text through OSC 52.
	if got := term.String(); !strings.Contains(got, notify.OSC52(u.Text, false)) {
		t.Errorf("the terminal received %q, want the OSC 52 copy", got)
	}
	// The delivery state is stored: copied, and sent to the redacted hook.
	if len(u.Delivery) != 2 || u.Delivery[0].State != incident.DeliveryCopied || u.Delivery[1].State != incident.DeliverySent ||
		strings.Contains(u.Delivery[1].Target, "secret") {
		t.Errorf("deliveries = %+v", u.Delivery)
	}
	// The countdown restarted and the next draft is the template again.
	c := commsOf(t, m)
	if cd := c.Countdown(); !cd.Due.Equal(pinned.Add(30*time.Minute)) || cd.State != incident.CountdownCounting {
		t.Errorf("countdown after publishing = %+v, want due 14:15", cd)
	}
	if !c.Templated || !strings.HasPrefix(c.Text(), "Investigating an issue") {
		t.Errorf("next draft = %q (templated %v)", c.Text(), c.Templated)
	}
	view := m.View()
	for _, s := range []string{"13:45: Payments & refunds are", "13:35: Investigating slow checkout.", "✓ sent", "30:00"} {
		if !strings.Contains(view, s) {
			t.Errorf("the pane does not show %q:\n%s", s, view)
		}
	}
	if !strings.Contains(m.status, "13:45 update reached 1 webhook") {
		t.Errorf("status = %q", m.status)
	}
}

func TestCommsPublishKeyWithoutJargon(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = focusComms(t, m)
	press(t, m, "p")
	inc := storedIncident(t, st, id)
	if len(inc.Updates) != 1 || inc.Updates[0].Text != "Investigating an issue affecting some customers; no ETA yet. Next update by 14:15." {
		t.Fatalf("p should publish the clean template at once: %+v", inc.Updates)
	}
	if len(inc.Updates[0].Delivery) != 0 {
		t.Errorf("with no terminal and no webhook nothing is delivered: %+v", inc.Updates[0].Delivery)
	}
}

func TestCommsPublishEmptyDraft(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = focusComms(t, m)
	m = press(t, m, "e")
	commsOf(t, m).Ta.SetValue("")
	m = press(t, m, "esc", "p")
	if !strings.Contains(m.status, "draft is empty") || len(storedIncident(t, st, id).Updates) != 0 {
		t.Errorf("status = %q; an empty draft must not publish", m.status)
	}
}

func TestCommsDeliveryFailsThenResends(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	hook := newCommsHook(t, 500, 500, 500)
	cfg := testConfig()
	cfg.Webhooks = []string{hook.URL}
	m := commsModel(t, st, id, cfg, nil, 120, 40)
	commsOf(t, m).NotifyOpts = notify.Options{Backoff: time.Millisecond, Timeout: time.Second}
	m = focusComms(t, m)
	m = press(t, m, "p")

	u := storedIncident(t, st, id).Updates[0]
	if len(u.Delivery) != 1 || u.Delivery[0].State != incident.DeliveryFailed || u.Delivery[0].Attempts != 3 ||
		u.Delivery[0].Error != "the webhook answered 500 Internal Server Error" {
		t.Fatalf("deliveries = %+v, want failed after 3 tries", u.Delivery)
	}
	if !strings.Contains(m.status, "did not reach") || !strings.Contains(m.status, "press r") {
		t.Errorf("status = %q", m.status)
	}
	if !strings.Contains(m.View(), "✗ failed · r") {
		t.Error("the pane does not show the failed delivery")
	}
	m = press(t, m, "r")
	u = storedIncident(t, st, id).Updates[0]
	if len(u.Delivery) != 1 || u.Delivery[0].State != incident.DeliverySent || u.Delivery[0].Attempts != 4 {
		t.Fatalf("after r: %+v, want sent on the 4th try", u.Delivery)
	}
	if n := len(hook.received()); n != 4 {
		t.Errorf("the hook got %d requests, want 4", n)
	}
	m = press(t, m, "r")
	if !strings.Contains(m.status, "nothing to re-send") {
		t.Errorf("status = %q", m.status)
	}
}

func TestCommsDeadWebhookNeverLosesTheUpdate(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/hook"
	ln.Close()
	st := openStore(t)
	id := seedComms(t, st)
	cfg := testConfig()
	cfg.Webhooks = []string{dead}
	m := commsModel(t, st, id, cfg, nil, 120, 40)
	commsOf(t, m).NotifyOpts = notify.Options{Backoff: time.Millisecond}

	// Publishing stores the update and returns before any delivery.
	c := commsOf(t, m)
	cmd := c.RequestPublish()
	msg := cmd()
	if _, ok := msg.(comms.PublishDoneMsg); !ok {
		t.Fatalf("publishing returned %T, want the stored result", msg)
	}
	if n := len(storedIncident(t, st, id).Updates); n != 1 {
		t.Fatalf("the update is not stored before delivery: %d updates", n)
	}
	send(t, m, msg)
	u := storedIncident(t, st, id).Updates[0]
	if len(u.Delivery) != 1 || u.Delivery[0].State != incident.DeliveryFailed || u.Delivery[0].Error != "connection refused" {
		t.Errorf("deliveries = %+v", u.Delivery)
	}
}

func TestCommsBellRingsOnceWhenOverdue(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st, "13:15") // due 13:45: counting down to the pinned minute
	var now atomic.Int64
	now.Store(pinned.Add(-time.Second).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	cfg := testConfig()
	cfg.Bell = true
	term := &commsTerm{}
	m := New(Options{Store: st, Config: cfg, Now: clock, IncidentID: id, Width: 120, Height: 40, Terminal: term})
	m = drive(t, m, m.Init())
	m = send(t, m, common.TickMsg(clock()))
	if term.String() != "" {
		t.Fatalf("the bell rang before the update was overdue: %q", term.String())
	}
	now.Store(pinned.Add(time.Second).UnixNano())
	m = send(t, m, common.TickMsg(clock()), common.TickMsg(clock()))
	if got := term.String(); got != "\a" {
		t.Errorf("the terminal got %q, want one bell", got)
	}
	cfg.Bell = false
	now.Store(pinned.Add(-time.Hour).UnixNano())
	m = send(t, m, common.TickMsg(clock()))
	now.Store(pinned.Add(time.Minute).UnixNano())
	send(t, m, common.TickMsg(clock()))
	if got := term.String(); got != "\a" {
		t.Errorf("with bell = false the terminal got %q", got)
	}
}

func TestCommsFitsSmallTerminal(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st, "13:00", "13:10", "13:20", "13:30")
	m := commsModel(t, st, id, testConfig(), nil, 80, 24)
	m = typeText(t, m, "/draft The k8s cluster behind api.example.com returns HTTP 503 since the deploy of payment_service at 13:20.")
	m = press(t, m, "enter")
	checkFrame(t, m.View(), 80, 24)
	m = focusComms(t, m)
	m = press(t, m, "p")
	checkFrame(t, m.View(), 80, 24)
	if !strings.Contains(m.View(), "Publish anyway?") {
		t.Errorf("the confirmation does not show at 80×24:\n%s", m.View())
	}
}

// TestCommsCountdownStates runs the real program with a pinned clock and a
// colour renderer, one incident per countdown state.
func TestCommsCountdownStates(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	r.SetHasDarkBackground(true)
	styles := common.NewStyles(r, common.DefaultTheme())
	amber := styles.Warn.Bold(true).Render("⚠ 04:00")
	red := styles.Error.Bold(true).Render("OVERDUE +05:00")

	tests := []struct {
		name      string
		published []string
		snooze    string
		want      []string
	}{
		{name: "counting", published: []string{"13:40"}, want: []string{"25:00", "next update due 14:10"}},
		{name: "amber", published: []string{"13:19"}, want: []string{amber, "next update due 13:49"}},
		{name: "overdue", published: []string{"13:10"}, want: []string{red, "next update due 13:40"}},
		{name: "snoozed", published: []string{"13:10"}, snooze: "/snooze 10m", want: []string{"05:00", "next update due 13:50 · snoozed"}},
		{name: "first update", want: []string{styles.Error.Bold(true).Render("OVERDUE +10:00"), "next update due 13:35"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			id := seedComms(t, st, tt.published...)
			if tt.snooze != "" {
				c, err := incident.ParseCapture(tt.snooze, pinned)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.Apply(id, c, pinned, "amara", incident.DefaultPolicy()); err != nil {
					t.Fatal(err)
				}
			}
			m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Renderer: r, PollEvery: 50 * time.Millisecond})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
				for _, w := range tt.want {
					if !bytes.Contains(b, []byte(w)) {
						return false
					}
				}
				return true
			}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
			final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
			if got, want := commsOf(t, final).Countdown().State, map[string]incident.CountdownState{
				"counting": incident.CountdownCounting, "amber": incident.CountdownSoon, "overdue": incident.CountdownOverdue,
				"snoozed": incident.CountdownSoon, "first update": incident.CountdownOverdue,
			}[tt.name]; got != want {
				t.Errorf("state = %s, want %s", got, want)
			}
		})
	}
}

// TestCommsPublishQuestionAnsweredNo: n keeps the draft unpublished and
// hands the keyboard back to the capture line with the typed text intact.
func TestCommsPublishQuestionAnsweredNo(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = typeText(t, m, "/draft The k8s pods were OOM killed.")
	m = press(t, m, "enter")
	m = typeText(t, m, "/publish")
	m = press(t, m, "enter")
	if m.cockpit.Focus != cockpit.FocusCapture || !strings.Contains(m.View(), "Publish anyway?") {
		t.Fatalf("focus %d; the question is not asked", m.cockpit.Focus)
	}
	m = armQuestions(m)
	m = press(t, m, "n")
	if m.cockpit.Focus != cockpit.FocusCapture || strings.Contains(m.View(), "Publish anyway?") {
		t.Fatalf("after n: focus %d, view:\n%s", m.cockpit.Focus, m.View())
	}
	if n := len(storedIncident(t, st, id).Updates); n != 0 {
		t.Fatalf("n published the draft (%d updates)", n)
	}
	m = typeText(t, m, "still typing")
	if got := m.cockpit.Capture.Value(); got != "still typing" {
		t.Fatalf("capture line %q", got)
	}
}

// Two cockpits on one database: while amara edits the draft, ben's pane
// says so; once she stops, it no longer does.
func TestPresenceShowsWhoElseEditsTheDraft(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	amara := commsModel(t, st, id, testConfig(), nil, 120, 40)
	amara = focusComms(t, amara)
	amara = press(t, amara, "e")
	amara = send(t, amara, common.TickMsg(pinned))
	amara.ctx.WaitWrites()

	ben := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Author: "ben"})
	ben = drive(t, ben, ben.Init())
	ben = send(t, ben, common.TickMsg(pinned))
	if !strings.Contains(ben.View(), "amara is editing") {
		t.Fatalf("ben does not see amara editing the draft:\n%s", ben.View())
	}
	amara = press(t, amara, "esc")
	amara = send(t, amara, common.TickMsg(pinned.Add(time.Second)))
	amara.ctx.WaitWrites()
	ben.presenceRead = time.Time{}
	ben = send(t, ben, common.TickMsg(pinned.Add(2*time.Second)))
	if strings.Contains(ben.View(), "amara is editing") {
		t.Fatalf("amara stopped editing but ben still sees her:\n%s", ben.View())
	}
}

// /draft then /publish typed faster than the disk writes, twice: each
// publish carries exactly its own text, and the second draft is not
// replaced by the template when the first publish lands.
func TestDraftPublishBurstPublishesEachText(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	var cmds []tea.Cmd
	for _, line := range []string{"/draft First words for customers.", "/publish", "/draft Second words for customers.", "/publish"} {
		for _, k := range append([]tea.Msg{tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(line), Paste: true}}, tea.KeyMsg{Type: tea.KeyEnter}) {
			next, cmd := m.Update(k)
			m = next.(Model)
			cmds = append(cmds, cmd)
		}
	}
	// Only now do the writes' results come back.
	m = drive(t, m, tea.Batch(cmds...))
	m.ctx.WaitWrites()
	got, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, u := range got.Updates {
		texts = append(texts, u.Text)
	}
	if want := []string{"First words for customers.", "Second words for customers."}; !slices.Equal(texts, want) {
		t.Fatalf("published %q; want %q", texts, want)
	}
}

// The jargon findings can be seen whole with f; at 80×24 at least the
// first is shown without it.
func TestAllJargonFindingsOnF(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 80, 24)
	m = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("/draft The db on k8s had an OOM in one pod; p99 and 5xx are up; rollback of api-7 on 10.0.0.12")}, tea.KeyMsg{Type: tea.KeyEnter})
	n := len(commsOf(t, m).Findings())
	if n < 5 {
		t.Fatalf("only %d findings; the test wants many", n)
	}
	m = focusComms(t, m)
	first := commsOf(t, m).Findings()[0].Word
	if v := m.View(); !strings.Contains(v, fmt.Sprintf("%q", first)) {
		t.Fatalf("at 80×24 the first finding %q is not shown:\n%s", first, v)
	}
	last := commsOf(t, m).Findings()[n-1].Word
	m = press(t, m, "f")
	for range n {
		if strings.Contains(m.View(), fmt.Sprintf("%q", last)) {
			break
		}
		m = press(t, m, "j")
	}
	if v := m.View(); !strings.Contains(v, fmt.Sprintf("%q", last)) || !strings.Contains(v, "Jargon") {
		t.Fatalf("f and j did not reach every finding (the last is %q):\n%s", last, v)
	}
	// j past the end stays at the end, so one k scrolls back at once.
	atEnd := m.View()
	for range 5 {
		m = press(t, m, "j")
	}
	if v := m.View(); v != atEnd {
		t.Fatalf("j past the end moved the list:\n%s", v)
	}
	if v := press(t, m, "k").View(); v == atEnd {
		t.Fatalf("k after j past the end did not scroll back:\n%s", v)
	}
}

func TestCommsTemplateAsksAndUndoes(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = focusComms(t, m)
	m = press(t, m, "e")
	m = send(t, m, tea.KeyMsg{Type: tea.KeyCtrlA})
	m = typeText(t, m, "Hand-written: card payments fail for some EU customers.")
	m = press(t, m, "esc")
	mine := commsOf(t, m).Text()
	if !strings.HasPrefix(mine, "Hand-written:") {
		t.Fatalf("the hand-written draft is %q", mine)
	}

	// t asks first; n keeps the draft.
	m = press(t, m, "t")
	if !strings.Contains(m.View(), "Replace your draft with the template?") || !m.typing() {
		t.Fatalf("t did not ask before replacing a hand-written draft:\n%s", m.View())
	}
	m = armQuestions(m)
	m = press(t, m, "n")
	if got := commsOf(t, m).Text(); got != mine {
		t.Fatalf("n changed the draft to %q", got)
	}

	// t then y replaces it, once the question could be read; u brings it
	// back, stored again.
	m = press(t, m, "t", "y")
	if got := commsOf(t, m).Text(); got != mine || !strings.Contains(m.View(), "Replace your draft with the template?") {
		t.Fatalf("a y right behind t answered the question: draft %q", got)
	}
	m = armQuestions(m)
	m = press(t, m, "y")
	c := commsOf(t, m)
	if !c.Templated || c.Text() == mine {
		t.Fatalf("y did not use the template: %q", c.Text())
	}
	if got := storedIncident(t, st, id).Draft; got != "" {
		t.Fatalf("the template replacing the draft left %q stored", got)
	}
	if !strings.Contains(m.View(), "template · u undoes") {
		t.Fatalf("the pane does not say u undoes:\n%s", m.View())
	}
	m = press(t, m, "u")
	if got := commsOf(t, m).Text(); got != mine {
		t.Fatalf("u gave %q, want the hand-written draft back", got)
	}
	if got := storedIncident(t, st, id).Draft; got != mine {
		t.Fatalf("the draft brought back is stored as %q", got)
	}
	// Only one undo: u again changes nothing.
	m = press(t, m, "u")
	if got := commsOf(t, m).Text(); got != mine {
		t.Fatalf("a second u changed the draft to %q", got)
	}

	// The template itself, or an empty draft, is replaced without asking.
	m = press(t, m, "t")
	m = armQuestions(m)
	m = press(t, m, "y", "t")
	if strings.Contains(m.View(), "Replace your draft") {
		t.Fatal("t over the template asked again")
	}
}

// "/" starts a command from the public update pane too, as from the
// timeline: the keys typed next form the command, not draft edits.
func TestSlashFromTheCommsPaneStartsACommand(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = focusComms(t, m)
	m = press(t, m, "/")
	if m.cockpit.Focus != cockpit.FocusCapture || m.cockpit.Capture.Value() != "/" {
		t.Fatalf("after / in the comms pane: focus %v, capture line %q", m.cockpit.Focus, m.cockpit.Capture.Value())
	}
	m = press(t, m, "r", "e", "t", "r", "o")
	if got := m.cockpit.Capture.Value(); got != "/retro" {
		t.Errorf("typed /retro from the comms pane, the capture line holds %q", got)
	}
}

// TestCommsDraftFollowsThePhase: after /eta the draft promises the ETA;
// after /mitigated it no longer does, and the pane and the status line say
// which template the draft came from.
func TestCommsDraftFollowsThePhase(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st, "13:35")
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	if v := m.View(); !strings.Contains(v, "next update due 14:05 · investigating draft") {
		t.Fatalf("the pane does not name the investigating template:\n%s", v)
	}
	m = typeText(t, m, "/eta 16:20")
	m = press(t, m, "enter")
	if got := commsOf(t, m).Text(); !strings.Contains(got, "resolved by 16:20") {
		t.Fatalf("after /eta the draft is %q, want the ETA", got)
	}
	if v := m.View(); !strings.Contains(v, "· ETA draft") || !strings.Contains(v, "now follows the ETA template") {
		t.Errorf("the pane or the status line does not name the eta template:\n%s", v)
	}
	m = typeText(t, m, "/mitigated")
	m = press(t, m, "enter")
	got := commsOf(t, m).Text()
	if strings.Contains(got, "16:20") || !strings.HasPrefix(got, "A fix is in place") {
		t.Errorf("after /mitigated the draft is %q, want the monitoring template without the ETA", got)
	}
	if v := m.View(); !strings.Contains(v, "· monitoring draft") || !strings.Contains(v, "now follows the monitoring template") {
		t.Errorf("the pane or the status line does not name the monitoring template:\n%s", v)
	}
}

// A teammate publishes the draft while this person types more into it: the
// published text does not come back into their editor (nor into the next
// draft), their own words stay, and the status line says who published.
func TestTeammatePublishesWhileYouTypeInTheDraft(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	if _, err := st.SetDraft(id, store.Edit{Text: "Checkout is slow for some customers."}, "ben", pinned); err != nil {
		t.Fatal(err)
	}
	m := commsModel(t, st, id, testConfig(), nil, 120, 40)
	m = focusComms(t, m)
	m = press(t, m, "e")
	m = typeText(t, m, " We rolled back the release.")
	seen := "Checkout is slow for some customers."
	if _, err := st.Apply(id, incident.Capture{Command: incident.CmdPublish, Text: seen, SeenDraft: &seen}, pinned, "ben", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	if got := commsOf(t, m).Text(); got != "We rolled back the release." {
		t.Fatalf("the editor holds %q, want only this person's unsaved words", got)
	}
	if !strings.Contains(m.status, "ben published the draft at") || !strings.Contains(m.status, "your unsaved words are kept as the next draft") {
		t.Errorf("status = %q", m.status)
	}
	m = press(t, m, "esc") // leaving the editor saves
	if got := storedIncident(t, st, id).Draft; got != "We rolled back the release." {
		t.Errorf("the next draft is %q", got)
	}
}

// A publish over a draft a teammate changed since it was read sends
// nothing: the pane asks, naming them, and a yes publishes the draft as it
// now stands, with their words, once it is on screen.
func TestPublishOverATeammatesChangeAsksFirst(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	if _, err := st.SetDraft(id, store.Edit{Text: "Checkout is slow for some customers."}, "amara", pinned); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Author = "amara"
	m := commsModel(t, st, id, cfg, nil, 120, 40)
	// ben adds a line after amara's screen loaded the draft.
	if _, err := st.SetDraft(id, store.Edit{BaseRev: 1, Base: "Checkout is slow for some customers.", Text: "Checkout is slow for some customers.\nWe found the cause."}, "ben", pinned); err != nil {
		t.Fatal(err)
	}
	m = focusComms(t, m)
	m = press(t, m, "p")
	if got := storedIncident(t, st, id).Updates; len(got) != 0 {
		t.Fatalf("a draft changed by a teammate since it was read was published: %+v", got)
	}
	if v := m.View(); !strings.Contains(v, "ben changed it: publish as it is now?") {
		t.Fatalf("the pane does not ask:\n%s", v)
	}
	answer(t, m, "y")
	got := storedIncident(t, st, id).Updates
	if len(got) != 1 || got[0].Text != "Checkout is slow for some customers.\nWe found the cause." {
		t.Fatalf("after yes: %+v", got)
	}
}

// The note after a publish gives its time in the zone every other time on
// screen is in, not the stored UTC.
func TestCommsPublishNoteInTheZone(t *testing.T) {
	st := openStore(t)
	id := seedComms(t, st)
	cfg := testConfig()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	cfg.Location = berlin
	m := commsModel(t, st, id, cfg, nil, 120, 40)
	m = focusComms(t, m)
	m = press(t, m, "p")
	if !strings.Contains(m.status, "Published 14:45") {
		t.Fatalf("status = %q; want the pinned 13:45 UTC as 14:45 in Berlin", m.status)
	}
}

// The draft's rows are kept between frames (the pane is drawn every
// second for its countdown), and drawn anew when the draft, its findings
// or the size change: each time the rows are those of a pane that never
// drew before.
func TestCommsDraftLinesFollowTheDraft(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	r.SetHasDarkBackground(true)
	pane := func(draft string) (*comms.Pane, *common.Context) {
		ctx := &common.Context{Styles: common.NewStyles(r, common.DefaultTheme()), Keys: common.DefaultKeyMap(), Now: pinnedNow, Config: testConfig(), IncidentID: 1,
			Incident: &incident.Incident{ID: 1, Created: pinned, Status: incident.Investigating, Draft: draft}}
		c := comms.New(ctx)
		c.SetSize(40, 12)
		return c, ctx
	}
	fresh := func(draft string, w, h int) []string {
		c, _ := pane(draft)
		return c.DraftLines(w, h)
	}
	c, _ := pane("The k8s cluster is slow for customers in the EU since noon today.")
	first := c.DraftLines(38, 3)
	if again := c.DraftLines(38, 3); !slices.Equal(again, first) {
		t.Fatalf("drawn twice: %q then %q", first, again)
	}
	// What a caller does with the rows does not reach the kept ones.
	first[0] = "changed"
	if again := c.DraftLines(38, 3); again[0] == "changed" {
		t.Fatal("the kept rows are the caller's slice")
	}
	for _, tc := range []struct {
		draft string
		w, h  int
	}{
		{"The k8s cluster is slow for customers in the EU since noon today.", 30, 3},
		{"The k8s cluster is slow for customers in the EU since noon today.", 30, 2},
		{"Payments are slow for customers in the EU since noon today.", 30, 2},
		{"Payments are slow; the RCA follows.", 30, 2},
	} {
		c.Update(common.DraftSetMsg{Text: tc.draft})
		if got, want := c.DraftLines(tc.w, tc.h), fresh(tc.draft, tc.w, tc.h); !slices.Equal(got, want) {
			t.Fatalf("%q at %d×%d:\n got %q\nwant %q", tc.draft, tc.w, tc.h, got, want)
		}
	}
}
