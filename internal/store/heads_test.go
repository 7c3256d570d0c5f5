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
