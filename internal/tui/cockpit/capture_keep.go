package cockpit

import (
	"encoding/json"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// restore puts back a half-typed line from last time, unless something has
// been typed already.
func (c *captureLine) restore(v string) {
	if c.Mode == ModeLog && c.Input.Value() == "" && v != "" {
		c.setFull(v)
		c.Input.CursorEnd()
		c.saved = v
	}
}

// Changed schedules a save of the half-typed line once typing pauses.
func (c *captureLine) Changed() tea.Cmd {
	c.Seq++
	seq := c.Seq
	return common.SaveTicks(saveLineAfter, &c.Armed, func(force bool) tea.Msg { return SaveLineMsg{Seq: seq, Force: force} })
}

// SaveNow writes the half-typed log line if it changed since last saved.
func (c *captureLine) SaveNow() tea.Cmd {
	if c.ctx.IncidentID == 0 {
		return nil
	}
	v := c.Value()
	if c.held != "" {
		// The line typed by hand outlives a command begun over it.
		v = c.held
	}
	prompt := ""
	if c.Mode != ModeLog && c.Mode != ModeFind {
		v = c.stash
		// A half-done edit or re-time of an entry survives quitting too.
		data, _ := json.Marshal(savedPrompt{Mode: int(c.Mode), Entry: c.Entry.ID, At: c.Entry.At, Value: c.Input.Value()})
		prompt = string(data)
	}
	var cmds []tea.Cmd
	if v != c.saved {
		c.saved = v
		cmds = append(cmds, c.ctx.Write(common.SaveLineCmd(c.ctx.Store, c.ctx.IncidentID, common.UIStateName(c.ctx.Author), v)))
	}
	if prompt != c.savedPrompt {
		c.savedPrompt = prompt
		cmds = append(cmds, c.ctx.Write(common.SaveLineCmd(c.ctx.Store, c.ctx.IncidentID, common.PromptStateName(c.ctx.Author), prompt)))
	}
	return tea.Batch(cmds...)
}

// savedPrompt is an entry edit or re-time in progress, kept across quits.
type savedPrompt struct {
	Mode  int       `json:"mode"`
	Entry int64     `json:"entry"`
	At    time.Time `json:"at"`
	Value string    `json:"value"`
}

// restorePrompt reopens an entry edit or re-time kept from last time.
func (c *captureLine) restorePrompt(data string) tea.Cmd {
	var p savedPrompt
	if data == "" || json.Unmarshal([]byte(data), &p) != nil || p.Entry == 0 || c.Mode != ModeLog {
		return nil
	}
	field := "edit"
	if captureMode(p.Mode) == ModeRetime {
		field = "retime"
	}
	cmd := c.openPrompt(field, incident.Entry{ID: p.Entry, At: p.At, Text: p.Value})
	c.setFull(p.Value)
	c.Input.CursorEnd()
	c.savedPrompt = data
	return cmd
}
