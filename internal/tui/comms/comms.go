// Package comms is the public update pane: the countdown to the next update,
// the draft (from the status template, edited in place, merged with a
// teammate's edit), the jargon check, publishing, and delivery to the
// clipboard and the webhooks.
package comms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Pane is the public-communication pane under the incident pane: the
// countdown to the next public update, the draft (pre-written from the
// status template, edited in place, saved as it is typed), the jargon
// check, publishing with clipboard copy and webhook delivery, and the
// published updates in the handbook's "HH:MM: text" form.
//
// Publishing goes through the store like the capture line's /publish (the
// capture line hands /publish to this pane so the jargon confirmation
// applies there too). Delivery runs in the background after the update is
// stored, so a slow or dead webhook never blocks typing or loses the update.
type Pane struct {
	ctx  *common.Context
	keys common.CommsKeys
	Ta   textarea.Model
	w, h int

	Focused bool
	Editing bool

	// Templated: the draft shown is generated from the status template
	// and not stored; it follows status, ETA and time until edited.
	Templated bool
	// synced is the draft as last known to be in the store, and syncedRev
	// its revision: a loaded copy with an older revision is one this pane
	// has already moved past and never replaces what is shown.
	synced    string
	syncedRev int64
	// Seq counts edits; a debounced save writes only if it is current.
	// armed is set while a longest-wait save tick is pending.
	Seq   int
	armed bool
	saver *draftSaver

	findings []incident.JargonFinding
	// confirming: publishing was asked for with findings; the next
	// request publishes.
	confirming bool
	// focusRequest is what TakeFocusRequest hands the cockpit: +1 when a
	// confirmation needs the keyboard, -1 to give it back after.
	focusRequest int
	// seized: the pane took the keyboard for a confirmation, so it gives
	// it back to the capture line once answered.
	seized bool
	// publishing counts publishes in flight; publishText and publishSeq
	// are the last one's text and edit count, to tell a double press from
	// a new update and to keep a draft written after it.
	publishing  int
	publishText string
	publishSeq  int
	resending   bool

	// state is the countdown state at the last tick, to ring the bell once
	// when the update becomes overdue.
	state incident.CountdownState
	// NotifyOpts tune webhook delivery (tests shorten the waits).
	NotifyOpts notify.Options
}

// draftSaveAfter is how long typing must pause before the draft is saved.
const draftSaveAfter = 500 * time.Millisecond

// Messages of the comms pane.
type (
	// DraftSaveMsg fires when typing paused.
	DraftSaveMsg struct {
		Id    int64
		Seq   int
		force bool
	}
	// draftSavedMsg reports the draft written to the store: sent is what
	// this pane sent, merged what the store holds now (with a teammate's
	// edit merged in when the pane's copy was stale).
	draftSavedMsg struct {
		id     int64
		sent   string
		merged store.Merged
	}
	// PublishDoneMsg reports the publish write.
	PublishDoneMsg struct {
		res store.Applied
		err error
	}
	// deliveredMsg reports the delivery of one update, stored.
	deliveredMsg struct {
		id       int64
		update   incident.Update
		delivery []incident.Delivery
		err      error
	}
)

// draftSaver keeps the revision this program last wrote or adopted, read
// and updated by the queued writes as they run, so that each save is made
// on the copy the previous one left: only a teammate's edit in between
// makes a save merge.
type draftSaver struct {
	mu   sync.Mutex
	base map[int64]store.Edit
}

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
		s.base[id] = store.Edit{BaseRev: rev, Base: text}
	}
}

func New(ctx *common.Context) *Pane {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	// One column of margin, as the draft has when not edited.
	ta.Prompt = " "
	ta.CharLimit = incident.MaxTextBytes / 4
	ta.Placeholder = "Write the public update in plain words."
	st := ctx.Styles
	for _, s := range []*textarea.Style{&ta.FocusedStyle, &ta.BlurredStyle} {
		s.Base = st.Text
		s.CursorLine = st.Text
		s.Text = st.Text
		s.Placeholder = st.Faint
		s.EndOfBuffer = st.Faint
		s.Prompt = st.Faint
	}
	ta.Cursor.Style = st.Accent
	// A steady cursor, as on the capture line: a blinking one redraws the
	// frame twice a second for nothing.
	ta.Cursor.SetMode(cursor.CursorStatic)
	c := &Pane{ctx: ctx, keys: ctx.Keys.CommsPane, Ta: ta, Templated: true, saver: &draftSaver{base: map[int64]store.Edit{}}}
	c.sync()
	return c
}

