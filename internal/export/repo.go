package export

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// IndexFile is the name of the repository index WriteAll writes.
const IndexFile = "index.md"

// FileName is the repository file of inc: "INC-7-checkout-failing.md".
func FileName(inc *incident.Incident) string {
	return inc.Key() + "-" + slug(inc.Title) + ".md"
}

// ownFile reports the names WriteAll gives incident files,
// INC-<digits>[-<a-z, 0-9 and hyphens>].md, so that a re-run can remove
// those of renamed or deleted incidents and nothing else. (A function, not
// a regular expression, so that no start-up of any command compiles it.)
func ownFile(name string) bool {
	rest, ok := strings.CutPrefix(name, "INC-")
	if !ok {
		return false
	}
	if rest, ok = strings.CutSuffix(rest, ".md"); !ok {
		return false
	}
	digits := len(rest) - len(strings.TrimLeft(rest, "0123456789"))
	if digits == 0 {
		return false
	}
	slug, hasSlug := strings.CutPrefix(rest[digits:], "-")
	if !hasSlug {
		return rest[digits:] == ""
	}
	return strings.Trim(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}

// slug is the title in lower-case ASCII letters and digits joined by single
// hyphens, at most 50 bytes, cut at a word boundary when one is in reach
// ("checkout-failing", not "checkout-fai"); "incident" when nothing is left.
func slug(title string) string {
	const most = 50
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
		if b.Len() > most {
			break
		}
	}
	s := b.String()
	if len(s) > most {
		cut := most
		if s[most] != '-' {
			if i := strings.LastIndexByte(s[:most], '-'); i > 0 {
				cut = i
			}
		}
		s = s[:cut]
	}
	s = strings.Trim(s, "-")
	if s == "" {
		return "incident"
	}
	return s
}

// Index renders the repository's index.md: every incident (newest first)
// with severity, status, dates and time to resolve; the trends; and the
// open action items across incidents. now decides which actions are overdue
// and which open incidents' updates are missed, so the same incidents and
// now give the same bytes.
func Index(incs []*incident.Incident, opts Options, now time.Time) []byte {
	return indexOf(incs, opts, now, Layout{})
}

