// Package tui is warroom's full-screen Bubble Tea program: the cockpit
// (header, timeline, incident pane, capture line), the incident list and the
// screens that other files plug in (retro, preview).
//
// # Shape
//
// The root Model (model.go) is built by New from Options that carry every
// dependency (store, config, clock, author, incident id, size); nothing is
// global, so the same constructor serves a local terminal (Run) and an SSH
// session (pass New's result and ProgramOptions to wish's bubbletea
// middleware).
//
// One Context (context.go) is shared by pointer with every component: size,
// styles, keys, clock, store, config, author and the incident on screen.
//
// All I/O runs in tea.Cmds (cmds.go) that return typed messages
// (messages.go); Update and View never block. Errors travel as errMsg and
// show in the status line.
//
// # Plugging in a pane or a screen
//
// A pane in the cockpit's right column or a full screen implements
// Component (component.go). To add one:
//
//   - a pane under the incident pane: return it from rightPanes in
//     cockpit.go, e.g. `return []Component{newCommsPane(ctx)}`;
//   - a screen: return it from newScreen in model.go for its screen value
//     (screenRetro, screenPreview), e.g. `case screenRetro: return newRetroScreen(ctx)`.
//
// Components get every data message (incidentLoadedMsg, tickMsg,
// appliedMsg, tea.WindowSizeMsg via SetSize) and, when focused, the keys.
package tui

import (
	"io"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// Context is what every component shares, passed by pointer. The root model
// owns it and keeps Width, Height and Incident current; components read it
// and never replace its fields.
type Context struct {
	// Width and Height are the terminal size.
	Width, Height int
	Styles        *Styles
	Keys          *KeyMap
	// Now is the clock; tests pin it.
	Now    func() time.Time
	Store  *store.Store
	Config *config.Config
	// Author is who writes entries from this program (the SSH key's user in
	// a shared war room).
	Author string
	// IncidentID is the incident on screen, 0 when none is open.
	IncidentID int64
	// Incident is the latest loaded copy of that incident, nil until the
	// first load. It is replaced, never mutated, on each reload: treat it
	// as read-only and recompute what you derive from it when an
	// incidentLoadedMsg arrives.
	Incident *incident.Incident
	// Partial is true while Incident holds only the tail of a huge
	// timeline; the full one follows in the background.
	Partial bool
	// Terminal takes sequences sent outside the frame (clipboard, bell);
	// nil when there is none to write to.
	Terminal io.Writer

	// writes is the one ordered write path of this program.
	writes writeQueue
	// presence is who else edits what right now (see presence.go).
	presence map[string][]string
}

// Write queues a store write and returns the command that brings back its
// result. The write is queued now, while Update runs, so writes commit in
// the order people made them, however fast they type: Bubble Tea runs each
// tea.Cmd on a goroutine of its own, and two writes started as commands
// could otherwise land in either order ("/status identified" then
// "/status monitoring" ending as identified). Quitting waits for the queue.
func (c *Context) Write(fn tea.Cmd) tea.Cmd {
	if fn == nil {
		return nil
	}
	return c.writes.enqueue(fn)
}

// writeQueue runs writes one at a time, in the order they were queued, on
// a goroutine of its own; enqueue never blocks the Update loop.
type writeQueue struct {
	mu      sync.Mutex
	jobs    []func()
	running bool
	pending sync.WaitGroup
}

func (q *writeQueue) enqueue(fn tea.Cmd) tea.Cmd {
	done := make(chan tea.Msg, 1)
	q.pending.Add(1)
	q.mu.Lock()
	q.jobs = append(q.jobs, func() {
		defer q.pending.Done()
		done <- fn()
	})
	if !q.running {
		q.running = true
		go q.run()
	}
	q.mu.Unlock()
	return func() tea.Msg { return <-done }
}

func (q *writeQueue) run() {
	for {
		q.mu.Lock()
		if len(q.jobs) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		job := q.jobs[0]
		q.jobs = q.jobs[1:]
		q.mu.Unlock()
		job()
	}
}

// wait blocks until every queued write has finished.
func (q *writeQueue) wait() { q.pending.Wait() }

// Policy returns the process timings from the configuration.
func (c *Context) Policy() incident.Policy {
	if c.Config == nil {
		return incident.DefaultPolicy()
	}
	return c.Config.Policy()
}

// gapThreshold is the silence shown as a gap line on the timeline.
func (c *Context) gapThreshold() time.Duration {
	if g := c.Policy().GapThreshold; g > 0 {
		return g
	}
	return incident.DefaultPolicy().GapThreshold
}
