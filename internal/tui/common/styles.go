package common

import (
	"os"
	"strings"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Theme is the palette. Each colour adapts to light and dark terminals.
type Theme struct {
	Text, Muted, Faint, Border, Accent lipgloss.TerminalColor
	Red, Amber, Green, Blue, Magenta   lipgloss.TerminalColor
	Cyan, SelectBg                     lipgloss.TerminalColor
}

// DefaultTheme is calm: mostly greys, colour only where it carries meaning
// (severity, status, kinds, the countdown).
func DefaultTheme() Theme {
	// The hues are exact xterm-256 cube colours, so 256-colour terminals
	// (and tmux) show what true-colour terminals show. The greys name their
	// 256-colour and 16-colour forms too: the automatic conversion sends
	// dark greys to near-black, which would hide the selection.
	grey := func(light, light256, light16, dark, dark256, dark16 string) lipgloss.TerminalColor {
		return lipgloss.CompleteAdaptiveColor{
			Light: lipgloss.CompleteColor{TrueColor: light, ANSI256: light256, ANSI: light16},
			Dark:  lipgloss.CompleteColor{TrueColor: dark, ANSI256: dark256, ANSI: dark16},
		}
	}
	return Theme{
		Text:     grey("#1c1c1c", "234", "0", "#d0d0d0", "252", "7"),
		Muted:    grey("#585858", "240", "8", "#a8a8a8", "248", "7"),
		Faint:    grey("#8a8a8a", "245", "8", "#6c6c6c", "242", "8"),
		Border:   grey("#d0d0d0", "252", "7", "#444444", "238", "8"),
		SelectBg: grey("#e4e4e4", "254", "7", "#303030", "236", "8"),
		Accent:   lipgloss.AdaptiveColor{Light: "#005faf", Dark: "#87afd7"},
		Red:      lipgloss.AdaptiveColor{Light: "#af0000", Dark: "#d75f5f"},
		Amber:    lipgloss.AdaptiveColor{Light: "#875f00", Dark: "#d7af5f"},
		Green:    lipgloss.AdaptiveColor{Light: "#00875f", Dark: "#87af87"},
		Blue:     lipgloss.AdaptiveColor{Light: "#005fd7", Dark: "#5fafff"},
		Magenta:  lipgloss.AdaptiveColor{Light: "#875faf", Dark: "#d787d7"},
		Cyan:     lipgloss.AdaptiveColor{Light: "#008787", Dark: "#5fafaf"},
	}
}

// Styles are every look the views use; views hold no colour literals.
type Styles struct {
	Renderer *lipgloss.Renderer
	Theme    Theme
	// edges keeps the rendered pieces of pane borders (see edge).
	edges *edgeMemo
	// look is what colours a piece (memo.go), taken once.
	lookOnce sync.Once
	look     Look

	Text, Muted, Faint, Bold, Accent lipgloss.Style
	Error, Warn, OK                  lipgloss.Style

	// Header.
	ID, Title, Label lipgloss.Style
	Severity         map[incident.Severity]lipgloss.Style
	Status           map[incident.Status]lipgloss.Style

	// Panes.
	Border, BorderFocused       lipgloss.Style
	PaneTitle, PaneTitleFocused lipgloss.Style

	// Timeline.
	Time, Author    lipgloss.Style
	Kind            map[incident.Kind]lipgloss.Style
	Starred         lipgloss.Style
	Selected        lipgloss.Style
	Gap, DateLine   lipgloss.Style
	Deleted         lipgloss.Style
	SelectionMarker lipgloss.Style

	// Capture line and help.
	Prompt, PromptEdit, Hint   lipgloss.Style
	HelpKey, HelpDesc, HelpSep lipgloss.Style
}

// NewStyles builds the styles for a renderer (the local terminal's, or an
// SSH session's). With NO_COLOR set, colours are dropped; marks and glyphs
// still tell kinds and selection apart.
func NewStyles(r *lipgloss.Renderer, t Theme) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	if os.Getenv("NO_COLOR") != "" {
		r.SetColorProfile(termenv.Ascii)
	}
	n := r.NewStyle
	for _, c := range []*lipgloss.TerminalColor{&t.Text, &t.Muted, &t.Faint, &t.Border, &t.Accent, &t.Red, &t.Amber, &t.Green, &t.Blue, &t.Magenta, &t.Cyan, &t.SelectBg} {
		*c = resolveColor(*c)
	}
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return n().Foreground(c) }
	s := &Styles{Renderer: r, Theme: t, edges: &edgeMemo{m: map[edgeKey]string{}}}
	s.Text = fg(t.Text)
	s.Muted = fg(t.Muted)
	s.Faint = fg(t.Faint)
	s.Bold = fg(t.Text).Bold(true)
	s.Accent = fg(t.Accent)
	s.Error = fg(t.Red)
	s.Warn = fg(t.Amber)
	s.OK = fg(t.Green)

	s.ID = fg(t.Accent).Bold(true)
	s.Title = fg(t.Text).Bold(true)
	s.Label = fg(t.Faint)
	s.Severity = map[incident.Severity]lipgloss.Style{
		1: fg(t.Red).Bold(true).Reverse(true),
		2: fg(t.Red).Bold(true),
		3: fg(t.Amber).Bold(true),
		4: fg(t.Muted).Bold(true),
	}
	s.Status = map[incident.Status]lipgloss.Style{
		incident.Investigating: fg(t.Amber).Bold(true),
		incident.Identified:    fg(t.Blue).Bold(true),
		incident.Monitoring:    fg(t.Cyan).Bold(true),
		incident.Resolved:      fg(t.Green).Bold(true),
	}

	s.Border = fg(t.Border)
	s.BorderFocused = fg(t.Accent)
	s.PaneTitle = fg(t.Muted).Bold(true)
	s.PaneTitleFocused = fg(t.Accent).Bold(true)

	s.Time = fg(t.Faint)
	s.Author = fg(t.Faint)
	s.Kind = map[incident.Kind]lipgloss.Style{
		incident.KindNote:      fg(t.Text),
		incident.KindAction:    fg(t.Amber),
		incident.KindDecision:  fg(t.Magenta),
		incident.KindQuestion:  fg(t.Cyan),
		incident.KindMilestone: fg(t.Green),
		incident.KindStatus:    fg(t.Blue),
		incident.KindRole:      fg(t.Muted),
		incident.KindPublic:    fg(t.Accent),
		incident.KindSystem:    fg(t.Faint),
	}
	s.Starred = fg(t.Amber).Bold(true)
	s.Selected = n().Background(t.SelectBg)
	s.Gap = fg(t.Faint).Italic(true)
	s.DateLine = fg(t.Muted).Bold(true)
	s.Deleted = fg(t.Faint).Strikethrough(true)
	s.SelectionMarker = fg(t.Accent).Bold(true)

	s.Prompt = fg(t.Accent).Bold(true)
	s.PromptEdit = fg(t.Amber).Bold(true)
	s.Hint = fg(t.Faint)
	s.HelpKey = fg(t.Muted)
	s.HelpDesc = fg(t.Faint)
	s.HelpSep = fg(t.Border)
	return s
}

