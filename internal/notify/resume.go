package notify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Store is what resuming needs of the store: the incident's updates (no
// timeline entries are needed) and a way to record deliveries.
type Store interface {
	IncidentTail(id int64, n int) (*incident.Incident, int, error)
	SetDelivery(id, updateID int64, d []incident.Delivery) error
	Journal
}

// leaseMargin is added to the longest a Send can take, for the time the
// store takes to record its outcome.
const leaseMargin = 10 * time.Second

// maxParallel bounds the sends one Resume runs at once.
const maxParallel = 8

// A pending delivery is one of two things:
//   - a lease: Error is empty and At is when a process took it. That
//     process is sending it now, so nobody else may until Lease has passed
//     (after which the process is taken to have died with it; on the
//     same host, a holder that has ended is seen at once, see owner.go). Attempts
//     counts the tries journaled: a lease with none was never sent and is
//     resumed; one with a try may have arrived, so Resume records it
//     unknown instead (or resumes it, to a target that drops repeats).
//   - parked: Error says why it is not delivered yet (a command stopped
//     waiting after a try that got a refusal, or before any try). Nobody
//     is sending it; the next Resume does.
//
// Leases cannot be taken atomically through store.SetDelivery, so a claim
// is written and then read back: a process only sends what it reads back
// as its own. Two processes claiming in the same instant can still both
// win (the write of one landing between the other's write and read); the
// X-Warroom-Delivery id, the same for both, lets the receiver drop the
// second.

// Lease is how long a pending delivery belongs to the process that wrote
// it: longer than any Send can take with these options.
func (n *Notifier) Lease() time.Duration {
	d := time.Duration(n.opts.Tries) * n.opts.Timeout
	w := n.opts.Backoff
	for i := 1; i < n.opts.Tries; i++ {
		d += max(w, n.opts.MaxRetryAfter)
		w *= 2
	}
	return d + leaseMargin
}

// leased reports that d is pending in the hands of a live process.
func (n *Notifier) leased(d incident.Delivery, now time.Time) bool {
	return d.State == incident.DeliveryPending && d.Error == "" && now.Sub(d.At) < n.Lease() && !ownerGone(d.Owner)
}

// resumable reports that d is pending and nobody is sending it.
func (n *Notifier) resumable(d incident.Delivery, now time.Time) bool {
	return d.State == incident.DeliveryPending && !n.leased(d, now)
}

// claimTime is the At of a lease taken now. It carries random nanoseconds
// so that two processes claiming at the same instant (or under a pinned
// test clock) tell their claims apart when they read them back.
func (n *Notifier) claimTime() time.Time {
	return n.opts.Now().Add(time.Duration(1 + rand.IntN(999_999)))
}

// The deliveries this process is sending now, by DeliveryID. One process
// has one set, shared by every cockpit it runs (warroom serve runs one per
// SSH session), so two of them never send the same delivery at once.
var (
	inflightMu  sync.Mutex
	inflightSet = map[string]int{}
)

// holdInflight marks key as being sent until the returned func is called.
func holdInflight(key string) func() {
	inflightMu.Lock()
	inflightSet[key]++
	inflightMu.Unlock()
	return releaser(key)
}

func releaser(key string) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			inflightMu.Lock()
			if inflightSet[key]--; inflightSet[key] <= 0 {
				delete(inflightSet, key)
			}
			inflightMu.Unlock()
		})
	}
}

// tryHold marks key as being sent unless it already is.
func tryHold(key string) (func(), bool) {
	inflightMu.Lock()
	if inflightSet[key] > 0 {
		inflightMu.Unlock()
		return nil, false
	}
	inflightSet[key]++
	inflightMu.Unlock()
	return releaser(key), true
}

func inflight(key string) bool {
	inflightMu.Lock()
	defer inflightMu.Unlock()
	return inflightSet[key] > 0
}

