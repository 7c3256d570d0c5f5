package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

func TestMain(m *testing.M) {
	// Goldens and assertions read plain text: no colours, no terminal
	// queries.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// pinned is the clock of every test: 13:45, an hour into the handbook's
// example incident.
var pinned = time.Date(2026, 3, 12, 13, 45, 0, 0, time.UTC)

func pinnedNow() time.Time { return pinned }

func testConfig() *config.Config {
	cfg := config.Default()
	cfg.Author = "amara"
	// Every test shows times in one zone, whatever the machine's.
	cfg.Location = time.UTC
	return cfg
}

// openStore opens a fresh database under t.TempDir().
func openStore(tb testing.TB) *store.Store {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "warroom.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	return st
}

// handbookLines is the example incident's timeline: minutes after 12:30
// and what was typed.
var handbookLines = []struct {
	min  int
	line string
	who  string
}{
	{10, "Alerts: checkout error rate 23% in eu-west-1", "amara"},
	{11, "/started 12:31", "amara"},
	{12, "!Paged payments on-call (dmitri)", "amara"},
	{13, "/acknowledged", "dmitri"},
	{15, "?Did anything deploy in the last hour?", "amara"},
	{16, "web deploy 4512 went out 12:25, includes the new PSP client", "dmitri"},
	{18, "!Rolling back web deploy 4512", "dmitri"},
	{24, "Rollback done; error rate unchanged at 22%", "dmitri"},
	{30, "*PSP status page reports degraded card authorisations in EU", "jonas"},
	{31, "/tag payments", "amara"},
	{40, "Still investigating; connection pool to psp-gateway saturated", "dmitri"},
	{62, ">Fail over card payments to the secondary PSP", "amara"},
	{63, "/status identified", "amara"},
	{70, "*Root cause: PSP rate-limits our EU merchant id since 12:28", "dmitri"},
	{71, "/eta 14:20", "amara"},
	{72, "!Failover to secondary PSP started", "dmitri"},
}

// seedHandbook declares the handbook's example incident (12:40) and types
// its timeline at the times it happened.
func seedHandbook(tb testing.TB, st *store.Store) int64 {
	tb.Helper()
	cfg := testConfig()
	t0 := time.Date(2026, 3, 12, 12, 30, 0, 0, time.UTC)
	inc, err := incident.NewIncident("Checkout payments failing for EU customers", 2, t0.Add(10*time.Minute), cfg.Policy())
	if err != nil {
		tb.Fatal(err)
	}
	inc.Roles[incident.RoleLead] = "amara"
	inc.Roles[incident.RoleComms] = "jonas"
	inc.WarRoom = "#inc-checkout"
	inc.PublicChannel = "#status"
	out, err := st.CreateIncident(inc, "amara")
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range handbookLines {
		now := t0.Add(time.Duration(l.min) * time.Minute)
		c, err := incident.ParseCapture(l.line, now)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := st.Apply(out.ID, c, now, l.who, cfg.Policy()); err != nil {
			tb.Fatal(err)
		}
	}
	return out.ID
}

// seedMany declares an incident with n entries in one import, one a minute
// from 00:00 of the pinned day backwards in time order.
func seedMany(tb testing.TB, st *store.Store, n int) int64 {
	tb.Helper()
	inc, err := incident.NewIncident(fmt.Sprintf("Incident with %d entries", n), 3, pinned.Add(-time.Duration(n+1)*time.Minute), incident.DefaultPolicy())
	if err != nil {
		tb.Fatal(err)
	}
	inc.Roles[incident.RoleLead] = "amara"
	kinds := []incident.Kind{incident.KindNote, incident.KindAction, incident.KindDecision, incident.KindQuestion}
	for i := range n {
		at := pinned.Add(-time.Duration(n-i) * time.Minute)
		inc.Entries = append(inc.Entries, incident.Entry{
			At: at, RecordedAt: at, Author: "dmitri", Kind: kinds[i%len(kinds)],
			Text: fmt.Sprintf("entry %d: checked the payment gateway logs and the pool metrics", i), Starred: i%50 == 0,
		})
	}
	res, err := st.ImportIncident(inc)
	if err != nil {
		tb.Fatal(err)
	}
	return res.ID
}

// newModel builds the root model on a store at a size and runs its Init.
func newModel(tb testing.TB, st *store.Store, id int64, w, h int) Model {
	tb.Helper()
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: w, Height: h})
	return drive(tb, m, m.Init())
}

