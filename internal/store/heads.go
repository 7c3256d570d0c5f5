package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Reading many incidents for one command.
//
// AllIncidents reads every incident whole. At 1,000 incidents of 100
// entries nearly all of that is timelines and change records, and most
// commands that read every incident use neither: stats and the index of an
// exported repository need each incident's head, retro and public updates;
// the Markdown files need the timeline but not the change record; search
// looks at the text of the entries only where it can match. The reads here
// copy and decode only that (BenchmarkRepository1000 in cmd/warroom holds
// them against a raw bbolt walk of the same file). Like every read, they
// copy the bytes out in one transaction and decode after it.

// IncidentHeads returns every incident's own fields with its retro and its
// public updates, in creation order: no timeline and no change record, so
// its cost does not grow with the timelines. Entries is empty.
func (s *Store) IncidentHeads() ([]*incident.Incident, error) {
	return s.readIncidents(false, nil)
}

// IncidentsForExport returns every incident with what its Markdown shows,
// in creation order: the head, retro, public updates and the whole
// timeline (deleted entries included, flagged), but not the change record,
// which no document prints.
func (s *Store) IncidentsForExport() ([]*incident.Incident, error) {
	return s.readIncidents(true, nil)
}

// IncidentsForExportIf is IncidentsForExport for a folder that already
// holds an export: it returns every incident's head, retro and public
// updates with stamps[i], a fingerprint of every stored byte the
// incident's Markdown is made from (head, retro, updates and timeline),
// and copies and decodes the timeline only of the incidents for which
// need(uid, stamp) is true; the others come without entries. need runs
// inside the read transaction and must be quick (a look-up in a manifest).
// Since schema 5 the stamp is the summary's (its sums of those records,
// kept by every write), so an unchanged incident's timeline is not read;
// a file without summaries has its timelines read for the fingerprint.
func (s *Store) IncidentsForExportIf(need func(uid, stamp string) bool) (incs []*incident.Incident, stamps []string, err error) {
	var raws []rawIncident
	err = s.view(func(tx *bolt.Tx) error {
		sb := tx.Bucket(bucketSummaries)
		eachIncident(tx, false, func(b *bolt.Bucket) {
			r := rawIncident{head: bytes.Clone(b.Get(keyHead)), retro: bytes.Clone(b.Get(keyRetro))}
			// The stamp from the summary (schema 5), which every write
			// keeps: its sums of the head, retro, updates and timeline,
			// so an unchanged incident's timeline is not read at all.
			var stamp string
			if sb != nil {
				var h struct {
					ID int64 `json:"id"`
				}
				if jsonUnmarshal(r.head, &h) == nil {
					if sm, err := decodeSummary(sb.Get(idKey(h.ID))); err == nil {
						stamp = sm.exportStamp()
					}
				}
			}
			fp := newFingerprint()
			fp.add(r.head)
			fp.add(r.retro)
			if ub := b.Bucket(bucketUpdates); ub != nil {
				_ = ub.ForEach(func(_, v []byte) error {
					r.updates = append(r.updates, bytes.Clone(v))
					fp.add(v)
					return nil
				})
			}
			eb := b.Bucket(bucketEntries)
			if stamp == "" && eb != nil {
				_ = eb.ForEach(func(k, v []byte) error {
					fp.add(k)
					fp.add(v)
					return nil
				})
			}
			if stamp == "" {
				stamp = fp.String()
			}
			var head struct {
				UID string `json:"uid"`
			}
			// A head that does not decode is reported by the decode after
			// the transaction; here it only means "read the timeline".
			_ = jsonUnmarshal(r.head, &head)
			if eb != nil && (head.UID == "" || need(head.UID, stamp)) {
				r.entries = make([][]byte, 0, min(max(int(eb.Sequence()), 0), 1<<16))
				_ = eb.ForEach(func(_, v []byte) error {
					r.entries = append(r.entries, bytes.Clone(v))
					return nil
				})
			}
			raws = append(raws, r)
			stamps = append(stamps, stamp)
		})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	incs, err = decodeIncidents(raws)
	return incs, stamps, err
}

// fingerprint is a CRC-32C of the records (done by the processor's
// crc32 instruction) beside a 64-bit multiply-xor hash of their words and
// lengths, and the total length: about 100 bits that change with any byte,
// at a few milliseconds for 20 MB. It detects change, not tampering: the
// file it describes is the user's own database. (Two CRC-32s cost four
// times as much on records of a few hundred bytes: the IEEE one only uses
// the carry-less multiply from 64 bytes up.)
type fingerprint struct {
	crc uint32
	mix uint64
	n   uint64
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func newFingerprint() *fingerprint { return &fingerprint{mix: 0x9e3779b97f4a7c15} }

func (f *fingerprint) add(p []byte) {
	const m = 0xff51afd7ed558ccd
	f.n += uint64(len(p)) + 1
	f.crc = crc32.Update(f.crc, castagnoli, p)
	// Two lanes, so that the processor runs their multiplications side
	// by side.
	x, y := (f.mix^uint64(len(p)))*m, f.mix*m+uint64(len(p))
	for len(p) >= 16 {
		x = (x ^ binary.LittleEndian.Uint64(p)) * m
		y = (y ^ binary.LittleEndian.Uint64(p[8:])) * m
		x ^= x >> 29
		y ^= y >> 31
		p = p[16:]
	}
	for _, c := range p {
		x = (x ^ uint64(c)) * m
	}
	x = (x ^ y>>17 ^ y<<47) * m
	f.mix = x ^ x>>32
}

func (f *fingerprint) String() string {
	return fmt.Sprintf("%08x%016x-%x", f.crc, f.mix, f.n)
}

// IncidentsForSearch returns every incident's head, retro and public
// updates, in creation order, with only the timeline entries whose stored
// JSON mayMatch accepts (every entry when mayMatch is nil); no change
// record. mayMatch runs on the bytes in the file, inside the read
// transaction, so an entry it turns down is neither copied nor decoded; it
// must accept every entry that could match (export.EntryMayMatch is such a
// test for one query) and must not keep the slice it is given. A damaged
// entry it turns down is not decoded, so not reported here either; warroom
// check reports it.
func (s *Store) IncidentsForSearch(mayMatch func(entry []byte) bool) ([]*incident.Incident, error) {
	if mayMatch == nil {
		mayMatch = func([]byte) bool { return true }
	}
	return s.readIncidents(true, mayMatch)
}

// OnlyOpenIncident is ResolveID("") for warroom log, which runs it before
// appending each line: the id of the one incident that is not resolved,
// with ResolveID's errors when there is none or there are several. It
// decodes each head's id and status only, where ResolveID decodes every
// head whole and every retro (through ListIncidents): at 1,000 incidents
// that made `warroom log TEXT` take twice as long as `warroom log -i ID
// TEXT`.
func (s *Store) OnlyOpenIncident() (int64, error) {
	var id int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		id, err = onlyOpenIn(tx)
		return err
	})
	return id, err
}

// onlyOpenIn finds the only open incident in tx, decoding each head's id
// and status only.
func onlyOpenIn(tx *bolt.Tx) (int64, error) {
	var open []string
	var id int64
	var err error
	eachIncident(tx, true, func(b *bolt.Bucket) {
		if err != nil {
			return
		}
		var head struct {
			ID     int64           `json:"id"`
			Status incident.Status `json:"status"`
		}
		if err = decodeJSON(b.Get(keyHead), &head); err != nil {
			return
		}
		inc := incident.Incident{ID: head.ID, Status: head.Status}
		if inc.Open() {
			open = append(open, inc.Key())
			id = inc.ID
		}
	})
	if err != nil {
		return 0, err
	}
	switch len(open) {
	case 0:
		return 0, fmt.Errorf("there is no open incident; declare one with warroom new TITLE or name one with -i: %w", ErrNotFound)
	case 1:
		return id, nil
	}
	return 0, fmt.Errorf("%d incidents are open (%s); name one, e.g. -i %s", len(open), strings.Join(open, ", "), open[0])
}

// readIncidents reads each incident's head, retro and updates and, with
// entries, its timeline entries that keep accepts (all when keep is nil).
func (s *Store) readIncidents(entries bool, keep func([]byte) bool) ([]*incident.Incident, error) {
	var raws []rawIncident
	err := s.view(func(tx *bolt.Tx) error {
		eachIncident(tx, false, func(b *bolt.Bucket) {
			r := rawIncident{head: bytes.Clone(b.Get(keyHead)), retro: bytes.Clone(b.Get(keyRetro))}
			if ub := b.Bucket(bucketUpdates); ub != nil {
				_ = ub.ForEach(func(_, v []byte) error {
					r.updates = append(r.updates, bytes.Clone(v))
					return nil
				})
			}
			if eb := b.Bucket(bucketEntries); entries && eb != nil {
				if keep == nil {
					// The sequence is the count (see entryCount), capped as
					// in copyIncident so a damaged header cannot ask for
					// gigabytes.
					r.entries = make([][]byte, 0, min(max(int(eb.Sequence()), 0), 1<<16))
				}
				_ = eb.ForEach(func(_, v []byte) error {
					// keep judges the JSON, without the checksum's
					// whitespace (which no printable-text test passes).
					if keep == nil || keep(recordJSON(v)) {
						r.entries = append(r.entries, bytes.Clone(v))
					}
					return nil
				})
			}
			raws = append(raws, r)
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return decodeIncidents(raws)
}

// decodeIncidents decodes what readIncidents copied, the incidents shared
// out among the processors: decoding JSON is nearly all of what reading a
// thousand timelines costs, and every incident decodes on its own. The
// first damaged record, in incident order, is the error.
func decodeIncidents(raws []rawIncident) ([]*incident.Incident, error) {
	out := make([]*incident.Incident, len(raws))
	errs := make([]error, len(raws))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(raws)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(raws) {
					return
				}
				out[i], errs[i] = raws[i].decode()
				raws[i] = rawIncident{} // the copy is garbage once decoded
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
