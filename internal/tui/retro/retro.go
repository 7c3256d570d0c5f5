// Package retro is the retrospective screen: a list of the retro's sections
// on the left, with a mark for each that has content, and the editor of the
// selected section on the right. Free-text sections (Introduction and any
// from the config) use a textarea saved as it is typed and can be handed to
// $EDITOR; the Timeline
// section analyses the incident and flags possible deficiencies; Five whys
// and Actions are structured editors. Every change records its author as a
// contributor of the section it touched.
//
// Files: retro.go (the screen and its store commands), text.go (free text
// and $EDITOR), timeline.go, whys.go, actions.go, form.go (the small form
// whys and actions use) and keep.go (a half-filled form kept across quits).
package retro

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// sectionKind says which editor a section gets.
type sectionKind int

const (
	kindText sectionKind = iota
	kindTimeline
	kindWhys
	kindActions
)

func kindOf(title string) sectionKind {
	switch {
	case strings.EqualFold(title, incident.SectionTimeline):
		return kindTimeline
	case strings.EqualFold(title, incident.SectionWhys):
		return kindWhys
	case strings.EqualFold(title, incident.SectionActions):
		return kindActions
	}
	return kindText
}

// SavedMsg reports a retro change that reached the store. what is the
// note for the status line; "" for saves as you type, which stay quiet.
type SavedMsg struct {
	id    int64
	what  string
	retro incident.Retro
	// Saves says how each free-text section saved landed, for merges.
	Saves map[string]sectionSave
}

// retroSections returns the configured section titles.
func retroSections(ctx *common.Context) []string {
	if ctx.Config == nil {
		return incident.DefaultSections
	}
	return ctx.Config.Sections()
}

// newActionUID names a new action; crypto/rand.Text is unique enough to
// merge teammates' copies without collisions.
func newActionUID() string { return strings.ToLower(rand.Text()[:16]) }

// retroWriteCmd changes the retro in one store transaction. fn gets the
// stored retro with the configured sections in place, the author and the
// time; its error (one sentence) goes to the status line and nothing is
// saved.
func retroWriteCmd(ctx *common.Context, what string, fn func(r *incident.Retro, author string, now time.Time) error) tea.Cmd {
	return retroMergeCmd(ctx, what, func(r *incident.Retro, author string, now time.Time) (string, error) {
		return "", fn(r, author, now)
	})
}

// retroMergeCmd is retroWriteCmd for changes that may meet a teammate's:
// fn's note, when not empty, replaces what in the status line.
func retroMergeCmd(ctx *common.Context, what string, fn func(r *incident.Retro, author string, now time.Time) (string, error)) tea.Cmd {
	st, id, author, now, sections := ctx.Store, ctx.IncidentID, ctx.Author, ctx.Now(), retroSections(ctx)
	if st == nil || id == 0 {
		return common.ErrCmd(common.ErrNoIncident)
	}
	return ctx.Write(func() tea.Msg {
		note := ""
		r, err := st.UpdateRetro(id, author, now, func(r *incident.Retro) error {
			incident.EnsureSections(r, sections)
			incident.FillActionUIDs(r, newActionUID)
			n, err := fn(r, author, now)
			note = n
			incident.FillActionUIDs(r, newActionUID)
			return err
		})
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		if note != "" {
			what = note
		}
		return SavedMsg{id: id, what: what, retro: r}
	})
}

// TextSaver writes free text as it is typed. Saves go through the ordered
// write path, and each takes, when it runs, the newest text of every
// section then pending, so the last save to land holds the last text typed.
// It also keeps, per section, the revision this program last wrote or
// adopted: a save is made on that copy, so only a teammate's edit in
// between makes it merge (never overwrite) in the store.
type TextSaver struct {
	mu      sync.Mutex // guards pending and base
	pending map[string]string
	base    map[string]store.Edit
}

func (s *TextSaver) Set(title, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = map[string]string{}
	}
	s.pending[title] = text
}