func indexOf(incs []*incident.Incident, opts Options, now time.Time, layout Layout) []byte {
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return dash
		}
		return t.In(loc).Format("2006-01-02")
	}
	st := ComputeStats(incs, now.In(loc), opts.Policy)
	var b bytes.Buffer
	b.WriteString("# Incident repository\n\n")
	fmt.Fprintf(&b, "%d incidents, %d open. Each incident has its own file; this index is rewritten by `warroom export --all`.\n\n", st.Incidents, st.Open)

	b.WriteString("## Incidents\n\n")
	if len(incs) == 0 {
		b.WriteString("No incidents yet.\n\n")
	} else {
		b.WriteString("| Incident | Title | Severity | Status | Declared | Resolved | Time to resolve | Retro |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
		sorted := slices.Clone(incs)
		slices.SortStableFunc(sorted, func(a, b *incident.Incident) int {
			if c := b.Created.Compare(a.Created); c != 0 {
				return c
			}
			return cmp.Compare(b.ID, a.ID)
		})
		for _, inc := range sorted {
			ttr := dash
			if d, ok := incident.TimeToResolve(inc.Milestones); ok && !inc.Open() {
				ttr = incident.FormatDuration(d)
			}
			retro := string(inc.Retro.Status)
			if retro == "" {
				retro = string(incident.RetroDraft)
			}
			fmt.Fprintf(&b, "| [%s](%s) | %s | %s | %s | %s | %s | %s | %s |\n",
				inc.Key(), layout.base(inc)+".md", Inline(inc.Title), inc.Severity, inc.Status,
				day(inc.Created), day(inc.Milestones[incident.MResolved]), ttr, retro)
		}
		b.WriteString("\n")
	}

	b.WriteString("## Trends\n\n### Incidents by month and severity\n\n")
	if len(st.ByMonth) == 0 {
		b.WriteString("Nothing to count yet.\n\n")
	} else {
		b.WriteString("| Month | Incidents | SEV1 | SEV2 | SEV3 | SEV4 |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, m := range st.ByMonth {
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", m.Month, m.Total, m.BySeverity["SEV1"], m.BySeverity["SEV2"], m.BySeverity["SEV3"], m.BySeverity["SEV4"])
		}
		b.WriteString("\n")
	}
	b.WriteString("### Time to resolve\n\n")
	if st.TimeToResolve.Count == 0 {
		b.WriteString("No resolved incident has its milestones yet.\n\n")
	} else {
		fmt.Fprintf(&b, "Median %s, 90th percentile %s, over %d resolved incidents.\n\n", st.TimeToResolve.Median, st.TimeToResolve.P90, st.TimeToResolve.Count)
	}
	b.WriteString("### Public updates on time\n\n")
	if st.UpdateCadence.Due == 0 {
		b.WriteString("No public update has fallen due yet.\n\n")
	} else {
		fmt.Fprintf(&b, "%d of %d due updates went out on time (%.0f%%).\n\n", st.UpdateCadence.OnTime, st.UpdateCadence.Due, 100*st.UpdateCadence.Compliance)
	}
	b.WriteString("### Frequent tags\n\n")
	if len(st.Tags) == 0 {
		b.WriteString("No tags yet.\n\n")
	} else {
		b.WriteString("| Tag | Incidents |\n| --- | --- |\n")
		for _, t := range st.Tags {
			fmt.Fprintf(&b, "| %s | %d |\n", Inline(t.Tag), t.Count)
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## Open action items\n\n%d open, %d overdue, %d done.\n", st.Actions.Open, st.Actions.Overdue, st.Actions.Done)
	if len(st.Actions.Items) > 0 {
		// No empty cell: an empty header or "|  |" fails markdownlint
		// (MD060) and reads as missing data.
		b.WriteString("\n| Incident | Action | Kind | Owner | Due | State |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, a := range st.Actions.Items {
			over := "open"
			if a.Overdue {
				over = "**overdue**"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", a.Incident, Inline(a.Title), a.Kind, orDash(Inline(a.Owner)), day(deref(a.Due)), over)
		}
	}
	return b.Bytes()
}

// WriteResult lists what WriteAll did, as file names inside the directory.
type WriteResult struct {
	Written []string // every incident file and the index, in incident order
	Removed []string // stale incident files from earlier runs
	// Kept are files at the names this run would write that a person
	// wrote or edited by hand (no generated marker, or a marker whose hash
	// no longer matches): they are left as they are, never overwritten.
	Kept []string
}

// Layout says how a repository folder names and fills its files. The zero
// Layout is export --all's: INC-n-slug.md per incident and index.md.
type Layout struct {
	// Base is an incident's file name without its extension; nil means
	// FileName's INC-n-slug.
	Base func(inc *incident.Incident) string
	// Owns reports whether a Markdown file name is one Base gives, so that
	// a stale one (a renamed or deleted incident) may be removed; nil
	// means ownFile. A file is only ever removed when it also carries an
	// intact generated marker.
	Owns func(name string) bool
	// Record, when set, also writes each incident's record as Base+".json"
	// (warroom sync's repository); a stale record of an incident that is
	// being written under another name is removed.
	Record func(inc *incident.Incident) ([]byte, error)
}

func (l Layout) base(inc *incident.Incident) string {
	if l.Base != nil {
		return l.Base(inc)
	}
	return strings.TrimSuffix(FileName(inc), ".md")
}

func (l Layout) owns(name string) bool {
	if l.Owns != nil {
		return l.Owns(name)
	}
	return ownFile(name)
}

// WriteAll writes one Markdown file per incident and index.md into dir,
// creating it if needed. It is safe to re-run into the same directory:
// files are replaced atomically, unchanged ones are left alone, and
// incident files this run did not write (an incident renamed since, so its
// slug changed) are removed. Only files carrying an intact generated marker
// (see Generated) are ever replaced or removed: a hand-written or
// hand-edited file is left alone and listed in Kept.
func WriteAll(dir string, incs []*incident.Incident, opts Options, now time.Time) (WriteResult, error) {
	return WriteRepo(dir, incs, opts, now, Layout{})
}

// WriteRepo is WriteAll with the files named and filled by layout.
func WriteRepo(dir string, incs []*incident.Incident, opts Options, now time.Time, layout Layout) (WriteResult, error) {
	return writeRepo(dir, incs, opts, now, layout, nil)
}

// writeRepo is WriteRepo; with st, the incidents st has fresh are not
// rendered again.
func writeRepo(dir string, incs []*incident.Incident, opts Options, now time.Time, layout Layout, st *stamping) (WriteResult, error) {
	var res WriteResult
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, fmt.Errorf("cannot create the folder %s: %v", dir, err)
	}
	names := make([]string, len(incs))
	for i, inc := range incs {
		names[i] = layout.base(inc)
	}
	// Rendering is nearly all of the cost and each file is its own, so
	// the incidents are shared out among the processors; the first error
	// in incident order is the one reported.
	errs := make([]error, len(incs))
	kept := make([]bool, len(incs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(incs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(incs) {
					return
				}
				if st != nil && st.fresh[i] {
					continue
				}
				data, err := Markdown(incs[i], opts)
				if err == nil {
					kept[i], err = writeGenerated(filepath.Join(dir, names[i]+".md"), data)
				}
				if err == nil && layout.Record != nil {
					var rec []byte
					if rec, err = layout.Record(incs[i]); err == nil {
						err = writeIfChanged(filepath.Join(dir, names[i]+".json"), rec)
					}
				}
				errs[i] = err
			}
		})
	}
	wg.Wait()
	if st != nil {
		st.kept = kept
	}
	keep := map[string]bool{IndexFile: true}
	uids := map[string]string{} // uid -> the base name it is written under
	for i, inc := range incs {
		if errs[i] != nil {
			return res, errs[i]
		}
		name := names[i] + ".md"
		keep[name] = true
		if kept[i] {
			res.Kept = append(res.Kept, name)
		} else {
			res.Written = append(res.Written, name)
		}
		if layout.Record != nil {
			keep[names[i]+".json"] = true
			if inc.UID != "" {
				uids[inc.UID] = names[i]
			}
		}
	}
	indexKept, err := writeGenerated(filepath.Join(dir, IndexFile), indexOf(incs, opts, now, layout))
	if err != nil {
		return res, err
	}
	if indexKept {
		res.Kept = append(res.Kept, IndexFile)
	} else {
		res.Written = append(res.Written, IndexFile)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return res, fmt.Errorf("cannot list the folder %s: %v", dir, err)
	}
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || keep[name] {
			continue
		}
		path := filepath.Join(dir, name)
		stale := false
		switch {
		case strings.HasSuffix(name, ".md") && layout.owns(name):
			data, err := os.ReadFile(path)
			stale = err == nil && pristine(data)
		case strings.HasSuffix(name, ".json") && layout.Record != nil && layout.owns(strings.TrimSuffix(name, ".json")+".md"):
			// A record is only dropped when the same incident is being
			// written under its new name, so nothing it holds is lost.
			data, err := os.ReadFile(path)
			if err == nil {
				if uid := recordUID(data); uid != "" && uids[uid] != "" {
					stale = true
				}
			}
		}
		if !stale {
			continue
		}
		if err := os.Remove(path); err != nil {
			return res, fmt.Errorf("cannot remove the stale file %s: %v", path, err)
		}
		res.Removed = append(res.Removed, name)
	}
	return res, nil
}

