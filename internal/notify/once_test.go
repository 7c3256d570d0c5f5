package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// TestEveryTryIsJournaledBeforeItIsSent: when the receiver sees a request,
// the store already says a try is under way (pending, with that try
// counted), so a crash at that moment leaves a record that it may have
// arrived.
func TestEveryTryIsJournaledBeforeItIsSent(t *testing.T) {
	st, id, u := published(t, "Issue identified.")
	var mu sync.Mutex
	var seen []incident.Delivery
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		inc, err := st.Incident(id)
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		seen = append(seen, inc.Updates[len(inc.Updates)-1].Delivery...)
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	tg := Target{URL: rc.URL}
	n := New([]Target{tg}, quick()).WithJournal(st, id)
	if err := st.SetDelivery(id, u.ID, n.Pending()); err != nil {
		t.Fatal(err)
	}
	inc, _ := st.Incident(id)
	ds := n.Deliver(context.Background(), MessageFor(inc, u, incident.DefaultPolicy()))
	if len(ds) != 1 || ds[0].State != incident.DeliverySent || ds[0].Attempts != 2 {
		t.Fatalf("deliveries %+v, want sent on the second try", ds)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("the receiver saw the store %d times, want 2: %+v", len(seen), seen)
	}
	for i, d := range seen {
		if d.State != incident.DeliveryPending || d.Attempts != i+1 || d.Error != "" || d.Target != tg.Label() {
			t.Errorf("while try %d was in flight the store held %+v, want pending with %d tries journaled", i+1, d, i+1)
		}
	}
}

type brokenJournal struct{}

func (brokenJournal) RecordDelivery(int64, int64, incident.Delivery) error {
	return errors.New("disk full")
}

// TestUnjournaledTryIsNotSent: a try that cannot be recorded first is not
// sent at all, so nothing can arrive that the record does not know of.
func TestUnjournaledTryIsNotSent(t *testing.T) {
	rc := newReceiver(t, nil)
	d := New([]Target{{URL: rc.URL}}, quick()).WithJournal(brokenJournal{}, 7).Send(context.Background(), Target{URL: rc.URL}, msg(update("x")))
	if d.State != incident.DeliveryFailed || d.Attempts != 0 || !strings.Contains(d.Error, "could not record the attempt") {
		t.Errorf("delivery %+v, want failed before any try", d)
	}
	if len(rc.requests()) != 0 {
		t.Error("a try that was not journaled was sent")
	}
}

// TestRestartAfterAJournaledTryIsUnknown: a process journaled a try and
// died (kill -9 right after publishing). The next process, once the lease
// has run out, records a chat target as "unknown — may have arrived" and
// sends it nothing; it sends a json target again (it drops repeats). A
// person's Resend then sends the chat target once.
func TestRestartAfterAJournaledTryIsUnknown(t *testing.T) {
	st, id, u := published(t, "Issue identified.")
	chat := newReceiver(t, nil)
	js := newReceiver(t, nil)
	targets := []Target{{URL: chat.URL + "/chat"}, {Name: "ops", URL: js.URL + "/in", Format: FormatJSON}}
	clk := newClock(pinned)
	first := New(targets, clk.opts(quick())).WithJournal(st, id)
	if err := st.SetDelivery(id, u.ID, first.Pending()); err != nil {
		t.Fatal(err)
	}
	inc, _ := st.Incident(id)
	m := MessageFor(inc, u, incident.DefaultPolicy())
	for _, tg := range targets {
		if err := first.record(tg, m, 1); err != nil {
			t.Fatal(err)
		}
	}
	// The first process died here, its requests possibly on the wire.
	clk.add(first.Lease() + time.Second)
	second := New(targets, clk.opts(quick()))
	inc, _ = st.Incident(id)
	if !second.HasResumable(inc) {
		t.Fatal("an abandoned try is not seen as work to do")
	}
	res, err := second.Resume(context.Background(), st, id, incident.DefaultPolicy())
	if err != nil || len(res) != 1 || res[0].Unknown != 1 || res[0].Sent != 1 || len(res[0].Tried) != 2 {
		t.Fatalf("Resume = %+v, %v; want the chat target unknown and the json one sent", res, err)
	}
	if len(chat.requests()) != 0 {
		t.Fatal("an update that may have arrived was posted again to a chat target")
	}
	if len(js.requests()) != 1 {
		t.Fatalf("the json target got %d requests, want 1", len(js.requests()))
	}
	got := stored(t, st, id).Delivery
	if got[0].State != incident.DeliveryUnknown || got[0].Error != Abandoned || got[0].Attempts != 1 {
		t.Errorf("stored chat delivery %+v, want unknown", got[0])
	}
	if got[1].State != incident.DeliverySent || got[1].Attempts != 2 {
		t.Errorf("stored json delivery %+v, want sent on its second try", got[1])
	}
	// Nothing more happens by itself, however much later.
	clk.add(time.Hour)
	inc, _ = st.Incident(id)
	if second.HasResumable(inc) {
		t.Error("an unknown delivery counts as resumable")
	}
	if res, err := second.Resume(context.Background(), st, id, incident.DefaultPolicy()); err != nil || res != nil {
		t.Fatalf("a later Resume = %+v, %v; want nothing", res, err)
	}
	// The person asks: it is sent once.
	u = stored(t, st, id)
	if !Failed(u) {
		t.Error("an unknown delivery is not offered for re-sending")
	}
	ds := second.WithJournal(st, id).Resend(context.Background(), MessageFor(inc, u, incident.DefaultPolicy()))
	if ds[0].State != incident.DeliverySent || ds[0].Attempts != 2 || ds[1].State != incident.DeliverySent {
		t.Errorf("Resend = %+v", ds)
	}
	if len(chat.requests()) != 1 || len(js.requests()) != 1 {
		t.Errorf("after Resend the targets got %d and %d requests, want 1 and 1", len(chat.requests()), len(js.requests()))
	}
}

