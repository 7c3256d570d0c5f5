// Package common is the small core every screen and pane of the cockpit
// shares, and nothing more: the Context passed by pointer to every
// component (size, styles, keys, clock, store, config, author, the incident
// on screen, the ordered write path), the Styles and the one KeyMap, the
// Component interface, the messages that travel between packages, and
// rendering helpers. It imports no screen; screens import it.
package common

import (
	"io"
	"iter"
	"slices"
	"strings"
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
	// Zone names the time zone every time on screen is shown in (the
	// config's timezone, or an SSH session's TZ); Now returns times in it.
	Zone string
	// Author is who writes entries from this program (the SSH key's user in
	// a shared war room).
	Author string
	// IncidentID is the incident on screen, 0 when none is open.
	IncidentID int64
	// Incident is the latest loaded copy of that incident, nil until the
	// first load. It is replaced, never mutated, on each reload: treat it
	// as read-only and recompute what you derive from it when an
	// IncidentLoadedMsg arrives. Its Entries are nil: the timeline on
	// screen keeps them (shared by the sessions of a room, see
	// cockpit.TimelineData), and Entries gives them.
	Incident *incident.Incident
	// Entries are the incident's entries, set with Incident.
	Entries EntrySource
	// Memo keeps drawn pieces of frames, shared by the sessions of a
	// server (memo.go); nil draws everything afresh.
	Memo *Memo
	// Partial is true while Incident holds only the tail of a huge
	// timeline; the full one follows in the background.
	Partial bool
	// Terminal takes sequences sent outside the frame (clipboard, bell);
	// nil when there is none to write to.
	Terminal io.Writer

	// writes is the one ordered write path of this program.
	writes writeQueue
	// questions are the yes/no questions asked and armed (question.go).
	questions questions
	// retry counts lines waiting for a busy file or a full disk.
	retry retrying
	// WriteFault, when set (tests), is asked before each try of a typed
	// line's write (WriteLine); an error it returns fails that try as the
	// store would, e.g. store.ErrDiskFull or store.ErrLocked.
	WriteFault func() error
	// presence is who else edits what right now (see presence.go).
	presence map[string][]string
	// room is who is in the incident's room now, this person included.
	room []string
}

// EntrySource is where the screen keeps the incident's entries.
type EntrySource interface {
	// AllEntries is every entry, deleted ones too, in time order: a new
	// slice, as long as the timeline.
	AllEntries() []incident.Entry
	// ShownBackward yields the entries not deleted, newest first.
	ShownBackward() iter.Seq[*incident.Entry]
}

// WholeIncident is the incident on screen with its entries, for what needs
// it whole (an export, the retro's analysis): a new copy each time, as long
// as the timeline, so taken when needed rather than on every change.
func (c *Context) WholeIncident() *incident.Incident {
	inc := c.Incident
	if inc == nil || inc.Entries != nil || c.Entries == nil {
		return inc
	}
	whole := *inc
	whole.Entries = c.Entries.AllEntries()
	return &whole
}

// HasEntries reports whether the incident on screen shows any entry.
func (c *Context) HasEntries() bool {
	if c.Incident != nil && c.Incident.Entries != nil {
		return slices.ContainsFunc(c.Incident.Entries, func(e incident.Entry) bool { return !e.Deleted })
	}
	if c.Entries == nil {
		return false
	}
	for range c.Entries.ShownBackward() {
		return true
	}
	return false
}

// SetRoom replaces who is in the room (the root reads it from the store).
func (c *Context) SetRoom(names []string) { c.room = names }

// Room is who is in the room now, sorted, this person included; nil until
// read.
func (c *Context) Room() []string { return c.room }

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
func (c *Context) GapThreshold() time.Duration {
	if g := c.Policy().GapThreshold; g > 0 {
		return g
	}
	return incident.DefaultPolicy().GapThreshold
}

// Editors returns the other people editing target now ("draft",
// "section:Introduction", "whys", "actions").
// SetEditors replaces who else is editing what (the root reads it from the
// store and hands it here).
func (c *Context) SetEditors(editors map[string][]string) { c.presence = editors }

// WaitWrites blocks until every queued write has finished: quitting, and
// tests, wait for what was typed to be on disk.
func (c *Context) WaitWrites() { c.writes.wait() }

// AllEditors is who edits what, by target, as last read.
func (c *Context) AllEditors() map[string][]string { return c.presence }

func (c *Context) Editors(target string) []string {
	return c.presence[target]
}

// EditorsNote is "ben is editing" for a target, or "".
func EditorsNote(ctx *Context, target string) string {
	names := ctx.Editors(target)
	if len(names) == 0 {
		return ""
	}
	clean := make([]string, len(names))
	for i, n := range names {
		clean[i] = incident.CleanLine(n)
	}
	verb := " is editing"
	if len(clean) > 1 {
		verb = " are editing"
	}
	return strings.Join(clean, ", ") + verb
}
