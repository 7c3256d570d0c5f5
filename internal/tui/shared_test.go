package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// openShared opens a cockpit session of author on incident id, as warroom
// serve does: sharing the server's copies (shared).
func openShared(t *testing.T, st *store.Store, id int64, shared *Timelines, author string) Model {
	t.Helper()
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Author: author, Shared: shared})
	return drive(t, m, m.Init())
}

// TestSessionsShareOneTimeline: sessions of one server on one incident hold
// one copy of its timeline, whoever opens it first and whatever changes
// come, from another program or from one of them; a session's own view (a
// filter) stays its own; and every screen shows each change.
func TestSessionsShareOneTimeline(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 3000)
	shared := NewTimelines()
	open := func(author string) Model { return openShared(t, st, id, shared, author) }
	amara, ben := open("amara"), open("ben")
	same := func(step string) {
		t.Helper()
		if amara.cockpit.Timeline.Data != ben.cockpit.Timeline.Data {
			t.Fatalf("%s: the sessions hold two copies of the timeline", step)
		}
		if amara.ctx.Incident != ben.ctx.Incident {
			t.Fatalf("%s: the sessions hold two copies of the incident", step)
		}
	}
	same("opened")
	if n := amara.cockpit.Timeline.Data.Entries(); n != 3001 {
		t.Fatalf("opened with %d entries, want 3001", n)
	}

	// Another program rewords an entry in view; each session reads it.
	target := amara.cockpit.Timeline.Data.Entry(2998)
	if _, err := st.EditEntry(id, target.ID, pinnedNow(), "carol", func(e *incident.Entry) error {
		e.Text = "reworded by carol"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	amara = send(t, amara, common.ReloadMsg{})
	ben = send(t, ben, common.ReloadMsg{})
	same("after another program's edit")
	for _, m := range []Model{amara, ben} {
		if !strings.Contains(m.View(), "reworded by carol") {
			t.Fatalf("%s's screen does not show the edit:\n%s", m.ctx.Author, m.View())
		}
	}

	// A line of amara's own: ben reads it as a delta, amara applies it
	// from her write's result; they end on one copy.
	amara = typeLines(t, amara, "amara's own line")
	amara.ctx.WaitWrites()
	ben = send(t, ben, common.ReloadMsg{})
	amara = send(t, amara, common.ReloadMsg{})
	same("after amara's line")
	if !strings.Contains(ben.View(), "amara's own line") {
		t.Fatalf("ben's screen does not show amara's line:\n%s", ben.View())
	}

	// Ben filters his view; amara's stays whole.
	ben = press(t, ben, "tab", "f")
	if ben.cockpit.Timeline.Data != amara.cockpit.Timeline.Data {
		t.Fatal("a filter changed the shared timeline")
	}
	if !strings.Contains(ben.View(), "no status/role/system") || strings.Contains(amara.View(), "no status/role/system") {
		t.Fatal("the filter is not ben's alone")
	}

	// A session opening later takes the copy held, brought up to date.
	if _, err := st.DeleteEntry(id, target.ID, pinnedNow(), "carol"); err != nil {
		t.Fatal(err)
	}
	carol := open("carol")
	amara = send(t, amara, common.ReloadMsg{})
	if carol.cockpit.Timeline.Data != amara.cockpit.Timeline.Data {
		t.Fatal("a session opening later built its own copy")
	}
	// 3,001 entries, amara's line and the deletion's record, less the
	// entry deleted.
	if n := carol.cockpit.Timeline.Data.Entries(); n != 3002 {
		t.Fatalf("the late session shows %d entries, want 3002", n)
	}
	if strings.Contains(carol.View(), "dmitri  ") && strings.Contains(carol.View(), "· reworded by carol") {
		t.Fatalf("the late session shows the deleted entry:\n%s", carol.View())
	}
}

// TestSharedCopyAfterCompact: a file written anew (warroom compact) starts
// its transaction numbers again; a session opening then reads it rather
// than take the copy held from before, and shows what is written after.
func TestSharedCopyAfterCompact(t *testing.T) {
	st := openStore(t)
	id := seedMany(t, st, 50)
	shared := NewTimelines()
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Shared: shared})
	m = drive(t, m, m.Init())
	v := shared.get(keyFor(m.ctx))
	if v == nil {
		t.Fatal("no copy is held after opening")
	}
	// As if the file had been written anew: the held copy claims a
	// transaction the file has not reached.
	stale := *v
	stale.cursor.Tx += 1000
	shared.offer(keyFor(m.ctx), &stale)
	if _, err := st.AppendEntry(id, incident.Entry{At: pinnedNow(), RecordedAt: pinnedNow(), Author: "ben", Kind: incident.KindNote, Text: "after the compact"}); err != nil {
		t.Fatal(err)
	}
	late := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, Shared: shared})
	late = drive(t, late, late.Init())
	if !strings.Contains(late.View(), "after the compact") {
		t.Fatalf("the session took the copy from before the file was written anew:\n%s", late.View())
	}
}

