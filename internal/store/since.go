package store

import (
	"maps"
	"os"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/warroom-cli/warroom/internal/incident"
)

// One delta read per commit, shared by the readers it wakes.
//
// A commit wakes every cockpit following the incident (in warroom serve,
// one per SSH session), and each reads what changed after its cursor. Read
// one by one, a room of 50 opens the file, copies and decodes the same head,
// retro, updates and new entries 50 times per commit. The readers of one
// commit hold one cursor, or one of a few (those of the last commits), so
// Since keeps, per incident, the last delta it read with the file's stamp
// at the time: a caller that finds the stamp unchanged and its cursor at or
// after the kept read's takes its part of that read without a transaction.
// Its part is what a read of its own would return: the entries after its
// cursor, the change records after its cursor, and of the entries those
// name, the ones at or before its cursor, as they are now. The kept read
// covers them all: an entry such a change names is either after the kept
// read's cursor (among its new entries) or before it and changed since
// (among its edited ones).
//
// The stamp (see Stamp) is the newest transaction id in the meta pages, the
// file's size and modification time and its identity; every commit changes
// the id, and a file put in the database's place changes its identity. It is
// taken before the transaction and the read kept only when the
// transaction's id is the stamp's, so what is kept is what that stamp's
// file held. Readers arriving while a read for their stamp and cursor is
// under way wait for it instead of reading too: it began after the stamp
// they saw, so it holds every commit they could know of.
//
// A new read starts from the oldest cursor it may have to serve: the
// caller's, or the end of the last read (where every caller it served now
// stands), whichever is older; so the room's next commit is again one read.
type deltaMemo struct {
	mu    sync.Mutex
	reads map[int64]*sharedRead // by incident: the last read

	// transactions counts the reads Since made, for tests.
	transactions atomic.Int64
}

// deltaMemoIncidents bounds how many incidents' reads are kept; a process
// follows a few at a time.
const deltaMemoIncidents = 16

// sharedRead is one delta read, shared by the callers it covers. Nothing in
// it changes after done is closed.
type sharedRead struct {
	stamp fileStamp
	base  Cursor        // it read what came after this cursor
	done  chan struct{} // closed when the read is in
	err   error

	d        Delta
	chgSeq   []int64                   // the key of each of d.Changes
	chgEntry []int64                   // the entry each of d.Changes names, or 0
	byID     map[int64]*incident.Entry // d.Added and d.Edited by id
}

// fileStamp is a Stamp with the identity of the file it was read from.
type fileStamp struct {
	Stamp
	file os.FileInfo
}

func (a fileStamp) same(b fileStamp) bool {
	return a.TxID == b.TxID && a.Size == b.Size && a.ModTime.Equal(b.ModTime) &&
		a.file != nil && b.file != nil && os.SameFile(a.file, b.file)
}

// Since reads what changed in an incident after cur, so that an open
// cockpit follows other processes' writes without re-reading a long
// timeline. Its cost is that of what changed, not of the timeline, and the
// callers one commit wakes share one read of it (see deltaMemo). The Delta
// returned is the caller's own, to change as it likes.
func (s *Store) Since(id int64, cur Cursor) (Delta, error) {
	d, err := s.SinceShared(id, cur)
	if err != nil {
		return Delta{}, err
	}
	return d.Clone(), nil
}

// SinceShared is Since without the copy: the Delta it returns (its head,
// entries and changes) is shared with every other caller and must not be
// changed, in place or through an append. A caller that changes it (a time
// zone put on its times) uses Since, or Delta.Clone, instead.
func (s *Store) SinceShared(id int64, cur Cursor) (Delta, error) {
	m := &s.deltas
	st, err := s.fileStamp()
	if err != nil {
		// No stamp, no sharing: the read says what is wrong.
		m.transactions.Add(1)
		d, _, _, err := s.readSince(id, cur)
		return d, err
	}
	m.mu.Lock()
	last := m.reads[id]
	if last != nil && last.stamp.same(st) && !cursorBefore(cur, last.base) {
		m.mu.Unlock()
		<-last.done
		if last.err == nil && !cursorBefore(last.d.Cursor, cur) {
			return last.part(cur), nil
		}
		// The shared read failed, or cur is from another file's
		// history: a read of its own says what is wrong, or serves it.
		m.transactions.Add(1)
		d, _, _, err := s.readSince(id, cur)
		return d, err
	}
	base := cur
	if last != nil {
		from := last.base
		select {
		case <-last.done:
			if last.err == nil && !last.stamp.same(st) {
				from = last.d.Cursor
			}
		default:
		}
		base = oldestCursor(cur, from)
	}
	r := &sharedRead{stamp: st, base: base, done: make(chan struct{})}
	if m.reads == nil {
		m.reads = map[int64]*sharedRead{}
	}
	if _, ok := m.reads[id]; !ok && len(m.reads) >= deltaMemoIncidents {
		for k := range m.reads {
			delete(m.reads, k)
			break
		}
	}
	m.reads[id] = r
	m.mu.Unlock()

	m.transactions.Add(1)
	r.d, r.chgSeq, r.chgEntry, r.err = s.readSince(id, base)
	if r.err == nil {
		r.byID = make(map[int64]*incident.Entry, len(r.d.Added)+len(r.d.Edited))
		for i := range r.d.Added {
			r.byID[r.d.Added[i].ID] = &r.d.Added[i]
		}
		for i := range r.d.Edited {
			r.byID[r.d.Edited[i].ID] = &r.d.Edited[i]
		}
	}
	if r.err != nil || r.d.Cursor.Tx != st.TxID {
		// Not what the stamp's file held (a commit, or another file,
		// came between the stamp and the transaction): those waiting
		// may take it, as it is newer than the stamp they saw, but
		// later callers may not.
		m.mu.Lock()
		if m.reads[id] == r {
			delete(m.reads, id)
		}
		m.mu.Unlock()
	}
	close(r.done)
	if r.err != nil {
		return Delta{}, r.err
	}
	return r.part(cur), nil
}

