package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/retro"
)

// retroOf reads the stored retro.
func retroOf(tb testing.TB, st *store.Store, id int64) incident.Retro {
	tb.Helper()
	inc, err := st.Incident(id)
	if err != nil {
		tb.Fatal(err)
	}
	return inc.Retro
}

// waitStore polls the store until ok holds for the retro, failing with
// what it last saw. It waits for a write in flight; it asserts no speed.
func waitStore(tb testing.TB, st *store.Store, id int64, what string, ok func(r incident.Retro) bool) incident.Retro {
	tb.Helper()
	var r incident.Retro
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		r = retroOf(tb, st, id)
		if ok(r) {
			return r
		}
	}
	tb.Fatalf("the store never showed %s; last retro: %+v", what, r)
	return r
}

// retroProgram is the whole program under teatest, with everything it
// has drawn so far: the renderer sends only changed lines, so a later wait
// must see what an earlier one read.
type retroProgram struct {
	*teatest.TestModel
	drawn bytes.Buffer
}

// startRetro runs the whole program on the handbook incident and opens the
// retro screen with /retro.
func startRetro(t *testing.T, st *store.Store, id int64) *retroProgram {
	t.Helper()
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 100, Height: 30})
	tm := &retroProgram{TestModel: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))}
	waitOutput(t, tm, "Checkout payments failing")
	tm.Type("/retro")
	tm.Send(keyMsg("enter"))
	waitOutput(t, tm, "Retrospective")
	return tm
}

// waitOutput waits until the program has drawn s at some point.
func waitOutput(t *testing.T, tm *retroProgram, s string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := tm.drawn.ReadFrom(tm.Output()); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(tm.drawn.Bytes(), []byte(s)) {
			return
		}
	}
	t.Fatalf("the program never drew %q; it drew:\n%s", s, tm.drawn.String())
}

// quit ends the program and returns the final root model.
func quit(t *testing.T, tm *retroProgram) Model {
	t.Helper()
	tm.Send(keyMsg("ctrl+c"))
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
}

func TestRetroFlowWriteIntroduction(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	tm := startRetro(t, st, id)
	waitOutput(t, tm, "How was it resolved?")

	tm.Send(keyMsg("enter"))
	tm.Type("EU card payments failed for 50 minutes.")
	tm.Send(keyMsg("enter"))
	tm.Type("The PSP rate-limited us; we failed over.")
	want := "EU card payments failed for 50 minutes.\nThe PSP rate-limited us; we failed over."
	// Saved as typed: the text reaches the file without leaving the editor.
	r := waitStore(t, st, id, "the introduction", func(r incident.Retro) bool {
		s := r.Section("Introduction")
		return s != nil && s.Text == want
	})
	if got := r.Section("Introduction").Contributors; !slices.Equal(got, []string{"amara"}) {
		t.Errorf("contributors = %q; want amara", got)
	}
	tm.Send(keyMsg("esc"))
	waitOutput(t, tm, "by amara")
	m := quit(t, tm)
	if m.screen != common.ScreenRetro {
		t.Errorf("the screen is %v; want the retro screen", m.screen)
	}
	view := m.View()
	checkFrame(t, view, 100, 30)
	if !strings.Contains(view, "● Introduction") {
		t.Errorf("the introduction is not marked as having content:\n%s", view)
	}
}

func TestRetroFlowTextTypedJustBeforeQuitIsKept(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	tm := startRetro(t, st, id)
	tm.Send(keyMsg("enter"))
	tm.Type("typed and quit at once")
	waitOutput(t, tm, "typed and quit at once")
	quit(t, tm)
	r := retroOf(t, st, id)
	if s := r.Section("Introduction"); s == nil || s.Text != "typed and quit at once" {
		t.Fatalf("after a quick quit the introduction is %+v", s)
	}
}

