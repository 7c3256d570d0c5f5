// Package preview shows the incident's Markdown export (the built-in
// layout, or the config's export_template) rendered with glamour, as the
// other teams will read it. It scrolls, writes the Markdown to a file and
// copies it to the clipboard with OSC 52.
//
// Rendering runs in a tea.Cmd: a template file is read and a long timeline
// takes glamour a moment, so Update never waits for it. A render is tagged
// with a sequence number and the width it was made for, so a stale result
// (the incident changed again, or the window was resized) is dropped.
package preview

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// previewRenderedMsg carries a finished render.
type previewRenderedMsg struct {
	seq      int
	width    int
	markdown []byte
	rendered string
	err      error
}

// previewWrittenMsg reports the Markdown written to a file, or that the
// file exists and was left alone (exists).
type previewWrittenMsg struct {
	path   string
	exists bool
	err    error
}

// previewCopiedMsg reports the Markdown copied to the clipboard.
type previewCopiedMsg struct{ delivery incident.Delivery }

// Model is the preview screen component.
type Model struct {
	ctx  *common.Context
	keys *common.PreviewKeys
	Vp   viewport.Model
	// Dir is the folder w offers first; when empty, the config's
	// export_dir, else the working directory.
	Dir string
	// path asks where to write (w opened it); overwrite is the path of
	// a file that exists, waiting for y before it is replaced.
	path      textinput.Model
	asking    bool
	overwrite string
	// replace is the question whether to replace overwrite.
	replace common.Question

	seq      int    // of the latest render asked for
	Markdown []byte // of the latest render shown
	err      error
	// stale means the incident or the width changed since the last render.
	// Components cannot start commands from SetSize or while hidden, so the
	// next message (the once-a-second tick at the latest) renders again
	// while the screen is in front.
	stale bool

	focused bool
	w, h    int
}

// New builds the preview screen for the incident on screen.
func New(ctx *common.Context) *Model {
	in := textinput.New()
	in.Prompt = ""
	in.Cursor.SetMode(cursor.CursorStatic)
	in.TextStyle = ctx.Styles.Text
	return &Model{ctx: ctx, keys: ctx.Keys.PreviewScreen, Vp: viewport.New(0, 0), path: in}
}

// Init renders the incident on screen.
func (p *Model) Init() tea.Cmd { return p.render() }

func (p *Model) SetSize(w, h int) common.Component {
	if w != p.w {
		p.stale = true // the word wrap depends on the width
	}
	p.w, p.h = w, h
	p.Vp.Width, p.Vp.Height = max(w, 1), max(h-1, 1)
	return p
}

func (p *Model) SetFocused(f bool) common.Component {
	p.focused = f
	return p
}

// Typing is true while the path is asked for (or an overwrite), so that
// letters, esc and ? reach the prompt; otherwise the preview takes
// single-letter keys only as commands.
func (p *Model) Typing() bool { return p.asking || p.overwrite != "" }

// render starts a render of the incident on screen at the current width.
func (p *Model) render() tea.Cmd {
	inc := p.ctx.Incident
	if inc == nil || p.w <= 0 {
		return nil
	}
	// The render runs in its own goroutine on a copy of the entries of
	// its own (the timeline keeps them, shared and copy-on-write).
	inc = p.ctx.WholeIncident()
	p.seq++
	p.stale = false
	seq, width, cfg, styles := p.seq, p.w, p.ctx.Config, p.ctx.Styles
	opts := export.Options{Policy: p.ctx.Policy(), Location: p.ctx.Now().Location(), Zone: p.ctx.Zone}
	return func() tea.Msg {
		msg := previewRenderedMsg{seq: seq, width: width}
		if cfg != nil && cfg.ExportTemplate != "" {
			t, err := export.LoadTemplate(cfg.ExportTemplate)
			if err != nil {
				msg.err = err
				return msg
			}
			opts.Template = t
		}
		md, err := export.Markdown(inc, opts)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.markdown = md
		msg.rendered, msg.err = common.RenderMarkdown(md, width, styles)
		return msg
	}
}

