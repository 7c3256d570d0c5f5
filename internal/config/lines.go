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

// nearestKey is the known key a typo most likely meant (at most two edits
// away, and fewer than half its letters), or "".
func nearestKey(k string) string {
	best, bestD := "", 3
	for _, known := range Keys {
		if d := editDistance(k, known); d < bestD && d*2 < len(known) {
			best, bestD = known, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
