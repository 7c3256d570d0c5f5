package comms

import (
	"fmt"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// draftSaveAfter is how long typing must pause before the draft is saved.
const draftSaveAfter = 500 * time.Millisecond

// draftSaver keeps the revision this program last wrote or adopted, read
// and updated by the queued writes as they run, so that each save is made
// on the copy the previous one left: only a teammate's edit in between
// makes a save merge.
type draftSaver struct {
	mu   sync.Mutex
	base map[int64]store.Edit
	// prev is the base before the last teammate's revision was adopted,
	// and adoptedAt when: a revision on screen for less than seenAfter
	// has not been read, so a publish then names the one before.
	prev      map[int64]store.Edit
	adoptedAt map[int64]time.Time
}

// seenAfter is how long a teammate's change to the draft must have been
// on screen before a publish counts it as seen.
const seenAfter = 1500 * time.Millisecond

func (s *draftSaver) save(st *store.Store, id int64, text, author string, now time.Time) (store.Merged, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.base[id]
	m, err := st.SetDraft(id, store.Edit{BaseRev: b.BaseRev, Base: b.Base, Text: text}, author, now)
	if err == nil {
		s.base[id] = store.Edit{BaseRev: m.Rev, Base: m.Text}
	}
	return m, err
}

// adopt records a stored revision the pane has shown, unless a newer one
// was written meanwhile.
func (s *draftSaver) adopt(id, rev int64, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rev >= s.base[id].BaseRev {
		if text != s.base[id].Base {
			if s.prev == nil {
				s.prev, s.adoptedAt = map[int64]store.Edit{}, map[int64]time.Time{}
			}
			s.prev[id], s.adoptedAt[id] = s.base[id], time.Now()
		}
		s.base[id] = store.Edit{BaseRev: rev, Base: text}
	}
}

// markSeen records that the person has read the draft on screen (they
// answered a question about it).
func (s *draftSaver) markSeen(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.adoptedAt, id)
}

// seen is the stored draft the person has had time to read: the one on
// screen, or the one before it when it came from a teammate just now.
func (s *draftSaver) seen(id int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at, ok := s.adoptedAt[id]; ok && time.Since(at) < seenAfter {
		return s.prev[id].Base
	}
	return s.base[id].Base
}

// Flush saves a draft typed since the last save; quitting runs it.
func (c *Pane) Flush() tea.Cmd {
	if c.Templated || c.Ta.Value() == c.synced || c.ctx.IncidentID == 0 {
		return nil
	}
	return c.saveCmd()
}

// template writes the draft for the incident's phase now, and notes which
// template it came from for the pane's meta line.
func (c *Pane) template() string {
	inc := c.ctx.Incident
	if inc == nil {
		return ""
	}
	var tmpl map[string]string
	if c.ctx.Config != nil {
		tmpl = c.ctx.Config.Templates
	}
	d := incident.DraftOf(inc, c.ctx.Policy(), tmpl, c.ctx.Now())
	c.tmplLabel, c.tmplFor = d.Label(), c.ctx.IncidentID
	return d.Text
}

// templateChanged tells the status line when a reload moved the templated
// draft to another phase's template (after /mitigated the ETA sentence
// goes), so the lead knows why the words changed.
func (c *Pane) templateChanged(label string, id int64) tea.Cmd {
	if !c.Templated || label == "" || id != c.ctx.IncidentID || c.tmplLabel == label {
		return nil
	}
	now := c.tmplLabel
	return func() tea.Msg {
		return common.StatusMsg{Text: "The public draft now follows the " + now + " template"}
	}
}

