package tui

import (
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// errMsg carries any failure to the status line. Its text is one sentence a
// person can act on.
type errMsg struct{ err error }

func (e errMsg) Error() string { return store.Message(e.err) }

// statusMsg is a passing note for the status line ("Saved", "Copied").
type statusMsg struct{ text string }

// incidentLoadedMsg replaces the incident on screen. Partial means only the
// last part of a huge timeline was read; the rest follows.
type incidentLoadedMsg struct {
	id      int64
	inc     *incident.Incident
	stamp   store.Stamp
	cursor  store.Cursor
	partial bool
	total   int
	// first marks the load that opened the incident.
	first bool
	// timeline is derived from inc off the Update loop.
	timeline *timelineData
}

// reloadMsg asks the root to read the incident again now.
type reloadMsg struct{}

// pollMsg is the result of the periodic stat of the database file.
type pollMsg struct {
	stamp store.Stamp
	err   error
}

// tickMsg arrives once a second for live clocks (elapsed time, countdowns).
type tickMsg time.Time

// appliedMsg reports a capture line stored in the incident: an entry or a
// command, with what it recorded.
type appliedMsg struct {
	capture incident.Capture
	result  incident.Result
	// head is the incident's own fields after the change and tx the
	// transaction it committed in (nil and 0 when not known).
	head *incident.Incident
	tx   uint64
	// token is the pending row this write makes durable (0: none).
	token int
}

// pendingMsg shows a typed line on the timeline at once, marked as saving,
// until the write with the same token lands.
type pendingMsg struct {
	token int
	entry incident.Entry
}

// quietWriteMsg reports a write nobody needs to see (a half-typed line
// kept): its transaction is the program's own, so the poll that notices it
// reloads nothing.
type quietWriteMsg struct{ tx uint64 }

// applyFailedMsg reports a capture line the store refused; the line is given
// back to the capture line so nothing typed is lost.
type applyFailedMsg struct {
	line  string
	err   error
	token int
}

// entryChangedMsg reports an edit, re-time, star or deletion of an entry.
type entryChangedMsg struct {
	what string
}

// uiStateMsg brings back the half-typed capture line saved last time.
type uiStateMsg struct {
	id    int64
	value string
	// prompt is an entry edit or re-time in progress (savedPrompt JSON).
	prompt string
}

// saveLineMsg fires after typing pauses; seq tells whether more typing
// happened since.
// force marks the tick of the longest wait (maxSaveWait), which saves even
// while typing goes on.
type saveLineMsg struct {
	seq   int
	force bool
}

// listLoadedMsg carries the incidents for the list screen.
type listLoadedMsg struct{ list []store.Summary }

// statsLoadedMsg carries the trends across every incident, summarised on
// the list screen.
type statsLoadedMsg struct {
	stats export.Stats
	index *export.SearchIndex // full text of every incident, for the filter
}

// listSearchMsg carries the full-text matches for the list's filter; seq
// says which keystroke asked, so a slow answer never replaces a newer one.
type listSearchMsg struct {
	seq  int
	hits []export.Hit
}

// openIncidentMsg asks the root to show the cockpit on an incident.
type openIncidentMsg struct{ id int64 }

// switchScreenMsg asks the root to show a screen.
type switchScreenMsg struct{ screen screen }
