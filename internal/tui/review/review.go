// Package review is the review meeting: the retro shown read-only, one
// section at a time as the other teams will read it (the Markdown export
// rendered with glamour), with a line at the bottom where anyone in the
// room types a question or a suggestion about the section on screen. Each
// becomes a review comment with its author, shown under the section and
// exported under "Review".
//
// One person presents: whoever opens the review when nobody else is
// presenting. The presenter's section is kept in a shared record in the
// database ("review"), refreshed every few seconds, so everyone else in
// the review — another terminal, every SSH session of `warroom serve` —
// follows it. A presenter who leaves or drops stops being one after
// presenterFresh; anyone can take over with ctrl+p.
package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

const (
	// stateName is the shared record of who presents which section.
	stateName = "review"
	// presenterEvery is how often the presenter refreshes the record, and
	// presenterFresh how old it may be before the presenter counts as gone.
	presenterEvery = 4 * time.Second
	presenterFresh = 12 * time.Second
	// Overview and Wrap-up are the pages around the retro's sections.
	overviewPage = "Overview"
	wrapUpPage   = "Review"
)

// lineName is the per-person record of a half-typed comment.
func lineName(author string) string { return "review-line:" + author }

// presenting is the shared record.
type presenting struct {
	Presenter string    `json:"presenter"`
	Page      string    `json:"page"`
	At        time.Time `json:"at"`
}

// page is one step of the walk-through.
type page struct {
	Title    string
	Markdown []byte
}

// Messages of this screen's own commands.
type (
	pagesMsg struct {
		seq   int
		pages []page
		err   error
	}
	renderedMsg struct {
		seq, width int
		title      string
		text       string
		err        error
	}
	stateMsg struct {
		state presenting
		ok    bool
	}
	lineLoadedMsg   struct{ text string }
	commentSavedMsg struct {
		uid string
		err error
		// note is said once it is saved ("" for the usual).
		note string
	}
)

// Model is the review screen.
type Model struct {
	ctx   *common.Context
	keys  *common.ReviewKeys
	pages []page
	sel   int
	vp    viewport.Model
	input textinput.Model

	// presenter is who presents ("" while nobody is known to), and
	// beatAt when this program last wrote the record as the presenter.
	presenter string
	beatAt    time.Time
	// pending holds comments sent but not yet seen in a reload, so they
	// show at once, marked as saving.
	pending []incident.ReviewComment

	// typedOn is the page the comment on the line was begun on: it is
	// about that page, wherever the presenter has moved since.
	typedOn string
	// Standalone is set when the program was started as the review
	// (warroom review): leaving it quits, back to the shell it came from.
	Standalone bool

	seq      int // of the latest page load
	rseq     int // of the latest render
	rendered string
	stale    bool
	err      error
	focused  bool
	w, h     int
}

// New builds the review screen for the incident on screen.
func New(ctx *common.Context) *Model {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = "a question or a suggestion about this section, then enter"
	in.CharLimit = incident.MaxTextBytes
	in.PromptStyle = ctx.Styles.Prompt
	in.TextStyle = ctx.Styles.Text
	in.PlaceholderStyle = ctx.Styles.Faint
	in.Focus()
	return &Model{ctx: ctx, keys: ctx.Keys.ReviewScreen, vp: viewport.New(0, 0), input: in}
}

// Init loads the pages, the shared record and a comment kept from last time.
func (r *Model) Init() tea.Cmd {
	return tea.Batch(r.loadPages(), r.readState(), r.loadLine())
}

func (r *Model) SetSize(w, h int) common.Component {
	if w != r.w {
		r.stale = true
	}
	r.w, r.h = w, h
	r.input.Width = max(w-6, 1)
	// The input scrolls its text by the width it had; set again, it
	// measures against the new one.
	pos := r.input.Position()
	r.input.SetValue(r.input.Value())
	r.input.SetCursor(pos)
	r.layout()
	return r
}

func (r *Model) SetFocused(f bool) common.Component {
	r.focused = f
	if f {
		r.input.Focus()
	} else {
		r.input.Blur()
	}
	return r
}

// Typing is true: the comment line always has the cursor.
func (r *Model) Typing() bool { return r.focused }

// TakingText: letters go to the comment line.
func (r *Model) TakingText() bool { return r.focused }

