package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// View draws the active screen and the status line.
func (m Model) View() string {
	w, h := m.ctx.Width, m.ctx.Height
	// Bubble Tea draws after every message. In a busy room most are the
	// change notifications of others' writes, which show nothing
	// themselves (the delta they lead to does), and each frame costs
	// more than the rest of the message's handling.
	// Those leave the model's generation as it was, and the frame last
	// drawn for that generation is still the right one.
	if d := m.drawn; d != nil && d.ok && (d.gen == m.gen || d.held) && d.w == w && d.h == h {
		return d.frame
	}
	frame, clock := m.frame(w, h, m.clockFrame())
	if d := m.drawn; d != nil {
		d.frame, d.gen, d.w, d.h, d.ok, d.at = frame, m.gen, w, h, true, time.Now()
		d.byClock = clock
		if !clock {
			d.minute = minuteOf(m.ctx.Now())
		}
	}
	return frame
}

// drawnFrame is the last frame View drew, for the model's generation gen
// at its size.
type drawnFrame struct {
	frame string
	gen   uint64
	w, h  int
	ok    bool
	// at is when it was drawn; held keeps it on screen through other
	// people's changes until the redraw numbered seq (frames.go).
	at   time.Time
	held bool
	seq  uint64
	// help is the status line's key help last drawn (help_memo.go).
	help helpMemo
	// clockGen is a generation that only the clock's tick moved on from
	// the frame drawn; minute is the minute of the last frame drawn
	// whole, and byClock says the last frame was drawn for the clock
	// alone (clock.go).
	clockGen uint64
	minute   int64
	byClock  bool
}

// frame draws the screen at w×h; with clock, the cockpit draws only what
// follows the clock and keeps the rest as last drawn (clock.go), and
// byClock says it did.
func (m Model) frame(w, h int, clock bool) (frame string, byClock bool) {
	if w <= 0 || h <= 0 {
		return "", false
	}
	if m.tooSmall() {
		return m.tooSmallView(), false
	}
	var body string
	switch {
	case m.showHelp:
		body = m.helpView(w, h-1)
	case m.screen == common.ScreenCockpit:
		if clock {
			body, byClock = m.cockpit.ClockView()
		}
		if !byClock {
			body = m.cockpit.View()
		}
		if m.brief != nil {
			body = m.overlayBrief(body, w, h-1)
		}
	case m.screen == common.ScreenList:
		body = m.list.View()
	default:
		if c := m.screens[m.screen]; c != nil {
			body = c.View()
		}
	}
	if long := m.longStatus(w); long != nil {
		// A message too long for one row takes the row above too (the
		// capture line's hint row in the cockpit) until the next key.
		return common.FitBlock(body, w, h-len(long)) + "\n" + strings.Join(long, "\n"), byClock
	}
	return common.FitBlock(body, w, h-1) + "\n" + m.statusLine(w), byClock
}

// longStatus is a status message wider than the terminal, wrapped to two
// rows (cut at a word, with where to read the rest, when longer still); nil
// when it fits one row.
func (m Model) longStatus(w int) []string {
	if m.status == "" {
		return nil
	}
	st := m.ctx.Styles
	style, mark := st.OK, " ✓ "
	if m.statusErr {
		style, mark = st.Error, " ✗ "
	}
	text := mark + incident.CleanLine(m.status)
	if ansi.StringWidth(text) <= w {
		return nil
	}
	lines := common.Wrap(text, w-4)
	if len(lines) > 2 {
		const more = " … f1 shows all"
		rest := strings.Join(lines[1:], " ")
		lines = []string{lines[0], style.Render(cutAtWord(rest, w-4-ansi.StringWidth(more))) + st.Faint.Render(more)}
		lines[0] = style.Render(lines[0])
	} else {
		for i := range lines {
			lines[i] = style.Render(lines[i])
		}
	}
	for i := range lines {
		if i > 0 {
			lines[i] = "   " + lines[i]
		}
		lines[i] = common.Fit(lines[i], w)
	}
	return lines
}

// tooSmallView says so instead of drawing a broken layout.
func (m Model) tooSmallView() string {
	w, h := m.ctx.Width, m.ctx.Height
	st := m.ctx.Styles
	msg := fmt.Sprintf("Terminal too small: %d×%d. warroom needs at least %d×%d; enlarge the window.", w, h, MinWidth, MinHeight)
	lines := common.Wrap(msg, w)
	for i := range lines {
		lines[i] = st.Warn.Render(lines[i])
	}
	top := max((h-len(lines))/2, 0)
	out := make([]string, 0, h)
	for range top {
		out = append(out, "")
	}
	out = append(out, lines...)
	return common.FitBlock(strings.Join(out, "\n"), w, h)
}

