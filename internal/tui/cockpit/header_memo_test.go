package cockpit

import (
	"io"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestHeaderMemo: the header kept between frames and shared by a room's
// sessions is the header drawn afresh, whatever moved on: the second, the
// incident, who is here, the zone, the colours.
func TestHeaderMemo(t *testing.T) {
	t0 := time.Date(2026, 3, 11, 22, 0, 0, 0, time.UTC)
	now := t0.Add(90 * time.Second)
	inc := &incident.Incident{ID: 7, Title: "Checkout failing", Status: incident.Investigating, Created: t0,
		Roles: map[string]string{incident.RoleLead: "amara"}, Milestones: map[incident.Milestone]time.Time{incident.Started: t0},
		ETA: t0.Add(time.Hour)}
	colour := lipgloss.NewRenderer(io.Discard)
	colour.SetColorProfile(termenv.ANSI256)
	plain := common.NewStyles(lipgloss.NewRenderer(io.Discard), common.DefaultTheme())
	memo := common.NewMemo()
	newSession := func() (*common.Context, *drawnParts) {
		return &common.Context{Now: func() time.Time { return now }, Config: config.Default(), Styles: common.NewStyles(colour, common.DefaultTheme()), Incident: inc, Memo: memo, Zone: "UTC"}, &drawnParts{}
	}
	a, da := newSession()
	b, db := newSession()
	steps := []struct {
		name   string
		change func()
	}{
		{"nothing", func() {}},
		{"a second", func() { now = now.Add(time.Second) }},
		{"the room", func() { a.SetRoom([]string{"amara", "ben"}); b.SetRoom([]string{"amara", "ben"}) }},
		{"one session's room", func() { b.SetRoom([]string{"amara", "ben", "chen"}) }},
		{"the incident", func() {
			next := *inc
			next.Title = "Checkout failing for EU cards"
			a.Incident, b.Incident = &next, &next
		}},
		{"one session's zone", func() {
			zone := time.FixedZone("JST", 9*3600)
			b.Now = func() time.Time { return now.In(zone) }
			b.Zone = "JST"
		}},
		{"one session's colours", func() { b.Styles = plain }},
		{"the width", func() {}},
	}
	w := 120
	for _, s := range steps {
		s.change()
		if s.name == "the width" {
			w = 90
		}
		for i, sess := range []struct {
			ctx *common.Context
			d   *drawnParts
		}{{a, da}, {b, db}} {
			if got, want := sess.d.headerFor(sess.ctx, w), drawHeader(sess.ctx, w, nil); got != want {
				t.Errorf("after %s, session %d was given the header\n%s\nand draws\n%s", s.name, i, got, want)
			}
			// The clock's frames build on the parts kept with it.
			if got, want := clockHeader(sess.ctx, w, &sess.d.header), drawHeader(sess.ctx, w, nil); got != want {
				t.Errorf("after %s, session %d's clock frame has the header\n%s\nwant\n%s", s.name, i, got, want)
			}
		}
	}
}
