package store

import (
	"bytes"
	"path/filepath"
	"reflect"
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
	if !res.Created || res.ID != 1 || res.EntriesAdded != len(inc.Entries) {
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

func TestImportMergesATeammatesCopy(t *testing.T) {
	s := openTemp(t)
	mine := importDemo(t, s)
	theirs := exportThenParse(t, mine)
	later := importNow.Add(time.Hour)

	// Meanwhile, locally: one more entry, a deletion and an edit.
	local, err := s.AppendEntry(mine.ID, incident.Entry{At: importNow, RecordedAt: importNow, Author: "amara", Kind: incident.KindNote, Text: "local only"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteEntry(mine.ID, 3, importNow, "amara"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditEntry(mine.ID, 2, importNow, "amara", func(e *incident.Entry) error { e.Text = "edited locally"; return nil }); err != nil {
		t.Fatal(err)
	}
	// In the teammate's copy: a new entry, a later edit, an older edit, a
	// resurrection attempt, a new update, retro work and a status change.
	theirs.Entries = append(theirs.Entries, incident.Entry{UID: "their-entry", At: later, RecordedAt: later, Author: "ben", Kind: incident.KindAction, Text: "theirs only"})
	theirs.Entries[0].Text, theirs.Entries[0].EditedAt = "edited by ben later", later
	theirs.Entries[1].Text, theirs.Entries[1].EditedAt = "edited long ago", importNow.Add(-48*time.Hour)
	theirs.Entries[2].Text, theirs.Entries[2].EditedAt = "not deleted over there", later.Add(time.Minute)
	theirs.Entries[4].At, theirs.Entries[4].EditedAt = theirs.Entries[4].At.Add(-time.Minute), later
	theirs.Updates = append(theirs.Updates, incident.Update{UID: "their-update", At: later, Author: "ben", Status: incident.Resolved, Text: "Resolved."})
	theirs.Retro.Whys = append(theirs.Retro.Whys, incident.Why{Why: "Why no canary at first?", Because: "The pipeline skips it on Fridays."})
	theirs.Retro.Actions[1].Done = true
	theirs.Retro.Actions = append(theirs.Retro.Actions, incident.Action{Title: "Their new action", Kind: incident.LongTerm})
	theirs.Retro.Sections[0].Text, theirs.Retro.Sections[0].Edited = "Ben's better introduction", later
	theirs.Retro.Sections[0].Contributors = append(theirs.Retro.Sections[0].Contributors, "ben")
	theirs.Retro.Sections = append(theirs.Retro.Sections, incident.Section{Title: "What went well", Text: "Canary", Edited: later})
	// Their status change and tag are entries on their timeline, as the
	// fields are the fold of it.
	theirs.Entries = append(theirs.Entries,
		incident.Entry{UID: "their-resolved", At: later, RecordedAt: later, Author: "ben", Kind: incident.KindMilestone, Text: "Resolved",
			Set: incident.Setting{Field: incident.FieldMilestone, Key: string(incident.MResolved)}},
		incident.Entry{UID: "their-status", At: later, RecordedAt: later, Author: "ben", Kind: incident.KindStatus, Text: "Status monitoring → resolved",
			Set: incident.Setting{Field: incident.FieldStatus, Value: string(incident.Resolved)}},
		incident.Entry{UID: "their-tag", At: later, RecordedAt: later, Author: "ben", Kind: incident.KindSystem, Text: "Tagged friday",
			Set: incident.Setting{Field: incident.FieldTag, Value: "friday"}})

	res, err := s.ImportIncident(theirs)
	if err != nil {
		t.Fatal(err)
	}
	want := ImportResult{ID: mine.ID, EntriesAdded: 4, EntriesUpdated: 3, UpdatesAdded: 1, HeadChanged: true, RetroChanged: true}
	if res != want {
		t.Errorf("merge result = %+v, want %+v", res, want)
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
	check("the later edit did not win", byUID[mine.Entries[0].UID].Text == "edited by ben later")
	check("an older edit overwrote the local entry", byUID[mine.Entries[1].UID].Text == "edited locally")
	check("a deleted entry came back", byUID[mine.Entries[2].UID].Deleted)
	check("their new entry is missing", byUID["their-entry"].Text == "theirs only")
	check("the local entry was lost", byUID[local.UID].Text == "local only")
	check("a re-timed entry did not move", byUID[mine.Entries[4].UID].At.Equal(mine.Entries[4].At.Add(-time.Minute)))
	check("entries are not in time order", slices.IsSortedFunc(got.Entries, func(a, b incident.Entry) int { return a.At.Compare(b.At) }))
	check("their update is missing", len(got.Updates) == len(mine.Updates)+1)
	check("status did not follow the newer copy", got.Status == incident.Resolved && got.Milestones[incident.MResolved].Equal(later))
	check("tags were not united", got.HasTag("friday") && got.HasTag("payments"))
	check("the why was not added", len(got.Retro.Whys) == len(mine.Retro.Whys)+1)
	check("the action was not marked done", got.Retro.Actions[1].Done)
	check("the new action is missing or has no uid", len(got.Retro.Actions) == len(mine.Retro.Actions)+1 && got.Retro.Actions[len(got.Retro.Actions)-1].UID != "")
	check("the later section edit did not win", got.Retro.Sections[0].Text == "Ben's better introduction")
	check("contributors were not united", slices.Contains(got.Retro.Sections[0].Contributors, "ben") && slices.Contains(got.Retro.Sections[0].Contributors, "amara"))
	check("the new section is missing", got.Retro.Sections[len(got.Retro.Sections)-1].Title == "What went well")

	// Their copy again, and ours back into theirs: nothing new either way.
	res, err = s.ImportIncident(theirs)
	if err != nil || res.Changed() {
		t.Errorf("importing the same copy again = %+v, %v; want no change", res, err)
	}
	res, err = s.ImportIncident(exportThenParse(t, got))
	if err != nil || res.Changed() {
		t.Errorf("importing the merged result = %+v, %v; want no change", res, err)
	}
}

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
	if res.ChangesAdded != 1 || res.EntriesUpdated != 1 {
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