// The generated marker: the first line of every Markdown file the
// repository writes is an HTML comment naming warroom and the SHA-256 of
// the rest of the file. A Markdown renderer shows nothing for a comment,
// and the hash tells a file exactly as warroom wrote it (replaced or
// removed freely) from one a person edited since (left alone).
const markerPrefix = "<!-- generated by warroom; "

// Generated returns data with the generated marker as its first line.
func Generated(data []byte) []byte {
	sum := sha256.Sum256(data)
	head := markerPrefix + "sha256 " + hex.EncodeToString(sum[:12]) + ". Edit the incident in warroom: an edited copy is no longer updated. -->\n"
	return append([]byte(head), data...)
}

// IsGenerated reports whether data starts with the generated marker, and
// whether the rest is still exactly what warroom wrote.
func IsGenerated(data []byte) (marked, intact bool) {
	if !bytes.HasPrefix(data, []byte(markerPrefix)) {
		return false, false
	}
	line, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return true, false
	}
	sum := sha256.Sum256(rest)
	return true, bytes.Contains(line, []byte("sha256 "+hex.EncodeToString(sum[:12])+"."))
}

func pristine(data []byte) bool {
	_, intact := IsGenerated(data)
	return intact
}

// writeGenerated writes data, with the marker, to path unless the file
// there is a person's: kept reports a file left alone. A file with no
// marker is still replaced when it holds exactly data, which is what a
// warroom from before the marker wrote.
func writeGenerated(path string, data []byte) (kept bool, err error) {
	marked := Generated(data)
	old, rerr := os.ReadFile(path)
	if rerr == nil && !pristine(old) && !bytes.Equal(old, data) {
		return true, nil
	}
	return false, writeIfChanged(path, marked)
}

// writeIfChanged replaces path with data through a temporary file and a
// rename, so a reader never sees half a file; identical content is left
// alone so a re-run does not touch modification times.
func writeIfChanged(path string, data []byte) error {
	if same, err := sameContent(path, data); err == nil && same {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".warroom-*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	return nil
}

// sameContent reports whether the file at path holds exactly data; a file
// of another size is not read.
func sameContent(path string, data []byte) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() != int64(len(data)) {
		return false, err
	}
	old := make([]byte, len(data)+1) // one more, to see the end of the file
	n, err := io.ReadFull(f, old)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return false, err
	}
	return bytes.Equal(old[:n], data), nil
}

// Slug is the part of a file name made from a title: lower-case ASCII
// letters and digits joined by single hyphens, at most 50 bytes.
func Slug(title string) string { return slug(title) }

// recordUID is the incident uid a record file names: a record of
// operations (sync's) or a JSON export.
func recordUID(data []byte) string {
	var head struct {
		UID string `json:"uid"`
	}
	if json.Unmarshal(data, &head) != nil {
		return ""
	}
	return head.UID
}
