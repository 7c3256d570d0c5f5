package export

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// sourceOf walks inc's own slices, as a store walks its buckets.
func sourceOf(inc *incident.Incident, withOps bool) Source {
	entries := slices.Clone(inc.Entries)
	incident.SortEntries(entries)
	src := Source{
		Entries: func(yield func(incident.Entry) error) error {
			for _, e := range entries {
				if err := yield(e); err != nil {
					return err
				}
			}
			return nil
		},
		Changes: func(yield func(incident.Change) error) error {
			for _, c := range inc.Changes {
				if err := yield(c); err != nil {
					return err
				}
			}
			return nil
		},
		EntryByUID: func(uid string) (incident.Entry, bool) {
			for _, e := range inc.Entries {
				if e.UID == uid {
					return e, true
				}
			}
			return incident.Entry{}, false
		},
	}
	if withOps {
		src.Ops = func(yield func(incident.Op) error) error {
			for _, o := range inc.Ops {
				if err := yield(o); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return src
}

// WriteJSON writes the bytes JSON does, for incidents with and without
// entries, changes, operations and factors' evidence, and text that JSON
// escapes (HTML, C1 controls, bidi overrides, line separators).
func TestWriteJSONIsJSON(t *testing.T) {
	full := demo()
	full.Retro.Factors = incident.DemoFactors(full)
	full.Retro.Factors = append(full.Retro.Factors, incident.Factor{UID: "f-gone", Cause: "a link to an entry not here", Evidence: []string{"no-such-uid"}})
	full.Entries[2].Text = "<b>&amp;</b> \u0085 \u202e reversed \u2028 line"
	full.Entries[3].Deleted = true
	full.Changes = []incident.Change{
		{At: demoNow, Author: "amara", Target: "entry #3", Before: "old <text>", After: "new \u009b text"},
		{At: demoNow.Add(time.Minute), Author: "sam", Target: "draft", Before: "", After: "x"},
	}
	full.Ops = incident.LegacyOps(full)
	empty := &incident.Incident{ID: 3, UID: "empty", Title: "nothing yet", Severity: 2, Status: incident.Investigating, Created: demoNow, Updated: demoNow}
	onlyOps := &incident.Incident{ID: 4, UID: "ops", Title: "ops only", Severity: 2, Status: incident.Investigating, Created: demoNow, Ops: incident.LegacyOps(demo())}
	// Two entries at the same time: the walk's order is the timeline's.
	tied := demo()
	tied.Entries[5].At = tied.Entries[4].At
	for name, inc := range map[string]*incident.Incident{"full": full, "empty": empty, "only ops": onlyOps, "tied": tied} {
		for _, withOps := range []bool{false, true} {
			in := *inc
			if !withOps {
				in.Ops = nil
			}
			want, err := JSON(&in, incident.DefaultPolicy())
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := WriteJSON(&got, &in, incident.DefaultPolicy(), sourceOf(&in, withOps)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s (ops %v): WriteJSON differs from JSON at byte %d:\n%s", name, withOps, firstDiff(got.Bytes(), want), diffHint(got.String(), string(want)))
			}
			if _, err := ParseJSON(got.Bytes()); err != nil && withOps {
				t.Errorf("%s: the streamed document does not read back: %v", name, err)
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
