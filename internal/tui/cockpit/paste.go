package cockpit

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A paste of several lines that each start with a time (notes copied out
// of a chat) is offered as a backfill: the capture line says how many lines
// and the time range they cover; enter logs them at their times in one
// transaction, esc keeps the paste as typed text instead.

// pendingBackfill is a paste waiting for enter or esc.
type pendingBackfill struct {
	lines []incident.BackfillLine
	// raw is the paste as it came, for esc.
	raw []rune
}

// offerBackfill turns a multi-line paste of timed lines into an offer;
// anything else is not a backfill and returns false.
func (c *captureLine) offerBackfill(msg tea.KeyMsg) bool {
	if !msg.Paste || c.Mode != ModeLog {
		return false
	}
	// Terminals paste line breaks as carriage returns (tmux, most
	// emulators) or as line feeds.
	text := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(msg.Runes))
	if !strings.Contains(text, "\n") {
		return false
	}
	lines, err := incident.ParseBackfill(strings.NewReader(text), c.ctx.Now())
	if err != nil || len(lines) < 2 {
		return false
	}
	c.backfill = &pendingBackfill{lines: lines, raw: msg.Runes}
	return true
}

// backfillKey answers the offer: enter logs the lines, esc (or any other
// key) keeps the paste as text.
func (c captureLine) backfillKey(msg tea.KeyMsg) (captureLine, tea.Cmd) {
	p := c.backfill
	c.backfill = nil
	k := c.ctx.Keys
	if key.Matches(msg, k.Submit) {
		return c, backfillCmd(c.ctx, p.lines)
	}
	// Kept as typed: the line gets the paste's text on one line.
	text := strings.Join(strings.Fields(string(p.raw)), " ")
	c.Input.SetValue(c.Input.Value() + text)
	c.Input.CursorEnd()
	return c, c.Changed()
}

// backfillHint is the offer, on the hint row.
func (c captureLine) backfillHint() string {
	p := c.backfill
	first, last := p.lines[0].At, p.lines[len(p.lines)-1].At
	now := c.ctx.Now()
	return c.ctx.Styles.Warn.Render(fmt.Sprintf(" Backfill %d timed lines from %s to %s? enter logs them at their times · esc keeps the text",
		len(p.lines), common.ClockAt(first, now), common.ClockAt(last, now)))
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
