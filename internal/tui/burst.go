package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// A burst of text (a paste without bracketing, a laggy SSH link, a client
// writing a megabyte at once) reaches Update as thousands of messages: a
// run of letters per read, and every space on its own. A text field does
// work in proportion to its whole value on each insertion (the bubbles
// inputs measure the text's width to scroll it), so feeding a burst to it
// message by message costs the square of its size: a megabyte took minutes
// of a core, with ctrl+c waiting behind it. So the letters of a burst are
// gathered here, each costing only its own length, and handed to the field
// at once when the burst settles (burstSettle after it began) or when any
// other message comes (enter, ctrl+c, a tick), which keeps every key in
// the order typed. Typing by hand, one key per message, never starts a
// burst and goes to the field at once.

// burstSettle is how long the letters of a burst are gathered at most
// before the field gets them: short enough not to be seen, long enough for
// a burst to arrive whole.
const burstSettle = 15 * time.Millisecond

// burstFlushMsg hands the gathered letters to the field.
type burstFlushMsg struct{}

// gathers reports whether km joins a burst: a run of letters starts one
// while a text field has the cursor; single letters and spaces join one
// that has started.
func (m Model) gathers(km tea.KeyMsg) bool {
	if km.Paste || km.Alt {
		return false
	}
	switch {
	case km.Type == tea.KeyRunes && len(km.Runes) > 1:
	case (km.Type == tea.KeyRunes || km.Type == tea.KeySpace) && len(km.Runes) == 1 && len(m.burst) > 0:
	default:
		return false
	}
	return m.takingText() && !m.tooSmall()
}

// gather adds km's letters to the burst, and starts the timer that hands
// them over when the burst is new.
func (m Model) gather(km tea.KeyMsg) (Model, tea.Cmd) {
	start := len(m.burst) == 0
	m.burst = append(m.burst, km.Runes...)
	if !start {
		return m, nil
	}
	return m, tea.Tick(burstSettle, func(time.Time) tea.Msg { return burstFlushMsg{} })
}

// flushBurst types the gathered letters into the field as one insertion.
func (m Model) flushBurst() (Model, tea.Cmd) {
	if len(m.burst) == 0 {
		return m, nil
	}
	text := tea.KeyMsg{Type: tea.KeyRunes, Runes: m.burst, Paste: true}
	m.burst = nil
	next, cmd := m.key(text)
	return next.(Model), cmd
}