// Init has nothing to start: the incident arrives with common.IncidentLoadedMsg.
func (c *Pane) Init() tea.Cmd { return nil }

// SetSize sets the outer size.
func (c *Pane) SetSize(w, h int) common.Component {
	c.w, c.h = w, h
	c.layout()
	return c
}

// SetFocused moves the keyboard to or from the pane.
func (c *Pane) SetFocused(f bool) common.Component {
	c.Focused = f
	if !f && c.Editing {
		c.stopEditing()
	}
	return c
}

// TakeFocusRequest implements common.FocusAsker.
func (c *Pane) TakeFocusRequest() int {
	r := c.focusRequest
	c.focusRequest = 0
	return r
}

// endConfirm leaves the publish confirmation and gives the keyboard back if
// it was taken for it.
func (c *Pane) endConfirm() {
	c.confirming = false
	if c.seized {
		c.seized = false
		c.focusRequest = -1
	}
}

// Typing is true while the draft is edited or a confirmation is asked, so
// letters reach the pane.
func (c *Pane) Typing() bool { return c.Editing || (c.Focused && c.confirming) }

// Flush saves a draft typed since the last save; quitting runs it.
func (c *Pane) Flush() tea.Cmd {
	if c.Templated || c.Ta.Value() == c.synced || c.ctx.IncidentID == 0 {
		return nil
	}
	return c.saveCmd()
}

// Text is the draft as shown and published.
func (c *Pane) Text() string { return c.Ta.Value() }

// template writes the draft for the incident's state now.
func (c *Pane) template() string {
	inc := c.ctx.Incident
	if inc == nil {
		return ""
	}
	var tmpl map[string]string
	if c.ctx.Config != nil {
		tmpl = c.ctx.Config.Templates
	}
	return incident.DraftFor(inc, c.ctx.Policy(), tmpl, c.ctx.Now())
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
	if dirty {
		// What the person typed stays; the next save merges.
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
	c.layout()
}

func (c *Pane) startEditing() tea.Cmd {
	c.Editing = true
	c.confirming = false
	c.layout()
	return c.Ta.Focus()
}

func (c *Pane) stopEditing() {
	c.Editing = false
	c.Ta.Blur()
	c.layout()
}

// Update handles data messages always and keys while focused.
func (c *Pane) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.IncidentLoadedMsg:
		if c.state == "" && c.ctx.Incident != nil {
			c.state = c.Countdown().State
		}
		c.sync()
		return c, nil
	case common.TickMsg:
		return c, c.tick()
	case common.AppliedMsg:
		return c, c.applied(msg)
	case common.PublishRequestMsg:
		if msg.Text != "" {
			c.replaceDraft(msg.Text)
		}
		return c, c.RequestPublish()
	case common.DraftSetMsg:
		return c, c.setDraft(msg.Text)
	case DraftSaveMsg:
		if msg.force {
			c.armed = false
		}
		if msg.Id != c.ctx.IncidentID || (!msg.force && msg.Seq != c.Seq) || c.Templated || c.Ta.Value() == c.synced {
			return c, nil
		}
		return c, c.saveCmd()
	case draftSavedMsg:
		if msg.id != c.ctx.IncidentID {
			return c, nil
		}
		return c, c.saved(msg)
	case PublishDoneMsg:
		c.publishing = max(c.publishing-1, 0)
		if msg.err != nil {
			return c, common.ErrCmd(msg.err)
		}
		res := msg.res
		if res.Head != nil {
			c.syncedRev = max(c.syncedRev, res.Head.DraftRev)
		}
		return c, func() tea.Msg {
			return common.AppliedMsg{Capture: incident.Capture{Command: incident.CmdPublish}, Result: res.Result, Head: res.Head, Tx: res.Tx}
		}
	case deliveredMsg:
		c.resending = false
		return c, c.delivered(msg)
	case tea.KeyMsg:
		if c.Focused {
			return c, c.key(msg)
		}
	default:
		if c.Editing {
			// Cursor blinks and other textarea internals.
			var cmd tea.Cmd
			c.Ta, cmd = c.Ta.Update(msg)
			return c, cmd
		}
	}
	return c, nil
}

