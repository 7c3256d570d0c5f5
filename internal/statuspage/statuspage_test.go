package statuspage

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

var (
	now    = time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC)
	berlin = mustZone("Europe/Berlin")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Hostile is text a person (or a pasted log) could put in a title or an
// update: markup, a javascript: link, terminal escapes, a right-to-left
// override that makes a word read backwards, and a Markdown link.
const hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">click</a> \x1b[31mred\x1b[0m \u202Ekcab dellor\u202C [x](javascript:alert(4)) </p></body>"

// secret is text that must never reach the page: the war room's own.
const secret = "SECRET-TIMELINE-db-password-hunter2"

// openIncident has a timeline, roles, a retro and a draft that are all
// private, and three public updates by ben.
func openIncident() *incident.Incident {
	return &incident.Incident{
		ID: 3, UID: "0123456789abcdef0123456789abcdef", Title: "Checkout failing " + hostile,
		Severity: 2, Status: incident.Identified, Cadence: 30 * time.Minute,
		Roles:   map[string]string{incident.RoleLead: "amara-lead-name", incident.RoleComms: "ben"},
		WarRoom: "#inc-" + secret, PublicChannel: "#status",
		Created: now.Add(-2 * time.Hour), Updated: now.Add(-10 * time.Minute),
		ETA:   now.Add(time.Hour),
		Draft: "draft " + secret,
		Entries: []incident.Entry{
			{ID: 1, At: now.Add(-2 * time.Hour), Author: "amara-lead-name", Kind: incident.KindNote, Text: "note " + secret},
			{ID: 2, At: now.Add(-time.Hour), Author: "amara-lead-name", Kind: incident.KindNote, Text: "deleted " + secret, Deleted: true},
		},
		Retro: incident.Retro{Sections: []incident.Section{{Title: "Introduction", Text: "retro " + secret}}},
		Updates: []incident.Update{
			{ID: 1, UID: "u1", At: now.Add(-100 * time.Minute), Author: "ben", Status: incident.Investigating, Text: "We are investigating failed payments."},
			{ID: 3, UID: "u3", At: now.Add(-10 * time.Minute), Author: "ben", Status: incident.Identified, Text: "LATEST: the cause is found. " + hostile},
			{ID: 2, UID: "u2", At: now.Add(-50 * time.Minute), Author: "ben", Status: incident.Identified, Text: "We found the cause.\nA fix is being tested."},
		},
	}
}

func resolvedIncident(uid string, resolvedAgo time.Duration) *incident.Incident {
	at := now.Add(-resolvedAgo)
	return &incident.Incident{
		ID: 1, UID: uid, Title: "Search slow " + uid, Severity: 3, Status: incident.Resolved,
		Created: at.Add(-time.Hour), Updated: at,
		Milestones: map[incident.Milestone]time.Time{incident.MResolved: at},
		Updates: []incident.Update{
			{ID: 1, UID: uid + "-1", At: at.Add(-30 * time.Minute), Author: "ben", Status: incident.Investigating, Text: "Search is slow."},
			{ID: 2, UID: uid + "-2", At: at, Author: "ben", Status: incident.Resolved, Text: "Search is fast again " + uid + "."},
		},
	}
}

func unpublished() *incident.Incident {
	return &incident.Incident{ID: 9, UID: "99999999", Title: "Quiet internal thing " + secret, Severity: 4, Status: incident.Investigating, Created: now.Add(-time.Hour)}
}

// pageOf is the path of inc's page in the site.
func pageOf(inc *incident.Incident) string {
	return IncidentDir + "/" + export.BaseName(inc) + ".html"
}

func opts() Options {
	return Options{Org: "Example Ltd", Location: berlin, Zone: "Europe/Berlin", Policy: incident.DefaultPolicy()}
}