// HasResumable reports, without I/O, whether inc holds a pending delivery
// that nobody is sending: one a process left behind when it quit, or one a
// command parked. The cockpit asks this every second and resumes when it
// says so.
func (n *Notifier) HasResumable(inc *incident.Incident) bool {
	if inc == nil {
		return false
	}
	now := n.opts.Now()
	for _, u := range inc.Updates {
		if u.Backfilled {
			continue
		}
		for _, d := range u.Delivery {
			if !n.resumable(d, now) {
				continue
			}
			t, ok := n.target(d.Target)
			if !ok || !inflight(DeliveryID(Message{Incident: inc.Key(), Update: u}, t)) {
				return true
			}
		}
	}
	return false
}

func (n *Notifier) target(label string) (Target, bool) {
	for _, t := range n.targets {
		if t.Label() == label {
			return t, true
		}
	}
	return Target{}, false
}

// Resumed is the outcome of resuming one update's deliveries.
type Resumed struct {
	// Update is the update with its deliveries as now stored.
	Update incident.Update
	// Sent, Failed and Parked count the deliveries this Resume tried;
	// Unknown counts those it found abandoned mid-send and recorded as
	// unknown without sending.
	Sent, Failed, Parked, Unknown int
	// Tried holds, once each, the deliveries this Resume settled (sent,
	// failed, parked or found unknown), as stored; the update's others
	// are not in it.
	Tried []incident.Delivery
}

// Abandoned is the error of a delivery whose process died while sending it.
const Abandoned = "warroom stopped while sending it, so nobody knows whether it arrived"

// NoLongerConfigured is the error of a pending delivery whose target is no
// longer in the config, so it can never be resumed.
const NoLongerConfigured = "this webhook is no longer in the config, so the update was not sent"

type claim struct {
	update int // index in inc.Updates
	label  string
	target Target
	at     time.Time
	prev   int // attempts before
	key    string
	done   incident.Delivery
	drop   func()
}

