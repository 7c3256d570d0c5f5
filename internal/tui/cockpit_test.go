package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

func TestCaptureLogsEntriesWithPrefixes(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)

	cases := []struct {
		line    string
		kind    incident.Kind
		text    string
		starred bool
		at      time.Time
	}{
		{"checked the PSP dashboard", incident.KindNote, "checked the PSP dashboard", false, pinned},
		{"!restart the gateway pods", incident.KindAction, "restart the gateway pods", false, pinned},
		{"> keep the failover", incident.KindDecision, "keep the failover", false, pinned},
		{"?who owns the merchant id", incident.KindQuestion, "who owns the merchant id", false, pinned},
		{"*error rate back under 1%", incident.KindNote, "error rate back under 1%", true, pinned},
		{"@13:40 ! paged the PSP account manager", incident.KindAction, "paged the PSP account manager", false, time.Date(2026, 3, 12, 13, 40, 0, 0, time.UTC)},
		{"@-10m first card payments succeed", incident.KindNote, "first card payments succeed", false, pinned.Add(-10 * time.Minute)},
	}
	for _, c := range cases {
		m = typeText(t, m, c.line)
		m = press(t, m, "enter")
		if v := m.cockpit.Capture.Value(); v != "" {
			t.Fatalf("%q: the capture line kept %q after logging", c.line, v)
		}
		var got *incident.Entry
		for _, e := range entries(t, st, id) {
			if e.Text == c.text {
				got = &e
			}
		}
		if got == nil {
			t.Fatalf("%q: no entry with text %q in the store", c.line, c.text)
		}
		if got.Kind != c.kind || got.Starred != c.starred || !got.At.Equal(c.at) || got.Author != "amara" {
			t.Errorf("%q: got kind %s starred %v at %s by %s, want %s %v %s amara", c.line, got.Kind, got.Starred, got.At, got.Author, c.kind, c.starred, c.at)
		}
		if !strings.Contains(m.View(), c.text) {
			t.Errorf("%q: the timeline does not show the new entry", c.line)
		}
	}
}

func TestSlashCommandsApply(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	for _, line := range []string{"/status monitoring", "/sev 1", "/lead priya", "/comms li", "/tag eu", "/mitigated 13:30", "/every 20m", "/eta 15:00"} {
		m = typeText(t, m, line)
		m = press(t, m, "enter")
		if e := m.cockpit.Capture.Err; e != "" {
			t.Fatalf("%s: %s", line, e)
		}
	}
	inc, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Status != incident.Monitoring || inc.Severity != 1 || inc.Roles[incident.RoleLead] != "priya" ||
		inc.Roles[incident.RoleComms] != "li" || !inc.HasTag("eu") || inc.Cadence != 20*time.Minute ||
		inc.Milestones[incident.Mitigated].Format("15:04") != "13:30" || inc.ETA.Format("15:04") != "15:00" {
		t.Fatalf("the commands did not all apply: %+v", inc)
	}
	view := m.View()
	for _, want := range []string{"MONITORING", "SEV1", "lead priya", "comms li", "#eu", "ETA 15:00", "mitigated    13:30"} {
		if !strings.Contains(view, want) {
			t.Errorf("the cockpit does not show %q:\n%s", want, view)
		}
	}
}

// A refused line ends with its enter like any other: it goes to the
// history (↑ brings it back) with the reason, and the line is free for
// what comes next. (It used to stay on the line, where the next keys
// joined it.)
func TestCaptureErrorSendsTheLineToHistory(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	before := len(entries(t, st, id))
	for _, line := range []string{"/status sideways", "/sev 9", "/nonsense", "@25:99 late note", "!"} {
		m = typeText(t, m, line)
		m = press(t, m, "enter")
		if got := m.cockpit.Capture.Value(); got != "" {
			t.Errorf("%q: the capture line holds %q after the refusal", line, got)
		}
		if m.cockpit.Capture.Err == "" || !strings.Contains(m.View(), "✗") || !strings.Contains(m.View(), "↑ brings it back") {
			t.Errorf("%q: no inline reason:\n%s", line, m.View())
		}
		m = press(t, m, "up")
		if got := m.cockpit.Capture.Value(); got != line {
			t.Errorf("%q: ↑ brought back %q", line, got)
		}
		m = press(t, m, "down")
		if got := m.cockpit.Capture.Value(); got != "" {
			t.Errorf("%q: ↓ left %q on the line", line, got)
		}
		m = typeText(t, m, "x")
		if m.cockpit.Capture.Err != "" {
			t.Errorf("%q: typing did not clear the error", line)
		}
		m = press(t, m, "backspace")
	}
	if after := len(entries(t, st, id)); after != before {
		t.Fatalf("failed lines were logged: %d entries, want %d", after, before)
	}
}

