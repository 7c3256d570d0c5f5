package notify

import (
	"context"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// published declares an incident in a fresh store and publishes one
// update; it returns the store, the incident id and the update.
func published(t *testing.T, text string) (*store.Store, int64, incident.Update) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "warroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	p := incident.DefaultPolicy()
	inc, err := incident.NewIncident("Checkout failing", 2, pinned.Add(-time.Hour), p)
	if err != nil {
		t.Fatal(err)
	}
	out, err := st.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.Apply(out.ID, incident.Capture{Command: incident.CmdPublish, Text: text}, pinned, "amara", p)
	if err != nil || res.Update == nil {
		t.Fatalf("publish: %v %+v", err, res)
	}
	return st, out.ID, *res.Update
}

func stored(t *testing.T, st *store.Store, id int64) incident.Update {
	t.Helper()
	inc, err := st.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	return inc.Updates[len(inc.Updates)-1]
}

// clock is a test clock that can be moved.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.ns.Store(t.UnixNano())
	return c
}
func (c *clock) now() time.Time         { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) add(d time.Duration)    { c.ns.Add(int64(d)) }
func (c *clock) opts(o Options) Options { o.Now = c.now; return o }

// TestRestartResumesPendingExactlyOnce: a process published and wrote its
// pending leases, then quit. A restart before the lease ran out leaves them
// alone (the first process might still be sending); after it, the next
// process sends each once, records them sent, and never sends them again.
func TestRestartResumesPendingExactlyOnce(t *testing.T) {
	st, id, u := published(t, "Issue identified.")
	a := newReceiver(t, nil)
	b := newReceiver(t, nil)
	targets := []Target{{URL: a.URL + "/a", Format: FormatSlack}, {Name: "ops", URL: b.URL + "/b", Format: FormatJSON}}
	clk := newClock(pinned)
	first := New(targets, clk.opts(quick()))
	if err := st.SetDelivery(id, u.ID, first.Pending()); err != nil {
		t.Fatal(err)
	}
	// The first process is gone. A second one starts at once.
	clk.add(time.Second)
	second := New(targets, clk.opts(quick()))
	inc, _ := st.Incident(id)
	if second.HasResumable(inc) {
		t.Fatal("a fresh lease counts as resumable")
	}
	if res, err := second.Resume(context.Background(), st, id, incident.DefaultPolicy()); err != nil || res != nil {
		t.Fatalf("Resume within the lease = %+v, %v; want nothing", res, err)
	}
	if len(a.requests())+len(b.requests()) != 0 {
		t.Fatal("a delivery still leased to another process was sent")
	}
	// The lease runs out.
	clk.add(second.Lease())
	inc, _ = st.Incident(id)
	if !second.HasResumable(inc) {
		t.Fatal("an expired lease does not count as resumable")
	}
	res, err := second.Resume(context.Background(), st, id, incident.DefaultPolicy())
	if err != nil || len(res) != 1 || res[0].Sent != 2 || res[0].Failed != 0 {
		t.Fatalf("Resume = %+v, %v; want the update sent to both", res, err)
	}
	got := stored(t, st, id)
	if len(got.Delivery) != 2 || got.Delivery[0].State != incident.DeliverySent || got.Delivery[1].State != incident.DeliverySent || got.Delivery[1].Target != "ops" {
		t.Fatalf("stored deliveries %+v, want both sent", got.Delivery)
	}
	if len(a.requests()) != 1 || len(b.requests()) != 1 {
		t.Fatalf("receivers got %d and %d requests, want 1 each", len(a.requests()), len(b.requests()))
	}
	m := MessageFor(inc, u, incident.DefaultPolicy())
	if a.requests()[0].header.Get("X-Warroom-Delivery") != DeliveryID(m, targets[0]) {
		t.Error("the resumed delivery has another id than the first process would have sent")
	}
	if v := decode(t, b.requests()[0].body); v["incident"] != "INC-1" || v["text"] != "Issue identified." || v["id"] != u.UID {
		t.Errorf("resumed json body %s", b.requests()[0].body)
	}
	// A third process, any time later, sends nothing.
	clk.add(time.Hour)
	third := New(targets, clk.opts(quick()))
	if res, err := third.Resume(context.Background(), st, id, incident.DefaultPolicy()); err != nil || res != nil {
		t.Fatalf("Resume after delivery = %+v, %v", res, err)
	}
	if len(a.requests()) != 1 || len(b.requests()) != 1 {
		t.Fatal("a delivered update was sent again")
	}
}