func TestRetroFlowTwoWhysAndRootCause(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	tm := startRetro(t, st, id)
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("j")) // Five whys
	tm.Send(keyMsg("enter"))
	waitOutput(t, tm, "Why 1 of 5")

	tm.Send(keyMsg("a"))
	tm.Type("Why did card payments fail?")
	tm.Send(keyMsg("tab"))
	tm.Type("The PSP rate-limited our EU merchant id.")
	tm.Send(keyMsg("enter"))
	waitStore(t, st, id, "the first why", func(r incident.Retro) bool { return len(r.Whys) == 1 })
	waitOutput(t, tm, "Why 2 of 5")

	// Only the answer: the suggested question stands as the why.
	tm.Send(keyMsg("a"))
	tm.Send(keyMsg("tab"))
	tm.Type("Our traffic doubled and nobody told the PSP.")
	tm.Send(keyMsg("enter"))
	waitStore(t, st, id, "the second why", func(r incident.Retro) bool { return len(r.Whys) == 2 })
	waitOutput(t, tm, "Why 3 of 5")

	tm.Send(keyMsg("r"))
	r := waitStore(t, st, id, "a root cause", func(r incident.Retro) bool { return r.RootCause() >= 0 })
	waitOutput(t, tm, "root cause")
	quit(t, tm)

	if r.RootCause() != 1 {
		t.Errorf("root cause is why %d; want the second", r.RootCause()+1)
	}
	if r.Whys[0].Why != "Why did card payments fail?" || r.Whys[0].Because != "The PSP rate-limited our EU merchant id." {
		t.Errorf("first why = %+v", r.Whys[0])
	}
	if r.Whys[1].Why != "Why the PSP rate-limited our EU merchant id?" || r.Whys[1].Because != "Our traffic doubled and nobody told the PSP." {
		t.Errorf("second why = %+v", r.Whys[1])
	}
	if c := r.Section(incident.SectionWhys).Contributors; !slices.Equal(c, []string{"amara"}) {
		t.Errorf("five whys contributors = %q", c)
	}
}

func TestRetroFlowActions(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	tm := startRetro(t, st, id)
	for range 3 {
		tm.Send(keyMsg("j")) // Actions
	}
	tm.Send(keyMsg("enter"))
	waitOutput(t, tm, "No actions yet")

	tm.Send(keyMsg("a"))
	tm.Type("Raise the PSP rate limit")
	tm.Send(keyMsg("tab")) // kind stays immediate
	tm.Send(keyMsg("tab"))
	tm.Type("jonas")
	tm.Send(keyMsg("tab"))
	tm.Type("2026-03-11") // yesterday: overdue at once
	tm.Send(keyMsg("tab"))
	tm.Type("https://tracker.example/PAY-1")
	tm.Send(keyMsg("enter")) // to Addresses, left empty
	tm.Send(keyMsg("enter"))
	waitStore(t, st, id, "the first action", func(r incident.Retro) bool { return len(r.Actions) == 1 })

	tm.Send(keyMsg("a"))
	tm.Type("Capacity plan with the PSP")
	tm.Send(keyMsg("tab"))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU}) // clear "immediate"
	tm.Type("long-term")
	tm.Send(keyMsg("tab"))
	tm.Type("amara")
	tm.Send(keyMsg("ctrl+s"))
	waitStore(t, st, id, "the second action", func(r incident.Retro) bool { return len(r.Actions) == 2 })
	waitOutput(t, tm, "1 overdue")

	tm.Send(keyMsg("k")) // the first, overdue one
	tm.Send(keyMsg("x"))
	r := waitStore(t, st, id, "the first action done", func(r incident.Retro) bool { return r.Actions[0].Done })
	waitOutput(t, tm, "1 open · 1 done")
	quit(t, tm)

	a, b := r.Actions[0], r.Actions[1]
	if a.Title != "Raise the PSP rate limit" || a.Kind != incident.Immediate || a.Owner != "jonas" ||
		a.Link != "https://tracker.example/PAY-1" || !a.Due.Equal(time.Date(2026, 3, 11, 23, 59, 0, 0, time.UTC)) || !a.Done || a.UID == "" {
		t.Errorf("first action = %+v", a)
	}
	if b.Title != "Capacity plan with the PSP" || b.Kind != incident.LongTerm || b.Owner != "amara" || b.Done || !b.Due.IsZero() || b.UID == "" || b.UID == a.UID {
		t.Errorf("second action = %+v", b)
	}
}

