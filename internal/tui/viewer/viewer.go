// Package viewer is the read-only stakeholder view served to SSH viewer
// keys: the header, the status and the public updates, nothing from the
// technical timeline.
package viewer

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Viewer is the read-only stakeholder view served to SSH viewer keys: the
// incident's header, its status and the public updates, nothing from the
// war room's technical timeline. It polls the store like the cockpit, so a
// stakeholder sees a new update within a second, and it has no key that
// writes.
type Viewer struct {
	st     *store.Store
	styles *common.Styles
	now    func() time.Time
	policy incident.Policy
	quit   key.Binding

	id            int64
	inc           *incident.Incident
	stamp         store.Stamp
	err           error
	width, height int
	pollEvery     time.Duration
}

type viewerLoadedMsg struct {
	inc   *incident.Incident
	stamp store.Stamp
	err   error
}

// viewerPollMsg carries the database's stamp, read off the Update path.
type viewerPollMsg struct {
	stamp store.Stamp
	err   error
}

// Options are the viewer's dependencies: the root's, less what a read-only
// view never needs.
type Options struct {
	Store      *store.Store
	Config     *config.Config
	Now        func() time.Time
	IncidentID int64
	// Width and Height are the initial size.
	Width, Height int
	Renderer      *lipgloss.Renderer
	PollEvery     time.Duration
}

// pollEvery is how often the view reads the file's stamp. The cockpit is
// woken by change notification and polls only as a fallback; the view
// reloads the whole incident on each change, so in a busy room it keeps to
// a steady poll rather than reloading on every commit.
const pollEvery = 500 * time.Millisecond

// New builds the stakeholder view; it shows opts.IncidentID, or the latest
// open incident when that is 0.
func New(opts Options) Viewer {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	policy := incident.DefaultPolicy()
	if opts.Config != nil {
		policy = opts.Config.Policy()
	}
	every := opts.PollEvery
	if every <= 0 {
		every = pollEvery
	}
	return Viewer{
		st: opts.Store, styles: common.NewStyles(opts.Renderer, common.DefaultTheme()), now: now, policy: policy,
		quit:  key.NewBinding(key.WithKeys("ctrl+c", "q"), key.WithHelp("q", "quit")),
		id:    opts.IncidentID,
		width: opts.Width, height: opts.Height, pollEvery: every,
	}
}

// Init loads the incident and starts polling.
func (v Viewer) Init() tea.Cmd { return tea.Batch(v.Load(), v.tick()) }

func (v Viewer) Load() tea.Cmd {
	st, id := v.st, v.id
	return func() tea.Msg {
		stamp, _ := st.Stamp()
		if id == 0 {
			latest, err := st.LatestOpen()
			if err != nil {
				return viewerLoadedMsg{err: err, stamp: stamp}
			}
			id = latest
		}
		inc, err := st.Incident(id)
		return viewerLoadedMsg{inc: inc, stamp: stamp, err: err}
	}
}

// tick reads the stamp after the poll interval, in the command so Update
// never touches the file.
func (v Viewer) tick() tea.Cmd {
	st := v.st
	return tea.Tick(v.pollEvery, func(time.Time) tea.Msg {
		stamp, err := st.Stamp()
		return viewerPollMsg{stamp: stamp, err: err}
	})
}

// Update handles quitting, resizes, polling and loads; every other key is
// ignored, so a viewer cannot change anything.
func (v Viewer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, v.quit) {
			return v, tea.Quit
		}
	case tea.WindowSizeMsg:
		v.width, v.height = msg.Width, msg.Height
	case viewerPollMsg:
		if msg.err == nil && common.StampChanged(msg.stamp, v.stamp) {
			return v, tea.Batch(v.Load(), v.tick())
		}
		return v, v.tick()
	case viewerLoadedMsg:
		v.stamp, v.err = msg.stamp, msg.err
		if msg.inc != nil {
			v.inc, v.id = msg.inc, msg.inc.ID
		}
	}
	return v, nil
}

// View draws the header, the next update time and the public updates,
// newest first, clipped to the terminal.
func (v Viewer) View() string {
	s := v.styles
	w, h := v.width, v.height
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	var lines []string
	add := func(l string) { lines = append(lines, common.Fit(l, w)) }
	switch {
	case v.inc == nil && v.err != nil:
		add(s.Bold.Render(" warroom") + s.Muted.Render(" · stakeholder view"))
		add("")
		add(" " + s.Muted.Render("No open incident right now. Updates will appear here."))
	case v.inc == nil:
		add(s.Muted.Render(" loading…"))
	default:
		inc, now := v.inc, v.now()
		sev := s.Severity[inc.Severity]
		status := s.Status[inc.Status]
		add(fmt.Sprintf(" %s  %s  %s  %s", s.ID.Render(inc.Key()), sev.Render(inc.Severity.String()), s.Title.Render(incident.CleanLine(inc.Title)), status.Render(strings.ToUpper(string(inc.Status)))))
		info := []string{"started " + common.ClockAt(inc.Created, now) + " (" + incident.FormatDuration(now.Sub(inc.Created)) + " ago)"}
		if !inc.ETA.IsZero() {
			info = append(info, "ETA "+common.ClockAt(inc.ETA, now))
		}
		late := ""
		if inc.Open() {
			due := incident.NextUpdateDue(inc, v.policy)
			if now.After(due) {
				// A stakeholder reading "by 18:08" at 18:10 should see at
				// once that the update is late, not do the sum.
				by := "under a minute"
				if d := now.Sub(due); d >= time.Minute {
					by = incident.FormatDuration(d.Truncate(time.Minute))
				}
				late = fmt.Sprintf("next update was due at %s · %s late", common.ClockAt(due, now), by)
			} else {
				info = append(info, "next update by "+common.ClockAt(due, now))
			}
		}
		if inc.PublicChannel != "" {
			info = append(info, "channel "+incident.CleanLine(inc.PublicChannel))
		}
		add(" " + s.Muted.Render(strings.Join(info, " · ")))
		if late != "" {
			add(" " + s.Warn.Bold(true).Render("⚠ "+late))
		}
		add("")
		add(" " + s.PaneTitle.Render("Public updates"))
		if len(inc.Updates) == 0 {
			add(" " + s.Faint.Render("No public update yet."))
		}
		for i := len(inc.Updates) - 1; i >= 0 && len(lines) < h-2; i-- {
			u := inc.Updates[i]
			prefix := common.ClockAt(u.At, now) + ": "
			for j, l := range common.Wrap(incident.CleanText(u.Text), max(10, w-2-len(prefix))) {
				if j == 0 {
					add(" " + s.Time.Render(prefix) + s.Text.Render(l))
				} else {
					add(" " + strings.Repeat(" ", len(prefix)) + s.Text.Render(l))
				}
			}
		}
	}
	for len(lines) < h-1 {
		lines = append(lines, common.Fit("", w))
	}
	if len(lines) > h-1 {
		lines = lines[:h-1]
	}
	lines = append(lines, common.Fit(s.HelpKey.Render(" q")+s.HelpDesc.Render(" quit · read-only view"), w))
	return strings.Join(lines, "\n")
}