// sync brings the draft in line with the incident just loaded, unless the
// user has typed something not yet saved, which wins.
func (c *Pane) sync() {
	inc := c.ctx.Incident
	if inc == nil {
		return
	}
	if inc.DraftRev < c.syncedRev {
		// A copy read before this pane's own save landed.
		return
	}
	dirty := !c.Templated && c.Ta.Value() != c.synced
	if u, ok := c.publishedByOther(inc); ok && !c.Templated && dirty {
		// A teammate published the draft while this person was typing
		// in it: the published text goes, their words stay as the next
		// draft, and they are told.
		c.syncedRev = inc.DraftRev
		c.saver.adopt(c.ctx.IncidentID, inc.DraftRev, inc.Draft)
		c.synced = inc.Draft
		c.Ta.SetValue(withoutPublished(c.Ta.Value(), u.Text, inc.Draft))
		c.Ta.CursorEnd()
		c.refresh()
		c.notice = fmt.Sprintf("%s published the draft at %s; your unsaved words are kept as the next draft", u.Author, common.ClockAt(u.At, c.ctx.Now()))
		return
	}
	if !c.Templated && inc.Draft != c.synced && (dirty || c.Editing) {
		// A teammate's change arrives while this person writes: it is
		// merged into what they typed, saved or not, and their cursor
		// stays where they were typing (the next save stores the merge).
		c.syncedRev = inc.DraftRev
		c.saver.adopt(c.ctx.IncidentID, inc.DraftRev, inc.Draft)
		base := c.synced
		c.synced = inc.Draft
		common.Rebase(&c.Ta, base, inc.Draft)
		c.refresh()
		return
	}
	if dirty {
		return
	}
	c.syncedRev = inc.DraftRev
	c.saver.adopt(c.ctx.IncidentID, inc.DraftRev, inc.Draft)
	if inc.Draft != "" {
		c.Templated = false
		c.synced = inc.Draft
		c.setValue(inc.Draft)
		return
	}
	c.synced = ""
	if c.Editing && !c.Templated {
		// Cleared on purpose while editing: leave it empty to type into.
		return
	}
	c.Templated = true
	c.setValue(c.template())
}

func (c *Pane) setValue(v string) {
	if c.Ta.Value() == v {
		return
	}
	c.Ta.SetValue(v)
	c.Ta.CursorEnd()
	c.refresh()
}

// refresh recomputes what derives from the draft text.
func (c *Pane) refresh() {
	var extra, allow []string
	if c.ctx.Config != nil {
		extra, allow = c.ctx.Config.JargonWords, c.ctx.Config.JargonAllow
	}
	c.findings = incident.CheckJargon(incident.CleanText(c.Text()), extra, allow)
	// Fewer findings after an edit must not leave the list scrolled past
	// its end, or k would seem dead for a few presses.
	c.findingsTop = min(c.findingsTop, c.lastFindingsTop())
	c.layout()
}

// lastFindingsTop is the furthest the findings list scrolls: its last row
// at the bottom of the pane.
func (c *Pane) lastFindingsTop() int {
	return max(len(c.findings)-max(c.h-2, 0), 0)
}

func (c *Pane) startEditing() tea.Cmd {
	c.Editing = true
	c.confirm.Close(c.ctx)
	c.layout()
	return c.Ta.Focus()
}

func (c *Pane) stopEditing() {
	c.Editing = false
	c.Ta.Blur()
	c.layout()
}

// edited notes a change typed in the draft and schedules its save.
func (c *Pane) edited() tea.Cmd {
	c.Templated = false
	c.confirm.Close(c.ctx)
	// An undo now would silently drop what was just typed.
	c.replaced = ""
	c.Seq++
	c.refresh()
	id, seq := c.ctx.IncidentID, c.Seq
	return common.SaveTicks(draftSaveAfter, &c.armed, func(force bool) tea.Msg { return DraftSaveMsg{Id: id, Seq: seq, force: force} })
}

// saveCmd writes the draft as it is now.
func (c *Pane) saveCmd() tea.Cmd {
	st, id, text, saver, author, now := c.ctx.Store, c.ctx.IncidentID, c.Text(), c.saver, c.ctx.Author, c.ctx.Now()
	if st == nil || id == 0 {
		return nil
	}
	return c.ctx.Write(func() tea.Msg {
		m, err := saver.save(st, id, text, author, now)
		if err != nil {
			return common.ErrMsg{Err: fmt.Errorf("the public draft was not saved (it is kept on screen): %w", err)}
		}
		return draftSavedMsg{id: id, sent: text, merged: m}
	})
}