func (p *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case common.IncidentLoadedMsg:
		p.stale = true
	case previewRenderedMsg:
		if msg.seq != p.seq {
			return p, nil // a newer render is on its way
		}
		p.err = msg.err
		if msg.err != nil {
			return p, func() tea.Msg { return common.ErrMsg{Err: msg.err} }
		}
		p.Markdown = msg.markdown
		p.Vp.SetContent(msg.rendered)
		return p, nil
	case previewWrittenMsg:
		if msg.exists {
			p.overwrite = msg.path
			return p, p.replace.Ask(p.ctx)
		}
		if msg.err != nil {
			return p, func() tea.Msg { return common.ErrMsg{Err: msg.err} }
		}
		return p, func() tea.Msg { return common.StatusMsg{Text: "Wrote " + msg.path} }
	case previewCopiedMsg:
		d := msg.delivery
		if d.State == incident.DeliveryFailed {
			return p, func() tea.Msg { return common.ErrMsg{Err: fmt.Errorf("the Markdown was not copied: %s", d.Error)} }
		}
		return p, func() tea.Msg { return common.StatusMsg{Text: "Copied the Markdown to the clipboard"} }
	case tea.MouseMsg:
		p.Vp, cmd = p.Vp.Update(msg)
	case tea.KeyMsg:
		if p.focused {
			cmd = p.key(msg)
		}
	}
	if p.stale && p.focused {
		cmd = tea.Batch(cmd, p.render())
	}
	return p, cmd
}

func (p *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	if p.overwrite != "" {
		path := p.overwrite
		switch p.replace.Answer(p.ctx, msg, k.Replace, k.OtherPath) {
		case common.Yes:
			p.overwrite = ""
			p.replace.Close(p.ctx)
			return p.write(path, true)
		case common.No:
			// Back to the path, to choose another name.
			p.overwrite = ""
			p.replace.Close(p.ctx)
			p.asking = true
			return p.path.Focus()
		}
		return nil
	}
	if p.asking {
		switch {
		case key.Matches(msg, k.WritePath):
			return p.submitPath()
		case key.Matches(msg, k.CancelPath):
			p.asking = false
			p.path.Blur()
			return nil
		}
		var cmd tea.Cmd
		p.path, cmd = p.path.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Up):
		p.Vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		p.Vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		p.Vp.PageUp()
	case key.Matches(msg, k.PageDn):
		p.Vp.PageDown()
	case key.Matches(msg, k.Top):
		p.Vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		p.Vp.GotoBottom()
	case key.Matches(msg, k.Refresh):
		return p.render()
	case key.Matches(msg, k.Write):
		return p.askPath()
	case key.Matches(msg, k.Copy):
		return p.copy()
	}
	return nil
}

// askPath asks where to write the Markdown shown, offering INC-n-slug.md
// in Dir, the config's export_dir or the working directory: a file lands
// where the person says, never silently in whatever directory warroom
// happened to start from.
func (p *Model) askPath() tea.Cmd {
	if p.Markdown == nil || p.ctx.Incident == nil {
		return func() tea.Msg {
			return common.ErrMsg{Err: fmt.Errorf("the preview is not ready yet; wait for it to render")}
		}
	}
	dir := p.Dir
	if dir == "" && p.ctx.Config != nil {
		dir = p.ctx.Config.ExportDir
	}
	if dir == "" {
		dir, _ = os.Getwd()
	}
	p.asking = true
	// The width first: the input scrolls so the cursor, at the end with
	// the file name, stays in view when the path is longer than the row.
	p.path.Width = max(p.w-14, 10)
	p.path.SetValue(filepath.Join(dir, export.FileName(p.ctx.Incident)))
	p.path.CursorEnd()
	return p.path.Focus()
}

