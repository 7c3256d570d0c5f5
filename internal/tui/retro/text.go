package retro

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// retroSaveAfter is how long typing must pause before the text is written.
// Short: a quit right after typing also flushes, so this only bounds how
// often the file is written.
const retroSaveAfter = 400 * time.Millisecond

// TextSaveMsg fires after typing pauses; seq tells whether more typing
// happened since.
type TextSaveMsg struct {
	Seq   int
	force bool
}

// retroEditorReadyMsg reports the temp file written for $EDITOR.
type retroEditorReadyMsg struct {
	title, path string
	err         error
}

// retroEditorDoneMsg brings back what $EDITOR left in the file.
type retroEditorDoneMsg struct {
	title, text string
	err         error
}

// retroText edits one free-text section in a textarea, saved as it is
// typed, and hands the text to $VISUAL or $EDITOR on ctrl+e.
type retroText struct {
	ctx   *common.Context
	keys  *common.RetroKeys
	saver *TextSaver
	Area  textarea.Model
	title string
	// stored is the section's text in the store as last seen, at rev;
	// synced is what the area showed after taking it, to tell local edits
	// from other people's.
	stored, synced string
	rev            int64
	Seq            int
	armed          bool
	w, h           int
}

func newRetroText(ctx *common.Context, keys *common.RetroKeys, saver *TextSaver) retroText {
	st := ctx.Styles
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.CharLimit = 0
	ta.MaxHeight = 0 // the default stops at 99 lines
	ta.EndOfBufferCharacter = ' '
	ta.Cursor.SetMode(cursor.CursorStatic)
	ta.Cursor.Style = st.Accent
	for _, s := range []*textarea.Style{&ta.FocusedStyle, &ta.BlurredStyle} {
		plain := st.Renderer.NewStyle()
		s.Base, s.CursorLineNumber, s.LineNumber, s.Prompt = plain, plain, plain, plain
		// The cursor's line in the colour of the others: a plain one drew
		// the paragraph the cursor rests in apart from the rest.
		s.Text, s.CursorLine = st.Text, st.Text
		s.Placeholder = st.Faint
		s.EndOfBuffer = st.Faint
	}
	ta.Blur()
	return retroText{ctx: ctx, keys: keys, saver: saver, Area: ta}
}

func (t *retroText) setSize(w, h int) {
	t.w, t.h = w, h
	t.Area.SetWidth(max(w-1, 1))
	t.Area.SetHeight(max(h-2, 1))
}

// show points the editor at a section. Text typed here and not yet stored
// is never replaced, nor is anything by a copy older than the one shown;
// otherwise the stored text (perhaps a teammate's) is shown.
func (t *retroText) show(title string, sec incident.Section, pending bool) {
	if title != t.title {
		t.title = title
		t.Area.Placeholder = sectionPlaceholder(title)
		t.stored, t.rev = sec.Text, sec.Rev
		t.saver.adopt(title, sec.Rev, sec.Text)
		t.setValue(sec.Text)
		return
	}
	if sec.Rev < t.rev || sec.Text == t.stored {
		return
	}
	t.stored, t.rev = sec.Text, sec.Rev
	switch cur := t.Area.Value(); {
	case cur == incident.CleanText(sec.Text):
		// Our own save came back.
		t.synced = cur
		t.saver.adopt(title, sec.Rev, sec.Text)
	case !pending && cur == t.synced && !t.Area.Focused():
		t.saver.adopt(title, sec.Rev, sec.Text)
		t.setValue(sec.Text)
	default:
		// A teammate's change arrives while this person writes here: it
		// is merged into what they typed, saved or not, and their cursor
		// stays where they were typing; the next save stores the merge.
		base := t.synced
		t.saver.adopt(title, sec.Rev, sec.Text)
		t.synced = incident.CleanText(sec.Text)
		if merged := common.Rebase(&t.Area, base, t.synced); merged != t.synced {
			t.saver.Set(title, merged)
		}
	}
}

