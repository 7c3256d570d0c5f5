package tui

import (
	"time"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// A longer stamp poll where notifications work.
//
// A cockpit waits for a change to the database on a Subscription (its own
// process's commits, and fsnotify for other processes'), and reads the
// file's stamp every pollEvery in case no wake-up ever comes. warroom
// serve gives its sessions a longer pollEvery when the database's folder
// can be watched (server.sessionPollEvery): twenty idle sessions reading
// the stamp every second were a quarter of the server's idle CPU. Should
// notifications still miss another process's writes (a network file
// system that reports only its own machine's changes, a watcher the
// kernel refused later), the poll is what finds them, and once it has,
// the session polls every common.PollEvery from then on: one change shows
// late by at most the longer poll, none after it.

// caughtByPoll is told that the stamp changed, and falls back to
// common.PollEvery when the wait that found it ran its whole pollEvery:
// its timer found the change, not a notification.
func (m *Model) caughtByPoll() {
	if m.pollEvery <= common.PollEvery || m.pollFrom.IsZero() || time.Since(m.pollFrom) < m.pollEvery {
		return
	}
	m.pollEvery = common.PollEvery
}
