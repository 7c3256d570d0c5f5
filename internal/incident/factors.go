package incident

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Contributing factors sit beside the five-whys chain. One linear chain
// suggests a single cause; practitioners (Allspaw's "Infinite Hows", Card's
// "The problem with 5 whys") ask instead for the several conditions that
// together made the incident possible, each backed by what the timeline
// shows, and for the places where the team got lucky. A factor names a
// short cause, links to the timeline entries that show it (by uid, so the
// link survives imports and other databases' entry numbers), and may be
// flagged as luck. Actions can say which factor or why they address.

// MaxFactorRunes bounds a factor's cause: a short cause, one line; the
// detail belongs in the linked entries or the section's prose.
const MaxFactorRunes = 300

// Factor is one contributing factor.
type Factor struct {
	UID   string `json:"uid,omitzero"`
	Cause string `json:"cause,omitzero"`
	// Evidence holds the uids of the timeline entries that show the factor.
	Evidence []string `json:"evidence,omitzero"`
	// Lucky marks a place where things could have gone worse.
	Lucky  bool   `json:"lucky,omitzero"`
	Author string `json:"author,omitzero"`
	// EditedBy is who last changed it, so a notice can name them.
	EditedBy string `json:"edited_by,omitzero"`
}

// checkCause cleans a typed cause: one trimmed line within its limit.
func checkCause(cause string) (string, error) {
	cause = strings.Join(strings.Fields(CleanLine(cause)), " ")
	if cause == "" {
		return "", errors.New("the factor is empty; name a condition that helped the incident happen")
	}
	if n := utf8.RuneCountInString(cause); n > MaxFactorRunes {
		return "", fmt.Errorf("the factor is %d characters long, over the limit of %d; name the cause briefly and link the timeline entries that show it", n, MaxFactorRunes)
	}
	return cause, nil
}

// factorIndex finds a factor by uid.
func (r *Retro) factorIndex(uid string) (int, error) {
	i := slices.IndexFunc(r.Factors, func(f Factor) bool { return f.UID == uid })
	if i < 0 || uid == "" {
		return -1, errors.New("that contributing factor was deleted meanwhile")
	}
	return i, nil
}

// Factor returns the factor with that uid, or nil.
func (r *Retro) Factor(uid string) *Factor {
	i, err := r.factorIndex(uid)
	if err != nil {
		return nil
	}
	return &r.Factors[i]
}

// AddFactor appends a contributing factor and returns it as stored; its UID
// comes from uid.
func AddFactor(r *Retro, cause string, lucky bool, author string, now time.Time, uid func() string) (Factor, error) {
	cause, err := checkCause(cause)
	if err != nil {
		return Factor{}, err
	}
	f := Factor{UID: uid(), Cause: cause, Lucky: lucky, Author: author}
	r.Factors = append(r.Factors, f)
	r.contribute(SectionWhys, author, now)
	return f, nil
}

// EditFactorFrom saves an edit of the cause of factor uid, which read base
// when the form opened: a teammate's change of the same cause meanwhile is
// merged (both wordings kept), and a factor deleted meanwhile is added
// again. The note, when not empty, says what happened.
func EditFactorFrom(r *Retro, uid string, base Factor, cause, author string, now time.Time, newUID func() string) (string, error) {
	cause, err := checkCause(cause)
	if err != nil {
		return "", err
	}
	i, err := r.factorIndex(uid)
	if err != nil {
		f := Factor{UID: newUID(), Cause: cause, Evidence: slices.Clone(base.Evidence), Lucky: base.Lucky, Author: author}
		r.Factors = append(r.Factors, f)
		r.contribute(SectionWhys, author, now)
		return "That factor was deleted by " + r.deleter(uid, author) + " meanwhile; yours is added again", nil
	}
	f := &r.Factors[i]
	merged, both := mergeField(base.Cause, cause, f.Cause)
	if merged == f.Cause {
		return "", nil
	}
	f.Cause = merged
	r.contribute(SectionWhys, author, now)
	if both {
		return fmt.Sprintf("Factor %d was changed by %s meanwhile; both wordings are kept", i+1, orSomeoneElse(f.EditedBy, author)), nil
	}
	return "", nil
}

// DeleteFactor removes a factor. Actions that addressed it keep their
// title; their link then says the factor is gone.
func DeleteFactor(r *Retro, uid, author string, now time.Time) error {
	i, err := r.factorIndex(uid)
	if err != nil {
		return err
	}
	r.Factors = slices.Delete(r.Factors, i, i+1)
	r.contribute(SectionWhys, author, now)
	return nil
}

