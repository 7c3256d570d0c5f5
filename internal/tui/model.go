package tui

import (
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
	"github.com/warroom-cli/warroom/internal/tui/list"
	"github.com/warroom-cli/warroom/internal/tui/viewer"
)

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
	// writes when no change notification wakes the program first; 0 means
	// common.PollEvery. Longer than that, it falls back to
	// common.PollEvery once the check finds a change no notification
	// announced (poll_fallback.go).
	PollEvery time.Duration
	// Location is the time zone to show times in (an SSH session's TZ);
	// nil means the config's timezone.
	Location *time.Location
	// Review opens the incident's review meeting instead of the cockpit
	// (warroom review).
	Review bool
	// Terminal receives sequences outside the frame (OSC 52 clipboard
	// copy, bell): the SSH session over SSH; Run uses stdout. Nil skips
	// them.
	Terminal io.Writer
	// Opened, when set, is told (off the Update loop) each incident the
	// program opens: the SSH war room keeps the one its room is on.
	Opened func(id int64)
	// Presence is where the program says who is in the room and reads
	// who else is (presence_board.go); nil keeps it in files beside the
	// store's database. warroom serve passes its memory.
	Presence PresenceBoard
	// FrameGap is the least time between two frames drawn for other
	// people's changes (frames.go); 0 draws each at once. What this
	// person types is always drawn at once.
	FrameGap time.Duration
	// RoomGap, when set, is asked for the frame gap instead, each time:
	// warroom serve widens it as its room fills.
	RoomGap func() time.Duration
	// Shared, when set, is the copies of incidents this program shares
	// with the other sessions of a server (shared.go); nil keeps its own.
	Shared *Timelines
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
	// shownStatus is the message the status line showed when help opened,
	// which help shows in full (a long one is cut on the status line).
	shownStatus    string
	shownStatusErr bool
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
	// pollFrom is when the wait for a change now running began (zero
	// for the first, from Init); see poll_fallback.go.
	pollFrom time.Time
	// startReview opens the review meeting once the program starts.
	startReview bool
	// presenceRead is when everyone's presence was last read, from
	// board.
	presenceRead time.Time
	board        PresenceBoard
	// session names this program's "here" record, last written for
	// incident hereID at hereAt, editing hereTarget (see presence.go).
	session    string
	hereID     int64
	hereAt     time.Time
	hereTarget string
	// gen moves on with every Update that may change what is on screen;
	// drawn, shared by the model's copies, is the last frame View drew
	// and the generation it drew.
	gen   uint64
	drawn *drawnFrame
	// frameGap is Options.FrameGap; changedAt is when the database was
	// last seen to change (the real clock), which makes a room busy.
	frameGap time.Duration
	roomGap  func() time.Duration
	// shared are the copies of incidents shared with the other sessions
	// of a server (shared.go); nil outside warroom serve.
	shared    *Timelines
	changedAt time.Time
	// quitting is set once the quit that saves what is typed has begun;
	// until then quitFilter turns any other quit into one that saves.
	quitting bool
	// opened is Options.Opened.
	opened func(id int64)
	// burst holds the letters of a burst not yet typed into the text
	// field, burstSeq counts its messages and burstTimer is set while its
	// timer runs (see burst.go).
	burst      []rune
	burstSeq   int
	burstTimer bool
	// waiting is set while the status line says lines wait for the disk.
	waiting bool
	// sticky counts the seconds a NoticeMsg on the status line still
	// outlives keys.
	sticky int
	// brief is the handover brief shown to this person, the new holder,
	// until esc; briefSeen is the last brief they saw, once briefKnown
	// (see handover.go).
	brief      *briefPanel
	briefSeen  int64
	briefKnown bool
}