// Current is the title of the page on screen.
func (r *Model) Current() string {
	if r.sel < 0 || r.sel >= len(r.pages) {
		return ""
	}
	return r.pages[r.sel].Title
}

// Presenting reports whether this person presents.
func (r *Model) Presenting() bool { return r.presenter == r.ctx.Author }

// Presenter is who presents, "" when nobody does.
func (r *Model) Presenter() string { return r.presenter }

// Flush keeps a half-typed comment and, for the presenter, ends the
// presentation so the room is not left following nobody: on quit, and on
// leaving the review.
func (r *Model) Flush() tea.Cmd {
	st, id := r.ctx.Store, r.ctx.IncidentID
	cmds := []tea.Cmd{r.ctx.Write(common.SaveLineCmd(st, id, lineName(r.ctx.Author), r.input.Value()))}
	if r.Presenting() {
		r.presenter = ""
		cmds = append(cmds, r.ctx.Write(common.SaveLineCmd(st, id, stateName, "")))
	}
	return tea.Batch(cmds...)
}

// loadPages reads the whole incident (the screen's copy may hold only the
// tail of a long timeline) and cuts its export into pages.
func (r *Model) loadPages() tea.Cmd {
	st, id := r.ctx.Store, r.ctx.IncidentID
	if st == nil || id == 0 {
		return nil
	}
	r.seq++
	seq := r.seq
	opts := export.Options{Policy: r.ctx.Policy(), Location: r.ctx.Now().Location(), Zone: r.ctx.Zone}
	sections := incident.DefaultSections
	if r.ctx.Config != nil {
		sections = r.ctx.Config.Sections()
	}
	return func() tea.Msg {
		inc, err := st.Incident(id)
		if err != nil {
			return pagesMsg{seq: seq, err: err}
		}
		incident.EnsureSections(&inc.Retro, sections)
		md, err := export.Markdown(inc, opts)
		if err != nil {
			return pagesMsg{seq: seq, err: err}
		}
		return pagesMsg{seq: seq, pages: walkThrough(inc.Retro, export.Split(md))}
	}
}

// walkThrough orders the export's parts into the walk-through: an overview (the
// title, roles, metrics and updates), each retro section in the retro's
// order (Five whys with its contributing factors), then every comment.
func walkThrough(r incident.Retro, parts []export.Part) []page {
	find := func(title string) []byte {
		for _, p := range parts {
			if strings.EqualFold(p.Title, title) {
				return p.Markdown
			}
		}
		return nil
	}
	taken := map[string]bool{"contributing factors": true, "review": true, "contributors": true}
	for _, s := range r.Sections {
		taken[strings.ToLower(export.Inline(s.Title))] = true
	}
	var overview []byte
	for _, p := range parts {
		if !taken[strings.ToLower(p.Title)] {
			overview = append(overview, p.Markdown...)
		}
	}
	pages := []page{{Title: overviewPage, Markdown: overview}}
	for _, s := range r.Sections {
		md := slices.Clone(find(export.Inline(s.Title)))
		if strings.EqualFold(s.Title, incident.SectionWhys) {
			md = append(md, find("Contributing factors")...)
		}
		pages = append(pages, page{Title: s.Title, Markdown: md})
	}
	return append(pages, page{Title: wrapUpPage, Markdown: find("Review")})
}

// render renders the page on screen at the current width.
func (r *Model) render() tea.Cmd {
	if r.sel >= len(r.pages) || r.w <= 0 {
		return nil
	}
	r.rseq++
	r.stale = false
	seq, width, p, styles := r.rseq, r.w, r.pages[r.sel], r.ctx.Styles
	return func() tea.Msg {
		text, err := common.RenderMarkdown(p.Markdown, width, styles)
		return renderedMsg{seq: seq, width: width, title: p.Title, text: text, err: err}
	}
}

// readState reads who presents.
func (r *Model) readState() tea.Cmd {
	return common.ReadStateCmd(r.ctx, stateName, func(v string) tea.Msg {
		var p presenting
		if v == "" || json.Unmarshal([]byte(v), &p) != nil {
			return stateMsg{}
		}
		return stateMsg{state: p, ok: true}
	})
}

// loadLine reads a comment half-typed last time.
func (r *Model) loadLine() tea.Cmd {
	return common.ReadStateCmd(r.ctx, lineName(r.ctx.Author), func(v string) tea.Msg { return lineLoadedMsg{text: v} })
}

