package store

import (
	"bytes"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

var importNow = time.Date(2026, 5, 4, 18, 0, 0, 0, time.UTC)

func importDemo(t *testing.T, s *Store) *incident.Incident {
	t.Helper()
	res, err := s.ImportIncident(incident.Demo(importNow))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.ID == 0 {
		t.Fatalf("importing the demo: %+v, want a created incident", res)
	}
	inc, err := s.Incident(res.ID)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// exportThenParse is what `warroom export --format json` then `warroom
// import` do to an incident.
func exportThenParse(t *testing.T, inc *incident.Incident) *incident.Incident {
	t.Helper()
	data, err := export.JSON(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	out, err := export.ParseJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// docWithoutIDs is the JSON document with local ids blanked, to compare an
// incident across databases.
func docWithoutIDs(inc *incident.Incident) export.Doc {
	d := export.NewDoc(inc, incident.DefaultPolicy())
	d.ID = ""
	for i := range d.Entries {
		d.Entries[i].ID = 0
	}
	for i := range d.Updates {
		d.Updates[i].ID = 0
	}
	return d
}

func TestImportDemoCreatesEverything(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "Something earlier")
	demo := incident.Demo(importNow)
	inc := importDemo(t, s)
	if inc.ID != 2 || inc.UID == "" {
		t.Errorf("id %d uid %q, want the next local id and a fresh uid", inc.ID, inc.UID)
	}
	if len(inc.Entries) != len(demo.Entries) || len(inc.Updates) != len(demo.Updates) {
		t.Fatalf("stored %d entries and %d updates, want %d and %d", len(inc.Entries), len(inc.Updates), len(demo.Entries), len(demo.Updates))
	}
	for i, e := range inc.Entries {
		if e.ID != int64(i+1) || e.UID == "" {
			t.Errorf("entry %d has id %d uid %q, want ids in time order and a uid", i, e.ID, e.UID)
		}
		if e.Text != demo.Entries[i].Text || !e.At.Equal(demo.Entries[i].At) {
			t.Errorf("entry %d = %q at %v, want %q at %v", i, e.Text, e.At, demo.Entries[i].Text, demo.Entries[i].At)
		}
	}
	for _, a := range inc.Retro.Actions {
		if a.UID == "" {
			t.Errorf("action %q has no uid after import", a.Title)
		}
	}
	if inc.Title != demo.Title || inc.Status != incident.Monitoring || len(inc.Retro.Whys) != len(demo.Retro.Whys) {
		t.Errorf("imported incident differs from the demo: %+v", inc)
	}
	list, err := s.ListIncidents()
	if err != nil || len(list) != 2 {
		t.Fatalf("list = %d incidents, %v; want 2", len(list), err)
	}
}

func TestImportOwnExportTwiceChangesNothing(t *testing.T) {
	s := openTemp(t)
	inc := importDemo(t, s)
	before, err := s.Stamp()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		res, err := s.ImportIncident(exportThenParse(t, inc))
		if err != nil {
			t.Fatal(err)
		}
		if res.Changed() || res.Created || res.ID != inc.ID {
			t.Errorf("re-import = %+v, want a no-op on %s", res, inc.Key())
		}
	}
	after, _ := s.Stamp()
	if before != after {
		t.Error("a no-op import rewrote the database file")
	}
	again, err := s.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(docWithoutIDs(inc), docWithoutIDs(again)) {
		t.Error("re-import changed the incident")
	}
}

func TestImportRoundTripIntoAnotherDatabase(t *testing.T) {
	a := openTemp(t)
	declare(t, a, "Pad so the ids differ")
	inc := importDemo(t, a)
	if _, err := a.EditEntry(inc.ID, 5, importNow, "amara", func(e *incident.Entry) error { e.Text = "edited"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteEntry(inc.ID, 6, importNow, "amara"); err != nil {
		t.Fatal(err)
	}
	inc, _ = a.Incident(inc.ID)

	b, err := Open(filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.ImportIncident(exportThenParse(t, inc))
	if err != nil {
		t.Fatal(err)
	}
	told := 0
	for _, e := range inc.Entries {
		if e.Ref != 0 {
			told++ // a deletion told on the timeline: the fold makes it
		}
	}
	if !res.Created || res.ID != 1 || res.EntriesAdded != len(inc.Entries)-told {
		t.Fatalf("import into an empty database = %+v", res)
	}
	got, err := b.Incident(res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.UID != inc.UID {
		t.Errorf("uid %q, want the original %q so later imports merge", got.UID, inc.UID)
	}
	if !reflect.DeepEqual(docWithoutIDs(inc), docWithoutIDs(got)) {
		t.Error("the incident differs after a round trip through JSON into another database")
	}
	d1, _ := export.JSON(inc, incident.DefaultPolicy())
	d2, _ := export.JSON(got, incident.DefaultPolicy())
	if bytes.Equal(d1, d2) {
		t.Error("the two exports are byte-identical although local ids differ; the comparison above proves nothing")
	}
}

// A teammate's copy merges as the union of both copies' operations: what
// each side did applies, an entry edited on both sides keeps both texts, an
// edit on one side of an entry deleted on the other survives the deletion,
// and merging again either way changes nothing.
func TestImportMergesATeammatesCopy(t *testing.T) {
	s, other := openTemp(t), openTemp(t)
	mine := importDemo(t, s)
	copied, err := other.ImportIncident(exportThenParse(t, mine))
	if err != nil {
		t.Fatal(err)
	}
	later := importNow.Add(time.Hour)
	p := incident.DefaultPolicy()
	entry := func(i int) incident.Entry { return mine.Entries[i] }

	// Meanwhile, locally: one more entry, a deletion, an edit.
	local, err := s.AppendEntry(mine.ID, incident.Entry{At: importNow, RecordedAt: importNow, Author: "amara", Kind: incident.KindNote, Text: "local only"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteEntry(mine.ID, entry(3).ID, importNow, "amara"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditEntry(mine.ID, entry(2).ID, importNow, "amara", func(e *incident.Entry) error { e.Text = "edited locally"; return nil }); err != nil {
		t.Fatal(err)
	}
	// On the teammate's copy: an edit of the same entry, an edit of the
	// entry deleted here, a re-time, a new entry, a status change and a
	// tag, an update, and retro work.
	idOn := func(uid string) int64 {
		got, _ := other.Incident(copied.ID)
		for _, e := range got.Entries {
			if e.UID == uid {
				return e.ID
			}
		}
		t.Fatalf("no entry %s on the other copy", uid)
		return 0
	}
	edit := func(uid string, fn func(e *incident.Entry)) {
		if _, err := other.EditEntry(copied.ID, idOn(uid), later, "ben", func(e *incident.Entry) error { fn(e); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	edit(entry(2).UID, func(e *incident.Entry) { e.Text = "edited by ben" })
	edit(entry(3).UID, func(e *incident.Entry) { e.Text = "not deleted over there" })
	edit(entry(4).UID, func(e *incident.Entry) { e.At = e.At.Add(-time.Minute) })
	their, err := other.AppendEntry(copied.ID, incident.Entry{At: later, RecordedAt: later, Author: "ben", Kind: incident.KindAction, Text: "theirs only"})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"/tag friday", "/status resolved", "/draft Resolved.", "/publish"} {
		c, err := incident.ParseCapture(line, later)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.Apply(copied.ID, c, later, "ben", p); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
	}
	if _, err := other.UpdateRetro(copied.ID, "ben", later, func(r *incident.Retro) error {
		r.Whys = append(r.Whys, incident.Why{UID: "their-why", Why: "Why no canary at first?", Because: "The pipeline skips it on Fridays.", Author: "ben"})
		r.Actions[1].Done = true
		r.Actions = append(r.Actions, incident.Action{UID: "their-action", Title: "Their new action", Kind: incident.LongTerm, Author: "ben"})
		r.Sections = append(r.Sections, incident.Section{Title: "What went well", Text: "Canary", Edited: later, Contributors: []string{"ben"}})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	intro := mine.Retro.Sections[0]
	if _, _, err := other.SetSectionText(copied.ID, intro.Title, Edit{BaseRev: intro.Rev, Base: intro.Text, Text: intro.Text + "\n\nBen's addition."}, "ben", later, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetSectionText(mine.ID, intro.Title, Edit{BaseRev: intro.Rev, Base: intro.Text, Text: "Amara's opening.\n\n" + intro.Text}, "amara", importNow, nil); err != nil {
		t.Fatal(err)
	}
	theirs, err := other.Incident(copied.ID)
	if err != nil {
		t.Fatal(err)
	}

	res, err := s.ImportIncident(exportThenParse(t, theirs))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed() || res.EntriesAdded == 0 || res.UpdatesAdded != 1 || !res.RetroChanged || !res.HeadChanged {
		t.Errorf("merge result = %+v", res)
	}
	if !strings.Contains(res.Brought, "from ben") {
		t.Errorf("the merge says it brought %q, without naming ben", res.Brought)
	}
	got, err := s.Incident(mine.ID)
	if err != nil {
		t.Fatal(err)
	}
	byUID := map[string]incident.Entry{}
	for _, e := range got.Entries {
		byUID[e.UID] = e
	}
	check := func(what string, ok bool) {
		t.Helper()
		if !ok {
			t.Error(what)
		}
	}
	both := byUID[entry(2).UID].Text
	check("an entry edited on both sides lost one edit: "+both, strings.Contains(both, "edited locally") && strings.Contains(both, "edited by ben"))
	check("a deleted entry came back", byUID[entry(3).UID].Deleted)
	check("an edit of an entry deleted meanwhile was lost", byUID[entry(3).UID].Text == "not deleted over there")
	check("their new entry is missing", byUID[their.UID].Text == "theirs only")
	check("the local entry was lost", byUID[local.UID].Text == "local only")
	check("a re-timed entry did not move", byUID[entry(4).UID].At.Equal(entry(4).At.Add(-time.Minute)))
	check("their update is missing", len(got.Updates) == len(mine.Updates)+1)
	check("status did not follow their change", got.Status == incident.Resolved)
	check("tags were not united", got.HasTag("friday") && got.HasTag("payments"))
	check("the why was not added", len(got.Retro.Whys) == len(mine.Retro.Whys)+1)
	check("the action was not marked done", got.Retro.Actions[1].Done)
	check("the new action is missing", got.Retro.Action("their-action") != nil)
	text := got.Retro.Section(intro.Title).Text
	check("a section edited on both sides lost one edit: "+text, strings.HasPrefix(text, "Amara's opening.") && strings.HasSuffix(text, "Ben's addition."))
	check("contributors were not united", slices.Contains(got.Retro.Sections[0].Contributors, "ben") && slices.Contains(got.Retro.Sections[0].Contributors, "amara"))
	check("the new section is missing", got.Retro.Section("What went well") != nil)

	// Their copy again, and ours back into theirs and again: nothing new
	// the second time, and both copies then agree.
	res, err = s.ImportIncident(exportThenParse(t, theirs))
	if err != nil || res.Changed() {
		t.Errorf("importing the same copy again = %+v, %v; want no change", res, err)
	}
	if _, err := other.ImportIncident(exportThenParse(t, got)); err != nil {
		t.Fatal(err)
	}
	res, err = other.ImportIncident(exportThenParse(t, got))
	if err != nil || res.Changed() {
		t.Errorf("importing the merged result twice = %+v, %v; want no change", res, err)
	}
	back, err := other.Incident(copied.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := comparableJSON(t, got), comparableJSON(t, back); a != b {
		t.Errorf("the two copies differ after merging both ways:\n%s\n---\n%s", a, b)
	}
}

// comparableJSON is show --json with the numbers only one database means
// (INC-n, #N) taken out: what two copies holding the same operations must
// agree on byte for byte.
func comparableJSON(t *testing.T, inc *incident.Incident) string {
	t.Helper()
	c := *inc
	c.Ops = nil
	data, err := export.JSON(&c, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return localNumbers.ReplaceAllString(string(data), "#")
}

var localNumbers = regexp.MustCompile(`"id": ?("INC-)?[0-9]+"?|#[0-9]+|"ref": ?[0-9]+`)

func TestImportRefusesIncompleteIncidents(t *testing.T) {
	s := openTemp(t)
	if _, err := s.ImportIncident(&incident.Incident{Severity: 2}); err == nil {
		t.Error("an incident without a title was imported")
	}
	if _, err := s.ImportIncident(&incident.Incident{Title: "x", Severity: 9}); err == nil {
		t.Error("an incident with severity 9 was imported")
	}
	list, _ := s.ListIncidents()
	if len(list) != 0 {
		t.Errorf("a refused import left %d incidents", len(list))
	}
}

func TestAllIncidentsLoadsEverything(t *testing.T) {
	s := openTemp(t)
	first := declare(t, s, "First")
	demo := importDemo(t, s)
	third := declare(t, s, "Third")
	if _, err := s.DeleteEntry(demo.ID, 2, importNow, "amara"); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllIncidents()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != first.ID || all[1].ID != demo.ID || all[2].ID != third.ID {
		t.Fatalf("AllIncidents returned %d incidents in the wrong order", len(all))
	}
	one, err := s.Incident(demo.ID)
	if err != nil {
		t.Fatal(err)
	}
	one.Ops = nil // AllIncidents leaves the operations out
	if !reflect.DeepEqual(all[1], one) {
		t.Error("AllIncidents and Incident disagree on the demo incident")
	}
}

// A stale copy from a laptop whose clock ran fast says "investigating,
// SEV4" with a newer updated time, but its timeline has nothing newer: the
// live incident keeps what its timeline says.
func TestImportStaleCopyDoesNotRevertFields(t *testing.T) {
	s := openTemp(t)
	mine := importDemo(t, s)
	stale := exportThenParse(t, mine)
	if _, err := s.Apply(mine.ID, incident.Capture{Command: incident.CmdSev, Severity: 1}, importNow, "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	stale.Status, stale.Severity, stale.Updated = incident.Investigating, 4, importNow.Add(10*time.Minute)
	stale.Title = "Stale title"
	if _, err := s.ImportIncident(stale); err != nil {
		t.Fatal(err)
	}
	got, err := s.Incident(mine.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != mine.Status || got.Severity != 1 || got.Title != mine.Title {
		t.Errorf("after importing a stale copy: %s %s %q; want %s SEV1 %q", got.Status, got.Severity, got.Title, mine.Status, mine.Title)
	}
}

func TestImportRefusesDuplicateUIDs(t *testing.T) {
	s := openTemp(t)
	in := incident.Demo(importNow)
	in.Entries[1].UID, in.Entries[2].UID = "same", "same"
	if _, err := s.ImportIncident(in); err == nil || !strings.Contains(err.Error(), "two timeline entries with uid same") {
		t.Fatalf("err = %v; want the duplicate uid named", err)
	}
	if list, _ := s.ListIncidents(); len(list) != 0 {
		t.Errorf("%d incidents stored; a refused file writes nothing", len(list))
	}
}

// Who edited or deleted what on a teammate's copy comes along with a
// merge, once: importing the same copy again adds no change record.
func TestImportMergesTheChangeRecord(t *testing.T) {
	mine, theirs := openTemp(t), openTemp(t)
	inc := importDemo(t, mine)
	copied, err := theirs.ImportIncident(exportThenParse(t, inc))
	if err != nil {
		t.Fatal(err)
	}
	e := inc.Entries[len(inc.Entries)-1]
	later := importNow.Add(time.Hour)
	if _, err := theirs.EditEntry(copied.ID, e.ID, later, "ben", func(e *incident.Entry) error {
		e.Text = "edited by ben"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	edited, err := theirs.Incident(copied.ID)
	if err != nil {
		t.Fatal(err)
	}
	before := len(inc.Changes)
	res, err := mine.ImportIncident(exportThenParse(t, edited))
	if err != nil {
		t.Fatal(err)
	}
	if res.EntriesUpdated != 1 {
		t.Errorf("merge result %+v, want one change record and one entry updated", res)
	}
	got, err := mine.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Changes) != before+1 || got.Changes[len(got.Changes)-1].Author != "ben" {
		t.Errorf("change record after the merge: %+v", got.Changes)
	}
	again, err := mine.ImportIncident(exportThenParse(t, edited))
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed() {
		t.Errorf("importing the same copy twice changed %+v", again)
	}
}
