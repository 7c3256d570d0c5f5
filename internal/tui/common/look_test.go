package common

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestLookNamesTheColours: two sessions' styles share a Look exactly when
// their colour profile, background and theme agree.
func TestLookNamesTheColours(t *testing.T) {
	styles := func(p termenv.Profile, dark bool, th Theme) *Styles {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(p)
		r.SetHasDarkBackground(dark)
		return NewStyles(r, th)
	}
	other := DefaultTheme()
	other.Accent = lipgloss.Color("#ff0000")
	base := styles(termenv.ANSI256, true, DefaultTheme()).Look()
	if got := styles(termenv.ANSI256, true, DefaultTheme()).Look(); got != base {
		t.Error("the same profile, background and theme gave two Looks")
	}
	for name, s := range map[string]*Styles{
		"profile":    styles(termenv.TrueColor, true, DefaultTheme()),
		"background": styles(termenv.ANSI256, false, DefaultTheme()),
		"theme":      styles(termenv.ANSI256, true, other),
	} {
		if s.Look() == base {
			t.Errorf("another %s gave the same Look", name)
		}
	}
}
