package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// A manifest lets a re-run of export --all skip incidents that have not
// changed: for each incident (by uid) the file it was written to, the
// stamp of the record it was rendered from, and the size and time of the
// file as written. It is kept outside the folder (ManifestPath), since the
// folder is meant to be committed and the file times are this machine's:
// in the folder, two teammates' manifests would conflict on every merge. A stamp is the store's
// fingerprint of the stored bytes (store.IncidentsForExportIf), so an
// incident whose stamp, options and file all match is left alone without
// reading its timeline or rendering it.

// ManifestPath is where the manifest of the export folder dir is kept: in
// the user's cache directory, named by the folder's absolute path. Losing
// it only costs one full export.
func ManifestPath(cacheDir, dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cacheDir, "warroom", "export", hex.EncodeToString(sum[:12])+".json")
}

// markdownVersion names the rendering code: bump it when a change to the
// code (not the template) changes the Markdown, so that existing folders
// are rendered again. The build's VCS revision is part of the key too.
const markdownVersion = 1

// Manifest is what ReadManifest found in a folder.
type Manifest struct {
	Options string                   `json:"options"` // the key of the renderer and its options
	Files   map[string]ManifestEntry `json:"files"`   // by incident uid
	// Feed is feed.atom, its stamp made from every incident's.
	Feed  ManifestEntry `json:"feed"`
	key   string
	path  string
	fresh map[string]bool // Fresh's answers, so each file is looked at once
}

// ManifestEntry is one incident's file as the last export wrote it.
type ManifestEntry struct {
	File    string    `json:"file"`
	Stamp   string    `json:"stamp"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mod_time"`
}

// optionsKey identifies everything besides the record that the Markdown
// depends on: the code, the built-in or configured template, the zone and
// the policy.
func optionsKey(opts Options) string {
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%+v\x00%s\x00%s\x00", markdownVersion, loc.String(), opts.Zone, opts.Policy, opts.Template, builtinTemplate)
	// time.Local is named "Local" whatever TZ says: its offsets in winter
	// and summer tell one zone from another.
	for _, month := range []time.Month{time.January, time.July} {
		fmt.Fprintf(h, "%s\x00", time.Date(2026, month, 1, 12, 0, 0, 0, time.UTC).In(loc).Format("-0700 MST"))
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprintf(h, "%s=%s\x00", s.Key, s.Value)
			}
		}
		fmt.Fprintf(h, "%s\x00", bi.Main.Version)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ReadManifest reads the manifest at path for a run with opts; "" means
// none is kept. A missing or unreadable manifest, or one written with
// other options, is an empty one: everything is rendered, as without one.
func ReadManifest(path string, opts Options) *Manifest {
	m := &Manifest{key: optionsKey(opts), path: path}
	data, err := os.ReadFile(path)
	if err == nil {
		var old Manifest
		if json.Unmarshal(data, &old) == nil && old.Options == m.key {
			m.Files, m.Feed = old.Files, old.Feed
		}
	}
	if m.Files == nil {
		m.Files = map[string]ManifestEntry{}
	}
	return m
}

// Fresh reports whether the incident uid with stamp is in dir exactly as
// the last export left it, so rendering it again would give the same file.
func (m *Manifest) Fresh(dir, uid, stamp string) bool {
	e, ok := m.Files[uid]
	if !ok || e.Stamp != stamp {
		return false
	}
	key := uid + "\x00" + stamp
	if f, ok := m.fresh[key]; ok {
		return f
	}
	fi, err := os.Stat(filepath.Join(dir, e.File))
	f := err == nil && fi.Size() == e.Size && fi.ModTime().Equal(e.ModTime)
	if m.fresh == nil {
		m.fresh = map[string]bool{}
	}
	m.fresh[key] = f
	return f
}

// WriteAllStamped is WriteAll and WriteFeed for incidents read with
// store.IncidentsForExportIf and the manifest it consulted: an incident
// the manifest has fresh is not rendered (it may come without entries),
// the others are written as WriteAll writes them; the feed is only made
// again when an incident's stamp moved; and the manifest is saved for the
// next run.
func WriteAllStamped(dir string, incs []*incident.Incident, stamps []string, m *Manifest, opts Options, now time.Time) (WriteResult, error) {
	st := &stamping{stamps: stamps, m: m, fresh: make([]bool, len(incs))}
	// The same question, with the same (remembered) answer, that decided
	// whether the timeline was read: an incident read without its entries
	// is never rendered. Its file name is covered by the stamp (the head
	// holds the id and the title).
	for i, inc := range incs {
		st.fresh[i] = inc.UID != "" && m.Fresh(dir, inc.UID, stamps[i])
	}
	res, err := writeRepo(dir, incs, opts, now, Layout{}, st)
	if err != nil {
		return res, err
	}
	feedStamp := feedStampOf(incs, stamps, now)
	feed := filepath.Join(dir, FeedFile)
	if !m.feedFresh(dir, feedStamp) {
		if err := WriteFeed(dir, incs, now); err != nil {
			return res, err
		}
	}
	if m.path == "" {
		return res, nil
	}
	next := &Manifest{Options: m.key, Files: map[string]ManifestEntry{}}
	if fi, err := os.Stat(feed); err == nil {
		next.Feed = ManifestEntry{File: FeedFile, Stamp: feedStamp, Size: fi.Size(), ModTime: fi.ModTime()}
	}
	for i, inc := range incs {
		if inc.UID == "" || st.kept[i] {
			continue
		}
		if st.fresh[i] {
			next.Files[inc.UID] = m.Files[inc.UID]
			continue
		}
		name := FileName(inc)
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		next.Files[inc.UID] = ManifestEntry{File: name, Stamp: stamps[i], Size: fi.Size(), ModTime: fi.ModTime()}
	}
	data, err := json.MarshalIndent(next, "", " ")
	if err != nil {
		return res, err
	}
	// The manifest is a cache: failing to keep it costs the next run time,
	// not correctness, so it is no reason to fail an export that worked.
	if err := os.MkdirAll(filepath.Dir(m.path), 0o700); err == nil {
		_ = writeIfChanged(m.path, append(data, '\n'))
	}
	return res, nil
}

// feedStampOf is the feed's stamp: the feed shows the incidents' heads and
// updates, which their stamps cover, and the clock only while there is no
// update at all.
func feedStampOf(incs []*incident.Incident, stamps []string, now time.Time) string {
	h := sha256.New()
	updates := 0
	for i := range incs {
		fmt.Fprintf(h, "%s\x00", stamps[i])
		updates += len(incs[i].Updates)
	}
	if updates == 0 {
		fmt.Fprintf(h, "%s", atomTime(now))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func (m *Manifest) feedFresh(dir, stamp string) bool {
	fi, err := os.Stat(filepath.Join(dir, FeedFile))
	return err == nil && m.Feed.Stamp == stamp && fi.Size() == m.Feed.Size && fi.ModTime().Equal(m.Feed.ModTime)
}

// FeedFresh reports whether the feed in dir is what WriteAllStamped would
// write for incs and stamps at now, so that it need not be written again:
// the incidents may then come without their updates' text (only their
// number counts).
func (m *Manifest) FeedFresh(dir string, incs []*incident.Incident, stamps []string, now time.Time) bool {
	return m.feedFresh(dir, feedStampOf(incs, stamps, now))
}

// stamping carries WriteAllStamped's view of the folder into writeRepo.
type stamping struct {
	stamps []string
	m      *Manifest
	fresh  []bool // not to be rendered again
	kept   []bool // filled in by writeRepo: left alone as a person's
}
