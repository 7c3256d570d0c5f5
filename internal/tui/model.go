package tui

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/list"
	"github.com/warroom-cli/warroom/internal/tui/preview"
	"github.com/warroom-cli/warroom/internal/tui/retro"
	"github.com/warroom-cli/warroom/internal/tui/viewer"
)

// newScreen builds the full screen s (nil for screens the root draws
// itself). This is the plug-in point for full screens: add a case per
// screen. A screen gets the whole terminal but the status line; esc (when it
// is not Typing) and the screen keys bring the cockpit back. It is built
// when first shown, kept while the incident stays open, and rebuilt for
// another incident.
func newScreen(ctx *common.Context, s common.Screen) common.Component {
	switch s {
	case common.ScreenRetro:
		return retro.New(ctx)
	case common.ScreenPreview:
		return preview.New(ctx)
	}
	return nil
}

// MinWidth and MinHeight are the smallest terminal the program draws in.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Options are the root model's dependencies.
type Options struct {
	Store  *store.Store
	Config *config.Config // nil: config.Default()
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Author writes the entries; "" means the config's author.
	Author string
	// IncidentID opens the cockpit on that incident; 0 opens the list.
	IncidentID int64
	// Width and Height are the initial size (an SSH session knows it at
	// once); a tea.WindowSizeMsg replaces them.
	Width, Height int
	// Renderer styles the output: nil for the local terminal, the
	// session's renderer over SSH.
	Renderer *lipgloss.Renderer
	// PollEvery is how often the database is checked for other processes'
	// writes; 0 means 500ms.
	PollEvery time.Duration
	// Terminal receives sequences outside the frame (OSC 52 clipboard
	// copy, bell): the SSH session over SSH; Run uses stdout. Nil skips
	// them.
	Terminal io.Writer
}

// Model is the root of the program.
type Model struct {
	ctx      *common.Context
	screen   common.Screen
	cockpit  cockpit.Model
	list     list.Model
	screens  map[common.Screen]common.Component
	help     help.Model
	showHelp bool

	status    string
	statusErr bool
	// helpTop is the first help line shown.
	helpTop int

	stamp       store.Stamp
	loading     bool
	reloadAgain bool
	// cursor is how far the incident on screen has been read (see
	// follow.go); applied holds ids of entries shown from this program's
	// own writes beyond it.
	cursor    store.Cursor
	applied   map[int64]bool
	pollEvery time.Duration
	// presenceTarget is what this person was last said to be editing, at
	// presenceAt; presenceRead is when everyone's was last read.
	presenceTarget           string
	presenceAt, presenceRead time.Time
	// quitting is set once the quit that saves what is typed has begun;
	// until then quitFilter turns any other quit into one that saves.
	quitting bool
}

// New builds the root model. The same constructor serves the local terminal
// (Run) and an SSH session.
func New(opts Options) Model {
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	author := opts.Author
	if author == "" {
		author = cfg.Author
	}
	ctx := &common.Context{
		Width: opts.Width, Height: opts.Height,
		Styles: common.NewStyles(opts.Renderer, common.DefaultTheme()),
		Keys:   common.DefaultKeyMap(),
		Now:    now, Store: opts.Store, Config: cfg, Author: author,
		IncidentID: opts.IncidentID,
		Terminal:   opts.Terminal,
	}
	m := Model{
		ctx:       ctx,
		cockpit:   cockpit.New(ctx),
		list:      list.New(ctx),
		screens:   map[common.Screen]common.Component{},
		help:      help.New(),
		pollEvery: opts.PollEvery,
	}
	if m.pollEvery <= 0 {
		m.pollEvery = common.PollEvery
	}
	m.help.Styles.ShortKey = ctx.Styles.HelpKey
	m.help.Styles.ShortDesc = ctx.Styles.HelpDesc
	m.help.Styles.ShortSeparator = ctx.Styles.HelpSep
	m.help.Styles.FullKey = ctx.Styles.HelpKey
	m.help.Styles.FullDesc = ctx.Styles.HelpDesc
	m.help.Styles.FullSeparator = ctx.Styles.HelpSep
	m.help.Styles.Ellipsis = ctx.Styles.HelpSep
	if opts.IncidentID == 0 {
		m.screen = common.ScreenList
		m.list.SetFocused(true)
	}
	m.resize()
	return m
}