// has reports whether text for title is waiting to be written.
func (s *TextSaver) has(title string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.pending[title]
	return ok
}

// adopt records a stored revision shown on screen, unless a newer one was
// written meanwhile.
func (s *TextSaver) adopt(title string, rev int64, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base == nil {
		s.base = map[string]store.Edit{}
	}
	if rev >= s.base[title].BaseRev {
		s.base[title] = store.Edit{BaseRev: rev, Base: text}
	}
}

// sectionSave is how one section's save landed: what was sent and what the
// store holds now.
type sectionSave struct {
	sent   string
	Merged store.Merged
}

// SaveCmd writes whatever is pending; nil when nothing is.
func (s *TextSaver) SaveCmd(ctx *common.Context) tea.Cmd {
	s.mu.Lock()
	n := len(s.pending)
	s.mu.Unlock()
	if n == 0 || ctx.Store == nil || ctx.IncidentID == 0 {
		return nil
	}
	st, id, author, now, sections := ctx.Store, ctx.IncidentID, ctx.Author, ctx.Now(), retroSections(ctx)
	return ctx.Write(func() tea.Msg {
		s.mu.Lock()
		todo := s.pending
		s.pending = nil
		s.mu.Unlock()
		if len(todo) == 0 {
			return nil
		}
		saves := map[string]sectionSave{}
		var retro incident.Retro
		var failed error
		for title, text := range todo {
			s.mu.Lock()
			b := s.base[title]
			s.mu.Unlock()
			m, r, err := st.SetSectionText(id, title, store.Edit{BaseRev: b.BaseRev, Base: b.Base, Text: text}, author, now, sections)
			if err != nil {
				failed = err
				// Keep the text for the next save unless newer text arrived.
				s.mu.Lock()
				if _, newer := s.pending[title]; !newer {
					if s.pending == nil {
						s.pending = map[string]string{}
					}
					s.pending[title] = text
				}
				s.mu.Unlock()
				continue
			}
			s.adopt(title, m.Rev, m.Text)
			saves[title] = sectionSave{sent: text, Merged: m}
			retro = r
		}
		if failed != nil {
			return common.ErrMsg{Err: fmt.Errorf("the retro text was not saved (%w); it is kept and saved with the next change", failed)}
		}
		return SavedMsg{id: id, retro: retro, Saves: saves}
	})
}

// retroFocus is where the keys go on the retro screen.
type retroFocus int

const (
	focusSections retroFocus = iota
	FocusEditor
)

// Model is the retro screen component.
type Model struct {
	ctx   *common.Context
	keys  *common.RetroKeys
	saver *TextSaver

	// retro is the stored retro with the configured sections in place.
	retro incident.Retro
	// loaded is false until the first incident arrives.
	loaded bool
	sel    int
	Focus  retroFocus
	// notes is set while the Timeline section's notes are being edited.
	notes bool

	Text     retroText
	Timeline retroTimeline
	Whys     retroWhys
	Actions  retroActions

	focused bool
	w, h    int
	// keptForm is the form state last kept for a quit (see retro_keep.go);
	// formArmed is set while its longest-wait save tick is pending.
	keptForm  string
	formArmed bool
}

// New builds the retro screen for the incident on screen.
func New(ctx *common.Context) *Model {
	keys := ctx.Keys.RetroScreen
	saver := &TextSaver{}
	s := &Model{
		ctx: ctx, keys: keys, saver: saver,
		Text:     newRetroText(ctx, keys, saver),
		Timeline: newRetroTimeline(ctx, keys),
		Whys:     retroWhys{ctx: ctx, keys: keys},
		Actions:  retroActions{ctx: ctx, keys: keys},
	}
	s.load()
	return s
}

// Init has nothing to start: the incident arrives with the root's loads.
func (s *Model) Init() tea.Cmd { return s.loadFormCmd() }

