package incident

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// SetPerspective writes author's own perspective in the section titled
// title (added if missing), and only theirs: a perspective is never written
// by anyone else, so two people writing at once never overwrite each other.
// An empty text removes the perspective. Writing one makes the author a
// contributor of the section. It reports the text as it was before.
func SetPerspective(r *Retro, title, author, text string, now time.Time) (string, error) {
	author = strings.TrimSpace(author)
	if author == "" {
		return "", errors.New("a perspective needs its author; set author in the config")
	}
	if len(text) > MaxTextBytes {
		return "", errors.New("the perspective is over the 64 KB limit; shorten it or link to a document")
	}
	i := r.SectionIndex(title)
	if i < 0 {
		if strings.TrimSpace(text) == "" {
			return "", nil
		}
		r.Sections = append(r.Sections, Section{Title: strings.TrimSpace(title)})
		i = len(r.Sections) - 1
	}
	s := &r.Sections[i]
	j := slices.IndexFunc(s.Perspectives, func(p Perspective) bool { return p.Author == author })
	before := ""
	if j >= 0 {
		before = s.Perspectives[j].Text
	}
	switch {
	case strings.TrimSpace(text) == "" && j >= 0:
		s.Perspectives = slices.Delete(s.Perspectives, j, j+1)
	case strings.TrimSpace(text) == "":
		return before, nil
	case j >= 0:
		if s.Perspectives[j].Text == text {
			return before, nil
		}
		s.Perspectives[j].Text, s.Perspectives[j].Edited = text, now
	default:
		s.Perspectives = append(s.Perspectives, Perspective{Author: author, Text: text, Edited: now})
	}
	s.Contributors = AddContributor(s.Contributors, author)
	return before, nil
}

// PerspectiveOf is author's perspective in the section titled title, or "".
func (r *Retro) PerspectiveOf(title, author string) string {
	s := r.Section(title)
	if s == nil {
		return ""
	}
	for _, p := range s.Perspectives {
		if p.Author == author {
			return p.Text
		}
	}
	return ""
}