// statusLine shows the last error or note, else the keys of the focused
// pane.
func (m Model) statusLine(w int) string {
	st := m.ctx.Styles
	if m.status != "" {
		style, mark := st.OK, " ✓ "
		if m.statusErr {
			style, mark = st.Error, " ✗ "
		}
		return common.Fit(style.Render(mark+incident.CleanLine(m.status)), w)
	}
	k := m.ctx.Keys
	var binds []key.Binding
	switch {
	case m.showHelp:
		// Under help, help's own keys: the screen's do not work there.
		return " " + m.fitShortHelp([]key.Binding{common.WithHelp(k.Up, "scroll"), k.PageUp, k.Top}, []key.Binding{common.WithHelp(k.Back, "close help"), k.Quit}, w-1)
	case m.screen == common.ScreenCockpit:
		binds = m.cockpit.ShortHelp()
	case m.screen == common.ScreenList:
		binds = m.list.ShortHelp()
	default:
		if c := m.screens[m.screen]; c != nil {
			binds = c.ShortHelp()
		}
	}
	help := k.Help
	if m.typing() {
		help.SetHelp("f1", "help")
	}
	return " " + m.fitShortHelp(binds, []key.Binding{help, k.Quit}, w-1)
}

// cutAtWord shortens s to at most n cells, at a space when there is one
// in the second half.
func cutAtWord(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= n {
		return s
	}
	t := ansi.Truncate(s, n, "")
	if i := strings.LastIndexByte(t, ' '); i > len(t)/2 {
		t = t[:i]
	}
	return strings.TrimRight(t, " ,;:·")
}

// fitShortHelp renders the bindings that fit in w cells: always the
// tail (help and quit), then as many of binds as fit, in their order of
// importance, so a narrow terminal drops whole bindings instead of
// cutting one mid-word.
func (m Model) fitShortHelp(binds, tail []key.Binding, w int) string {
	h := m.help
	h.Width = 0
	// Measured, not rendered per try: this runs on every frame.
	sep := ansi.StringWidth(h.ShortSeparator)
	width := func(b key.Binding) int {
		return ansi.StringWidth(b.Help().Key) + 1 + ansi.StringWidth(b.Help().Desc)
	}
	used := 0
	for _, b := range tail {
		used += width(b) + sep
	}
	shown := make([]key.Binding, 0, len(binds)+len(tail))
	for _, b := range binds {
		if !b.Enabled() || used+width(b)+sep > w+sep {
			continue
		}
		used += width(b) + sep
		shown = append(shown, b)
	}
	shown = append(shown, tail...)
	return m.memoHelp(shown, w, func() string { return common.Fit(h.ShortHelpView(shown), w) })
}

// helpView lists every key and slash command, in as many columns as fit,
// scrolled with j/k when it is taller than the terminal.
func (m Model) helpView(w, h int) string {
	st := m.ctx.Styles
	lines := m.helpLines(w - 2)
	top := min(m.helpTop, max(len(lines)-(h-2), 0))
	note := "? or esc closes"
	if len(lines) > h-2 {
		note = "j/k scroll · " + note
	}
	return common.Box(st, "Help", st.Faint.Render(note), lines[top:], w, h, true)
}

// helpGroups are the help's headings: the parts of the screen shown, the
// focused one first, then the keys that work everywhere.
func (m Model) helpGroups() []common.HelpGroup {
	k := m.ctx.Keys
	var groups []common.HelpGroup
	var c any
	switch m.screen {
	case common.ScreenCockpit:
		c = m.cockpit
	case common.ScreenList:
		c = m.list
	default:
		if s := m.screens[m.screen]; s != nil {
			c = s
		}
	}
	switch c := c.(type) {
	case common.HelpGrouper:
		groups = c.HelpGroups()
	case interface{ FullHelp() [][]key.Binding }:
		title := m.screen.String()
		groups = []common.HelpGroup{{Title: strings.ToUpper(title[:1]) + title[1:], Keys: common.Flatten(c.FullHelp())}}
	}
	return append(groups, common.HelpGroup{Title: "Everywhere", Keys: []key.Binding{k.Quit, k.Help, k.NextPane, k.PrevPane, k.Capture, k.Command, k.ListScr, k.RetroScr, k.Preview, k.Back}})
}