// Flush writes text typed but not yet saved; the root runs it on quit.
func (s *Model) Flush() tea.Cmd {
	return tea.Batch(s.saver.SaveCmd(s.ctx), s.saveFormCmd())
}

// load takes the retro from the incident on screen.
func (s *Model) load() {
	inc := s.ctx.Incident
	if inc == nil {
		return
	}
	s.setRetro(inc.Retro)
	s.Timeline.setIncident(inc)
	s.loaded = true
}

// setRetro shows a retro: the stored one with the configured sections in
// place. Slices are cloned so that nothing here writes into ctx.Incident.
func (s *Model) setRetro(r incident.Retro) {
	r.Sections = slices.Clone(r.Sections)
	for i := range r.Sections {
		r.Sections[i].Contributors = slices.Clone(r.Sections[i].Contributors)
	}
	r.Whys = slices.Clone(r.Whys)
	r.Actions = slices.Clone(r.Actions)
	incident.EnsureSections(&r, retroSections(s.ctx))
	s.retro = r
	s.sel = min(s.sel, max(len(r.Sections)-1, 0))
	s.Whys.setRetro(&s.retro)
	s.Actions.setRetro(&s.retro)
	s.syncText()
}

// Current is the selected section's title.
func (s *Model) Current() string {
	if s.sel < 0 || s.sel >= len(s.retro.Sections) {
		return ""
	}
	return s.retro.Sections[s.sel].Title
}

// TextTitle is the section the text editor shows: the selected free-text
// section, or Timeline while its notes are edited; "" when none.
func (s *Model) TextTitle() string {
	t := s.Current()
	switch kindOf(t) {
	case kindText:
		return t
	case kindTimeline:
		if s.notes {
			return t
		}
	}
	return ""
}

// syncText points the text editor at the section it should show.
func (s *Model) syncText() {
	title := s.TextTitle()
	if title == "" {
		return
	}
	var sec incident.Section
	if p := s.retro.Section(title); p != nil {
		sec = *p
	}
	s.Text.show(title, sec, s.saver.has(title))
}

func (s *Model) SetSize(w, h int) common.Component {
	s.w, s.h = w, h
	ew, eh := s.editorSize()
	s.Text.setSize(ew-2, eh-2)
	s.Timeline.setSize(ew-2, eh-2)
	s.Whys.w, s.Whys.h = ew-2, eh-2
	s.Actions.w, s.Actions.h = ew-2, eh-2
	return s
}

func (s *Model) SetFocused(f bool) common.Component {
	s.focused = f
	if !f {
		s.Text.blur()
	} else if s.Focus == FocusEditor && s.TextTitle() != "" {
		s.Text.focus()
	}
	return s
}

// Typing is true while the editor has the keys, so that esc comes back to
// the section list (and then to the cockpit) and letters reach the editors.
func (s *Model) Typing() bool { return s.focused && s.Focus == FocusEditor }

// listWidth is the section list's width.
func (s *Model) listWidth() int { return min(max(s.w/4, 24), 32) }

// editorSize is the editor box's outer size.
func (s *Model) editorSize() (int, int) {
	return max(s.w-s.listWidth(), 10), max(s.h-1, 3)
}

