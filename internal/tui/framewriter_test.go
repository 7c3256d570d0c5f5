package tui

import (
	"bytes"
	"io"
	"os/exec"
	"reflect"
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
	var b bytes.Buffer
	lines := writeFrame(&b, shown{}, 0, "one\ntwo\nthree", 10, 5)
	first := b.String()
	for _, want := range []string{ansi.CursorHomePosition + "\rone" + ansi.EraseLineRight + "\r\n", "two" + ansi.EraseLineRight, "three" + ansi.EraseLineRight, ansi.CursorPosition(0, 3)} {
		if !strings.Contains(first, want) {
			t.Errorf("first frame %q lacks %q", first, want)
		}
	}

	b.Reset()
	lines = writeFrame(&b, lines, len(lines.text), "one\nTWO\nthree", 10, 5)
	if got, want := b.String(), ansi.CursorHomePosition+"\nTWO"+ansi.EraseLineRight+"\r\n"+ansi.CursorPosition(0, 3); got != want {
		t.Errorf("one line changed: wrote %q, want %q", got, want)
	}

	// Wider than the terminal: cut. Fewer lines: the rest erased.
	b.Reset()
	lines = writeFrame(&b, lines, len(lines.text), "a line far wider than ten", 10, 5)
	got := b.String()
	if !strings.Contains(got, "a line far") || strings.Contains(got, "wider") || !strings.Contains(got, ansi.EraseScreenBelow) {
		t.Errorf("a shorter frame of one long line: wrote %q", got)
	}
	if len(lines.text) != 1 {
		t.Errorf("lines kept: %q", lines.text)
	}

	// Written whole (a resize) with fewer lines than the terminal shows:
	// every line, and the rest erased.
	b.Reset()
	writeFrame(&b, shown{}, 3, "x\ny", 10, 5)
	if got := b.String(); !strings.Contains(got, "\rx") || !strings.Contains(got, "y") || !strings.Contains(got, ansi.EraseScreenBelow) {
		t.Errorf("a repaint of 2 lines over 3: wrote %q", got)
	}

	// Taller than the terminal: the bottom rows, as Bubble Tea keeps.
	b.Reset()
	lines = writeFrame(&b, shown{}, 0, "1\n2\n3\n4", 10, 2)
	if strings.Join(lines.text, ",") != "3,4" || strings.Contains(b.String(), "1") {
		t.Errorf("4 lines on 2 rows: kept %q, wrote %q", lines.text, b.String())
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

func TestFrameWriterRepaintsWholeAfterResize(t *testing.T) {
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
	} else if strings.Contains(got, ansi.SetMode(ansi.ModeAltScreenSaveCursor)) {
		t.Errorf("a resize entered the alternate screen again (which clears it): %q", got)
	}
	fw.Close(10 * time.Second)
	out.next(t)
}

func TestQuitFilterSeesThroughFrames(t *testing.T) {
	fw := NewFrameWriter(make(writes, 16), 20, 5, false)
	defer fw.Close(0)
	// As warroom serve runs it: held, and framed.
	m, _ := fw.Wrap(Held(Model{}))
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

// After a program run in the session's terminal ($EDITOR, through
// tea.ExecProcess), which leaves the alternate screen, the writer sets the
// terminal's modes again and writes the whole frame.
func TestFrameWriterSetsModesAgainAfterExec(t *testing.T) {
	if _, err := exec.LookPath("true"); err != nil {
		t.Fatal("no true(1) to run:", err)
	}
	out := make(writes, 64)
	fw := NewFrameWriter(out, 20, 5, false)
	m, opts := fw.Wrap(execModel{})
	// Input as an SSH session gives it: a stream, not a terminal. The
	// command is handed it too, and os/exec waits for its copy of it to
	// end, which is at the first key after the command exits: keys keep
	// coming here.
	in, typing := io.Pipe()
	defer typing.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				if _, err := typing.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	p := tea.NewProgram(m, append(opts, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())...)
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		p.Kill()
		t.Fatal("the program did not end after the command ran")
	}
	fw.Close(10 * time.Second)
	var all bytes.Buffer
	for len(out) > 0 {
		all.WriteString(<-out)
	}
	got := all.String()
	on := ansi.SetMode(ansi.ModeAltScreenSaveCursor)
	if n := strings.Count(got, on); n != 2 {
		t.Fatalf("the alternate screen was entered %d times, want twice (at the start and after the command): %q", n, got)
	}
	if after := got[strings.LastIndex(got, on):]; !strings.Contains(after, "header") || !strings.Contains(after, "frame 0") {
		t.Errorf("after the command the whole frame was not written again: %q", after)
	}
}

// execModel runs true(1) as $EDITOR would run, and quits once Bubble
// Tea has taken the terminal back.
type execModel struct{ staticModel }

func (e execModel) Init() tea.Cmd {
	return tea.ExecProcess(exec.Command("true"), func(error) tea.Msg { return nil })
}

func (e execModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if t := reflect.TypeOf(msg); t != nil && t.Name() == "repaintMsg" {
		return e, tea.Quit
	}
	return e, nil
}
