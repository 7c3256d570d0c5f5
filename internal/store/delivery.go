package store

import (
	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// RecordDelivery records the state of one update on one target (matched
// by d.Target), leaving the update's other deliveries as they are: each
// target's sender journals its own attempts without overwriting another
// target's, which runs beside it. A delivery stored as sent stays sent.
//
// notify calls it before every try, so when it returns the attempt is on
// disk: after a crash the record says a request may have gone out.
func (s *Store) RecordDelivery(id, updateID int64, d incident.Delivery) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		u, err := loadUpdate(b, id, updateID)
		if err != nil {
			return err
		}
		found := false
		for i := range u.Delivery {
			if u.Delivery[i].Target != d.Target {
				continue
			}
			found = true
			if u.Delivery[i].State == incident.DeliverySent {
				return errNoChanges
			}
			u.Delivery[i] = d
		}
		if !found {
			u.Delivery = append(u.Delivery, d)
		}
		// The delivery state is an operation like any other change, so
		// the fold keeps it and a teammate's copy learns it.
		return commitDeliveries(b, u)
	})
}
