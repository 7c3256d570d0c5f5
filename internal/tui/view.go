package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

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
	if d := m.drawn; d != nil && d.ok && d.gen == m.gen && d.w == w && d.h == h {
		return d.frame
	}
	frame := m.frame(w, h)
	if m.drawn != nil {
		*m.drawn = drawnFrame{frame: frame, gen: m.gen, w: w, h: h, ok: true}
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
}

func (m Model) frame(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	var body string
	switch {
	case m.showHelp:
		body = m.helpView(w, h-1)
	case m.screen == common.ScreenCockpit:
		body = m.cockpit.View()
	case m.screen == common.ScreenList:
		body = m.list.View()
	default:
		if c := m.screens[m.screen]; c != nil {
			body = c.View()
		}
	}
	return common.FitBlock(body, w, h-1) + "\n" + m.statusLine(w)
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
		if m.statusErr {
			return common.Fit(st.Error.Render(" ✗ "+incident.CleanLine(m.status)), w)
		}
		return common.Fit(st.OK.Render(" ✓ "+incident.CleanLine(m.status)), w)
	}
	k := m.ctx.Keys
	var binds []key.Binding
	switch m.screen {
	case common.ScreenCockpit:
		binds = m.cockpit.ShortHelp()
	case common.ScreenList:
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
	binds = append(binds, help, k.Quit)
	return common.Fit(" "+m.help.ShortHelpView(binds), w)
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

// helpLines is the help's content at inner width w.
func (m Model) helpLines(w int) []string {
	st := m.ctx.Styles
	k := m.ctx.Keys
	groups := [][]key.Binding{{k.Quit, k.Help, k.NextPane, k.Capture, k.Command, k.ListScr, k.RetroScr, k.Preview, k.Back}}
	switch m.screen {
	case common.ScreenCockpit:
		groups = append(groups, m.cockpit.FullHelp()...)
	case common.ScreenList:
		groups = append(groups, m.list.FullHelp()...)
	default:
		if c := m.screens[m.screen]; c != nil {
			groups = append(groups, c.FullHelp()...)
		}
	}
	// One cell per distinct key and meaning, laid out in columns.
	cols := max(w/28, 1)
	cellW := w / cols
	seen := map[string]bool{}
	var cells []string
	for _, g := range groups {
		for _, b := range g {
			hk, hd := b.Help().Key, b.Help().Desc
			if !b.Enabled() || hk == "" || seen[hk+hd] {
				continue
			}
			seen[hk+hd] = true
			cells = append(cells, st.HelpKey.Render(common.Fit(hk, 10))+" "+st.HelpDesc.Render(common.Cut(hd, cellW-12)))
		}
	}
	rows := (len(cells) + cols - 1) / cols
	lines := []string{" " + st.PaneTitle.Render("Keys")}
	for r := range rows {
		line := " "
		for c := range cols {
			if i := c*rows + r; i < len(cells) {
				line += common.Fit(cells[i], cellW)
			}
		}
		lines = append(lines, line)
	}
	lines = append(lines, "", " "+st.PaneTitle.Render("Capture line"))
	for _, l := range common.Wrap("text logs a note · ! action · > decision · ? question · * starred · @HH:MM or @-10m backdates · // starts a note with a slash", w-2) {
		lines = append(lines, " "+st.Muted.Render(l))
	}
	lines = append(lines, "", " "+st.PaneTitle.Render("Slash commands"))
	specs := make([]string, len(incident.CommandSpecs))
	for i, c := range incident.CommandSpecs {
		name := "/" + c.Name
		if c.Args != "" {
			name += " " + c.Args
		}
		specs[i] = st.HelpKey.Render(common.Fit(name, 21)) + " " + st.HelpDesc.Render(c.Help)
	}
	specW := 75
	scols := max(w/specW, 1)
	if scols == 1 {
		specW = w - 1
	}
	srows := (len(specs) + scols - 1) / scols
	for r := range srows {
		line := " "
		for c := range scols {
			if i := c*srows + r; i < len(specs) {
				line += common.Fit(specs[i], specW)
			}
		}
		lines = append(lines, line)
	}
	return lines
}
