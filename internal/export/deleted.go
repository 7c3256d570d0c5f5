package export

import (
	"strings"

	"github.com/warroom-cli/warroom/internal/incident"
)

// What is shared (the Markdown, the repository's files, the feed, the
// webhooks) never carries the text of a deleted entry: an entry is deleted
// because it was wrong, or a secret pasted by mistake. The store's
// deletion and restore entries quote the entry they are about, so the
// export tells of them without it.

// sharedEntryText is the text of e as it may leave warroom: a deletion or
// restore entry becomes "An entry was deleted by X at T", at is T as the
// document shows times.
func sharedEntryText(e incident.Entry, at string) string {
	who := strings.TrimSpace(e.Author)
	if who == "" {
		who = "someone"
	}
	switch e.Set.Field {
	case incident.FieldDelete:
		return "An entry was deleted by " + who + " at " + at
	case incident.FieldRestore:
		return "An entry was restored by " + who + " at " + at
	}
	return e.Text
}

// deletedTexts are the texts of inc's deleted entries, for scrubbing
// them out of text written while they were visible (a handover brief
// quoting a starred entry that was later deleted).
func deletedTexts(inc *incident.Incident) []string {
	var out []string
	for _, e := range inc.Entries {
		if t := strings.TrimSpace(e.Text); e.Deleted && t != "" {
			out = append(out, t)
		}
	}
	return out
}

// withoutDeleted replaces every quote of a deleted entry's text in s.
func withoutDeleted(s string, deleted []string) string {
	for _, d := range deleted {
		if strings.Contains(s, d) {
			s = strings.ReplaceAll(s, d, "(a deleted entry)")
		}
	}
	return s
}
