package store

import (
	"encoding/json"
	"testing"

	"github.com/warroom-cli/warroom/internal/incident"
)

// streamed is what StreamIncident hands over, as one incident.
func streamed(t *testing.T, s *Store, id int64, during func(call, entry int)) (*incident.Incident, int) {
	t.Helper()
	var got *incident.Incident
	calls := 0
	err := s.StreamIncident(id, true, func(inc *incident.Incident, w IncidentWalk) error {
		calls++
		got = inc
		n := 0
		if err := w.Entries(func(e incident.Entry) error {
			n++
			if during != nil {
				during(calls, n)
			}
			got.Entries = append(got.Entries, e)
			return nil
		}); err != nil {
			return err
		}
		if err := w.Changes(func(c incident.Change) error { got.Changes = append(got.Changes, c); return nil }); err != nil {
			return err
		}
		return w.Ops(func(o incident.Op) error { got.Ops = append(got.Ops, o); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, calls
}

func sameIncident(t *testing.T, what string, got, want *incident.Incident) {
	t.Helper()
	incident.SortEntries(want.Entries)
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Errorf("%s: the streamed incident differs from the one read whole:\n%s\n%s", what, a, b)
	}
}

// The incident is read a chunk at a time, each in its own transaction; a
// write between two chunks has the reader start again and hand over the
// incident as it is after the write, and one that keeps writing gets a
// read in one transaction after a few tries.
func TestStreamIncidentStartsAgainWhenItMoves(t *testing.T) {
	defer func(old int) { streamChunkBytes = old }(streamChunkBytes)
	streamChunkBytes = 300 // a few entries a chunk
	s := openTemp(t)
	inc := declare(t, s, "streamed")
	appendLines(t, s, inc.ID, 40, 10)
	if _, err := s.EditEntry(inc.ID, 3, t0.Add(48*60*60*1e9), "amara", func(e *incident.Entry) error { e.Text = "edited"; return nil }); err != nil {
		t.Fatal(err)
	}
	whole := func() *incident.Incident {
		w, err := s.Incident(inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	got, calls := streamed(t, s, inc.ID, nil)
	if calls != 1 {
		t.Errorf("an incident nobody wrote to was read %d times", calls)
	}
	sameIncident(t, "quiet", got, whole())

	// A half-typed line is not part of what is read: no new start.
	got, calls = streamed(t, s, inc.ID, func(call, n int) {
		if call == 1 && n == 10 {
			if _, err := s.SetUIState(inc.ID, "line:amara", "half"); err != nil {
				t.Fatal(err)
			}
		}
	})
	if calls != 1 {
		t.Errorf("a UI state written meanwhile had the incident read %d times", calls)
	}
	sameIncident(t, "ui state", got, whole())

	// A line logged between two chunks: read again, with the line.
	got, calls = streamed(t, s, inc.ID, func(call, n int) {
		if call == 1 && n == 10 {
			if _, err := s.AppendEntry(inc.ID, benchEntry()); err != nil {
				t.Fatal(err)
			}
		}
	})
	if calls != 2 {
		t.Errorf("a line logged meanwhile had the incident read %d times; want 2", calls)
	}
	sameIncident(t, "a line logged", got, whole())

	// Lines logged during every try: the last read is one transaction.
	got, calls = streamed(t, s, inc.ID, func(call, n int) {
		if call <= streamTries && n == 5 {
			if _, err := s.AppendEntry(inc.ID, benchEntry()); err != nil {
				t.Fatal(err)
			}
		}
	})
	if calls != streamTries+1 {
		t.Errorf("lines logged during every try: read %d times; want %d", calls, streamTries+1)
	}
	sameIncident(t, "lines logged every time", got, whole())
}
