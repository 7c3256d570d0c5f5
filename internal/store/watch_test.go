package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// woken waits for sub to be woken; the deadline only ends a test that
// would otherwise hang, it measures nothing.
func woken(t *testing.T, sub *Subscription, what string) {
	t.Helper()
	select {
	case <-sub.C:
	case <-time.After(10 * time.Second):
		t.Fatalf("no wake-up after %s", what)
	}
}

// drain empties a pending wake-up, so the next one is the next commit's.
func drain(sub *Subscription) {
	select {
	case <-sub.C:
	default:
	}
}

func TestSubscriberHearsThisStoresCommit(t *testing.T) {
	s := openTemp(t)
	t.Cleanup(func() { _ = s.Close() })
	inc := declare(t, s, "wake")
	a, b := s.Subscribe(), s.Subscribe()
	defer a.Close()
	defer b.Close()
	drain(a)
	drain(b)
	if _, err := s.AppendEntry(inc.ID, benchEntry()); err != nil {
		t.Fatal(err)
	}
	woken(t, a, "an append by the same Store")
	woken(t, b, "an append by the same Store")
}

// TestSubscriberHearsAnotherProcess: a second Store on the same file has
// its own hub, as another process would, so only the file watcher can
// carry its commit across.
func TestSubscriberHearsAnotherProcess(t *testing.T) {
	s := openTemp(t)
	t.Cleanup(func() { _ = s.Close() })
	inc := declare(t, s, "wake")
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	sub := s.Subscribe()
	defer sub.Close()
	before, err := s.Stamp()
	if err != nil {
		t.Fatal(err)
	}
	drain(sub)
	if _, err := other.AppendEntry(inc.ID, benchEntry()); err != nil {
		t.Fatal(err)
	}
	// A wake-up may come as the data pages are written, before the meta
	// page: wait until one shows the new transaction.
	for {
		woken(t, sub, "another Store's append on the same file")
		if st, _ := s.Stamp(); st.TxID != before.TxID {
			break
		}
	}
}

func TestClosedSubscriptionIsNotWoken(t *testing.T) {
	s := openTemp(t)
	t.Cleanup(func() { _ = s.Close() })
	inc := declare(t, s, "wake")
	gone, kept := s.Subscribe(), s.Subscribe()
	defer kept.Close()
	gone.Close()
	gone.Close() // twice is harmless
	drain(gone)
	drain(kept)
	if _, err := s.AppendEntry(inc.ID, benchEntry()); err != nil {
		t.Fatal(err)
	}
	woken(t, kept, "an append")
	select {
	case <-gone.C:
		t.Fatal("a closed subscription was woken")
	default:
	}
	if n := len(s.hub.subs); n != 1 {
		t.Fatalf("%d subscribers left, want 1", n)
	}
}

// TestWriteThatChangesNothingWakesNobody: a save that finds nothing to
// change commits no transaction, so readers are not sent to look.
func TestWriteThatChangesNothingWakesNobody(t *testing.T) {
	s := openTemp(t)
	t.Cleanup(func() { _ = s.Close() })
	inc := declare(t, s, "wake")
	if _, err := s.SetUIState(inc.ID, "line:amara", "half typed"); err != nil {
		t.Fatal(err)
	}
	sub := s.Subscribe()
	defer sub.Close()
	committed := false
	err := s.update(func(*bolt.Tx) error { return errNoChanges })
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-sub.C:
		committed = true
	default:
	}
	if committed {
		t.Fatal("a write that changed nothing woke a subscriber")
	}
}