// ProgramOptions are the options the program needs in any terminal: the
// alternate screen, mouse wheel reports, and the filter that saves what is
// typed when the program is told to quit from outside (an SSH session
// ending, SIGTERM).
func ProgramOptions() []tea.ProgramOption {
	return []tea.ProgramOption{tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithFilter(quitFilter)}
}

// endSessionMsg asks the model to save what is typed and then quit.
type endSessionMsg struct{}

// quitFilter turns a quit the model did not start (wish quits the program
// when the SSH session ends) into endSessionMsg, so half-typed lines,
// drafts and retro text are written before the program stops; the model's
// own quit then passes.
func quitFilter(model tea.Model, msg tea.Msg) tea.Msg {
	if _, ok := msg.(tea.QuitMsg); ok {
		if m, ok := model.(Model); ok && !m.quitting {
			return endSessionMsg{}
		}
	}
	return msg
}

// Run runs the program in the current terminal until the user quits.
func Run(opts Options, extra ...tea.ProgramOption) error {
	if opts.Terminal == nil {
		opts.Terminal = os.Stdout
	}
	p := tea.NewProgram(New(opts), append(ProgramOptions(), extra...)...)
	_, err := p.Run()
	if err != nil {
		return fmt.Errorf("the cockpit stopped: %w", err)
	}
	return nil
}

// Init loads the incident (or the list) and starts the clocks.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tickCmd(), m.poll()}
	if m.ctx.IncidentID != 0 {
		m.loading = true
		cmds = append(cmds, m.openCmds()...)
	} else {
		cmds = append(cmds, list.LoadCmd(m.ctx.Store, m.ctx.Now(), m.ctx.Policy()))
	}
	cmds = append(cmds, m.cockpit.Init())
	return tea.Batch(cmds...)
}

func (m Model) poll() tea.Cmd {
	if m.ctx.Store == nil {
		return nil
	}
	return pollCmd(m.ctx.Store, m.pollEvery)
}

// openCmds load the incident on screen and its half-typed line.
func (m Model) openCmds() []tea.Cmd {
	return []tea.Cmd{loadIncidentCmd(m.ctx, true), cockpit.LoadLineCmd(m.ctx.Store, m.ctx.IncidentID, m.ctx.Author)}
}

// reload reads what changed in the incident since the screen was last
// read (all of it before the first read), or notes that it must once the
// read in flight lands.
func (m *Model) reload() tea.Cmd {
	if m.ctx.IncidentID == 0 {
		return nil
	}
	if m.loading {
		m.reloadAgain = true
		return nil
	}
	m.loading = true
	if m.cursor.Tx == 0 || m.ctx.Incident == nil || m.ctx.Partial {
		return loadIncidentCmd(m.ctx, false)
	}
	return sinceCmd(m.ctx.Store, m.ctx.IncidentID, m.cursor)
}

// show puts a new copy of the incident on screen and tells every
// component.
func (m *Model) show(inc *incident.Incident, td *cockpit.TimelineData) tea.Cmd {
	m.ctx.Incident = inc
	return m.toAll(common.IncidentLoadedMsg{ID: m.ctx.IncidentID, Inc: inc, Cursor: m.cursor, Total: len(inc.Entries), Timeline: td})
}

// applyOwn shows what this program just stored, from the write's result:
// no read of the incident. When nothing else committed in between, the
// screen's cursor moves past the write; otherwise what came between is
// read as a delta.
func (m *Model) applyOwn(msg common.AppliedMsg) tea.Cmd {
	if m.ctx.Incident == nil || msg.Head == nil {
		return m.reload()
	}
	inc, td := cockpit.AppendOwn(m.ctx.Incident, m.cockpit.Timeline.Data, msg.Head, msg.Result.Entries, m.ctx.GapThreshold())
	if m.applied == nil {
		m.applied = map[int64]bool{}
	}
	for _, e := range msg.Result.Entries {
		m.applied[e.ID] = true
	}
	cmd := m.show(inc, td)
	simple := len(msg.Result.Moves) == 0 && msg.Result.Draft == nil && msg.Result.Update == nil
	if simple && msg.Tx != 0 && msg.Tx == m.cursor.Tx+1 {
		m.cursor.Tx = msg.Tx
		for _, e := range msg.Result.Entries {
			m.cursor.LastEntry = max(m.cursor.LastEntry, e.ID)
		}
		return cmd
	}
	return tea.Batch(cmd, m.reload())
}

