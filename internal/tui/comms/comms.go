// Package comms is the public update pane: the countdown to the next update,
// the draft (from the status template, edited in place, merged with a
// teammate's edit), the jargon check, publishing, and delivery to the
// clipboard and the webhooks.
package comms

import (
	"errors"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

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
	// tmplLabel names the template the templated draft came from
	// ("monitoring"), for incident tmplFor.
	tmplLabel string
	tmplFor   int64
	// synced is the draft as last known to be in the store, and syncedRev
	// its revision: a loaded copy with an older revision is one this pane
	// has already moved past and never replaces what is shown.
	synced    string
	syncedRev int64
	// seenUpdates counts the public updates the pane has seen (once
	// loadedUpdates), and notice is a sentence for the status line from
	// the last sync.
	seenUpdates   int
	loadedUpdates bool
	updatesOf     int64
	notice        string
	// Seq counts edits; a debounced save writes only if it is current.
	// armed is set while a longest-wait save tick is pending.
	Seq   int
	armed bool
	saver *draftSaver

	findings []incident.JargonFinding
	// memo is the draft as last wrapped and drawn (draft_memo.go).
	memo draftMemo
	// confirm is open while publishing waits for a yes despite the
	// jargon check's findings.
	confirm common.Question
	// askTemplate: t was pressed over a hand-written draft; y replaces it.
	askTemplate common.Question
	// askChanged: a publish was refused because a teammate changed the
	// draft since its person saw it (changedBy says who); y shows the
	// draft as it now stands and publishes that, n keeps editing.
	askChanged common.Question
	changedBy  string
	// replaced is the hand-written draft the template replaced, one u away
	// until the draft is edited again.
	replaced string
	// publishing counts publishes in flight; publishText and publishSeq
	// are the last one's text and edit count, to tell a double press from
	// a new update and to keep a draft written after it.
	// allFindings gives the pane to every jargon finding (f), scrolled
	// from findingsTop.
	allFindings bool
	findingsTop int
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
		by  string // who changed the draft, when that refused the publish
	}
	// deliveredMsg reports the delivery of one update, stored.
	deliveredMsg struct {
		id       int64
		update   incident.Update
		delivery []incident.Delivery
		err      error
	}
)

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

// Typing is true while the draft is edited or a confirmation is asked, so
// letters reach the pane.
func (c *Pane) Typing() bool {
	return c.Editing || (c.Focused && (c.confirm.Open() || c.askTemplate.Open() || c.askChanged.Open()))
}

// Asking reports a question of the pane waiting for its answer.
func (c *Pane) Asking() bool {
	return c.confirm.Open() || c.askTemplate.Open() || c.askChanged.Open()
}

// AnswerKey offers the pane's open question a key typed elsewhere (the
// capture line, where /publish asked it). It reports whether the key was
// an answer; a key typed before the question could be read, or any other
// key, is not, and stays the capture line's text.
func (c *Pane) AnswerKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	if !c.Asking() {
		return nil, false
	}
	return c.answer(msg)
}

// Findings are the jargon check's findings on the draft as shown.
func (c *Pane) Findings() []incident.JargonFinding { return c.findings }

// Text is the draft as shown and published.
func (c *Pane) Text() string { return c.Ta.Value() }

// Update handles data messages always and keys while focused.
func (c *Pane) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.IncidentLoadedMsg:
		if c.state == "" && c.ctx.Incident != nil {
			c.state = c.Countdown().State
		}
		label, id := c.tmplLabel, c.tmplFor
		c.sync()
		if n := c.notice; n != "" {
			c.notice = ""
			return c, tea.Batch(c.templateChanged(label, id), func() tea.Msg { return common.StatusMsg{Text: n} })
		}
		return c, c.templateChanged(label, id)
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
		if errors.Is(msg.err, store.ErrDraftChanged) {
			// Nothing was sent: ask whether to publish the draft as it
			// now stands, once it is on screen.
			c.changedBy = msg.by
			ask := c.askChanged.Ask(c.ctx)
			c.layout()
			return c, tea.Batch(ask, common.ErrCmd(msg.err), func() tea.Msg { return common.ReloadMsg{} })
		}
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
	if c.Asking() {
		// Keys that are no answer, or came before the question could be
		// read, do nothing here.
		cmd, _ := c.answer(msg)
		return cmd
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
		if !c.Templated && strings.TrimSpace(c.Text()) != "" && c.Text() != c.template() {
			// A hand-written draft is never dropped on one key.
			cmd := c.askTemplate.Ask(c.ctx)
			c.layout()
			return cmd
		}
		return c.useTemplate()
	case key.Matches(msg, k.Undo) && c.replaced != "":
		text := c.replaced
		c.replaced = ""
		return tea.Batch(c.setDraft(text), func() tea.Msg { return common.StatusMsg{Text: "Your draft is back"} })
	case key.Matches(msg, k.Findings):
		c.allFindings, c.findingsTop = !c.allFindings, 0
		c.layout()
		return nil
	case c.allFindings && (msg.String() == "j" || msg.String() == "down"):
		// Kept within what can scroll, so k answers at once at the end.
		c.findingsTop = min(c.findingsTop+1, c.lastFindingsTop())
	case c.allFindings && (msg.String() == "k" || msg.String() == "up"):
		c.findingsTop = max(c.findingsTop-1, 0)
	}
	return nil
}