// saved takes the stored draft back after a save. When a teammate changed
// the draft meanwhile, their words were merged in: the pane shows the merge
// with anything typed since the save on top, and says so.
func (c *Pane) saved(msg draftSavedMsg) tea.Cmd {
	m := msg.merged
	if m.Rev >= c.syncedRev {
		c.synced, c.syncedRev = m.Text, m.Rev
	}
	if !m.Merged || m.Text == msg.sent {
		return nil
	}
	local := incident.Merge3(msg.sent, c.Ta.Value(), m.Text).Text
	c.Templated = false
	// The cursor stays where this person types, as for a teammate's
	// change arriving (common.Rebase).
	common.Replace(&c.Ta, local)
	c.refresh()
	who := incident.CleanLine(m.By)
	if who == "" {
		who = "someone"
	}
	note := who + " changed the public draft while you typed; their words are merged into yours"
	if m.Conflict {
		note = who + " changed the same words of the public draft while you typed; both versions are kept, theirs first"
	}
	cmds := []tea.Cmd{func() tea.Msg { return common.StatusMsg{Text: note} }}
	if local != m.Text {
		cmds = append(cmds, c.edited())
	}
	return tea.Batch(cmds...)
}

// replaceDraft shows text as the draft at once (the capture line's /draft
// or /publish TEXT), before any write lands, so a /publish typed right
// after publishes exactly it.
func (c *Pane) replaceDraft(text string) {
	c.Seq++
	c.replaced = ""
	c.Templated = false
	c.confirm.Close(c.ctx)
	c.setValue(text)
}

// setDraft replaces the draft with text and stores it through the ordered
// write path.
func (c *Pane) setDraft(text string) tea.Cmd {
	c.replaceDraft(text)
	return c.saveCmd()
}

// useTemplate drops the typed draft for the template of the current state.
func (c *Pane) useTemplate() tea.Cmd {
	c.Seq++
	c.Templated = true
	c.confirm.Close(c.ctx)
	c.setValue(c.template())
	if c.synced == "" {
		return nil
	}
	st, id, saver, author, now := c.ctx.Store, c.ctx.IncidentID, c.saver, c.ctx.Author, c.ctx.Now()
	return c.ctx.Write(func() tea.Msg {
		m, err := saver.save(st, id, "", author, now)
		if err != nil {
			return common.ErrMsg{Err: fmt.Errorf("the public draft was not reset: %w", err)}
		}
		return draftSavedMsg{id: id, sent: "", merged: m}
	})
}

// publishedByOther returns an update another person published since the
// pane last looked, noting the newest one seen.
func (c *Pane) publishedByOther(inc *incident.Incident) (incident.Update, bool) {
	seen, first := c.seenUpdates, !c.loadedUpdates || c.updatesOf != c.ctx.IncidentID
	c.seenUpdates, c.loadedUpdates, c.updatesOf = len(inc.Updates), true, c.ctx.IncidentID
	if first || len(inc.Updates) <= seen {
		return incident.Update{}, false
	}
	u := inc.Updates[len(inc.Updates)-1]
	if u.Author == c.ctx.Author || u.Backfilled {
		return incident.Update{}, false
	}
	return u, true
}

// withoutPublished is what a person had typed into the draft, less the
// text a teammate just published from it, merged with the draft as it now
// stands: their own words, never the published text again.
func withoutPublished(local, published, draft string) string {
	rest := local
	if i := strings.Index(local, published); i >= 0 {
		rest = local[:i] + local[i+len(published):]
	} else {
		// Line by line: what the published text had is taken out.
		m, _ := incident.MergeText(published, "", local)
		rest = m
	}
	rest = strings.TrimSpace(rest)
	if draft == "" || strings.Contains(rest, draft) {
		return rest
	}
	merged, _ := incident.MergeText("", rest, draft)
	return merged
}
