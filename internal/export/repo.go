package export

import (
	"bytes"
	"cmp"
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
				inc.Key(), FileName(inc), Inline(inc.Title), inc.Severity, inc.Status,
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
		b.WriteString("\n| Incident | Action | Kind | Owner | Due | |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, a := range st.Actions.Items {
			over := ""
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
}

// WriteAll writes one Markdown file per incident and index.md into dir,
// creating it if needed. It is safe to re-run into the same directory:
// files are replaced atomically, unchanged ones are left alone, and
// incident files this run did not write (an incident renamed since, so its
// slug changed) are removed. Other files in dir are never touched.
func WriteAll(dir string, incs []*incident.Incident, opts Options, now time.Time) (WriteResult, error) {
	var res WriteResult
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, fmt.Errorf("cannot create the folder %s: %v", dir, err)
	}
	// Rendering is nearly all of the cost and each file is its own, so
	// the incidents are shared out among the processors; the first error
	// in incident order is the one reported.
	errs := make([]error, len(incs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(incs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(incs) {
					return
				}
				data, err := Markdown(incs[i], opts)
				if err == nil {
					err = writeIfChanged(filepath.Join(dir, FileName(incs[i])), data)
				}
				errs[i] = err
			}
		})
	}
	wg.Wait()
	keep := map[string]bool{IndexFile: true}
	for i, inc := range incs {
		if errs[i] != nil {
			return res, errs[i]
		}
		name := FileName(inc)
		keep[name] = true
		res.Written = append(res.Written, name)
	}
	if err := writeIfChanged(filepath.Join(dir, IndexFile), Index(incs, opts, now)); err != nil {
		return res, err
	}
	res.Written = append(res.Written, IndexFile)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return res, fmt.Errorf("cannot list the folder %s: %v", dir, err)
	}
	for _, e := range ents {
		name := e.Name()
		if e.Type().IsRegular() && ownFile(name) && !keep[name] {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return res, fmt.Errorf("cannot remove the stale file %s: %v", filepath.Join(dir, name), err)
			}
			res.Removed = append(res.Removed, name)
		}
	}
	return res, nil
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
