package comms

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/statuspage"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// statusPage writes the public status page again after a publish, in the
// cockpit and in every session of the SSH room (statuspage.AfterPublish,
// the hook `warroom log /publish` shares). It runs as its own command, off
// the write queue: the update is already recorded, so a slow disk or a
// bad directory delays nothing and costs only a line in the status bar.
func (c *Pane) statusPage() tea.Cmd {
	cfg, st := c.ctx.Config, c.ctx.Store
	if cfg == nil || st == nil || cfg.StatusPage.Dir == "" {
		return nil
	}
	now := c.ctx.Now()
	return func() tea.Msg {
		res, err := statuspage.AfterPublish(st, cfg, now)
		if err == nil {
			err = res.Warning
		}
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		return nil
	}
}