func TestRetroFlowExternalEditor(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "editor.sh")
	// The editor checks it got the current text, then replaces it.
	body := "#!/bin/sh\n" +
		"grep -q 'draft from the textarea' \"$1\" || exit 3\n" +
		"printf 'Written in the editor.\\nSecond line.\\n' > \"$1\"\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", script)
	t.Setenv("TMPDIR", filepath.Join(dir))

	st := openStore(t)
	id := seedHandbook(t, st)
	tm := startRetro(t, st, id)
	tm.Send(keyMsg("enter"))
	tm.Type("draft from the textarea")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlE})
	waitStore(t, st, id, "the editor's text", func(r incident.Retro) bool {
		s := r.Section("Introduction")
		return s != nil && s.Text == "Written in the editor.\nSecond line."
	})
	waitOutput(t, tm, "Text from the editor saved")
	// The program takes keys again after the editor.
	tm.Type(" More.")
	waitStore(t, st, id, "typing after the editor", func(r incident.Retro) bool {
		return r.Section("Introduction").Text == "Written in the editor.\nSecond line. More."
	})
	quit(t, tm)
	left, _ := filepath.Glob(filepath.Join(dir, "warroom-retro-*"))
	if len(left) > 0 {
		t.Errorf("temp files left behind: %q", left)
	}
}

func TestRetroExternalEditorFailureKeepsText(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "broken.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", script)
	t.Setenv("TMPDIR", dir)
	st := openStore(t)
	id := seedHandbook(t, st)
	tm := startRetro(t, st, id)
	tm.Send(keyMsg("enter"))
	tm.Type("keep me")
	waitStore(t, st, id, "the typed text", func(r incident.Retro) bool {
		s := r.Section("Introduction")
		return s != nil && s.Text == "keep me"
	})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlE})
	waitOutput(t, tm, "failed")
	quit(t, tm)
	r := retroOf(t, st, id)
	if s := r.Section("Introduction"); s.Text != "keep me" {
		t.Errorf("a failed editor changed the text to %q", s.Text)
	}
}

func TestRetroScreenFromSlashCommandAndFrames(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		m := newModel(t, st, id, w, h)
		m = typeText(t, m, "/retro")
		m = press(t, m, "enter")
		if m.screen != common.ScreenRetro {
			t.Fatalf("/retro left the screen at %v", m.screen)
		}
		view := m.View()
		checkFrame(t, view, w, h)
		for _, s := range []string{"Retrospective", "DRAFT", "due 2h00m after resolved", "○ Introduction", "● Timeline", "○ Five whys", "○ Actions"} {
			if !strings.Contains(view, s) {
				t.Errorf("%dx%d: the retro screen lacks %q:\n%s", w, h, s, view)
			}
		}
		// Every section's editor draws in the frame.
		for range 4 {
			m = press(t, m, "enter")
			checkFrame(t, m.View(), w, h)
			m = press(t, m, "esc", "j")
		}
		m = press(t, m, "esc")
		if m.screen != common.ScreenCockpit {
			t.Errorf("esc on the section list did not return to the cockpit")
		}
	}
}

