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
// at once when the burst settles (no letters for burstSettle) or when any
// other message comes (enter, ctrl+c, the clock's tick each second), which
// keeps every key in the order typed. Typing by hand, one key per message, never starts a
// burst and goes to the field at once.

// burstSettle is how long a burst must pause before the field gets its
// letters: short enough not to be seen, long enough to span the gaps
// between the reads of one burst.
const burstSettle = 15 * time.Millisecond

// burstFlushMsg hands the gathered letters to the field if none came since
// the letters numbered seq.
type burstFlushMsg struct{ seq int }

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
// them over once it settles, unless one is running.
func (m Model) gather(km tea.KeyMsg) (Model, tea.Cmd) {
	m.burst = append(m.burst, km.Runes...)
	m.burstSeq++
	if m.burstTimer {
		return m, nil
	}
	m.burstTimer = true
	return m, burstTick(m.burstSeq)
}

func burstTick(seq int) tea.Cmd {
	return tea.Tick(burstSettle, func(time.Time) tea.Msg { return burstFlushMsg{seq: seq} })
}

// settled handles the burst's timer: the letters go to the field if the
// burst paused, else the timer runs again.
func (m Model) settled(msg burstFlushMsg) (Model, tea.Cmd) {
	switch {
	case len(m.burst) == 0:
		m.burstTimer = false
		return m, nil
	case msg.seq != m.burstSeq:
		return m, burstTick(m.burstSeq)
	}
	m.burstTimer = false
	m.gen++
	return m.flushBurst()
}

// flushBurst types the gathered letters into the field as one insertion.
func (m Model) flushBurst() (Model, tea.Cmd) {
	if len(m.burst) == 0 {
		return m, nil
	}
	text := tea.KeyMsg{Type: tea.KeyRunes, Runes: m.burst, Paste: true}
	m.burst = nil
	return m.key(text)
}
