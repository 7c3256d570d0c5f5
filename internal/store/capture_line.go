package store

import (
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// ApplyLine is Apply for a line typed on the cockpit's capture line: in the
// same transaction it sets the person's half-typed line (the UI state
// name) to rest, what the capture line holds once the line is logged
// (usually ""). A crash right after the entry is stored then never brings
// the logged line back as a half-typed one, to be sent again with the next
// line typed.
func (s *Store) ApplyLine(id int64, c incident.Capture, now time.Time, author string, p incident.Policy, name, rest string) (Applied, error) {
	return s.applyAlso(id, c, now, author, p, func(b *bolt.Bucket) error {
		ui := b.Bucket(bucketUI)
		if rest == "" {
			return ui.Delete([]byte(name))
		}
		return ui.Put([]byte(name), []byte(rest))
	})
}
