package store

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// leanFixture is a few incidents with what the lean reads leave out or
// keep: timelines, an edited and a deleted entry (so a change record),
// public updates, retros.
func leanFixture(t *testing.T) *Store {
	t.Helper()
	s := openTemp(t)
	p := incident.DefaultPolicy()
	for i := range 4 {
		inc := declare(t, s, fmt.Sprintf("Incident %d", i))
		now := t0.Add(time.Duration(i+1) * time.Hour)
		for _, line := range []string{"restarted the workers", "!rolled back deploy 4711", "/status identified",
			"/draft Issue identified; team working on resolution.", "/publish", "connection POOL exhausted"} {
			c, err := incident.ParseCapture(line, now)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Apply(inc.ID, c, now, "amara", p); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
		}
		if _, err := s.EditEntry(inc.ID, 2, now, "amara", func(e *incident.Entry) error { e.Text += " (all of them)"; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteEntry(inc.ID, 3, now, "amara"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateRetro(inc.ID, "amara", now, func(r *incident.Retro) error {
			r.Actions = append(r.Actions, incident.Action{UID: fmt.Sprint("a", i), Title: "add a pool alert", Kind: incident.Immediate})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestLeanReadsAreAllIncidentsLessWhatTheyLeaveOut holds each lean read to
// AllIncidents: the same incidents, fields, retros, updates and (where it
// reads them) entries, only without what it says it leaves out.
func TestLeanReadsAreAllIncidentsLessWhatTheyLeaveOut(t *testing.T) {
	s := leanFixture(t)
	all, err := s.AllIncidents()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || len(all[0].Changes) == 0 || len(all[0].Updates) != 1 || len(all[0].Retro.Actions) != 1 {
		t.Fatalf("fixture: %d incidents, %d changes, %d updates", len(all), len(all[0].Changes), len(all[0].Updates))
	}
	without := func(entries bool) []*incident.Incident {
		var out []*incident.Incident
		for _, inc := range all {
			c := *inc
			c.Changes = nil
			if !entries {
				c.Entries = []incident.Entry{}
			}
			out = append(out, &c)
		}
		return out
	}
	heads, err := s.IncidentHeads()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(heads, without(false)) {
		t.Errorf("IncidentHeads differs from AllIncidents without entries and changes")
	}
	forExport, err := s.IncidentsForExport()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(forExport, without(true)) {
		t.Errorf("IncidentsForExport differs from AllIncidents without changes")
	}
	forSearch, err := s.IncidentsForSearch(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(forSearch, without(true)) {
		t.Errorf("IncidentsForSearch(nil) differs from AllIncidents without changes")
	}
}

func TestIncidentsForSearchDecodesOnlyWhatMayMatch(t *testing.T) {
	s := leanFixture(t)
	seen := 0
	incs, err := s.IncidentsForSearch(func(rec []byte) bool {
		seen++
		return bytes.Contains(rec, []byte("POOL"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 4*7 {
		t.Errorf("the test saw %d entries", seen)
	}
	for _, inc := range incs {
		if len(inc.Entries) != 1 || inc.Entries[0].Text != "connection POOL exhausted" || len(inc.Updates) != 1 || inc.Title == "" {
			t.Errorf("%s: entries %+v", inc.Key(), inc.Entries)
		}
	}
}

func TestLeanReadsOfAnEmptyDatabase(t *testing.T) {
	s := openTemp(t)
	for name, read := range map[string]func() ([]*incident.Incident, error){
		"IncidentHeads": s.IncidentHeads, "IncidentsForExport": s.IncidentsForExport,
		"IncidentsForSearch": func() ([]*incident.Incident, error) { return s.IncidentsForSearch(nil) },
	} {
		if incs, err := read(); err != nil || len(incs) != 0 {
			t.Errorf("%s: %d incidents, %v", name, len(incs), err)
		}
	}
}

// TestOnlyOpenIncidentIsResolveID holds the lean resolution of warroom
// log to ResolveID("") with none, one and several open incidents.
func TestOnlyOpenIncidentIsResolveID(t *testing.T) {
	s := openTemp(t)
	same := func(when string) {
		t.Helper()
		want, wantErr := s.ResolveID("")
		got, err := s.OnlyOpenIncident()
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) || errors.Is(err, ErrNotFound) != errors.Is(wantErr, ErrNotFound) {
			t.Errorf("%s: OnlyOpenIncident = %d, %v; ResolveID = %d, %v", when, got, err, want, wantErr)
		}
	}
	same("an empty database")
	a := declare(t, s, "first")
	same("one open")
	declare(t, s, "second")
	declare(t, s, "third")
	same("three open")
	c, err := incident.ParseCapture("/resolved", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{2, 3} {
		if _, err := s.Apply(id, c, t0.Add(time.Hour), "amara", incident.DefaultPolicy()); err != nil {
			t.Fatal(err)
		}
	}
	same("two resolved, one open")
	if id, err := s.OnlyOpenIncident(); id != a.ID || err != nil {
		t.Errorf("OnlyOpenIncident = %d, %v; want %d", id, err, a.ID)
	}
	if _, err := s.Apply(a.ID, c, t0.Add(time.Hour), "amara", incident.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	same("all resolved")
}

// IncidentsForExportIf reads a timeline only where asked, and its stamp
// moves with any change to what the Markdown shows and with nothing else.
func TestIncidentsForExportIfStamps(t *testing.T) {
	s := leanFixture(t)
	whole, err := s.IncidentsForExport()
	if err != nil {
		t.Fatal(err)
	}
	asked := map[string]bool{}
	incs, stamps, err := s.IncidentsForExportIf(func(uid, stamp string) bool {
		asked[uid] = true
		return uid == whole[1].UID
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != len(whole) || len(asked) != len(whole) {
		t.Fatalf("%d incidents, %d asked about; want %d", len(incs), len(asked), len(whole))
	}
	for i, inc := range incs {
		want := 0
		if i == 1 {
			want = len(whole[1].Entries)
		}
		if len(inc.Entries) != want || inc.Title != whole[i].Title || len(inc.Updates) != len(whole[i].Updates) {
			t.Errorf("incident %d: %d entries, %d updates; want %d entries and the head and updates", i, len(inc.Entries), len(inc.Updates), want)
		}
	}
	again := func() []string {
		_, st, err := s.IncidentsForExportIf(func(string, string) bool { return false })
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := again(); !reflect.DeepEqual(st, stamps) {
		t.Fatalf("stamps of an unchanged database moved: %q then %q", stamps, st)
	}
	// A UI state (a half-typed line) is not in the Markdown: no change.
	if _, err := s.SetUIState(whole[2].ID, "capture", "half a line"); err != nil {
		t.Fatal(err)
	}
	if st := again(); !reflect.DeepEqual(st, stamps) {
		t.Error("a UI state moved a stamp")
	}
	// An edited entry moves that incident's stamp only.
	if _, err := s.EditEntry(whole[2].ID, 2, t0.Add(9*time.Hour), "ben", func(e *incident.Entry) error { e.Starred = true; return nil }); err != nil {
		t.Fatal(err)
	}
	st := again()
	for i := range st {
		if moved := st[i] != stamps[i]; moved != (i == 2) {
			t.Errorf("after editing an entry of incident 2, the stamp of incident %d moved: %v", i, moved)
		}
	}
}
