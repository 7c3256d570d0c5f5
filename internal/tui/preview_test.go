package tui

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/preview"
)

// lockedBuffer is a terminal the program writes OSC 52 to from commands.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// openPreview shows the preview of the handbook incident at w×h.
func openPreview(t *testing.T, st *store.Store, id int64, term *lockedBuffer, w, h int) Model {
	t.Helper()
	opts := Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: w, Height: h}
	if term != nil {
		opts.Terminal = term
	}
	m := New(opts)
	m = drive(t, m, m.Init())
	m = typeText(t, m, "/preview")
	m = press(t, m, "enter")
	if m.screen != common.ScreenPreview {
		t.Fatalf("/preview did not open the preview:\n%s", m.View())
	}
	return m
}

func previewOf(t *testing.T, m Model) *preview.Model {
	t.Helper()
	p, ok := m.screens[common.ScreenPreview].(*preview.Model)
	if !ok {
		t.Fatal("the preview screen is not built")
	}
	return p
}

func TestPreviewRendersTheExport(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := openPreview(t, st, id, nil, 120, 40)
	view := m.View()
	checkFrame(t, view, 120, 40)
	for _, want := range []string{"Preview · INC-1 · INC-1-checkout-payments-failing-for-eu-customers.md", "INC-1: Checkout payments failing for EU customers", "Severity", "SEV2"} {
		if !strings.Contains(view, want) {
			t.Errorf("preview lacks %q:\n%s", want, view)
		}
	}
	p := previewOf(t, m)
	inc, _ := st.Incident(id)
	want, _ := export.Markdown(inc, export.Options{Policy: testConfig().Policy(), Location: time.UTC, Zone: "UTC"})
	if !bytes.Equal(p.Markdown, want) {
		t.Error("the preview does not show the incident's export")
	}

	// It scrolls to the end, where the contributors are, and back.
	m = press(t, m, "G")
	if view := m.View(); !strings.Contains(view, "Contributors") || !strings.Contains(view, "100%") {
		t.Errorf("G did not scroll to the end:\n%s", view)
	}
	m = press(t, m, "g")
	if !strings.Contains(m.View(), "INC-1: Checkout payments failing") {
		t.Error("g did not scroll back to the top")
	}
	m = press(t, m, "j", "j", "j")
	if p := previewOf(t, m); p.Vp.YOffset != 3 {
		t.Errorf("j×3 scrolled to line %d, want 3", p.Vp.YOffset)
	}
	m = press(t, m, "esc")
	if m.screen != common.ScreenCockpit {
		t.Error("esc did not return to the cockpit")
	}
}

func TestPreviewFollowsTheIncidentAndTheWidth(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := openPreview(t, st, id, nil, 100, 30)
	if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "jonas", Kind: incident.KindNote, Text: "A note from another terminal"}); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{}, common.TickMsg(pinned))
	if !bytes.Contains(previewOf(t, m).Markdown, []byte("A note from another terminal")) {
		t.Error("the preview did not re-render after the incident changed")
	}
	before := previewOf(t, m).Vp.TotalLineCount()
	m = send(t, m, tea.WindowSizeMsg{Width: 90, Height: 30}, common.TickMsg(pinned))
	checkFrame(t, m.View(), 90, 30)
	if after := previewOf(t, m).Vp.TotalLineCount(); after <= before {
		t.Errorf("narrowing the window did not re-wrap the preview (%d lines, then %d)", before, after)
	}
}

func TestPreviewNeutralisesHostileText(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	hostile := "&#27;[31mred &#x1b;]52;c;AAAA&#7; \x1b[32mgreen\x1b[0m <script>alert(1)</script> | pipe"
	if _, err := st.AppendEntry(id, incident.Entry{At: pinned, RecordedAt: pinned, Author: "mallory", Kind: incident.KindNote, Text: hostile}); err != nil {
		t.Fatal(err)
	}
	m := openPreview(t, st, id, nil, 200, 60)
	m = press(t, m, "G")
	view := m.View()
	checkFrame(t, view, 200, 60) // no ESC, BEL or C1 anywhere
	for _, want := range []string{"&#27;[31mred", "&#x1b;]52;c;AAAA&#7;", "green", "<script>alert(1)</script>", "| pipe"} {
		if !strings.Contains(view, want) {
			t.Errorf("the hostile entry does not show %q as text:\n%s", want, view)
		}
	}
}

func TestPreviewWithTheConfiguredTemplate(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "export.md.tmpl")
	if err := os.WriteFile(tmpl, []byte("# Custom {{.ID}}\n\nRaw &#27;[31m from the template.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.ExportTemplate = tmpl
	m := New(Options{Store: st, Config: cfg, Now: pinnedNow, IncidentID: id, Width: 100, Height: 30})
	m = drive(t, m, m.Init())
	m = typeText(t, m, "/preview")
	m = press(t, m, "enter")
	view := m.View()
	checkFrame(t, view, 100, 30)
	if !strings.Contains(view, "Custom INC-1") || !strings.Contains(view, "Raw &#27;[31m from the template.") {
		t.Errorf("custom template not used or not neutralised:\n%s", view)
	}
	if err := os.Remove(tmpl); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "r")
	if v := m.View(); !strings.Contains(v, "render failed") || !strings.Contains(v, "export template") {
		t.Errorf("a missing template is not reported:\n%s", m.View())
	}
}

