package cockpit

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// completing reports whether tab should complete a slash command: the line
// is a command name being typed.
func (c *captureLine) completing() bool {
	v := c.Input.Value()
	return c.Mode == ModeLog && strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") && !strings.Contains(v, " ")
}

// complete extends a command name as far as it is unambiguous, adding a
// space when it is complete and takes arguments. When several commands
// are left, the next tab cycles through them, one per press.
func (c *captureLine) complete() {
	v := c.Input.Value()
	switch {
	case c.cycling():
		c.cand = (c.cand + 1) % len(c.cands)
		c.setLine("/" + c.cands[c.cand])
		return
	case len(c.cands) > 1 && c.cand < 0 && v == c.candBase:
		c.cand = 0
		c.setLine("/" + c.cands[0])
		return
	}
	c.cands = c.cands[:0]
	matches := incident.CompleteCommand(v)
	switch len(matches) {
	case 0:
		c.Err = fmt.Sprintf("no command starts with %s; type /help to see them", incident.CleanLine(v))
		return
	case 1:
		v = "/" + matches[0].Name
		if matches[0].Args != "" {
			v += " "
		}
	default:
		prefix := matches[0].Name
		for _, m := range matches[1:] {
			for !strings.HasPrefix(m.Name, prefix) {
				prefix = prefix[:len(prefix)-1]
			}
		}
		v = "/" + prefix
		for _, m := range matches {
			c.cands = append(c.cands, m.Name)
		}
		c.cand, c.candBase = -1, v
	}
	c.setLine(v)
}

// cycling reports whether tab is going through the candidates: the line
// is still the candidate the last tab put there.
func (c *captureLine) cycling() bool {
	return len(c.cands) > 1 && c.cand >= 0 && c.cand < len(c.cands) && c.Input.Value() == "/"+c.cands[c.cand]
}

func (c *captureLine) setLine(v string) {
	c.setFull(v)
	c.Input.CursorEnd()
}

// recall moves through earlier lines; the line being typed is kept.
func (c *captureLine) recall(dir int) {
	if len(c.history) == 0 {
		return
	}
	if c.hist == len(c.history) {
		c.histDraft = c.Value()
	}
	c.hist = min(max(c.hist+dir, 0), len(c.history))
	if c.hist == len(c.history) {
		c.setFull(c.histDraft)
	} else {
		c.setFull(c.history[c.hist])
	}
	c.Input.CursorEnd()
}

func (c *captureLine) remember(line string) {
	if line == "" {
		return
	}
	if n := len(c.history); n == 0 || c.history[n-1] != line {
		c.history = append(c.history, line)
		if len(c.history) > maxHistory {
			c.history = c.history[len(c.history)-maxHistory:]
		}
	}
	c.hist = len(c.history)
	c.histDraft = ""
}

// hint is the second row: the error, or the syntax of the command being
// typed, or nothing.
func (c captureLine) hint() string {
	st := c.ctx.Styles
	if c.paste != nil {
		return c.pasteHint()
	}
	if c.Err != "" {
		return st.Error.Render(" ✗ " + incident.CleanLine(c.Err))
	}
	if h := c.overflowHint(); h != "" {
		return h
	}
	if c.Note != "" && c.Input.Value() == "" {
		return st.Hint.Render(" " + incident.CleanLine(c.Note))
	}
	switch c.Mode {
	case ModeEditText:
		return st.Hint.Render(" enter saves the new text · esc cancels")
	case ModeRetime:
		return st.Hint.Render(" HH:MM, -10m or RFC 3339 · enter moves the entry · esc cancels")
	case ModeFind:
		return st.Hint.Render(" text to find · enter finds, then n/N · empty ends the search · esc cancels")
	}
	if c.held != "" {
		// Said first, so a narrow terminal cuts the syntax, not this.
		held := common.Cut(incident.CleanLine(c.held), 24)
		return st.Hint.Render(fmt.Sprintf(" %q is kept: back after the command, or now with esc ·", held)) + c.commandHint()
	}
	return c.commandHint()
}

// commandHint is the syntax of the command being typed, or nothing.
func (c captureLine) commandHint() string {
	st := c.ctx.Styles
	v := c.Input.Value()
	if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") {
		return ""
	}
	if c.cycling() {
		parts := make([]string, len(c.cands))
		for i, n := range c.cands {
			parts[i] = st.Hint.Render("/" + n)
			if i == c.cand {
				parts[i] = st.Accent.Bold(true).Render("/" + n)
			}
		}
		return " " + strings.Join(parts, st.Hint.Render("  ")) + st.Hint.Render(" · tab next · space adds arguments")
	}
	name, _, hasArg := strings.Cut(v[1:], " ")
	if hasArg {
		for _, s := range incident.CommandSpecs {
			if s.Name == strings.ToLower(name) {
				return st.Hint.Render(fmt.Sprintf(" /%s %s — %s", s.Name, s.Args, s.Help))
			}
		}
		return ""
	}
	matches := incident.CompleteCommand(name)
	switch len(matches) {
	case 0:
		return st.Error.Render(" no such command · /help lists them")
	case 1:
		m := matches[0]
		return st.Hint.Render(strings.TrimSpace(fmt.Sprintf(" /%s %s", m.Name, m.Args)) + " — " + m.Help + " · tab completes")
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = "/" + m.Name
	}
	return st.Hint.Render(" " + strings.Join(names, "  ") + " · tab completes")
}

func (c captureLine) ShortHelp() []key.Binding {
	k := c.ctx.Keys
	if c.Mode == ModeFind {
		return []key.Binding{common.WithHelp(k.Submit, "find"), k.Cancel}
	}
	if c.Mode != ModeLog {
		return []key.Binding{common.WithHelp(k.Submit, "save"), k.Cancel}
	}
	if c.held != "" {
		return []key.Binding{k.Submit, common.WithHelp(k.Cancel, "back to your line"), k.Complete, k.HistPrev}
	}
	if c.completing() {
		return []key.Binding{k.Complete, k.Submit, k.HistPrev}
	}
	return []key.Binding{k.Submit, k.HistPrev, common.WithHelp(k.NextPane, "timeline"), k.PageUp}
}

func (c captureLine) FullHelp() [][]key.Binding {
	k := c.ctx.Keys
	return [][]key.Binding{{k.Submit, common.WithHelp(k.Complete, "complete command"), k.HistPrev, common.WithHelp(k.Cancel, "cancel edit")}}
}