func TestTabCompletesSlashCommands(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)

	m = typeText(t, m, "/sta")
	if !strings.Contains(m.View(), "/status  /started") {
		t.Errorf("the hint does not list both matches:\n%s", m.View())
	}
	m = press(t, m, "tab")
	if got := m.cockpit.Capture.Value(); got != "/sta" {
		t.Errorf("tab on an ambiguous prefix gave %q", got)
	}
	m = typeText(t, m, "tu")
	m = press(t, m, "tab")
	if got := m.cockpit.Capture.Value(); got != "/status " {
		t.Errorf("tab completed to %q, want %q", got, "/status ")
	}
	if !strings.Contains(m.View(), "/status NAME — set status") {
		t.Errorf("the hint does not show the syntax:\n%s", m.View())
	}
	if m.cockpit.Focus != cockpit.FocusCapture {
		t.Errorf("tab while completing moved the focus")
	}
	m = typeText(t, m, "ident")
	m = press(t, m, "enter")
	if inc, _ := st.Incident(id); inc.Status != incident.Identified {
		t.Errorf("status is %s after completing /status ident", inc.Status)
	}
	// With nothing to complete, tab moves to the timeline.
	m = press(t, m, "tab")
	if m.cockpit.Focus != cockpit.FocusTimeline {
		t.Errorf("tab on an empty line did not focus the timeline")
	}
}

func TestHistoryRecallsEarlierLines(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "first line")
	m = press(t, m, "enter")
	m = typeText(t, m, "second line")
	m = press(t, m, "enter")
	m = typeText(t, m, "draft")
	want := []struct{ key, value string }{{"up", "second line"}, {"up", "first line"}, {"up", "first line"}, {"down", "second line"}, {"down", "draft"}}
	for _, w := range want {
		m = press(t, m, w.key)
		if got := m.cockpit.Capture.Value(); got != w.value {
			t.Fatalf("after %s the line is %q, want %q", w.key, got, w.value)
		}
	}
}

func TestHalfTypedLineSurvivesQuit(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "half a thought about the pool")
	press(t, m, "ctrl+c")
	if v, err := st.UIState(id, common.UIStateName("amara")); err != nil || v != "half a thought about the pool" {
		t.Fatalf("UIState after quit = %q, %v", v, err)
	}
	m2 := newModel(t, st, id, 120, 40)
	if got := m2.cockpit.Capture.Value(); got != "half a thought about the pool" {
		t.Fatalf("the line came back as %q", got)
	}
	if !strings.Contains(m2.View(), "half a thought about the pool") {
		t.Fatalf("the restored line is not drawn")
	}
}

func TestHalfTypedLineSavedAfterPause(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "abc")
	// An old timer does nothing; the one for the last keystroke saves.
	m = send(t, m, cockpit.SaveLineMsg{Seq: m.cockpit.Capture.Seq - 1})
	if v, _ := st.UIState(id, common.UIStateName("amara")); v != "" {
		t.Fatalf("a stale timer saved %q", v)
	}
	m = send(t, m, cockpit.SaveLineMsg{Seq: m.cockpit.Capture.Seq})
	if v, _ := st.UIState(id, common.UIStateName("amara")); v != "abc" {
		t.Fatalf("saved %q, want abc", v)
	}
	m = press(t, m, "enter")
	m = send(t, m, cockpit.SaveLineMsg{Seq: m.cockpit.Capture.Seq})
	if v, _ := st.UIState(id, common.UIStateName("amara")); v != "" {
		t.Fatalf("after logging the saved line is %q, want it cleared", v)
	}
}

