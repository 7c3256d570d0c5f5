package common

import (
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/store"
)

// MaxSaveWait bounds how long typed text waits to be saved however fast
// one types. The promise is that a kill -9 or a dropped SSH link loses at
// most the last second; the write itself takes a few milliseconds more (or
// longer on a busy file), so the wait is kept well under the second.
const MaxSaveWait = 700 * time.Millisecond

// SaveTicks schedules the save of typed text: after a pause in typing, and,
// when no longest-wait tick is pending (*armed false), after MaxSaveWait.
func SaveTicks(pause time.Duration, armed *bool, msg func(force bool) tea.Msg) tea.Cmd {
	cmds := []tea.Cmd{tea.Tick(pause, func(time.Time) tea.Msg { return msg(false) })}
	if !*armed {
		*armed = true
		cmds = append(cmds, tea.Tick(MaxSaveWait, func(time.Time) tea.Msg { return msg(true) }))
	}
	return tea.Batch(cmds...)
}

// UIStateName is the per-user key of the half-typed capture line.
func UIStateName(author string) string { return "capture-line:" + author }

func ErrCmd(err error) tea.Cmd {
	return func() tea.Msg { return ErrMsg{err} }
}

// PromptStateName is the per-user key of an entry edit in progress.
func PromptStateName(author string) string { return "capture-prompt:" + author }

// SaveLineCmd keeps a half-typed line (under the per-user key name) so it
// survives quitting.
func SaveLineCmd(st *store.Store, id int64, name, value string) tea.Cmd {
	if st == nil || id == 0 {
		return nil
	}
	return func() tea.Msg {
		tx, err := st.SetUIState(id, name, value)
		if err != nil {
			return ErrMsg{fmt.Errorf("the half-typed line was not saved: %w", err)}
		}
		return QuietWriteMsg{Tx: tx}
	}
}

// ReadStateCmd reads the per-incident record name (a half-typed line, a
// form kept across quits, a shared marker) of the incident on screen and
// hands its value to msg; a record never written reads as "".
func ReadStateCmd(ctx *Context, name string, msg func(value string) tea.Msg) tea.Cmd {
	st, id := ctx.Store, ctx.IncidentID
	if st == nil || id == 0 {
		return nil
	}
	return func() tea.Msg {
		v, err := st.UIState(id, name)
		if err != nil {
			return ErrMsg{Err: err}
		}
		return msg(v)
	}
}

// ErrNoIncident is shown when a key needs an incident and none is open.
var ErrNoIncident = errors.New("no incident is open; pick one from the list or declare one with ctrl+n")
