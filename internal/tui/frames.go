package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Frames for other people's changes.
//
// Bubble Tea draws a frame after every message. In a busy room the
// messages are mostly other people's lines arriving, each a delta read on
// its own, and with 50 people typing a session would draw dozens of whole
// frames a second that nobody can read, which is what the server's CPU
// went on (BenchmarkRoomDelivery). With a frame gap set (warroom serve sets
// one), a change from someone else that lands within the gap after the
// last frame is held: the frame on screen stays until the gap has passed,
// and one frame then shows every change held. Anything this person does
// (a key, the clock's tick, their own write) draws at once, with whatever
// was held.

// redrawMsg ends a hold; seq tells a stale one from the current.
type redrawMsg struct{ seq uint64 }

// holdFrame holds the frame after another person's change when the last
// frame is younger than the gap, and returns the command that ends the
// hold.
func (m *Model) holdFrame() tea.Cmd {
	d := m.drawn
	gap := m.gap()
	if gap <= 0 || d == nil || !d.ok || d.held {
		return nil
	}
	wait := gap - time.Since(d.at)
	if wait <= 0 {
		return nil
	}

	d.held = true
	d.seq++
	seq := d.seq
	return tea.Tick(wait, func(time.Time) tea.Msg { return redrawMsg{seq: seq} })
}

// unhold lets the next View draw: something this person sees at once
// happened.
func (m *Model) unhold() {
	if m.drawn != nil {
		m.drawn.held = false
	}
}

// redraw ends the hold r was sent for.
func (m Model) redraw(r redrawMsg) Model {
	if d := m.drawn; d != nil && d.held && d.seq == r.seq {

		d.held = false
		m.gen++
	}
	return m
}

// gap is the frame gap in force: the room's, else Options.FrameGap.
func (m Model) gap() time.Duration {
	if m.roomGap != nil {
		return m.roomGap()
	}
	return m.frameGap
}