// timerCode identifies the closures tea.Tick, tea.Every, pollCmd and a
// blinking cursor return: every closure from one function literal shares its code
// pointer.
var timerCode = map[uintptr]bool{
	reflect.ValueOf(tea.Tick(time.Hour, nil)).Pointer():  true,
	reflect.ValueOf(tea.Every(time.Hour, nil)).Pointer(): true,
	reflect.ValueOf(blinkCmd()).Pointer():                true,
	// The wait for a change to the database is the poll timer's
	// successor: it returns after a second with nothing to do.
	reflect.ValueOf(pollCmd(nil, 0, 0, store.Stamp{})).Pointer(): true,
}

func blinkCmd() tea.Cmd {
	c := cursor.New()
	c.SetMode(cursor.CursorBlink)
	return c.Focus()
}

// runCmd runs one command, skipping timers (the tests send their messages
// themselves).
func runCmd(c tea.Cmd) (tea.Msg, bool) {
	if timerCode[reflect.ValueOf(c).Pointer()] {
		return nil, false
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		return msg, true
	case <-time.After(10 * time.Second):
		panic("a command did not return within 10s")
	}
}

var cmdType = reflect.TypeOf((tea.Cmd)(nil))

// drive runs cmd and feeds every message it produces back through Update
// until nothing is left but timers, as the program would.
func drive(tb testing.TB, m Model, cmd tea.Cmd) Model {
	tb.Helper()
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 10000 {
			tb.Fatal("the model keeps producing messages")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg, ok := runCmd(c)
		if !ok || msg == nil {
			continue
		}
		if b, isBatch := msg.(tea.BatchMsg); isBatch {
			queue = append(queue, b...)
			continue
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
			// tea.Sequence: run in order, each to completion.
			for i := range v.Len() {
				m = drive(tb, m, v.Index(i).Interface().(tea.Cmd))
			}
			continue
		}
		if _, quit := msg.(tea.QuitMsg); quit {
			continue
		}
		next, c2 := m.Update(msg)
		m = next.(Model)
		queue = append(queue, c2)
	}
	return m
}

// send delivers messages one by one, driving what each produces. A burst
// of letters is handed to its field at once, as its timer would after it
// (see burst.go); tests of bursts call Update themselves.
func send(tb testing.TB, m Model, msgs ...tea.Msg) Model {
	tb.Helper()
	for _, msg := range msgs {
		next, cmd := m.Update(msg)
		m = drive(tb, next.(Model), cmd)
		if len(m.burst) > 0 {
			next, cmd = m.Update(burstFlushMsg{seq: m.burstSeq})
			m = drive(tb, next.(Model), cmd)
		}
	}
	return m
}

// keyMsg turns a key name into a key message.
func keyMsg(s string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "esc": tea.KeyEscape,
		"up": tea.KeyUp, "down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"ctrl+c": tea.KeyCtrlC, "ctrl+n": tea.KeyCtrlN, "ctrl+s": tea.KeyCtrlS, "f1": tea.KeyF1,
		"ctrl+u": tea.KeyCtrlU, "ctrl+x": tea.KeyCtrlX,
		"backspace": tea.KeyBackspace, "home": tea.KeyHome, "end": tea.KeyEnd,
	}
	if k, ok := named[s]; ok {
		return tea.KeyMsg{Type: k}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press sends named keys.
func press(tb testing.TB, m Model, keys ...string) Model {
	tb.Helper()
	for _, k := range keys {
		m = send(tb, m, keyMsg(k))
	}
	return m
}

// typeText types s one rune at a time.
func typeText(tb testing.TB, m Model, s string) Model {
	tb.Helper()
	for _, r := range s {
		m = send(tb, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}

// checkFrame asserts that a frame is exactly w×h cells and carries no
// escape or control sequence (the colour profile is ASCII in tests, so any
// ESC came from user text).
func checkFrame(tb testing.TB, view string, w, h int) {
	tb.Helper()
	if strings.ContainsAny(view, "\x1b\r\a\b\u009b\u0090\u009d") {
		tb.Fatalf("the frame contains a control character: %q", view)
	}
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		tb.Fatalf("the frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			tb.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
}

// entries reads the incident's timeline from the store.
func entries(tb testing.TB, st *store.Store, id int64) []incident.Entry {
	tb.Helper()
	inc, err := st.Incident(id)
	if err != nil {
		tb.Fatal(err)
	}
	return inc.Entries
}

// lastEntry is the newest visible entry in the store.
func lastEntry(tb testing.TB, st *store.Store, id int64) incident.Entry {
	tb.Helper()
	inc, err := st.Incident(id)
	if err != nil {
		tb.Fatal(err)
	}
	vis := inc.VisibleEntries()
	if len(vis) == 0 {
		tb.Fatal("no entries")
	}
	return vis[len(vis)-1]
}