// resize hands the size to every screen. The bottom row is the status line.
func (m *Model) resize() {
	if m.tooSmall() {
		// Nothing is drawn but the message; lay out once it fits again.
		return
	}
	w, h := m.ctx.Width, max(m.ctx.Height-1, 0)
	m.cockpit.SetSize(w, h)
	m.list.SetSize(w, h)
	for s, c := range m.screens {
		m.screens[s] = c.SetSize(w, h)
	}
	m.help.Width = w
}

// tooSmall reports whether the terminal is below 80×24.
func (m Model) tooSmall() bool { return m.ctx.Width < MinWidth || m.ctx.Height < MinHeight }

// typing reports whether the active screen is taking text.
func (m Model) typing() bool {
	switch m.screen {
	case common.ScreenCockpit:
		return m.cockpit.Typing()
	case common.ScreenList:
		return true
	}
	if c := m.screens[m.screen]; c != nil {
		return c.Typing()
	}
	return false
}

// Update handles global keys first, sizes for everyone, data for everyone,
// and everything else for the active screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyMsg:
		if isKeyRun(msg) {
			return m.keyRun(msg)
		}
		return m.key(msg)
	case tea.MouseMsg:
		if m.showHelp || m.tooSmall() {
			return m, nil
		}
		return m.toActive(msg)

	case common.IncidentLoadedMsg:
		if msg.ID != m.ctx.IncidentID {
			return m, nil
		}
		m.loading = false
		var cmds []tea.Cmd
		if msg.Cursor.Tx >= m.cursor.Tx || msg.Partial || m.ctx.Partial {
			m.ctx.Incident, m.ctx.Partial, m.stamp = msg.Inc, msg.Partial, msg.Stamp
			if msg.Cursor.Tx > 0 {
				m.cursor = msg.Cursor
			}
			m.applied = nil
			cmds = append(cmds, m.toAll(msg))
		}
		// else: read before a change already on screen; dropped.
		if msg.Partial {
			m.loading = true
			cmds = append(cmds, loadIncidentCmd(m.ctx, false))
		} else if m.reloadAgain {
			m.reloadAgain = false
			cmds = append(cmds, m.reload())
		}
		return m, tea.Batch(cmds...)
	case deltaLoadedMsg:
		if msg.id != m.ctx.IncidentID {
			return m, nil
		}
		m.loading = false
		var cmds []tea.Cmd
		if msg.delta.Cursor.Tx > m.cursor.Tx && m.ctx.Incident != nil {
			inc, td := cockpit.MergeDelta(m.ctx.Incident, m.cockpit.Timeline.Data, msg.delta, m.ctx.GapThreshold(), m.applied)
			m.cursor = msg.delta.Cursor
			for id := range m.applied {
				if id <= m.cursor.LastEntry {
					delete(m.applied, id)
				}
			}
			cmds = append(cmds, m.show(inc, td))
		}
		if m.reloadAgain {
			m.reloadAgain = false
			cmds = append(cmds, m.reload())
		}
		return m, tea.Batch(cmds...)
	case pollMsg:
		cmds := []tea.Cmd{m.poll()}
		if msg.err == nil && common.StampChanged(msg.stamp, m.stamp) {
			m.stamp = msg.stamp
			if m.ctx.IncidentID != 0 && (msg.stamp.TxID == 0 || msg.stamp.TxID != m.cursor.Tx) {
				cmds = append(cmds, m.reload())
			}
			if m.screen == common.ScreenList {
				cmds = append(cmds, list.LoadCmd(m.ctx.Store, m.ctx.Now(), m.ctx.Policy()))
			}
		}
		return m, tea.Batch(cmds...)
	case common.TickMsg:
		return m, tea.Batch(tickCmd(), m.toAll(msg), m.presenceTick(time.Time(msg)))
	case presenceMsg:
		if msg.id == m.ctx.IncidentID {
			m.ctx.SetEditors(msg.editors)
		}
		return m, nil
	case common.ReloadMsg:
		return m, m.reload()
	case endSessionMsg:
		if m.quitting {
			return m, nil
		}
		m.quitting = true
		return m, m.quit()
	case common.QuietWriteMsg:
		// A save nobody needs to see: when nothing else committed since
		// the screen was last read, the screen is still current.
		if msg.Tx != 0 && msg.Tx == m.cursor.Tx+1 {
			m.cursor.Tx = msg.Tx
		}
		return m, nil
	case common.AppliedMsg:
		return m, tea.Batch(m.applyOwn(msg), m.toAll(msg))
	case common.EntryChangedMsg:
		m.status, m.statusErr = msg.What, false
		return m, tea.Batch(m.reload(), m.toAll(msg))
	case common.ErrMsg:
		m.status, m.statusErr = store.Message(msg.Err), true
		return m, nil
	case common.StatusMsg:
		m.status, m.statusErr = msg.Text, false
		return m, nil
	case common.OpenIncidentMsg:
		return m, m.open(msg.ID)
	case common.SwitchScreenMsg:
		return m, m.switchTo(msg.Screen)
	case list.LoadedMsg, list.StatsLoadedMsg, list.SearchMsg:
		var cmd tea.Cmd
		m.list, cmd = m.list.Update(msg)
		return m, cmd
	case cockpit.SaveLineMsg, common.ApplyFailedMsg, cockpit.UIStateMsg, cockpit.EntryPromptMsg:
		var cmd tea.Cmd
		m.cockpit, cmd = m.cockpit.Update(msg)
		return m, cmd
	}
	// Anything else is a plug-in's own result: everyone may look.
	return m, m.toAll(msg)
}

