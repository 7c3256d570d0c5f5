package store

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

func TestSealRoundTrip(t *testing.T) {
	for _, js := range []string{`{}`, `{"text":"a\nb"}`, `[1,2,3]`, `"x"`} {
		key := []byte("k")
		v := sealRecord(key, []byte(js))
		got, _, sealed := unsealRecord(v)
		if !sealed || string(got) != js || checkRecord(key, v) != recordOK {
			t.Errorf("%s: sealed %q did not open back", js, v)
		}
		// Readers that know nothing of the seal read the same value.
		var a, b any
		if err := json.Unmarshal(v, &a); err != nil {
			t.Errorf("json.Unmarshal of a sealed record: %v", err)
		}
		_ = json.Unmarshal([]byte(js), &b)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("sealed %q reads as %v, want %v", v, a, b)
		}
		if checkRecord([]byte("other key"), v) != recordDamaged {
			t.Errorf("%s under another key passes its checksum", js)
		}
		if _, _, sealed := unsealRecord([]byte(js)); sealed {
			t.Errorf("%s without a trailer counts as sealed", js)
		}
	}
}

// TestMigrationSealsOldRecords: records written before schema 3 (no
// checksum) still read, and opening the file seals every one of them.
func TestMigrationSealsOldRecords(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "old records")
	for i := range 5 {
		if _, err := s.AppendEntry(1, incident.Entry{At: t0.Add(time.Duration(i+1) * time.Minute), Kind: incident.KindNote, Text: fmt.Sprintf("note %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.Incident(1)
	if err != nil {
		t.Fatal(err)
	}
	// Strip every seal and set schema 2: the file an older warroom wrote.
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIncidents).Bucket(idKey(1))
		strip := func(b *bolt.Bucket, only func([]byte) bool) {
			type kv struct{ k, v []byte }
			var todo []kv
			_ = b.ForEach(func(k, v []byte) error {
				if v != nil && (only == nil || only(k)) {
					js, _, sealed := unsealRecord(v)
					if sealed {
						todo = append(todo, kv{append([]byte(nil), k...), append([]byte(nil), js...)})
					}
				}
				return nil
			})
			for _, r := range todo {
				_ = b.Put(r.k, r.v)
			}
		}
		strip(b, func(k []byte) bool { return string(k) == "head" || string(k) == "retro" })
		for _, name := range recordBuckets {
			strip(b.Bucket(name), nil)
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64(checksumSchema-1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := CheckFile(s.Path()); err != nil || !rep.OK() || rep.Schema != checksumSchema-1 {
		t.Fatalf("check of a file from before checksums: %+v, %v", rep, err)
	}
	old := &Store{path: s.Path()}
	if got, err := old.Incident(1); err != nil || len(got.Entries) != len(before.Entries) {
		t.Fatalf("reading unsealed records: %v", err)
	}
	s2, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s2.Check()
	if err != nil || !rep.OK() || rep.Schema != SchemaVersion {
		t.Fatalf("check after migrating: %+v, %v", rep, err)
	}
	unsealed := 0
	_ = (&Store{path: s.Path()}).view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIncidents).Bucket(idKey(1))
		for _, name := range recordBuckets {
			_ = b.Bucket(name).ForEach(func(k, v []byte) error {
				if v != nil && checkRecord(k, v) != recordOK {
					unsealed++
				}
				return nil
			})
		}
		return nil
	})
	if unsealed != 0 {
		t.Errorf("%d records left without a valid checksum after the migration", unsealed)
	}
	after, _ := s2.Incident(1)
	if a, b := mustJSON(t, before), mustJSON(t, after); a != b {
		t.Errorf("the migration changed the incident:\n%s\n%s", a, b)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// snapshotAll reads every incident of the file at p as JSON, or says why
// it could not.
func snapshotAll(p string) (string, error) {
	s := &Store{path: p, lockBudget: 50 * time.Millisecond}
	list, err := s.ListIncidents()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, sum := range list {
		inc, err := s.Incident(sum.ID)
		if err != nil {
			return "", err
		}
		js, err := json.Marshal(inc)
		if err != nil {
			return "", err
		}
		b.Write(js)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// TestFlippedByteCorpus flips one bit at a time in 300 copies of a real
// database, at random offsets in its data pages, and runs check on each.
// A copy that check calls OK must read exactly as the original: no flip
// may change stored text, times or fields silently.
func TestFlippedByteCorpus(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "Checkout failing for EU customers")
	p := incident.DefaultPolicy()
	texts := []string{"/status identified", "!rolled back the deploy %d", "> keep the old cluster %d", "? is the vendor down %d",
		"/publish We found the cause and are fixing it (%d).", "*db primary failed over %d", "/sev 1", "/lead amara%d"}
	for i := range 40 {
		text := texts[i%len(texts)]
		if strings.Contains(text, "%d") {
			text = fmt.Sprintf(text, i)
		}
		c, err := incident.ParseCapture(text, t0.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(1, c, t0.Add(time.Duration(i)*time.Minute), "amara", p); err != nil && !strings.Contains(err.Error(), "already") {
			t.Fatal(err)
		}
	}
	truth, err := snapshotAll(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096
	r := rand.New(rand.NewPCG(21, 300))
	dir := t.TempDir()
	var reported, harmless int
	for i := range 300 {
		off := 2*pageSize + r.IntN(len(data)-2*pageSize)
		bit := byte(1) << r.IntN(8)
		cp := append([]byte(nil), data...)
		cp[off] ^= bit
		path := filepath.Join(dir, fmt.Sprintf("flip-%03d.db", i))
		if err := os.WriteFile(path, cp, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := CheckFile(path)
		if err != nil {
			t.Fatalf("copy %d (offset %d): check failed to run: %v", i, off, err)
		}
		if !rep.OK() {
			reported++
			_ = os.Remove(path)
			continue
		}
		got, err := snapshotAll(path)
		switch {
		case err != nil:
			t.Errorf("copy %d (bit %#x at offset %d): check said OK but reading fails: %v", i, bit, off, err)
		case got != truth:
			t.Errorf("copy %d (bit %#x at offset %d): check said OK but the stored incident changed", i, bit, off)
		default:
			harmless++
		}
		_ = os.Remove(path)
	}
	t.Logf("300 flips: %d reported by check, %d harmless (free space, slack)", reported, harmless)
	if reported == 0 {
		t.Error("no flip was reported: the corpus does not hit any record")
	}
}

// TestSearchPrefilterSeesTheJSON: the search prefilter judges an entry by
// its JSON being printable ASCII; the checksum's whitespace must not make
// every sealed record fail that and be decoded.
func TestSearchPrefilterSeesTheJSON(t *testing.T) {
	s := openTemp(t)
	declare(t, s, "x")
	if _, err := s.AppendEntry(1, incident.Entry{At: t0.Add(time.Minute), Kind: incident.KindNote, Text: "plain ascii note"}); err != nil {
		t.Fatal(err)
	}
	var seen [][]byte
	_, err := s.IncidentsForSearch(func(rec []byte) bool {
		seen = append(seen, append([]byte(nil), rec...))
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) == 0 {
		t.Fatal("the prefilter saw no entry")
	}
	for _, rec := range seen {
		if rec[len(rec)-1] != '}' || strings.ContainsAny(string(rec), "\n\t\r") {
			t.Errorf("the prefilter was given %q, not the record's JSON", rec)
		}
	}
}
