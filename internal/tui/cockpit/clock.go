package cockpit

// Frames for the clock's tick.
//
// The header's running clock (H:MM:SS) changes every second, and so does
// the comms pane's countdown; an idle cockpit changes nothing else. Every
// second's frame was drawn whole, the timeline's rows and the capture line
// included, which was most of what an idle session of warroom serve cost
// (BenchmarkIdleRoom). The root model knows when a tick is all that
// happened since the last frame (tui/clock.go); it then asks ClockView,
// which draws the header and the right column anew, everything in them
// that follows the clock (the countdown, its turn to overdue, the incident
// pane's minute) included, and takes the timeline and the capture line as
// View last drew them: neither shows anything that follows the clock.

// drawnParts are the timeline and the capture line as View last drew them,
// at w×h.
type drawnParts struct {
	timeline, capture string
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
	return c.body(d.timeline, d.capture), true
}
