package tui

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// termModel is a minimal terminal: a grid of cells and a cursor, enough to
// interpret what writeFrame writes (text, SGR, CR, LF, CUP, EL, ED), so a
// frame written as a diff can be compared with the same frame drawn whole.
type termModel struct {
	w, h     int
	cells    [][]cell
	row, col int
	wrap     bool   // the last column was written: the next character wraps
	sgr      string // the SGR parameters in force, as written since the last reset
}

// cell is what a terminal keeps of a cell: its grapheme ("" for the right
// half of a wide one, " " when blank) and the attributes it was drawn in.
type cell struct {
	g, sgr string
}

func newTermModel(w, h int) *termModel {
	s := &termModel{}
	s.resize(w, h)
	return s
}

// resize keeps what fits, as a terminal on the alternate screen does.
func (s *termModel) resize(w, h int) {
	cells := make([][]cell, h)
	for r := range cells {
		cells[r] = make([]cell, w)
		for c := range cells[r] {
			if r < len(s.cells) && c < len(s.cells[r]) {
				cells[r][c] = s.cells[r][c]
			} else {
				cells[r][c] = cell{g: " "}
			}
		}
	}
	s.w, s.h, s.cells = w, h, cells
	s.row, s.col, s.wrap = min(s.row, h-1), min(s.col, w-1), false
}

// write interprets out; anything it does not know fails the test, so that
// nothing writeFrame sends goes unchecked.
func (s *termModel) write(t *testing.T, out string) {
	t.Helper()
	p := ansi.NewParser()
	var state byte
	for len(out) > 0 {
		seq, width, n, newState := ansi.DecodeSequence(out, state, p)
		state, out = newState, out[n:]
		switch {
		case width > 0:
			s.print(seq, width)
		case seq == "\r":
			s.col, s.wrap = 0, false
		case seq == "\n":
			s.lineFeed()
		case seq[0] >= 0xc0:
			// Printed but of no width (a combining mark, a joiner
			// apart from its cluster): joined to the character before.
			s.join(seq)
		case ansi.HasCsiPrefix(seq):
			s.csi(t, seq, ansi.Cmd(p.Command()), p.Params())
		default:
			t.Fatalf("the screen model does not know %q", seq)
		}
	}
}

func (s *termModel) join(g string) {
	c := s.col
	if !s.wrap {
		c--
	}
	for c >= 0 && s.cells[s.row][c].g == "" {
		c--
	}
	if c >= 0 {
		s.cells[s.row][c].g += g
	}
}

func (s *termModel) lineFeed() {
	s.wrap = false
	if s.row < s.h-1 {
		s.row++
		return
	}
	// At the bottom a line feed scrolls the screen up.
	copy(s.cells, s.cells[1:])
	s.cells[s.h-1] = s.blankRow("")
}

func (s *termModel) blankRow(sgr string) []cell {
	r := make([]cell, s.w)
	for c := range r {
		r[c] = cell{g: " ", sgr: sgr}
	}
	return r
}

func (s *termModel) print(g string, width int) {
	if s.wrap {
		s.col = 0
		s.lineFeed()
	}
	if s.col+width > s.w {
		// A wide character that does not fit: terminals wrap it.
		s.col = 0
		s.lineFeed()
	}
	row := s.cells[s.row]
	// Over half a wide character the whole of it goes.
	for c := s.col; c < s.col+width; c++ {
		if row[c].g == "" && c > 0 {
			row[c-1] = cell{g: " ", sgr: row[c-1].sgr}
		}
		if c+1 < s.w && row[c+1].g == "" {
			row[c+1] = cell{g: " ", sgr: row[c+1].sgr}
		}
	}
	row[s.col] = cell{g: g, sgr: s.sgr}
	for c := 1; c < width; c++ {
		row[s.col+c] = cell{g: "", sgr: s.sgr}
	}
	if s.col+width >= s.w {
		s.col, s.wrap = s.w-1, true
	} else {
		s.col += width
	}
}