func TestScreenCommandsSwitchOrSaySo(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)

	m = typeText(t, m, "/help")
	m = press(t, m, "enter")
	if !m.showHelp || !strings.Contains(m.View(), "Slash commands") || !strings.Contains(m.View(), "/publish") {
		t.Fatalf("/help did not show the help:\n%s", m.View())
	}
	m = press(t, m, "esc")
	if m.showHelp {
		t.Fatal("esc did not close the help")
	}
	for name, want := range map[string]common.Screen{"retro": common.ScreenRetro, "preview": common.ScreenPreview} {
		m = typeText(t, m, "/"+name)
		m = press(t, m, "enter")
		if m.screen != want {
			t.Errorf("/%s: screen %s, want %s", name, m.screen, want)
		}
		m = press(t, m, "esc")
		if m.screen != common.ScreenCockpit {
			t.Fatalf("esc did not return from /%s", name)
		}
	}
	m = typeText(t, m, "/list")
	m = press(t, m, "enter")
	if m.screen != common.ScreenList || !strings.Contains(m.View(), "Checkout payments failing") {
		t.Fatalf("/list did not show the list:\n%s", m.View())
	}
	m = press(t, m, "esc")
	if m.screen != common.ScreenCockpit {
		t.Fatal("esc did not return from the list")
	}
}

func TestTimelineScrollAndFollow(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 200)
	m := newModel(t, st, id, 120, 40)
	if !m.cockpit.Timeline.Follow || !strings.Contains(m.View(), "entry 199:") {
		t.Fatal("the timeline does not start at the newest entry")
	}
	m = press(t, m, "tab") // focus the timeline
	m = press(t, m, "k", "k", "k")
	if m.cockpit.Timeline.Follow {
		t.Fatal("scrolling up kept following")
	}
	if strings.Contains(m.View(), "entry 199:") || !strings.Contains(m.View(), "↓") {
		t.Fatalf("after scrolling up the newest entry is still shown or no 'newer' note:\n%s", m.View())
	}
	top := m.cockpit.Timeline.Top

	// An entry from another process does not move a scrolled view.
	if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "bot", Kind: incident.KindNote, Text: "from another process"}); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	if m.cockpit.Timeline.Top != top {
		t.Fatalf("a new entry moved the scrolled view from %d to %d", top, m.cockpit.Timeline.Top)
	}
	m = press(t, m, "G")
	if !m.cockpit.Timeline.Follow || !strings.Contains(m.View(), "from another process") {
		t.Fatal("G did not go back to the newest entry")
	}
	m = press(t, m, "g")
	if m.cockpit.Timeline.Top != 0 || !strings.Contains(m.View(), "entry 0:") {
		t.Fatal("g did not go to the top")
	}
	m = press(t, m, "pgdown")
	if m.cockpit.Timeline.Top == 0 {
		t.Fatal("pgdown did not scroll")
	}
	m = press(t, m, "G")
	m = send(t, m, tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if m.cockpit.Timeline.Follow {
		t.Fatal("the mouse wheel did not scroll up")
	}
	m = send(t, m, tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if !m.cockpit.Timeline.Follow {
		t.Fatal("the mouse wheel did not scroll back down")
	}

	// While following, a new entry shows at once.
	if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "bot", Kind: incident.KindNote, Text: "second from elsewhere"}); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	if !strings.Contains(m.View(), "second from elsewhere") {
		t.Fatal("a following timeline did not show the new entry")
	}
}

func TestLiveReloadOnStampChange(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	stamp, _ := st.Stamp()
	m = send(t, m, pollMsg{stamp: stamp})
	if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "script", Kind: incident.KindNote, Text: "logged by warroom log"}); err != nil {
		t.Fatal(err)
	}
	stamp2, _ := st.Stamp()
	m = send(t, m, pollMsg{stamp: stamp2})
	if !strings.Contains(m.View(), "logged by warroom log") {
		t.Fatalf("the poll did not reload:\n%s", m.View())
	}
}

