package tui

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Frames written when they are drawn, for warroom serve.
//
// Bubble Tea v1's renderer is a ticker: 60 times a second, whatever
// happens, it wakes, locks and looks whether a new frame came. One
// session's wake-ups cost little, but a server of 20 idle sessions spent
// most of its 5% of a core on them (BenchmarkIdleRoom; a renderer at one
// frame a second brought it to 1.6%). A slower ticker would delay every
// keystroke's echo by up to a frame, which is why 30 frames a second was
// tried and dropped. Bubble Tea v1 takes no renderer of ours, so a
// session's program runs without one (tea.WithoutRenderer) and its model is
// wrapped: each View hands the frame to a FrameWriter, whose goroutine
// writes it at once, as lines changed since the last frame, the way Bubble
// Tea's renderer does on the alternate screen. Nothing wakes while nothing
// is drawn; a keystroke's frame is written as soon as it is drawn (no
// frame tick to wait for); frames drawn while the last one is still being
// written are merged into the newest.
//
// Only for programs whose input is not a terminal of this process (an SSH
// session's emulated pty): without a renderer Bubble Tea does not put an
// input terminal into raw mode.

// FrameWriter writes a program's frames to its terminal as they are drawn.
type FrameWriter struct {
	out   io.Writer
	mouse bool

	mu      sync.Mutex
	frame   string // the newest frame handed over
	posted  bool   // frame is not written yet
	w, h    int
	repaint bool // the next frame is written whole
	modesOn bool // the terminal's modes are to be set (again) first
	closing bool
	wake    chan struct{}
	done    chan struct{}

	// Only the writing goroutine touches these.
	lines    shown // the lines on the terminal
	rendered int   // how many lines the terminal shows
	started  bool
}

// NewFrameWriter starts writing frames to out, at the size w×h until a
// tea.WindowSizeMsg says otherwise; mouse turns on the mouse reports that
// tea.WithMouseCellMotion asks for.
func NewFrameWriter(out io.Writer, w, h int, mouse bool) *FrameWriter {
	f := &FrameWriter{out: out, mouse: mouse, w: w, h: h, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go f.run()
	return f
}

// Wrap returns m drawing through f, and the options its program needs.
func (f *FrameWriter) Wrap(m tea.Model) (tea.Model, []tea.ProgramOption) {
	return framed{m: m, f: f}, []tea.ProgramOption{tea.WithoutRenderer()}
}

// Close writes the last frame, gives the terminal back as Bubble Tea's
// renderer leaves it (main screen, cursor shown, mouse and bracketed paste
// off) and stops the writer. It waits for the writes at most wait: a
// client that stopped reading must not hold its session's end.
func (f *FrameWriter) Close(wait time.Duration) {
	f.mu.Lock()
	if f.closing {
		f.mu.Unlock()
		return
	}
	f.closing = true
	f.mu.Unlock()
	f.signal()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-f.done:
	case <-t.C:
	}
}

// post hands over a frame; the writer writes it unless it is the one
// handed over last (Model.View returns the same string while nothing
// changed, so the comparison is one of pointers).
func (f *FrameWriter) post(frame string) {
	if frame == "" {
		// As Bubble Tea does: an empty view clears the screen.
		frame = " "
	}
	f.mu.Lock()
	if frame == f.frame && !f.repaint {
		f.mu.Unlock()
		return
	}
	f.frame, f.posted = frame, true
	f.mu.Unlock()
	f.signal()
}

// resize sets the size lines are cut to, and has the next frame written
// whole, as Bubble Tea's renderer does on a resize.
func (f *FrameWriter) resize(w, h int) {
	f.mu.Lock()
	f.w, f.h, f.repaint, f.posted = w, h, true, true
	f.mu.Unlock()
	f.signal()
}

// restore sets the terminal's modes again and writes the next frame whole:
// after a program run in the session's terminal ($EDITOR), which left
// the alternate screen.
func (f *FrameWriter) restore() {
	f.mu.Lock()
	f.repaint, f.modesOn, f.posted = true, true, true
	f.mu.Unlock()
	f.signal()
}

func (f *FrameWriter) signal() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