// submitPath writes to the path typed; a directory gets the file name.
func (p *Model) submitPath() tea.Cmd {
	path := strings.TrimSpace(p.path.Value())
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, rest)
		}
	}
	if path == "" {
		return func() tea.Msg {
			return common.ErrMsg{Err: fmt.Errorf("the path is empty; type where to write the file, or esc to cancel")}
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() && p.ctx.Incident != nil {
		path = filepath.Join(path, export.FileName(p.ctx.Incident))
	}
	p.asking = false
	p.path.Blur()
	return p.write(path, false)
}

// write saves the Markdown shown at path. Without overwrite an existing
// file is left alone and reported, so the person is asked first.
func (p *Model) write(path string, overwrite bool) tea.Cmd {
	data := p.Markdown
	return func() tea.Msg {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if !overwrite {
			flags |= os.O_EXCL
		}
		f, err := os.OpenFile(path, flags, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return previewWrittenMsg{path: path, exists: true}
		}
		if err != nil {
			why := err.Error()
			if errors.Is(err, fs.ErrNotExist) {
				why = "its folder does not exist; create it or choose another path"
			}
			return previewWrittenMsg{err: fmt.Errorf("cannot write %s: %s", path, why)}
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return previewWrittenMsg{err: fmt.Errorf("cannot write %s: %v", path, err)}
		}
		return previewWrittenMsg{path: path}
	}
}

// copy puts the Markdown on the clipboard through the terminal (OSC 52).
func (p *Model) copy() tea.Cmd {
	if p.Markdown == nil {
		return func() tea.Msg {
			return common.ErrMsg{Err: fmt.Errorf("the preview is not ready yet; wait for it to render")}
		}
	}
	term := p.ctx.Terminal
	if term == nil {
		return func() tea.Msg {
			return common.ErrMsg{Err: fmt.Errorf("there is no terminal to copy through; use w to write a file instead")}
		}
	}
	text, now, tmux := string(p.Markdown), p.ctx.Now(), os.Getenv("TMUX") != ""
	return func() tea.Msg { return previewCopiedMsg{notify.Copy(term, text, tmux, now)} }
}

func (p *Model) View() string {
	s := p.ctx.Styles
	title := "Preview"
	if inc := p.ctx.Incident; inc != nil {
		title += " · " + inc.Key() + " · " + export.FileName(inc)
	}
	var state string
	switch {
	case p.err != nil:
		state = s.Error.Render("render failed (see the status line)")
	case p.Markdown == nil:
		state = s.Muted.Render("rendering…")
	default:
		state = s.Muted.Render(fmt.Sprintf("%3.0f%%", p.Vp.ScrollPercent()*100))
	}
	head := lipgloss.JoinHorizontal(lipgloss.Top, s.PaneTitleFocused.Render(title), "  ", state)
	head = lipgloss.NewStyle().MaxWidth(p.w).Render(head)
	body := p.Vp.View()
	if p.Markdown == nil && p.err == nil {
		body = lipgloss.Place(p.w, p.Vp.Height, lipgloss.Center, lipgloss.Center, s.Muted.Render("Rendering the export…"))
	}
	if ask := p.askLine(); ask != "" {
		// The question takes the last row, where the eye goes after w.
		lines := strings.Split(body, "\n")
		lines[len(lines)-1] = ask
		body = strings.Join(lines, "\n")
	}
	return lipgloss.NewStyle().Width(p.w).Height(p.h).MaxHeight(p.h).Render(lipgloss.JoinVertical(lipgloss.Left, head, body))
}

// askLine is the path prompt or the overwrite question, or "".
func (p *Model) askLine() string {
	s := p.ctx.Styles
	switch {
	case p.overwrite != "":
		return common.Fit(s.Warn.Bold(true).Render(" "+common.Cut(incident.CleanLine(p.overwrite), max(p.w-57, 10))+" exists."+p.replace.Answers(p.ctx, " y/enter replaces it · n/esc picks another path")), p.w)
	case p.asking:
		return common.Fit(s.Prompt.Render(" Write to › ")+p.path.View(), p.w)
	}
	return ""
}

func (p *Model) ShortHelp() []key.Binding {
	k := p.keys
	switch {
	case p.overwrite != "":
		return []key.Binding{k.Replace, k.OtherPath}
	case p.asking:
		return []key.Binding{k.WritePath, k.CancelPath}
	}
	return []key.Binding{k.Up, k.PageUp, k.Top, k.Write, k.Copy, k.Refresh}
}

func (p *Model) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDn, k.Top, k.Bottom}, {k.Write, k.Copy, k.Refresh}}
}