// toAll hands a data message to the cockpit and every built screen.
func (m *Model) toAll(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	var cmd tea.Cmd
	m.cockpit, cmd = m.cockpit.Update(msg)
	cmds = append(cmds, cmd)
	for s, c := range m.screens {
		m.screens[s], cmd = c.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// toActive hands a message to the screen in front.
func (m Model) toActive(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.screen {
	case common.ScreenCockpit:
		m.cockpit, cmd = m.cockpit.Update(msg)
	case common.ScreenList:
		m.list, cmd = m.list.Update(msg)
	default:
		if c := m.screens[m.screen]; c != nil {
			m.screens[m.screen], cmd = c.Update(msg)
		}
	}
	return m, cmd
}

func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.ctx.Keys
	if key.Matches(msg, k.Quit) {
		m.quitting = true
		return m, m.quit()
	}
	if m.tooSmall() {
		return m, nil
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Help, k.Back) || msg.String() == "q":
			m.showHelp, m.helpTop = false, 0
		case key.Matches(msg, k.Down):
			m.helpTop = min(m.helpTop+1, max(len(m.helpLines(m.ctx.Width-2))-(m.ctx.Height-3), 0))
		case key.Matches(msg, k.Up):
			m.helpTop = max(m.helpTop-1, 0)
		case key.Matches(msg, k.PageDown):
			m.helpTop = min(m.helpTop+m.ctx.Height/2, max(len(m.helpLines(m.ctx.Width-2))-(m.ctx.Height-3), 0))
		case key.Matches(msg, k.PageUp):
			m.helpTop = max(m.helpTop-m.ctx.Height/2, 0)
		}
		return m, nil
	}
	m.status = ""
	if msg.String() == "f1" {
		m.showHelp = true
		return m, nil
	}
	if !m.typing() {
		switch {
		case key.Matches(msg, k.Help):
			m.showHelp = true
			return m, nil
		case key.Matches(msg, k.ListScr):
			return m, m.switchTo(common.ScreenList)
		case key.Matches(msg, k.RetroScr):
			return m, m.switchTo(common.ScreenRetro)
		case key.Matches(msg, k.Preview):
			return m, m.switchTo(common.ScreenPreview)
		case key.Matches(msg, k.Back) && m.screen != common.ScreenCockpit:
			return m, m.switchTo(common.ScreenCockpit)
		}
	}
	return m.toActive(msg)
}

