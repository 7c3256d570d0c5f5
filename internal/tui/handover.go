package tui

import (
	"iter"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A handover brief (/handover) is for the new holder of the role: they see
// it whole, once, in a panel over the cockpit that esc closes — when they
// open the incident, or at once when they are in the room already. Nobody
// else gets it pushed at them (it is on the timeline for anyone). The last
// brief each person has seen is kept per user.

func handoverSeenName(author string) string { return "handover-seen:" + author }

// handoverSeenMsg is the id of the last brief this person has seen.
type handoverSeenMsg struct {
	id   int64
	seen int64
}

// briefPanel is a brief shown to its new holder until esc.
type briefPanel struct {
	id   int64
	text string
}

// readHandoverSeenCmd reads which brief this person saw last.
func readHandoverSeenCmd(ctx *common.Context) tea.Cmd {
	id := ctx.IncidentID
	return common.ReadStateCmd(ctx, handoverSeenName(ctx.Author), func(v string) tea.Msg {
		seen, _ := strconv.ParseInt(v, 10, 64)
		return handoverSeenMsg{id: id, seen: seen}
	})
}

// briefFor returns the incident's newest brief when it hands a role to
// person (an older brief was overtaken by the handover after it), from its
// entries shown, newest first.
func briefFor(newestFirst iter.Seq[*incident.Entry], person string) (incident.Entry, bool) {
	var brief *incident.Entry
	after := 0
	for e := range newestFirst {
		if brief == nil {
			if e.Kind == incident.KindHandover {
				brief = e
			}
			continue
		}
		// The role entry the same /handover wrote, in the same
		// transaction just before the brief, names the new holder.
		if e.Kind == incident.KindRole && e.Set.Field == incident.FieldRole && e.RecordedAt.Equal(brief.RecordedAt) {
			return *brief, strings.EqualFold(e.Set.Value, person)
		}
		if after++; after == 3 {
			break
		}
	}
	return incident.Entry{}, false
}

// touchesBrief reports whether any of es is a handover brief or the role
// entry that names its new holder: nothing else changes what briefFor
// finds.
func touchesBrief(es []incident.Entry) bool {
	return slices.ContainsFunc(es, func(e incident.Entry) bool {
		return e.Kind == incident.KindHandover || e.Kind == incident.KindRole
	})
}

// checkBrief opens the panel when the incident holds a brief for this
// person newer than the last one they saw, and records it as seen.
func (m *Model) checkBrief() tea.Cmd {
	if !m.briefKnown {
		return nil
	}
	if m.ctx.Entries == nil {
		return nil
	}
	b, ok := briefFor(m.ctx.Entries.ShownBackward(), m.ctx.Author)
	if !ok || b.ID <= m.briefSeen || b.Author == m.ctx.Author {
		return nil
	}
	m.briefSeen = b.ID
	m.brief = &briefPanel{id: b.ID, text: b.Text}
	return m.ctx.Write(common.SaveLineCmd(m.ctx.Store, m.ctx.IncidentID, handoverSeenName(m.ctx.Author), strconv.FormatInt(b.ID, 10)))
}

// overlayBrief lays the brief panel over the cockpit, under its header.
func (m Model) overlayBrief(body string, w, h int) string {
	lines := strings.Split(body, "\n")
	top := cockpit.HeaderHeight
	panel := m.briefView(w, max(h-top-cockpit.CaptureHeight, 3))
	for i, l := range panel {
		if top+i < len(lines) {
			lines[top+i] = l
		}
	}
	return strings.Join(lines, "\n")
}

// briefView draws the panel w wide, at most h rows high.
func (m Model) briefView(w, h int) []string {
	st := m.ctx.Styles
	inner := max(w-4, 10)
	var body []string
	for _, l := range strings.Split(m.brief.text, "\n") {
		body = append(body, common.Wrap(incident.CleanLine(l), inner)...)
	}
	body = body[:min(len(body), max(h-2, 1))]
	title := "Handover brief for you · #" + strconv.FormatInt(m.brief.id, 10)
	return strings.Split(common.Box(st, title, "esc closes", body, w, len(body)+2, true), "\n")
}
