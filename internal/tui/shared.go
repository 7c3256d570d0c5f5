package tui

import (
	"sync"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Timelines is what the sessions of one `warroom serve` share of the
// incidents they show: the newest copy of each incident and its timeline
// (cockpit.TimelineData, immutable and copy-on-write), by incident, time
// zone and gap threshold. A session opening an incident takes the copy
// another session holds, brought up to date by a delta, instead of reading
// and building its own; a session applying a change takes the copy another
// session made from the same one. So fifty sessions on a 100,000-entry
// incident hold one copy of it (about 45 MB), not fifty, and each change
// is applied once for most of them (docs/performance.md, "One copy per
// incident").
//
// Each session goes on with its own copy when it must: a filter, a line of
// its own not yet read back by the others. A copy any session made of the
// store at transaction T is the incident at T, so sessions whose copies
// drifted apart meet again at the next change they share. The local
// cockpit has no Timelines (Options.Shared nil) and keeps its own copy.
type Timelines struct {
	// memo keeps what the sessions draw of those copies (common.Memo).
	memo   *common.Memo
	mu     sync.Mutex
	latest map[timelineKey]*sharedTimeline
	// loading holds one lock per incident, so that sessions opening one
	// at once read and build it once.
	loading map[timelineKey]*sync.Mutex
}

// NewTimelines is an empty Timelines, for the sessions of one server.
func NewTimelines() *Timelines {
	return &Timelines{memo: common.NewMemo(), latest: map[timelineKey]*sharedTimeline{}, loading: map[timelineKey]*sync.Mutex{}}
}

// memoOrNew is the room's memo, or one of its own for a program with no
// room (t nil).
func (t *Timelines) memoOrNew() *common.Memo {
	if t == nil {
		return common.NewMemo()
	}
	return t.memo
}

// timelineKey says which copies are the same: an incident's entries are
// held in one zone, and its gap lines are laid out for one threshold.
type timelineKey struct {
	id   int64
	zone string
	gap  time.Duration
}

func keyFor(ctx *common.Context) timelineKey {
	return timelineKey{id: ctx.IncidentID, zone: ctx.Now().Location().String(), gap: ctx.GapThreshold()}
}

// sharedTimeline is one copy of an incident as of cursor.Tx.
type sharedTimeline struct {
	cursor store.Cursor
	inc    *incident.Incident
	td     *cockpit.TimelineData
	// from is the timeline this one was made from by a change, so that
	// a session holding from takes this one rather than repeat the change.
	from *cockpit.TimelineData
}

func (t *Timelines) get(k timelineKey) *sharedTimeline {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.latest[k]
}

// offer hands in a copy a session made. It is kept when it is newer than
// the one held. The copy to show is returned: the one held when it is of
// the same transaction (so that sessions end on one copy), else v.
func (t *Timelines) offer(k timelineKey, v *sharedTimeline) *sharedTimeline {
	t.mu.Lock()
	defer t.mu.Unlock()
	held := t.latest[k]
	switch {
	case held == nil || v.cursor.Tx > held.cursor.Tx:
		t.latest[k] = v
		t.trim(k)
	case held.cursor.Tx == v.cursor.Tx:
		return held
	}
	return v
}

// keptIncidents is how many copies a server keeps: the incidents its
// sessions show now, and a few they showed before. A copy of a huge
// incident is tens of megabytes; one nobody shows any more goes when a
// newer copy of another incident needs the room.
const keptIncidents = 16

// trim drops the copies made longest ago, but k's, past keptIncidents.
func (t *Timelines) trim(k timelineKey) {
	for len(t.latest) > keptIncidents {
		var oldest timelineKey
		var at uint64
		first := true
		for key, v := range t.latest {
			if key != k && (first || v.cursor.Tx < at) {
				oldest, at, first = key, v.cursor.Tx, false
			}
		}
		delete(t.latest, oldest)
	}
}

// forget drops the copy held for k (the file was written anew, and its
// transaction numbers started again).
func (t *Timelines) forget(k timelineKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.latest, k)
}

// lock takes k's loading lock.
func (t *Timelines) lock(k timelineKey) func() {
	t.mu.Lock()
	l := t.loading[k]
	if l == nil {
		l = &sync.Mutex{}
		t.loading[k] = l
	}
	t.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// open is the copy to open incident k with: the one held, brought up to
// the store's stamp by a delta when it is behind; false when none is held
// or it cannot be used.
func (t *Timelines) open(k timelineKey, st *store.Store, stamp store.Stamp, loc *time.Location) (*sharedTimeline, bool) {
	v := t.get(k)
	if v == nil {
		return nil, false
	}
	if stamp.TxID < v.cursor.Tx {
		// Transaction numbers only grow in one file: this one was
		// written anew (warroom compact, a backup put back).
		t.forget(k)
		return nil, false
	}
	if stamp.TxID == v.cursor.Tx {
		return v, true
	}
	d, err := st.Since(k.id, v.cursor)
	if err != nil {
		return nil, false
	}
	deltaInZone(&d, loc)
	inc, td := cockpit.MergeDelta(v.inc, v.td, d, nil)
	return t.offer(k, &sharedTimeline{cursor: d.Cursor, inc: inc, td: td, from: v.td}), true
}

// merge applies a delta to the copy on screen, or takes the copy another
// session holds of the incident as of the same transaction: a copy of the
// store at transaction T is the incident at T, whatever copy it was made
// from (a session's own lines, applied from its writes' results, are in
// it too, as they are in the store).
func (t *Timelines) merge(k timelineKey, inc *incident.Incident, td *cockpit.TimelineData, d store.Delta, known map[int64]bool) (*incident.Incident, *cockpit.TimelineData) {
	if v := t.get(k); v != nil && v.cursor.Tx == d.Cursor.Tx {
		return v.inc, v.td
	}
	inc, next := cockpit.MergeDelta(inc, td, d, known)
	v := t.offer(k, &sharedTimeline{cursor: d.Cursor, inc: inc, td: next, from: td})
	return v.inc, v.td
}

// deltaInZone puts the delta's times in loc, in place (the delta is this
// read's own).
func deltaInZone(d *store.Delta, loc *time.Location) {
	common.InZone(d.Head, loc)
	common.EntriesInZone(d.Added, loc)
	common.EntriesInZone(d.Edited, loc)
	for i := range d.Changes {
		d.Changes[i].At = d.Changes[i].At.In(loc)
	}
}
