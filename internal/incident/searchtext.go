package incident

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchFields calls fn with every field of inc that warroom search looks
// in, in document order: the title, tags, timeline entries (not deleted
// ones), public updates, retro sections, whys and actions. where names the
// field as a hit does ("entry 12", "retro: Introduction"), at is its time
// when it has one. The search (export.NewSearchIndex) and the store's text
// index (which must never miss what the search would find) both read
// incidents through it, so they agree on what is searched.
func SearchFields(inc *Incident, fn func(where string, at time.Time, text string)) {
	fn("title", time.Time{}, inc.Title)
	for _, t := range inc.Tags {
		fn("tag", time.Time{}, t)
	}
	for _, e := range inc.Entries {
		if !e.Deleted {
			fn("entry "+strconv.FormatInt(e.ID, 10), e.At, e.Text)
		}
	}
	for _, u := range inc.Updates {
		fn("update", u.At, u.Text)
	}
	for _, s := range inc.Retro.Sections {
		fn("retro: "+CleanLine(s.Title), time.Time{}, s.Text)
	}
	for n, w := range inc.Retro.Whys {
		fn("why "+strconv.Itoa(n+1), time.Time{}, w.Why+" — "+w.Because)
	}
	for _, a := range inc.Retro.Actions {
		fn("action", time.Time{}, a.Title)
	}
}

// SearchFold lower-cases s for a case-insensitive search without changing
// its byte length: a rune whose lower case encodes to a different length
// (rare: İ, K-sign) is kept as is, so a match's offsets in the folded text
// are valid in the original.
func SearchFold(s string) string {
	ascii := true
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return s
		}
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		l := unicode.ToLower(r)
		if utf8.RuneLen(l) != utf8.RuneLen(r) {
			l = r
		}
		b = utf8.AppendRune(b, l)
	}
	return string(b)
}
