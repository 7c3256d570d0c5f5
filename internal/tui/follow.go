package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// deltaLoadedMsg carries what changed after the cursor on screen.
type deltaLoadedMsg struct {
	id    int64
	delta store.Delta
}

// sinceCmd reads what changed after cur.
func sinceCmd(st *store.Store, id int64, cur store.Cursor) tea.Cmd {
	return func() tea.Msg {
		d, err := st.Since(id, cur)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return deltaLoadedMsg{id: id, delta: d}
	}
}