func TestSelectionStarEditRetimeDelete(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = press(t, m, "tab", "enter") // focus the timeline, select the newest entry
	sel, ok := m.cockpit.Timeline.Selected()
	if !ok || sel.Text != "Failover to secondary PSP started" {
		t.Fatalf("selected %+v, want the newest entry", sel)
	}
	if !strings.Contains(m.View(), "▌") || !strings.Contains(m.View(), "#") {
		t.Fatal("the selection is not drawn")
	}
	m = press(t, m, "k")
	sel, _ = m.cockpit.Timeline.Selected()
	if sel.Text != "ETA set to 14:20" {
		t.Fatalf("k selected %q", sel.Text)
	}
	m = press(t, m, "j")

	// Star.
	m = press(t, m, "s")
	if e := lastEntry(t, st, id); !e.Starred {
		t.Fatal("s did not star the entry")
	}
	if !strings.Contains(m.View(), "★ Failover to secondary PSP started") {
		t.Fatal("the starred entry does not stand out")
	}

	// Edit the text.
	m = press(t, m, "e")
	if m.cockpit.Focus != cockpit.FocusCapture || m.cockpit.Capture.Mode != cockpit.ModeEditText || m.cockpit.Capture.Value() != "Failover to secondary PSP started" {
		t.Fatalf("e did not open the edit prompt: mode %d value %q", m.cockpit.Capture.Mode, m.cockpit.Capture.Value())
	}
	m = typeText(t, m, " (eu-west-1 only)")
	m = press(t, m, "enter")
	if e := lastEntry(t, st, id); e.Text != "Failover to secondary PSP started (eu-west-1 only)" || e.EditedAt.IsZero() {
		t.Fatalf("the edit did not land: %+v", e)
	}
	if m.cockpit.Capture.Mode != cockpit.ModeLog {
		t.Fatal("the prompt did not close")
	}

	// Re-time.
	m = press(t, m, "tab", "enter", "t")
	if m.cockpit.Capture.Mode != cockpit.ModeRetime {
		t.Fatal("t did not open the time prompt")
	}
	for range 5 {
		m = press(t, m, "backspace")
	}
	m = typeText(t, m, "13:44")
	m = press(t, m, "enter")
	e := lastEntry(t, st, id)
	if e.At.Format("15:04") != "13:44" || e.Text != "Failover to secondary PSP started (eu-west-1 only)" {
		t.Fatalf("re-time did not land: %+v", e)
	}

	// Delete asks first.
	m = press(t, m, "tab", "enter", "d")
	if !strings.Contains(m.View(), "Delete the entry") {
		t.Fatal("d did not ask to confirm")
	}
	m = armQuestions(m)
	m = press(t, m, "n")
	if lastEntry(t, st, id).Deleted {
		t.Fatal("n deleted the entry")
	}
	// A y in the same burst as the d is no answer: it was typed before
	// the question could be read.
	m = press(t, m, "d", "y")
	if lastEntry(t, st, id).Deleted || !strings.Contains(m.View(), "Delete the entry") {
		t.Fatal("a y typed ahead of the question deleted the entry")
	}
	m = armQuestions(m)
	m = press(t, m, "y")
	var deleted, logged bool
	for _, e := range entries(t, st, id) {
		if e.Text == "Failover to secondary PSP started (eu-west-1 only)" && e.Deleted {
			deleted = true
		}
		if strings.HasPrefix(e.Text, "Deleted entry #") && strings.Contains(e.Text, "from 13:44") {
			logged = true
		}
	}
	if !deleted || !logged {
		t.Fatalf("deleted %v, deletion logged %v", deleted, logged)
	}
	if strings.Contains(m.View(), "│ 13:44 ! ★ Failover") {
		t.Fatal("the deleted entry is still shown")
	}
	// The line that records the deletion is not an entry to delete or
	// edit: d says so at once instead of asking.
	m = press(t, m, "esc", "esc", "tab", "enter")
	if sel, ok := m.cockpit.Timeline.Selected(); !ok || sel.Set.Field != incident.FieldDelete {
		t.Fatalf("enter did not select the deletion's line: %+v", sel)
	}
	m = press(t, m, "d")
	if view := m.View(); strings.Contains(view, "Delete the entry") || !strings.Contains(view, "records a deletion") {
		t.Fatalf("d on the deletion's line:\n%s", view)
	}
}

