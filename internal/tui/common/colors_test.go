package common

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// A colour resolved up front draws exactly as the hex colour it came from,
// on every colour profile and on light and dark backgrounds.
func TestResolvedColoursDrawAsTheirHex(t *testing.T) {
	th := DefaultTheme()
	colours := []lipgloss.TerminalColor{th.Accent, th.Red, th.Amber, th.Green, th.Blue, th.Magenta, th.Cyan, th.Text, lipgloss.Color("#123456"), lipgloss.Color("203")}
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		for _, dark := range []bool{false, true} {
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(p)
			r.SetHasDarkBackground(dark)
			for _, c := range colours {
				want := r.NewStyle().Foreground(c).Render("x")
				got := r.NewStyle().Foreground(resolveColor(c)).Render("x")
				if got != want {
					t.Errorf("profile %v dark %v: %#v draws %q, resolved %q", p, dark, c, want, got)
				}
			}
		}
	}
	if _, ok := resolveColor(th.Red).(lipgloss.CompleteAdaptiveColor); !ok {
		t.Errorf("a hex adaptive colour was left to be converted at every Render: %#v", resolveColor(th.Red))
	}
}
