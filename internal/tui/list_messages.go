package tui

import (
	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/store"
)

// ListLoadedMsg carries the incidents for the list screen.
type ListLoadedMsg struct{ list []store.Summary }

// StatsLoadedMsg carries the trends across every incident, summarised on
// the list screen.
type StatsLoadedMsg struct {
	stats export.Stats
	index *export.SearchIndex // full text of every incident, for the filter
}

// ListSearchMsg carries the full-text matches for the list's filter; seq
// says which keystroke asked, so a slow answer never replaces a newer one.
type ListSearchMsg struct {
	seq  int
	hits []export.Hit
}
