package tui

import (
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// With a poll longer than common.PollEvery (warroom serve where the folder
// is watched), a change that a wake-up brought keeps the long poll; one
// the poll's timer found (the wait ran its whole interval: no
// notification came) brings the poll back to common.PollEvery.
func TestLongPollFallsBackWhenItFindsAChange(t *testing.T) {
	st := openStore(t)
	id := seedHandbook(t, st)
	m := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, PollEvery: 5 * time.Second})
	m = drive(t, m, m.Init())
	changed := func(m Model) pollMsg {
		s := m.stamp
		s.TxID++
		return pollMsg{stamp: s}
	}

	// Woken at once after the wait began: a notification.
	m.pollFrom = time.Now()
	next, _ := m.Update(changed(m))
	m = next.(Model)
	if m.pollEvery != 5*time.Second {
		t.Fatalf("poll %v after a change a wake-up brought, want 5s", m.pollEvery)
	}
	if m.pollFrom.IsZero() || time.Since(m.pollFrom) > time.Second {
		t.Fatal("the next wait's start was not noted")
	}

	// The wait ran its 5 s and found a change.
	m.pollFrom = time.Now().Add(-6 * time.Second)
	next, _ = m.Update(changed(m))
	m = next.(Model)
	if m.pollEvery != common.PollEvery {
		t.Fatalf("poll %v after the timer found a change, want %v", m.pollEvery, common.PollEvery)
	}

	// A short poll is left as it is.
	m2 := New(Options{Store: st, Config: testConfig(), Now: pinnedNow, IncidentID: id, Width: 120, Height: 40, PollEvery: 50 * time.Millisecond})
	m2 = drive(t, m2, m2.Init())
	m2.pollFrom = time.Now().Add(-time.Second)
	next, _ = m2.Update(pollMsg{stamp: store.Stamp{TxID: m2.stamp.TxID + 1}})
	if got := next.(Model).pollEvery; got != 50*time.Millisecond {
		t.Fatalf("a 50ms poll became %v", got)
	}
}
