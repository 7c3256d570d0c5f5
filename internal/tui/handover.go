package tui

import (
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A handover brief (/handover) is shown to whoever opens the incident next,
// once: the status line carries it until the next key, and the brief stays
// on the timeline. Each person's last brief seen is kept per user.

func handoverSeenName(author string) string { return "handover-seen:" + author }

// handoverSeenMsg is the id of the last brief this person has seen.
type handoverSeenMsg struct {
	id   int64
	seen int64
}

// readHandoverSeenCmd reads which brief this person saw last.
func readHandoverSeenCmd(ctx *common.Context) tea.Cmd {
	id := ctx.IncidentID
	return common.ReadStateCmd(ctx, handoverSeenName(ctx.Author), func(v string) tea.Msg {
		seen, _ := strconv.ParseInt(v, 10, 64)
		return handoverSeenMsg{id: id, seen: seen}
	})
}

// showBrief puts the newest brief not yet seen (and not written by this
// person) in the status line, and records it as seen.
func (m *Model) showBrief(seen int64) tea.Cmd {
	inc := m.ctx.Incident
	if inc == nil {
		return nil
	}
	var brief *incident.Entry
	for i := len(inc.Entries) - 1; i >= 0; i-- {
		if e := &inc.Entries[i]; e.Kind == incident.KindHandover && !e.Deleted {
			brief = e
			break
		}
	}
	if brief == nil || brief.ID <= seen || brief.Author == m.ctx.Author {
		return nil
	}
	m.status, m.statusErr = "Handover brief: "+strings.ReplaceAll(brief.Text, "\n", " · ")+" (on the timeline as #"+strconv.FormatInt(brief.ID, 10)+")", false
	return m.ctx.Write(common.SaveLineCmd(m.ctx.Store, m.ctx.IncidentID, handoverSeenName(m.ctx.Author), strconv.FormatInt(brief.ID, 10)))
}