// New builds the root model. The same constructor serves the local terminal
// (Run) and an SSH session.
func New(opts Options) Model {
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	// One zone for every time shown: an SSH session's own, else the
	// config's timezone, else the local zone.
	loc := opts.Location
	if loc == nil {
		loc = cfg.Location
	}
	if loc == nil {
		loc = time.Local
	}
	now := func() time.Time { return clock().In(loc) }
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
		Memo:       opts.Shared.memoOrNew(),
		Zone:       config.ZoneName(loc),
	}
	m := Model{
		ctx:       ctx,
		cockpit:   cockpit.New(ctx),
		list:      list.New(ctx),
		screens:   map[common.Screen]common.Component{},
		help:      help.New(),
		pollEvery: opts.PollEvery,
		session:   store.NewUID(),
		drawn:     &drawnFrame{},
		opened:    opts.Opened,
		frameGap:  opts.FrameGap,
		roomGap:   opts.RoomGap,
		board:     opts.Presence,
		shared:    opts.Shared,
	}
	if m.board == nil && opts.Store != nil {
		m.board = NewFilePresence(opts.Store.Path())
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
	m.startReview = opts.Review && opts.IncidentID != 0
	if n := len(cfg.Warnings); n > 0 {
		// Printed on stderr too, but the full screen covers that at once:
		// the first thing shown is what the config file gets wrong.
		m.status, m.statusErr = cfg.Warnings[0], true
		if n > 1 {
			m.status += fmt.Sprintf(" (and %d more; warroom config lists them)", n-1)
		}
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

// Run runs the program in the current terminal until the user quits.
func Run(opts Options, extra ...tea.ProgramOption) error {
	if opts.Terminal == nil {
		opts.Terminal = os.Stdout
	}
	p := tea.NewProgram(Held(New(opts)), append(ProgramOptions(), extra...)...)
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
		cmds = append(cmds, m.tellOpened(m.ctx.IncidentID))
		if m.startReview {
			cmds = append(cmds, func() tea.Msg { return common.SwitchScreenMsg{Screen: common.ScreenReview} })
		}
	} else {
		cmds = append(cmds, list.LoadCmd(m.ctx.Store, m.ctx.Now(), m.ctx.Policy()))
	}
	cmds = append(cmds, m.cockpit.Init())
	return tea.Batch(cmds...)
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
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return m.update(msg) }

// Held is m for a program to run: updated in place, where a Model handed
// back by Update is a 16 KB copy put on the heap for every message (a
// keystroke, a tick, another session's line).
func Held(m Model) tea.Model { return held{m: &m} }

// held is a Model held by pointer. It is a pointer itself, so handing it
// back as a tea.Model allocates nothing.
type held struct{ m *Model }

func (h held) Init() tea.Cmd { return h.m.Init() }

func (h held) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	*h.m, cmd = h.m.update(msg)
	return h, cmd
}

func (h held) View() string { return h.m.View() }

