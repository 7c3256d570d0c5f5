package server

import (
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchedPollEvery is how often a session reads the database's stamp when
// no wake-up came, while the database's folder can be watched.
//
// Each session waits for changes on the Store's in-process broadcast (the
// server's own sessions' writes) and on fsnotify (other processes':
// warroom log from a script, a local cockpit); the stamp poll is only the
// fallback for a file system without notifications. Read every second by
// every session, it was a quarter of an idle server's CPU (two opens of
// the file a second each; BenchmarkIdleRoom). Where the folder can be
// watched, the store's watcher is set up the same way and wakes the
// sessions at once; the poll then only guards against notifications that
// never come, and a session whose poll finds a change no notification
// announced polls every second from then on (tui/poll_fallback.go).
const watchedPollEvery = 5 * time.Second

// cockpitPoll is the stamp poll each cockpit session gets (the
// stakeholder view keeps its own steady poll): Options.PollEvery when set;
// else watchedPollEvery when the database's folder can be watched; else
// 0, the cockpit's default of a second.
func (s *Server) cockpitPoll() time.Duration {
	if s.opts.PollEvery > 0 || s.opts.Store == nil {
		return s.opts.PollEvery
	}
	if s.watchable() {
		return watchedPollEvery
	}
	return 0
}

// canWatch reports whether fsnotify can watch the folder of path, as the
// store's watcher does (store/watch.go).
func canWatch(path string) bool {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return false
	}
	defer func() { _ = w.Close() }()
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return w.Add(filepath.Dir(abs)) == nil
}
