package cockpit

import (
	"fmt"
	"unicode"
)

// A line can be pasted or bursted in at any length (nothing typed is
// lost), but the text input does work in proportion to its whole value on
// every key and every frame. So the input holds at most lineCap runes;
// beyond that the text is kept in overflow, after the input's, and shown
// only as its size. Enter still logs (or refuses, past the size limit of
// an entry) the whole line, and quitting keeps all of it.
const lineCap = 16 << 10

// setFull puts v on the line, cursor at its end.
func (c *captureLine) setFull(v string) {
	r := []rune(v)
	c.overflow = nil
	if len(r) > lineCap {
		c.overflow = r[lineCap:]
		r = r[:lineCap]
	}
	c.Input.SetValue(string(r))
	c.Input.CursorEnd()
}

// insert types text at the cursor, as a paste; past lineCap it goes to
// the overflow, in order.
func (c *captureLine) insert(text []rune) {
	text = cleanRunes(text)
	if len(c.overflow) > 0 {
		c.overflow = append(c.overflow, text...)
		return
	}
	cur := []rune(c.Input.Value())
	pos := min(c.Input.Position(), len(cur))
	if len(cur)+len(text) <= lineCap {
		// Spliced here rather than through the input's Update: that would
		// spell out the whole paste for each of its key bindings.
		v := make([]rune, 0, len(cur)+len(text))
		v = append(append(append(v, cur[:pos]...), text...), cur[pos:]...)
		c.Input.SetValue(string(v))
		c.Input.SetCursor(pos + len(text))
		return
	}
	all := make([]rune, 0, len(cur)+len(text))
	all = append(append(append(all, cur[:pos]...), text...), cur[pos:]...)
	c.overflow = append([]rune(nil), all[lineCap:]...)
	c.Input.SetValue(string(all[:lineCap]))
	c.Input.CursorEnd()
}

// cleanRunes drops what a one-line input cannot hold, as the input's own
// paste does: line breaks and tabs become spaces, other control
// characters go.
func cleanRunes(in []rune) []rune {
	out := in[:0:0]
	for _, r := range in {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			out = append(out, ' ')
		case unicode.IsControl(r):
		default:
			out = append(out, r)
		}
	}
	return out
}

// overflowHint says that the line goes on past what is shown.
func (c captureLine) overflowHint() string {
	if len(c.overflow) == 0 {
		return ""
	}
	return c.ctx.Styles.Hint.Render(fmt.Sprintf(" the line goes on for %d more characters, not shown · enter logs all of it", len(c.overflow)))
}