// TestParkedResumesAtOnce: what a command parked (it stopped waiting) is
// nobody's, so the next process sends it without waiting for a lease.
func TestParkedResumesAtOnce(t *testing.T) {
	st, id, u := published(t, "Still investigating.")
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	tg := Target{URL: rc.URL}
	parked := incident.Delivery{Target: tg.Label(), State: incident.DeliveryPending, Attempts: 1, At: pinned,
		Error: "not delivered yet: warroom stopped waiting; the cockpit or the next update sends it"}
	clip := incident.Delivery{Target: ClipboardTarget, State: incident.DeliveryCopied, At: pinned}
	if err := st.SetDelivery(id, u.ID, []incident.Delivery{clip, parked}); err != nil {
		t.Fatal(err)
	}
	res, err := New([]Target{tg}, quick()).Resume(context.Background(), st, id, incident.DefaultPolicy())
	if err != nil || len(res) != 1 || res[0].Sent != 1 {
		t.Fatalf("Resume = %+v, %v", res, err)
	}
	got := stored(t, st, id).Delivery
	if len(got) != 2 || got[0] != clip || got[1].State != incident.DeliverySent || got[1].Attempts != 3 || got[1].Error != "" {
		t.Errorf("stored %+v, want the clipboard kept and the hook sent after 3 tries in all", got)
	}
}

// TestResumeConcurrentlySendsOnce: two cockpits of one process (warroom
// serve) resuming at once send each delivery once.
func TestResumeConcurrentlySendsOnce(t *testing.T) {
	st, id, u := published(t, "x")
	release := make(chan struct{})
	var hits atomic.Int32
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		hits.Add(1)
		<-release
	})
	tg := Target{URL: rc.URL}
	if err := st.SetDelivery(id, u.ID, []incident.Delivery{{Target: tg.Label(), State: incident.DeliveryPending, Error: "parked"}}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([][]Resumed, 4)
	for i := range results {
		wg.Go(func() {
			results[i], _ = New([]Target{tg}, quick()).Resume(context.Background(), st, id, incident.DefaultPolicy())
		})
	}
	deadline := time.Now().Add(5 * time.Second)
	for hits.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if hits.Load() != 1 {
		t.Errorf("the receiver got %d requests, want 1", hits.Load())
	}
	if d := stored(t, st, id).Delivery; len(d) != 1 || d[0].State != incident.DeliverySent {
		t.Errorf("stored %+v", d)
	}
}

func TestResumeNeverSendsBackfilledOrRemovedTargets(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "warroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	p := incident.DefaultPolicy()
	inc, _ := incident.NewIncident("Past outage", 3, pinned.Add(-48*time.Hour), p)
	out, err := st.CreateIncident(inc, "amara")
	if err != nil {
		t.Fatal(err)
	}
	// A /publish in the past is recorded as backfilled.
	res, err := st.Apply(out.ID, incident.Capture{Command: incident.CmdPublish, Text: "old", At: pinned.Add(-47 * time.Hour)}, pinned, "amara", p)
	if err != nil || res.Update == nil {
		t.Fatalf("backfill publish: %v", err)
	}
	if !res.Update.Backfilled {
		t.Fatal("a past /publish is not recorded as backfilled")
	}
	rc := newReceiver(t, nil)
	tg := Target{URL: rc.URL}
	n := New([]Target{tg}, quick())
	if err := st.SetDelivery(out.ID, res.Update.ID, []incident.Delivery{{Target: tg.Label(), State: incident.DeliveryPending, Error: "parked"}}); err != nil {
		t.Fatal(err)
	}
	if r, err := n.Resume(context.Background(), st, out.ID, p); err != nil || r != nil {
		t.Errorf("Resume of a backfilled update = %+v, %v", r, err)
	}
	if n.Deliver(context.Background(), Message{Update: *res.Update}) != nil || len(rc.requests()) != 0 {
		t.Error("a backfilled update was delivered")
	}

	// A pending delivery to a target removed from the config fails with why.
	st2, id2, u2 := published(t, "x")
	if err := st2.SetDelivery(id2, u2.ID, []incident.Delivery{{Target: "https://gone.example/…abcd", State: incident.DeliveryPending, Error: "parked", Attempts: 1}}); err != nil {
		t.Fatal(err)
	}
	r, err := n.Resume(context.Background(), st2, id2, p)
	if err != nil || len(r) != 1 || r[0].Failed != 1 {
		t.Fatalf("Resume = %+v, %v", r, err)
	}
	if d := stored(t, st2, id2).Delivery; len(d) != 1 || d[0].State != incident.DeliveryFailed || d[0].Error != NoLongerConfigured {
		t.Errorf("stored %+v", d)
	}
}

func TestResendSkipsLeased(t *testing.T) {
	rc := newReceiver(t, nil)
	tg := Target{URL: rc.URL}
	n := New([]Target{tg}, quick())
	u := update("x")
	u.Delivery = n.Pending()
	got := n.Resend(context.Background(), msg(u))
	if len(rc.requests()) != 0 || got[0].State != incident.DeliveryPending {
		t.Errorf("Resend sent a delivery another process holds: %+v", got)
	}
	u.Backfilled = true
	u.Delivery = []incident.Delivery{{Target: tg.Label(), State: incident.DeliveryFailed}}
	if n.Resend(context.Background(), msg(u)); len(rc.requests()) != 0 {
		t.Error("Resend sent a backfilled update")
	}
}