// ToggleLucky flips the "where we got lucky" flag and returns the new value.
func ToggleLucky(r *Retro, uid, author string, now time.Time) (bool, error) {
	i, err := r.factorIndex(uid)
	if err != nil {
		return false, err
	}
	r.Factors[i].Lucky = !r.Factors[i].Lucky
	r.contribute(SectionWhys, author, now)
	return r.Factors[i].Lucky, nil
}

// SetEvidence replaces the entries linked to a factor, keeping their order
// as given and dropping repeats. Only what the person changed is applied:
// links added since base are added, links removed since base removed, so a
// teammate's links made meanwhile stay.
func SetEvidence(r *Retro, uid string, base, chosen []string, author string, now time.Time) error {
	i, err := r.factorIndex(uid)
	if err != nil {
		return err
	}
	f := &r.Factors[i]
	before := slices.Clone(f.Evidence)
	var out []string
	for _, e := range f.Evidence {
		if slices.Contains(base, e) && !slices.Contains(chosen, e) {
			continue // removed by this person
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	for _, e := range chosen {
		if e != "" && !slices.Contains(base, e) && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	if slices.Equal(before, out) {
		return nil
	}
	f.Evidence = out
	r.contribute(SectionWhys, author, now)
	return nil
}

// EvidenceLink is one evidence link as shown: the entry it points to, or
// Deleted when the entry was deleted (or never reached this database).
type EvidenceLink struct {
	UID     string
	Entry   Entry
	Deleted bool
}

// Evidence resolves a factor's links against the incident's timeline, in
// one pass over it whatever the number of links.
func (inc *Incident) Evidence(f Factor) []EvidenceLink {
	if len(f.Evidence) == 0 {
		return nil
	}
	found := make(map[string]*Entry, len(f.Evidence))
	for _, uid := range f.Evidence {
		found[uid] = nil
	}
	for i := range inc.Entries {
		if uid := inc.Entries[i].UID; uid != "" {
			if _, want := found[uid]; want {
				found[uid] = &inc.Entries[i]
			}
		}
	}
	out := make([]EvidenceLink, 0, len(f.Evidence))
	for _, uid := range f.Evidence {
		l := EvidenceLink{UID: uid, Deleted: true}
		if e := found[uid]; e != nil {
			l.Entry, l.Deleted = *e, e.Deleted
		}
		out = append(out, l)
	}
	return out
}

// AddressLabel names what an action addresses ("factor 2", "why 3"), or
// says it is gone; "" when the action names nothing.
func (r *Retro) AddressLabel(uid string) string {
	if uid == "" {
		return ""
	}
	if i := slices.IndexFunc(r.Factors, func(f Factor) bool { return f.UID == uid }); i >= 0 {
		return fmt.Sprintf("factor %d", i+1)
	}
	if i := slices.IndexFunc(r.Whys, func(w Why) bool { return w.UID == uid }); i >= 0 {
		return fmt.Sprintf("why %d", i+1)
	}
	return "a deleted factor or why"
}

// ParseAddress reads what an action addresses as typed in its form: "f2"
// or "factor 2" for a factor, "w3" or "why 3" for a step of the chain, ""
// for nothing. It returns the uid.
func (r *Retro) ParseAddress(s string) (string, error) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	if s == "" {
		return "", nil
	}
	bad := fmt.Errorf("%q names no factor or why; type f1 for factor 1 or w2 for why 2, or leave it empty", s)
	var n int
	switch {
	case strings.HasPrefix(s, "factor"):
		s = "f" + strings.TrimPrefix(s, "factor")
	case strings.HasPrefix(s, "why"):
		s = "w" + strings.TrimPrefix(s, "why")
	}
	if len(s) < 2 {
		return "", bad
	}
	if _, err := fmt.Sscanf(s[1:], "%d", &n); err != nil || fmt.Sprint(n) != s[1:] {
		return "", bad
	}
	switch s[0] {
	case 'f':
		if n < 1 || n > len(r.Factors) {
			return "", fmt.Errorf("there is no factor %d; the retro has %d", n, len(r.Factors))
		}
		return r.Factors[n-1].UID, nil
	case 'w':
		if n < 1 || n > len(r.Whys) {
			return "", fmt.Errorf("there is no why %d; the chain has %d", n, len(r.Whys))
		}
		if r.Whys[n-1].UID == "" {
			return "", errors.New("that why has no id yet; save the chain once and try again")
		}
		return r.Whys[n-1].UID, nil
	}
	return "", bad
}

// AddressCode is the short form ParseAddress reads back ("f2", "w3").
func (r *Retro) AddressCode(uid string) string {
	label := r.AddressLabel(uid)
	var n int
	if _, err := fmt.Sscanf(label, "factor %d", &n); err == nil {
		return fmt.Sprintf("f%d", n)
	}
	if _, err := fmt.Sscanf(label, "why %d", &n); err == nil {
		return fmt.Sprintf("w%d", n)
	}
	return ""
}