func TestEditPromptEscKeepsHalfTypedLine(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "not finished")
	m = press(t, m, "tab", "enter", "e")
	if m.cockpit.Capture.Mode != cockpit.ModeEditText {
		t.Fatal("no edit prompt")
	}
	m = press(t, m, "esc")
	if m.cockpit.Capture.Mode != cockpit.ModeLog || m.cockpit.Capture.Value() != "not finished" {
		t.Fatalf("esc left mode %d value %q", m.cockpit.Capture.Mode, m.cockpit.Capture.Value())
	}
}

func TestCommandKeysStartCommands(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "unfinished note")
	m = press(t, m, "tab", "S")
	if m.cockpit.Focus != cockpit.FocusCapture || m.cockpit.Capture.Value() != "/status " {
		t.Fatalf("S gave focus %d and line %q", m.cockpit.Focus, m.cockpit.Capture.Value())
	}
	if !strings.Contains(m.View(), "/status NAME — set status") {
		t.Fatal("the command's syntax is not shown")
	}
	m = typeText(t, m, "monitoring")
	m = press(t, m, "enter")
	if inc, _ := st.Incident(id); inc.Status != incident.Monitoring {
		t.Fatalf("status %s", inc.Status)
	}
	// The half-typed note is back in the line once the command has run
	// (it was held, not pushed to the history), and the command is in the
	// history.
	if got := m.cockpit.Capture.Value(); got != "unfinished note" {
		t.Fatalf("after the command the line is %q, want the half-typed note back", got)
	}
	m = press(t, m, "up")
	if got := m.cockpit.Capture.Value(); got != "/status monitoring" {
		t.Fatalf("history[-1] = %q", got)
	}
	m = press(t, m, "down")
	if got := m.cockpit.Capture.Value(); got != "unfinished note" {
		t.Fatalf("down did not come back to the half-typed note: %q", got)
	}
	// esc on a command begun over a half-typed line brings the line back.
	m = press(t, m, "tab", "/")
	if got := m.cockpit.Capture.Value(); got != "/" || !strings.Contains(m.View(), "is kept") {
		t.Fatalf("/ from the timeline gave %q and no note that the line is kept:\n%s", got, m.View())
	}
	m = typeText(t, m, "sev 1")
	m = press(t, m, "esc")
	if got := m.cockpit.Capture.Value(); got != "unfinished note" {
		t.Fatalf("esc gave %q, want the half-typed note back", got)
	}
	m = press(t, m, "up")
	if got := m.cockpit.Capture.Value(); got != "/sev 1" {
		t.Fatalf("the dropped command is not in the history: %q", got)
	}
	if inc, _ := st.Incident(id); inc.Severity == 1 {
		t.Fatal("esc ran the command")
	}
	// Every command key names a real slash command.
	for _, ck := range m.ctx.Keys.Commands {
		if _, err := incident.ParseCapture(strings.TrimSpace(ck.Line)+" x", pinned); err != nil && strings.Contains(err.Error(), "is not a command") {
			t.Errorf("%s fills %q, not a command", ck.Help().Key, ck.Line)
		}
	}
}