func (s *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.IncidentLoadedMsg:
		s.load()
		return s, nil
	case SavedMsg:
		if msg.id != s.ctx.IncidentID || !s.loaded {
			// A write for an incident no longer on screen.
			return s, nil
		}
		cmds := []tea.Cmd{func() tea.Msg { return common.ReloadMsg{} }}
		if sv, ok := msg.Saves[s.Text.title]; ok {
			cmds = append(cmds, s.Text.landed(sv))
		}
		s.setRetro(msg.retro)
		if msg.what != "" {
			what := msg.what
			cmds = append(cmds, func() tea.Msg { return common.StatusMsg{Text: what} })
		}
		return s, tea.Batch(cmds...)
	case retroFormSaveMsg:
		if msg.force {
			s.formArmed = false
		}
		return s, s.saveFormCmd()
	case retroFormLoadedMsg:
		if msg.id != s.ctx.IncidentID {
			return s, nil
		}
		return s, s.restoreForm(msg.form)
	case TextSaveMsg, retroEditorReadyMsg, retroEditorDoneMsg:
		var cmd tea.Cmd
		s.Text, cmd = s.Text.update(msg)
		return s, cmd
	case tea.KeyMsg:
		if !s.focused {
			return s, nil
		}
		if s.Focus == focusSections {
			return s.sectionsKey(msg)
		}
		return s.editorKey(msg)
	case tea.MouseMsg:
		if s.Focus == FocusEditor && kindOf(s.Current()) == kindTimeline && !s.notes {
			s.Timeline.wheel(msg)
		}
		return s, nil
	}
	if s.Focus == FocusEditor {
		// Cursor blinks and other input-internal messages.
		return s.editorKey(msg)
	}
	return s, nil
}

func (s *Model) sectionsKey(msg tea.KeyMsg) (common.Component, tea.Cmd) {
	k := s.keys
	switch {
	case key.Matches(msg, k.Up):
		s.selectSection(s.sel - 1)
	case key.Matches(msg, k.Down):
		s.selectSection(s.sel + 1)
	case key.Matches(msg, k.Open):
		return s, s.openEditor()
	case key.Matches(msg, k.External):
		title := s.Current()
		if kindOf(title) == kindTimeline {
			s.notes = true
			s.syncText()
		} else if kindOf(title) != kindText {
			return s, common.ErrCmd(fmt.Errorf("%s is not free text; press enter to edit it here", title))
		}
		return s, s.Text.external()
	case key.Matches(msg, k.Final):
		return s, s.toggleFinal()
	}
	return s, nil
}

// selectSection moves the selection, saving text typed in the section left.
func (s *Model) selectSection(i int) {
	if i < 0 || i >= len(s.retro.Sections) || i == s.sel {
		return
	}
	s.sel = i
	s.notes = false
	s.syncText()
}

// openEditor gives the keys to the selected section's editor.
func (s *Model) openEditor() tea.Cmd {
	if !s.loaded {
		return nil
	}
	s.Focus = FocusEditor
	if s.TextTitle() != "" {
		return s.Text.focus()
	}
	return nil
}

// closeEditor gives the keys back to the section list and saves the text.
func (s *Model) closeEditor() tea.Cmd {
	s.Focus = focusSections
	s.Text.blur()
	cmd := s.saver.SaveCmd(s.ctx)
	if s.notes {
		s.notes = false
	}
	return cmd
}

func (s *Model) toggleFinal() tea.Cmd {
	next := incident.RetroFinal
	if s.retro.Status == incident.RetroFinal {
		next = incident.RetroDraft
	}
	note := "Retro marked final"
	if next == incident.RetroDraft {
		note = "Retro reopened as a draft"
	}
	return tea.Batch(s.saver.SaveCmd(s.ctx), retroWriteCmd(s.ctx, note, func(r *incident.Retro, _ string, _ time.Time) error {
		_, err := incident.SetRetroStatus(r, next)
		return err
	}))
}