// quit keeps what is typed, waits for writes in flight, then quits.
func (m Model) quit() tea.Cmd {
	flush := []tea.Cmd{m.cockpit.Capture.SaveNow()}
	if m.presenceTarget != "" && m.ctx.Store != nil {
		flush = append(flush, m.ctx.Write(common.SaveLineCmd(m.ctx.Store, m.ctx.IncidentID, presencePrefix+m.ctx.Author, "")))
	}
	for _, p := range m.cockpit.Right {
		if f, ok := p.(common.Flusher); ok {
			flush = append(flush, f.Flush())
		}
	}
	for _, c := range m.screens {
		if f, ok := c.(common.Flusher); ok {
			flush = append(flush, f.Flush())
		}
	}
	ctx := m.ctx
	wait := func() tea.Msg { ctx.WaitWrites(); return nil }
	return tea.Sequence(tea.Batch(flush...), wait, tea.Quit)
}

// switchTo shows a screen.
func (m *Model) switchTo(s common.Screen) tea.Cmd {
	if s == common.ScreenHelp {
		m.showHelp = true
		return nil
	}
	if s != common.ScreenList && m.ctx.IncidentID == 0 {
		m.status, m.statusErr = common.ErrNoIncident.Error(), true
		return nil
	}
	var cmds []tea.Cmd
	switch s {
	case common.ScreenCockpit:
	case common.ScreenList:
		cmds = append(cmds, list.LoadCmd(m.ctx.Store, m.ctx.Now(), m.ctx.Policy()))
		m.list.Reset()
	default:
		c, ok := m.screens[s]
		if !ok {
			if c = newScreen(m.ctx, s); c == nil {
				return nil
			}
			c = c.SetSize(m.ctx.Width, max(m.ctx.Height-1, 0))
			cmds = append(cmds, c.Init())
		}
		m.screens[s] = c.SetFocused(true)
	}
	m.list.SetFocused(s == common.ScreenList)
	m.screen = s
	return tea.Batch(cmds...)
}

// open shows the cockpit on another incident, keeping the half-typed line
// of the one left.
func (m *Model) open(id int64) tea.Cmd {
	var cmds []tea.Cmd
	if id != m.ctx.IncidentID {
		cmds = append(cmds, m.cockpit.Capture.SaveNow())
		m.ctx.IncidentID = id
		m.ctx.Incident, m.ctx.Partial = nil, false
		m.cockpit = cockpit.New(m.ctx)
		m.screens = map[common.Screen]common.Component{}
		m.loading, m.reloadAgain = true, false
		m.cursor, m.applied = store.Cursor{}, nil
		m.resize()
		cmds = append(cmds, m.openCmds()...)
		cmds = append(cmds, m.cockpit.Init())
	}
	m.list.SetFocused(false)
	m.screen = common.ScreenCockpit
	return tea.Batch(cmds...)
}

// View draws the active screen and the status line.
func (m Model) View() string {
	w, h := m.ctx.Width, m.ctx.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	var body string
	switch {
	case m.showHelp:
		body = m.helpView(w, h-1)
	case m.screen == common.ScreenCockpit:
		body = m.cockpit.View()
	case m.screen == common.ScreenList:
		body = m.list.View()
	default:
		if c := m.screens[m.screen]; c != nil {
			body = c.View()
		}
	}
	return common.FitBlock(body, w, h-1) + "\n" + m.statusLine(w)
}

// tooSmallView says so instead of drawing a broken layout.
func (m Model) tooSmallView() string {
	w, h := m.ctx.Width, m.ctx.Height
	st := m.ctx.Styles
	msg := fmt.Sprintf("Terminal too small: %d×%d. warroom needs at least %d×%d; enlarge the window.", w, h, MinWidth, MinHeight)
	lines := common.Wrap(msg, w)
	for i := range lines {
		lines[i] = st.Warn.Render(lines[i])
	}
	top := max((h-len(lines))/2, 0)
	out := make([]string, 0, h)
	for range top {
		out = append(out, "")
	}
	out = append(out, lines...)
	return common.FitBlock(strings.Join(out, "\n"), w, h)
}