func TestRetroTimelineSectionFlagsAndStars(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 120, 40)
	m = press(t, m, "tab", "R", "j", "enter")
	view := m.View()
	checkFrame(t, view, 120, 40)
	// The handbook incident: declared 12:40, no public update, and silences.
	for _, s := range []string{"Metrics", "time to detect 9m", "Possible deficiencies", "No public update was published",
		"Nothing was logged for 22m, from 13:10 to 13:32.", "Starred (2)", "PSP status page reports degraded", "⚠ silence of 22m"} {
		if !strings.Contains(view, s) {
			t.Errorf("the timeline section lacks %q:\n%s", s, view)
		}
	}
	// Nothing is selected at first: s says how to select.
	m = press(t, m, "s")
	if !strings.Contains(m.View(), "no entry is selected") {
		t.Errorf("s without a selection did not explain:\n%s", m.View())
	}
	// The first j selects the first starred entry; move to the first of
	// the rest and star it.
	m = press(t, m, "j", "j", "j", "s")
	starred := 0
	for _, e := range entries(t, st, id) {
		if e.Starred {
			starred++
		}
	}
	if starred != 3 {
		t.Fatalf("after s, %d entries are starred; want 3", starred)
	}
	if !strings.Contains(m.View(), "Starred (3)") {
		t.Errorf("the view did not follow the star:\n%s", m.View())
	}

	// Annotate the selected entry.
	m = press(t, m, "a")
	m = typeText(t, m, "late")
	m = press(t, m, "enter")
	r := retroOf(t, st, id)
	notes := r.Section(incident.SectionTimeline)
	if notes == nil || !strings.Contains(notes.Text, ": late") || !slices.Equal(notes.Contributors, []string{"amara"}) {
		t.Fatalf("timeline notes = %+v", notes)
	}
	if !strings.Contains(m.View(), "Notes") {
		t.Errorf("the notes are not shown:\n%s", m.View())
	}
}

