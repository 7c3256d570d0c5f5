package sync

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

// uidLen is how much of the uid a file name carries: 8 hex digits tell
// apart the incidents of any one team's repository, and keep names short.
const uidLen = 8

// Base is the repository name of inc without its extension:
// "checkout-failing-3f9a2c1b". It is made from the title and the uid, never
// from INC-n, which each database numbers on its own, so every laptop
// writes the same incident under the same name.
func Base(inc *incident.Incident) string {
	tag := inc.UID
	if tag == "" {
		tag = inc.Key()
	}
	// uids are hex, but an imported file may carry any; the name keeps
	// to the characters of a slug.
	tag = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, tag)
	if len(tag) > uidLen {
		tag = tag[:uidLen]
	}
	return export.Slug(inc.Title) + "-" + tag
}

// ownName reports whether name (a .md file) is one Base gives: a slug, a
// hyphen and the uid's first characters (up to eight, lower-case letters,
// digits and hyphens). Only a file that also carries an intact generated
// marker is ever removed, so the test need not be tighter.
func ownName(name string) bool {
	rest, ok := strings.CutSuffix(name, ".md")
	if !ok || rest == "" || rest[0] == '-' {
		return false
	}
	return strings.Contains(rest, "-") && strings.Trim(rest, "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}

// Record is the JSON file of inc in the repository: the export's Doc with
// what only one database means taken out (entry and update ids, the
// references between entries, a retro due time computed from the local
// configuration), so that two laptops holding the same record write the
// same bytes and a sync only commits what someone changed. The uid fields
// carry the identity; import never reads the ids.
func Record(inc *incident.Incident, p incident.Policy) ([]byte, error) {
	d := export.NewDoc(canonical(inc), p)
	for i := range d.Entries {
		d.Entries[i].ID, d.Entries[i].Ref = 0, 0
	}
	for i := range d.Updates {
		d.Updates[i].ID = 0
	}
	for i := range d.Retro.Factors {
		for j := range d.Retro.Factors[i].Evidence {
			d.Retro.Factors[i].Evidence[j].ID = 0 // the entry's local number
		}
	}
	// Review comments are a log: time order is everyone's.
	slices.SortStableFunc(d.Retro.Review, func(a, b export.DocReview) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.UID, b.UID)
	})
	if !d.Retro.DueSet {
		d.Retro.Due = nil
	}
	// Each database appends the change records it merges in, so the
	// order they are stored in is its own; time order is everyone's.
	slices.SortStableFunc(d.Changes, func(a, b export.DocChange) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.Author+a.Target+a.Before+a.After, b.Author+b.Target+b.Before+b.After)
	})
	d.Updated = lastChange(d)
	return d.Encode()
}

// canonical is inc with its retro's contributors and perspectives by
// name: each database keeps them in the order it merged them in, and the
// repository's files must come out the same on every laptop.
func canonical(inc *incident.Incident) *incident.Incident {
	c := *inc
	c.Retro.Sections = slices.Clone(inc.Retro.Sections)
	for i := range c.Retro.Sections {
		sec := &c.Retro.Sections[i]
		sec.Contributors = slices.Sorted(slices.Values(sec.Contributors))
		sec.Perspectives = slices.Clone(sec.Perspectives)
		slices.SortStableFunc(sec.Perspectives, func(a, b incident.Perspective) int { return strings.Compare(a.Author, b.Author) })
	}
	return &c
}

// lastChange is the latest time the record itself holds: the stored
// "updated" is when this database last wrote the incident, which an import
// moves, so two laptops with the same record would disagree on it.
func lastChange(d export.Doc) time.Time {
	last := d.Created
	later := func(t time.Time) {
		if t.After(last) {
			last = t
		}
	}
	for _, e := range d.Entries {
		later(e.RecordedAt)
		if e.EditedAt != nil {
			later(*e.EditedAt)
		}
	}
	for _, u := range d.Updates {
		later(u.At)
	}
	for _, c := range d.Changes {
		later(c.At)
	}
	for _, s := range d.Retro.Sections {
		if s.Edited != nil {
			later(*s.Edited)
		}
		for _, p := range s.Perspectives {
			later(p.Edited)
		}
	}
	return last
}

// readRecords reads every warroom record (*.json) at the top of dir. A
// JSON file that is not a warroom export (no format_version) is someone
// else's and skipped; a record that is damaged is an error naming it.
func readRecords(dir string) ([]*incident.Incident, []string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, errorf("cannot list the repository %s: %v", dir, err)
	}
	var incs []*incident.Incident
	var names []string
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, errorf("cannot read %s: %v", path, err)
		}
		if !bytes.Contains(data, []byte(`"format_version"`)) {
			continue
		}
		inc, err := export.ParseJSON(data)
		if err != nil {
			return nil, nil, errorf("cannot read the record %s: %v; fix it or restore it with git checkout", path, err)
		}
		incs = append(incs, inc)
		names = append(names, e.Name())
	}
	return incs, names, nil
}