// TestResumedListsOnlyWhatItTried: an update sent to one target and parked
// for another reports only the parked one as resumed.
func TestResumedListsOnlyWhatItTried(t *testing.T) {
	st, id, u := published(t, "x")
	rc := newReceiver(t, nil)
	a, b := Target{URL: rc.URL + "/a"}, Target{URL: rc.URL + "/b"}
	sent := incident.Delivery{Target: a.Label(), State: incident.DeliverySent, Attempts: 1, At: pinned}
	parked := incident.Delivery{Target: b.Label(), State: incident.DeliveryPending, Attempts: 1, At: pinned, Error: "not delivered yet: warroom stopped waiting"}
	if err := st.SetDelivery(id, u.ID, []incident.Delivery{sent, parked}); err != nil {
		t.Fatal(err)
	}
	res, err := New([]Target{a, b}, quick()).Resume(context.Background(), st, id, incident.DefaultPolicy())
	if err != nil || len(res) != 1 {
		t.Fatalf("Resume = %+v, %v", res, err)
	}
	if tried := res[0].Tried; len(tried) != 1 || tried[0].Target != b.Label() || tried[0].State != incident.DeliverySent {
		t.Errorf("Tried = %+v, want only the parked target, now sent", tried)
	}
	if len(rc.requests()) != 1 {
		t.Errorf("the receiver got %d requests, want 1", len(rc.requests()))
	}
}

// TestDeadOwnerNeedsNoLease: a lease whose holder on this host has ended
// (a cockpit killed with SIGKILL) is not waited for: the next process at
// once records the journaled try as unknown, and sends nothing.
func TestDeadOwnerNeedsNoLease(t *testing.T) {
	if ownerToken() == "" {
		t.Skip("no /proc here: a lease can only run out")
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	dead := fmt.Sprintf("%s/%d/1", host, cmd.Process.Pid)
	parent, ok := procStart(os.Getppid())
	if !ok {
		t.Fatal("cannot read the parent's start time")
	}
	live := fmt.Sprintf("%s/%d/%d", host, os.Getppid(), parent)
	for tok, want := range map[string]bool{dead: true, live: false, ownerToken(): false, "": false, "elsewhere/1/1": false} {
		if got := ownerGone(tok); got != want {
			t.Errorf("ownerGone(%q) = %v, want %v", tok, got, want)
		}
	}

	st, id, u := published(t, "Issue identified.")
	rc := newReceiver(t, nil)
	tg := Target{URL: rc.URL}
	clk := newClock(pinned)
	abandoned := incident.Delivery{Target: tg.Label(), State: incident.DeliveryPending, Attempts: 1, At: pinned, Owner: dead}
	if err := st.SetDelivery(id, u.ID, []incident.Delivery{abandoned}); err != nil {
		t.Fatal(err)
	}
	clk.add(time.Second) // well within the lease
	res, err := New([]Target{tg}, clk.opts(quick())).Resume(context.Background(), st, id, incident.DefaultPolicy())
	if err != nil || len(res) != 1 || res[0].Unknown != 1 {
		t.Fatalf("Resume = %+v, %v; want the abandoned try unknown", res, err)
	}
	if got := stored(t, st, id).Delivery[0]; got.State != incident.DeliveryUnknown {
		t.Errorf("stored %+v, want unknown", got)
	}
	if len(rc.requests()) != 0 {
		t.Error("a try that may have arrived was sent again")
	}
}