// landed takes a save's result: when a teammate had changed the section
// meanwhile their words were merged in, so the editor shows the merge with
// anything typed since the save on top, and says who.
func (t *retroText) landed(sv sectionSave) tea.Cmd {
	m := sv.Merged
	if m.Rev >= t.rev {
		t.stored, t.rev = m.Text, m.Rev
	}
	if !m.Merged || m.Text == sv.sent {
		t.synced = incident.CleanText(sv.sent)
		return nil
	}
	local := incident.Merge3(sv.sent, t.Area.Value(), m.Text).Text
	common.Replace(&t.Area, incident.CleanText(local))
	t.synced = incident.CleanText(m.Text)
	who := incident.CleanLine(m.By)
	if who == "" {
		who = "someone"
	}
	note := who + " changed " + t.title + " while you typed; their words are merged into yours"
	if m.Conflict {
		note = who + " changed the same lines of " + t.title + " while you typed; both versions are kept, theirs first"
	}
	cmds := []tea.Cmd{func() tea.Msg { return common.StatusMsg{Text: note} }}
	if t.Area.Value() != t.synced {
		cmds = append(cmds, t.changed(t.Area.Value()))
	}
	return tea.Batch(cmds...)
}

// setValue shows stored text. Escape sequences and carriage returns are
// stripped first: the textarea would draw the rest of a sequence as text
// and turn "\r\n" into two line breaks.
func (t *retroText) setValue(stored string) {
	t.Area.SetValue(incident.CleanText(stored))
	t.synced = t.Area.Value()
}

func (t *retroText) focus() tea.Cmd { return t.Area.Focus() }
func (t *retroText) blur()          { t.Area.Blur() }

// changed records an edit and schedules its save.
func (t *retroText) changed(v string) tea.Cmd {
	t.Seq++
	t.saver.Set(t.title, v)
	seq := t.Seq
	return common.SaveTicks(retroSaveAfter, &t.armed, func(force bool) tea.Msg { return TextSaveMsg{Seq: seq, force: force} })
}

func (t retroText) update(msg tea.Msg) (retroText, tea.Cmd) {
	switch msg := msg.(type) {
	case TextSaveMsg:
		if msg.force {
			t.armed = false
		}
		if msg.force || msg.Seq == t.Seq {
			return t, t.saver.SaveCmd(t.ctx)
		}
		return t, nil
	case retroEditorReadyMsg:
		if msg.err != nil {
			return t, common.ErrCmd(msg.err)
		}
		return t, runEditorCmd(msg.title, msg.path)
	case retroEditorDoneMsg:
		if msg.err != nil {
			return t, common.ErrCmd(msg.err)
		}
		if msg.title == t.title {
			if incident.CleanText(msg.text) == t.Area.Value() {
				return t, func() tea.Msg { return common.StatusMsg{Text: "No change from the editor"} }
			}
			t.Area.SetValue(incident.CleanText(msg.text))
			t.synced = t.Area.Value()
			t.Seq++
		}
		t.saver.Set(msg.title, incident.CleanText(msg.text))
		return t, tea.Batch(t.saver.SaveCmd(t.ctx), func() tea.Msg { return common.StatusMsg{Text: "Text from the editor saved"} })
	case tea.KeyMsg:
		if key.Matches(msg, t.keys.External) {
			return t, t.external()
		}
		if !t.Area.Focused() {
			return t, nil
		}
		before := t.Area.Value()
		var cmd tea.Cmd
		t.Area, cmd = t.Area.Update(msg)
		if v := t.Area.Value(); v != before {
			return t, tea.Batch(cmd, t.changed(v))
		}
		return t, cmd
	}
	var cmd tea.Cmd
	t.Area, cmd = t.Area.Update(msg)
	return t, cmd
}

// external opens the section's text in $VISUAL or $EDITOR.
func (t *retroText) external() tea.Cmd {
	if t.title == "" {
		return nil
	}
	return writeEditorFileCmd(t.title, t.Area.Value())
}

