package config

import (
	"fmt"
	"path/filepath"
	"strings"
)

// StatusPage is where and how the public status page is written
// (product.md §10):
//
//	status_page_dir = "~/public/status"   # regenerated after every publish
//
//	[status_page]
//	org = "Example Ltd"                   # named in the page's header and title
//	logo = "logo.png"                     # a PNG, JPEG, GIF, WebP or SVG file, embedded in the page
//	show_names = false                    # name who published each update
type StatusPage struct {
	// Dir is status_page_dir (absolute), or "" when no page is kept.
	Dir string
	// Org names the organisation; "" shows no name.
	Org string
	// Logo is the path of the logo file (absolute), or "".
	Logo string
	// ShowNames puts the name of who published each update on the page;
	// by default a public page names nobody.
	ShowNames bool
}

type statusPageFile struct {
	Org       *string `toml:"org"`
	Logo      *string `toml:"logo"`
	ShowNames *bool   `toml:"show_names"`
}

// readStatusPage reads status_page_dir and [status_page]. Relative paths
// are from the config directory, as export_dir's are.
func (c *Config) readStatusPage(dir *string, f *statusPageFile, at func(key ...string) string, set func(string)) {
	path := func(p string) string {
		p = expandHome(strings.TrimSpace(p))
		if p != "" && !filepath.IsAbs(p) {
			p = filepath.Join(c.Dir, p)
		}
		return p
	}
	if dir != nil {
		if d := path(*dir); d == "" {
			c.warn("%s: status_page_dir is empty, so no status page is written after a publish; name a directory or remove the key", at("status_page_dir"))
		} else {
			c.StatusPage.Dir = d
			set("status_page_dir")
		}
	}
	if f == nil {
		return
	}
	if f.Org != nil {
		c.StatusPage.Org = strings.TrimSpace(*f.Org)
		set("status_page.org")
	}
	if f.Logo != nil {
		if l := path(*f.Logo); l == "" {
			c.warn("%s: status_page.logo is empty, so the page shows no logo; name an image file or remove the key", at("status_page", "logo"))
		} else {
			c.StatusPage.Logo = l
			set("status_page.logo")
		}
	}
	if f.ShowNames != nil {
		c.StatusPage.ShowNames = *f.ShowNames
		set("status_page.show_names")
	}
}

// statusPageValue renders a status page key for `warroom config`.
func (c *Config) statusPageValue(key string) string {
	sp := c.StatusPage
	switch key {
	case "status_page_dir":
		if sp.Dir == "" {
			return "(none: the page is written only by warroom status-page --dir)"
		}
		return sp.Dir
	case "status_page.org":
		if sp.Org == "" {
			return "(none)"
		}
		return sp.Org
	case "status_page.logo":
		if sp.Logo == "" {
			return "(none)"
		}
		return sp.Logo
	case "status_page.show_names":
		return fmt.Sprint(sp.ShowNames)
	}
	return ""
}
