package store

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// The entries that tell of a deletion or a restoration are the fold's
// record of an operation: deleting or editing one is refused with a
// sentence naming the entry it records, and writes nothing.
func TestTellingEntriesCannotBeChanged(t *testing.T) {
	s := openTemp(t)
	a := declare(t, s, "Checkout failing")
	e, err := s.AppendEntry(a.ID, incident.Entry{At: t0.Add(5 * time.Minute), Kind: incident.KindNote, Text: "restarted workers", Author: "amara"})
	if err != nil {
		t.Fatal(err)
	}
	told, err := s.DeleteEntry(a.ID, e.ID, t0.Add(10*time.Minute), "amara")
	if err != nil {
		t.Fatal(err)
	}
	_, opsBefore, err := s.Ops(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteEntry(a.ID, told.ID, t0.Add(11*time.Minute), "amara"); err == nil || !strings.Contains(err.Error(), "records that entry") || !strings.Contains(err.Error(), "--restore") {
		t.Fatalf("deleting the record of a deletion: %v", err)
	}
	if _, err := s.EditEntry(a.ID, told.ID, t0.Add(11*time.Minute), "amara", func(x *incident.Entry) error { x.Text = "nothing happened"; return nil }); err == nil || !strings.Contains(err.Error(), "cannot be edited") {
		t.Fatalf("editing the record of a deletion: %v", err)
	}
	if _, err := s.RestoreEntry(a.ID, told.ID, t0.Add(12*time.Minute), "amara"); err != nil {
		t.Fatal(err)
	}
	inc, err := s.Incident(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var restored incident.Entry
	for _, x := range inc.Entries {
		if x.Set.Field == incident.FieldRestore {
			restored = x
		}
	}
	if restored.ID == 0 {
		t.Fatal("no entry tells of the restoration")
	}
	if _, err := s.EditEntry(a.ID, restored.ID, t0.Add(13*time.Minute), "amara", func(x *incident.Entry) error { x.Starred = true; return nil }); err == nil || !strings.Contains(err.Error(), "was restored") {
		t.Fatalf("starring the record of a restoration: %v", err)
	}
	_, opsAfter, err := s.Ops(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(opsAfter) != len(opsBefore)+1 {
		t.Fatalf("%d operations after the refusals and one restore, want %d", len(opsAfter), len(opsBefore)+1)
	}
}