// editorArgs is the command line of the user's editor: $VISUAL, then
// $EDITOR (either may carry flags, e.g. "code --wait"), else vi.
func editorArgs() []string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(os.Getenv(v)); len(f) > 0 {
			return f
		}
	}
	return []string{"vi"}
}

// writeEditorFileCmd puts the text in a temp file for the editor.
func writeEditorFileCmd(title, text string) tea.Cmd {
	return func() tea.Msg {
		f, err := os.CreateTemp("", "warroom-retro-*.md")
		if err != nil {
			return retroEditorReadyMsg{err: fmt.Errorf("cannot make a temporary file for the editor (%v); check that $TMPDIR is writable", err)}
		}
		if text != "" && !strings.HasSuffix(text, "\n") {
			// Editors expect a last newline; without it an appended line
			// would join the last one.
			text += "\n"
		}
		_, werr := f.WriteString(text)
		cerr := f.Close()
		if err := errors.Join(werr, cerr); err != nil {
			_ = os.Remove(f.Name())
			return retroEditorReadyMsg{err: fmt.Errorf("cannot write the temporary file for the editor (%v); check the free space in $TMPDIR", err)}
		}
		return retroEditorReadyMsg{title: title, path: f.Name()}
	}
}

// runEditorCmd suspends the program, runs the editor on path, and reads the
// file back. The file is removed afterwards either way.
func runEditorCmd(title, path string) tea.Cmd {
	args := editorArgs()
	c := exec.Command(args[0], append(args[1:], path)...)
	return tea.ExecProcess(c, func(err error) tea.Msg {
		defer os.Remove(path)
		if err != nil {
			return retroEditorDoneMsg{err: fmt.Errorf("the editor %s failed (%v); the text is unchanged, set $VISUAL or $EDITOR to an editor that works", args[0], err)}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return retroEditorDoneMsg{err: fmt.Errorf("cannot read back the editor's file (%v); the text is unchanged", err)}
		}
		// Editors end files with a newline the textarea would show as an
		// empty last line.
		return retroEditorDoneMsg{title: title, text: strings.TrimRight(string(data), "\n")}
	})
}

// sectionPlaceholder guides an empty section: the Introduction asks the
// handbook's three questions one per line.
func sectionPlaceholder(title string) string {
	if section, ok := strings.CutPrefix(title, perspectivePrefix); ok {
		return "Your own view of " + section + ": what you saw, did and thought. Only you write it; the section's text is the synthesis."
	}
	if strings.EqualFold(title, incident.SectionIntroduction) {
		return strings.ReplaceAll(incident.IntroductionGuide, "? ", "?\n")
	}
	return incident.SectionGuide(title)
}

// view renders the editor at inner size w×h: the guide once there is text
// (the placeholder shows it before), the textarea and a hint.
func (t retroText) view(w, h int, focused bool) []string {
	st := t.ctx.Styles
	guide := ""
	if t.Area.Value() != "" {
		g := incident.SectionGuide(t.title)
		if strings.HasPrefix(t.title, perspectivePrefix) {
			g = sectionPlaceholder(t.title)
		}
		guide = st.Muted.Render(common.Cut(g, w-1))
	}
	out := []string{" " + guide}
	for _, l := range strings.Split(t.Area.View(), "\n") {
		out = append(out, " "+l)
	}
	out = out[:min(len(out), max(h-1, 1))]
	for len(out) < h-1 {
		out = append(out, "")
	}
	hint := "enter edits · ctrl+e opens $EDITOR"
	if focused {
		hint = "saved as you type · ctrl+e opens $EDITOR · esc back"
	}
	return append(out, " "+st.Hint.Render(common.Cut(hint, w-1)))
}

func (t retroText) shortHelp() []key.Binding {
	return []key.Binding{t.keys.External, common.WithHelp(t.keys.Cancel, "back")}
}