func (s *termModel) csi(t *testing.T, seq string, cmd ansi.Cmd, params ansi.Params) {
	t.Helper()
	if cmd.Prefix() != 0 || cmd.Intermediate() != 0 {
		t.Fatalf("the screen model does not know %q", seq)
	}
	switch cmd.Final() {
	case 'm':
		if len(params) == 0 {
			s.sgr = ""
		}
		for i := 0; i < len(params); i++ {
			v := params[i].Param(0)
			if v == 0 {
				s.sgr = ""
				continue
			}
			s.sgr += strconv.Itoa(v) + ";"
			if v == 38 || v == 48 || v == 58 {
				// An extended colour: its parameters follow
				// (5;n or 2;r;g;b), zeros among them.
				n := 2
				if i+1 < len(params) && params[i+1].Param(0) == 2 {
					n = 4
				}
				for ; n > 0 && i+1 < len(params); n-- {
					i++
					s.sgr += strconv.Itoa(params[i].Param(0)) + ";"
				}
			}
		}
	case 'H':
		r, _, _ := params.Param(0, 1)
		c, _, _ := params.Param(1, 1)
		s.row, s.col, s.wrap = min(max(r, 1), s.h)-1, min(max(c, 1), s.w)-1, false
	case 'K':
		if n, _, _ := params.Param(0, 0); n != 0 {
			t.Fatalf("the screen model does not know %q", seq)
		}
		// Erased cells take the background in force (as xterm does);
		// the whole SGR state stands for it here.
		for c := s.col; c < s.w; c++ {
			s.cells[s.row][c] = cell{g: " ", sgr: s.sgr}
		}
		s.wrap = false
	case 'J':
		if n, _, _ := params.Param(0, 0); n != 0 {
			t.Fatalf("the screen model does not know %q", seq)
		}
		for c := s.col; c < s.w; c++ {
			s.cells[s.row][c] = cell{g: " ", sgr: s.sgr}
		}
		for r := s.row + 1; r < s.h; r++ {
			s.cells[r] = s.blankRow(s.sgr)
		}
		s.wrap = false
	default:
		t.Fatalf("the screen model does not know %q", seq)
	}
}

// diff describes the first cell where two screens differ, or is "".
func (s *termModel) diff(o *termModel) string {
	if s.w != o.w || s.h != o.h {
		return fmt.Sprintf("size %dx%d, want %dx%d", s.w, s.h, o.w, o.h)
	}
	for r := range s.cells {
		for c := range s.cells[r] {
			if s.cells[r][c] != o.cells[r][c] {
				return fmt.Sprintf("row %d column %d is %q, want %q", r, c, s.cells[r][c], o.cells[r][c])
			}
		}
	}
	return ""
}

