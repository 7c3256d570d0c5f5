package tui

import (
	"time"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// The clock's frames.
//
// Once a second the tick moves the header's running clock and the comms
// pane's countdown on; in an idle cockpit nothing else changes. Drawing
// the whole frame for it (the timeline's rows, the capture line, the
// status line) was most of what an idle session of warroom serve cost,
// twenty of them about 1.5% of a core (BenchmarkIdleRoom). When the tick
// is all that happened since the last frame, the cockpit draws only its
// header and right column, everything there that follows the clock
// included, and keeps the timeline and the capture line as it last drew
// them (cockpit/clock.go); the status line is drawn as on every frame (a
// message the tick sets or clears shows at once), and the frame writer
// then sends the line or two that changed. Anything else since the last
// frame (a key, a delta that shows something, presence that changed, a
// held frame) draws the frame whole, and so does the first tick of each
// minute: whatever shows minutes outside the header and the right column
// is drawn at least that often.

// tick moves the generation on for the clock's tick, and notes whether the
// tick is all that moved it since the last frame.
func (m *Model) tick() {
	d := m.drawn
	only := d != nil && d.ok && d.gen == m.gen && !d.held
	m.gen++
	m.unhold()
	if only {
		d.clockGen = m.gen
	}
}

// clockFrame reports whether the frame to draw now differs from the last
// by the clock alone, and the cockpit may draw only what follows it.
func (m Model) clockFrame() bool {
	d := m.drawn
	return d != nil && d.ok && d.clockGen == m.gen && d.w == m.ctx.Width && d.h == m.ctx.Height &&
		m.screen == common.ScreenCockpit && !m.showHelp && d.minute == minuteOf(m.ctx.Now())
}

// minuteOf numbers t's minute.
func minuteOf(t time.Time) int64 { return t.Unix() / 60 }