// helpLines is the help's content at inner width w: a heading per group
// with its keys in as many columns as fit whole, then the capture syntax
// and the slash commands. Nothing is cut: a description too long for its
// column wraps under itself.
func (m Model) helpLines(w int) []string {
	st := m.ctx.Styles
	var lines []string
	if msg := incident.CleanLine(m.shownStatus); msg != "" {
		// The last message in full: the status line may have cut it.
		style := st.OK
		if m.shownStatusErr {
			style = st.Error
		}
		lines = append(lines, " "+st.PaneTitle.Render("Last message"))
		for _, l := range common.Wrap(msg, max(w-2, 10)) {
			lines = append(lines, " "+style.Render(l))
		}
		lines = append(lines, "")
	}
	lines = append(lines, " "+st.Faint.Render(common.Cut("Keys by pane, the focused one first", w-1)))
	for gi, g := range m.helpGroups() {
		type cell struct{ k, d string }
		var cells []cell
		seen := map[string]bool{}
		keyW, descW := 3, 0
		for _, b := range g.Keys {
			hk, hd := b.Help().Key, b.Help().Desc
			if !b.Enabled() || hk == "" || seen[hk+hd] {
				continue
			}
			seen[hk+hd] = true
			cells = append(cells, cell{hk, hd})
			keyW = max(keyW, ansi.StringWidth(hk))
			descW = max(descW, ansi.StringWidth(hd))
		}
		if len(cells) == 0 {
			continue
		}
		title := g.Title
		if gi == 0 {
			title += " (focused)"
		}
		lines = append(lines, "", " "+st.PaneTitle.Render(common.Cut(title, w-1)))
		cellW := keyW + 1 + descW + 3
		cols := max((w-1)/cellW, 1)
		if cols == 1 {
			cellW = w - 1
		}
		rows := (len(cells) + cols - 1) / cols
		for r := range rows {
			// Each cell may wrap; the row is as tall as its tallest cell.
			var parts [][]string
			height := 1
			for c := range cols {
				i := c*rows + r
				if i >= len(cells) {
					break
				}
				desc := common.Wrap(cells[i].d, max(cellW-keyW-2, 8))
				cl := make([]string, len(desc))
				for j, d := range desc {
					kk := ""
					if j == 0 {
						kk = cells[i].k
					}
					cl[j] = st.HelpKey.Render(common.Fit(kk, keyW)) + " " + st.HelpDesc.Render(d)
				}
				parts = append(parts, cl)
				height = max(height, len(cl))
			}
			for j := range height {
				line := " "
				for _, cl := range parts {
					var s string
					if j < len(cl) {
						s = cl[j]
					}
					line += common.Fit(s, cellW)
				}
				lines = append(lines, line)
			}
		}
	}
	lines = append(lines, "", " "+st.PaneTitle.Render("Capture line syntax"))
	for _, l := range common.Wrap("text logs a note · ! action · > decision · ? question · * starred · @HH:MM or @-10m backdates · // starts a note with a slash", w-2) {
		lines = append(lines, " "+st.Muted.Render(l))
	}
	lines = append(lines, "", " "+st.PaneTitle.Render("Slash commands"))
	nameW := 0
	for _, c := range incident.CommandSpecs {
		nameW = max(nameW, ansi.StringWidth(commandUsage(c)))
	}
	specW := nameW + 1 + 52 + 2
	scols := max((w-1)/specW, 1)
	if scols == 1 {
		specW = w - 1
	}
	var specs [][]string
	for _, c := range incident.CommandSpecs {
		name := commandUsage(c)
		nw := nameW
		if scols == 1 && nameW > (w-1)/3 {
			// Narrow: the usage on its own line when it would squeeze the text.
			nw = min(nameW, 22)
		}
		var cl []string
		if ansi.StringWidth(name) > nw {
			cl = append(cl, st.HelpKey.Render(name))
			name = ""
		}
		for j, d := range common.Wrap(c.Help, max(specW-nw-2, 8)) {
			nn := ""
			if j == 0 {
				nn = name
			}
			cl = append(cl, st.HelpKey.Render(common.Fit(nn, nw))+" "+st.HelpDesc.Render(d))
		}
		specs = append(specs, cl)
	}
	srows := (len(specs) + scols - 1) / scols
	for r := range srows {
		height := 0
		for c := range scols {
			if i := c*srows + r; i < len(specs) {
				height = max(height, len(specs[i]))
			}
		}
		for j := range height {
			line := " "
			for c := range scols {
				if i := c*srows + r; i < len(specs) {
					var s string
					if j < len(specs[i]) {
						s = specs[i][j]
					}
					line += common.Fit(s, specW)
				}
			}
			lines = append(lines, line)
		}
	}
	return lines
}

// commandUsage is a slash command with its arguments.
func commandUsage(c incident.CommandSpec) string {
	if c.Args != "" {
		return "/" + c.Name + " " + c.Args
	}
	return "/" + c.Name
}
