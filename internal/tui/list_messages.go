package tui

import (
	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/store"
)

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
