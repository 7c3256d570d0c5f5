package store

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

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

// A publish names the draft its person saw: a teammate's change since then
// stops it, nothing is sent, and the draft keeps both people's words; once
// read, it publishes, and a teammate's words typed after it stay.
func TestPublishNamesTheDraftItsPersonSaw(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	p := incident.DefaultPolicy()
	if _, err := s.SetDraft(inc.ID, Edit{Text: "Checkout is slow for some customers."}, "amara", t0); err != nil {
		t.Fatal(err)
	}
	seen := "Checkout is slow for some customers."
	if _, err := s.SetDraft(inc.ID, Edit{BaseRev: 1, Base: seen, Text: seen + "\nWe rolled back the release."}, "ben", t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	_, err := s.Apply(inc.ID, incident.Capture{Command: incident.CmdPublish, Text: seen, SeenDraft: &seen}, t0.Add(2*time.Second), "amara", p)
	if !errors.Is(err, ErrDraftChanged) || !strings.Contains(err.Error(), "ben changed the public draft") {
		t.Fatalf("publishing over a teammate's change: %v", err)
	}
	got, _ := s.Incident(inc.ID)
	if len(got.Updates) != 0 || !strings.Contains(got.Draft, "We rolled back") {
		t.Fatalf("after the refused publish: %d updates, draft %q", len(got.Updates), got.Draft)
	}
	// Read now: the draft as it is.
	now := got.Draft
	if _, err := s.Apply(inc.ID, incident.Capture{Command: incident.CmdPublish, Text: now, SeenDraft: &now}, t0.Add(3*time.Second), "amara", p); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Incident(inc.ID)
	if len(got.Updates) != 1 || got.Updates[0].Text != now || got.Draft != "" {
		t.Fatalf("after publishing what was read: %+v, draft %q", got.Updates, got.Draft)
	}
}

// Publishing takes out of the draft only what was published: words a
// teammate added that the publisher's text was not based on stay for the
// next update, and the published text never comes back.
func TestPublishKeepsATeammatesLaterWords(t *testing.T) {
	a, b := openTemp(t), openTemp(t)
	inc := declare(t, a, "Checkout failing")
	p := incident.DefaultPolicy()
	if _, err := a.SetDraft(inc.ID, Edit{Text: "Checkout is slow."}, "amara", t0); err != nil {
		t.Fatal(err)
	}
	copyTo := func(from, to *Store) { t.Helper(); mergeInto(t, from, to, inc.ID) }
	copyTo(a, b)
	seen := "Checkout is slow."
	// Offline at once: amara publishes; ben adds a line to the draft.
	if _, err := a.Apply(inc.ID, incident.Capture{Command: incident.CmdPublish, Text: seen, SeenDraft: &seen}, t0.Add(time.Minute), "amara", p); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetDraft(1, Edit{BaseRev: 1, Base: seen, Text: seen + "\nNext: the card provider."}, "ben", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	copyTo(a, b)
	copyTo(b, a)
	for _, s := range []*Store{a, b} {
		got, _ := s.Incident(1)
		if got.Draft != "Next: the card provider." || len(got.Updates) != 1 {
			t.Errorf("after both merged: draft %q, %d updates", got.Draft, len(got.Updates))
		}
	}
}

// A redaction travels: a teammate's copy that merges it loses the text in
// its view and in its operations, and an edit of the text made meanwhile on
// that copy is redacted too.
func TestRedactionReachesTeammates(t *testing.T) {
	a, b := openTemp(t), openTemp(t)
	inc := declare(t, a, "Checkout failing")
	e, err := a.AppendEntry(inc.ID, incident.Entry{At: t0, RecordedAt: t0, Author: "amara", Kind: incident.KindNote, Text: "token sk-live-5551"})
	if err != nil {
		t.Fatal(err)
	}
	move := func(from, to *Store) { t.Helper(); mergeInto(t, from, to, inc.ID) }
	move(a, b)
	if _, err := b.EditEntry(inc.ID, e.ID, t0.Add(time.Minute), "ben", func(e *incident.Entry) error { e.Text += " (still valid)"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RedactEntry(inc.ID, e.ID, t0.Add(2*time.Minute), "amara"); err != nil {
		t.Fatal(err)
	}
	move(a, b)
	move(b, a)
	for name, s := range map[string]*Store{"amara": a, "ben": b} {
		got, err := s.Incident(inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(got)
		ops, _ := json.Marshal(got.Ops)
		if strings.Contains(string(data), "sk-live") || strings.Contains(string(ops), "sk-live") {
			t.Errorf("%s's copy still holds the redacted text", name)
		}
	}
}

// Bad operations from outside are refused whole with one sentence, and
// nothing already stored changes: one dated hours ahead of this clock, one
// id carrying other content than the one recorded, one that names no uid.
func TestImportRefusesBadOperations(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	if _, err := s.AppendEntry(inc.ID, incident.Entry{At: t0, RecordedAt: t0, Author: "amara", Kind: incident.KindNote, Text: "first"}); err != nil {
		t.Fatal(err)
	}
	good, err := s.Incident(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(good)
	future := time.Now().Add(5 * time.Hour)
	cases := map[string]struct {
		edit func(ops []incident.Op) []incident.Op
		want string
	}{
		"from the future": {func(ops []incident.Op) []incident.Op {
			e := incident.Entry{UID: "f1", At: future, RecordedAt: future, Author: "kim", Kind: incident.KindNote, Text: "later"}
			return append(ops, incident.Op{ID: "op-future", Clock: ops[len(ops)-1].Clock + 1, At: future, Author: "kim", Type: incident.OpEntryAdd, Entry: &e})
		}, "ahead of this machine's clock"},
		"an id with other content": {func(ops []incident.Op) []incident.Op {
			for i := range ops {
				if ops[i].Type == incident.OpEntryAdd && ops[i].Entry.Text == "first" {
					e := *ops[i].Entry
					e.Text = "rewritten by hand"
					ops[i].Entry = &e
				}
			}
			return ops
		}, "differs from the one already recorded"},
		"no uid": {func(ops []incident.Op) []incident.Op {
			return append(ops, incident.Op{ID: "../../x", Clock: 9, At: t0, Type: incident.OpDraft, Value: "x"})
		}, "not a uid"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := *good
			in.Ops = c.edit(slices.Clone(good.Ops))
			_, err := s.ImportIncident(&in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("import: %v; want a sentence saying %q", err, c.want)
			}
			if strings.Count(strings.TrimSpace(err.Error()), "\n") > 0 {
				t.Errorf("the error is more than one sentence: %q", err)
			}
			after, err := s.Incident(inc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := json.Marshal(after); string(got) != string(before) {
				t.Error("a refused import changed the incident")
			}
		})
	}
}

// A copy from before operations (an old export) brought into an incident
// that has moved on only adds what the incident never had: an action
// deleted since stays deleted and a why keeps its new wording.
func TestAStaleLegacyCopyBringsNothingBack(t *testing.T) {
	s := openTemp(t)
	old := incident.Demo(importNow)
	res, err := s.ImportIncident(old)
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	cur, _ := s.Incident(id)
	gone := cur.Retro.Actions[0].UID
	if _, err := s.UpdateRetro(id, "amara", importNow.Add(time.Hour), func(r *incident.Retro) error {
		if err := incident.DeleteAction(r, gone, "amara", importNow); err != nil {
			return err
		}
		return incident.EditWhy(r, 0, "Why did checkout fail?", "Reworded after the review.", "amara", importNow)
	}); err != nil {
		t.Fatal(err)
	}
	// The incident as an older warroom exported it before those changes:
	// its state, no operations, and a why reworded on that copy.
	stale := *cur
	stale.Ops = nil
	stale.Retro.Whys = slices.Clone(cur.Retro.Whys)
	stale.Retro.Whys[0].Because = "The wording before the review."
	if _, err := s.ImportIncident(&stale); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Incident(id)
	if got.Retro.Action(gone) != nil {
		t.Error("a stale copy brought back a deleted action")
	}
	if w := got.Retro.Whys[0]; w.Because != "Reworded after the review." {
		t.Errorf("a stale copy changed a why's wording back: %q", w.Because)
	}
	if len(got.Retro.Whys) != len(cur.Retro.Whys) {
		t.Errorf("whys %d, want %d", len(got.Retro.Whys), len(cur.Retro.Whys))
	}
}

// A why deleted by a teammate while this person's form was open on it
// comes back with what they typed, and the notice names who deleted it.
func TestAWhyDeletedMeanwhileComesBackAndNamesTheDeleter(t *testing.T) {
	s := openTemp(t)
	inc := declare(t, s, "Checkout failing")
	r, err := s.UpdateRetro(inc.ID, "amara", t0, func(r *incident.Retro) error {
		_, err := incident.AddWhy(r, "Why did checkout fail?", "The pool ran out.", "amara", t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	base := r.Whys[0]
	if _, err := s.UpdateRetro(inc.ID, "ben", t0.Add(time.Minute), func(r *incident.Retro) error {
		return incident.DeleteWhy(r, 0, "ben", t0)
	}); err != nil {
		t.Fatal(err)
	}
	var note string
	got, err := s.UpdateRetro(inc.ID, "amara", t0.Add(2*time.Minute), func(r *incident.Retro) error {
		var err error
		note, err = incident.EditWhyFrom(r, 0, base, base.Why, "The pool ran out under retries.", "amara", t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "deleted by ben") {
		t.Errorf("note = %q", note)
	}
	if len(got.Whys) != 1 || got.Whys[0].Because != "The pool ran out under retries." {
		t.Errorf("whys = %+v", got.Whys)
	}
}

// mergeInto brings incident id of from (the same local id in both stores
// here) into to, as an import of a teammate's copy does.
func mergeInto(t *testing.T, from, to *Store, id int64) {
	t.Helper()
	got, err := from.Incident(id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := to.ImportIncident(got); err != nil {
		t.Fatal(err)
	}
}
