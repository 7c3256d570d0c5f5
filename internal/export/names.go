package export

import (
	"strings"

	"github.com/warroom-cli/warroom/internal/incident"
)

// uidLen is how much of the uid a shared file name carries: all of it, so
// that two incidents can never share a file.
const uidLen = 64

// BaseName is the name every laptop gives inc's shared files (the
// repository's record and Markdown, the status page's incident page),
// without an extension: "checkout-failing-3f9a2c1b…". It is made from the
// title and the uid, never from INC-n, which each database numbers on its
// own, so every laptop writes the same incident under the same name.
func BaseName(inc *incident.Incident) string {
	tag := inc.UID
	if tag == "" {
		tag = inc.Key()
	}
	// uids are hex, but an imported file may carry any; the name keeps
	// to the characters of a slug.
	tag = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, tag)
	if len(tag) > uidLen {
		tag = tag[:uidLen]
	}
	return slug(inc.Title) + "-" + tag
}

// WriteIfChanged writes data to path unless the file already holds exactly
// that, through a temporary file renamed into place, so a reader (a web
// server, a sync) never sees half a file. It reports whether it wrote.
func WriteIfChanged(path string, data []byte) (bool, error) {
	if same, err := sameContent(path, data); err == nil && same {
		return false, nil
	}
	return true, writeIfChanged(path, data)
}