// Saving a half-typed line waits for a pause in typing, but never longer
// than maxSaveWait: the longest-wait tick saves even when the line has
// changed since it was scheduled.
func TestHalfTypedLineSavedWithinTheLongestWait(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	c := m.cockpit.Capture
	c.Input.SetValue("steady typi")
	first := c.Seq
	c.Changed()
	c.Input.SetValue("steady typing goes on")
	c.Changed()
	var cmd tea.Cmd
	if c, cmd = c.Update(cockpit.SaveLineMsg{Seq: first}); cmd != nil {
		t.Fatal("a stale pause tick saved")
	}
	if c, cmd = c.Update(cockpit.SaveLineMsg{Seq: first, Force: true}); cmd == nil {
		t.Fatal("the longest-wait tick did not save")
	}
	cmd()
	m.ctx.WaitWrites()
	if v, _ := st.UIState(id, common.UIStateName("amara")); v != "steady typing goes on" {
		t.Fatalf("saved %q", v)
	}
	if c.Armed {
		t.Error("the longest-wait tick left the timer armed")
	}
}

// A half-done edit of an entry comes back after quitting, like the
// capture line does.
func TestEntryEditSurvivesQuitting(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = press(t, m, "tab", "enter", "e")
	if m.cockpit.Capture.Mode != cockpit.ModeEditText {
		t.Fatalf("no edit prompt:\n%s", m.View())
	}
	entry := m.cockpit.Capture.Entry.ID
	m.cockpit.Capture.Input.SetValue("half of a better wording")
	m = press(t, m, "ctrl+c")
	m.ctx.WaitWrites()

	m = newModel(t, st, id, 120, 40)
	c := m.cockpit.Capture
	if c.Mode != cockpit.ModeEditText || c.Entry.ID != entry || c.Value() != "half of a better wording" {
		t.Fatalf("after reopening: mode %d entry #%d value %q; want the edit of #%d back", c.Mode, c.Entry.ID, c.Value(), entry)
	}
	m = press(t, m, "esc")
	m.ctx.WaitWrites()
	if v, _ := st.UIState(id, common.PromptStateName("amara")); v != "" {
		t.Errorf("the cancelled edit is still kept: %q", v)
	}
}

// A line shows on the timeline the moment enter is pressed, marked as
// saving, and the mark goes once the write is durable.
func TestTypedLineShowsAtOnceUntilSaved(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "restarted the payment workers")
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	m = next.(Model)
	if v := m.View(); !strings.Contains(v, "restarted the payment workers") || !strings.Contains(v, "saving…") {
		t.Fatalf("the line is not shown at once as saving:\n%s", v)
	}
	m = drive(t, m, cmd)
	if v := m.View(); !strings.Contains(v, "restarted the payment workers") || strings.Contains(v, "saving…") {
		t.Fatalf("after the write the line should be an entry, not saving:\n%s", v)
	}
}

// A paste of timed lines is offered as a backfill: enter logs each line at
// its time, esc keeps the paste as text.
func TestPasteOfTimedLinesOffersABackfill(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	paste := tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("13:43 pager fired again\n13:44 /status monitoring\n")}
	m = send(t, m, paste)
	if v := m.View(); !strings.Contains(v, "Backfill 2 timed lines from 13:43 to 13:44?") || strings.Contains(v, "enter logs them") {
		t.Fatalf("no backfill offered, or its answers shown before it takes them:\n%s", v)
	}
	// An enter in the same burst as the paste is not an answer.
	m = press(t, m, "enter")
	if inc, _ := st.Incident(id); inc.Status == incident.Monitoring {
		t.Fatal("an enter typed ahead of the question backfilled the paste")
	}
	m = armQuestions(m)
	if v := m.View(); !strings.Contains(v, "enter logs them at their times · esc logs none") {
		t.Fatalf("the armed question does not say what enter and esc do:\n%s", v)
	}
	m = press(t, m, "enter")
	m.ctx.WaitWrites()
	inc, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range inc.Entries {
		if e.Text == "pager fired again" && e.At.Format("15:04") == "13:43" {
			found = true
		}
	}
	if !found || inc.Status != incident.Monitoring {
		t.Fatalf("backfill not logged at its times: status %s", inc.Status)
	}

	// esc logs none of it; its lines are in the history. (It used to join
	// the lines into one line of text, which enter then logged as one note.)
	before := len(entries(t, st, id))
	m = send(t, m, paste)
	m = armQuestions(m)
	m = press(t, m, "esc")
	if v := m.cockpit.Capture.Value(); v != "" || len(entries(t, st, id)) != before {
		t.Fatalf("esc left %q on the line or logged the paste", v)
	}
	m = press(t, m, "up")
	if v := m.cockpit.Capture.Value(); v != "13:44 /status monitoring" {
		t.Fatalf("↑ after esc brought back %q, want the paste's last line", v)
	}
}

