package tui

import (
	"runtime/debug"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/cockpit"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// Every function here returns a tea.Cmd: the I/O runs off the Update loop
// and comes back as a typed message.

// tailEntries is how many entries the first frame of a huge incident reads
// for a terminal h rows high: one per row fills the timeline (entries never
// take less than a row), so the first frame costs the same for 100 entries
// or 100,000. The rest loads in the background.
func tailEntries(h int) int {
	const chrome = 1 + cockpit.HeaderHeight + cockpit.CaptureHeight + 2 // status line, header, capture line, borders
	return max(h, MinHeight) - chrome
}

// bigLoad is the number of entries from which a whole read returns its
// garbage to the system at once (see loadIncidentCmd).
const bigLoad = 20000

// loadIncidentCmd reads the incident. With first set, a huge timeline is
// read as its tail first, and the full read follows from Update. With
// shared (warroom serve), the copy another session holds is taken when
// there is one (shared.go).
func loadIncidentCmd(ctx *common.Context, shared *Timelines, first bool) tea.Cmd {
	st, id, gap, tail, loc := ctx.Store, ctx.IncidentID, ctx.GapThreshold(), tailEntries(ctx.Height), ctx.Now().Location()
	key := keyFor(ctx)
	return func() tea.Msg {
		if shared != nil {
			// Sessions opening the incident at once read it once.
			defer shared.lock(key)()
		}
		stamp, _ := st.Stamp()
		if shared != nil {
			if v, ok := shared.open(key, st, stamp, loc); ok {
				return common.IncidentLoadedMsg{ID: id, Inc: v.inc, Stamp: stamp, Cursor: v.cursor, Total: v.td.Entries(), First: first, Timeline: v.td}
			}
		}
		n := -1
		if first {
			n = tail
		}
		snap, err := st.ScreenSnapshot(id, n)
		if err != nil {
			return common.ErrMsg{Err: err}
		}
		inc := snap.Incident
		common.InZone(inc, loc)
		// The timeline keeps the entries from here on (the one copy on
		// screen, see common.Context.Entries).
		td := cockpit.BuildTimeline(inc, gap)
		inc.Entries = nil
		if shared != nil && !snap.Partial {
			v := shared.offer(key, &sharedTimeline{cursor: snap.Cursor, inc: inc, td: td})
			inc, td = v.inc, v.td
		}
		if n < 0 && td.Entries() >= bigLoad {
			// Reading a huge incident whole leaves about twice what the
			// timeline keeps as garbage (the records copied out of the
			// file, their decoding): give it back to the system now,
			// once, rather than let the process sit at three times its
			// size until the scavenger gets to it. Off the Update loop.
			debug.FreeOSMemory()
		}
		return common.IncidentLoadedMsg{ID: id, Inc: inc, Stamp: stamp, Cursor: snap.Cursor, Partial: snap.Partial, Total: snap.Total, First: first, Timeline: td}
	}
}

// pollCmd waits for the database to change and returns its stamp: at once
// when a commit by this process or another wakes it (store.Subscribe),
// after every at the latest in case no wake-up ever comes. A change since
// the stamp the screen has (seen, not zero) returns at once: it may have
// come between the last wait and this one, while nobody was subscribed.
func pollCmd(st *store.Store, every, settle time.Duration, seen store.Stamp) tea.Cmd {
	// A method value rather than a closure: every command from here then
	// has the same code, which the tests' driver tells from the rest.
	return pollWait{st: st, every: every, settle: max(settle, minSettle), seen: seen}.run
}

// minSettle is how long a wake-up waits for the rest of its burst at
// least; in a busy room with a frame gap (warroom serve) it waits the gap
// (see Model.poll).
const minSettle = 10 * time.Millisecond

type pollWait struct {
	st     *store.Store
	every  time.Duration
	settle time.Duration
	seen   store.Stamp
}

func (w pollWait) run() tea.Msg {
	sub := w.st.Subscribe()
	defer sub.Close()
	if w.seen != (store.Stamp{}) {
		if stamp, err := w.st.Stamp(); err == nil && common.StampChanged(stamp, w.seen) {
			return pollMsg{stamp: stamp}
		}
	}
	t := time.NewTimer(w.every)
	defer t.Stop()
	select {
	case <-sub.C:
		// Commits come in bursts (a room of people typing, a paste of
		// many lines): the ones landing in the next moment are read
		// with this one, not each on its own.
		time.Sleep(w.settle)
	case <-t.C:
	}
	stamp, err := w.st.Stamp()
	return pollMsg{stamp: stamp, err: err}
}

// tickCmd wakes the live clocks on the next whole second.
func tickCmd() tea.Cmd {
	return tea.Every(time.Second, func(t time.Time) tea.Msg { return common.TickMsg(t) })
}
