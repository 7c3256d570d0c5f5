package statuspage

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/warroom-cli/warroom/internal/export"
)

// Result says what Write did.
type Result struct {
	Dir string
	// Written are the files whose bytes changed, Removed the incident
	// pages no incident has any more (one renamed, say); both relative to
	// Dir. Unchanged files are left alone.
	Written, Removed []string
	Files            int // files the site has
	// Warning is a problem that did not stop the page (a logo that
	// cannot be used), or nil.
	Warning error
}

// Write puts the files of a built site into dir (created if needed): each
// through a temporary file renamed into place and only when its bytes
// changed. Pages in incidents/ that warroom wrote and the site no longer
// has are removed; any other file in dir is left alone.
func Write(dir string, files map[string][]byte) (Result, error) {
	res := Result{Dir: dir, Files: len(files)}
	if err := os.MkdirAll(filepath.Join(dir, IncidentDir), 0o755); err != nil {
		return res, fmt.Errorf("cannot create the status page directory %s: %v", dir, unwrap(err))
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	// The incident pages first and the index last, so the index never
	// links to a page that is not there yet.
	slices.SortFunc(names, func(a, b string) int {
		return strings.Compare(writeOrder(a), writeOrder(b))
	})
	for _, name := range names {
		changed, err := export.WriteIfChanged(filepath.Join(dir, filepath.FromSlash(name)), files[name])
		if err != nil {
			return res, err
		}
		if changed {
			res.Written = append(res.Written, name)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, IncidentDir))
	if err != nil {
		return res, fmt.Errorf("cannot read %s: %v", filepath.Join(dir, IncidentDir), unwrap(err))
	}
	for _, e := range entries {
		name := IncidentDir + "/" + e.Name()
		if _, ok := files[name]; ok || !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		path := filepath.Join(dir, IncidentDir, e.Name())
		if data, err := os.ReadFile(path); err != nil || !IsGenerated(data) {
			continue
		}
		if err := os.Remove(path); err != nil {
			return res, fmt.Errorf("cannot remove the old page %s: %v", path, unwrap(err))
		}
		res.Removed = append(res.Removed, name)
	}
	return res, nil
}

func writeOrder(name string) string {
	if name == IndexFile {
		return "2"
	}
	if strings.HasPrefix(name, IncidentDir+"/") {
		return "0" + name
	}
	return "1" + name
}

// generatorMeta marks every page warroom writes.
var generatorMeta = []byte(`<meta name="generator" content="warroom">`)

// IsGenerated reports a file of the status page as warroom wrote it (a page
// or status.json), so the sync's merge driver can keep either side (the
// sync writes the page again from the merged records) and Write removes
// only its own pages.
func IsGenerated(data []byte) bool {
	head := data[:min(len(data), 1024)]
	if bytes.HasPrefix(head, []byte("<!DOCTYPE html>")) && bytes.Contains(head, generatorMeta) {
		return true
	}
	return bytes.HasPrefix(head, []byte("{")) && bytes.Contains(head, []byte(`"format": "`+JSONFormat+`"`))
}

// maxLogo bounds the logo file, which every page carries inline.
const maxLogo = 256 << 10

// LoadLogo reads an image file as the data: URI the pages show. The
// image is inline so the page needs no other file and opens from file://,
// and the Content-Security-Policy allows images from data: only.
func LoadLogo(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read the status page logo %s (%v); fix status_page.logo in the config", path, unwrap(err))
	}
	if len(data) > maxLogo {
		return "", fmt.Errorf("the status page logo %s is %d KiB; every page carries it inline, so keep it under %d KiB", path, len(data)>>10, maxLogo>>10)
	}
	var mime string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".svg":
		// An SVG shown through <img> runs no script; sniffing cannot
		// tell SVG from other XML, so its name decides.
		mime = "image/svg+xml"
	default:
		switch m := http.DetectContentType(data); m {
		case "image/png", "image/jpeg", "image/gif", "image/webp":
			mime = m
		default:
			return "", fmt.Errorf("the status page logo %s is not a PNG, JPEG, GIF, WebP or SVG image (it looks like %s)", path, m)
		}
	}
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data), nil
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
