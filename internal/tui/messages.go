package tui

import (
	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/store"
)

// pollMsg is the result of the periodic stat of the database file.
type pollMsg struct {
	stamp store.Stamp
	err   error
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
// force marks the tick of the longest wait (common.MaxSaveWait), which saves even
// while typing goes on.
type saveLineMsg struct {
	seq   int
	force bool
}

// listLoadedMsg carries the incidents for the list common.Screen.
type listLoadedMsg struct{ list []store.Summary }

// statsLoadedMsg carries the trends across every incident, summarised on
// the list common.Screen.
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
