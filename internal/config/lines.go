package config

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
)

var (
	tableHeader = regexp.MustCompile(`^\s*\[\[?\s*([^\]]+?)\s*\]\]?`)
	keyAssign   = regexp.MustCompile(`^\s*([A-Za-z0-9_."' -]+?)\s*=`)
)

// keyLine finds the line (1-based) where key is set or its table begins,
// 0 when it cannot tell: the TOML decoder keeps no positions, and a
// warning that names the line is one a person can act on at once.
func keyLine(text string, key []string) int {
	want := strings.Join(key, ".")
	var table string
	for i, l := range strings.Split(text, "\n") {
		if m := tableHeader.FindStringSubmatch(l); m != nil {
			table = dotted(m[1])
			if table == want {
				return i + 1
			}
			continue
		}
		if m := keyAssign.FindStringSubmatch(l); m != nil {
			full := dotted(m[1])
			if table != "" {
				full = table + "." + full
			}
			if full == want {
				return i + 1
			}
		}
	}
	return 0
}

// dotted normalises a TOML key as written (quotes, spaces around dots).
func dotted(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// tomlMessage is the decoder's complaint without its own position prefix.
func tomlMessage(err error) string {
	var pe toml.ParseError
	if errors.As(err, &pe) && pe.Message != "" {
		return pe.Message
	}
	return err.Error()
}

// expandHome turns a leading ~/ into the home directory, as a shell would.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}
