package store

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// queueWrites holds the store's write lock while n captures are applied at
// once, until all are queued: the first commits alone (it was the only one
// when it came), the others queue behind it, and they then commit as one
// group. It returns each capture's result, in the order given.
func queueWrites(t *testing.T, s *Store, id int64, lines []string) ([]Applied, []error) {
	t.Helper()
	now := time.Date(2026, 3, 14, 12, 30, 0, 0, time.UTC)
	out, errs := make([]Applied, len(lines)), make([]error, len(lines))
	s.mu.Lock()
	var wg sync.WaitGroup
	start := func(i int) {
		wg.Go(func() {
			c, err := incident.ParseCapture(lines[i], now)
			if err != nil {
				errs[i] = err
				return
			}
			out[i], errs[i] = s.ApplyLine(id, c, now, fmt.Sprintf("mate%d", i), incident.DefaultPolicy(), "capture:x", "")
		})
	}
	// The first, alone; then the rest behind it, in order.
	start(0)
	waitQueued(t, s, 0, true)
	for i := 1; i < len(lines); i++ {
		start(i)
		waitQueued(t, s, i, false)
	}
	s.mu.Unlock()
	wg.Wait()
	return out, errs
}

// waitQueued waits until n writes wait in the queue (leading: the leader
// has taken its own and holds no queue).
func waitQueued(t *testing.T, s *Store, n int, leading bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.groups.mu.Lock()
		q, l := len(s.groups.queue), s.groups.leading
		s.groups.mu.Unlock()
		if q == n && (!leading || l) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", q, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestWritesArrivingTogetherShareATransaction: lines that arrive while
// another commits go in together, in the order they came, each stored
// once and answered with its own entry; Alone tells the shared
// transaction from the lone one.
func TestWritesArrivingTogetherShareATransaction(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	lines := make([]string, 6)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d from the room", i)
	}
	out, errs := queueWrites(t, s, inc.ID, lines)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if len(out[i].Entries) != 1 || out[i].Entries[0].Text != lines[i] {
			t.Fatalf("line %d was answered with %+v", i, out[i].Entries)
		}
	}
	if !s.Alone(out[0].Tx) {
		t.Fatal("the first line, alone in its transaction, is reported as shared")
	}
	for i := 1; i < len(out); i++ {
		if out[i].Tx != out[1].Tx || s.Alone(out[i].Tx) {
			t.Fatalf("line %d: transaction %d (alone %v), want the group's %d", i, out[i].Tx, s.Alone(out[i].Tx), out[1].Tx)
		}
	}
	if out[1].Tx != out[0].Tx+1 {
		t.Fatalf("the group committed in transaction %d, the lone line in %d: not one after the other", out[1].Tx, out[0].Tx)
	}
	got, err := s.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range got.Entries {
		if e.Kind == incident.KindNote {
			texts = append(texts, e.Text)
		}
	}
	if !slices.Equal(texts, lines) {
		t.Fatalf("stored %q, want %q in that order", texts, lines)
	}
	if rep, err := s.Check(); err != nil || !rep.OK() {
		t.Fatalf("check after a group: %v %+v", err, rep)
	}
}