// TestTimelinesKeepABoundedNumberOfCopies: a server that has shown many
// incidents keeps the copies of the last ones only.
func TestTimelinesKeepABoundedNumberOfCopies(t *testing.T) {
	shared := NewTimelines()
	for i := range keptIncidents + 5 {
		shared.offer(timelineKey{id: int64(i + 1)}, &sharedTimeline{cursor: store.Cursor{Tx: uint64(i + 1)}})
	}
	if n := len(shared.latest); n != keptIncidents {
		t.Fatalf("%d copies kept, want %d", n, keptIncidents)
	}
	for i := range 5 {
		if shared.get(timelineKey{id: int64(i + 1)}) != nil {
			t.Fatalf("the copy of incident %d, among the oldest, is still kept", i+1)
		}
	}
	if shared.get(timelineKey{id: keptIncidents + 5}) == nil {
		t.Fatal("the newest copy was dropped")
	}
}

// TestLinesSharingATransactionShowAsOne: when a room's lines share a
// transaction (store group commit), each writer is told the whole of it
// and shows every line of it at once, from its write's answer: its cursor
// moves past the transaction with no read, and the writers end on one
// shared copy. A transaction that was not whole is shown as the writer's
// own line and read for the rest.
func TestLinesSharingATransactionShowAsOne(t *testing.T) {
	for _, whole := range []bool{true, false} {
		st := openStore(t)
		id := seedMany(t, st, 50)
		shared := NewTimelines()
		open := func(author string) Model { return openShared(t, st, id, shared, author) }
		amara, ben := open("amara"), open("ben")
		before := amara.cursor
		// Two lines in one transaction, as a group commit stores a room's.
		out, err := st.ApplyBackfill(id, []incident.BackfillLine{
			{N: 1, At: pinnedNow(), Text: "amara's line"},
			{N: 2, At: pinnedNow(), Text: "ben's line"},
		}, pinnedNow(), "room", incident.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		if out[0].Tx != before.Tx+1 {
			t.Fatalf("the transaction is %d, the sessions read up to %d", out[0].Tx, before.Tx)
		}
		all := append(slices.Clone(out[0].Entries), out[1].Entries...)
		answer := func(a store.Applied) common.AppliedMsg {
			head := *a.Head
			msg := common.AppliedMsg{Result: a.Result, Head: &head, Tx: a.Tx}
			if whole {
				txHead := *a.Head
				msg.TxWhole, msg.TxEntries, msg.TxHead = true, slices.Clone(all), &txHead
			}
			return msg
		}
		// Each session's answer, without running what it asks for next
		// (a read): what shows is what the answer alone gives.
		next, amaraNext := amara.Update(answer(out[0]))
		amara = next.(Model)
		next, _ = ben.Update(answer(out[1]))
		ben = next.(Model)
		for _, m := range []Model{amara, ben} {
			v := m.View()
			if whole {
				if !strings.Contains(v, "amara's line") || !strings.Contains(v, "ben's line") {
					t.Fatalf("%s does not show the whole transaction at once:\n%s", m.ctx.Author, v)
				}
				if m.cursor.Tx != out[0].Tx {
					t.Fatalf("%s's cursor is at %d, want the transaction's %d", m.ctx.Author, m.cursor.Tx, out[0].Tx)
				}
			} else if m.cursor.Tx != before.Tx {
				t.Fatalf("%s moved its cursor past a transaction it has not read whole", m.ctx.Author)
			}
		}
		if whole && amara.cockpit.Timeline.Data != ben.cockpit.Timeline.Data {
			t.Fatal("the writers of one transaction hold two copies of it")
		}
		if !whole && (strings.Contains(amara.View(), "ben's line") || !strings.Contains(amara.View(), "amara's line")) {
			t.Fatalf("told only its own line, amara shows:\n%s", amara.View())
		}
		// Whatever the path, what the answer asked for next (a read, when
		// not whole) and a read after show both lines once each.
		amara = drive(t, amara, amaraNext)
		amara = send(t, amara, common.ReloadMsg{})
		if v := amara.View(); strings.Count(v, "amara's line") != 1 || strings.Count(v, "ben's line") != 1 {
			t.Fatalf("whole %v: after a read amara shows:\n%s", whole, v)
		}
	}
}
