package store

import (
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// warroom check holds the view to the operations: an entry, the draft or
// the retro changed in the view but not by an operation is reported.
func TestCheckComparesTheViewWithTheOperations(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	e, err := s.AppendEntry(inc.ID, incident.Entry{At: t0, RecordedAt: t0, Author: "amara", Kind: incident.KindNote, Text: "pool saturated"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDraft(inc.ID, Edit{Text: "We are investigating."}, "amara", t0); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Check(); err != nil || !rep.OK() || rep.Ops < 4 {
		t.Fatalf("check of an intact database: %+v, %v", rep, err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		b, err := incidentBucket(tx, inc.ID)
		if err != nil {
			return err
		}
		stored, key, err := loadEntry(b, inc.ID, e.ID)
		if err != nil {
			return err
		}
		stored.Text = "pool fine"
		if err := putEntry(b, stored, key); err != nil {
			return err
		}
		h, err := readHead(b)
		if err != nil {
			return err
		}
		h.Draft = "Someone else's words."
		return putHead(b, h)
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(rep.Problems, "\n")
	for _, want := range []string{"entry #2 differs from the fold of its operations", "the public draft differs from the fold of its operations"} {
		if !strings.Contains(all, want) {
			t.Errorf("check does not say %q:\n%s", want, all)
		}
	}
}
