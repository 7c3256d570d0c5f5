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

import (
	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// drawnParts are the timeline and the capture line as View last drew them,
// at w×h, and the header's parts but for the clock.
type drawnParts struct {
	timeline, capture string
	header            headerParts
	w, h              int
	ok                bool
	// headerKey and headerView are the header last drawn and what it was
	// drawn from: a keystroke draws the frame again, and the header only
	// when the second, the incident or the room moved on.
	headerKey  headerKey
	headerView string
}

// headerKey is everything the header is drawn from: what it shows of the
// incident (headerFacts; every logged line brings a new copy of the
// incident with the same), the second (its running clock), the session's
// zone, configuration and colours, who is here, the width.
type headerKey struct {
	look   common.Look
	facts  string
	second int64
	zone   string
	config *config.Config
	room   string
	w      int
}

// sharedHeader is a header drawn for one session, for the others whose
// key agrees (common.Memo), with the parts the clock's frames reuse.
type sharedHeader struct {
	view  string
	parts headerParts
}

// headerFor is the header at width w, drawn again only when its key moved
// on, and then only once for the sessions of a room that agree on it.
func (d *drawnParts) headerFor(ctx *common.Context, w int) string {
	now := ctx.Now()
	var room factsKey
	for _, name := range ctx.Room() {
		room.field(name)
	}
	key := headerKey{look: ctx.Styles.Look(), facts: headerFacts(ctx.Incident), second: now.Unix(), zone: now.Location().String(),
		config: ctx.Config, room: room.String(), w: w}
	if key.facts == "" {
		d.headerKey = headerKey{}
		return drawHeader(ctx, w, &d.header)
	}
	if d.header.ok && d.headerKey == key {
		return d.headerView
	}
	if v, ok := ctx.Memo.Get(key); ok {
		sh := v.(sharedHeader)
		d.header, d.headerKey, d.headerView = sh.parts, key, sh.view
		return sh.view
	}
	view := drawHeader(ctx, w, &d.header)
	d.headerKey, d.headerView = key, view
	ctx.Memo.Put(key, sharedHeader{view: view, parts: d.header})
	return view
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
