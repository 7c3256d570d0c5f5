package cockpit

// Frames for the clock's tick.
//
// The header's running clock (H:MM:SS) changes every second, and so does
// the comms pane's countdown; an idle cockpit changes nothing else. Every
// second's frame was drawn whole, the timeline's rows and the capture line
// included, which was most of what an idle session of warroom serve cost
// (BenchmarkIdleRoom). The root model knows when a tick is all that
// happened since the last frame (tui/clock.go); it then asks ClockView,
// which draws the right column anew, everything in it that follows the
// clock (the countdown, its turn to overdue, the incident pane's minute)
// included, and the header's running clock, and takes the timeline and
// the capture line as View last drew them: neither shows anything that
// follows the clock. The header's second row is drawn again only when
// its times (the ETA's "in 35m", the retro's) moved on.

// drawnParts are the timeline and the capture line as View last drew them,
// at w×h, and the header's parts but for the clock.
type drawnParts struct {
	timeline, capture string
	header            headerParts
	w, h              int
	ok                bool
}

// ClockView is View after a tick of the clock that changed nothing else
// since View last ran; false when View has not drawn at this size, and
// View must.
func (c Model) ClockView() (string, bool) {
	d := c.drawn
	if d == nil || !d.ok || d.w != c.w || d.h != c.h {
		return "", false
	}
	return c.body(clockHeader(c.ctx, c.w, &d.header), d.timeline, d.capture), true
}
