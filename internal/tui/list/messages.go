package list

import (
	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/store"
)

// LoadedMsg carries the incidents and the pending alerts for the list
// screen.
type LoadedMsg struct {
	list    []store.Summary
	pending []store.PendingAlert
}

// DismissedMsg says a pending alert was dropped.
type DismissedMsg struct{ id, name string }

// StatsLoadedMsg carries the trends across every incident, summarised on
// the list screen.
type StatsLoadedMsg struct {
	stats export.Stats
	index *export.SearchIndex // full text of every incident, for the filter
}

// SearchMsg carries the full-text matches for the list's filter; seq
// says which keystroke asked, so a slow answer never replaces a newer one.
type SearchMsg struct {
	seq  int
	hits []export.Hit
}
