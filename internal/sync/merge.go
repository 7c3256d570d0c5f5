package sync

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/statuspage"
)

// ErrConflict is what MergeFile returns when it left a conflict for a
// person to resolve; git then stops the merge.
var ErrConflict = errors.New("conflict")

// MergeFile is git's merge driver for the repository (`warroom merge-file
// %O %A %B`): it merges theirs into ours, writing the result to ours.
//
//   - Two warroom records (*.json) are merged the way warroom import
//     merges a teammate's copy: entries and updates by uid, the fields read
//     from the merged timeline, deletions kept, the retro section by
//     section. The merge is import itself, run in a throwaway database (see
//     mergeRecords), so the two can never drift apart.
//   - Two Markdown files, feeds or status page files that warroom
//     generated, untouched since, keep ours: the sync rewrites them from
//     the merged records right after.
//   - Anything else (a file a person edited) goes to git's own line merge,
//     and a clash there is left marked in the file, as git would, with
//     ErrConflict.
func MergeFile(base, ours, theirs string, p incident.Policy) error {
	o, err := os.ReadFile(ours)
	if err != nil {
		return fmt.Errorf("cannot read %s: %v", ours, err)
	}
	t, err := os.ReadFile(theirs)
	if err != nil {
		return fmt.Errorf("cannot read %s: %v", theirs, err)
	}
	if isRecord(o) && isRecord(t) {
		merged, err := mergeRecords(o, t, p)
		if err != nil {
			return err
		}
		return os.WriteFile(ours, merged, 0o644)
	}
	if generated(o) && generated(t) {
		return nil
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return errNoGit
	}
	cmd := exec.Command(git, "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", ours, base, theirs)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exit) && exit.ExitCode() > 0 && exit.ExitCode() < 128:
		return ErrConflict
	default:
		return fmt.Errorf("git merge-file failed: %v %s", err, bytes.TrimSpace(out))
	}
}

func isRecord(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) && (bytes.Contains(data, []byte(`"format":"`+recordFormat+`"`)) || bytes.Contains(data, []byte(`"format_version"`)))
}

// generated reports a Markdown file, feed or status page file exactly as
// warroom wrote it.
func generated(data []byte) bool {
	if _, intact := export.IsGenerated(data); intact || statuspage.IsGenerated(data) {
		return true
	}
	return bytes.HasPrefix(data, []byte("<?xml")) && bytes.Contains(data, []byte("<generator>warroom</generator>"))
}

// mergeRecords merges two records of one incident: the union of their
// operations (MergeOps). A record from before operations is described as
// operations first (parseRecord), so old and new records merge too.
func mergeRecords(ours, theirs []byte, _ incident.Policy) ([]byte, error) {
	a, err := parseRecord(ours)
	if err != nil {
		return nil, fmt.Errorf("our side of the record cannot be read: %v", err)
	}
	b, err := parseRecord(theirs)
	if err != nil {
		return nil, fmt.Errorf("their side of the record cannot be read: %v", err)
	}
	if a.UID == "" || a.UID != b.UID {
		return nil, fmt.Errorf("the two records are of different incidents (uids %q and %q); keep one under another name: %w", a.UID, b.UID, ErrConflict)
	}
	title := a.Title
	if title == "" {
		title = b.Title
	}
	return encodeRecord(a.UID, title, MergeOps(opsOf(a), opsOf(b)))
}

// opsOf is an incident's operations, described from its fields when it
// was recorded before operations existed.
func opsOf(inc *incident.Incident) []incident.Op {
	if len(inc.Ops) > 0 {
		return inc.Ops
	}
	return incident.LegacyOps(inc)
}

// settleNames resolves the conflicts git left that are only about which
// file holds a record: a record renamed on both sides (git's
// rename/rename), or renamed on one and edited on the other
// (modify/delete), and the generated Markdown beside it. Every version of
// a record git holds for a path is merged into it (the merge is import's,
// so nothing is lost; the sync's next export writes each uid under one
// name and removes the rest); a generated file keeps any version, since
// the export rewrites it. Paths holding anything else are returned
// unresolved, for a person, and then nothing is resolved.
func settleNames(g *git, p incident.Policy) (left []string, err error) {
	out, err := g.run("ls-files", "--unmerged", "-z")
	if err != nil {
		return nil, err
	}
	stages := map[string]map[string]string{} // path -> stage -> blob
	var order []string
	for _, rec := range strings.Split(out, "\x00") {
		// "<mode> <blob> <stage>\t<path>"
		meta, path, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 {
			continue
		}
		if stages[path] == nil {
			stages[path] = map[string]string{}
			order = append(order, path)
		}
		stages[path][f[2]] = f[1]
	}
	// Everything is decided before anything is written: when a person has
	// to resolve one path, the repository stays exactly as git left it.
	type resolution struct {
		path string
		data []byte
		keep bool
	}
	var plan []resolution
	for _, path := range order {
		var versions [][]byte
		for _, stage := range []string{"2", "3"} { // ours, theirs
			if blob, ok := stages[path][stage]; ok {
				data, err := g.run("cat-file", "blob", blob)
				if err != nil {
					return nil, err
				}
				versions = append(versions, []byte(data))
			}
		}
		data, keep, ok := settle(versions, p)
		if !ok {
			left = append(left, path)
		}
		plan = append(plan, resolution{path, data, keep})
	}
	if len(left) > 0 {
		return left, nil
	}
	for _, r := range plan {
		file := filepath.Join(g.dir, r.path)
		if !r.keep {
			_ = os.Remove(file)
			if _, err := g.run("rm", "--quiet", "--cached", "--ignore-unmatch", "--", r.path); err != nil {
				return nil, err
			}
			continue
		}
		if err := os.WriteFile(file, r.data, 0o644); err != nil {
			return nil, fmt.Errorf("cannot write %s: %v", file, err)
		}
		if _, err := g.run("add", "--", r.path); err != nil {
			return nil, err
		}
	}
	return left, nil
}

// settle is one path's resolution from the versions git holds for it
// (ours first): the merged record, any generated file, or nothing when
// neither side kept the path; ok is false for a person's file.
func settle(versions [][]byte, p incident.Policy) (data []byte, keep, ok bool) {
	switch {
	case len(versions) == 0:
		return nil, false, true
	case !slices.ContainsFunc(versions, func(v []byte) bool { return !isRecord(v) }):
		merged := versions[0]
		for _, v := range versions[1:] {
			m, err := mergeRecords(merged, v, p)
			if err != nil {
				return nil, false, false
			}
			merged = m
		}
		return merged, true, true
	case !slices.ContainsFunc(versions, func(v []byte) bool { return !generated(v) }):
		return versions[0], true, true
	}
	return nil, false, false
}