// The screen model itself: what it makes of a few writes.
func TestScreenModel(t *testing.T) {
	s := newTermModel(6, 3)
	s.write(t, "\x1b[H\rab\x1b[1m漢\x1b[0mc\x1b[K\r\n\x1b[38;5;2mxy\x1b[m\x1b[3;2Hz\x1b[1;1H★")
	want := [][]string{
		{"★", "b", "漢", "", "c", " "},
		{"x", "y", " ", " ", " ", " "},
		{" ", "z", " ", " ", " ", " "},
	}
	for r, row := range want {
		for c, g := range row {
			if got := s.cells[r][c].g; got != g {
				t.Errorf("row %d column %d: %q, want %q", r, c, got, g)
			}
		}
	}
	if got := s.cells[0][2].sgr; got != "1;" {
		t.Errorf("the wide character's attributes: %q, want bold", got)
	}
	if got := s.cells[1][0].sgr; got != "38;5;2;" {
		t.Errorf("a coloured cell's attributes: %q", got)
	}
	// Colour 0 is no reset.
	s.write(t, "\x1b[3;3H\x1b[1m\x1b[48;5;0mq\x1b[m")
	if got := s.cells[2][2].sgr; got != "1;48;5;0;" {
		t.Errorf("a cell on colour 0: %q", got)
	}
	// A mark of no width joins the character before it, whatever the
	// attributes between.
	s.write(t, "\x1b[1;2H\x1b[1m\u0301\x1b[m")
	if got := s.cells[0][0].g; got != "★\u0301" {
		t.Errorf("a combining mark: %q", got)
	}
	// A narrow character over half a wide one takes all of it.
	s.write(t, "\x1b[1;4Hq")
	if got := s.cells[0][2].g + s.cells[0][3].g; got != " q" {
		t.Errorf("over the right half of a wide character: %q", got)
	}
	// Erase to the end of the screen, from the middle of a line; at the
	// bottom a line feed scrolls.
	s.write(t, "\x1b[2;2H\x1b[J\x1b[3;1H\nend")
	if got := s.cells[0][0].g + s.cells[0][1].g + s.cells[1][0].g + s.cells[1][1].g + s.cells[2][0].g; got != "x   e" {
		t.Errorf("after an erase and a scroll: %q", got)
	}
	// The last column written, an erase takes only what is under the
	// cursor, as in a terminal: the cursor stays on the last column.
	s = newTermModel(3, 1)
	s.write(t, "abc\x1b[K")
	if got := s.cells[0][0].g + s.cells[0][1].g + s.cells[0][2].g; got != "ab " {
		t.Errorf("an erase after the last column: %q", got)
	}
}

// frameGen makes frames as the cockpit draws them: a timeline column on
// the left that scrolls, and a column of panes on the right.
type frameGen struct {
	r        *rand.Rand
	entries  []string // the timeline's rows, newest last
	right    []string
	leftW    int
	w, h     int
	ragged   bool // the left column's lines are not padded (no common.JoinH)
	styles   []string
	alphabet []string
}

func newFrameGen(seed uint64) *frameGen {
	g := &frameGen{
		r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		styles: []string{
			"", "\x1b[1m", "\x1b[38;5;2m", "\x1b[48;5;4m", "\x1b[1;38;5;1m", "\x1b[4m",
		},
		// Few letters, so that unrelated lines share ends; wide runes.
		alphabet: []string{"a", "b", " ", " ", "x", "★", "漢", "中", "│", "\u0301"},
	}
	g.size()
	for range g.h + 8 {
		g.entries = append(g.entries, g.piece(g.leftW))
	}
	for range g.h {
		g.right = append(g.right, g.piece(g.w-g.leftW))
	}
	return g
}

func (g *frameGen) size() {
	g.w, g.h = 20+g.r.IntN(40), 2+g.r.IntN(10)
	g.leftW = g.w * 3 / 5
	g.ragged = g.r.IntN(3) == 0
}

// piece is a run of styled segments at most w wide (now and then wider,
// to be cut), each ending with a reset as common.Paint's and lipgloss's do.
func (g *frameGen) piece(w int) string {
	if g.r.IntN(12) == 0 {
		w += 1 + g.r.IntN(6)
	}
	if g.r.IntN(4) == 0 {
		w = g.r.IntN(w + 1)
	}
	var b bytes.Buffer
	used := 0
	for used < w {
		style := g.styles[g.r.IntN(len(g.styles))]
		b.WriteString(style)
		for n := 1 + g.r.IntN(8); n > 0 && used < w; n-- {
			ch := g.alphabet[g.r.IntN(len(g.alphabet))]
			cw := ansi.StringWidth(ch)
			if used+cw > w {
				ch, cw = "a", 1
			}
			b.WriteString(ch)
			used += cw
		}
		if style != "" {
			if g.r.IntN(2) == 0 {
				b.WriteString("\x1b[0m")
			} else {
				b.WriteString("\x1b[m")
			}
		}
	}
	return b.String()
}

