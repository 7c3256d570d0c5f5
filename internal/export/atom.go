package export

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// FeedFile is the name of the Atom feed `export --all --dir` writes.
const FeedFile = "feed.atom"

// AtomNS is the Atom namespace (RFC 4287).
const AtomNS = "http://www.w3.org/2005/Atom"

// atomNamespace is the namespace of warroom's name-based (version 5)
// UUIDs: entry ids come from the update's uid, so they are the same in
// every export of every copy of the incident.
var atomNamespace = [16]byte{0x6b, 0x2f, 0x1c, 0x84, 0x3e, 0x0a, 0x4d, 0x51, 0x9a, 0x27, 0x52, 0x0e, 0x8f, 0xc3, 0x11, 0x7d}

// AtomFeed is an Atom feed document, as much of RFC 4287 as warroom writes.
type AtomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Author    AtomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []AtomEntry `xml:"entry"`
}

// AtomEntry is one published update.
type AtomEntry struct {
	ID        string         `xml:"id"`
	Title     string         `xml:"title"`
	Updated   string         `xml:"updated"`
	Published string         `xml:"published"`
	Author    *AtomPerson    `xml:"author,omitempty"`
	Category  []AtomCategory `xml:"category"`
	Content   AtomText       `xml:"content"`
}

// AtomPerson is an author.
type AtomPerson struct {
	Name string `xml:"name"`
}

// AtomCategory tags an entry with its incident and status.
type AtomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// AtomText is a text construct of type text: never HTML, so an update's
// text cannot become markup in a reader.
type AtomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// Atom is the Atom feed of inc's published updates: one entry per update,
// newest first, titled "[Identified] incident title". It is deterministic:
// the same incident gives the same bytes.
func Atom(inc *incident.Incident) ([]byte, error) {
	title := incident.CleanLine(inc.Title)
	f := AtomFeed{
		ID:       uuidURN("incident:" + incidentName(inc)),
		Title:    inc.Key() + " " + title + ": public updates",
		Subtitle: "Public updates of " + inc.Key() + ", newest first",
	}
	f.Entries = atomEntries([]*incident.Incident{inc})
	f.Updated = atomTime(feedUpdated(f.Entries, cmp.Or(inc.Updated, inc.Created)))
	return marshalFeed(f)
}

// AtomAll is the feed of every incident's published updates, newest first.
// Its id comes from the oldest incident, so it stays the same as
// incidents are added; now dates a feed with no update at all.
func AtomAll(incs []*incident.Incident, now time.Time) ([]byte, error) {
	name := "feed:all"
	var oldest *incident.Incident
	for _, inc := range incs {
		if oldest == nil || inc.ID < oldest.ID {
			oldest = inc
		}
	}
	if oldest != nil {
		name += ":" + incidentName(oldest)
	}
	f := AtomFeed{
		ID:       uuidURN(name),
		Title:    "Incident public updates",
		Subtitle: "Public updates of every incident, newest first",
	}
	f.Entries = atomEntries(incs)
	f.Updated = atomTime(feedUpdated(f.Entries, now))
	return marshalFeed(f)
}

// WriteFeed writes AtomAll into dir as feed.atom, leaving an unchanged
// file alone.
func WriteFeed(dir string, incs []*incident.Incident, now time.Time) error {
	data, err := AtomAll(incs, now)
	if err != nil {
		return err
	}
	return writeIfChanged(filepath.Join(dir, FeedFile), data)
}

func marshalFeed(f AtomFeed) ([]byte, error) {
	f.Author = AtomPerson{Name: "warroom"}
	f.Generator = "warroom"
	data, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(append([]byte(xml.Header), data...), '\n'), nil
}

// atomEntries are the updates of incs, newest first (ties: the later
// incident and update first, so the order is total).
func atomEntries(incs []*incident.Incident) []AtomEntry {
	type item struct {
		inc *incident.Incident
		u   incident.Update
	}
	var items []item
	for _, inc := range incs {
		for _, u := range inc.Updates {
			items = append(items, item{inc, u})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(b.u.At.Compare(a.u.At), cmp.Compare(b.inc.ID, a.inc.ID), cmp.Compare(b.u.ID, a.u.ID))
	})
	out := make([]AtomEntry, len(items))
	for i, it := range items {
		u, inc := it.u, it.inc
		at := atomTime(u.At)
		e := AtomEntry{
			ID:        uuidURN("update:" + updateName(inc, u)),
			Title:     "[" + titleCase(string(u.Status)) + "] " + incident.CleanLine(inc.Title),
			Updated:   at,
			Published: at,
			Category:  []AtomCategory{{Term: inc.Key()}, {Term: string(u.Status), Label: titleCase(string(u.Status))}},
			Content:   AtomText{Type: "text", Text: incident.CleanText(u.Text)},
		}
		if u.Status == "" {
			e.Title = incident.CleanLine(inc.Title)
			e.Category = e.Category[:1]
		}
		if a := incident.CleanLine(u.Author); a != "" {
			e.Author = &AtomPerson{Name: a}
		}
		out[i] = e
	}
	return out
}

// feedUpdated is the time of the newest entry, else fallback.
func feedUpdated(entries []AtomEntry, fallback time.Time) time.Time {
	if len(entries) > 0 {
		if t, err := time.Parse(time.RFC3339, entries[0].Updated); err == nil {
			return t
		}
	}
	return fallback
}

// atomTime is t in RFC 3339, in UTC so the feed is the same wherever it is
// written.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// incidentName names inc for its feed id: its uid, else (an incident from
// before uids) its key.
func incidentName(inc *incident.Incident) string {
	return cmp.Or(inc.UID, inc.Key())
}

// updateName names u for its entry id: its uid, else the incident and its
// number.
func updateName(inc *incident.Incident, u incident.Update) string {
	if u.UID != "" {
		return u.UID
	}
	return incidentName(inc) + "/" + strconv.FormatInt(u.ID, 10)
}

// uuidURN is the urn:uuid of a version 5 UUID for name (RFC 9562).
func uuidURN(name string) string {
	h := sha1.New()
	h.Write(atomNamespace[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	s := hex.EncodeToString(u)
	return "urn:uuid:" + s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
