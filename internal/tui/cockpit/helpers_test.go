package cockpit

import (
	"io"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// testStyles are the default theme's styles: in 256 colours when colour
// is set, so that what only colour tells apart (focus, a kind, the
// saving row) shows in what a test compares; else without colour.
func testStyles(colour bool) *common.Styles {
	r := lipgloss.NewRenderer(io.Discard)
	if colour {
		r.SetColorProfile(termenv.ANSI256)
	}
	return common.NewStyles(r, common.DefaultTheme())
}

// testContext is a session's context on inc (nil: none yet) with the
// clock now, the default configuration, styles st and the room's memo
// (nil: none).
func testContext(now func() time.Time, st *common.Styles, inc *incident.Incident, memo *common.Memo) *common.Context {
	return &common.Context{Now: now, Config: config.Default(), Styles: st, Incident: inc, Memo: memo}
}