func build(t *testing.T, incs []*incident.Incident, o Options) map[string][]byte {
	t.Helper()
	files, err := Build(incs, o, now)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestOnlyPublicFieldsAppear(t *testing.T) {
	incs := []*incident.Incident{openIncident(), resolvedIncident("aaaa1111", 48*time.Hour), unpublished()}
	files := build(t, incs, opts())
	for name, data := range files {
		for _, private := range []string{secret, "amara-lead-name", "ben", "#status", "INC-3", "INC-9"} {
			if private == "INC-3" && name == FeedFile {
				continue // the feed numbers incidents itself (checked below)
			}
			if bytes.Contains(data, []byte(private)) {
				t.Errorf("%s shows %q, which is not public", name, private)
			}
		}
	}
	// An incident nothing was published about has no page and no mention.
	for name := range files {
		if strings.Contains(name, "quiet") {
			t.Errorf("the unpublished incident has a page %s", name)
		}
	}
	// Names appear only when the config allows them.
	o := opts()
	o.ShowNames = true
	named := build(t, incs, o)
	for _, name := range []string{IndexFile, StatusFile, FeedFile, pageOf(openIncident())} {
		if !bytes.Contains(named[name], []byte("ben")) {
			t.Errorf("%s does not name the publisher with show_names", name)
		}
		if bytes.Contains(named[name], []byte("amara-lead-name")) || bytes.Contains(named[name], []byte(secret)) {
			t.Errorf("%s with show_names shows more than the publisher", name)
		}
	}
}

func TestPageNamesAreSharedNames(t *testing.T) {
	a := openIncident()
	b := openIncident()
	b.ID = 41 // the same incident, numbered by another laptop's database
	fa, fb := build(t, []*incident.Incident{a}, opts()), build(t, []*incident.Incident{b}, opts())
	if len(fa) != len(fb) {
		t.Fatalf("%d files against %d", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two laptops' numbering", name)
		}
	}
	var page string
	for name := range fa {
		if strings.HasPrefix(name, IncidentDir+"/") {
			page = name
		}
	}
	if !strings.HasSuffix(page, "-0123456789abcdef0123456789abcdef.html") {
		t.Fatalf("incident page %q is not named by the uid", page)
	}
}

func TestIndexOpenAndRecentlyResolved(t *testing.T) {
	incs := []*incident.Incident{resolvedIncident("old00000", 31*24*time.Hour), resolvedIncident("new11111", 24*time.Hour), resolvedIncident("new22222", 2*time.Hour), openIncident()}
	files := build(t, incs, opts())
	index := string(files[IndexFile])
	if !strings.Contains(index, "1 open incident.") {
		t.Errorf("index summary missing:\n%s", index)
	}
	if strings.Contains(index, "old00000") {
		t.Error("an incident resolved 31 days ago is on the index")
	}
	if _, ok := files["incidents/search-slow-old00000-old00000.html"]; !ok {
		t.Error("an incident resolved 31 days ago lost its own page")
	}
	open, recent, older := strings.Index(index, "Checkout failing"), strings.Index(index, "new22222"), strings.Index(index, "new11111")
	if open < 0 || recent < 0 || older < 0 || !(open < recent && recent < older) {
		t.Errorf("order: open %d, resolved 2h ago %d, resolved a day ago %d", open, recent, older)
	}
	// Severity in words, times in the configured zone, named.
	for _, want := range []string{"Major", "Minor", "Times are in Europe/Berlin", "Sun 6 Dec 2026, 14:50 CET", "Next update", "by <time datetime=\"2026-12-06T15:20:00&#43;01:00\">Sun 6 Dec 2026, 15:20 CET</time>"} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	// The ETA is the war room's until an update says it.
	if strings.Contains(index, "16:00") {
		t.Error("the ETA is on the page")
	}
	// With nothing open or recent, the page says so.
	quiet := string(build(t, []*incident.Incident{resolvedIncident("old00000", 40*24*time.Hour)}, Options{Location: time.UTC})[IndexFile])
	if !strings.Contains(quiet, "No open incidents.") || !strings.Contains(quiet, "No incident was resolved in the last 30 days.") {
		t.Errorf("quiet index:\n%s", quiet)
	}
}

func TestIndexShowsFiveUpdatesAndLinksTheRest(t *testing.T) {
	inc := openIncident()
	inc.Updates = nil
	for i := range 12 {
		inc.Updates = append(inc.Updates, incident.Update{ID: int64(i + 1), UID: fmt.Sprint("u", i), At: now.Add(time.Duration(i-20) * time.Minute), Status: incident.Investigating, Text: fmt.Sprintf("update number %02d", i)})
	}
	files := build(t, []*incident.Incident{inc}, opts())
	index := string(files[IndexFile])
	for i := range 12 {
		want := i >= 7
		if got := strings.Contains(index, fmt.Sprintf("update number %02d", i)); got != want {
			t.Errorf("update %d on the index: %v, want %v", i, got, want)
		}
	}
	if !strings.Contains(index, "All 12 updates</a> (7 earlier updates are on the incident's page)") {
		t.Errorf("no link to the rest:\n%s", index)
	}
}

func TestStatusJSON(t *testing.T) {
	o := opts()
	files := build(t, []*incident.Incident{resolvedIncident("new11111", 24*time.Hour), openIncident()}, o)
	var s Status
	if err := json.Unmarshal(files[StatusFile], &s); err != nil {
		t.Fatal(err)
	}
	if s.Format != JSONFormat || s.Version != 1 || s.Org != "Example Ltd" || s.TimeZone != "Europe/Berlin" || len(s.Incidents) != 2 {
		t.Fatalf("status.json head: %+v", s)
	}
	first := s.Incidents[0]
	if !first.Open || first.ID != "0123456789abcdef0123456789abcdef" || first.Severity != "SEV2" || first.SeverityWords != "Major" || first.Status != "identified" || len(first.Updates) != 3 {
		t.Fatalf("open incident: %+v", first)
	}
	if !strings.HasPrefix(first.Updates[0].Text, "LATEST") || first.Updates[0].ID != "u3" {
		t.Errorf("updates are not newest first: %+v", first.Updates)
	}
	times := []string{s.Updated, first.Declared, first.NextUpdateDue, s.Incidents[1].Resolved}
	for _, u := range first.Updates {
		times = append(times, u.At)
	}
	for _, ts := range times {
		if _, err := time.Parse(time.RFC3339, ts); err != nil {
			t.Errorf("time %q is not RFC 3339: %v", ts, err)
		}
	}
	if strings.Contains(first.Updates[0].Text, "\x1b") || strings.Contains(first.Updates[0].Text, "\u202E") {
		t.Errorf("escape or bidi override left in %q", first.Updates[0].Text)
	}
	if s.Incidents[1].Open || s.Incidents[1].Page != "incidents/search-slow-new11111-new11111.html" {
		t.Errorf("resolved incident: %+v", s.Incidents[1])
	}
}

func TestWriteOnlyChangedFilesAndOwnPages(t *testing.T) {
	dir := t.TempDir()
	inc := openIncident()
	files := build(t, []*incident.Incident{inc, resolvedIncident("new11111", time.Hour)}, opts())
	res, err := Write(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != len(files) || res.Written[len(res.Written)-1] != IndexFile {
		t.Fatalf("first write: %v (the index last)", res.Written)
	}
	// A file of someone else's beside the pages, and one in incidents/.
	mine := filepath.Join(dir, IncidentDir, "notes.html")
	if err := os.WriteFile(mine, []byte("<!DOCTYPE html><p>hand written</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := Write(dir, build(t, []*incident.Incident{inc, resolvedIncident("new11111", time.Hour)}, opts()))
	if err != nil || len(again.Written) != 0 {
		t.Fatalf("an unchanged site was written again: %v %v", again.Written, err)
	}
	// A new update changes its incident's page, the index, the feed and
	// status.json, and nothing else.
	inc.Updates = append(inc.Updates, incident.Update{ID: 4, UID: "u4", At: now, Status: incident.Monitoring, Text: "A fix is out."})
	files = build(t, []*incident.Incident{inc, resolvedIncident("new11111", time.Hour)}, opts())
	res, err = Write(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(res.Written)
	want := []string{FeedFile, IndexFile, pageOf(openIncident()), StatusFile}
	slices.Sort(want)
	if !slices.Equal(res.Written, want) {
		t.Errorf("after one update wrote %v, want %v", res.Written, want)
	}
	// A renamed incident's old page goes; the hand-written file stays.
	inc.Title = "Payments failing"
	res, err = Write(dir, build(t, []*incident.Incident{inc, resolvedIncident("new11111", time.Hour)}, opts()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Removed) != 1 || !strings.HasPrefix(res.Removed[0], "incidents/checkout-failing") {
		t.Errorf("removed %v", res.Removed)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file warroom did not write was removed: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, IncidentDir, ".warroom-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestLoadLogo(t *testing.T) {
	dir := t.TempDir()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	p := filepath.Join(dir, "logo.png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	uri, err := LoadLogo(p)
	if err != nil || !strings.HasPrefix(uri, "data:image/png;base64,") {
		t.Fatalf("png logo: %q %v", uri, err)
	}
	o := opts()
	o.Logo = uri
	index := string(build(t, []*incident.Incident{openIncident()}, o)[IndexFile])
	if !strings.Contains(index, `<img src="`+uri+`" alt="Example Ltd logo">`) {
		t.Errorf("the logo is not on the page")
	}
	txt := filepath.Join(dir, "logo.txt")
	if err := os.WriteFile(txt, []byte("<script>alert(1)</script>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLogo(txt); err == nil || !strings.Contains(err.Error(), "is not a PNG") {
		t.Errorf("a text file as logo: %v", err)
	}
	if _, err := LoadLogo(filepath.Join(dir, "missing.png")); err == nil || !strings.Contains(err.Error(), "status_page.logo") {
		t.Errorf("a missing logo: %v", err)
	}
}

func TestIsGenerated(t *testing.T) {
	files := build(t, []*incident.Incident{openIncident()}, opts())
	for name, data := range files {
		if name == FeedFile {
			continue
		}
		if !IsGenerated(data) {
			t.Errorf("%s is not recognised as generated", name)
		}
	}
	if IsGenerated([]byte("<!DOCTYPE html><p>mine</p>")) || IsGenerated([]byte(`{"format": "other"}`)) {
		t.Error("a file warroom did not write is recognised as generated")
	}
}

func TestFeedCarriesTheIndexIncidents(t *testing.T) {
	type feed struct {
		ID      string `xml:"id"`
		Entries []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	read := func(files map[string][]byte) feed {
		var f feed
		if err := xml.Unmarshal(files[FeedFile], &f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	old := resolvedIncident("old00000", 40*24*time.Hour)
	recent := resolvedIncident("new11111", 24*time.Hour)
	f := read(build(t, []*incident.Incident{old, recent, openIncident()}, opts()))
	if len(f.Entries) != 5 || !strings.HasPrefix(f.Entries[0].Content, "LATEST") {
		t.Fatalf("feed entries %+v, want the open incident's three and the recent one's two, newest first", f.Entries)
	}
	for _, e := range f.Entries {
		if strings.Contains(e.Content, "old00000") {
			t.Error("an incident resolved 40 days ago is in the feed")
		}
	}
	// The feed keeps its id as incidents come and go.
	if again := read(build(t, []*incident.Incident{recent}, opts())); again.ID != f.ID || len(again.Entries) != 2 {
		t.Errorf("feed id %s then %s (%d entries)", f.ID, again.ID, len(again.Entries))
	}
}

// TestStatusIsWhatWasPublished: the page says what the public channel
// said, not what the war room moved on to since.
func TestStatusIsWhatWasPublished(t *testing.T) {
	inc := openIncident()
	inc.Status = incident.Resolved // resolved in the war room, not announced yet
	inc.Milestones = map[incident.Milestone]time.Time{incident.MResolved: now.Add(-5 * time.Minute)}
	files := build(t, []*incident.Incident{inc}, opts())
	var s Status
	if err := json.Unmarshal(files[StatusFile], &s); err != nil {
		t.Fatal(err)
	}
	if got := s.Incidents[0]; !got.Open || got.Status != "identified" || got.Resolved != "" {
		t.Errorf("before the resolution is published: %+v", got)
	}
	if !strings.Contains(string(files[IndexFile]), "1 open incident.") {
		t.Error("the index does not list it as open")
	}
	inc.Updates = append(inc.Updates, incident.Update{ID: 4, UID: "u4", At: now, Status: incident.Resolved, Text: "Resolved."})
	s = Status{}
	if err := json.Unmarshal(build(t, []*incident.Incident{inc}, opts())[StatusFile], &s); err != nil {
		t.Fatal(err)
	}
	if got := s.Incidents[0]; got.Open || got.Status != "resolved" || got.Resolved != "2026-12-06T13:55:00Z" || got.NextUpdateDue != "" {
		t.Errorf("after it: %+v", got)
	}
}
