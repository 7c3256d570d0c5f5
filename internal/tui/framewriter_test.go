package tui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// writes is an io.Writer that hands each write to the test.
type writes chan string

func (w writes) Write(p []byte) (int, error) {
	w <- string(p)
	return len(p), nil
}

func (w writes) next(t *testing.T) string {
	t.Helper()
	select {
	case s := <-w:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("nothing written")
		return ""
	}
}

func (w writes) none(t *testing.T) {
	t.Helper()
	select {
	case s := <-w:
		t.Fatalf("written although nothing changed: %q", s)
	default:
	}
}

func TestWriteFrameOnlyChangedLines(t *testing.T) {
	var b strings.Builder
	lines := writeFrame(&b, nil, "one\ntwo\nthree", 10, 5)
	first := b.String()
	for _, want := range []string{ansi.CursorHomePosition + "\rone" + ansi.EraseLineRight + "\r\n", "two" + ansi.EraseLineRight, "three" + ansi.EraseLineRight, ansi.CursorPosition(0, 3)} {
		if !strings.Contains(first, want) {
			t.Errorf("first frame %q lacks %q", first, want)
		}
	}

	b.Reset()
	lines = writeFrame(&b, lines, "one\nTWO\nthree", 10, 5)
	if got, want := b.String(), ansi.CursorHomePosition+"\nTWO"+ansi.EraseLineRight+"\r\n"+ansi.CursorPosition(0, 3); got != want {
		t.Errorf("one line changed: wrote %q, want %q", got, want)
	}

	// Wider than the terminal: cut. Fewer lines: the rest erased.
	b.Reset()
	lines = writeFrame(&b, lines, "a line far wider than ten", 10, 5)
	got := b.String()
	if !strings.Contains(got, "a line far") || strings.Contains(got, "wider") || !strings.Contains(got, ansi.EraseScreenBelow) {
		t.Errorf("a shorter frame of one long line: wrote %q", got)
	}
	if len(lines) != 1 {
		t.Errorf("lines kept: %q", lines)
	}

	// Taller than the terminal: the bottom rows, as Bubble Tea keeps.
	b.Reset()
	lines = writeFrame(&b, nil, "1\n2\n3\n4", 10, 2)
	if strings.Join(lines, ",") != "3,4" || strings.Contains(b.String(), "1") {
		t.Errorf("4 lines on 2 rows: kept %q, wrote %q", lines, b.String())
	}
}

func TestFrameWriterWritesWhatIsDrawnAndNothingElse(t *testing.T) {
	out := make(writes, 16)
	fw := NewFrameWriter(out, 20, 5, true)
	m, opts := fw.Wrap(staticModel{})
	if len(opts) != 1 {
		t.Fatalf("options: %d, want the one that turns Bubble Tea's renderer off", len(opts))
	}

	m, _ = m.Update(tea.WindowSizeMsg{Width: 20, Height: 5})
	if v := m.View(); v != "" {
		t.Fatalf("Bubble Tea sees %q, want an empty view", v)
	}
	first := out.next(t)
	for _, want := range []string{ansi.SetMode(ansi.ModeAltScreenSaveCursor), ansi.HideCursor, ansi.SetMode(ansi.ModeBracketedPaste), ansi.SetMode(ansi.ModeMouseButtonEvent), "frame 0"} {
		if !strings.Contains(first, want) {
			t.Errorf("first write %q lacks %q", first, want)
		}
	}

	// The same frame again (any message that changes nothing): no write.
	m.View()
	m.View()

	// A changed frame: only its changed line.
	m, _ = m.Update(bump{})
	m.View()
	second := out.next(t)
	if !strings.Contains(second, "frame 1") || strings.Contains(second, "header") {
		t.Errorf("second write %q: want the changed line only", second)
	}

	fw.Close(10 * time.Second)
	last := out.next(t)
	for _, want := range []string{ansi.ResetMode(ansi.ModeAltScreenSaveCursor), ansi.ShowCursor, ansi.ResetMode(ansi.ModeBracketedPaste), ansi.ResetMode(ansi.ModeMouseButtonEvent)} {
		if !strings.Contains(last, want) {
			t.Errorf("last write %q lacks %q", last, want)
		}
	}
	out.none(t)
}

func TestFrameWriterRepaintsWholeAfterResizeAndExec(t *testing.T) {
	out := make(writes, 16)
	fw := NewFrameWriter(out, 20, 5, false)
	m, _ := fw.Wrap(staticModel{})
	m.View()
	if first := out.next(t); strings.Contains(first, ansi.SetMode(ansi.ModeMouseButtonEvent)) {
		t.Errorf("mouse reports turned on for a program without them: %q", first)
	}

	// A resize writes every line again.
	m, _ = m.Update(tea.WindowSizeMsg{Width: 30, Height: 6})
	m.View()
	if got := out.next(t); !strings.Contains(got, "header") || !strings.Contains(got, "frame 0") {
		t.Errorf("after a resize wrote %q, want the whole frame", got)
	}
	fw.Close(10 * time.Second)
	out.next(t)
}

func TestQuitFilterSeesThroughFrames(t *testing.T) {
	fw := NewFrameWriter(make(writes, 16), 20, 5, false)
	defer fw.Close(0)
	m, _ := fw.Wrap(Model{})
	if got := quitFilter(m, tea.QuitMsg{}); got != (endSessionMsg{}) {
		t.Errorf("a quit of a framed cockpit became %T, want the saving endSessionMsg", got)
	}
}

// staticModel draws a header and a counter bumped by bump.
type staticModel struct{ n int }

type bump struct{}

func (s staticModel) Init() tea.Cmd { return nil }

func (s staticModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(bump); ok {
		s.n++
	}
	return s, nil
}

func (s staticModel) View() string { return "header\nframe " + strconv.Itoa(s.n) }
