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
	"fmt"
	"os"
	"path/filepath"

	"github.com/charmbracelet/bubbles/key"
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

// previewWrittenMsg reports the Markdown written to a file.
type previewWrittenMsg struct {
	path string
	err  error
}

// previewCopiedMsg reports the Markdown copied to the clipboard.
type previewCopiedMsg struct{ delivery incident.Delivery }

// Model is the preview screen component.
type Model struct {
	ctx  *common.Context
	keys *common.PreviewKeys
	Vp   viewport.Model
	// Dir is where w writes the file: the working directory unless set.
	Dir string

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
	return &Model{ctx: ctx, keys: ctx.Keys.PreviewScreen, Vp: viewport.New(0, 0), Dir: "."}
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

// Typing is false: the preview takes single-letter keys only as commands.
func (p *Model) Typing() bool { return false }

// render starts a render of the incident on screen at the current width.
func (p *Model) render() tea.Cmd {
	inc := p.ctx.Incident
	if inc == nil || p.w <= 0 {
		return nil
	}
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
		return p.write()
	case key.Matches(msg, k.Copy):
		return p.copy()
	}
	return nil
}

// write saves the Markdown shown as INC-n-slug.md in the preview's folder.
func (p *Model) write() tea.Cmd {
	if p.Markdown == nil || p.ctx.Incident == nil {
		return func() tea.Msg {
			return common.ErrMsg{Err: fmt.Errorf("the preview is not ready yet; wait for it to render")}
		}
	}
	path := filepath.Join(p.Dir, export.FileName(p.ctx.Incident))
	data := p.Markdown
	return func() tea.Msg {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return previewWrittenMsg{err: fmt.Errorf("cannot write %s: %v", path, err)}
		}
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
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
	return lipgloss.NewStyle().Width(p.w).Height(p.h).MaxHeight(p.h).Render(lipgloss.JoinVertical(lipgloss.Left, head, body))
}

func (p *Model) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{k.Up, k.PageUp, k.Top, k.Write, k.Copy, k.Refresh}
}

func (p *Model) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDn, k.Top, k.Bottom}, {k.Write, k.Copy, k.Refresh}}
}
