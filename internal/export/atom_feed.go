package export

import (
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// AtomNamed is the Atom feed of incs' published updates, newest first, as
// AtomAll writes its entries, under a feed id made from name: for a feed
// whose incidents come and go (the status page's, which carries the open
// and recently resolved ones) and whose id must stay the same. updated
// dates a feed with no update.
func AtomNamed(incs []*incident.Incident, name, title, subtitle string, updated time.Time) ([]byte, error) {
	f := AtomFeed{ID: uuidURN("feed:" + name), Title: title, Subtitle: subtitle}
	f.Entries = atomEntries(incs)
	f.Updated = atomTime(feedUpdated(f.Entries, updated))
	return marshalFeed(f)
}
