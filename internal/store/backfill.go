package store

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// ApplyBackfill logs many timed lines (a past incident recorded from a chat
// log, `warroom log --file`, a paste into the capture line) in one
// transaction: each line is a capture line taking effect at its time, as if
// typed then. Either every line is stored or, when one is refused, none is,
// and the error names the line ("line 7: …"). It returns what each line
// stored, in order.
func (s *Store) ApplyBackfill(id int64, lines []incident.BackfillLine, now time.Time, author string, p incident.Policy) ([]Applied, error) {
	var out []Applied
	err := s.update(func(tx *bolt.Tx) error {
		out = out[:0]
		b, err := incidentBucket(tx, id)
		if err != nil {
			return err
		}
		inc, err := readHead(b)
		if err != nil {
			return err
		}
		if inc.Updates, err = readUpdates(b.Bucket(bucketUpdates)); err != nil {
			return err
		}
		var written [][]byte
		for _, l := range lines {
			c, err := incident.ParseCapture(l.Text, l.At)
			if err == nil && c.At.IsZero() {
				c.At = l.At
			}
			var a Applied
			var w [][]byte
			if err == nil {
				w, err = applyOne(b, id, inc, c, now, author, p, &a)
			}
			if errors.Is(err, incident.ErrScreenCommand) {
				err = fmt.Errorf("/%s opens a screen in the cockpit; it cannot be logged", c.Command)
			}
			if err != nil {
				return fmt.Errorf("line %d: %s; nothing was logged", l.N, Message(err))
			}
			written = append(written, w...)
			out = append(out, a)
		}
		head, err := refoldAt(b, now)
		if err != nil {
			return err
		}
		head.Updates = inc.Updates
		for i := range out {
			out[i].Head, out[i].Tx = head, uint64(tx.ID())
		}
		if err := readBack(tx, b, written...); err != nil {
			return s.unreadable(id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
