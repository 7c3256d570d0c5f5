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

// ManifestFile is the file in an exported folder that lets a re-run skip
// incidents that have not changed: for each incident (by uid) the file it
// was written to, the stamp of the record it was rendered from, and the
// size and time of the file as written. A stamp is the store's
// fingerprint of the stored bytes (store.IncidentsForExportIf), so an
// incident whose stamp, options and file all match is left alone without
// reading its timeline or rendering it.
const ManifestFile = ".warroom-export.json"

// markdownVersion names the rendering code: bump it when a change to the
// code (not the template) changes the Markdown, so that existing folders
// are rendered again. The build's VCS revision is part of the key too.
const markdownVersion = 1

// Manifest is what ReadManifest found in a folder.
type Manifest struct {
	Options string                   `json:"options"` // the key of the renderer and its options
	Files   map[string]ManifestEntry `json:"files"`   // by incident uid
	key     string
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

// ReadManifest reads dir's manifest for a run with opts. A missing or
// unreadable manifest, or one written with other options, is an empty
// one: everything is rendered, as without a manifest.
func ReadManifest(dir string, opts Options) *Manifest {
	m := &Manifest{key: optionsKey(opts)}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err == nil {
		var old Manifest
		if json.Unmarshal(data, &old) == nil && old.Options == m.key {
			m.Files = old.Files
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
	fi, err := os.Stat(filepath.Join(dir, e.File))
	return err == nil && fi.Size() == e.Size && fi.ModTime().Equal(e.ModTime)
}

// WriteAllStamped is WriteAll for incidents read with
// store.IncidentsForExportIf and the manifest it consulted: an incident
// the manifest has fresh is not rendered (it may come without entries),
// the others are written as WriteAll writes them, and the manifest is
// saved for the next run.
func WriteAllStamped(dir string, incs []*incident.Incident, stamps []string, m *Manifest, opts Options, now time.Time) (WriteResult, error) {
	st := &stamping{stamps: stamps, m: m, fresh: make([]bool, len(incs))}
	for i, inc := range incs {
		st.fresh[i] = inc.UID != "" && m.Fresh(dir, inc.UID, stamps[i]) && m.Files[inc.UID].File == FileName(inc)
	}
	res, err := writeRepo(dir, incs, opts, now, Layout{}, st)
	if err != nil {
		return res, err
	}
	next := &Manifest{Options: m.key, Files: map[string]ManifestEntry{}}
	for i, inc := range incs {
		if inc.UID == "" || st.kept[i] {
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
	return res, writeIfChanged(filepath.Join(dir, ManifestFile), append(data, '\n'))
}

// stamping carries WriteAllStamped's view of the folder into writeRepo.
type stamping struct {
	stamps []string
	m      *Manifest
	fresh  []bool // not to be rendered again
	kept   []bool // filled in by writeRepo: left alone as a person's
}