// present makes this person the presenter of the page on screen.
func (r *Model) present() tea.Cmd {
	r.presenter = r.ctx.Author
	r.beatAt = r.ctx.Now()
	data, _ := json.Marshal(presenting{Presenter: r.ctx.Author, Page: r.Current(), At: r.beatAt.UTC()})
	return r.ctx.Write(common.SaveLineCmd(r.ctx.Store, r.ctx.IncidentID, stateName, string(data)))
}

// follow applies the shared record: another person presenting moves this
// screen to their page; nobody presenting makes this person the presenter.
func (r *Model) follow(msg stateMsg) tea.Cmd {
	now := r.ctx.Now()
	fresh := msg.ok && msg.state.Presenter != "" && now.Sub(msg.state.At) <= presenterFresh
	switch {
	case fresh && msg.state.Presenter != r.ctx.Author:
		if r.Presenting() && r.beatAt.After(msg.state.At) {
			// Our own newer record is on its way; theirs is older.
			return nil
		}
		r.presenter = msg.state.Presenter
		if r.goTo(msg.state.Page) {
			return r.render()
		}
		return nil
	case fresh:
		r.presenter = r.ctx.Author
		return nil
	}
	if r.focused && len(r.pages) > 0 {
		return r.present()
	}
	r.presenter = ""
	return nil
}

// goTo selects the page titled title and reports whether it moved.
func (r *Model) goTo(title string) bool {
	i := slices.IndexFunc(r.pages, func(p page) bool { return strings.EqualFold(p.Title, title) })
	if i < 0 || i == r.sel {
		return false
	}
	r.sel = i
	r.vp.GotoTop()
	return true
}

func (r *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	// The comments under the page come and go with reloads and sends;
	// the page's rows follow here, so View only draws.
	defer r.layout()
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case common.IncidentLoadedMsg:
		r.dropLanded()
		if r.focused {
			cmd = r.loadPages()
		} else {
			r.stale = true
		}
		return r, cmd
	case pagesMsg:
		if msg.seq != r.seq {
			return r, nil
		}
		if msg.err != nil {
			r.err = msg.err
			return r, common.ErrCmd(msg.err)
		}
		cur := r.Current()
		r.pages = msg.pages
		if !r.goTo(cur) {
			r.sel = min(r.sel, len(r.pages)-1)
		}
		return r, r.render()
	case renderedMsg:
		if msg.seq != r.rseq {
			return r, nil
		}
		if msg.err != nil {
			return r, common.ErrCmd(msg.err)
		}
		r.rendered = msg.text
		r.vp.SetContent(msg.text)
		return r, nil
	case stateMsg:
		return r, r.follow(msg)
	case lineLoadedMsg:
		if r.input.Value() == "" && msg.text != "" {
			r.input.SetValue(msg.text)
			r.input.CursorEnd()
			r.typedOn = r.Current()
		}
		return r, nil
	case commentSavedMsg:
		if msg.err != nil {
			// Not stored: the text goes back on the line, nothing is lost.
			for i, c := range r.pending {
				if c.UID == msg.uid {
					if r.input.Value() == "" {
						r.input.SetValue(c.Text)
						r.input.CursorEnd()
					}
					r.pending = slices.Delete(r.pending, i, i+1)
					break
				}
			}
			return r, common.ErrCmd(msg.err)
		}
		note := msg.note
		if note == "" {
			note = "Comment saved"
		}
		return r, tea.Batch(func() tea.Msg { return common.ReloadMsg{} }, func() tea.Msg { return common.StatusMsg{Text: note} })
	case common.TickMsg:
		if !r.focused {
			return r, nil
		}
		cmds := []tea.Cmd{r.readState()}
		if r.Presenting() && r.ctx.Now().Sub(r.beatAt) >= presenterEvery {
			cmds = append(cmds, r.present())
		}
		if r.stale {
			cmds = append(cmds, r.loadPages())
		}
		return r, tea.Batch(cmds...)
	case tea.MouseMsg:
		r.vp, cmd = r.vp.Update(msg)
		return r, cmd
	case tea.KeyMsg:
		if !r.focused {
			return r, nil
		}
		return r, r.key(msg)
	}
	if r.focused {
		r.input, cmd = r.input.Update(msg)
	}
	return r, cmd
}

