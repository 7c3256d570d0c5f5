package cockpit

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A bracketed paste of several lines is lines, not one note: each line is
// logged as if typed and ended with enter, parsed with the capture syntax
// (prefixes and slash commands), in order. A paste that holds commands is
// run only after one question ("paste 4 lines, 1 command? enter / esc"); a
// paste whose lines all start with a time (notes copied out of a chat) is
// offered as a backfill, each line at its own time. Lines typed while the
// question waits follow the paste's lines; esc logs none of the paste and
// leaves its lines in the history (↑).

// pendingPaste is a paste waiting for its answer.
type pendingPaste struct {
	// lines are the paste's lines as typed, blank ones dropped.
	lines []string
	// backfill holds the lines' times when every line starts with one.
	backfill []incident.BackfillLine
	// commands counts the lines that are slash commands.
	commands int
	// after are lines typed and ended while the question waited.
	after []string
	q     common.Question
}

// pasteLines splits a paste into its lines; a paste of one line is not
// lines (false).
func pasteLines(runes []rune) ([]string, string, bool) {
	// Terminals paste line breaks as carriage returns (tmux, most
	// emulators) or as line feeds.
	text := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(runes))
	if !strings.Contains(strings.TrimRight(text, "\n"), "\n") {
		return nil, text, false
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " \t"))
		}
	}
	return lines, text, len(lines) > 1
}

// offerPaste takes a paste of several lines: logs them at once, or asks
// first when they hold commands or times. Anything else returns false.
func (c *captureLine) offerPaste(msg tea.KeyMsg) (tea.Cmd, bool) {
	if !msg.Paste || c.Mode != ModeLog || c.paste != nil {
		return nil, false
	}
	lines, text, ok := pasteLines(msg.Runes)
	if !ok {
		return nil, false
	}
	if c.ctx.IncidentID == 0 {
		c.Err = common.ErrNoIncident.Error()
		return nil, true
	}
	// A half-typed line is the start of the paste's first line, as in
	// any terminal.
	half := c.Value()
	lines[0] = half + lines[0]
	c.setFull("")
	c.giveBack()
	c.Err, c.Note = "", ""
	p := &pendingPaste{lines: lines}
	if bf, err := incident.ParseBackfill(strings.NewReader(text), c.ctx.Now()); err == nil && len(bf) == len(lines) && half == "" {
		p.backfill = bf
	}
	for _, l := range lines {
		if isCommandLine(l) {
			p.commands++
		}
	}
	if p.commands == 0 && p.backfill == nil {
		return c.logLines(lines), true
	}
	c.paste = p
	return tea.Batch(p.q.Ask(c.ctx), c.Changed()), true
}

// isCommandLine reports a line the capture syntax reads as a slash
// command ("//" starts a note).
func isCommandLine(l string) bool {
	t := strings.TrimSpace(l)
	return strings.HasPrefix(t, "/") && !strings.HasPrefix(t, "//")
}

// logLines logs lines one by one, in order, as if each were typed.
func (c *captureLine) logLines(lines []string) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(lines)+1)
	refusedErr, refused := "", 0
	for _, l := range lines {
		cmds = append(cmds, c.logLine(l))
		if c.Err != "" {
			refusedErr, refused = c.Err, refused+1
			c.Err = ""
		}
	}
	switch {
	case refused == 1:
		c.Err = refusedErr
	case refused > 1:
		c.Err = fmt.Sprintf("%d lines were not logged (the last: %s)", refused, refusedErr)
	}
	return tea.Batch(append(cmds, c.Changed())...)
}

// pasteKey offers a key to the waiting paste's question. Only an answer
// typed after the question was shown, with nothing half-typed, answers;
// every other key is typed on the line (false).
func (c *captureLine) pasteKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	p := c.paste
	if c.Input.Value() != "" {
		return nil, false
	}
	k := c.ctx.Keys
	switch p.q.Answer(c.ctx, msg, k.Confirm, k.Deny) {
	case common.Yes:
		p.q.Close(c.ctx)
		c.paste = nil
		if p.backfill != nil {
			return tea.Batch(backfillCmd(c.ctx, p.backfill), c.logLines(p.after)), true
		}
		return c.logLines(append(p.lines, p.after...)), true
	case common.No:
		p.q.Close(c.ctx)
		c.paste = nil
		for _, l := range p.lines {
			c.remember(l)
		}
		cmd := c.logLines(p.after)
		if c.Err == "" {
			c.Note = fmt.Sprintf("The paste of %d lines was not logged; ↑ brings its lines back", len(p.lines))
		}
		return cmd, true
	}
	return nil, false
}

// pasteHint is the question, on the hint row. Its answers show once the
// question takes them.
func (c captureLine) pasteHint() string {
	p := c.paste
	var q string
	switch {
	case p.backfill != nil:
		first, last := p.backfill[0].At, p.backfill[len(p.backfill)-1].At
		now := c.ctx.Now()
		q = fmt.Sprintf(" Backfill %d timed lines from %s to %s?", len(p.backfill), common.ClockAt(first, now), common.ClockAt(last, now))
		if p.q.Armed(c.ctx) {
			q += " enter logs them at their times · esc logs none"
		}
	default:
		q = fmt.Sprintf(" Paste %d lines, %d %s?", len(p.lines), p.commands, common.Plural(p.commands, "command", "commands"))
		if p.q.Armed(c.ctx) {
			q += " enter logs each line · esc logs none"
		}
	}
	if n := len(p.after); n > 0 {
		q += fmt.Sprintf(" · %d typed %s follow", n, common.Plural(n, "line", "lines"))
	}
	return c.ctx.Styles.Warn.Render(q)
}

// backfillCmd logs the lines through the ordered write path.
func backfillCmd(ctx *common.Context, lines []incident.BackfillLine) tea.Cmd {
	st, id, now, author, policy := ctx.Store, ctx.IncidentID, ctx.Now(), ctx.Author, ctx.Policy()
	if st == nil || id == 0 {
		return common.ErrCmd(common.ErrNoIncident)
	}
	return ctx.Write(func() tea.Msg {
		applied, err := st.ApplyBackfill(id, lines, now, author, policy)
		if err != nil {
			return common.ErrMsg{Err: fmt.Errorf("the paste was not backfilled (%w); nothing was logged", err)}
		}
		n := 0
		for _, a := range applied {
			n += len(a.Entries)
		}
		return common.EntryChangedMsg{What: fmt.Sprintf("Backfilled %d %s from the paste, each at its time", n, common.Plural(n, "entry", "entries"))}
	})
}
