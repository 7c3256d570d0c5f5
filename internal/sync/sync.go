// Package sync keeps the incident repository in a git working copy and
// brings the records of every laptop together through it (warroom sync).
//
// Git is the distributed layer: no server of our own, any remote git can
// reach (an SSH host, a bare repository on a USB stick). Each incident is
// a record file, slug-<uid>.json, and its Markdown; the files are named by
// the full uid, never by INC-n, which each database numbers on its own.
//
// The record is the incident's operations (incident.Op), one per line in
// fold order (clock, then id), inside one JSON object. Why this format:
//   - Merging two copies is the union of their operations by id, which is
//     commutative, associative and idempotent, so any order and grouping of
//     syncs between any number of laptops ends with the same record, and a
//     sync with nothing new writes the same bytes and commits nothing. A
//     whole-record format (the export's JSON) needs a three-way merge of
//     states that cannot tell a teammate's edit from a stale copy.
//   - One operation a line makes git's diff of a sync read as what happened
//     (who added which entry, edited which section), and keeps a merge of
//     lines that two laptops added at once a union of lines.
//   - Nothing local is written (no INC-n, no #N), so every laptop holding
//     the same operations writes the same bytes.
//
// Git's textual merge is not used on the records: the repository's
// .gitattributes sends *.json (and the generated Markdown and feed) to
// MergeFile, registered in the working copy's git config as the merge
// driver `warroom merge-file %O %A %B`, which takes the union (MergeOps).
//
// A sync imports the working copy's records (finishing one that was cut
// short), fetches and merges what the others pushed, imports it, then
// writes and commits what this laptop added, in the commit that merges:
// one commit per sync that brought something, saying what and from whom.
// A record that cannot be read or brought in is named in a warning and
// left as it is; the rest goes on. The database is only written
// after git has merged cleanly: a conflict git cannot solve (a Markdown
// file edited by hand on both sides) stops the sync with the working copy
// as git left it and the database as it was.
package sync

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/statuspage"
	"github.com/warroom-cli/warroom/internal/store"
)

// Options are what one sync needs.
type Options struct {
	Store  *store.Store
	Dir    string // the working copy; created (cloned or initialised) if needed
	Remote string // a git URL for origin; "" keeps the one configured
	Export export.Options
	Author string // names the commits when git has no identity configured
	// Driver is the command line git runs to merge a record, with %O %A
	// %B for the three files: the running warroom's merge-file.
	Driver string
	// StatusPage, when not nil, has the sync write the public status page
	// into the repository as status/ (StatusDir), from the merged records.
	StatusPage *statuspage.Options
}

// StatusDir is the folder of the repository the status page is written to.
const StatusDir = "status"

// Result says what a sync did.
type Result struct {
	Initialised, Cloned bool
	Incidents           int      // incidents in the repository after the sync
	Imported            []string // INC-n of incidents the sync created or changed in the database
	Commits             int      // commits the sync made
	Merged              bool     // a fetch brought commits that were merged
	Pushed              bool
	Remote              bool // the working copy has a remote
	Kept                []string
	// Skipped are sentences about records that could not be read or
	// brought in; the rest of the sync went on without them.
	Skipped []string
	// Brought says, per incident, what the sync brought into the
	// database and from whom.
	Brought []string
	// refused holds, by file name, the bytes of each record the last
	// import could read but not bring in (an operation from hours ahead,
	// say): the export leaves those files as they are, as it does the
	// records it cannot read at all.
	refused map[string][]byte
}

// attributes route every file the sync writes to our merge driver.
var attributes = []string{"*.json merge=warroom", "*.md merge=warroom", "feed.atom merge=warroom", StatusDir + "/** merge=warroom"}

// mergeMessage starts the message of a sync's merge commit.
const mergeMessage = "warroom sync: merge records"

// pushTries is how often a sync merges again when someone pushed between
// its fetch and its push.
const pushTries = 3