func (r *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := r.keys
	switch {
	case key.Matches(msg, k.Leave) && r.Standalone:
		// Back where the review started: the shell. Quitting saves.
		return func() tea.Msg { return common.QuitMsg{} }
	case key.Matches(msg, k.Leave):
		return tea.Batch(r.Flush(), func() tea.Msg { return common.SwitchScreenMsg{Screen: common.ScreenCockpit} })
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		if r.presenter != "" && !r.Presenting() {
			who := incident.CleanLine(r.presenter)
			return common.ErrCmd(fmt.Errorf("%s is presenting and this screen follows their section; ctrl+p presents instead", who))
		}
		d := 1
		if key.Matches(msg, k.Prev) {
			d = -1
		}
		i := r.sel + d
		if i < 0 || i >= len(r.pages) {
			return nil
		}
		r.sel = i
		r.vp.GotoTop()
		return tea.Batch(r.render(), r.present())
	case key.Matches(msg, k.Present):
		if r.Presenting() {
			return nil
		}
		return tea.Batch(r.present(), func() tea.Msg {
			return common.StatusMsg{Text: "You present now; tab moves the room to the next section"}
		})
	case key.Matches(msg, k.Up):
		r.vp.ScrollUp(1)
		return nil
	case key.Matches(msg, k.Down):
		r.vp.ScrollDown(1)
		return nil
	case key.Matches(msg, k.PageUp):
		r.vp.HalfPageUp()
		return nil
	case key.Matches(msg, k.PageDn):
		r.vp.HalfPageDown()
		return nil
	case key.Matches(msg, k.Send):
		return r.send()
	}
	var cmd tea.Cmd
	r.input, cmd = r.input.Update(msg)
	switch {
	case r.input.Value() == "":
		r.typedOn = ""
	case r.typedOn == "":
		r.typedOn = r.Current()
	}
	return cmd
}

// send stores the comment line as a review comment on the page on screen.
func (r *Model) send() tea.Cmd {
	text := strings.TrimSpace(incident.CleanLine(r.input.Value()))
	if text == "" {
		return common.ErrCmd(fmt.Errorf("type a question or a suggestion first, then enter"))
	}
	// The comment is about the page it was begun on, even when the
	// presenter has moved the room on meanwhile.
	section := r.Current()
	var note string
	if r.typedOn != "" && r.typedOn != section && slices.ContainsFunc(r.pages, func(p page) bool { return p.Title == r.typedOn }) {
		note = fmt.Sprintf("Saved under %s, where you began typing it; the room is on %s now", incident.CleanLine(r.typedOn), incident.CleanLine(section))
		section = r.typedOn
	}
	r.typedOn = ""
	st, id, author, now := r.ctx.Store, r.ctx.IncidentID, r.ctx.Author, r.ctx.Now()
	uid := store.NewUID()
	r.pending = append(r.pending, incident.ReviewComment{UID: uid, At: now, Author: author, Section: section, Text: text})
	r.input.Reset()
	return tea.Batch(
		r.ctx.Write(common.SaveLineCmd(st, id, lineName(author), "")),
		r.ctx.Write(func() tea.Msg {
			_, err := st.UpdateRetro(id, author, now, func(rt *incident.Retro) error {
				_, err := incident.AddReviewComment(rt, section, text, author, now, func() string { return uid })
				return err
			})
			return commentSavedMsg{uid: uid, err: err, note: note}
		}))
}

// dropLanded forgets pending comments the loaded incident holds.
func (r *Model) dropLanded() {
	inc := r.ctx.Incident
	if inc == nil {
		return
	}
	r.pending = slices.DeleteFunc(r.pending, func(p incident.ReviewComment) bool {
		return slices.ContainsFunc(inc.Retro.Review, func(c incident.ReviewComment) bool { return c.UID == p.UID })
	})
}

// comments are the stored and pending comments on the page on screen.
func (r *Model) comments() (stored, pending []incident.ReviewComment) {
	title := r.Current()
	if title == wrapUpPage {
		return nil, nil // the page itself lists every comment
	}
	if inc := r.ctx.Incident; inc != nil {
		stored = inc.Retro.ReviewOn(title)
	}
	for _, p := range r.pending {
		if strings.EqualFold(p.Section, title) {
			pending = append(pending, p)
		}
	}
	return stored, pending
}

