package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

// Base is the repository name of inc without its extension:
// "checkout-failing-3f9a2c1b". It is made from the title and the uid, never
// from INC-n, which each database numbers on its own, so every laptop
// writes the same incident under the same name (export.BaseName, which the
// status page's incident pages share).
func Base(inc *incident.Incident) string { return export.BaseName(inc) }

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

// recordFormat names a record file of operations.
const recordFormat = "warroom-ops"

// recordHead is a record file's first line.
type recordHead struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	UID     string `json:"uid"`
	Title   string `json:"title,omitzero"`
}

// Record is the file of inc in the repository: its operations, one per
// line in fold order (clock, then id), inside one JSON object. One
// operation a line makes git's diff of a sync read as what happened
// ("+{... entry.add ... amara ...}"), every laptop holding the same
// operations writes the same bytes, and merging two versions is the union
// of their lines (see MergeOps). Nothing local (INC-n, #N) is in it.
func Record(inc *incident.Incident, _ incident.Policy) ([]byte, error) {
	return encodeRecord(inc.UID, inc.Title, inc.Ops)
}

func encodeRecord(uid, title string, ops []incident.Op) ([]byte, error) {
	ops = slices.Clone(ops)
	incident.SortOps(ops)
	var b bytes.Buffer
	head, err := json.Marshal(recordHead{Format: recordFormat, Version: 1, UID: uid, Title: title})
	if err != nil {
		return nil, err
	}
	b.Write(head[:len(head)-1])
	b.WriteString(`,"ops":[`)
	for i, o := range ops {
		line, err := json.Marshal(o)
		if err != nil {
			return nil, err
		}
		b.WriteString("\n")
		b.Write(line)
		if i < len(ops)-1 {
			b.WriteByte(',')
		}
	}
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}

// parseRecord reads a record file: a file of operations, or a record of
// a warroom from before operations (the export's JSON), described as
// operations the way every laptop describes it.
func parseRecord(data []byte) (*incident.Incident, error) {
	if !bytes.Contains(data, []byte(`"format":"`+recordFormat+`"`)) {
		return export.ParseJSON(data)
	}
	var r struct {
		recordHead
		Ops []incident.Op `json:"ops"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("it is not a valid record of operations (%v)", err)
	}
	if r.Version != 1 {
		return nil, fmt.Errorf("it is a record of version %d, which this warroom cannot read; update warroom", r.Version)
	}
	if !incident.ValidUID(r.UID) {
		return nil, fmt.Errorf("it names the incident %q, which is not a uid", r.UID)
	}
	seen := map[string]incident.Op{}
	for _, o := range r.Ops {
		if prev, ok := seen[o.ID]; ok && !incident.SameOp(prev, o) {
			return nil, fmt.Errorf("operation %s appears twice with different content; it was edited by hand", o.ID)
		}
		seen[o.ID] = o
		if err := incident.CheckOp(o, time.Time{}); err != nil {
			return nil, err
		}
	}
	return &incident.Incident{UID: r.UID, Title: r.Title, Ops: r.Ops}, nil
}

// MergeOps is the union of two records' operations by id, in fold order.
// It is commutative, associative and idempotent, so git may merge the
// repository's branches in any order and grouping. One id with two
// contents (a hand edit) keeps ours; the import then reports it.
func MergeOps(ours, theirs []incident.Op) []incident.Op {
	byID := make(map[string]bool, len(ours)+len(theirs))
	out := make([]incident.Op, 0, len(ours)+len(theirs))
	for _, side := range [][]incident.Op{ours, theirs} {
		for _, o := range side {
			if !byID[o.ID] {
				byID[o.ID] = true
				out = append(out, o)
			}
		}
	}
	incident.SortOps(out)
	return out
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

// readRecords reads every warroom record (*.json) at the top of dir. A
// JSON file that is not a warroom record is someone else's and skipped; a
// record that cannot be read is reported in broken (a sentence naming it)
// and skipped, so one bad file never stops the rest of a sync, and it is
// read again, fixed, by the next sync after a teammate fixes it.
func readRecords(dir string) (incs []*incident.Incident, names []string, broken []string, err error) {
	incs, names, broken, _, err = readRecordsKeeping(dir)
	return incs, names, broken, err
}

// readRecordsKeeping is readRecords that also returns the bytes of each
// record it could not read, by file name: the sync leaves those files as
// they are rather than writing its own copy over operations it could not
// read (and a teammate's fix upstream then merges cleanly).
func readRecordsKeeping(dir string) (incs []*incident.Incident, names []string, broken []string, bad map[string][]byte, err error) {
	bad = map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, nil, errorf("cannot list the repository %s: %v", dir, err)
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			broken = append(broken, fmt.Sprintf("cannot read %s: %v", path, err))
			continue
		}
		if !isRecord(data) {
			continue
		}
		inc, err := parseRecord(data)
		if err != nil {
			broken = append(broken, fmt.Sprintf("skipped the record %s: %v; fix it or restore it with git checkout", path, err))
			bad[e.Name()] = data
			continue
		}
		incs = append(incs, inc)
		names = append(names, e.Name())
	}
	return incs, names, broken, bad, nil
}