// Run syncs the database with the repository in opts.Dir.
func Run(opts Options) (Result, error) {
	var res Result
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return res, fmt.Errorf("cannot find the folder %s: %v", opts.Dir, err)
	}
	opts.Dir = dir
	g, err := findGit(opts.Dir)
	if err != nil {
		return res, err
	}
	if err := prepare(g, opts, &res); err != nil {
		return res, err
	}
	unlock, err := lockRepo(opts.Dir)
	if err != nil {
		return res, err
	}
	defer unlock()
	if err := checkNoMerge(g, opts.Dir); err != nil {
		return res, err
	}
	// What the working copy holds goes in first: after a clean sync that
	// is nothing new, after one that was cut short it finishes it.
	if err := importAll(opts, &res); err != nil {
		return res, err
	}
	message := "warroom sync: changes from " + opts.Author
	remote, err := hasOrigin(g)
	if err != nil {
		return res, err
	}
	res.Remote = remote
	// The database's changes are committed once, after the merge, in the
	// commit that merges: one sync that brings something is one commit in
	// the team's history. Only what a person left in the working copy (a
	// hand edit, a sync cut short) is committed first, as git will not
	// merge over it.
	dirty := true
	if remote {
		if dirty, err = uncommitted(g); err != nil {
			return res, err
		}
		// A repository with no commit yet has nothing to merge into.
		if born, err := g.ok("rev-parse", "--verify", "--quiet", "HEAD"); err != nil || !born {
			dirty = true
		}
	}
	if dirty {
		if err := writeAndCommit(g, opts, &res, message); err != nil {
			return res, err
		}
	}
	if !remote {
		return res, nil
	}
	branch, err := g.run("symbolic-ref", "--short", "HEAD")
	if err != nil {
		return res, err
	}
	branch = strings.TrimSpace(branch)
	for try := 1; ; try++ {
		if err := fetchAndMerge(g, opts, branch, &res); err != nil {
			return res, err
		}
		if err := writeAndCommit(g, opts, &res, message); err != nil {
			return res, err
		}
		_, _, err := g.runFull("push", "--set-upstream", "origin", "HEAD:refs/heads/"+branch)
		if err == nil {
			res.Pushed = true
			return res, nil
		}
		if try == pushTries || !strings.Contains(err.Error(), "rejected") && !strings.Contains(err.Error(), "fetch first") {
			return res, fmt.Errorf("the records are merged and committed in %s but could not be pushed (%v); check the remote and run warroom sync again", opts.Dir, err)
		}
	}
}

// prepare makes opts.Dir a working copy with our attributes and driver.
func prepare(g *git, opts Options, res *Result) error {
	if _, err := os.Stat(filepath.Join(opts.Dir, ".git")); err != nil {
		empty := true
		if ents, err := os.ReadDir(opts.Dir); err == nil && len(ents) > 0 {
			empty = false
		}
		if opts.Remote != "" && empty {
			if err := os.MkdirAll(filepath.Dir(opts.Dir), 0o755); err != nil {
				return fmt.Errorf("cannot create the folder for the repository %s: %v", opts.Dir, err)
			}
			parent := &git{path: g.path, dir: filepath.Dir(opts.Dir)}
			if _, err := parent.run("clone", "--quiet", opts.Remote, opts.Dir); err != nil {
				return fmt.Errorf("cannot clone %s into %s: %v", opts.Remote, opts.Dir, err)
			}
			res.Cloned = true
		} else {
			if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
				return fmt.Errorf("cannot create the repository folder %s: %v", opts.Dir, err)
			}
			if _, err := g.run("init", "--quiet", "--initial-branch=main"); err != nil {
				return fmt.Errorf("cannot initialise a git repository in %s: %v", opts.Dir, err)
			}
			res.Initialised = true
		}
	}
	if opts.Remote != "" && !res.Cloned {
		has, err := hasOrigin(g)
		if err != nil {
			return err
		}
		verb := "add"
		if has {
			verb = "set-url"
		}
		if _, err := g.run("remote", verb, "origin", opts.Remote); err != nil {
			return err
		}
	}
	// Written only when it differs (another warroom binary, a first
	// sync), so an ordinary sync does not rewrite .git/config.
	for _, kv := range [][2]string{{"merge.warroom.name", "warroom record merge"}, {"merge.warroom.driver", opts.Driver}} {
		if cur, _ := g.run("config", "--local", kv[0]); strings.TrimSpace(cur) == kv[1] {
			continue
		}
		if _, err := g.run("config", "--local", kv[0], kv[1]); err != nil {
			return err
		}
	}
	name, _ := g.run("config", "user.name")
	email, _ := g.run("config", "user.email")
	if strings.TrimSpace(name) == "" || strings.TrimSpace(email) == "" {
		author := opts.Author
		if author == "" {
			author = "warroom"
		}
		g.ident = []string{"-c", "user.name=" + author, "-c", "user.email=" + author + "@warroom.invalid"}
	}
	return writeAttributes(opts.Dir)
}