// update is Update with the model unboxed: Update hands the model back as
// a tea.Model, which puts a copy of all of it (16 KB) on the heap for
// every message. A program runs the model Held instead.
func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok && m.gathers(km) {
		km.Runes = slices.Clone(km.Runes)
		return m.gather(km)
	}
	if f, ok := msg.(burstFlushMsg); ok {
		return m.settled(f)
	}
	if len(m.burst) > 0 {
		// Whatever comes next comes after the burst's letters.
		m.gen++
		m, flushed := m.flushBurst()
		next, cmd := m.update(msg)
		return next, tea.Batch(flushed, cmd)
	}
	if r, ok := msg.(redrawMsg); ok {
		return m.redraw(r), nil
	}
	switch msg.(type) {
	case pollMsg, common.QuietWriteMsg, deltaLoadedMsg, cockpit.SaveLineMsg, presenceMsg:
		// Only the stamp or the cursor change; what a reload reads
		// then comes as a message of its own, and counts itself
		// when it shows anything. A save of the half-typed line shows
		// nothing; presence counts itself when someone came, went or
		// started editing something.
	case common.TickMsg:
		m.tick()
	default:
		m.gen++
		m.unhold()
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyMsg:
		// Bubble Tea hands out one shared slice for the space key's
		// runes, and textinput sanitizes runes in place: with several
		// programs in one process (warroom serve) that is a data race.
		// A copy per message keeps each program to its own.
		msg.Runes = slices.Clone(msg.Runes)
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
			if td, ok := msg.Timeline.(*cockpit.TimelineData); ok {
				m.ctx.Entries = td
			}
			if msg.Cursor.Tx > 0 {
				m.cursor = msg.Cursor
			}
			m.applied = nil
			cmds = append(cmds, m.toAll(msg), m.checkBrief())
			if msg.First {
				cmds = append(cmds, readHandoverSeenCmd(m.ctx))
			}
		}
		// else: read before a change already on screen; dropped.
		if msg.Partial {
			m.loading = true
			cmds = append(cmds, loadIncidentCmd(m.ctx, m.shared, false))
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
		if msg.delta.Cursor.Tx > m.cursor.Tx && m.ctx.Incident != nil && cockpit.DeltaChangesNothing(m.ctx.Incident, msg.delta) {
			m.cursor = msg.delta.Cursor
		} else if msg.delta.Cursor.Tx > m.cursor.Tx && m.ctx.Incident != nil {
			m.gen++
			inc, td := m.mergeDelta(msg.delta)
			m.cursor = msg.delta.Cursor
			for id := range m.applied {
				if id <= m.cursor.LastEntry {
					delete(m.applied, id)
				}
			}
			cmds = append(cmds, m.show(inc, td, msg.delta.Added, msg.delta.Edited), m.holdFrame())
		}
		if m.reloadAgain {
			m.reloadAgain = false
			cmds = append(cmds, m.reload())
		}
		return m, tea.Batch(cmds...)
	case pollMsg:
		var cmds []tea.Cmd
		if msg.err == nil && common.StampChanged(msg.stamp, m.stamp) {
			m.caughtByPoll()
			m.stamp, m.changedAt = msg.stamp, time.Now()
			if msg.stamp.TxID != 0 && msg.stamp.TxID < m.cursor.Tx {
				// The file was written anew (warroom compact, a backup
				// put back): its transaction ids start again, so every
				// later write would look older than the screen. The
				// entry and change numbers are kept, but the screen
				// reads the incident whole and takes the new ids.
				m.cursor.Tx = 0
			}
			if m.ctx.IncidentID != 0 && (msg.stamp.TxID == 0 || msg.stamp.TxID != m.cursor.Tx) {
				cmds = append(cmds, m.reload())
			}
			if m.screen == common.ScreenList {
				cmds = append(cmds, list.LoadCmd(m.ctx.Store, m.ctx.Now(), m.ctx.Policy()))
			}
		}
		// The next wait starts from the stamp just taken, so a commit
		// after it returns at once.
		cmds = append(cmds, m.poll())
		m.pollFrom = time.Now()
		return m, tea.Batch(cmds...)
	case common.TickMsg:
		m.sticky = max(m.sticky-1, 0)
		m.waitingNote()
		return m, tea.Batch(tickCmd(), m.toAll(msg), m.presenceTick(time.Time(msg)))
	case handoverSeenMsg:
		if msg.id == m.ctx.IncidentID {
			m.briefSeen, m.briefKnown = max(m.briefSeen, msg.seen), true
			return m, m.checkBrief()
		}
		return m, nil
	case presenceMsg:
		if msg.id == m.ctx.IncidentID && (!slices.Equal(msg.room, m.ctx.Room()) || !sameEditors(msg.editors, m.ctx.AllEditors())) {
			m.ctx.SetEditors(msg.editors)
			m.ctx.SetRoom(msg.room)
			m.gen++
			m.unhold()
		}
		return m, nil
	case common.ReloadMsg:
		return m, m.reload()
	case common.QuestionArmedMsg:
		// From now on the question takes y/n (see common.Question).
		m.ctx.ArmQuestion(msg.ID)
		return m, nil
	case endSessionMsg, common.QuitMsg:
		if m.quitting {
			return m, nil
		}
		m.quitting = true
		return m, m.quit()
	case common.QuietWriteMsg:
		// A save nobody needs to see: when nothing else committed since
		// the screen was last read, the screen is still current.
		if msg.Tx != 0 && msg.Tx == m.cursor.Tx+1 && m.ctx.Store.Alone(msg.Tx) {
			m.cursor.Tx = msg.Tx
		}
		return m, nil
	case common.AppliedMsg:
		if note := dayNote(msg, m.ctx.Now()); note != "" {
			m.status, m.statusErr = note, false
		}
		return m, tea.Batch(m.applyOwn(msg), m.toAll(msg))
	case common.EntryChangedMsg:
		m.status, m.statusErr = msg.What, false
		return m, tea.Batch(m.reload(), m.toAll(msg))
	case common.ErrMsg:
		m.status, m.statusErr, m.sticky = store.Message(msg.Err), true, 0
		return m, nil
	case common.StatusMsg:
		m.status, m.statusErr, m.sticky = msg.Text, false, 0
		return m, nil
	case common.NoticeMsg:
		m.status, m.statusErr, m.sticky = msg.Text, msg.Err, common.NoticeTicks
		return m, nil
	case common.OpenIncidentMsg:
		cmd := m.open(msg.ID)
		if msg.Find != "" {
			cmd = tea.Batch(cmd, m.cockpit.FindOnOpen(msg.Find))
		}
		return m, cmd
	case common.SwitchScreenMsg:
		return m, m.switchTo(msg.Screen)
	case list.LoadedMsg, list.StatsLoadedMsg, list.SearchMsg, list.DismissedMsg:
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

// NewViewer builds the read-only stakeholder view from the same Options as
// New; it shows opts.IncidentID, or the latest open incident when that is 0.
func NewViewer(opts Options) viewer.Viewer {
	// The viewer's times are in the same one zone as the cockpit's: the
	// SSH session's own, else the config's, else the local zone.
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	loc := opts.Location
	if loc == nil && opts.Config != nil {
		loc = opts.Config.Location
	}
	if loc == nil {
		loc = time.Local
	}
	return viewer.New(viewer.Options{
		Store: opts.Store, Config: opts.Config, Now: func() time.Time { return clock().In(loc) }, IncidentID: opts.IncidentID,
		Width: opts.Width, Height: opts.Height, Renderer: opts.Renderer, PollEvery: opts.PollEvery,
	})
}