func (f *FrameWriter) run() {
	defer close(f.done)
	// One buffer for the writer's life: a frame is tens of kilobytes, and
	// a builder grown afresh for each copied it over and over as it grew.
	var buf bytes.Buffer
	for range f.wake {
		f.mu.Lock()
		frame, posted, w, h, repaint, modesOn, closing := f.frame, f.posted, f.w, f.h, f.repaint, f.modesOn, f.closing
		f.posted, f.repaint, f.modesOn = false, false, false
		f.mu.Unlock()
		buf.Reset()
		if !f.started || modesOn {
			f.started = true
			buf.WriteString(f.modes())
		}
		if repaint {
			f.rendered, f.lines = len(f.lines.text), shown{}
		}
		if posted && frame != "" {
			// After a repaint no line is known, but the count of
			// lines on the terminal still is, for what to erase below.
			rendered := max(len(f.lines.text), f.rendered)
			f.lines = writeFrame(&buf, f.lines, rendered, frame, w, h)
			f.rendered = len(f.lines.text)
		}
		if closing {
			buf.WriteString(f.reset())
		}
		if buf.Len() > 0 {
			_, _ = f.out.Write(buf.Bytes())
		}
		if closing {
			return
		}
	}
}

// modes are what Bubble Tea writes when a program with the alternate
// screen starts: hide the cursor, enter the alternate screen and clear it,
// bracketed paste, and the mouse when asked for.
func (f *FrameWriter) modes() string {
	s := ansi.HideCursor + ansi.SetMode(ansi.ModeAltScreenSaveCursor) + ansi.EraseEntireScreen + ansi.CursorHomePosition + ansi.SetMode(ansi.ModeBracketedPaste)
	if f.mouse {
		s += ansi.SetMode(ansi.ModeMouseButtonEvent) + ansi.SetMode(ansi.ModeMouseExtSgr)
	}
	return s
}

// reset is what Bubble Tea writes when such a program ends.
func (f *FrameWriter) reset() string {
	return ansi.EraseEntireLine + "\r" + ansi.ResetMode(ansi.ModeBracketedPaste) + ansi.ShowCursor +
		ansi.ResetMode(ansi.ModeMouseButtonEvent) + ansi.ResetMode(ansi.ModeMouseAnyEvent) + ansi.ResetMode(ansi.ModeMouseExtSgr) +
		ansi.ResetMode(ansi.ModeAltScreenSaveCursor)
}

// shown is what the terminal shows of the frame written last: its lines as
// the frame had them (before any cut to the width), and their widths, each
// measured once, when the line was written.
type shown struct {
	text  []string
	width []int
}

// writeFrame writes to buf what turns the screen showing last (rendered
// lines, of which those in last are known) into frame at w×h, and returns
// what it then shows: the lines that changed are written, cut to the
// width, the rest of a shorter line erased, as Bubble Tea's renderer
// (standardRenderer.flush, alternate screen) does; of a changed line whose
// end is the same as the line it replaces, only what comes before that end
// (keptTail).
func writeFrame(buf *bytes.Buffer, last shown, rendered int, frame string, w, h int) shown {
	lines := strings.Split(frame, "\n")
	if h > 0 && len(lines) > h {
		lines = lines[len(lines)-h:]
	}
	widths := make([]int, len(lines))
	buf.WriteString(ansi.CursorHomePosition)
	for i, line := range lines {
		if i < len(last.text) && last.text[i] == line {
			widths[i] = last.width[i]
			if i < len(lines)-1 {
				buf.WriteByte('\n')
			}
			continue
		}
		if i == 0 && last.text == nil {
			buf.WriteByte('\r')
		}
		// Measured through the memo the frame's own layout filled (the
		// lines are mostly fitted to the width already): a line that
		// fits is what ansi.Truncate would return.
		lw := common.Width(line)
		widths[i] = lw
		if w > 0 && lw > w {
			line = ansi.Truncate(line, w, "")
			lw = ansi.StringWidth(line)
		} else if i < len(last.text) && last.width[i] == lw {
			if kept := keptTail(last.text[i], line); kept > 0 {
				buf.WriteString(line[:len(line)-kept])
				if i < len(lines)-1 {
					buf.WriteString("\r\n")
				}
				continue
			}
		}
		buf.WriteString(line)
		if lw < w {
			buf.WriteString(ansi.EraseLineRight)
		}
		if i < len(lines)-1 {
			buf.WriteString("\r\n")
		}
	}
	// What the last frame showed below this one is erased from the start
	// of the next row, not from where the cursor is: that is the start of
	// the last line when it was skipped, or its last column when it filled
	// the width (the cursor waits there to wrap), and an erase from either
	// would take some of the frame.
	if rendered > len(lines) && (h <= 0 || len(lines) < h) {
		buf.WriteString("\r\n" + ansi.EraseScreenBelow)
	}
	buf.WriteString(ansi.CursorPosition(0, len(lines)))
	return shown{lines, widths}
}

// framed is a model whose frames go to a FrameWriter; Bubble Tea sees an
// empty view.
type framed struct {
	m tea.Model
	f *FrameWriter
}

