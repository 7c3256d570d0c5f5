package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// damagedEntryFile returns a database whose INC-1 has one timeline entry
// whose JSON no longer decodes: one byte flipped on its page, the damage a
// bad sector or a stray write leaves.
func damagedEntryFile(t *testing.T) string {
	t.Helper()
	s := openTemp(t)
	declare(t, s, "x")
	for i := range 3 {
		text := fmt.Sprintf("note %d", i)
		if i == 1 {
			text = "damage-me"
		}
		if _, err := s.AppendEntry(1, incident.Entry{At: t0.Add(time.Duration(i+1) * time.Minute), Kind: incident.KindNote, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	// Old copies of the page may linger in freed pages; damage them all.
	marker := []byte(`"damage-me"`)
	if !bytes.Contains(data, marker) {
		t.Fatal("the marked entry is not on disk")
	}
	for at := bytes.Index(data, marker); at >= 0; at = bytes.Index(data, marker) {
		data[at] = 'x' // "text":xdamage-me" is not JSON
	}
	p := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteThatCannotBeReadBackIsRefused(t *testing.T) {
	p := damagedEntryFile(t)
	before, _ := os.ReadFile(p)
	s := &Store{path: p}
	if _, err := s.Incident(1); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("reading the damaged incident: %v", err)
	}
	c, err := incident.ParseCapture("restarted the workers", t0)
	if err != nil {
		t.Fatal(err)
	}
	writes := map[string]func() error{
		"AppendEntry": func() error {
			_, err := s.AppendEntry(1, incident.Entry{At: t0.Add(time.Hour), Kind: incident.KindNote, Text: "more"})
			return err
		},
		"Apply note": func() error {
			_, err := s.Apply(1, c, t0.Add(time.Hour), "amara", incident.DefaultPolicy())
			return err
		},
		"Apply /status": func() error {
			_, err := s.Apply(1, incident.Capture{Command: incident.CmdStatus, Status: incident.Identified}, t0.Add(time.Hour), "amara", incident.DefaultPolicy())
			return err
		},
		"EditEntry": func() error {
			_, err := s.EditEntry(1, 4, t0.Add(time.Hour), "amara", func(e *incident.Entry) error { e.Text = "edited"; return nil })
			return err
		},
		"DeleteEntry": func() error {
			_, err := s.DeleteEntry(1, 4, t0.Add(time.Hour), "amara")
			return err
		},
	}
	for name, write := range writes {
		err := write()
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s on a damaged timeline: %v, want ErrCorrupt", name, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "nothing was saved") || !strings.Contains(msg, p) {
			t.Errorf("%s: the error does not say what happened: %s", name, msg)
		}
		if after, _ := os.ReadFile(p); !bytes.Equal(after, before) {
			t.Fatalf("%s changed the file although it was refused", name)
		}
	}
	rep, err := CheckFile(p)
	if err != nil || rep.OK() {
		t.Fatalf("check on the damaged file: %v %+v", err, rep)
	}
}

// TestReadBackLeavesGoodWritesAlone: on a long timeline, writes anywhere
// (appended, backdated into the middle, edited) pass the read-back.
func TestReadBackLeavesGoodWritesAlone(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "x")
	for i := range 300 {
		if _, err := s.AppendEntry(1, incident.Entry{At: t0.Add(time.Duration(i) * time.Second), Kind: incident.KindNote, Text: strings.Repeat("n", i%50)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AppendEntry(1, incident.Entry{At: t0.Add(90 * time.Second), Kind: incident.KindNote, Text: "backdated"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditEntry(1, 100, t0, "amara", func(e *incident.Entry) error { e.At = t0.Add(time.Hour); return nil }); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Check(); err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", err, rep.Problems)
	}
}

func TestCheckReportsANewerSchema(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "x")
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion+1)) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(s.Path()); !errors.Is(err, ErrTooNew) {
		t.Fatalf("Open: %v, want ErrTooNew", err)
	}
	rep, err := CheckFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "newer warroom") {
		t.Fatalf("check of a schema %d file: %+v", SchemaVersion+1, rep)
	}
}

func TestCheckReportsAnIncidentFiledUnderAnotherKey(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "x")
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketIncidents)
		if err := copyBucket(root.Bucket(idKey(1)), root, idKey(7)); err != nil {
			return err
		}
		return root.DeleteBucket(idKey(1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := CheckFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "INC-1 is filed under the key 0000000000000007") {
		t.Fatalf("check: %+v", rep)
	}
}

func copyBucket(src, dstParent *bolt.Bucket, key []byte) error {
	dst, err := dstParent.CreateBucket(key)
	if err != nil {
		return err
	}
	if err := dst.SetSequence(src.Sequence()); err != nil {
		return err
	}
	return src.ForEach(func(k, v []byte) error {
		if v == nil {
			return copyBucket(src.Bucket(k), dst, k)
		}
		return dst.Put(k, v)
	})
}

// TestElementsPointingOutsideThePageAreReportedNotFatal damages, one page at
// a time, the first element header of every branch and leaf page so that
// it points far outside the file. bbolt then reads past the end of its
// mmap: a memory fault, which without care kills the process with a stack
// trace. Every call must instead come back with an error, and check must
// report the page.
func TestElementsPointingOutsideThePageAreReportedNotFatal(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "x")
	for i := range 200 {
		if _, err := s.AppendEntry(1, incident.Entry{At: t0.Add(time.Duration(i) * time.Second), Kind: incident.KindNote, Text: strings.Repeat("x", 40)}); err != nil {
			t.Fatal(err)
		}
	}
	good, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	// Damage only pages in use: freed pages keep stale copies nobody reads.
	inUse := map[int]bool{}
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for id := 2; ; id++ {
			info, err := tx.Page(id)
			if err != nil || info == nil {
				return err
			}
			inUse[id] = info.Type == "branch" || info.Type == "leaf"
		}
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	if int(binary.LittleEndian.Uint32(good[pageHeaderBytes+8:])) != ps {
		t.Skip("the test file does not have 4 KB pages")
	}
	damaged := 0
	for pg := 2; pg < len(good)/ps; pg++ {
		off := pg * ps
		flags, count := binary.LittleEndian.Uint16(good[off+8:]), binary.LittleEndian.Uint16(good[off+10:])
		if !inUse[pg] || (flags != pageBranch && flags != pageLeaf) || count == 0 {
			continue
		}
		data := bytes.Clone(good)
		posAt := off + pageHeaderBytes + 4 // leaf: flags, pos; branch: pos
		if flags == pageBranch {
			posAt = off + pageHeaderBytes
		}
		binary.LittleEndian.PutUint32(data[posAt:], 0x7fffff00)
		p := filepath.Join(t.TempDir(), fmt.Sprintf("page%d.db", pg))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		damaged++
		rep, err := CheckFile(p)
		if err != nil {
			t.Fatalf("page %d: check: %v", pg, err)
		}
		if rep.OK() {
			t.Errorf("page %d: check found no problem", pg)
		}
		st := &Store{path: p}
		// Whatever each call says, it must say it as an error.
		_, _ = st.ListIncidents()
		_, _ = st.Incident(1)
		_, _ = st.AppendEntry(1, incident.Entry{At: t0.Add(time.Hour), Kind: incident.KindNote, Text: "after"})
	}
	if damaged < 2 {
		t.Fatalf("only %d pages to damage; the test incident is too small", damaged)
	}
}
