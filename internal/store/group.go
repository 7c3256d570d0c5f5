package store

import (
	"errors"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Group commit.
//
// A room of people typing at once sends the store a line each at the same
// moment. One transaction each means one fsync each, taken in turn: fifty
// lines were fifty commits, the last written well after the first, and
// every screen in the room woke for each. Lines written through
// updateGrouped instead share a transaction with the lines that arrived
// while the one before was committing: the first writer commits alone at
// once (a lone writer never waits for company), and the writers that
// queued meanwhile commit together next, in the order they arrived, in
// one transaction and one fsync. One person's lines keep their order: a
// session writes its next line only once the one before has returned.
//
// A transaction either holds every write of its group or none. When one
// write of a group fails (or finds nothing to change), the group's
// transaction is rolled back and each write runs again on its own, so each
// gets its own answer; the functions given to updateGrouped must therefore
// compute their results afresh each time they run. ApplyLine's does.
//
// A reader that moves its cursor past its own write's transaction (as the
// cockpit does when the write is the one transaction after the one it last
// read) must first ask Alone: a transaction that held other writes holds
// lines it has not read.

// errGroupWrite aborts a group's transaction when one of its writes fails.
var errGroupWrite = errors.New("a write of the group failed")

// groupWrite is one write waiting for a group.
type groupWrite struct {
	fn func(*bolt.Tx) error
	// applied is the write's answer when it is a capture (applyAlso),
	// told once committed what its whole transaction did (tellTransaction).
	applied *Applied
	err     error
	// done is set before wake is sent: the write is over. A wake
	// without it makes the waiter the group's leader.
	done bool
	wake chan struct{}
}

// writeGroups is the queue of grouped writes and the transactions that held
// more than one.
type writeGroups struct {
	mu      sync.Mutex
	queue   []*groupWrite
	leading bool
	// grouped holds the last transactions that held several writes, in
	// the order committed (recent is a ring of their ids).
	grouped map[uint64]bool
	recent  []uint64
}

// groupedKept is how many grouped transactions Alone remembers: a writer
// asks right after its write returns.
const groupedKept = 256

// updateGrouped is update for a write that may share its transaction with
// others arriving at the same time (see above).
func (s *Store) updateGrouped(fn func(*bolt.Tx) error, applied *Applied) error {
	g := &s.groups
	w := &groupWrite{fn: fn, applied: applied, wake: make(chan struct{}, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, w)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead {
		<-w.wake
		if w.done {
			return w.err
		}
	}
	s.leadGroup()
	return w.err
}

// leadGroup commits every write queued, then hands the lead to the first
// write queued meanwhile, if any.
func (s *Store) leadGroup() {
	g := &s.groups
	g.mu.Lock()
	batch := g.queue
	g.queue = nil
	g.mu.Unlock()
	s.commitGroup(batch)
	for _, w := range batch {
		w.done = true
		w.wake <- struct{}{}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.leading = false
		return
	}
	g.queue[0].wake <- struct{}{}
}

// commitGroup runs the writes of a group in one transaction, or each on
// its own when one of them fails.
func (s *Store) commitGroup(batch []*groupWrite) {
	if len(batch) == 1 {
		if batch[0].err = s.update(batch[0].fn); batch[0].err == nil {
			tellTransaction(batch)
		}
		return
	}
	var id uint64
	err := s.update(func(tx *bolt.Tx) error {
		id = uint64(tx.ID())
		for _, w := range batch {
			if err := w.fn(tx); err != nil {
				return errGroupWrite
			}
		}
		return nil
	})
	switch {
	case err == nil:
		s.groups.note(id)
		tellTransaction(batch)
	case errors.Is(err, errGroupWrite):
		for _, w := range batch {
			if w.err = s.update(w.fn); w.err == nil {
				tellTransaction([]*groupWrite{w})
			}
		}
	default:
		// The transaction itself failed (the file locked, the disk
		// full): the same for every write in it.
		for _, w := range batch {
			w.err = err
		}
	}
}

// tellTransaction tells each capture of a committed transaction what the
// transaction as a whole did to its incident (Applied.TxWhole): when it
// held plain lines to one incident and nothing else, every writer gets
// every line, in the order written, and the head as the last left it. A
// cockpit that had read up to the transaction before then shows the
// transaction from its own answer, as it does a line committed alone,
// instead of reading what the others' lines were: the sessions of a room
// whose lines shared a transaction all show the same copy of it at once
// (tui.Timelines), rather than one each with only their own line and a
// read after it for the others'.
func tellTransaction(batch []*groupWrite) {
	whole := true
	var entries []incident.Entry
	for _, w := range batch {
		a := w.applied
		if a == nil || !a.plainLine() || a.ID != batch[0].applied.ID {
			whole = false
			break
		}
		entries = append(entries, a.Entries...)
	}
	last := batch[len(batch)-1].applied
	for _, w := range batch {
		a := w.applied
		if a == nil {
			continue
		}
		a.TxWhole, a.TxEntries, a.TxHead = whole, nil, nil
		if !whole {
			continue
		}
		// Each writer's own copy: the sessions that get them put their
		// times in their zones, in place.
		a.TxEntries, a.TxHead = copyEntries(entries), last.Head
		if a != last && last.Head != nil {
			h := deepCopyIncident(*last.Head)
			a.TxHead = &h
		}
	}
}

// plainLine reports that the capture wrote timeline entries and the head
// they fold into, and nothing else: no entry moved, no draft, no public
// update, no repeat of a keyed capture answered without writing.
func (a *Applied) plainLine() bool {
	return a.Tx != 0 && !a.Repeated && len(a.Moves) == 0 && a.Draft == nil && a.Update == nil
}

func (g *writeGroups) note(tx uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.grouped == nil {
		g.grouped = map[uint64]bool{}
	}
	if len(g.recent) >= groupedKept {
		delete(g.grouped, g.recent[0])
		g.recent = g.recent[1:]
	}
	g.grouped[tx] = true
	g.recent = append(g.recent, tx)
}

// Alone reports whether write transaction tx, returned by one of this
// Store's writes, held that write alone: a reader that has read up to the
// transaction before it has then read everything but that write.
func (s *Store) Alone(tx uint64) bool {
	if s == nil {
		return true
	}
	g := &s.groups
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.grouped[tx]
}