// teaPkg is Bubble Tea's import path, where its own messages' types live.
var teaPkg = reflect.TypeOf(tea.QuitMsg{}).PkgPath()

func (fm framed) Init() tea.Cmd { return fm.m.Init() }

func (fm framed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		fm.f.resize(msg.Width, msg.Height)
	default:
		// Bubble Tea asks for a repaint, by a message of its own
		// type, when it takes the terminal back from a program run in
		// it (tea.ExecProcess).
		if t := reflect.TypeOf(msg); t != nil && t.Name() == "repaintMsg" && t.PkgPath() == teaPkg {
			fm.f.restore()
		}
	}
	var cmd tea.Cmd
	fm.m, cmd = fm.m.Update(msg)
	return fm, cmd
}

func (fm framed) View() string {
	fm.f.post(fm.m.View())
	return ""
}

// minKeptTail is the least tail worth leaving on screen: below it the line
// is written whole, as short lines always were.
const minKeptTail = 16

// keptTail is how many bytes at the end of line, about to replace old at
// its row, are already on screen there and need not be written: 0 when the
// line is to be written whole. The caller made sure both lines have the
// same width, not more than the terminal's (a line to be cut is written
// whole).
//
// The cockpit's frame is two columns joined per line; when the timeline on
// the left scrolls, every line changes but its right column part does not,
// and writing only the left part saves about two fifths of every line.
// Leaving a tail on screen is safe when the terminal shows old's tail in
// the same cells, with the same attributes, as writing line whole would:
//   - the tail is byte for byte the end of both lines;
//   - it comes right after an SGR reset in both, so it was drawn, and would
//     be drawn, from the default state whatever the text before it set
//     (styled pieces end with a reset: common.Paint, lipgloss);
//   - what comes before the tail has the same width in both, so the tail
//     sits in the same cells: ansi.StringWidth adds up across a split
//     right after an escape sequence (it starts grapheme clusters afresh
//     after each), so with the same tail, equal widths of the whole lines
//     are equal widths of what precedes it (and old, as wide as line, was
//     not cut to the terminal's width either);
//   - the tail begins with a character of a cell of its own, not one a
//     terminal joins to the character before it (a combining mark, a
//     zero-width joiner), which would then belong to the new text.
//
// The row right of the tail is as old left it: erased when old was
// shorter than the terminal, as EraseLineRight would leave it after line
// (in the same attributes: the state at the tail's end is the same in
// both). What is left in force is the default state, not the state at the
// tail's end, which is the same for lines that end in a reset, as the
// frame's lines do (a line not written at all leaves its state in force
// just as little).
func keptTail(old, line string) int {
	// The common end's length: 16 bytes at a time while they agree.
	n, most := 0, min(len(old), len(line))
	for n+16 <= most && old[len(old)-n-16:len(old)-n] == line[len(line)-n-16:len(line)-n] {
		n += 16
	}
	for n < most && old[len(old)-1-n] == line[len(line)-1-n] {
		n++
	}
	if n < minKeptTail {
		return 0
	}
	// The longest tail: the first end of a reset in both lines at or
	// after the start of the common end. Resets end in an 'm'.
	end := len(line) - minKeptTail
	for i := max(len(line)-n-1, 0); i < end; i++ {
		j := strings.IndexByte(line[i:end], 'm')
		if j < 0 {
			break
		}
		i += j
		start := i + 1
		if !endsWithReset(line[:start]) || !endsWithReset(old[:start-len(line)+len(old)]) {
			continue
		}
		if !ownsCell(line[start:]) {
			return 0
		}
		return len(line) - start
	}
	return 0
}

// endsWithReset reports whether s ends with an SGR reset.
func endsWithReset(s string) bool {
	return strings.HasSuffix(s, "\x1b[0m") || strings.HasSuffix(s, "\x1b[m")
}

// ownsCell reports whether the first character s prints, after any SGR
// (CSI) sequences, takes a cell of its own.
func ownsCell(s string) bool {
	for strings.HasPrefix(s, "\x1b[") {
		i := 2
		for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
			i++
		}
		if i == len(s) {
			return false
		}
		s = s[i+1:]
	}
	if s == "" {
		return false
	}
	// Printable ASCII, and the box drawing of pane borders, without
	// measuring (grapheme clustering is most of the cost); any other
	// escape or control: no.
	if c := s[0]; c < 0x80 {
		return c >= ' ' && c < 0x7f
	}
	if r, _ := utf8.DecodeRuneInString(s); r >= 0x2500 && r < 0x2580 {
		return true
	}
	_, width, _, _ := ansi.DecodeSequence(s, ansi.NormalState, nil)
	return width > 0
}
