package export

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// feedDoc is what the tests read back from a feed, parsed by encoding/xml
// with the Atom namespace required on every element.
type feedDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"http://www.w3.org/2005/Atom id"`
	Title   string   `xml:"http://www.w3.org/2005/Atom title"`
	Updated string   `xml:"http://www.w3.org/2005/Atom updated"`
	Author  []struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Entries []struct {
		ID        string `xml:"http://www.w3.org/2005/Atom id"`
		Title     string `xml:"http://www.w3.org/2005/Atom title"`
		Updated   string `xml:"http://www.w3.org/2005/Atom updated"`
		Published string `xml:"http://www.w3.org/2005/Atom published"`
		Content   struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"http://www.w3.org/2005/Atom content"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"http://www.w3.org/2005/Atom category"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

func parseFeed(t *testing.T, data []byte) feedDoc {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("the feed does not start with an XML declaration: %.60s", data)
	}
	var f feedDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("the feed is not well-formed Atom: %v\n%s", err, data)
	}
	return f
}

var urnUUID = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func feedIncident() *incident.Incident {
	at := time.Date(2026, 3, 14, 12, 40, 0, 0, time.UTC)
	return &incident.Incident{
		ID: 7, UID: "inc-uid", Title: "Checkout <failing> & slow", Severity: 2, Status: incident.Monitoring,
		Created: at.Add(-time.Hour), Updated: at.Add(time.Hour),
		Updates: []incident.Update{
			{ID: 1, UID: "u-1", At: at, Author: "li", Status: incident.Investigating, Text: "We are investigating an issue."},
			{ID: 2, UID: "u-2", At: at.Add(30 * time.Minute), Author: "li", Status: incident.Identified, Text: "Issue identified; <b>fix</b> & rollback under way.\nNext update by 13:40."},
			{ID: 3, UID: "u-3", At: at.Add(60 * time.Minute).In(time.FixedZone("CET", 3600)), Author: "kim", Status: incident.Monitoring, Text: "A fix is out; we are watching.\x1b[31m"},
		},
	}
}

func TestAtomFeed(t *testing.T) {
	inc := feedIncident()
	data, err := Atom(inc)
	if err != nil {
		t.Fatal(err)
	}
	f := parseFeed(t, data)
	if !urnUUID.MatchString(f.ID) || f.Title != "INC-7 Checkout <failing> & slow: public updates" || len(f.Author) != 1 || f.Author[0].Name == "" {
		t.Errorf("feed head: id %q title %q author %+v", f.ID, f.Title, f.Author)
	}
	if f.Updated != "2026-03-14T13:40:00Z" {
		t.Errorf("feed updated %q, want the newest update's time", f.Updated)
	}
	if len(f.Entries) != 3 {
		t.Fatalf("%d entries, want one per update", len(f.Entries))
	}
	wantTitles := []string{"[Monitoring] Checkout <failing> & slow", "[Identified] Checkout <failing> & slow", "[Investigating] Checkout <failing> & slow"}
	wantTimes := []string{"2026-03-14T13:40:00Z", "2026-03-14T13:10:00Z", "2026-03-14T12:40:00Z"}
	seen := map[string]bool{}
	for i, e := range f.Entries {
		if e.Title != wantTitles[i] {
			t.Errorf("entry %d title %q, want %q (newest first)", i, e.Title, wantTitles[i])
		}
		if e.Updated != wantTimes[i] || e.Published != wantTimes[i] {
			t.Errorf("entry %d updated %q published %q, want %q", i, e.Updated, e.Published, wantTimes[i])
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry %d updated is not RFC 3339: %v", i, err)
		}
		if !urnUUID.MatchString(e.ID) || seen[e.ID] || e.ID == f.ID {
			t.Errorf("entry %d id %q is not a fresh urn:uuid", i, e.ID)
		}
		seen[e.ID] = true
		if e.Content.Type != "text" {
			t.Errorf("entry %d content type %q", i, e.Content.Type)
		}
	}
	if got := f.Entries[1].Content.Text; got != inc.Updates[1].Text {
		t.Errorf("content %q, want the update's text as text", got)
	}
	if strings.Contains(f.Entries[0].Content.Text, "\x1b") {
		t.Error("an escape sequence reached the feed")
	}
	if strings.Contains(string(data), "<b>") {
		t.Error("markup in an update became markup in the feed")
	}

	// Stable: the same incident gives the same bytes, and an entry keeps
	// its id when more updates come or the title changes.
	again, _ := Atom(feedIncident())
	if !bytes.Equal(data, again) {
		t.Error("the feed is not deterministic")
	}
	more := feedIncident()
	more.Title = "Checkout failing"
	more.Updates = append(more.Updates, incident.Update{ID: 4, UID: "u-4", At: inc.Updates[2].At.Add(time.Hour), Status: incident.Resolved, Text: "Resolved."})
	data2, _ := Atom(more)
	f2 := parseFeed(t, data2)
	if f2.ID != f.ID || f2.Entries[0].Title != "[Resolved] Checkout failing" || f2.Entries[1].ID != f.Entries[0].ID || f2.Entries[3].ID != f.Entries[2].ID {
		t.Errorf("ids moved when an update was added: %q vs %q", f2.Entries[1].ID, f.Entries[0].ID)
	}
}

func TestAtomFeedWithoutUpdates(t *testing.T) {
	inc := feedIncident()
	inc.Updates = nil
	data, err := Atom(inc)
	if err != nil {
		t.Fatal(err)
	}
	f := parseFeed(t, data)
	if len(f.Entries) != 0 || f.Updated != "2026-03-14T13:40:00Z" {
		t.Errorf("empty feed: %d entries, updated %q", len(f.Entries), f.Updated)
	}
}

func TestAtomAllAndWriteFeed(t *testing.T) {
	a := feedIncident()
	b := &incident.Incident{ID: 8, UID: "inc-8", Title: "Login slow", Status: incident.Investigating,
		Updates: []incident.Update{{ID: 1, UID: "b-1", At: time.Date(2026, 3, 14, 13, 0, 0, 0, time.UTC), Status: incident.Investigating, Text: "Looking into slow logins."}}}
	now := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	data, err := AtomAll([]*incident.Incident{a, b}, now)
	if err != nil {
		t.Fatal(err)
	}
	f := parseFeed(t, data)
	var titles []string
	for _, e := range f.Entries {
		titles = append(titles, e.Title)
	}
	want := "[Monitoring] Checkout <failing> & slow|[Identified] Checkout <failing> & slow|[Investigating] Login slow|[Investigating] Checkout <failing> & slow"
	if strings.Join(titles, "|") != want {
		t.Errorf("titles %q\nwant   %q", strings.Join(titles, "|"), want)
	}
	if f.Entries[2].Categories[0].Term != "INC-8" {
		t.Errorf("entry of INC-8 is tagged %+v", f.Entries[2].Categories)
	}
	// An entry has the same id in its incident's feed and in the whole one.
	one := parseFeed(t, must(Atom(b)))
	if one.Entries[0].ID != f.Entries[2].ID {
		t.Error("an update has another id in the feed of all incidents")
	}
	// The id of the whole feed stays as incidents are added.
	c := &incident.Incident{ID: 9, UID: "inc-9", Title: "New"}
	if g := parseFeed(t, must(AtomAll([]*incident.Incident{a, b, c}, now))); g.ID != f.ID {
		t.Error("the feed id changed when an incident was added")
	}
	if e := parseFeed(t, must(AtomAll(nil, now))); len(e.Entries) != 0 || e.Updated != "2026-03-20T00:00:00Z" {
		t.Errorf("feed of nothing: %+v", e)
	}

	dir := t.TempDir()
	if err := WriteFeed(dir, []*incident.Incident{a, b}, now); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, FeedFile))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("feed.atom holds other bytes than AtomAll: %v", err)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