func TestPreviewWritesAndCopies(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	term := &lockedBuffer{}
	m := openPreview(t, st, id, term, 120, 40)
	dir := t.TempDir()
	previewOf(t, m).Dir = dir

	// w asks for the path first, offering the file name in the folder.
	m = press(t, m, "w")
	path := filepath.Join(dir, "INC-1-checkout-payments-failing-for-eu-customers.md")
	if _, err := os.Stat(path); err == nil {
		t.Fatal("w wrote before asking for the path")
	}
	if !strings.Contains(m.View(), "Write to › "+path) {
		t.Fatalf("w does not show the path it offers:\n%s", m.View())
	}
	m = press(t, m, "enter")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("w did not write the file: %v\n%s", err, m.View())
	}
	if !bytes.Equal(data, previewOf(t, m).Markdown) {
		t.Error("the file is not the Markdown shown")
	}
	if !strings.Contains(m.View(), "Wrote "+path) {
		t.Errorf("no status after writing:\n%s", m.View())
	}

	m = press(t, m, "y")
	seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString(data) + "\a"
	if !strings.Contains(term.String(), seq) {
		t.Errorf("y did not copy the Markdown with OSC 52; the terminal got %d bytes", len(term.String()))
	}
	if !strings.Contains(m.View(), "Copied the Markdown") {
		t.Errorf("no status after copying:\n%s", m.View())
	}

	// The file exists now: w asks before replacing it; n goes back to the
	// path, y replaces.
	if err := os.WriteFile(path, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "w", "enter")
	if v := m.View(); !strings.Contains(v, "exists.") || strings.Contains(v, "y/enter replaces it") {
		t.Fatalf("writing over a file did not ask, or showed its answers before taking them:\n%s", v)
	}
	m = armQuestions(m)
	if !strings.Contains(m.View(), "exists. y/enter replaces it · n/esc picks another path") {
		t.Fatalf("the question does not say what its answers do:\n%s", m.View())
	}
	if got, _ := os.ReadFile(path); string(got) != "mine" {
		t.Fatal("the file was overwritten without asking")
	}
	m = press(t, m, "n")
	if !strings.Contains(m.View(), "Write to › ") {
		t.Fatalf("n did not go back to the path:\n%s", m.View())
	}
	m = answer(t, press(t, m, "enter"), "y")
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Fatal("y did not replace the file")
	}
	// A path typed by hand, and esc cancels.
	m = press(t, m, "w")
	m = send(t, m, tea.KeyMsg{Type: tea.KeyCtrlU})
	other := filepath.Join(dir, "for-the-board.md")
	m = typeText(t, m, other)
	m = press(t, m, "enter")
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("the typed path was not written: %v", err)
	}
	m = press(t, m, "w", "esc")
	if strings.Contains(m.View(), "Write to") {
		t.Fatal("esc did not cancel the path prompt")
	}

	previewOf(t, m).Dir = filepath.Join(dir, "missing", "folder")
	m = press(t, m, "w", "enter")
	if !strings.Contains(m.View(), "cannot write") {
		t.Errorf("a failed write is not reported:\n%s", m.View())
	}
}

// TestPreviewOffersExportDir: with no Dir set, w offers the config's
// export_dir.
func TestPreviewOffersExportDir(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := openPreview(t, st, id, nil, 120, 40)
	dir := t.TempDir()
	m.ctx.Config.ExportDir = dir
	previewOf(t, m).Dir = ""
	m = press(t, m, "w")
	if !strings.Contains(m.View(), "Write to › "+filepath.Join(dir, "INC-1-")) {
		t.Fatalf("w does not offer export_dir:\n%s", m.View())
	}
}

// previewWait waits until the program has drawn s at some point, reading
// its output into drawn.
func previewWait(t *testing.T, tm *teatest.TestModel, drawn *bytes.Buffer, s string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := drawn.ReadFrom(tm.Output()); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(drawn.Bytes(), []byte(s)) {
			return
		}
	}
	t.Fatalf("the program never drew %q; it drew:\n%s", s, drawn.String())
}

func TestPreviewFlow(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 100, Height: 30})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	var drawn bytes.Buffer
	previewWait(t, tm, &drawn, "Checkout payments failing")
	tm.Type("/preview")
	tm.Send(keyMsg("enter"))
	previewWait(t, tm, &drawn, "Preview · INC-1")
	previewWait(t, tm, &drawn, "All times are in UTC")
	tm.Send(keyMsg("G"))
	previewWait(t, tm, &drawn, "Contributors")
	tm.Send(keyMsg("ctrl+c"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if final.screen != common.ScreenPreview {
		t.Errorf("the program ended on the %s screen, want preview", final.screen)
	}
}
