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
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// perspectivePrefix marks the text editor's key for this person's own
// perspective of a section (TextSaver saves those with SetPerspective).
const perspectivePrefix = "\x00perspective\x00"

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
	// notes is set while the Timeline section's notes are being edited,
	// perspective while this person's own perspective of the selected
	// section is.
	notes, perspective bool

	Text     retroText
	Timeline retroTimeline
	Whys     retroWhys
	Factors  retroFactors
	Actions  retroActions
	// OnFactors is set while the Five whys editor's keys go to the
	// contributing factors rather than the chain (tab switches).
	OnFactors bool

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
		Factors:  retroFactors{ctx: ctx, keys: keys},
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
	// Whole: the analysis, the evidence and its picker read every entry
	// (the incident on screen keeps them in the timeline).
	inc := s.ctx.WholeIncident()
	if inc == nil {
		return
	}
	s.Factors.inc = inc
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
	r.Factors = slices.Clone(r.Factors)
	for i := range r.Factors {
		r.Factors[i].Evidence = slices.Clone(r.Factors[i].Evidence)
	}
	r.Actions = slices.Clone(r.Actions)
	r.Review = slices.Clone(r.Review)
	incident.EnsureSections(&r, retroSections(s.ctx))
	s.retro = r
	s.sel = min(s.sel, max(len(r.Sections)-1, 0))
	s.Whys.setRetro(&s.retro)
	s.Factors.setRetro(&s.retro)
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
	if s.perspective && t != "" {
		return perspectivePrefix + t
	}
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
	if section, ok := strings.CutPrefix(title, perspectivePrefix); ok {
		// One's own perspective: nobody else writes it, so no revision.
		sec = incident.Section{Title: title, Text: s.retro.PerspectiveOf(section, s.ctx.Author)}
	} else if p := s.retro.Section(title); p != nil {
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
	case key.Matches(msg, k.Perspective):
		return s, s.openPerspective()
	}
	return s, nil
}

// openPerspective opens this person's own perspective of the selected
// section in the text editor.
func (s *Model) openPerspective() tea.Cmd {
	if !s.loaded || s.Current() == "" {
		return nil
	}
	s.notes, s.perspective = false, true
	s.Focus = FocusEditor
	s.syncText()
	return s.Text.focus()
}

// selectSection moves the selection, saving text typed in the section left.
func (s *Model) selectSection(i int) {
	if i < 0 || i >= len(s.retro.Sections) || i == s.sel {
		return
	}
	s.sel = i
	s.notes, s.perspective = false, false
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
	if s.perspective {
		if isKey && key.Matches(km, s.keys.Cancel) {
			s.perspective = false
			cmd := s.closeEditor()
			// The section pane shows the section again: its synthesis,
			// not the perspective just written.
			s.syncText()
			return s, cmd
		}
		s.Text, cmd = s.Text.update(msg)
		return s, cmd
	}
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
		return s.whysKey(msg)
	case kindActions:
		if isKey && key.Matches(km, s.keys.Cancel) && !s.Actions.typing() {
			return s, s.closeEditor()
		}
		s.Actions, cmd = s.Actions.update(msg)
		cmd = tea.Batch(cmd, s.formChanged())
	}
	return s, cmd
}

// whysKey handles the Five whys editor: the chain and, beside it, the
// contributing factors; tab moves between the two, f adds a factor from
// either.
func (s *Model) whysKey(msg tea.Msg) (common.Component, tea.Cmd) {
	km, isKey := msg.(tea.KeyMsg)
	k := s.keys
	var cmd tea.Cmd
	if s.OnFactors {
		if isKey && !s.Factors.typing() {
			switch {
			case key.Matches(km, k.Cancel):
				return s, s.closeEditor()
			case key.Matches(km, k.SwitchList):
				s.OnFactors = false
				return s, nil
			}
		}
		s.Factors, cmd = s.Factors.update(msg, s.Whys.w)
		return s, tea.Batch(cmd, s.formChanged())
	}
	if isKey && !s.Whys.typing() {
		switch {
		case key.Matches(km, k.Cancel):
			return s, s.closeEditor()
		case key.Matches(km, k.SwitchList):
			s.OnFactors = true
			return s, nil
		case key.Matches(km, k.Factor):
			s.OnFactors = true
			s.Factors.openForm(incident.Factor{}, false, s.Whys.w)
			return s, s.formChanged()
		}
	}
	s.Whys, cmd = s.Whys.update(msg)
	return s, tea.Batch(cmd, s.formChanged())
}