// writeAttributes adds our lines to .gitattributes, keeping any others.
func writeAttributes(dir string) error {
	path := filepath.Join(dir, ".gitattributes")
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot read %s: %v", path, err)
	}
	lines := strings.Split(strings.TrimRight(string(old), "\n"), "\n")
	if len(old) == 0 {
		lines = nil
	}
	changed := false
	for _, a := range attributes {
		if !slices.Contains(lines, a) {
			lines = append(lines, a)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	return nil
}

// checkNoMerge refuses to start while a merge a person has to finish is
// still open in the working copy.
func checkNoMerge(g *git, dir string) error {
	if _, err := os.Stat(filepath.Join(dir, ".git", "MERGE_HEAD")); err != nil {
		return nil
	}
	files, _ := conflicted(g)
	msg, _ := os.ReadFile(filepath.Join(dir, ".git", "MERGE_MSG"))
	if len(files) == 0 && strings.HasPrefix(string(msg), mergeMessage) {
		// A sync of ours was stopped after git had merged everything and
		// before it committed (killed, say): finish what it started.
		_, err := g.run("commit", "--quiet", "--no-edit", "--no-verify")
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("the repository %s is in the middle of a merge; finish it with git commit (or git merge --abort) and run warroom sync again", dir)
	}
	return fmt.Errorf("the repository %s still has unresolved conflicts in %s; resolve them and commit (or git merge --abort), then run warroom sync again", dir, strings.Join(files, ", "))
}

func conflicted(g *git) ([]string, error) {
	out, err := g.run("diff", "--name-only", "--diff-filter=U")
	if err != nil {
		return nil, err
	}
	return strings.Fields(out), nil
}

// importAll imports every record in the working copy, one transaction per
// incident. A record that cannot be read or brought in is reported in
// res.Skipped and the rest go on.
func importAll(opts Options, res *Result) error {
	incs, names, broken, err := readRecords(opts.Dir)
	if err != nil {
		return err
	}
	res.Skipped = append(res.Skipped, broken...)
	res.refused = map[string][]byte{}
	for i, inc := range incs {
		r, err := opts.Store.ImportIncident(inc)
		if err != nil {
			path := filepath.Join(opts.Dir, names[i])
			res.Skipped = append(res.Skipped, fmt.Sprintf("skipped %s: %s", path, store.Message(err)))
			if data, rerr := os.ReadFile(path); rerr == nil {
				res.refused[names[i]] = data
			}
			continue
		}
		if r.Changed() {
			key := incident.FormatID(r.ID)
			if !slices.Contains(res.Imported, key) {
				res.Imported = append(res.Imported, key)
			}
			if r.Brought != "" {
				res.Brought = append(res.Brought, key+" "+inc.Title+": "+r.Brought)
			}
		}
	}
	return nil
}

// writeAndCommit exports every incident into the working copy and commits
// whatever changed, with a message that says what it brought.
func writeAndCommit(g *git, opts Options, res *Result, message string) error {
	incs, err := opts.Store.AllIncidentsWithOps()
	if err != nil {
		return err
	}
	had, _, _, bad, err := readRecordsKeeping(opts.Dir)
	if err != nil {
		return err
	}
	for name, data := range res.refused {
		bad[name] = data
	}
	known := map[string]map[string]bool{}
	for _, inc := range had {
		ids := map[string]bool{}
		for _, o := range opsOf(inc) {
			ids[o.ID] = true
		}
		known[inc.UID] = ids
	}
	// The repository numbers incidents by when they were declared (then
	// uid), the same on every laptop holding the same incidents, rather
	// than by each database's own INC-n.
	order := slices.Clone(incs)
	slices.SortStableFunc(order, func(a, b *incident.Incident) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.UID, b.UID)
	})
	number := map[string]int64{}
	for i, inc := range order {
		number[inc.UID] = int64(i + 1)
	}
	shown := make([]*incident.Incident, len(incs))
	// The index's trends and the feed are as of the newest change in the
	// records, not the clock: every laptop holding the same records then
	// writes the same index, and a sync with nothing new commits nothing.
	var asOf time.Time
	var what []string
	for i, inc := range incs {
		var fresh []incident.Op
		for _, o := range inc.Ops {
			if o.At.After(asOf) {
				asOf = o.At
			}
			if !known[inc.UID][o.ID] {
				fresh = append(fresh, o)
			}
		}
		if _, left := bad[Base(inc)+".json"]; len(fresh) > 0 && !left {
			what = append(what, Base(inc)+": "+incident.DescribeOps(fresh))
		}
		c := canonical(inc)
		c.ID = number[inc.UID]
		shown[i] = c
	}
	p := opts.Export.Policy
	layout := export.Layout{Base: Base, Owns: ownName, Record: func(inc *incident.Incident) ([]byte, error) {
		// A record this sync could not read stays as it was found.
		if data, ok := bad[Base(inc)+".json"]; ok {
			return data, nil
		}
		return Record(inc, p)
	}}
	wr, err := export.WriteRepo(opts.Dir, shown, opts.Export, asOf, layout)
	if err != nil {
		return err
	}
	res.Kept = wr.Kept
	res.Incidents = len(incs)
	if err := export.WriteFeed(opts.Dir, shown, asOf); err != nil {
		return err
	}
	if opts.StatusPage != nil {
		// As of the newest change too, so every laptop writes the same
		// page from the same records.
		files, err := statuspage.Build(shown, *opts.StatusPage, asOf)
		if err != nil {
			return err
		}
		if _, err := statuspage.Write(filepath.Join(opts.Dir, StatusDir), files); err != nil {
			return err
		}
	}
	if _, err := g.run("add", "--all"); err != nil {
		return err
	}
	clean, err := g.ok("diff", "--cached", "--quiet")
	if err != nil {
		return err
	}
	// A merge left open for this commit is committed even when it
	// changes no file, so that git records it.
	if _, merging := os.Stat(filepath.Join(opts.Dir, ".git", "MERGE_HEAD")); clean && merging != nil {
		return nil
	}
	if len(what) > 0 {
		message += "\n\n" + strings.Join(what, "\n")
	}
	if _, err := g.run("commit", "--quiet", "--no-verify", "-m", message); err != nil {
		return err
	}
	res.Commits++
	return nil
}

