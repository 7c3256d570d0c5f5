package sync

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

// TestReplicasConverge is the property of product.md §1a "One record on
// every machine", tried the way it breaks: 3 to 5 databases holding one
// incident each change it on their own (entries added, edited on two sides
// at once, edited on one side and deleted on the other, restored; /eta and
// /sev at the same minute; the draft, a retro section, whys and actions
// edited concurrently), and merge pairwise in random orders and groupings,
// some rounds through the git merge driver's union (MergeOps, on record
// files) rather than an import of the other's export. After everyone has
// merged everyone, every copy shows the same incident byte for byte (local
// numbers aside), and every word anyone typed is still in it.
//
// Text edits here only add words (a line inserted, a word appended to a
// line), so a word missing at the end can only have been dropped by a
// merge.
func TestReplicasConverge(t *testing.T) {
	seeds := 6
	if s := os.Getenv("WARROOM_CONVERGE_SEEDS"); s != "" {
		seeds, _ = strconv.Atoi(s)
	}
	if testing.Short() {
		seeds = 2
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { converge(t, uint64(seed)) })
	}
}

type replica struct {
	name string
	st   *store.Store
	id   int64
}

func converge(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	p := incident.DefaultPolicy()
	n := 3 + rng.IntN(3)
	reps := make([]*replica, n)
	for i := range reps {
		st, err := store.Open(filepath.Join(t.TempDir(), "r.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		reps[i] = &replica{name: fmt.Sprintf("p%d", i), st: st}
	}
	inc, err := incident.NewIncident("Checkout failing", 2, now, p)
	if err != nil {
		t.Fatal(err)
	}
	first, err := reps[0].st.CreateIncident(inc, "p0")
	if err != nil {
		t.Fatal(err)
	}
	reps[0].id = first.ID
	for _, r := range reps[1:] {
		merge(t, rng, reps[0], r)
	}

	var words []string
	token := 0
	word := func(r *replica) string {
		token++
		w := fmt.Sprintf("w%s-%d", r.name, token)
		words = append(words, w)
		return w
	}
	steps := 30
	for step := range steps {
		at := now.Add(time.Duration(step/3) * time.Minute) // same-minute ties
		r := reps[rng.IntN(n)]
		cur, err := r.st.Incident(r.id)
		if err != nil {
			t.Fatal(err)
		}
		switch k := rng.IntN(12); k {
		case 0, 1: // a note
			if _, err := r.st.AppendEntry(r.id, incident.Entry{At: at, RecordedAt: at, Author: r.name, Kind: incident.KindNote, Text: word(r)}); err != nil {
				t.Fatal(err)
			}
		case 2: // edit a note: a word appended
			if e, ok := pick(rng, cur.Entries, func(e incident.Entry) bool { return e.Kind == incident.KindNote && !e.Deleted }); ok {
				w := word(r)
				if _, err := r.st.EditEntry(r.id, e.ID, at, r.name, func(e *incident.Entry) error { e.Text += " " + w; return nil }); err != nil {
					t.Fatal(err)
				}
			}
		case 3: // delete or restore a note
			if e, ok := pick(rng, cur.Entries, func(e incident.Entry) bool { return e.Kind == incident.KindNote }); ok {
				if e.Deleted {
					_, err = r.st.RestoreEntry(r.id, e.ID, at, r.name)
				} else {
					_, err = r.st.DeleteEntry(r.id, e.ID, at, r.name)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		case 4: // /eta or /sev at the same minute on several copies
			line := fmt.Sprintf("/eta %02d:%02d", 11+rng.IntN(3), rng.IntN(60))
			if rng.IntN(2) == 0 {
				line = fmt.Sprintf("/sev %d", 1+rng.IntN(4))
			}
			c, err := incident.ParseCapture(line, at)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.st.Apply(r.id, c, at, r.name, p); err != nil && !strings.Contains(err.Error(), "already") {
				t.Fatalf("%s: %v", line, err)
			}
		case 5: // the draft: a line inserted
			text := insertLine(rng, cur.Draft, word(r))
			if _, err := r.st.SetDraft(r.id, store.Edit{BaseRev: cur.DraftRev, Base: cur.Draft, Text: text}, r.name, at); err != nil {
				t.Fatal(err)
			}
		case 6: // a retro section: a line inserted, or a word appended to a line
			sec := cur.Retro.Section("Introduction")
			base, rev := "", int64(0)
			if sec != nil {
				base, rev = sec.Text, sec.Rev
			}
			text := insertLine(rng, base, word(r))
			if base != "" && rng.IntN(2) == 0 {
				lines := strings.Split(base, "\n")
				i := rng.IntN(len(lines))
				lines[i] += " " + words[len(words)-1]
				text = strings.Join(lines, "\n")
			}
			if _, _, err := r.st.SetSectionText(r.id, "Introduction", store.Edit{BaseRev: rev, Base: base, Text: text}, r.name, at, nil); err != nil {
				t.Fatal(err)
			}
		case 7: // whys: add one, or extend one's "because"
			w := word(r)
			_, err := r.st.UpdateRetro(r.id, r.name, at, func(rt *incident.Retro) error {
				if len(rt.Whys) > 0 && rng.IntN(2) == 0 {
					i := rng.IntN(len(rt.Whys))
					return incident.EditWhy(rt, i, rt.Whys[i].Why, rt.Whys[i].Because+" "+w, r.name, at)
				}
				_, err := incident.AddWhy(rt, "Why "+w+"?", "because "+w, r.name, at)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		case 8: // actions: add one, toggle one, or retitle one
			w := word(r)
			_, err := r.st.UpdateRetro(r.id, r.name, at, func(rt *incident.Retro) error {
				if len(rt.Actions) > 0 && rng.IntN(2) == 0 {
					a := rt.Actions[rng.IntN(len(rt.Actions))]
					if rng.IntN(2) == 0 {
						_, err := incident.ToggleAction(rt, a.UID, r.name, at)
						words = words[:len(words)-1]
						return err
					}
					a.Title += " " + w
					return incident.EditAction(rt, a.UID, a, r.name, at)
				}
				_, err := incident.AddAction(rt, incident.Action{Title: "Do " + w, Owner: r.name}, r.name, at, store.NewUID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		case 9: // a why or an action deleted; the words it held go with it
			_, err := r.st.UpdateRetro(r.id, r.name, at, func(rt *incident.Retro) error {
				if len(rt.Whys) > 0 && rng.IntN(2) == 0 {
					i := rng.IntN(len(rt.Whys))
					words = slices.DeleteFunc(words, func(w string) bool { return strings.Contains(rt.Whys[i].Why+" "+rt.Whys[i].Because, w) })
					return incident.DeleteWhy(rt, i, r.name, at)
				}
				if len(rt.Actions) > 0 {
					a := rt.Actions[rng.IntN(len(rt.Actions))]
					words = slices.DeleteFunc(words, func(w string) bool { return strings.Contains(a.Title, w) })
					return incident.DeleteAction(rt, a.UID, r.name, at)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		case 10: // a why moved up or down the chain
			_, err := r.st.UpdateRetro(r.id, r.name, at, func(rt *incident.Retro) error {
				if len(rt.Whys) < 2 {
					return nil
				}
				i := rng.IntN(len(rt.Whys) - 1)
				_, err := incident.MoveWhy(rt, i, 1, r.name, at)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		default: // someone merges with someone
			a, b := reps[rng.IntN(n)], reps[rng.IntN(n)]
			if a != b {
				merge(t, rng, a, b)
			}
		}
	}
	// Everyone merges everyone, in a random order, until nothing changes.
	for range 2 {
		for _, i := range rng.Perm(n) {
			for _, j := range rng.Perm(n) {
				if i != j {
					merge(t, rng, reps[i], reps[j])
				}
			}
		}
	}
	want := shown(t, reps[0])
	for _, r := range reps[1:] {
		if got := shown(t, r); got != want {
			t.Fatalf("%s and %s differ after merging everything:\n%s\n---\n%s", reps[0].name, r.name, want, got)
		}
	}
	// Merging again changes nothing.
	for _, r := range reps[1:] {
		inc, err := reps[0].st.Incident(reps[0].id)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := r.st.ImportIncident(inc); err != nil || res.Changed() {
			t.Fatalf("merging a copy that has everything: %+v, %v", res, err)
		}
	}
	for _, w := range words {
		if !strings.Contains(want, w) {
			t.Errorf("the word %s that someone typed is gone:\n%s", w, want)
		}
	}
}

// merge brings from's operations into to: through an export and an import,
// or through the repository's merge driver (the union of two record files,
// read back the way sync reads the repository).
func merge(t *testing.T, rng *rand.Rand, from, to *replica) {
	t.Helper()
	inc, err := from.st.Incident(from.id)
	if err != nil {
		t.Fatal(err)
	}
	in := inc
	if rng.IntN(3) == 0 && to.id != 0 {
		mine, err := to.st.Incident(to.id)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Record(mine, incident.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		b, err := Record(inc, incident.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		// Ours and theirs either way round: the driver is commutative.
		if rng.IntN(2) == 0 {
			a, b = b, a
		}
		merged, err := mergeRecords(a, b, incident.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		if in, err = parseRecord(merged); err != nil {
			t.Fatal(err)
		}
	} else {
		data, err := export.JSON(inc, incident.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		if in, err = export.ParseJSON(data); err != nil {
			t.Fatal(err)
		}
	}
	res, err := to.st.ImportIncident(in)
	if err != nil {
		t.Fatalf("%s into %s: %v", from.name, to.name, err)
	}
	to.id = res.ID
}

var localNum = regexp.MustCompile(`"id": ?("INC-)?[0-9]+"?|#[0-9]+|"ref": ?[0-9]+`)

// shown is show --json with what only one database means (INC-n, #N)
// taken out.
func shown(t *testing.T, r *replica) string {
	t.Helper()
	inc, err := r.st.Incident(r.id)
	if err != nil {
		t.Fatal(err)
	}
	inc.Ops = nil
	d := export.NewDoc(inc, incident.DefaultPolicy())
	data, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return localNum.ReplaceAllString(string(data), "#")
}

func pick[T any](rng *rand.Rand, xs []T, ok func(T) bool) (T, bool) {
	var c []T
	for _, x := range xs {
		if ok(x) {
			c = append(c, x)
		}
	}
	if len(c) == 0 {
		var zero T
		return zero, false
	}
	return c[rng.IntN(len(c))], true
}

func insertLine(rng *rand.Rand, text, line string) string {
	if text == "" {
		return line
	}
	lines := strings.Split(text, "\n")
	i := rng.IntN(len(lines) + 1)
	return strings.Join(slices.Insert(lines, i, line), "\n")
}