// Resume sends every pending delivery of incident id that nobody is
// sending: left behind by a process that quit before delivery finished, or
// parked by a command that stopped waiting. A delivery that got a 2xx is
// recorded sent and never sent again; a backfilled update is never sent.
// It returns what it did per update, nothing when there was nothing to do.
func (n *Notifier) Resume(ctx context.Context, st Store, id int64, p incident.Policy) ([]Resumed, error) {
	inc, _, err := st.IncidentTail(id, 0)
	if err != nil {
		return nil, err
	}
	now := n.opts.Now()
	var claims []*claim
	changed := map[int][]incident.Delivery{}
	removed := map[int]int{}
	settled := map[int][]incident.Delivery{} // failed or found unknown without sending
	for ui, u := range inc.Updates {
		if u.Backfilled {
			continue
		}
		var ds []incident.Delivery
		// touched: ds holds a change of this process's own. A delivery
		// another claimer in this process holds is left as read, and an
		// update with nothing of ours is not written back at all: its
		// stale copy would overwrite that claimer's lease.
		touched := false
		for di, d := range u.Delivery {
			if !n.resumable(d, now) {
				continue
			}
			if ds == nil {
				ds = append([]incident.Delivery(nil), u.Delivery...)
			}
			t, ok := n.target(d.Target)
			if !ok {
				ds[di] = incident.Delivery{Target: d.Target, State: incident.DeliveryFailed, Error: NoLongerConfigured, Attempts: d.Attempts, At: now}
				touched = true
				removed[ui]++
				settled[ui] = append(settled[ui], ds[di])
				continue
			}
			if d.Error == "" && d.Attempts > 0 && !t.Dedups() {
				// A lease whose holder journaled a try and died: the
				// request may have gone out. Sent again only when a
				// person asks.
				ds[di] = incident.Delivery{Target: d.Target, State: incident.DeliveryUnknown, Error: Abandoned, Attempts: d.Attempts, At: now}
				touched = true
				settled[ui] = append(settled[ui], ds[di])
				continue
			}
			key := DeliveryID(MessageFor(inc, u, p), t)
			release, ok := tryHold(key)
			if !ok {
				continue
			}
			c := &claim{update: ui, label: d.Target, target: t, at: n.claimTime(), prev: d.Attempts, key: key, drop: release}
			ds[di] = incident.Delivery{Target: d.Target, State: incident.DeliveryPending, Attempts: d.Attempts, At: c.at, Owner: ownerToken()}
			touched = true
			claims = append(claims, c)
		}
		if touched {
			changed[ui] = ds
		}
	}
	defer func() {
		for _, c := range claims {
			if c.drop != nil {
				c.drop()
			}
		}
	}()
	if len(changed) == 0 {
		return nil, nil
	}
	for ui, ds := range changed {
		if err := st.SetDelivery(id, inc.Updates[ui].ID, ds); err != nil {
			return nil, fmt.Errorf("could not claim the pending deliveries: %w", err)
		}
	}
	// Read the claims back: send only those still ours.
	back, _, err := st.IncidentTail(id, 0)
	if err != nil {
		return nil, err
	}
	var mine []*claim
	for _, c := range claims {
		d, ok := findDelivery(back, inc.Updates[c.update].ID, c.label)
		if ok && d.State == incident.DeliveryPending && d.Error == "" && d.At.Equal(c.at) {
			mine = append(mine, c)
		}
	}
	j := n.WithJournal(st, id)
	sem := make(chan struct{}, maxParallel)
	var wg sync.WaitGroup
	for _, c := range mine {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c.done = j.send(ctx, c.target, MessageFor(back, updateByID(back, inc.Updates[c.update].ID), p), c.prev)
		})
	}
	wg.Wait()

	// Record what was done over what is stored now, which another process
	// may have changed meanwhile; a delivery stored as sent stays sent.
	cur, _, err := st.IncidentTail(id, 0)
	if err != nil {
		return nil, err
	}
	out := map[int]*Resumed{}
	for ui := range changed {
		uid := inc.Updates[ui].ID
		u := updateByID(cur, uid)
		ds := append([]incident.Delivery(nil), u.Delivery...)
		// Deliveries to removed targets were failed, and abandoned ones
		// found unknown, with the claims.
		r := &Resumed{Failed: removed[ui], Tried: settled[ui]}
		r.Unknown = len(settled[ui]) - removed[ui]
		for _, c := range mine {
			if c.update != ui {
				continue
			}
			switch c.done.State {
			case incident.DeliverySent:
				r.Sent++
			case incident.DeliveryFailed:
				r.Failed++
			case incident.DeliveryUnknown:
				r.Unknown++
			default:
				r.Parked++
			}
			r.Tried = append(r.Tried, c.done)
			i := indexOf(ds, c.label)
			switch {
			case i < 0:
				ds = append(ds, c.done)
			case ds[i].State != incident.DeliverySent:
				ds[i] = c.done
			}
		}
		if err := st.SetDelivery(id, uid, ds); err != nil {
			return nil, err
		}
		u.Delivery = ds
		r.Update = u
		out[ui] = r
	}
	res := make([]Resumed, 0, len(out))
	for ui := range inc.Updates {
		if r, ok := out[ui]; ok {
			res = append(res, *r)
		}
	}
	return res, nil
}

func findDelivery(inc *incident.Incident, updateID int64, label string) (incident.Delivery, bool) {
	u := updateByID(inc, updateID)
	if i := indexOf(u.Delivery, label); i >= 0 {
		return u.Delivery[i], true
	}
	return incident.Delivery{}, false
}

func updateByID(inc *incident.Incident, id int64) incident.Update {
	for _, u := range inc.Updates {
		if u.ID == id {
			return u
		}
	}
	return incident.Update{ID: id}
}

func indexOf(ds []incident.Delivery, label string) int {
	for i, d := range ds {
		if d.Target == label {
			return i
		}
	}
	return -1
}
