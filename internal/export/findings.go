package export

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// FindingLine is one possible deficiency the retro screen finds (a late or
// missed public update, a slow acknowledgement, a gap), for the Timeline
// section.
type FindingLine struct {
	Time string
	Kind string // "late-update", "gap", ...
	Text string // one line, escaped
}

// findingLines are incident.Findings with their times in loc, as the
// retro screen lists them.
func findingLines(inc *incident.Incident, p incident.Policy, loc *time.Location, when func(time.Time) string) []FindingLine {
	var out []FindingLine
	for _, f := range incident.Findings(inZone(inc, loc), p) {
		out = append(out, FindingLine{Time: when(f.At), Kind: string(f.Kind), Text: Inline(f.Text)})
	}
	return out
}

// inZone is a copy of inc with the times Findings reads and writes into
// its sentences in loc; the instants are unchanged.
func inZone(inc *incident.Incident, loc *time.Location) *incident.Incident {
	c := *inc
	c.Created = inc.Created.In(loc)
	c.Milestones = maps.Clone(inc.Milestones)
	for m, t := range c.Milestones {
		c.Milestones[m] = t.In(loc)
	}
	c.Entries = slices.Clone(inc.Entries)
	for i := range c.Entries {
		c.Entries[i].At = c.Entries[i].At.In(loc)
	}
	c.Updates = slices.Clone(inc.Updates)
	for i := range c.Updates {
		c.Updates[i].At = c.Updates[i].At.In(loc)
	}
	return &c
}

// roleLines are every role the incident has had, resolution lead and
// communication lead first, each with everyone who held it and when.
func roleLines(inc *incident.Incident, when func(time.Time) string) []Role {
	holders := incident.RoleHolders(inc)
	names := slices.Sorted(maps.Keys(holders))
	head := []string{}
	for _, r := range []string{incident.RoleLead, incident.RoleComms} {
		if _, ok := holders[r]; ok {
			head = append(head, r)
		}
	}
	names = slices.DeleteFunc(names, func(r string) bool { return r == incident.RoleLead || r == incident.RoleComms })
	var out []Role
	for _, r := range append(head, names...) {
		ts := holders[r]
		parts := make([]string, len(ts))
		for i, t := range ts {
			span := when(t.From) + "–" + when(t.Until)
			if t.Until.IsZero() {
				span = "from " + when(t.From)
			}
			parts[i] = Inline(t.Person) + " (" + span + ")"
		}
		out = append(out, Role{Name: Inline(titleCase(r)), Person: Inline(inc.Roles[r]), Holders: strings.Join(parts, ", ")})
	}
	return out
}
