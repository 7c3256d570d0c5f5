package common

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// resolveColor gives a colour named in hex its 256- and 16-colour forms
// up front. Left in hex, every Render on a 256-colour terminal (an SSH
// session's usual profile) converts it again, and termenv's conversion
// picks the nearest palette colour by HSLuv distance: the cockpit's
// header alone spent more than the rest of an idle session's second on it.
// The forms are termenv's own conversions, so what is drawn is the same.
func resolveColor(c lipgloss.TerminalColor) lipgloss.TerminalColor {
	switch c := c.(type) {
	case lipgloss.AdaptiveColor:
		light, lok := completeHex(c.Light)
		dark, dok := completeHex(c.Dark)
		if lok && dok {
			return lipgloss.CompleteAdaptiveColor{Light: light, Dark: dark}
		}
	case lipgloss.Color:
		if cc, ok := completeHex(string(c)); ok {
			return cc
		}
	}
	return c
}

// completeHex is a hex colour with its conversions; false for anything else.
func completeHex(hex string) (lipgloss.CompleteColor, bool) {
	if !strings.HasPrefix(hex, "#") {
		return lipgloss.CompleteColor{}, false
	}
	c256, ok := termenv.ANSI256.Color(hex).(termenv.ANSI256Color)
	if !ok {
		return lipgloss.CompleteColor{}, false
	}
	c16, ok := termenv.ANSI.Color(hex).(termenv.ANSIColor)
	if !ok {
		return lipgloss.CompleteColor{}, false
	}
	return lipgloss.CompleteColor{TrueColor: hex, ANSI256: strconv.Itoa(int(c256)), ANSI: strconv.Itoa(int(c16))}, true
}
