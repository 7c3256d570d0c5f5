package main

import (
	"context"

	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/notify"
	"github.com/warroom-cli/warroom/internal/store"
)

// deliver posts a just-published update to the configured webhooks and
// records how each went. The update is already stored; a failed delivery is
// reported but is not an error of the publish, and can be re-sent from the
// cockpit.
func (a *app) deliver(ctx context.Context, st *store.Store, id int64, u incident.Update) error {
	n := notify.New(a.cfg.Webhooks, notify.Options{Now: a.now})
	if len(n.Webhooks()) == 0 {
		return nil
	}
	if err := st.SetDelivery(id, u.ID, n.Pending()); err != nil {
		return err
	}
	deliveries := n.Deliver(ctx, u)
	if err := st.SetDelivery(id, u.ID, deliveries); err != nil {
		return err
	}
	for _, d := range deliveries {
		if d.State == incident.DeliverySent {
			printf(a.stdout, "  sent to %s\n", d.Target)
		} else {
			printf(a.stderr, "warroom: the update is saved but delivery to %s failed (%s); re-send it from the cockpit.\n", d.Target, d.Error)
		}
	}
	return nil
}