// answer applies an answer to the open question; the bool reports
// whether msg was one.
func (c *Pane) answer(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := c.keys
	switch {
	case c.confirm.Open():
		switch c.confirm.Answer(c.ctx, msg, k.Confirm, k.Deny) {
		case common.Yes:
			c.confirm.Close(c.ctx)
			return c.publishNow(), true
		case common.No:
			c.confirm.Close(c.ctx)
			c.layout()
			return func() tea.Msg { return common.StatusMsg{Text: "Not published; the draft is kept"} }, true
		}
	case c.askChanged.Open():
		switch c.askChanged.Answer(c.ctx, msg, k.Confirm, k.Deny) {
		case common.Yes:
			c.askChanged.Close(c.ctx)
			// The draft as it now stands, with the teammate's change,
			// is what is published: the person has just read it.
			if inc := c.ctx.Incident; inc != nil {
				c.syncedRev, c.synced, c.Templated = inc.DraftRev, inc.Draft, false
				c.saver.adopt(c.ctx.IncidentID, inc.DraftRev, inc.Draft)
				c.saver.markSeen(c.ctx.IncidentID)
				c.setValue(inc.Draft)
			}
			return c.RequestPublish(), true
		case common.No:
			c.askChanged.Close(c.ctx)
			c.layout()
			return func() tea.Msg { return common.StatusMsg{Text: "Not published; read the draft, then publish again"} }, true
		}
	case c.askTemplate.Open():
		switch c.askTemplate.Answer(c.ctx, msg, k.Confirm, k.Deny) {
		case common.Yes:
			c.askTemplate.Close(c.ctx)
			c.replaced = c.Text()
			cmd := c.useTemplate()
			text := "Draft replaced by the " + c.tmplLabel + " template; u brings yours back"
			return tea.Batch(cmd, func() tea.Msg { return common.StatusMsg{Text: text} }), true
		case common.No:
			c.askTemplate.Close(c.ctx)
			c.layout()
			return nil, true
		}
	}
	return nil, false
}

// ShortHelp lists the keys that work now.
func (c *Pane) ShortHelp() []key.Binding {
	k := c.keys
	switch {
	case c.confirm.Open():
		return []key.Binding{k.Confirm, k.Deny}
	case c.askTemplate.Open():
		return []key.Binding{common.WithHelp(k.Confirm, "use the template"), common.WithHelp(k.Deny, "keep your draft")}
	case c.askChanged.Open():
		return []key.Binding{common.WithHelp(k.Confirm, "publish it as it is now"), common.WithHelp(k.Deny, "keep editing")}
	case c.Editing:
		return []key.Binding{k.Done, common.WithHelp(key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "")), "publish")}
	}
	binds := []key.Binding{k.Edit, k.Publish, k.Template}
	if c.replaced != "" {
		binds = append(binds, k.Undo)
	}
	if len(c.findings) > 0 {
		binds = append(binds, k.Findings)
	}
	if inc := c.ctx.Incident; inc != nil && slices.ContainsFunc(inc.Updates, notify.Failed) {
		binds = append(binds, k.Resend)
	}
	return binds
}

// HelpTitle names the pane on the help screen.
func (c *Pane) HelpTitle() string { return "Public update" }

// FullHelp lists every key of the pane.
func (c *Pane) FullHelp() [][]key.Binding {
	k := c.keys
	return [][]key.Binding{{k.Edit, k.Done, k.Publish, k.Resend, k.Template, k.Undo, k.Findings}}
}