// TestOneFailingWriteLeavesTheGroupsOthers: a refused capture in a group
// rolls the group back and every write runs on its own: the refused one
// gets its own error, the others are stored once each.
func TestOneFailingWriteLeavesTheGroupsOthers(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	lines := []string{"first, alone", "second", "/status investigating", "fourth"}
	out, errs := queueWrites(t, s, inc.ID, lines)
	if errs[2] == nil {
		t.Fatal("a status the incident already has was accepted")
	}
	for _, i := range []int{0, 1, 3} {
		if errs[i] != nil || len(out[i].Entries) != 1 || out[i].Entries[0].Text != lines[i] {
			t.Fatalf("line %d: %v %+v", i, errs[i], out[i].Entries)
		}
		if !s.Alone(out[i].Tx) {
			t.Fatalf("line %d, run again on its own, is reported as shared", i)
		}
	}
	got, err := s.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range got.Entries {
		if slices.Contains(lines, e.Text) {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("%d of the three good lines stored (want each once)", n)
	}
}

// TestGoneDatabaseIsNotCreatedAgain: a database deleted while warroom runs
// is reported, by reads and writes alike, and never comes back as an empty
// file (bbolt creates what it opens).
func TestGoneDatabaseIsNotCreatedAgain(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	if err := os.Remove(s.Path()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Incident(inc.ID); err == nil || !strings.Contains(err.Error(), "is gone") {
		t.Fatalf("a read of a deleted database: %v", err)
	}
	c, err := incident.ParseCapture("a line", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyLine(inc.ID, c, time.Now(), "amara", incident.DefaultPolicy(), "capture:x", ""); err == nil {
		t.Fatal("a write to a deleted database succeeded")
	}
	if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
		t.Fatalf("the deleted database is back: %v", err)
	}
}

// TestEachWriterIsToldItsWholeTransaction: the captures of a transaction
// of plain lines to one incident each get every line of it, in the order
// written, and the head it left, which are what a read after the
// transaction before would find; a transaction holding anything else (a
// line to another incident, a draft) says it is not whole, and a lone line
// is its own whole transaction.
func TestEachWriterIsToldItsWholeTransaction(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	lines := []string{"first, alone", "!restarted the workers", "/sev 1", "a note after it"}
	out, errs := queueWrites(t, s, inc.ID, lines)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
	}
	if !out[0].TxWhole || len(out[0].TxEntries) != 1 || out[0].TxEntries[0].ID != out[0].Entries[0].ID {
		t.Fatalf("the lone line was told %v %+v", out[0].TxWhole, out[0].TxEntries)
	}
	// What a reader at the transaction before the group reads.
	before := Cursor{Tx: out[0].Tx, LastEntry: out[0].Entries[0].ID}
	d, err := s.Since(inc.ID, before)
	if err != nil {
		t.Fatal(err)
	}
	if d.Cursor.Tx != out[1].Tx {
		t.Fatalf("the read after the lone line ends at transaction %d, want the group's %d", d.Cursor.Tx, out[1].Tx)
	}
	for i := 1; i < len(out); i++ {
		a := out[i]
		if !a.TxWhole {
			t.Fatalf("line %d: a transaction of plain lines to one incident is not told whole", i)
		}
		if len(a.TxEntries) != len(d.Added) {
			t.Fatalf("line %d was told %d entries, a read finds %d", i, len(a.TxEntries), len(d.Added))
		}
		for j := range d.Added {
			if a.TxEntries[j].ID != d.Added[j].ID || a.TxEntries[j].Text != d.Added[j].Text || a.TxEntries[j].Author != d.Added[j].Author {
				t.Fatalf("line %d, entry %d: told %+v, a read finds %+v", i, j, a.TxEntries[j], d.Added[j])
			}
		}
		if a.TxHead == nil || a.TxHead.Severity != 1 || a.TxHead.Severity != d.Head.Severity {
			t.Fatalf("line %d was told the head %+v, a read finds severity %v", i, a.TxHead, d.Head.Severity)
		}
		if i > 1 && (a.TxHead == out[1].TxHead || &a.TxEntries[0] == &out[1].TxEntries[0]) {
			t.Fatalf("lines %d and 1 share what they were told (each puts its own zone on it)", i)
		}
	}

	// A draft in the transaction: not whole.
	mixed, errs := queueWrites(t, s, inc.ID, []string{"alone again", "a line", "/draft We are on it"})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("mixed line %d: %v", i, err)
		}
	}
	if mixed[1].Tx != mixed[2].Tx {
		t.Fatal("the draft did not share the line's transaction")
	}
	for i := 1; i < 3; i++ {
		if mixed[i].TxWhole || mixed[i].TxEntries != nil {
			t.Fatalf("mixed line %d: a transaction with a draft was told whole", i)
		}
	}
}

// TestLinesToTwoIncidentsAreNotWhole: a transaction that held a line to
// another incident is not whole for either.
func TestLinesToTwoIncidentsAreNotWhole(t *testing.T) {
	s := openTemp(t)
	a := declare(t, s, "Checkout failing")
	b := declare(t, s, "Search slow")
	now := time.Date(2026, 3, 14, 12, 30, 0, 0, time.UTC)
	out := make([]Applied, 3)
	errs := make([]error, 3)
	ids := []int64{a.ID, a.ID, b.ID}
	s.mu.Lock()
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			c, _ := incident.ParseCapture(fmt.Sprintf("line %d", i), now)
			out[i], errs[i] = s.ApplyLine(ids[i], c, now, "amara", incident.DefaultPolicy(), "capture:x", "")
		})
		waitQueued(t, s, max(i, 0), i == 0)
	}
	s.mu.Unlock()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
	}
	if out[1].Tx != out[2].Tx {
		t.Fatalf("the two incidents' lines committed apart (%d, %d)", out[1].Tx, out[2].Tx)
	}
	for i := 1; i < 3; i++ {
		if out[i].TxWhole {
			t.Fatalf("line %d: a transaction with another incident's line was told whole", i)
		}
	}
}
