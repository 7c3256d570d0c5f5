package export

import (
	"bytes"
	"encoding/binary"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Hit is one search result: which incident, where in it, and a snippet of
// the matching text around the match.
type Hit struct {
	Incident string     `json:"incident"` // "INC-7"
	Title    string     `json:"title"`    // the incident's title, cleaned
	Where    string     `json:"where"`    // "title", "entry 12", "update", "retro: Introduction", "why 2", "action", "tag"
	At       *time.Time `json:"at"`       // when the matching entry or update happened, if it has a time
	Snippet  string     `json:"snippet"`  // cleaned, one line, the match with some context
}

// SearchIndex holds the searchable text of many incidents, cleaned and
// case-folded once so that each query is a plain substring scan.
type SearchIndex struct {
	fields []field
	titles []string
	keys   []string
}

type field struct {
	inc    int
	where  string
	at     time.Time
	text   string // cleaned, one line
	folded string // fold(text): same byte length, so offsets carry over
}

// NewSearchIndex prepares the text of incs for Search: titles, tags,
// timeline entries (not deleted ones), public updates, retro sections,
// whys and actions.
func NewSearchIndex(incs []*incident.Incident) *SearchIndex {
	x := &SearchIndex{}
	for i, inc := range incs {
		x.titles = append(x.titles, incident.CleanLine(inc.Title))
		x.keys = append(x.keys, inc.Key())
		incident.SearchFields(inc, func(where string, at time.Time, s string) {
			t := incident.CleanLine(s)
			if strings.TrimSpace(t) == "" {
				return
			}
			x.fields = append(x.fields, field{inc: i, where: where, at: at, text: t, folded: fold(t)})
		})
	}
	return x
}

// Search finds query, case-insensitively, in every incident's title,
// tags, entries, updates and retro. It returns one hit per matching field,
// in incident order then document order; an empty query finds nothing.
func (x *SearchIndex) Search(query string) []Hit {
	q := fold(strings.TrimSpace(incident.CleanLine(query)))
	if q == "" {
		return nil
	}
	var hits []Hit
	for i := range x.fields {
		f := &x.fields[i]
		at := strings.Index(f.folded, q)
		if at < 0 {
			continue
		}
		h := Hit{Incident: x.keys[f.inc], Title: x.titles[f.inc], Where: f.where, Snippet: snippet(f.text, at, at+len(q))}
		if !f.at.IsZero() {
			t := f.at
			h.At = &t
		}
		hits = append(hits, h)
	}
	return hits
}

// Search is NewSearchIndex(incs).Search(query), for a single query.
func Search(incs []*incident.Incident, query string) []Hit {
	return NewSearchIndex(incs).Search(query)
}

// EntryMayMatch returns a test of a timeline entry's stored JSON that is
// false only when Search for query cannot find the entry, so that a store
// reading every incident for one search (store.IncidentsForSearch) need not
// copy or decode the entries that cannot match, which at scale are nearly
// all of them.
//
// It is exact in one direction only. An entry whose stored record holds
// only printable ASCII and no backslash has a text that is printable ASCII,
// stored verbatim (encoding/json writes such text as it is, escaping only
// control characters, non-ASCII line separators, ", \, <, > and &, each
// with a backslash), and that CleanLine leaves as it is; fold then only
// lower-cases its ASCII letters. So a match in such a text is a match,
// ignoring ASCII case, somewhere in the record. Every other record (an
// escape, text beyond ASCII, DEL) is let through and decoded, and so is a
// record where the query appears in another field: that costs a decode,
// never a hit.
func EntryMayMatch(query string) func(entry []byte) bool {
	q := []byte(fold(strings.TrimSpace(incident.CleanLine(query))))
	if len(q) == 0 {
		return func([]byte) bool { return false } // Search finds nothing
	}
	return func(rec []byte) bool {
		return bytes.IndexByte(rec, '\\') >= 0 || !printableASCII(rec) || containsFoldASCII(rec, q)
	}
}

// printableASCII reports whether b holds only the bytes 0x20 to 0x7e. It
// looks at eight bytes at a time: this runs over every entry of every
// incident on each search.
func printableASCII(b []byte) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	for ; len(b) >= 8; b = b[8:] {
		x := binary.LittleEndian.Uint64(b)
		// A byte of 0x80 or more sets its top bit in x. With every byte
		// below 0x80, subtracting 0x20 from each borrows into the top bit
		// of a byte below 0x20 only, and adding 1 to each carries into the
		// top bit of 0x7f only; neither reaches the next byte unless a
		// byte was already out of range.
		if (x|(x-0x20*ones)|(x+ones))&tops != 0 {
			return false
		}
	}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// containsFoldASCII reports whether s contains q, ignoring the case of
// ASCII letters; q is lower case and not empty. It jumps between the
// occurrences of q's first byte in either case (bytes.IndexByte is
// vectorised) and compares only there.
func containsFoldASCII(s, q []byte) bool {
	first, other := q[0], q[0]
	if 'a' <= first && first <= 'z' {
		other = first - ('a' - 'A')
	}
	last := len(s) - len(q) // the last place a match can start
	next := func(from int, c byte) int {
		if i := bytes.IndexByte(s[from:last+1], c); i >= 0 {
			return from + i
		}
		return len(s)
	}
	a, b := -1, -1 // the next occurrence of first, of other, at or after i
	for i := 0; i <= last; i++ {
		if a < i {
			a = next(i, first)
		}
		if b < i {
			b = next(i, other)
		}
		if i = min(a, b); i > last {
			return false
		}
		if equalFoldASCII(s[i+1:i+len(q)], q[1:]) {
			return true
		}
	}
	return false
}

// equalFoldASCII reports whether s, lower-cased in ASCII, is q.
func equalFoldASCII(s, q []byte) bool {
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != q[i] {
			return false
		}
	}
	return true
}

// fold is the case folding of a search (incident.SearchFold).
func fold(s string) string { return incident.SearchFold(s) }

const snippetContext = 40

// snippet cuts about snippetContext bytes either side of s[from:to] at rune
// boundaries, marking cuts with an ellipsis.
func snippet(s string, from, to int) string {
	start := max(0, from-snippetContext)
	for start > 0 && !utf8.RuneStart(s[start]) {
		start--
	}
	end := min(len(s), to+snippetContext)
	for end < len(s) && !utf8.RuneStart(s[end]) {
		end++
	}
	out := strings.TrimSpace(s[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(s) {
		out += "…"
	}
	return out
}
