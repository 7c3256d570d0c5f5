package store

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// sinceRoom makes an incident whose history gives three cursors with
// different parts of one later delta: new entries after each, and edits,
// a star and a deletion of entries on both sides of them.
func sinceRoom(t *testing.T) (s *Store, id int64, curs []Cursor) {
	t.Helper()
	s = openTemp(t)
	id = declare(t, s, "Checkout failing").ID
	cursor := func() Cursor {
		snap, err := s.Snapshot(id, -1)
		if err != nil {
			t.Fatal(err)
		}
		return snap.Cursor
	}
	add := func(text string) incident.Entry {
		e, err := s.AppendEntry(id, incident.Entry{At: t0, RecordedAt: t0, Author: "amara", Kind: incident.KindNote, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	edit := func(e incident.Entry, fn func(*incident.Entry)) {
		if _, err := s.EditEntry(id, e.ID, t0.Add(time.Minute), "dmitri", func(e *incident.Entry) error { fn(e); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	curs = append(curs, cursor())
	e1, e2 := add("payments 502s"), add("rolled back 4711")
	curs = append(curs, cursor())
	edit(e1, func(e *incident.Entry) { e.Text = "payments 502s from the gateway" })
	e3 := add("pool exhausted on db-3")
	curs = append(curs, cursor())
	edit(e2, func(e *incident.Entry) { e.Starred = true })
	edit(e3, func(e *incident.Entry) { e.Text = "pool exhausted on db-3 and db-4" })
	add("raised the pool to 200")
	if _, err := s.DeleteEntry(id, e1.ID, t0.Add(2*time.Minute), "amara"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateRetro(id, "amara", t0, func(r *incident.Retro) error {
		r.Whys = append(r.Whys, incident.Why{UID: "w1", Why: "the pool ran out", Author: "amara"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return s, id, curs
}

// ownRead is what a read of its own after cur returns: the store's read
// before Since shared them, which the shared parts must equal.
func ownRead(t *testing.T, s *Store, id int64, cur Cursor) Delta {
	t.Helper()
	d, _, _, err := s.readSince(id, cur)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func sameDelta(t *testing.T, what string, got, want Delta) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func TestSinceSharesOneReadAmongCursors(t *testing.T) {
	s, id, curs := sinceRoom(t)
	before := s.deltas.transactions.Load()
	first, err := s.SinceShared(id, curs[0])
	if err != nil {
		t.Fatal(err)
	}
	wantAdded := []int{5, 3, 2} // entries after each cursor (the deletion is one)
	wantEdited := []int{0, 2, 3}
	for round := range 2 {
		for i, cur := range curs {
			d, err := s.SinceShared(id, cur)
			if err != nil {
				t.Fatal(err)
			}
			sameDelta(t, fmt.Sprintf("round %d, cursor %d", round, i), d, ownRead(t, s, id, cur))
			if len(d.Added) != wantAdded[i] || len(d.Edited) != wantEdited[i] {
				t.Errorf("cursor %d: %d added, %d edited; want %d and %d", i, len(d.Added), len(d.Edited), wantAdded[i], wantEdited[i])
			}
			if d.Head != first.Head {
				t.Errorf("cursor %d read the head again instead of sharing the first read's", i)
			}
		}
	}
	if n := s.deltas.transactions.Load() - before; n != 1 {
		t.Errorf("six reads from three cursors of one commit made %d transactions; want 1", n)
	}
	// The edited entries are as they are now, in the order of their
	// first change after the cursor.
	d, _ := s.SinceShared(id, curs[1])
	if len(d.Edited) == 2 && (!d.Edited[0].Deleted || !d.Edited[1].Starred) {
		t.Errorf("edited after cursor 1 = %+v; want the deleted first entry, then the starred second", d.Edited)
	}
}

func TestSinceOlderCursorReadsAgainAndCoversBoth(t *testing.T) {
	s, id, curs := sinceRoom(t)
	before := s.deltas.transactions.Load()
	for _, i := range []int{2, 0, 2, 1, 0} {
		d, err := s.SinceShared(id, curs[i])
		if err != nil {
			t.Fatal(err)
		}
		sameDelta(t, fmt.Sprintf("cursor %d", i), d, ownRead(t, s, id, curs[i]))
	}
	// The newest cursor first: one read; the oldest then reads from
	// itself, which covers the rest.
	if n := s.deltas.transactions.Load() - before; n != 2 {
		t.Errorf("made %d transactions; want 2", n)
	}
}

func TestSinceCommitInBetweenReadsAgain(t *testing.T) {
	s, id, curs := sinceRoom(t)
	d1, err := s.SinceShared(id, curs[2])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendEntry(id, incident.Entry{At: t0, Author: "amara", Kind: incident.KindNote, Text: "after the read"}); err != nil {
		t.Fatal(err)
	}
	d2, err := s.SinceShared(id, curs[2])
	if err != nil {
		t.Fatal(err)
	}
	sameDelta(t, "after a commit", d2, ownRead(t, s, id, curs[2]))
	if len(d2.Added) != len(d1.Added)+1 || d2.Added[len(d2.Added)-1].Text != "after the read" {
		t.Errorf("after a commit the delta has %d new entries (last %q); want %d ending in the new one", len(d2.Added), d2.Added[len(d2.Added)-1].Text, len(d1.Added)+1)
	}
	if d2.Cursor.Tx <= d1.Cursor.Tx || d2.Head == d1.Head {
		t.Errorf("the second read (tx %d) was served from the first (tx %d)", d2.Cursor.Tx, d1.Cursor.Tx)
	}
	// Where the first read ended is where its readers stand now: the
	// next read starts there, so they share it too.
	before := s.deltas.transactions.Load()
	d3, err := s.SinceShared(id, d1.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	sameDelta(t, "from the first read's end", d3, ownRead(t, s, id, d1.Cursor))
	if len(d3.Added) != 1 || s.deltas.transactions.Load() != before {
		t.Errorf("a reader at the first read's end got %d entries with %d more transactions; want 1 entry, none",
			len(d3.Added), s.deltas.transactions.Load()-before)
	}
}

// A commit by another process is seen although no notification of this
// process's says so: the stamp changes.
func TestSinceSeesAnotherProcessesCommit(t *testing.T) {
	s, id, curs := sinceRoom(t)
	d1, err := s.SinceShared(id, curs[2])
	if err != nil {
		t.Fatal(err)
	}
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.AppendEntry(id, incident.Entry{At: t0, Author: "dmitri", Kind: incident.KindNote, Text: "from a script"}); err != nil {
		t.Fatal(err)
	}
	d2, err := s.SinceShared(id, curs[2])
	if err != nil {
		t.Fatal(err)
	}
	if len(d2.Added) != len(d1.Added)+1 {
		t.Fatalf("after another process's commit: %d new entries; want %d", len(d2.Added), len(d1.Added)+1)
	}
	sameDelta(t, "after another process's commit", d2, ownRead(t, s, id, curs[2]))
}

// A file put in the database's place is read, not taken for the one read
// before.
func TestSinceAfterCompactReadsTheNewFile(t *testing.T) {
	s, id, curs := sinceRoom(t)
	if _, err := s.SinceShared(id, curs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	before := s.deltas.transactions.Load()
	d, err := s.SinceShared(id, curs[0])
	if err != nil {
		t.Fatal(err)
	}
	sameDelta(t, "after compact", d, ownRead(t, s, id, curs[0]))
	if s.deltas.transactions.Load() == before {
		t.Error("after compact the delta was taken from the replaced file's read")
	}
}

func TestFileStampTellsFilesApart(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sa, err := (&Store{path: a}).fileStamp()
	if err != nil {
		t.Fatal(err)
	}
	sa2, err := (&Store{path: a}).fileStamp()
	if err != nil {
		t.Fatal(err)
	}
	sb, err := (&Store{path: b}).fileStamp()
	if err != nil {
		t.Fatal(err)
	}
	if !sa.same(sa2) {
		t.Error("two stamps of one unchanged file differ")
	}
	sb.Stamp = sa.Stamp // the same id, time and size, another file
	if sa.same(sb) {
		t.Error("stamps of two files with equal ids, times and sizes are taken for the same")
	}
}

// Fifty sessions woken by one commit read it once, each gets its own
// copy, and changing it in place (as the cockpit puts its time zone on the
// times) touches no one else's: -race checks that.
func TestSinceFiftyReadersOfOneCommit(t *testing.T) {
	s, id, curs := sinceRoom(t)
	if _, err := s.AppendEntry(id, incident.Entry{At: t0, Author: "amara", Kind: incident.KindNote, Text: "the commit"}); err != nil {
		t.Fatal(err)
	}
	for _, mixed := range []bool{false, true} {
		t.Run(fmt.Sprintf("mixed cursors=%v", mixed), func(t *testing.T) {
			if mixed {
				// a new commit, so that nothing read before serves it
				if _, err := s.AppendEntry(id, incident.Entry{At: t0, Author: "amara", Kind: incident.KindNote, Text: "another"}); err != nil {
					t.Fatal(err)
				}
			}
			cursorOf := func(i int) Cursor {
				if mixed {
					return curs[i%len(curs)]
				}
				return curs[2]
			}
			want := make([]Delta, len(curs))
			for i := range curs {
				want[i] = ownRead(t, s, id, curs[i])
			}
			before := s.deltas.transactions.Load()
			const n = 50
			got := make([]Delta, n)
			var start, wg sync.WaitGroup
			start.Add(1)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					start.Wait()
					d, err := s.Since(id, cursorOf(i))
					if err != nil {
						t.Error(err)
						return
					}
					got[i] = d.Clone()
					putInZone(d, time.FixedZone(fmt.Sprintf("z%d", i), i*60))
				}()
			}
			start.Done()
			wg.Wait()
			for i, d := range got {
				w := want[2]
				if mixed {
					w = want[i%len(curs)]
				}
				sameDelta(t, fmt.Sprintf("reader %d", i), d, w)
			}
			limit := int64(1)
			if mixed {
				limit = int64(len(curs))
			}
			if tx := s.deltas.transactions.Load() - before; tx > limit {
				t.Errorf("%d readers of one commit made %d transactions; want at most %d", n, tx, limit)
			}
		})
	}
}

// putInZone changes d in place the way the cockpit does (common.InZone),
// and more: every map and slice it holds.
func putInZone(d Delta, loc *time.Location) {
	h := d.Head
	h.Created = h.Created.In(loc)
	h.Updated = h.Updated.In(loc)
	for m, at := range h.Milestones {
		h.Milestones[m] = at.In(loc)
	}
	for r := range h.Roles {
		h.Roles[r] = loc.String()
	}
	h.Tags = append(h.Tags[:0:0], loc.String())
	for i := range h.Updates {
		h.Updates[i].At = h.Updates[i].At.In(loc)
	}
	for i := range h.Retro.Whys {
		h.Retro.Whys[i].Because = loc.String()
	}
	for _, es := range [][]incident.Entry{d.Added, d.Edited} {
		for i := range es {
			es[i].At = es[i].At.In(loc)
			es[i].Text = loc.String()
		}
	}
	for i := range d.Changes {
		d.Changes[i].At = d.Changes[i].At.In(loc)
	}
}

// Clone copies every slice, map and pointer a Delta holds, so that a field
// added later to the incident's types and not to the copy fails here.
func TestDeltaCloneSharesNothing(t *testing.T) {
	var d Delta
	fillAll(reflect.ValueOf(&d).Elem(), 0)
	if d.Head == nil || len(d.Head.Ops) == 0 || d.Head.Ops[0].Entry.Set.Declared == nil {
		t.Fatal("the filler left parts of the delta empty")
	}
	c := d.Clone()
	if !reflect.DeepEqual(c, d) {
		t.Fatalf("the copy differs from the original:\n got %+v\nwant %+v", c, d)
	}
	checkNoAlias(t, reflect.ValueOf(c), reflect.ValueOf(d), "Delta")
}

var timeType = reflect.TypeFor[time.Time]()

// fillAll gives every exported field reachable from v a value that is not
// zero: two elements in each slice and map.
func fillAll(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 6 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), depth+1)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(t0))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i), depth)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fillAll(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			fillKey(k, i)
			e := reflect.New(v.Type().Elem()).Elem()
			fillAll(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	}
}

func fillKey(k reflect.Value, i int) {
	switch k.Kind() {
	case reflect.String:
		k.SetString(fmt.Sprintf("k%d", i))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		k.SetInt(int64(i + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		k.SetUint(uint64(i + 1))
	default:
		fillAll(k, 0)
	}
}

// checkNoAlias fails for every pointer, slice or map a and b share.
func checkNoAlias(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s is shared", path)
			return
		}
		checkNoAlias(t, a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() == 0 || b.Len() == 0 {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s is shared", path)
			return
		}
		for i := range min(a.Len(), b.Len()) {
			checkNoAlias(t, a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s is shared", path)
			return
		}
		for _, k := range a.MapKeys() {
			if bv := b.MapIndex(k); bv.IsValid() {
				checkNoAlias(t, a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k))
			}
		}
	case reflect.Struct:
		if a.Type() == timeType {
			return
		}
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				checkNoAlias(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
			}
		}
	}
}
