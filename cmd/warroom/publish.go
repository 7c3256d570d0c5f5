package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
	"github.com/warroom-cli/warroom/internal/store"
)

// publishWait is the longest `warroom log /publish` waits for delivery: a
// script (or a lead at a prompt) is not held up by a slow hook. What is not
// delivered by then is left pending for the cockpit or the next command
// that publishes.
var publishWait = 4 * time.Second

// resumeWithin is how recently a resolved incident must have changed for
// a publishing command to look for its pending deliveries too (the last
// update of an incident is often published right before quitting).
const resumeWithin = 24 * time.Hour

// deliver posts a just-published update to the configured webhooks and
// records how each went, and resumes what earlier commands or cockpits
// left pending. The update is already stored; a failed delivery is
// reported but is not an error of the publish, and can be re-sent from the
// cockpit.
func (a *app) deliver(ctx context.Context, st *store.Store, id int64, u incident.Update) error {
	n := notify.New(a.cfg.Targets(), notify.Options{Now: a.now}).WithJournal(st, id)
	if len(n.Targets()) == 0 || u.Backfilled {
		return nil
	}
	if err := st.SetDelivery(id, u.ID, n.Pending()); err != nil {
		return err
	}
	inc, _, err := st.IncidentTail(id, 0)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, publishWait)
	defer cancel()
	var deliveries []incident.Delivery
	var resumed []resumedIn
	var wg sync.WaitGroup
	wg.Go(func() { deliveries = n.Deliver(ctx, notify.MessageFor(inc, u, a.cfg.Policy())) })
	wg.Go(func() { resumed = a.resumeAll(ctx, st, n, id) })
	wg.Wait()
	if err := st.SetDelivery(id, u.ID, deliveries); err != nil {
		return err
	}
	for _, d := range deliveries {
		a.printDelivery(d, "")
	}
	// Only what this command resumed is listed, once: the update's other
	// deliveries were reported when they happened.
	for _, r := range resumed {
		what := fmt.Sprintf(" (the %s update of %s, resumed)", a.stamp(r.Update.At), incident.FormatID(r.incident))
		for _, d := range r.Tried {
			if d.Target != notify.ClipboardTarget && d.State != incident.DeliveryCopied {
				a.printDelivery(d, what)
			}
		}
	}
	return nil
}

// printDelivery prints one line for one delivery.
func (a *app) printDelivery(d incident.Delivery, what string) {
	switch d.State {
	case incident.DeliverySent:
		printf(a.stdout, "  sent to %s%s\n", d.Target, what)
	case incident.DeliveryUnknown:
		printf(a.stderr, "warroom: the update is saved; delivery to %s%s is unknown — may have arrived (%s). It is not sent again by itself; if it did not arrive, re-send it from the cockpit (r in the comms pane).\n", d.Target, what, d.Error)
	case incident.DeliveryPending:
		printf(a.stderr, "warroom: the update is saved; delivery to %s%s is not finished after %s and is left to the cockpit or the next warroom command that publishes, which resume it.\n", d.Target, what, publishWait)
	default:
		printf(a.stderr, "warroom: the update is saved but delivery to %s%s failed (%s); re-send it from the cockpit.\n", d.Target, what, d.Error)
	}
}

type resumedIn struct {
	notify.Resumed
	incident int64
}

// resumeAll resumes the pending deliveries of incident id, of every open
// incident and of those resolved lately.
func (a *app) resumeAll(ctx context.Context, st *store.Store, n *notify.Notifier, id int64) []resumedIn {
	ids := []int64{id}
	if list, err := st.ListIncidents(); err == nil {
		for _, s := range list {
			if s.ID != id && (s.Status != incident.Resolved || a.now().Sub(s.Updated) < resumeWithin) {
				ids = append(ids, s.ID)
			}
		}
	}
	var out []resumedIn
	for _, i := range ids {
		res, err := n.Resume(ctx, st, i, a.cfg.Policy())
		if err != nil {
			printf(a.stderr, "warroom: could not resume the pending deliveries of %s: %s\n", incident.FormatID(i), firstSentence(err))
			continue
		}
		for _, r := range res {
			out = append(out, resumedIn{r, i})
		}
	}
	return out
}