// part is what a read of its own after cur would return, cut from r; cur
// is at or after r's base and not after its end.
func (r *sharedRead) part(cur Cursor) Delta {
	if cur.LastEntry == r.base.LastEntry && cur.LastChg == r.base.LastChg {
		return r.d
	}
	added := sort.Search(len(r.d.Added), func(i int) bool { return r.d.Added[i].ID > cur.LastEntry })
	chg := sort.Search(len(r.chgSeq), func(i int) bool { return r.chgSeq[i] > cur.LastChg })
	d := Delta{
		Head:    r.d.Head,
		Added:   r.d.Added[added:len(r.d.Added):len(r.d.Added)],
		Edited:  []incident.Entry{},
		Cursor:  r.d.Cursor,
		Changes: r.d.Changes[chg:len(r.d.Changes):len(r.d.Changes)],
	}
	if len(d.Changes) == 0 {
		d.Changes = nil // as a read of its own leaves it
	}
	var seen map[int64]bool
	for _, e := range r.chgEntry[chg:] {
		if e == 0 || e > cur.LastEntry || seen[e] {
			continue
		}
		if seen == nil {
			seen = map[int64]bool{}
		}
		seen[e] = true
		if p := r.byID[e]; p != nil {
			d.Edited = append(d.Edited, *p)
		}
	}
	return d
}

// cursorBefore reports whether a misses something b has: an entry or a
// change record after a's.
func cursorBefore(a, b Cursor) bool {
	return a.LastEntry < b.LastEntry || a.LastChg < b.LastChg
}

// oldestCursor is a cursor from which a read covers both a and b.
func oldestCursor(a, b Cursor) Cursor {
	return Cursor{Tx: min(a.Tx, b.Tx), LastEntry: min(a.LastEntry, b.LastEntry), LastChg: min(a.LastChg, b.LastChg)}
}

// Clone returns a copy of d that shares nothing a caller could change with
// d: every slice, map and pointer in it is copied (strings are immutable).
func (d Delta) Clone() Delta {
	out := Delta{Cursor: d.Cursor, Added: copyEntries(d.Added), Edited: copyEntries(d.Edited), Changes: slices.Clone(d.Changes)}
	if d.Head != nil {
		h := deepCopyIncident(*d.Head)
		out.Head = &h
	}
	return out
}

func deepCopyIncident(in incident.Incident) incident.Incident {
	in.Roles = maps.Clone(in.Roles)
	in.Tags = slices.Clone(in.Tags)
	in.Alert = copyPtr(in.Alert)
	in.Milestones = maps.Clone(in.Milestones)
	in.MilestoneEntries = maps.Clone(in.MilestoneEntries)
	in.Entries = copyEntries(in.Entries)
	in.Updates = copyUpdates(in.Updates)
	in.Retro = copyRetro(in.Retro)
	in.Changes = slices.Clone(in.Changes)
	if in.Ops != nil {
		ops := make([]incident.Op, len(in.Ops))
		for i, o := range in.Ops {
			o.Base = copyPtr(o.Base)
			if o.Entry != nil {
				e := copyEntry(*o.Entry)
				o.Entry = &e
			}
			if o.Update != nil {
				u := copyUpdate(*o.Update)
				o.Update = &u
			}
			ops[i] = o
		}
		in.Ops = ops
	}
	return in
}

func copyEntries(es []incident.Entry) []incident.Entry {
	if es == nil {
		return nil
	}
	out := make([]incident.Entry, len(es))
	for i, e := range es {
		out[i] = copyEntry(e)
	}
	return out
}

func copyEntry(e incident.Entry) incident.Entry {
	if d := e.Set.Declared; d != nil {
		c := *d
		c.Roles = maps.Clone(c.Roles)
		c.Tags = slices.Clone(c.Tags)
		c.Alert = copyPtr(c.Alert)
		e.Set.Declared = &c
	}
	return e
}

func copyUpdates(us []incident.Update) []incident.Update {
	if us == nil {
		return nil
	}
	out := make([]incident.Update, len(us))
	for i, u := range us {
		out[i] = copyUpdate(u)
	}
	return out
}

func copyUpdate(u incident.Update) incident.Update {
	u.Delivery = slices.Clone(u.Delivery)
	return u
}

func copyRetro(r incident.Retro) incident.Retro {
	if r.Sections != nil {
		ss := make([]incident.Section, len(r.Sections))
		for i, s := range r.Sections {
			s.Contributors = slices.Clone(s.Contributors)
			s.Perspectives = slices.Clone(s.Perspectives)
			ss[i] = s
		}
		r.Sections = ss
	}
	r.Whys = slices.Clone(r.Whys)
	if r.Factors != nil {
		fs := make([]incident.Factor, len(r.Factors))
		for i, f := range r.Factors {
			f.Evidence = slices.Clone(f.Evidence)
			fs[i] = f
		}
		r.Factors = fs
	}
	r.Actions = slices.Clone(r.Actions)
	r.Review = slices.Clone(r.Review)
	r.DeletedBy = maps.Clone(r.DeletedBy)
	return r
}

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