// restyle replaces one SGR sequence of line, an opening or a reset, by
// another (the same text then follows a reset in one line and a style in
// the other); never the last, so the line still ends in the default state.
func (g *frameGen) restyle(line string) string {
	var at [][2]int
	for i := 0; i < len(line); {
		j := strings.Index(line[i:], "\x1b[")
		if j < 0 {
			break
		}
		end := i + j + strings.IndexByte(line[i+j:], 'm') + 1
		at = append(at, [2]int{i + j, end})
		i = end
	}
	if len(at) < 2 {
		return line
	}
	seq := at[g.r.IntN(len(at)-1)]
	to := append(g.styles[1:len(g.styles):len(g.styles)], "\x1b[0m", "\x1b[m")
	return line[:seq[0]] + to[g.r.IntN(len(to))] + line[seq[1]:]
}

// step changes what the next frame shows, and reports whether the
// terminal's size changed.
func (g *frameGen) step() bool {
	switch k := g.r.IntN(10); {
	case k < 5:
		// Rows logged: the timeline scrolls by one or more.
		for n := 1 + g.r.IntN(3); n > 0; n-- {
			g.entries = append(g.entries, g.piece(g.leftW))
		}
	case k < 6:
		// A row edited in place: rewritten, or only restyled.
		i := len(g.entries) - 1 - g.r.IntN(g.h)
		if g.r.IntN(2) == 0 {
			g.entries[i] = g.piece(g.leftW)
		} else {
			g.entries[i] = g.restyle(g.entries[i])
		}
	case k < 7:
		// Nothing changed.
	case k < 9:
		// The right column too.
		g.entries = append(g.entries, g.piece(g.leftW))
		i := g.r.IntN(len(g.right))
		if g.r.IntN(2) == 0 {
			g.right[i] = g.piece(g.w - g.leftW)
		} else {
			g.right[i] = g.restyle(g.right[i])
		}
	default:
		g.size()
		g.right = g.right[:0]
		for range g.h {
			g.right = append(g.right, g.piece(g.w-g.leftW))
		}
		return true
	}
	return false
}

func (g *frameGen) frame() string {
	rows := g.h
	if g.r.IntN(6) == 0 {
		rows = 1 + g.r.IntN(g.h) // fewer lines than the screen
	} else if g.r.IntN(10) == 0 {
		rows = g.h + 1 + g.r.IntN(3) // more: the bottom ones are kept
	}
	left := strings.Join(g.entries[max(len(g.entries)-rows, 0):], "\n")
	right := strings.Join(g.right[:min(rows, len(g.right))], "\n")
	if !g.ragged {
		return common.JoinH(left, right)
	}
	l, r := strings.Split(left, "\n"), strings.Split(right, "\n")
	for i := range l {
		if i < len(r) {
			l[i] += r[i]
		}
	}
	return strings.Join(l, "\n")
}

// Frames written as diffs onto the screen that shows the last frame leave
// it as the frame drawn whole on a blank screen: random two-column frames,
// scrolled, edited, resized.
func TestWriteFrameDiffDrawsTheFrame(t *testing.T) {
	kept := 0
	for seed := range uint64(300) {
		g := newFrameGen(seed)
		term := newTermModel(g.w, g.h)
		var last shown
		rendered := 0
		for step := range 40 {
			if g.step() {
				// As FrameWriter does on a resize: the next frame whole.
				term.resize(g.w, g.h)
				rendered, last = max(len(last.text), rendered), shown{}
			}
			frame := g.frame()
			var b bytes.Buffer
			prev := last
			last = writeFrame(&b, last, max(len(last.text), rendered), frame, g.w, g.h)
			rendered = len(last.text)
			term.write(t, b.String())
			kept += keptLines(prev, last, g.w)

			var whole bytes.Buffer
			writeFrame(&whole, shown{}, 0, frame, g.w, g.h)
			want := newTermModel(g.w, g.h)
			want.write(t, whole.String())
			if d := term.diff(want); d != "" {
				t.Fatalf("seed %d step %d (%dx%d): %s\nlast lines %q\nframe lines %q\nwritten %q", seed, step, g.w, g.h, d, prev.text, last.text, b.String())
			}
		}
	}
	// The property must have been put to the test: many lines kept
	// their tails.
	t.Logf("%d lines written in part", kept)
	if kept < 1000 {
		t.Errorf("only %d lines written in part: the generator does not exercise it", kept)
	}
}

