package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	bolt "go.etcd.io/bbolt"

	"github.com/warroom-cli/warroom/internal/incident"
)

var jsonUnmarshal = json.Unmarshal

// ResolveID turns what a user typed into an incident id. With nothing typed
// it picks the only open incident, and names the choices when there are
// several.
func (s *Store) ResolveID(arg string) (int64, error) {
	if strings.TrimSpace(arg) != "" {
		id, err := incident.ParseID(arg)
		if err != nil {
			return 0, err
		}
		if err := s.view(func(tx *bolt.Tx) error { _, err := incidentBucket(tx, id); return err }); err != nil {
			return 0, err
		}
		return id, nil
	}
	// No id: the only open incident, read from the heads' statuses.
	return s.OnlyOpenIncident()
}

// LatestOpen returns the most recently declared open incident, or ErrNotFound.
func (s *Store) LatestOpen() (int64, error) {
	list, err := s.ListIncidents()
	if err != nil {
		return 0, err
	}
	for _, sum := range list {
		if sum.Open() {
			return sum.ID, nil
		}
	}
	return 0, ErrNotFound
}

// Backup writes a consistent copy of the database to path (0600) while
// other processes keep working. When it returns nil the copy is on disk:
// the file is synced, and so is its folder, which holds the new name. (bbolt's
// tx.CopyFile writes and closes without syncing, so a backup taken just
// before a power cut, the moment one matters, could be empty or missing.)
// A copy that fails part way is removed, so a file at path is a whole
// backup.
func (s *Store) Backup(path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name for the backup", path)
	}
	return s.view(func(tx *bolt.Tx) error {
		// O_EXCL: a file that appeared since the check is not written over.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s already exists; choose a new file name for the backup", path)
			}
			return fmt.Errorf("cannot write the backup %s: %w", path, unwrapPath(err))
		}
		fail := func(what string, err error) error {
			_ = f.Close()
			_ = os.Remove(path)
			return fmt.Errorf("cannot %s the backup %s (%v), so there is none; check the disk and try again", what, path, unwrapPath(err))
		}
		if _, err := tx.WriteTo(f); err != nil {
			return fail("write", err)
		}
		if err := syncFile(f); err != nil {
			return fail("flush", err)
		}
		if err := f.Close(); err != nil {
			_ = os.Remove(path)
			return fmt.Errorf("cannot write the backup %s (%v), so there is none; check the disk and try again", path, unwrapPath(err))
		}
		if err := syncDir(filepath.Dir(path)); err != nil {
			_ = os.Remove(path)
			return fmt.Errorf("cannot flush the folder of the backup %s (%v), so there is none; check the disk and try again", path, unwrapPath(err))
		}
		return nil
	})
}

// The syncs a backup makes before it reports success; tests replace them
// to see that they happen.
var (
	syncFile = (*os.File).Sync
	syncDir  = syncDirectory
)

// syncDirectory makes a new name in dir durable. File systems that cannot
// sync a directory (EINVAL, ENOTSUP) make the name durable without it.
func syncDirectory(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}

// CheckReport is the result of an integrity check.
type CheckReport struct {
	Path      string
	Schema    uint64
	Incidents int
	Entries   int
	// Ops counts the operations the incidents are the fold of.
	Ops int
	// Space is the file's size beside what its records use (see
	// Store.Compact).
	Space    Space
	Problems []string
}

// OK reports whether no problem was found.
func (r CheckReport) OK() bool { return len(r.Problems) == 0 }

// CheckFile checks the database at path without creating, migrating or
// otherwise writing it, so it works on a file that Open would refuse.
func CheckFile(path string) (CheckReport, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return CheckReport{Path: path}, noFile(path)
	}
	if err != nil {
		return CheckReport{Path: path}, fmt.Errorf("cannot check %s: %w", path, unwrapPath(err))
	}
	if fi.IsDir() {
		return CheckReport{Path: path, Problems: []string{"the path is a folder, not a warroom database"}}, nil
	}
	if fi.Size() == 0 {
		return CheckReport{Path: path, Problems: []string{"the file is empty (left by a crash while an older warroom created it); it holds no incidents, and the next warroom command that writes replaces it with a new database"}}, nil
	}
	return (&Store{path: path}).Check()
}

