package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// helpMemo keeps the status line's key help as last drawn. Bubbles' help
// renders every binding through lipgloss on every frame, and every
// second's clock is a frame: the same row, mostly, for the whole session.
type helpMemo struct {
	key, row string
}

// helpKey names what a help row shows: the bindings' keys and
// descriptions, and the width it is fitted to.
func helpKey(shown []key.Binding, w int) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(w))
	for _, k := range shown {
		h := k.Help()
		b.WriteByte(0)
		b.WriteString(h.Key)
		b.WriteByte(1)
		b.WriteString(h.Desc)
	}
	return b.String()
}

// memoHelp returns the row for shown at w, drawing it with draw only when
// it differs from the one drawn last.
func (m Model) memoHelp(shown []key.Binding, w int, draw func() string) string {
	d := m.drawn
	if d == nil {
		return draw()
	}
	k := helpKey(shown, w)
	if d.help.key == k && d.help.row != "" {
		return d.help.row
	}
	row := draw()
	d.help = helpMemo{key: k, row: row}
	return row
}