// keptLines counts the lines of a frame written in part.
func keptLines(last, lines shown, w int) int {
	n := 0
	for i, l := range lines.text {
		if i < len(last.text) && last.text[i] != l && lines.width[i] <= w && last.width[i] == lines.width[i] && keptTail(last.text[i], l) > 0 {
			n++
		}
	}
	return n
}

// The point of keptTail: when the timeline scrolls under a right column
// that does not change, a frame is written in far fewer bytes than its
// changed lines whole.
func TestWriteFrameScrolledTwoColumnsWritesLess(t *testing.T) {
	const w, h = 100, 20
	draw := scrolledFrames(w, h)
	var b bytes.Buffer
	last := writeFrame(&b, shown{}, 0, draw(0), w, h)
	b.Reset()
	lines := writeFrame(&b, last, len(last.text), draw(1), w, h)
	whole := len(ansi.CursorHomePosition) + len(ansi.CursorPosition(0, len(lines.text)))
	changed := 0
	for i, l := range lines.text {
		if l != last.text[i] {
			changed++
			whole += len(l) + len("\r\n")
			if common.Width(l) < w {
				whole += len(ansi.EraseLineRight)
			}
		}
	}
	if changed < h-2 {
		t.Fatalf("%d lines changed by the scroll, want %d: the test's frame is not what it means", changed, h-2)
	}
	t.Logf("a scroll by one: %d bytes, its changed lines whole %d", b.Len(), whole)
	if got := b.Len(); got*4 >= whole*3 {
		t.Errorf("a scroll by one wrote %d bytes, want under 75%% of the %d of its changed lines whole", got, whole)
	}

	// And the screen is the frame.
	term := newTermModel(w, h)
	var first bytes.Buffer
	writeFrame(&first, shown{}, 0, draw(0), w, h)
	term.write(t, first.String()+b.String())
	want := newTermModel(w, h)
	var all bytes.Buffer
	writeFrame(&all, shown{}, 0, draw(1), w, h)
	want.write(t, all.String())
	if d := term.diff(want); d != "" {
		t.Errorf("after the scroll: %s", d)
	}
}

// scrolledFrames draws the cockpit's shape at w×h: a timeline pane on the
// left, its rows from first on, and a pane on the right that stays.
func scrolledFrames(w, h int) func(first int) string {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	box := r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(lipgloss.Color("63"))
	stamp := common.NewPaint(r.NewStyle().Foreground(lipgloss.Color("244")))
	who := common.NewPaint(r.NewStyle().Foreground(lipgloss.Color("39")).Bold(true))
	var rows []string
	for i := range 2 * h {
		rows = append(rows, stamp.Of(fmt.Sprintf("14:%02d", i))+" "+who.Of("ana")+" "+fmt.Sprintf("rolled back node %d of the fleet", i))
	}
	right := box.Width(w - w*3/5 - 2).Height(h - 2).Render("SEV1 checkout down\n\nIC ana · comms ben\n\nnext update 14:30")
	return func(first int) string {
		left := box.Width(w*3/5 - 2).Height(h - 2).Render(strings.Join(rows[first:first+h-2], "\n"))
		return common.JoinH(left, right)
	}
}

// BenchmarkWriteFrameScrolled is a frame writer's work for a timeline
// scrolled by one line under a right column that stays.
func BenchmarkWriteFrameScrolled(b *testing.B) {
	const w, h = 120, 40
	draw := scrolledFrames(w, h)
	frames := []string{draw(0), draw(1)}
	var buf bytes.Buffer
	last := writeFrame(&buf, shown{}, 0, frames[0], w, h)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		buf.Reset()
		last = writeFrame(&buf, last, len(last.text), frames[i%2], w, h)
	}
	b.ReportMetric(float64(buf.Len()), "bytes/frame")
}
