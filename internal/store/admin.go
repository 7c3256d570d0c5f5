package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

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
	list, err := s.ListIncidents()
	if err != nil {
		return 0, err
	}
	var open []string
	var id int64
	for _, sum := range list {
		if sum.Open() {
			open = append(open, sum.Key())
			id = sum.ID
		}
	}
	switch len(open) {
	case 0:
		return 0, fmt.Errorf("there is no open incident; declare one with warroom new TITLE or name one with -i: %w", ErrNotFound)
	case 1:
		return id, nil
	}
	return 0, fmt.Errorf("%d incidents are open (%s); name one, e.g. -i %s", len(open), strings.Join(open, ", "), open[0])
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
// other processes keep working.
func (s *Store) Backup(path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name for the backup", path)
	}
	return s.view(func(tx *bolt.Tx) error {
		if err := tx.CopyFile(path, 0o600); err != nil {
			return fmt.Errorf("cannot write the backup %s: %w", path, unwrapPath(err))
		}
		return nil
	})
}

// CheckReport is the result of an integrity check.
type CheckReport struct {
	Path      string
	Schema    uint64
	Incidents int
	Entries   int
	Problems  []string
}

// OK reports whether no problem was found.
func (r CheckReport) OK() bool { return len(r.Problems) == 0 }

// CheckFile checks the database at path without creating, migrating or
// otherwise writing it, so it works on a file that Open would refuse.
func CheckFile(path string) (CheckReport, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return CheckReport{Path: path}, fmt.Errorf("cannot check %s: %w", path, unwrapPath(err))
	}
	if fi.IsDir() || fi.Size() == 0 {
		return CheckReport{Path: path, Problems: []string{"the file is empty or a folder, not a warroom database"}}, nil
	}
	return (&Store{path: path}).Check()
}

// Check verifies every page of the file (bbolt's Tx.Check, which reports
// damage instead of panicking) and then that every record decodes.
func (s *Store) Check() (CheckReport, error) {
	rep := CheckReport{Path: s.path}
	err := s.view(func(tx *bolt.Tx) error {
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
		root := tx.Bucket(bucketIncidents)
		if root == nil {
			rep.Problems = append(rep.Problems, "the incidents bucket is missing")
			return nil
		}
		return root.ForEachBucket(func(k []byte) error {
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
			inc, err := readIncident(tx, b)
			if err != nil {
				rep.Problems = append(rep.Problems, fmt.Sprintf("incident %x: %v", k, err))
				return nil
			}
			rep.Entries += len(inc.Entries)
			// The stored head must be the fold of the whole timeline.
			folded := *inc
			incident.Fold(&folded)
			if ok, what := incident.FoldedEqual(inc, &folded); !ok {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: the stored fields differ from the timeline (%s)", inc.Key(), what))
			}
			return nil
		})
	})
	if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotBolt) {
		return rep, err
	}
	if err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	}
	return rep, nil
}
