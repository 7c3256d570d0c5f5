package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Following the incident on screen: this program's own writes are shown
// from their results, another process's changes are read as a delta after
// the screen's cursor (store.Since), and a copy older than the one shown is
// dropped (see cockpit/follow.go for how the timeline is extended).

// deltaLoadedMsg carries what changed after the cursor on screen.
type deltaLoadedMsg struct {
	id    int64
	delta store.Delta
}

// sinceCmd reads what changed after cur.
func sinceCmd(st *store.Store, id int64, cur store.Cursor, loc *time.Location) tea.Cmd {
	return func() tea.Msg {
		d, err := st.Since(id, cur)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		deltaInZone(&d, loc)
		return deltaLoadedMsg{id: id, delta: d}
	}
}

func (m Model) poll() tea.Cmd {
	if m.ctx.Store == nil {
		return nil
	}
	// In a busy room (with a frame gap, changes less than three gaps
	// apart) a wake-up waits a frame gap for the rest of the burst, so a
	// session reads what others wrote a few times a second rather than
	// once per line; the first change after a quiet spell is read at
	// once.
	settle := minSettle
	if gap := m.gap(); gap > 0 && time.Since(m.changedAt) < 3*gap {
		settle = gap
	}
	return pollCmd(m.ctx.Store, m.pollEvery, settle, m.stamp)
}

// openCmds load the incident on screen and its half-typed line.
func (m Model) openCmds() []tea.Cmd {
	return []tea.Cmd{loadIncidentCmd(m.ctx, m.shared, true), cockpit.LoadLineCmd(m.ctx.Store, m.ctx.IncidentID, m.ctx.Author)}
}

// reload reads what changed in the incident since the screen was last
// read (all of it before the first read), or notes that it must once the
// read in flight lands.
func (m *Model) reload() tea.Cmd {
	if m.ctx.IncidentID == 0 {
		return nil
	}
	if m.loading {
		m.reloadAgain = true
		return nil
	}
	m.loading = true
	if m.cursor.Tx == 0 || m.ctx.Incident == nil || m.ctx.Partial {
		return loadIncidentCmd(m.ctx, m.shared, false)
	}
	return sinceCmd(m.ctx.Store, m.ctx.IncidentID, m.cursor, m.ctx.Now().Location())
}

// mergeDelta applies what another program changed to the incident on
// screen, or takes the copy another session of the server made of it.
func (m *Model) mergeDelta(d store.Delta) (*incident.Incident, *cockpit.TimelineData) {
	if m.shared != nil && !m.ctx.Partial {
		return m.shared.merge(keyFor(m.ctx), m.ctx.Incident, m.cockpit.Timeline.Data, d, m.applied)
	}
	return cockpit.MergeDelta(m.ctx.Incident, m.cockpit.Timeline.Data, d, m.applied)
}

// show puts a new copy of the incident on screen, with changed in it, and
// tells every component.
func (m *Model) show(inc *incident.Incident, td *cockpit.TimelineData, changed ...[]incident.Entry) tea.Cmd {
	m.ctx.Incident, m.ctx.Entries = inc, td
	cmd := m.toAll(common.IncidentLoadedMsg{ID: m.ctx.IncidentID, Inc: inc, Cursor: m.cursor, Total: td.Entries(), Timeline: td})
	// A handover to this person while in the room shows at once. Only a
	// handover or role entry can change what briefFor finds, and looking
	// costs a walk back through the timeline to the last handover.
	for _, es := range changed {
		if touchesBrief(es) {
			return tea.Batch(cmd, m.checkBrief())
		}
	}
	return cmd
}

// applyOwn shows what this program just stored, from the write's result:
// no read of the incident. When nothing else committed in between, the
// screen's cursor moves past the write; otherwise what came between is
// read as a delta.
func (m *Model) applyOwn(msg common.AppliedMsg) tea.Cmd {
	if m.ctx.Incident == nil || msg.Head == nil {
		return m.reload()
	}
	if msg.Tx != 0 && msg.Tx <= m.cursor.Tx {
		// A read that began after this write committed (another
		// process's change came in between) has already shown it, with
		// a newer head: applying it again would show it twice and the
		// older head over the newer one.
		return nil
	}
	simple := len(msg.Result.Moves) == 0 && msg.Result.Draft == nil && msg.Result.Update == nil
	// The write is the one transaction after the screen's, and that
	// transaction held plain lines to this incident and nothing else:
	// with all of them (a room's lines typed together share one, and each
	// writer is told the others', see store.Applied.TxWhole) the screen
	// has read everything up to it.
	whole := simple && msg.Tx != 0 && msg.Tx == m.cursor.Tx+1 && msg.TxWhole && msg.TxHead != nil
	head, entries := msg.Head, msg.Result.Entries
	if whole {
		head, entries = msg.TxHead, msg.TxEntries
	}
	loc := m.ctx.Now().Location()
	inZone := *head
	common.InZone(&inZone, loc)
	// The write's own entries too, when the transaction's are shown: the
	// other components are handed this message next.
	common.EntriesInZone(msg.Result.Entries, loc)
	if whole {
		common.EntriesInZone(entries, loc)
	}
	prev := m.cockpit.Timeline.Data
	inc, td := cockpit.AppendOwn(m.ctx.Incident, prev, &inZone, entries)
	if m.applied == nil {
		m.applied = map[int64]bool{}
	}
	for _, e := range msg.Result.Entries {
		m.applied[e.ID] = true
	}
	if whole {
		m.cursor.Tx = msg.Tx
		for _, e := range entries {
			m.cursor.LastEntry = max(m.cursor.LastEntry, e.ID)
		}
		if m.shared != nil && !m.ctx.Partial {
			// The incident as of this transaction: another session may
			// hold it already (its line shared the transaction, or it
			// read the transaction as a delta first).
			v := m.shared.offer(keyFor(m.ctx), &sharedTimeline{cursor: m.cursor, inc: inc, td: td, from: prev})
			inc, td = v.inc, v.td
		}
		return m.show(inc, td, entries)
	}
	return tea.Batch(m.show(inc, td, entries), m.reload())
}