func (s *Model) editorKey(msg tea.Msg) (common.Component, tea.Cmd) {
	km, isKey := msg.(tea.KeyMsg)
	var cmd tea.Cmd
	switch kindOf(s.Current()) {
	case kindText:
		if isKey && key.Matches(km, s.keys.Cancel) {
			return s, s.closeEditor()
		}
		s.Text, cmd = s.Text.update(msg)
	case kindTimeline:
		if s.notes {
			if isKey && key.Matches(km, s.keys.Cancel) {
				s.notes = false
				s.Text.blur()
				return s, s.saver.SaveCmd(s.ctx)
			}
			s.Text, cmd = s.Text.update(msg)
			return s, cmd
		}
		if !isKey {
			s.Timeline, cmd = s.Timeline.update(msg)
			return s, cmd
		}
		if !s.Timeline.typing() {
			switch {
			case key.Matches(km, s.keys.Cancel):
				return s, s.closeEditor()
			case key.Matches(km, s.keys.Notes):
				s.notes = true
				s.syncText()
				return s, s.Text.focus()
			case key.Matches(km, s.keys.External):
				s.notes = true
				s.syncText()
				return s, s.Text.external()
			}
		}
		s.Timeline, cmd = s.Timeline.update(msg)
	case kindWhys:
		if isKey && key.Matches(km, s.keys.Cancel) && !s.Whys.typing() {
			return s, s.closeEditor()
		}
		s.Whys, cmd = s.Whys.update(msg)
		cmd = tea.Batch(cmd, s.formChanged())
	case kindActions:
		if isKey && key.Matches(km, s.keys.Cancel) && !s.Actions.typing() {
			return s, s.closeEditor()
		}
		s.Actions, cmd = s.Actions.update(msg)
		cmd = tea.Batch(cmd, s.formChanged())
	}
	return s, cmd
}

// View draws the top line, the section list and the editor.
func (s *Model) View() string {
	if s.w <= 0 || s.h <= 0 {
		return ""
	}
	st := s.ctx.Styles
	if !s.loaded {
		return common.FitBlock(st.Faint.Render(" loading the retro…"), s.w, s.h)
	}
	top := s.topLine()
	lw := s.listWidth()
	ew, eh := s.editorSize()
	list := common.Box(st, "Sections", "", s.sectionLines(lw-2), lw, eh, s.Focus == focusSections)
	title := s.Current()
	note := ""
	if sec := s.retro.Section(title); sec != nil && len(sec.Contributors) > 0 {
		names := make([]string, len(sec.Contributors))
		for i, c := range sec.Contributors {
			names[i] = incident.CleanLine(c)
		}
		note = st.Faint.Render(common.Cut("by "+strings.Join(names, ", "), max(ew/2, 8)))
	}
	target := "section:" + title
	switch kindOf(title) {
	case kindWhys:
		target = "whys"
	case kindActions:
		target = "actions"
	}
	if who := common.EditorsNote(s.ctx, target); who != "" {
		note = st.Warn.Render(common.Cut(who, max(ew/2, 8)))
	}
	boxTitle := incident.CleanLine(title)
	if s.notes {
		boxTitle += " notes"
	}
	editor := common.Box(st, boxTitle, note, s.editorLines(ew-2, eh-2), ew, eh, s.Focus == FocusEditor)
	return top + "\n" + common.JoinH(list, editor)
}

// topLine names the retro and shows its status and due time.
func (s *Model) topLine() string {
	st := s.ctx.Styles
	inc := s.ctx.Incident
	now := s.ctx.Now()
	left := " " + st.ID.Render(inc.Key()) + "  " + st.Title.Render("Retrospective") + "  " + st.Muted.Render(incident.CleanLine(inc.Title))
	status := s.retro.Status
	if status == "" {
		status = incident.RetroDraft
	}
	stStyle := st.Warn
	if status == incident.RetroFinal {
		stStyle = st.OK
	}
	right := stStyle.Render(strings.ToUpper(string(status)))
	view := *inc
	view.Retro = s.retro
	if due, ok := incident.RetroDue(&view, s.ctx.Policy()); ok {
		dueS := st.Label.Render("  due ") + st.Text.Render(common.ClockAt(due, now))
		if over, late := incident.RetroOverdue(&view, s.ctx.Policy(), now); late {
			dueS = st.Label.Render("  due ") + st.Error.Render(common.ClockAt(due, now)+" OVERDUE +"+incident.FormatDuration(over))
		} else if status != incident.RetroFinal {
			dueS += st.Faint.Render(" (in " + incident.FormatDuration(due.Sub(now)) + ")")
		}
		right += dueS
	} else {
		after := s.ctx.Policy().RetroDueAfter
		if after <= 0 {
			after = incident.DefaultPolicy().RetroDueAfter
		}
		right += st.Faint.Render("  due " + incident.FormatDuration(after) + " after resolved")
	}
	return common.Spread(left, "  "+right+" ", s.w)
}

