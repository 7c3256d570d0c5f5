package store

import (
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Change notification without a daemon. A reader following the file (a
// cockpit, every session of `warroom serve`) waits on a Subscription
// instead of sleeping between stamp polls:
//
//   - a commit through this Store wakes every subscriber of it at once, after
//     the lock is released, so twenty SSH sessions on one Store hear each
//     other's lines without touching the disk to find out;
//   - a commit by another process is noticed through fsnotify on the
//     database's folder (the folder, not the file, so that a restored backup
//     renamed over it is noticed too), filtered to the file's own name.
//
// A wake-up only says "look at the stamp": bbolt writes data pages before
// the meta page, so a notification can come before the commit is complete,
// and the caller reads the stamp to see whether a new transaction is there.
// The poll stays as a fallback (a file system without notifications, a
// watcher the kernel refuses), so callers still wait with a timeout.
//
// One watcher serves all of a Store's subscribers. It starts with the first
// one and stops watchLinger after the last has gone, so a cockpit that
// subscribes anew for every wait does not open and close an inotify
// instance each time, and a test that opens many stores does not keep
// their watchers (the kernel allows a user about 128) after it is done.

// watchLinger is how long the watcher outlives its last subscriber.
const watchLinger = 5 * time.Second

// Subscription receives a wake-up after each commit to the database.
type Subscription struct {
	// C receives once after one or more commits since it was last
	// drained; wake-ups that come while one is pending are merged.
	C   <-chan struct{}
	c   chan struct{}
	hub *hub
}

// Close ends the subscription; it is safe to call more than once.
func (s *Subscription) Close() {
	if s == nil || s.hub == nil {
		return
	}
	s.hub.leave(s)
}

// hub is a Store's list of subscribers and its file watcher.
type hub struct {
	mu      sync.Mutex
	subs    map[*Subscription]struct{}
	watcher *fsnotify.Watcher
	// idle stops the watcher once nobody has been subscribed for
	// watchLinger; gen tells a stale timer from the current one.
	idle *time.Timer
	gen  int
}

// Subscribe returns a Subscription woken after every commit to the file,
// by this Store or by another process. Close it when done.
func (s *Store) Subscribe() *Subscription {
	c := make(chan struct{}, 1)
	sub := &Subscription{C: c, c: c, hub: &s.hub}
	s.hub.join(sub, s.path)
	return sub
}

// committed wakes this Store's subscribers after one of its writes.
func (s *Store) committed() { s.hub.notify() }

func (h *hub) join(sub *Subscription, path string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[*Subscription]struct{}{}
	}
	h.subs[sub] = struct{}{}
	if h.idle != nil {
		h.idle.Stop()
		h.idle = nil
		h.gen++
	}
	if h.watcher == nil {
		h.watcher = startWatcher(path, h.notify)
	}
}

func (h *hub) leave(sub *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[sub]; !ok {
		return
	}
	delete(h.subs, sub)
	if len(h.subs) > 0 || h.watcher == nil || h.idle != nil {
		return
	}
	gen := h.gen
	h.idle = time.AfterFunc(watchLinger, func() {
		h.mu.Lock()
		if gen != h.gen || len(h.subs) > 0 || h.watcher == nil {
			h.mu.Unlock()
			return
		}
		w := h.watcher
		h.watcher, h.idle = nil, nil
		h.mu.Unlock()
		// Closed outside the lock: its goroutine may be waiting for
		// the lock to deliver a last wake-up.
		_ = w.Close()
	})
}

// stop closes the watcher at once (Store.Close).
func (h *hub) stop() {
	h.mu.Lock()
	if h.idle != nil {
		h.idle.Stop()
		h.idle = nil
		h.gen++
	}
	w := h.watcher
	h.watcher = nil
	h.mu.Unlock()
	if w != nil {
		_ = w.Close()
	}
}

func (h *hub) notify() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		select {
		case sub.c <- struct{}{}:
		default: // one is pending already
		}
	}
}

// startWatcher watches the folder of path and calls wake on every change
// to the file. It returns nil when the system offers no watcher; the
// callers' poll then covers other processes' writes.
func startWatcher(path string, wake func()) *fsnotify.Watcher {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if err := w.Add(filepath.Dir(abs)); err != nil {
		_ = w.Close()
		return nil
	}
	name := filepath.Base(abs)
	go func() {
		for {
			select {
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if filepath.Base(ev.Name) == name && !ev.Has(fsnotify.Chmod) {
					wake()
				}
			case _, ok := <-w.Errors:
				if !ok {
					return
				}
				// An overflow loses events, not the watch: wake the
				// readers so they look at the stamp.
				wake()
			}
		}
	}()
	return w
}