// Check verifies every page of the file (bbolt's Tx.Check, which reports
// damage instead of panicking) and then that every record decodes, that
// every incident is filed under its own id, and that the schema is one this
// warroom reads.
func (s *Store) Check() (CheckReport, error) {
	rep := CheckReport{Path: s.path}
	err := s.view(func(tx *bolt.Tx) error {
		// tx.Check runs on a goroutine of bbolt's, where a memory fault
		// cannot be turned into an error (see recoverCorrupt): an element
		// pointing past the end of the file would crash warroom check, of
		// all commands. So the page structure it follows is first walked
		// with bounds-checked reads of the file.
		if p := s.pageBounds(tx); p != "" {
			rep.Problems = append(rep.Problems, p)
			return nil
		}
		for cerr := range tx.Check() {
			rep.Problems = append(rep.Problems, cerr.Error())
		}
		if len(rep.Problems) > 0 {
			// Walking damaged pages could panic; the page report is the answer.
			return nil
		}
		if m := tx.Bucket(bucketMeta); m != nil {
			if v := m.Get(keySchema); len(v) == 8 {
				rep.Schema = binary.BigEndian.Uint64(v)
			}
		}
		rep.Space = spaceOf(tx, s.path)
		// Every other command refuses a newer schema (Open): check must
		// not call such a file OK, nor judge records it cannot read.
		if rep.Schema > SchemaVersion {
			rep.Problems = append(rep.Problems, fmt.Sprintf("the database was written by a newer warroom (schema %d; this warroom reads schema %d and older), so it cannot be checked or used here; upgrade warroom", rep.Schema, SchemaVersion))
			return nil
		}
		root := tx.Bucket(bucketIncidents)
		if root == nil {
			rep.Problems = append(rep.Problems, "the incidents bucket is missing")
			return nil
		}
		if err := root.ForEachBucket(func(k []byte) error {
			rep.Incidents++
			b := root.Bucket(k)
			for _, name := range incidentBuckets {
				if b.Bucket(name) == nil {
					rep.Problems = append(rep.Problems, fmt.Sprintf("incident %x: bucket %s is missing", k, name))
				}
			}
			if b.Bucket(bucketEntries) == nil || b.Bucket(bucketUpdates) == nil {
				return nil
			}
			if ps := checkRecords(k, b, rep.Schema); len(ps) > 0 {
				// What the records decode to is not to be trusted.
				rep.Problems = append(rep.Problems, ps...)
				rep.Entries += b.Bucket(bucketEntries).Stats().KeyN
				return nil
			}
			inc, err := readIncident(tx, b)
			if err != nil {
				rep.Problems = append(rep.Problems, fmt.Sprintf("incident %x: %v", k, err))
				return nil
			}
			rep.Entries += len(inc.Entries)
			// Commands find an incident by the key it is filed under.
			if len(k) != 8 || int64(binary.BigEndian.Uint64(k)) != inc.ID {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s is filed under the key %x instead of its id, so commands cannot find it", inc.Key(), k))
			}
			// The stored head must be the fold of the whole timeline.
			folded := *inc
			incident.Fold(&folded)
			if ok, what := incident.FoldedEqual(inc, &folded); !ok {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: the stored fields differ from the timeline (%s)", inc.Key(), what))
			}
			// And the timeline, draft and retro must be the fold of the
			// incident's operations (schema 3).
			rep.Problems = append(rep.Problems, viewProblems(b, inc)...)
			// And its summary must be what it is made from (schema 5).
			if rep.Schema >= summarySchema {
				rep.Problems = append(rep.Problems, summaryProblems(tx, b, k, inc.Key())...)
				rep.Problems = append(rep.Problems, entryTextProblems(tx, b, k, inc.Key())...)
			}
			rep.Ops += len(inc.Ops)
			return nil
		}); err != nil {
			return err
		}
		if rep.Schema >= summarySchema {
			rep.Problems = append(rep.Problems, straySummaries(tx)...)
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotBolt) {
		return rep, err
	}
	if err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	}
	return rep, nil
}

// The parts of bbolt's file format the page walk reads
// (go.etcd.io/bbolt/internal/common): a 16-byte page header (id, flags,
// count, overflow), then count 16-byte elements whose key and value are
// found at pos bytes from the element itself.
const (
	pageHeaderBytes   = 16
	pageElementBytes  = 16
	bucketHeaderBytes = 16
	pageBranch        = 0x01
	pageLeaf          = 0x02
	pageFreelist      = 0x10
	leafBucket        = 0x01
	metaMagic         = 0xED0CDAED
)

// pageBounds walks the pages tx.Check and the record walk will read (the
// freelist, and the tree of every bucket from the root, inline buckets
// included) by reading the file, not the mmap, and reports the first page
// whose header, elements, keys, values or child pages lie outside the page
// or the file. It returns "" when every reference is in bounds.
func (s *Store) pageBounds(tx *bolt.Tx) string {
	f, err := os.Open(s.path)
	if err != nil {
		return ""
	}
	defer f.Close()
	ps := uint64(tx.DB().Info().PageSize)
	var root, freelist, hwm uint64
	found := false
	for _, off := range []uint64{0, ps} {
		m := make([]byte, pageHeaderBytes+64)
		if _, err := f.ReadAt(m, int64(off)); err != nil {
			continue
		}
		m = m[pageHeaderBytes:]
		if binary.LittleEndian.Uint32(m[0:]) != metaMagic || binary.LittleEndian.Uint64(m[48:]) != uint64(tx.ID()) {
			continue
		}
		root, freelist, hwm = binary.LittleEndian.Uint64(m[16:]), binary.LittleEndian.Uint64(m[32:]), binary.LittleEndian.Uint64(m[40:])
		found = true
	}
	if !found {
		return "" // not the layout this walk knows; tx.Check is on its own
	}
	readPage := func(id uint64) ([]byte, string) {
		if id < 2 || id >= hwm {
			return nil, fmt.Sprintf("a page refers to page %d, outside the file's %d pages", id, hwm)
		}
		head := make([]byte, pageHeaderBytes)
		if _, err := f.ReadAt(head, int64(id*ps)); err != nil {
			return nil, fmt.Sprintf("page %d cannot be read (%v)", id, err)
		}
		overflow := uint64(binary.LittleEndian.Uint32(head[12:]))
		if id+overflow >= hwm {
			return nil, fmt.Sprintf("page %d claims %d overflow pages, past the end of the file", id, overflow)
		}
		data := make([]byte, (overflow+1)*ps)
		if _, err := f.ReadAt(data, int64(id*ps)); err != nil {
			return nil, fmt.Sprintf("page %d cannot be read (%v)", id, err)
		}
		return data, ""
	}
	if freelist != 0 && freelist != ^uint64(0) {
		data, p := readPage(freelist)
		if p != "" {
			return p
		}
		count, skip := uint64(binary.LittleEndian.Uint16(data[10:])), uint64(0)
		if count == 0xFFFF && len(data) >= pageHeaderBytes+8 {
			count, skip = binary.LittleEndian.Uint64(data[pageHeaderBytes:]), 1
		}
		if binary.LittleEndian.Uint16(data[8:]) != pageFreelist || count > uint64(len(data))/8 || pageHeaderBytes+(skip+count)*8 > uint64(len(data)) {
			return fmt.Sprintf("page %d, the freelist, is damaged", freelist)
		}
	}
	seen := map[uint64]bool{}
	var walk func(data []byte, where string, depth int) string
	walkPage := func(id uint64, depth int) string {
		if seen[id] {
			return fmt.Sprintf("page %d is referred to twice", id)
		}
		seen[id] = true
		data, p := readPage(id)
		if p != "" {
			return p
		}
		return walk(data, fmt.Sprintf("page %d", id), depth)
	}
	walk = func(data []byte, where string, depth int) string {
		if depth > 64 {
			return where + " is nested too deep to be a real tree"
		}
		if len(data) < pageHeaderBytes {
			return where + " is shorter than a page header"
		}
		flags, count := binary.LittleEndian.Uint16(data[8:]), uint64(binary.LittleEndian.Uint16(data[10:]))
		if flags != pageBranch && flags != pageLeaf {
			return fmt.Sprintf("%s is neither a branch nor a leaf (flags %#x)", where, flags)
		}
		if pageHeaderBytes+count*pageElementBytes > uint64(len(data)) {
			return fmt.Sprintf("%s claims %d elements, more than it can hold", where, count)
		}
		for i := range count {
			e := pageHeaderBytes + i*pageElementBytes
			if flags == pageBranch {
				pos, ksize := uint64(binary.LittleEndian.Uint32(data[e:])), uint64(binary.LittleEndian.Uint32(data[e+4:]))
				if e+pos+ksize > uint64(len(data)) {
					return fmt.Sprintf("%s: element %d points outside the page", where, i)
				}
				if p := walkPage(binary.LittleEndian.Uint64(data[e+8:]), depth+1); p != "" {
					return p
				}
				continue
			}
			lflags := binary.LittleEndian.Uint32(data[e:])
			pos, ksize, vsize := uint64(binary.LittleEndian.Uint32(data[e+4:])), uint64(binary.LittleEndian.Uint32(data[e+8:])), uint64(binary.LittleEndian.Uint32(data[e+12:]))
			end := e + pos + ksize + vsize
			if end > uint64(len(data)) {
				return fmt.Sprintf("%s: element %d points outside the page", where, i)
			}
			if lflags&leafBucket == 0 {
				continue
			}
			v := data[e+pos+ksize : end]
			if len(v) < bucketHeaderBytes {
				return fmt.Sprintf("%s: element %d is a bucket without a bucket header", where, i)
			}
			var p string
			if r := binary.LittleEndian.Uint64(v); r == 0 {
				p = walk(v[bucketHeaderBytes:], fmt.Sprintf("the inline bucket in element %d of %s", i, where), depth+1)
			} else {
				p = walkPage(r, depth+1)
			}
			if p != "" {
				return p
			}
		}
		return ""
	}
	return walkPage(root, 0)
}