// A delta read after this program's write committed can arrive before the
// write's own result: the entry is shown once, and the newer head kept.
func TestOwnWriteAfterADeltaIsShownOnce(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "/status monitoring")
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	m = next.(Model)
	// The write lands; another process writes after it; the delta that
	// reads both arrives first.
	m.ctx.WaitWrites()
	applied := runCmdsFor[common.AppliedMsg](t, cmd)
	if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "bot", Kind: incident.KindNote, Text: "bot: a later note"}); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	m = send(t, m, applied)
	v := m.View()
	if strings.Count(v, "Status identified → monitoring") != 1 || !strings.Contains(v, "bot: a later note") {
		t.Fatalf("the own entry is not shown exactly once beside the later note:\n%s", v)
	}
}

// runCmdsFor runs cmd (and the batches it returns) and returns the first
// message of type T it produces.
func runCmdsFor[T any](t *testing.T, cmd tea.Cmd) T {
	t.Helper()
	var zero T
	var found *T
	var run func(c tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil || found != nil {
			return
		}
		msg, ok := runCmd(c)
		if !ok || msg == nil {
			return
		}
		if b, isBatch := msg.(tea.BatchMsg); isBatch {
			for _, c := range b {
				run(c)
			}
			return
		}
		if v, ok := msg.(T); ok {
			found = &v
		}
	}
	run(cmd)
	if found == nil {
		t.Fatalf("no %T came out of the command", zero)
	}
	return *found
}

// /handover gives the role and writes the brief for the new holder: they
// see all of it once, in a panel esc closes; nobody else gets it pushed.
// (It used to go to whoever opened the incident next, cut to the status
// line.)
func TestHandoverBriefIsShownToTheNewHolder(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "/handover ben")
	m = press(t, m, "enter")
	m.ctx.WaitWrites()
	inc, _ := st.Incident(id)
	if inc.Roles[incident.RoleLead] != "ben" {
		t.Fatalf("lead %q after /handover ben", inc.Roles[incident.RoleLead])
	}
	brief := lastEntry(t, st, id)
	if brief.Kind != incident.KindHandover || !strings.Contains(brief.Text, "\n") {
		t.Fatalf("the brief %+v should be several lines", brief)
	}
	kim := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 160, Height: 40, Author: "kim"})
	kim = drive(t, kim, kim.Init())
	if v := kim.View(); strings.Contains(v, "Handover brief for you") {
		t.Fatalf("kim, who got no role, is shown the brief:\n%s", v)
	}
	ben := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 160, Height: 40, Author: "ben"})
	ben = drive(t, ben, ben.Init())
	v := ben.View()
	if !strings.Contains(v, "Handover brief for you") {
		t.Fatalf("ben does not see the brief:\n%s", v)
	}
	for _, l := range strings.Split(brief.Text, "\n")[:3] {
		r := []rune(strings.TrimSpace(incident.CleanLine(l)))
		if !strings.Contains(v, string(r[:min(20, len(r))])) {
			t.Fatalf("the panel lacks the brief's line %q:\n%s", l, v)
		}
	}
	ben = press(t, ben, "esc")
	if strings.Contains(ben.View(), "Handover brief for you") {
		t.Fatal("esc did not close the brief")
	}
	ben.ctx.WaitWrites()
	again := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 160, Height: 40, Author: "ben"})
	again = drive(t, again, again.Init())
	if strings.Contains(again.View(), "Handover brief") {
		t.Error("the brief is shown again after it was seen")
	}
}