func (c *Pane) key(msg tea.KeyMsg) tea.Cmd {
	k := c.keys
	if c.confirming {
		switch {
		case key.Matches(msg, k.Confirm):
			return c.RequestPublish()
		case key.Matches(msg, k.Deny):
			c.endConfirm()
			c.layout()
			return nil
		}
		return nil
	}
	if c.Editing {
		switch {
		case key.Matches(msg, k.Done):
			c.stopEditing()
			return c.Flush()
		case msg.String() == "ctrl+p":
			c.stopEditing()
			return tea.Batch(c.Flush(), c.RequestPublish())
		}
		before := c.Ta.Value()
		var cmd tea.Cmd
		c.Ta, cmd = c.Ta.Update(msg)
		if c.Ta.Value() != before {
			return tea.Batch(cmd, c.edited())
		}
		return cmd
	}
	switch {
	case key.Matches(msg, k.Edit):
		return c.startEditing()
	case key.Matches(msg, k.Publish):
		return c.RequestPublish()
	case key.Matches(msg, k.Resend):
		return c.resend()
	case key.Matches(msg, k.Template):
		return c.useTemplate()
	}
	return nil
}

// edited notes a change typed in the draft and schedules its save.
func (c *Pane) edited() tea.Cmd {
	c.Templated = false
	c.confirming = false
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
	c.setValue(local)
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
	c.Templated = false
	c.confirming = false
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
	c.confirming = false
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

// applied follows what the capture line (or this pane) stored.
func (c *Pane) applied(msg common.AppliedMsg) tea.Cmd {
	switch {
	case msg.Result.Update != nil:
		return c.afterPublish(*msg.Result.Update)
	}
	// Status, ETA or cadence changes reach the template with the reload.
	return nil
}

// RequestPublish publishes the draft, asking once when the jargon check
// found words a customer may not follow.
func (c *Pane) RequestPublish() tea.Cmd {
	if c.ctx.IncidentID == 0 {
		return common.ErrCmd(common.ErrNoIncident)
	}
	text := strings.TrimSpace(c.Text())
	if c.publishing > 0 && text == c.publishText && c.Seq == c.publishSeq {
		// The same update asked for twice (p pressed again): once is enough.
		return nil
	}
	if text == "" {
		return common.ErrCmd(errors.New("the public draft is empty; write the update first, e.g. /draft We are investigating"))
	}
	if len(c.findings) > 0 && !c.confirming {
		c.confirming = true
		if !c.Focused {
			// Typed on the capture line: take the keyboard so y or n answer.
			c.seized = true
			c.focusRequest = 1
		}
		c.layout()
		n := len(c.findings)
		return common.ErrCmd(fmt.Errorf("%d %s in the draft may confuse customers; press y to publish anyway or n to keep editing", n, common.Plural(n, "word", "words")))
	}
	c.endConfirm()
	c.publishing++
	c.Seq++
	c.publishText, c.publishSeq = text, c.Seq
	c.layout()
	st, id, now, author, policy, saver := c.ctx.Store, c.ctx.IncidentID, c.ctx.Now(), c.ctx.Author, c.ctx.Policy(), c.saver
	// Exactly the text on screen is published, in one transaction.
	raw := c.Text()
	return c.ctx.Write(func() tea.Msg {
		res, err := st.Apply(id, incident.Capture{Command: incident.CmdPublish, Text: raw}, now, author, policy)
		if err != nil {
			return PublishDoneMsg{err: fmt.Errorf("the update was not published (the draft is kept): %w", err)}
		}
		if res.Head != nil {
			saver.adopt(id, res.Head.DraftRev, res.Head.Draft)
		}
		return PublishDoneMsg{res: res}
	})
}

// afterPublish copies the update to the clipboard, records the copy and
// delivers it to the webhooks in the background, and starts the next
// draft.
func (c *Pane) afterPublish(u incident.Update) tea.Cmd {
	now := c.ctx.Now()
	if c.Seq == c.publishSeq {
		// Nothing written since this publish: start the next draft from
		// the template. A draft written after it (typed, or a /draft
		// right behind the /publish) stays.
		c.Seq++
		c.publishSeq = c.Seq
		c.Templated = true
		c.synced = ""
		c.confirming = false
		if c.Editing {
			c.stopEditing()
		}
		c.setValue(c.template())
	}

	var hooks []string
	if c.ctx.Config != nil {
		hooks = c.ctx.Config.Webhooks
	}
	st, id, term := c.ctx.Store, c.ctx.IncidentID, c.ctx.Terminal
	tmux := os.Getenv("TMUX") != ""
	n := c.notifier(hooks)
	// clip is written by record and read by deliver, which runs after it.
	var clip []incident.Delivery
	record := c.ctx.Write(func() tea.Msg {
		if term != nil {
			clip = append(clip, notify.Copy(term, u.Text, tmux, now))
		}
		first := append(slices.Clone(clip), n.Pending()...)
		if len(first) == 0 {
			return nil
		}
		if err := st.SetDelivery(id, u.ID, first); err != nil {
			return common.ErrMsg{Err: fmt.Errorf("the update is published but its delivery state was not saved: %w", err)}
		}
		return common.ReloadMsg{}
	})
	note := fmt.Sprintf("Published %s", u.At.Format("15:04"))
	if term != nil {
		note += " and copied to the clipboard"
	}
	if len(hooks) == 0 {
		return tea.Batch(record, func() tea.Msg { return common.StatusMsg{Text: note} })
	}
	note += fmt.Sprintf("; delivering to %d %s", len(hooks), common.Plural(len(hooks), "webhook", "webhooks"))
	deliver := func() tea.Msg {
		ds := append(slices.Clone(clip), n.Deliver(context.Background(), u)...)
		return deliveredMsg{id: id, update: u, delivery: ds, err: st.SetDelivery(id, u.ID, ds)}
	}
	return tea.Batch(func() tea.Msg { return common.StatusMsg{Text: note} }, tea.Sequence(record, deliver))
}

// notifier delivers to hooks with the pane's clock.
func (c *Pane) notifier(hooks []string) *notify.Notifier {
	opts := c.NotifyOpts
	if opts.Now == nil {
		opts.Now = c.ctx.Now
	}
	return notify.New(hooks, opts)
}

// delivered reports the outcome of a delivery in the status line.
func (c *Pane) delivered(msg deliveredMsg) tea.Cmd {
	reload := func() tea.Msg { return common.ReloadMsg{} }
	if msg.err != nil {
		return tea.Batch(reload, common.ErrCmd(fmt.Errorf("the update was delivered but its state was not saved: %w", msg.err)))
	}
	var failed []incident.Delivery
	sent := 0
	for _, d := range msg.delivery {
		switch {
		case d.State == incident.DeliveryFailed && d.Target != notify.ClipboardTarget:
			failed = append(failed, d)
		case d.State == incident.DeliverySent:
			sent++
		}
	}
	if len(failed) > 0 {
		d := failed[0]
		return tea.Batch(reload, common.ErrCmd(fmt.Errorf("the %s update did not reach %s (%s after %d %s); press r in the comms pane to re-send",
			msg.update.At.Format("15:04"), d.Target, d.Error, d.Attempts, common.Plural(d.Attempts, "try", "tries"))))
	}
	text := fmt.Sprintf("The %s update reached %d %s", msg.update.At.Format("15:04"), sent, common.Plural(sent, "webhook", "webhooks"))
	return tea.Batch(reload, func() tea.Msg { return common.StatusMsg{Text: text} })
}

// resend delivers again the latest update whose delivery failed.
func (c *Pane) resend() tea.Cmd {
	inc := c.ctx.Incident
	if inc == nil || c.resending {
		return nil
	}
	var hooks []string
	if c.ctx.Config != nil {
		hooks = c.ctx.Config.Webhooks
	}
	if len(hooks) == 0 {
		return common.ErrCmd(errors.New("no webhook is configured; add webhooks to the config file to deliver updates"))
	}
	var target *incident.Update
	for i := range inc.Updates {
		u := &inc.Updates[i]
		if (notify.Failed(*u) || len(u.Delivery) == 0) && (target == nil || u.At.After(target.At)) {
			target = u
		}
	}
	if target == nil {
		return func() tea.Msg {
			return common.StatusMsg{Text: "Every published update was delivered; nothing to re-send"}
		}
	}
	c.resending = true
	u := *target
	st, id := c.ctx.Store, c.ctx.IncidentID
	n := c.notifier(hooks)
	return tea.Batch(
		func() tea.Msg { return common.StatusMsg{Text: "Re-sending the " + u.At.Format("15:04") + " update"} },
		func() tea.Msg {
			ds := n.Resend(context.Background(), u)
			return deliveredMsg{id: id, update: u, delivery: ds, err: st.SetDelivery(id, u.ID, ds)}
		})
}

// tick refreshes the template's times and rings the bell (config bell)
// once when the update becomes overdue.
func (c *Pane) tick() tea.Cmd {
	if c.ctx.Incident == nil {
		return nil
	}
	if c.Templated && !c.Editing {
		c.setValue(c.template())
	}
	state, prev := c.Countdown().State, c.state
	c.state = state
	term := c.ctx.Terminal
	if state != incident.CountdownOverdue || prev == "" || prev == incident.CountdownOverdue ||
		c.ctx.Config == nil || !c.ctx.Config.Bell || term == nil {
		return nil
	}
	return func() tea.Msg {
		_, _ = io.WriteString(term, "\a")
		return nil
	}
}

func (c *Pane) Countdown() incident.Countdown {
	return incident.CountdownAt(c.ctx.Incident, c.ctx.Policy(), c.ctx.Now())
}

// commsLayout is how the inner rows are shared.
type commsLayout struct {
	draft, findings, updates int
}

// layout sizes the textarea for the current plan.
func (c *Pane) layout() {
	l := c.plan()
	c.Ta.SetWidth(max(c.w-2, 1))
	c.Ta.SetHeight(max(l.draft, 1))
}

// plan shares the inner height. After the row for the due time, rows go
// in order of what matters while writing: two rows of draft, the findings'
// summary, the latest published update, more draft (up to what it needs,
// six rows at most), up to three findings, every published update, every
// finding, the rest of the draft; what is left goes to the editor while
// editing and is blank at the bottom otherwise.
func (c *Pane) plan() commsLayout {
	iw, ih := max(c.w-2, 1), max(c.h-2, 0)
	rem := ih - 1
	if c.confirming {
		rem--
	}
	rem = max(rem, 0)
	fAll, uAll := 0, 0
	if n := len(c.findings); n > 0 {
		fAll = 1 + n
	}
	if inc := c.ctx.Incident; inc != nil && len(inc.Updates) > 0 {
		uAll = 1 + len(inc.Updates)
	}
	need := max(len(wrapSpans(incident.CleanText(c.Text()), iw-1)), 2)
	if c.Editing {
		need++
	}
	var l commsLayout
	grow := func(field *int, upTo int) {
		n := min(max(upTo-*field, 0), rem)
		*field += n
		rem -= n
	}
	grow(&l.draft, 2)
	grow(&l.findings, min(fAll, 1))
	if rem >= 2 {
		grow(&l.updates, min(uAll, 2))
	}
	grow(&l.draft, min(need, 6))
	grow(&l.findings, min(fAll, 4))
	grow(&l.updates, uAll)
	grow(&l.findings, fAll)
	grow(&l.draft, need)
	if c.Editing {
		// The editor takes the rest; otherwise it stays blank at the end.
		l.draft += rem
	}
	return l
}

// View draws the pane.
func (c *Pane) View() string {
	st := c.ctx.Styles
	iw := max(c.w-2, 1)
	inc := c.ctx.Incident
	if inc == nil {
		return common.Box(st, "Public update", "", []string{st.Faint.Render(" loading…")}, c.w, c.h, c.Focused)
	}
	l := c.plan()
	cd := c.Countdown()
	var note string
	switch cd.State {
	case incident.CountdownOverdue:
		note = st.Error.Bold(true).Render(cd.Clock())
	case incident.CountdownSoon:
		// The glyph tells "soon" apart without colour (NO_COLOR).
		note = st.Warn.Bold(true).Render("⚠ " + cd.Clock())
	case incident.CountdownDone:
		note = st.OK.Render(cd.Clock())
	default:
		note = st.Bold.Render(cd.Clock())
	}

	var lines []string
	meta := ""
	if cd.State != incident.CountdownDone {
		meta = "next update due " + common.ClockAt(cd.Due, c.ctx.Now())
		if cd.Snoozed {
			meta += " · snoozed"
		}
	} else {
		meta = "resolution published"
	}
	switch {
	case c.publishing > 0:
		meta += " · publishing…"
	case c.Templated:
		meta += " · draft from template"
	case c.Ta.Value() != c.synced:
		meta += " · saving…"
	}
	if who := common.EditorsNote(c.ctx, "draft"); who != "" {
		// First, where a narrow pane cannot cut it off.
		meta = who + " · " + meta
	}
	lines = append(lines, " "+st.Muted.Render(meta))

	if c.Editing {
		lines = append(lines, strings.Split(c.Ta.View(), "\n")...)
	} else {
		lines = append(lines, c.DraftLines(iw, l.draft)...)
	}
	for len(lines) < 1+l.draft {
		lines = append(lines, "")
	}
	lines = lines[:1+l.draft]

	if l.findings > 0 {
		n := len(c.findings)
		lines = append(lines, st.Warn.Render(fmt.Sprintf(" ⚠ %d unclear to customers:", n)))
		shown := l.findings - 1
		for i, f := range c.findings[:min(shown, n)] {
			s := fmt.Sprintf("  %q %s", f.Word, f.Why)
			if len(f.Suggest) > 0 {
				s += " → " + f.Suggest[0]
			}
			if i == shown-1 && n > shown {
				s = fmt.Sprintf("  … and %d more", n-shown+1)
			}
			lines = append(lines, st.Muted.Render(incident.CleanLine(s)))
		}
	}
	if c.confirming {
		lines = append(lines, st.Warn.Bold(true).Render(" Publish anyway? y yes · n no"))
	}
	if l.updates > 0 {
		lines = append(lines, " "+st.PaneTitle.Render("Published"))
		lines = append(lines, c.updateLines(iw, l.updates-1)...)
	}
	// The countdown is the pane's reason to exist: in a narrow pane the
	// title gives way so the countdown always fits on the top edge.
	title := "Public update"
	for _, t := range []string{"Public update", "Update", ""} {
		title = t
		if 2+ansi.StringWidth(" "+t+" ")+ansi.StringWidth(note)+4 <= c.w {
			break
		}
	}
	return common.Box(st, title, note, lines, c.w, c.h, c.Focused)
}

// DraftLines renders the draft wrapped to w with jargon marked, in at most
// h rows.
func (c *Pane) DraftLines(w, h int) []string {
	st := c.ctx.Styles
	text := incident.CleanText(c.Text())
	if strings.TrimSpace(text) == "" {
		return []string{st.Faint.Render(" (empty) e writes the update")}
	}
	base, mark := st.Text, st.Warn.Underline(true)
	if c.Templated {
		base = st.Muted
	}
	spans := wrapSpans(text, w-1)
	var out []string
	for i, sp := range spans {
		if i == h {
			break
		}
		var b strings.Builder
		b.WriteByte(' ')
		pos := sp[0]
		for _, f := range c.findings {
			if f.End <= pos || f.Start >= sp[1] {
				continue
			}
			s, e := max(f.Start, pos), min(f.End, sp[1])
			b.WriteString(base.Render(text[pos:s]))
			b.WriteString(mark.Render(text[s:e]))
			pos = e
		}
		b.WriteString(base.Render(text[pos:sp[1]]))
		line := b.String()
		if i == h-1 && len(spans) > h {
			line = common.Cut(line, w-1) + st.Faint.Render("…")
		}
		out = append(out, line)
	}
	return out
}

// updateLines lists the published updates, newest last, as "HH:MM: text"
// with their delivery state, in at most h rows.
func (c *Pane) updateLines(w, h int) []string {
	st := c.ctx.Styles
	inc := c.ctx.Incident
	us := slices.Clone(inc.Updates)
	slices.SortStableFunc(us, func(a, b incident.Update) int { return a.At.Compare(b.At) })
	if len(us) > h {
		us = us[len(us)-h:]
	}
	now := c.ctx.Now()
	out := make([]string, 0, len(us))
	for _, u := range us {
		mark := deliveryMark(st, u)
		text := " " + st.Time.Render(common.ClockAt(u.At, now)+":") + " " + st.Text.Render(incident.CleanLine(u.Text))
		out = append(out, common.Spread(text, " "+mark, w))
	}
	return out
}

// deliveryMark sums up where an update went: ✓ sent, ✗ failed, … pending.
func deliveryMark(st *common.Styles, u incident.Update) string {
	var failed, pending, sent, copied int
	for _, d := range u.Delivery {
		switch d.State {
		case incident.DeliveryFailed:
			failed++
		case incident.DeliveryPending:
			pending++
		case incident.DeliverySent:
			sent++
		case incident.DeliveryCopied:
			copied++
		}
	}
	switch {
	case failed > 0:
		return st.Error.Render("✗ failed · r")
	case pending > 0:
		return st.Warn.Render("… sending")
	case sent > 0:
		return st.OK.Render("✓ sent")
	case copied > 0:
		return st.Faint.Render("copied")
	}
	return ""
}

// wrapSpans breaks text into rows of at most w cells at spaces, and hard
// breaks words longer than a row. It returns each row's byte span in text,
// so marks found on the whole text can be drawn on the rows.
func wrapSpans(text string, w int) [][2]int {
	w = max(w, 1)
	var out [][2]int
	start := 0
	for start <= len(text) {
		nl := strings.IndexByte(text[start:], '\n')
		end := len(text)
		if nl >= 0 {
			end = start + nl
		}
		out = append(out, wrapLine(text, start, end, w)...)
		if nl < 0 {
			break
		}
		start = end + 1
	}
	return out
}

func wrapLine(text string, start, end, w int) [][2]int {
	var out [][2]int
	for {
		// Skip the spaces a wrap left at the start of a row.
		for start < end && text[start] == ' ' && len(out) > 0 {
			start++
		}
		if ansi.StringWidth(text[start:end]) <= w {
			return append(out, [2]int{start, end})
		}
		// Find the last space that keeps the row within w cells.
		cells, i, lastSpace := 0, start, -1
		for i < end {
			r, size := utf8.DecodeRuneInString(text[i:end])
			rw := ansi.StringWidth(string(r))
			if cells+rw > w {
				break
			}
			if r == ' ' {
				lastSpace = i
			}
			cells += rw
			i += size
		}
		cutAt := i
		if lastSpace > start {
			cutAt = lastSpace
		}
		if cutAt == start {
			// A single character wider than the row.
			_, size := utf8.DecodeRuneInString(text[start:end])
			cutAt = start + size
		}
		out = append(out, [2]int{start, cutAt})
		start = cutAt
	}
}

// ShortHelp lists the keys that work now.
func (c *Pane) ShortHelp() []key.Binding {
	k := c.keys
	switch {
	case c.confirming:
		return []key.Binding{k.Confirm, k.Deny}
	case c.Editing:
		return []key.Binding{k.Done, common.WithHelp(key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "")), "publish")}
	}
	binds := []key.Binding{k.Edit, k.Publish, k.Template}
	if inc := c.ctx.Incident; inc != nil && slices.ContainsFunc(inc.Updates, notify.Failed) {
		binds = append(binds, k.Resend)
	}
	return binds
}

// FullHelp lists every key of the pane.
func (c *Pane) FullHelp() [][]key.Binding {
	k := c.keys
	return [][]key.Binding{{k.Edit, k.Done, k.Publish, k.Resend, k.Template}}
}