// fetchAndMerge brings in the remote branch, if it exists yet, and
// imports what it brought. A fast-forward moves the branch; otherwise git
// merges without committing, and the caller's writeAndCommit then commits
// the merge together with the database's own changes, in one commit.
func fetchAndMerge(g *git, opts Options, branch string, res *Result) error {
	if _, err := g.run("fetch", "--quiet", "origin"); err != nil {
		// What this laptop did is still committed, to push next time.
		if werr := writeAndCommit(g, opts, res, "warroom sync: changes from "+opts.Author); werr != nil {
			return werr
		}
		return fmt.Errorf("cannot fetch from the remote (%v); the records are committed in %s, run warroom sync again when the remote can be reached", err, opts.Dir)
	}
	ref := "refs/remotes/origin/" + branch
	exists, err := g.ok("rev-parse", "--verify", "--quiet", ref)
	if err != nil || !exists {
		return err
	}
	behind, err := g.ok("merge-base", "--is-ancestor", ref, "HEAD")
	if err != nil {
		return err
	}
	if behind {
		return nil // nothing new over there
	}
	ahead, err := g.ok("merge-base", "--is-ancestor", "HEAD", ref)
	if err != nil {
		return err
	}
	if ahead {
		if _, err := g.run("merge", "--quiet", "--ff-only", ref); err != nil {
			return fmt.Errorf("sync stopped: the merge in %s failed (%v), so the database was not changed; fix the repository and run warroom sync again", opts.Dir, err)
		}
	} else if _, _, err := g.runFull("merge", "--quiet", "--no-commit", "--no-ff", "--no-verify", "--allow-unrelated-histories", "-m", mergeMessage, ref); err != nil {
		if files, _ := conflicted(g); len(files) == 0 {
			return fmt.Errorf("sync stopped: the merge in %s failed (%v), so the database was not changed; fix the repository and run warroom sync again", opts.Dir, err)
		}
		// Conflicts over which file holds a record (renamed on both
		// sides, or renamed on one and edited on the other) are about
		// names, not content: ours to settle. What is left is a person's.
		left, err := settleNames(g, opts.Export.Policy)
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("sync stopped: git could not merge %s in %s (edited by hand on both sides), so the database was not changed; resolve the conflict and commit it, or run git merge --abort, then run warroom sync again", strings.Join(left, ", "), opts.Dir)
		}
	}
	res.Merged = true
	// The merged records are all read again: a record skipped before the
	// merge and fixed upstream is no longer reported, and one still
	// broken is reported once.
	res.Skipped = nil
	return importAll(opts, res)
}

// uncommitted reports whether the working copy holds changes git has not
// committed: a person's edit, or the export of a sync that was cut short.
func uncommitted(g *git) (bool, error) {
	out, err := g.run("status", "--porcelain", "--untracked-files=all")
	return strings.TrimSpace(out) != "", err
}

func hasOrigin(g *git) (bool, error) {
	out, err := g.run("remote")
	return slices.Contains(strings.Fields(out), "origin"), err
}