// sectionLines lists the sections with a mark for those with content.
func (s *Model) sectionLines(w int) []string {
	st := s.ctx.Styles
	var out []string
	for i, sec := range s.retro.Sections {
		mark := st.Faint.Render("○")
		if s.hasContent(sec.Title) {
			mark = st.OK.Render("●")
		}
		name := incident.CleanLine(sec.Title)
		line := " " + mark + " " + name
		if i == s.sel {
			line = st.SelectionMarker.Render("›") + mark + " " + st.Bold.Render(name)
			line = st.Selected.Render(common.Fit(line, w))
		}
		out = append(out, line)
	}
	out = append(out, "")
	all := s.retro.Contributors()
	if len(all) > 0 {
		out = append(out, " "+st.Label.Render("Contributors"))
		for _, c := range all {
			out = append(out, "  "+st.Muted.Render(incident.CleanLine(c)))
		}
		out = append(out, "")
	}
	if n := s.retro.OpenActions(); n > 0 {
		out = append(out, " "+st.Muted.Render(fmt.Sprintf("%d open action%s", n, common.Plural(n, "", "s"))))
	}
	if n := len(s.retro.OverdueActions(s.ctx.Now())); n > 0 {
		out = append(out, " "+st.Error.Render(fmt.Sprintf("%d overdue", n)))
	}
	out = append(out, " "+st.Hint.Render(common.Cut("F marks draft/final", w-1)))
	return out
}

// hasContent is the section list's mark: text, whys, actions, or for the
// timeline, anything on it.
func (s *Model) hasContent(title string) bool {
	if s.retro.HasContent(title) {
		return true
	}
	if kindOf(title) == kindTimeline && s.ctx.Incident != nil {
		return slices.ContainsFunc(s.ctx.Incident.Entries, func(e incident.Entry) bool { return !e.Deleted })
	}
	return false
}

// editorLines renders the selected section's editor at inner size w×h.
func (s *Model) editorLines(w, h int) []string {
	switch kindOf(s.Current()) {
	case kindTimeline:
		if s.notes {
			return s.Text.view(w, h, s.Focus == FocusEditor)
		}
		return s.Timeline.view(w, h, s.Focus == FocusEditor)
	case kindWhys:
		return s.Whys.view(w, h, s.Focus == FocusEditor)
	case kindActions:
		return s.Actions.view(w, h, s.Focus == FocusEditor)
	}
	return s.Text.view(w, h, s.Focus == FocusEditor)
}

func (s *Model) ShortHelp() []key.Binding {
	k := s.keys
	if s.Focus == focusSections {
		open := k.Open
		ext := k.External
		ext.SetEnabled(kindOf(s.Current()) != kindWhys && kindOf(s.Current()) != kindActions)
		return []key.Binding{k.Up, open, ext, k.Final, common.WithHelp(s.ctx.Keys.Back, "cockpit")}
	}
	var binds []key.Binding
	switch kindOf(s.Current()) {
	case kindText:
		binds = s.Text.shortHelp()
	case kindTimeline:
		if s.notes {
			binds = s.Text.shortHelp()
		} else {
			binds = s.Timeline.shortHelp()
		}
	case kindWhys:
		binds = s.Whys.shortHelp()
	case kindActions:
		binds = s.Actions.shortHelp()
	}
	return binds
}

func (s *Model) FullHelp() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Open, k.Cancel, k.Final, k.External},
		{k.Add, k.Edit, k.Delete, k.MoveUp, k.Root, k.Toggle},
		{k.Star, k.Annotate, k.Notes, k.PageUp},
	}
}