// commentRows is how many rows the comments under the page take.
func (r *Model) commentRows() int {
	stored, pending := r.comments()
	n := len(stored) + len(pending)
	if n == 0 {
		return 0
	}
	return 1 + min(n, max(r.h/4, 2))
}

// layout sizes the page viewport: the top line, the comments and the
// comment line take their rows, the page the rest.
func (r *Model) layout() {
	r.vp.Width = max(r.w, 1)
	r.vp.Height = max(r.h-1-r.commentRows()-2, 1)
}

func (r *Model) View() string {
	if r.w <= 0 || r.h <= 0 {
		return ""
	}
	st := r.ctx.Styles
	var b strings.Builder
	b.WriteString(r.topLine())
	b.WriteByte('\n')
	if len(r.pages) == 0 {
		b.WriteString(common.FitBlock(st.Faint.Render(" loading the retro…"), r.w, r.vp.Height))
	} else {
		b.WriteString(common.FitBlock(r.vp.View(), r.w, r.vp.Height))
	}
	b.WriteByte('\n')
	if rows := r.commentRows(); rows > 0 {
		stored, pending := r.comments()
		lines := []string{" " + st.Label.Render(fmt.Sprintf("Questions and suggestions on %s (%d)", incident.CleanLine(r.Current()), len(stored)+len(pending)))}
		var all []string
		now := r.ctx.Now()
		for _, c := range stored {
			all = append(all, "  "+st.Muted.Render(common.ClockAt(c.At.In(now.Location()), now)+" "+incident.CleanLine(c.Author)+": ")+st.Text.Render(incident.CleanLine(c.Text)))
		}
		for _, c := range pending {
			all = append(all, "  "+st.Muted.Render(common.ClockAt(c.At.In(now.Location()), now)+" "+incident.CleanLine(c.Author)+": ")+st.Text.Render(incident.CleanLine(c.Text))+st.Faint.Render(" saving…"))
		}
		if len(all) > rows-1 {
			all = all[len(all)-(rows-1):] // the latest
		}
		for _, l := range append(lines, all...) {
			b.WriteString(common.Cut(l, r.w))
			b.WriteByte('\n')
		}
	}
	b.WriteString(st.Faint.Render(strings.Repeat("─", r.w)))
	b.WriteByte('\n')
	b.WriteString(common.Cut(" "+r.input.View(), r.w))
	return b.String()
}

// topLine names the meeting, the page and who presents.
func (r *Model) topLine() string {
	st := r.ctx.Styles
	inc := r.ctx.Incident
	left := " " + st.Title.Render("Review meeting")
	if inc != nil {
		left = " " + st.ID.Render(inc.Key()) + "  " + st.Title.Render("Review meeting") + "  " + st.Muted.Render(incident.CleanLine(inc.Title))
	}
	where := ""
	if len(r.pages) > 0 {
		where = st.Bold.Render(incident.CleanLine(r.Current())) + st.Faint.Render(fmt.Sprintf(" %d/%d", r.sel+1, len(r.pages)))
		if r.vp.TotalLineCount() > r.vp.Height {
			// The page runs on below: say how far down this is.
			where += st.Faint.Render(fmt.Sprintf(" ↓%.0f%%", r.vp.ScrollPercent()*100))
		}
	}
	who := st.Faint.Render("  nobody presents")
	switch {
	case r.Presenting():
		who = st.OK.Render("  you present")
	case r.presenter != "":
		who = st.Warn.Render("  following " + incident.CleanLine(r.presenter))
	}
	return common.Spread(left, "  "+where+who+" ", r.w)
}

func (r *Model) ShortHelp() []key.Binding {
	k := r.keys
	next := k.Next
	next.SetEnabled(r.presenter == "" || r.Presenting())
	present := k.Present
	present.SetEnabled(!r.Presenting())
	return []key.Binding{k.Send, next, k.Up, present, k.Leave}
}

func (r *Model) FullHelp() [][]key.Binding {
	k := r.keys
	return [][]key.Binding{{k.Send, k.Next, k.Prev, k.Present}, {k.Up, k.Down, k.PageUp, k.PageDn, k.Leave}}
}