// statusLine shows the last error or note, else the keys of the focused
// pane.
func (m Model) statusLine(w int) string {
	st := m.ctx.Styles
	if m.status != "" {
		if m.statusErr {
			return common.Fit(st.Error.Render(" ✗ "+incident.CleanLine(m.status)), w)
		}
		return common.Fit(st.OK.Render(" ✓ "+incident.CleanLine(m.status)), w)
	}
	k := m.ctx.Keys
	var binds []key.Binding
	switch m.screen {
	case common.ScreenCockpit:
		binds = m.cockpit.ShortHelp()
	case common.ScreenList:
		binds = m.list.ShortHelp()
	default:
		if c := m.screens[m.screen]; c != nil {
			binds = c.ShortHelp()
		}
	}
	help := k.Help
	if m.typing() {
		help.SetHelp("f1", "help")
	}
	binds = append(binds, help, k.Quit)
	return common.Fit(" "+m.help.ShortHelpView(binds), w)
}

// helpView lists every key and slash command, in as many columns as fit,
// scrolled with j/k when it is taller than the terminal.
func (m Model) helpView(w, h int) string {
	st := m.ctx.Styles
	lines := m.helpLines(w - 2)
	top := min(m.helpTop, max(len(lines)-(h-2), 0))
	note := "? or esc closes"
	if len(lines) > h-2 {
		note = "j/k scroll · " + note
	}
	return common.Box(st, "Help", st.Faint.Render(note), lines[top:], w, h, true)
}

// helpLines is the help's content at inner width w.
func (m Model) helpLines(w int) []string {
	st := m.ctx.Styles
	k := m.ctx.Keys
	groups := [][]key.Binding{{k.Quit, k.Help, k.NextPane, k.Capture, k.Command, k.ListScr, k.RetroScr, k.Preview, k.Back}}
	switch m.screen {
	case common.ScreenCockpit:
		groups = append(groups, m.cockpit.FullHelp()...)
	case common.ScreenList:
		groups = append(groups, m.list.FullHelp()...)
	default:
		if c := m.screens[m.screen]; c != nil {
			groups = append(groups, c.FullHelp()...)
		}
	}
	// One cell per distinct key and meaning, laid out in columns.
	cols := max(w/28, 1)
	cellW := w / cols
	seen := map[string]bool{}
	var cells []string
	for _, g := range groups {
		for _, b := range g {
			hk, hd := b.Help().Key, b.Help().Desc
			if !b.Enabled() || hk == "" || seen[hk+hd] {
				continue
			}
			seen[hk+hd] = true
			cells = append(cells, st.HelpKey.Render(common.Fit(hk, 10))+" "+st.HelpDesc.Render(common.Cut(hd, cellW-12)))
		}
	}
	rows := (len(cells) + cols - 1) / cols
	lines := []string{" " + st.PaneTitle.Render("Keys")}
	for r := range rows {
		line := " "
		for c := range cols {
			if i := c*rows + r; i < len(cells) {
				line += common.Fit(cells[i], cellW)
			}
		}
		lines = append(lines, line)
	}
	lines = append(lines, "", " "+st.PaneTitle.Render("Capture line"))
	for _, l := range common.Wrap("text logs a note · ! action · > decision · ? question · * starred · @HH:MM or @-10m backdates · // starts a note with a slash", w-2) {
		lines = append(lines, " "+st.Muted.Render(l))
	}
	lines = append(lines, "", " "+st.PaneTitle.Render("Slash commands"))
	specs := make([]string, len(incident.CommandSpecs))
	for i, c := range incident.CommandSpecs {
		name := "/" + c.Name
		if c.Args != "" {
			name += " " + c.Args
		}
		specs[i] = st.HelpKey.Render(common.Fit(name, 21)) + " " + st.HelpDesc.Render(c.Help)
	}
	specW := 75
	scols := max(w/specW, 1)
	if scols == 1 {
		specW = w - 1
	}
	srows := (len(specs) + scols - 1) / scols
	for r := range srows {
		line := " "
		for c := range scols {
			if i := c*srows + r; i < len(specs) {
				line += common.Fit(specs[i], specW)
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// NewViewer builds the read-only stakeholder view from the same Options as
// New; it shows opts.IncidentID, or the latest open incident when that is 0.
func NewViewer(opts Options) viewer.Viewer {
	return viewer.New(viewer.Options{
		Store: opts.Store, Config: opts.Config, Now: opts.Now, IncidentID: opts.IncidentID,
		Width: opts.Width, Height: opts.Height, Renderer: opts.Renderer, PollEvery: opts.PollEvery,
	})
}
