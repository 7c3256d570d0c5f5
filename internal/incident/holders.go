package incident

import (
	"strings"
	"time"
)

// Tenure is one person's time in a role.
type Tenure struct {
	Person string
	From   time.Time
	// Until is when the role passed on or was cleared; zero while the
	// person still holds it.
	Until time.Time
}

// RoleHolders lists, for every role the incident has had, everyone who
// held it in the order they took it, read from the timeline as the fold
// reads it: the declaration's roles from the declaration, then each role
// entry. A role held by the same person again after someone else is a new
// tenure. Roles known only from the folded head (a copy without a
// declaration entry) are held from the incident's creation.
func RoleHolders(inc *Incident) map[string][]Tenure {
	out := map[string][]Tenure{}
	set := func(role, person string, at time.Time) {
		ts := out[role]
		if n := len(ts); n > 0 && ts[n-1].Until.IsZero() {
			if ts[n-1].Person == person {
				return
			}
			ts[n-1].Until = at
		}
		if person != "" {
			ts = append(ts, Tenure{Person: person, From: at})
		}
		out[role] = ts
	}
	entries := inc.VisibleEntries()
	for _, e := range entries {
		if e.Set.Field == FieldDeclared && e.Set.Declared != nil {
			for r, p := range e.Set.Declared.Roles {
				set(r, strings.TrimSpace(p), e.At)
			}
		}
	}
	for _, e := range entries {
		if e.Set.Field == FieldRole {
			set(e.Set.Key, strings.TrimSpace(e.Set.Value), e.At)
		}
	}
	for r, p := range inc.Roles {
		if len(out[r]) == 0 && strings.TrimSpace(p) != "" {
			out[r] = []Tenure{{Person: p, From: inc.Created}}
		}
	}
	for r, ts := range out {
		if len(ts) == 0 {
			delete(out, r)
		}
	}
	return out
}
