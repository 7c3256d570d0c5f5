package server

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui"
)

// Presence in the war room.
//
// The sessions of one server keep who is in the room and what they edit
// in the server's memory (RoomPresence), not in the database: a heartbeat
// is a map write under a lock, and reading the room a map copy. An idle
// room commits nothing and wakes nobody.
//
// Local cockpits on the same database keep theirs in files beside it (see
// tui/presence_board.go), so the server shares the room with them through
// that folder too: it writes one file holding all its sessions' records
// whenever who is here or what they edit changes, and at least every
// mirrorEvery while anyone is connected (so that it stays fresh for the
// others, and goes stale within 15 s if the server dies), and it reads the
// other processes' files at most once per mirrorEvery, for all its
// sessions at once.

// mirrorEvery is how often the server's file is rewritten while nothing
// changes, and how long the other processes' records read are kept.
const mirrorEvery = 2500 * time.Millisecond

// RoomPresence is the presence board of one warroom serve.
type RoomPresence struct {
	file *tui.FilePresence
	name string // the server's own file

	mu      sync.Mutex
	closed  bool
	rooms   map[int64]map[string]string // incident -> session -> record
	written map[int64]time.Time         // when the server's file was last written
	shape   map[int64]string            // who is here and edits what, as last written
	others  map[int64]otherRecords
}

type otherRecords struct {
	at      time.Time
	records map[string]string
}

// NewRoomPresence keeps presence for the sessions of a server on st.
func NewRoomPresence(st *store.Store) *RoomPresence {
	return &RoomPresence{
		file: tui.NewFilePresence(st.Path()), name: "serve-" + store.NewUID(),
		rooms: map[int64]map[string]string{}, written: map[int64]time.Time{},
		shape: map[int64]string{}, others: map[int64]otherRecords{},
	}
}

// Say sets a session's record in memory, and the server's file when the
// room changed or the file is getting old.
func (p *RoomPresence) Say(incident int64, session, value string) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	room := p.rooms[incident]
	if value == "" {
		delete(room, session)
	} else {
		if room == nil {
			room = map[string]string{}
			p.rooms[incident] = room
		}
		room[session] = value
	}
	shape := roomShape(room)
	if shape == p.shape[incident] && time.Since(p.written[incident]) < mirrorEvery {
		p.mu.Unlock()
		return nil
	}
	p.shape[incident], p.written[incident] = shape, time.Now()
	records := maps.Clone(room)
	if len(room) == 0 {
		delete(p.rooms, incident)
	}
	// Written under the lock, so that two writes of the file land in
	// the order of the changes they carry.
	defer p.mu.Unlock()
	return p.file.Write(incident, p.name, records)
}

// Close empties the room and removes the server's files: the server is
// stopping, and a heartbeat still in flight writes nothing after it.
func (p *RoomPresence) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for id := range p.written {
		_ = p.file.Write(id, p.name, nil)
	}
	clear(p.rooms)
}

// Records returns the server's sessions' records and the other
// processes'.
func (p *RoomPresence) Records(incident int64) (map[string]string, error) {
	p.mu.Lock()
	out := maps.Clone(p.rooms[incident])
	o, ok := p.others[incident]
	p.mu.Unlock()
	if out == nil {
		out = map[string]string{}
	}
	if !ok || time.Since(o.at) >= mirrorEvery {
		all, err := p.file.Records(incident)
		if err != nil {
			return out, nil // the room over SSH still shows
		}
		o = otherRecords{at: time.Now(), records: map[string]string{}}
		p.mu.Lock()
		for s, v := range all {
			if _, mine := p.rooms[incident][s]; !mine {
				o.records[s] = v
			}
		}
		p.others[incident] = o
		p.mu.Unlock()
	}
	for s, v := range o.records {
		if _, mine := out[s]; !mine {
			out[s] = v
		}
	}
	return out, nil
}

// roomShape is who is in a room and what each edits, without the times of
// their heartbeats: a change of it is worth writing at once.
func roomShape(room map[string]string) string {
	keys := make([]string, 0, len(room))
	for s, v := range room {
		// person, time, target: the time left out.
		parts := strings.SplitN(v, "\t", 3)
		parts[min(1, len(parts)-1)] = ""
		keys = append(keys, s+"\t"+strings.Join(parts, "\t"))
	}
	slices.Sort(keys)
	return strings.Join(keys, "\n")
}