func TestRetroFinalAndDue(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	// Resolved at 11:00 on the pinned day: the retro was due at 13:00.
	resolved := time.Date(2026, 3, 12, 11, 0, 0, 0, time.UTC)
	if _, err := st.Apply(id, incident.Capture{Command: incident.CmdMilestone, Milestone: incident.MResolved, Time: resolved}, pinned, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R")
	if v := m.View(); !strings.Contains(v, "due 13:00 OVERDUE +45m") {
		t.Errorf("the overdue retro is not flagged:\n%s", v)
	}
	m = press(t, m, "F")
	if r := retroOf(t, st, id); r.Status != incident.RetroFinal {
		t.Fatalf("status after F = %q", r.Status)
	}
	if v := m.View(); !strings.Contains(v, "FINAL") || strings.Contains(v, "OVERDUE") {
		t.Errorf("the final retro is still shown overdue:\n%s", v)
	}
	m = press(t, m, "F")
	if r := retroOf(t, st, id); r.Status != incident.RetroDraft {
		t.Fatalf("status after a second F = %q", r.Status)
	}
	if v := m.View(); !strings.Contains(v, "DRAFT") || !strings.Contains(v, "OVERDUE") {
		t.Errorf("the reopened draft is not shown overdue again:\n%s", v)
	}
}

func TestRetroKeepsTextOfSectionsRemovedFromConfig(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	if _, err := st.UpdateRetro(id, "ben", pinned, func(r *incident.Retro) error {
		_, err := incident.SetSectionText(r, "Where we got lucky", "The PSP answered at once.", "li", pinned)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R")
	if v := m.View(); !strings.Contains(v, "● Where we got lucky") || !strings.Contains(v, "li") {
		t.Errorf("the unconfigured section with text is not listed:\n%s", v)
	}
}

func TestRetroSectionsFollowTheConfig(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	cfg := testConfig()
	cfg.RetroPreset = "google-sre"
	m := New(Options{Store: st, Config: cfg, Now: pinnedNow, IncidentID: id, Width: 100, Height: 30})
	m = drive(t, m, m.Init())
	m = press(t, m, "tab", "R")
	view := m.View()
	for _, s := range []string{"○ What went well", "○ What went wrong", "○ Where we got lucky"} {
		if !strings.Contains(view, s) {
			t.Errorf("the google-sre preset lacks %q:\n%s", s, view)
		}
	}
	// A preset section is free text with its own guide.
	for range 6 {
		m = press(t, m, "j")
	}
	if v := m.View(); !strings.Contains(v, "Where we got lucky") || !strings.Contains(v, "only did not by chance") {
		t.Errorf("the lucky section has no guide:\n%s", v)
	}
}

// BenchmarkRetroTimelineView draws the retro's timeline section for a small
// and a huge incident: only the rows in view are rendered, so the two
// should cost about the same.
func BenchmarkRetroTimelineView(b *testing.B) {
	for _, n := range []int{10, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			st := openStore(b)
			id := seedMany(b, st, n)
			m := newModel(b, st, id, 120, 40)
			m = press(b, m, "tab", "R", "j", "enter")
			if !strings.Contains(m.View(), "Possible deficiencies") {
				b.Fatalf("not on the timeline section:\n%s", m.View())
			}
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

func TestRetroWhysMoveDeleteAndActionEdit(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	due := time.Date(2026, 3, 20, 17, 30, 0, 0, time.UTC)
	if _, err := st.UpdateRetro(id, "ben", pinned, func(r *incident.Retro) error {
		for _, w := range []string{"one", "two", "three"} {
			if _, err := incident.AddWhy(r, "why "+w, "because "+w, "li", pinned); err != nil {
				return err
			}
		}
		_, err := incident.AddAction(r, incident.Action{Title: "Alert on PSP errors", Owner: "li", Due: due}, "li", pinned, func() string { return "act1" })
		return err
	}); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "j", "j", "enter") // Five whys
	m = press(t, m, "j", "j", "K")                 // move "three" up
	whys := func() []string {
		var out []string
		for _, w := range retroOf(t, st, id).Whys {
			out = append(out, w.Why)
		}
		return out
	}
	if got := whys(); !slices.Equal(got, []string{"why one", "why three", "why two"}) {
		t.Fatalf("after K, whys = %q", got)
	}
	m = answer(t, press(t, m, "d"), "n") // n keeps it
	if len(whys()) != 3 {
		t.Fatal("a declined delete deleted")
	}
	m = answer(t, press(t, m, "d"), "y") // deletes the selected "three"
	if got := whys(); !slices.Equal(got, []string{"why one", "why two"}) {
		t.Fatalf("after d y, whys = %q", got)
	}
	m = press(t, m, "k", "e", "tab")
	m = typeText(t, m, " indeed")
	m = press(t, m, "enter")
	if w := retroOf(t, st, id).Whys[0]; w.Because != "because one indeed" || w.Why != "why one" {
		t.Fatalf("edited why = %+v", w)
	}

	// The edit form shows the action as stored; saving it unchanged keeps
	// the due time to the minute.
	m = press(t, m, "esc", "j", "enter", "e")
	if v := m.View(); !strings.Contains(v, "2026-03-20 17:30") || !strings.Contains(v, "Alert on PSP errors") {
		t.Fatalf("the edit form does not show the action:\n%s", v)
	}
	m = press(t, m, "ctrl+s")
	if a := retroOf(t, st, id).Actions[0]; !a.Due.Equal(due) || a.Title != "Alert on PSP errors" {
		t.Fatalf("an unchanged edit changed the action: %+v", a)
	}
	m = press(t, m, "e", "tab", "tab", "tab")
	m = typeText(t, m, "x")
	m = press(t, m, "ctrl+s")
	if !strings.Contains(m.View(), "due date \"2026-03-20 17:30x\" is not valid") {
		t.Fatalf("a bad due date is not explained:\n%s", m.View())
	}
	m = answer(t, press(t, m, "esc", "d"), "y")
	if n := len(retroOf(t, st, id).Actions); n != 0 {
		t.Fatalf("after d y, %d actions are left", n)
	}
	checkFrame(t, m.View(), 100, 30)
}

func TestRetroTextFollowsOthersButKeepsOwnTyping(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "enter")
	screen := func() *retro.Model { return m.screens[common.ScreenRetro].(*retro.Model) }

	// A teammate writes while the editor is open but untouched: it shows.
	write := func(text string) {
		t.Helper()
		if _, err := st.UpdateRetro(id, "ben", pinned, func(r *incident.Retro) error {
			_, err := incident.SetSectionText(r, "Introduction", text, "li", pinned)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		m = send(t, m, common.ReloadMsg{})
	}
	write("From li:\r\nthe PSP \x1b[31mfailed\x1b[0m.")
	if got := screen().Text.Area.Value(); got != "From li:\nthe PSP failed." {
		t.Fatalf("the editor shows %q; want the teammate's text, cleaned", got)
	}

	// Once this user types, a teammate's write arrives beside it: li
	// rewrote what this user is typing on, so both versions are kept (the
	// teammate's first), nothing is written over, and the cursor stays
	// where this user types.
	m = typeText(t, m, " Mine.")
	write("li again")
	mine := "From li:\nthe PSP failed. Mine."
	if got := screen().Text.Area.Value(); got != "li again\n"+mine {
		t.Fatalf("a teammate's write did not arrive beside the text being typed: %q", got)
	}
	m = typeText(t, m, " Still mine.")
	mine += " Still mine."
	if got := screen().Text.Area.Value(); got != "li again\n"+mine {
		t.Fatalf("typing after a teammate's write landed elsewhere: %q", got)
	}
	m = send(t, m, retro.TextSaveMsg{Seq: screen().Text.Seq})
	r := retroOf(t, st, id)
	if s := r.Section("Introduction"); s.Text != "li again\n"+mine || !slices.Contains(s.Contributors, "li") || !slices.Contains(s.Contributors, "amara") {
		t.Fatalf("introduction = %+v", *s)
	}
}

// A teammate's line arriving above the line being typed moves the text,
// not the typing: the next words land where the cursor was.
func TestTeammatesLineAboveKeepsTheCursor(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	if _, err := st.UpdateRetro(id, "li", pinned, func(r *incident.Retro) error {
		_, err := incident.SetSectionText(r, "Introduction", "first line\nsecond line", "li", pinned)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "enter")
	screen := func() *retro.Model { return m.screens[common.ScreenRetro].(*retro.Model) }
	// To the end of the first line, then type there.
	m = press(t, m, "up", "end")
	m = typeText(t, m, " A1")
	if _, err := st.UpdateRetro(id, "ben", pinned, func(r *incident.Retro) error {
		_, err := incident.SetSectionText(r, "Introduction", "ben's line\nfirst line\nsecond line", "ben", pinned)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, common.ReloadMsg{})
	m = typeText(t, m, " A2")
	if got, want := screen().Text.Area.Value(), "ben's line\nfirst line A1 A2\nsecond line"; got != want {
		t.Fatalf("after a teammate's line above: %q, want %q", got, want)
	}
}

// TestRetroWhysTeammateChangeIsNotOverwritten: a teammate deletes why 1
// while this screen still shows it; deleting "why two" by its old position
// must not remove "why three" instead: whys are found by uid.
func TestRetroWhysTeammateChangeIsNotOverwritten(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	if _, err := st.UpdateRetro(id, "ben", pinned, func(r *incident.Retro) error {
		for _, w := range []string{"one", "two", "three"} {
			if _, err := incident.AddWhy(r, "why "+w, "because "+w, "li", pinned); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "j", "j", "enter", "j") // Five whys, "why two" selected
	if _, err := st.UpdateRetro(id, "ben", pinned, func(r *incident.Retro) error { return incident.DeleteWhy(r, 0, "ben", pinned) }); err != nil {
		t.Fatal(err)
	}
	answer(t, press(t, m, "d"), "y")
	var got []string
	for _, w := range retroOf(t, st, id).Whys {
		got = append(got, w.Why)
	}
	if !slices.Equal(got, []string{"why three"}) {
		t.Fatalf("whys = %q; the delete landed on the wrong step", got)
	}
}

// A half-filled why comes back after quitting, filled in.
func TestUnfinishedWhySurvivesQuitting(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "j", "j", "enter", "a")
	m = typeText(t, m, "Why did the pool run dry")
	if m.screens[common.ScreenRetro].(*retro.Model).Whys.Form == nil {
		t.Fatalf("no why form:\n%s", m.View())
	}
	m = press(t, m, "ctrl+c")
	m.ctx.WaitWrites()

	m = newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R")
	rs := m.screens[common.ScreenRetro].(*retro.Model)
	if rs.Whys.Form == nil || rs.Whys.Form.Value(0) != "Why did the pool run dry" {
		t.Fatalf("the unfinished why did not come back:\n%s", m.View())
	}
	if !strings.Contains(m.View(), "unfinished why is kept") {
		t.Errorf("nobody is told the why is kept:\n%s", m.View())
	}
	m = press(t, m, "j", "j", "enter", "esc")
	m.ctx.WaitWrites()
	if v, _ := st.UIState(id, retro.FormStateName("amara")); v != "" {
		t.Errorf("the cancelled form is still kept: %q", v)
	}
}

// A silence is flagged between the entry it follows and the one that ended
// it, never an entry early.
func TestRetroTimelineFlagsASilenceWhereItWas(t *testing.T) {
	st := openStore(t)
	inc, err := incident.NewIncident("Night outage", 2, pinned.Add(-3*time.Hour), incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	out, err := st.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		min  int
		text string
	}{{-150, "first page"}, {-144, "restarted the pool"}, {-98, "pool healthy again"}} {
		at := pinned.Add(time.Duration(e.min) * time.Minute)
		if _, err := st.AppendEntry(out.ID, incident.Entry{At: at, RecordedAt: at, Author: "amara", Kind: incident.KindNote, Text: e.text}); err != nil {
			t.Fatal(err)
		}
	}
	m := newModel(t, st, out.ID, 120, 40)
	m = press(t, m, "tab", "R", "j", "enter")
	v := m.View()
	restarted, silence, healthy := strings.Index(v, "restarted the pool"), strings.Index(v, "⚠ silence of 46m"), strings.Index(v, "pool healthy again")
	if restarted < 0 || silence < 0 || healthy < 0 || !(restarted < silence && silence < healthy) {
		t.Fatalf("the 46m silence is not between the entry it follows and the one that ended it:\n%s", v)
	}
}

// p in a section writes one's own perspective; a teammate's is never
// touched, and both show in the export.
func TestPerspectiveIsOnesOwn(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	if _, err := st.SetPerspective(id, "Introduction", "ben", "Support heard first.", pinned, incident.DefaultSections); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "p")
	if v := m.View(); !strings.Contains(v, "your perspective") {
		t.Fatalf("p did not open the perspective:\n%s", v)
	}
	m = typeText(t, m, "I saw the pool fill first.")
	// At once after esc, before the save lands and anything is read again,
	// the section pane shows the synthesis, not the perspective just
	// written, without moving the selection.
	next, cmd := m.Update(keyMsg("esc"))
	m = next.(Model)
	if v := m.View(); strings.Contains(v, "I saw the pool fill first.") || strings.Contains(v, "· your perspective") {
		t.Errorf("after esc the section pane still shows the perspective:\n%s", v)
	}
	m = drive(t, m, cmd)
	m.ctx.WaitWrites()
	r := retroOf(t, st, id)
	if r.PerspectiveOf("Introduction", "amara") != "I saw the pool fill first." || r.PerspectiveOf("Introduction", "ben") != "Support heard first." {
		t.Fatalf("perspectives %+v", r.Section("Introduction").Perspectives)
	}
	if sec := r.Section("Introduction"); strings.Contains(sec.Text, "pool fill") {
		t.Errorf("the perspective went into the synthesis: %q", sec.Text)
	}
}

// Notes written in the Timeline section sit below the last entry, and G
// (or paging past the last entry) brings them into view.
func TestRetroTimelineNotesAreReachable(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 60)
	if _, _, err := st.SetSectionText(id, "Timeline", store.Edit{Text: "NOTES-MARKER the pager was silent for an hour"}, "amara", pinned, incident.DefaultSections); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, st, id, 100, 30)
	m = press(t, m, "tab", "R", "j", "enter")
	if strings.Contains(m.View(), "NOTES-MARKER") {
		t.Fatal("the notes are already in view; the test needs a longer timeline")
	}
	m = press(t, m, "G")
	if !strings.Contains(m.View(), "NOTES-MARKER") {
		t.Fatalf("G did not bring the notes into view:\n%s", m.View())
	}
	m = press(t, m, "g")
	for range 40 {
		m = press(t, m, "pgdown")
	}
	if !strings.Contains(m.View(), "NOTES-MARKER") {
		t.Fatalf("paging past the last entry did not reach the notes:\n%s", m.View())
	}
}