// A new lead already in the room sees the brief when the handover lands.
func TestHandoverBriefReachesTheNewHolderInTheRoom(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	ben := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 160, Height: 40, Author: "ben"})
	ben = drive(t, ben, ben.Init())
	amara := newModel(t, st, id, 120, 40)
	amara = typeLines(t, amara, "/handover ben")
	amara.ctx.WaitWrites()
	if strings.Contains(amara.View(), "Handover brief for you") {
		t.Fatal("the one handing over is shown the brief")
	}
	ben = send(t, ben, common.ReloadMsg{})
	if v := ben.View(); !strings.Contains(v, "Handover brief for you") {
		t.Fatalf("ben, in the room, does not see the brief:\n%s", v)
	}
}

// TestTabCyclesCandidates: tab extends a command as far as it is
// unambiguous; the next tab goes through the candidates, one per press.
func TestTabCyclesCandidates(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = typeText(t, m, "/st")
	m = press(t, m, "tab")
	if got := m.cockpit.Capture.Value(); got != "/sta" {
		t.Fatalf("tab on /st gave %q, want /sta", got)
	}
	m = press(t, m, "tab")
	first := m.cockpit.Capture.Value()
	m = press(t, m, "tab")
	second := m.cockpit.Capture.Value()
	if first == second || !slices.Contains([]string{"/status", "/started"}, first) || !slices.Contains([]string{"/status", "/started"}, second) {
		t.Fatalf("tabs after /sta gave %q then %q, want /status and /started in turn", first, second)
	}
	if !strings.Contains(m.View(), "tab next") || m.cockpit.Focus != cockpit.FocusCapture {
		t.Fatalf("cycling does not say so or moved focus:\n%s", m.View())
	}
	m = press(t, m, "tab")
	if got := m.cockpit.Capture.Value(); got != first {
		t.Fatalf("the cycle did not come round: %q, want %q", got, first)
	}
	// Typing ends the cycle: a space and an argument run the command.
	for m.cockpit.Capture.Value() != "/status" {
		m = press(t, m, "tab")
	}
	m = typeText(t, m, " monitoring")
	m = press(t, m, "enter")
	if inc, _ := st.Incident(id); inc.Status != incident.Monitoring {
		t.Fatalf("status %s after the cycled command", inc.Status)
	}
}

// TestIncidentPaneFocusable: tab (after the comms pane) or shift+tab from
// the capture line focuses the incident pane; its rows are selectable and
// the selected one shows whole.
func TestIncidentPaneFocusable(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	for _, tag := range []string{"checkout-eu-west", "psp-rate-limits", "merchant-config"} {
		c, err := incident.ParseCapture("/tag "+tag, pinned)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Apply(id, c, pinned, "amara", incident.DefaultPolicy()); err != nil {
			t.Fatal(err)
		}
	}
	m := newModel(t, st, id, 80, 24)
	if strings.Contains(m.View(), "#merchant-config") {
		t.Fatalf("the tags are not cut before focusing (the test needs them cut):\n%s", m.View())
	}
	m = press(t, m, "shift+tab")
	if !strings.Contains(m.View(), "select row") {
		t.Fatalf("shift+tab from the capture line did not focus the incident pane:\n%s", m.View())
	}
	m = press(t, m, "G")
	if view := m.View(); !strings.Contains(view, "#merchant-config") {
		t.Fatalf("the selected tags row is not shown whole:\n%s", view)
	}
	m = press(t, m, "g")
	if view := m.View(); !strings.Contains(view, "lead") || strings.Contains(view, "#merchant-config") {
		t.Fatalf("g did not select the first row:\n%s", view)
	}
	// esc gives the keyboard back to the capture line; tab order reaches
	// the pane after the comms pane.
	m = press(t, m, "esc")
	if m.cockpit.Focus != cockpit.FocusCapture {
		t.Fatal("esc did not go back to the capture line")
	}
	m = press(t, m, "tab", "tab", "tab")
	if !strings.Contains(m.View(), "select row") {
		t.Fatalf("tab after the comms pane did not reach the incident pane:\n%s", m.View())
	}
	m = press(t, m, "tab")
	if m.cockpit.Focus != cockpit.FocusCapture {
		t.Fatal("tab from the incident pane did not come round to the capture line")
	}
}