// kindStyle returns the colour of an entry kind, plain text for unknown ones.
func (s *Styles) KindStyle(k incident.Kind) lipgloss.Style {
	if st, ok := s.Kind[k]; ok {
		return st
	}
	return s.Text
}

// severityStyle returns the look of a severity.
func (s *Styles) SeverityStyle(v incident.Severity) lipgloss.Style {
	if st, ok := s.Severity[v]; ok {
		return st
	}
	return s.Bold
}

// statusStyle returns the look of a status.
func (s *Styles) StatusStyle(v incident.Status) lipgloss.Style {
	if st, ok := s.Status[v]; ok {
		return st
	}
	return s.Bold
}

// Paint is a style reduced to the escape sequences around its text, so the
// hot path (timeline rows, drawn for every visible row of every frame)
// colours text without lipgloss's per-call layout work. Only for styles
// without padding, margins, borders or width.
type Paint struct{ pre, post string }

func NewPaint(s lipgloss.Style) Paint {
	r := s.Render("X")
	i := strings.Index(r, "X")
	if i < 0 {
		return Paint{}
	}
	return Paint{pre: r[:i], post: r[i+1:]}
}

// of colours s.
func (p Paint) Of(s string) string {
	if p.pre == "" && p.post == "" {
		return s
	}
	return p.pre + s + p.post
}

// edgeMemo keeps rendered pieces of pane borders and titles: lipgloss
// renders a string through every property of its style, and a frame has
// a dozen such pieces that are the same every frame.
type edgeMemo struct {
	mu sync.Mutex
	m  map[edgeKey]string
}

type edgeKey struct {
	focused bool
	kind    byte // 'b' border, 't' title
	text    string
}

// edge renders text in the border ('b') or pane title ('t') style,
// focused or not, once.
func (s *Styles) edge(focused bool, kind byte, text string) string {
	style := s.Border
	switch {
	case kind == 't' && focused:
		style = s.PaneTitleFocused
	case kind == 't':
		style = s.PaneTitle
	case focused:
		style = s.BorderFocused
	}
	if s.edges == nil {
		return style.Render(text)
	}
	k := edgeKey{focused: focused, kind: kind, text: text}
	s.edges.mu.Lock()
	out, ok := s.edges.m[k]
	s.edges.mu.Unlock()
	if ok {
		return out
	}
	out = style.Render(text)
	s.edges.mu.Lock()
	if len(s.edges.m) > 512 {
		clear(s.edges.m) // sizes and titles come and go
	}
	s.edges.m[k] = out
	s.edges.mu.Unlock()
	return out
}
