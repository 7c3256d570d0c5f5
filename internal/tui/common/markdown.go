package common

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/charmbracelet/glamour"
	glamourstyles "github.com/charmbracelet/glamour/styles"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Markdown on the terminal: the preview shows the whole export and the
// review meeting one section of it at a time, both through glamour.

// numericRef matches an HTML numeric character reference at the start of
// a string.
var numericRef = regexp.MustCompile(`^&#([0-9]{1,8}|[xX][0-9a-fA-F]{1,7});`)

// TerminalSafe prepares Markdown for glamour. Escape and control sequences
// are stripped, and every ampersand that could start a dangerous character
// reference is written as &amp;: glamour decodes &#27; into a real ESC even
// after a backslash ("\&#27;" comes out as a backslash and ESC), so the
// backslash escape the export uses is not enough on a terminal. Escaped
// ampersands ("\&") become &amp; too, which glamour shows as "&" where it
// would otherwise show the backslash. The export already escapes user text;
// this also covers a custom export_template.
func TerminalSafe(md []byte) string {
	s := incident.CleanText(string(md))
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '&':
			b.WriteString("&amp;")
			i++
		case c == '\\' && i+1 < len(s) && s[i+1] < 0x80 && isASCIIPunct(s[i+1]):
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
		case c == '&':
			if m := numericRef.FindStringSubmatch(s[i:]); m != nil && !safeCodePoint(m[1]) {
				b.WriteString("&amp;")
			} else {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// safeCodePoint reports whether a numeric reference's digits ("27",
// "x1b") name a printable character.
func safeCodePoint(digits string) bool {
	base := 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) {
		return false
	}
	return n >= 0x20 && n != 0x7f && (n < 0x80 || n > 0x9f)
}

// RenderMarkdown renders md with glamour for a terminal width wide, in the
// colours the styles' renderer supports (none with NO_COLOR or a plain
// profile).
func RenderMarkdown(md []byte, width int, styles *Styles) (string, error) {
	profile := termenv.Ascii
	dark := true
	if styles != nil && styles.Renderer != nil {
		profile = styles.Renderer.ColorProfile()
		dark = styles.Renderer.HasDarkBackground()
	}
	style := glamourstyles.ASCIIStyleConfig
	switch {
	case profile == termenv.Ascii:
	case dark:
		style = glamourstyles.DarkStyleConfig
	default:
		style = glamourstyles.LightStyleConfig
	}
	r, err := glamour.NewTermRenderer(
		glamour.WithStyles(style),
		glamour.WithColorProfile(profile),
		glamour.WithWordWrap(max(width-4, 20)),
	)
	if err != nil {
		return "", fmt.Errorf("cannot start the Markdown renderer: %v", err)
	}
	out, err := r.Render(asTyped(TerminalSafe(md)))
	if err != nil {
		return "", fmt.Errorf("cannot render the export: %v", err)
	}
	return restoreHyphens(strings.TrimRight(out, "\n")) + "\n", nil
}
