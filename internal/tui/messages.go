package tui

import (
	"github.com/warroom-cli/warroom/internal/store"
)

// pollMsg is the result of the periodic stat of the database file.
type pollMsg struct {
	stamp store.Stamp
	err   error
}
