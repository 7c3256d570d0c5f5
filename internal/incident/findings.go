package incident

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// FindingKind names a kind of possible deficiency in how an incident was
// handled.
type FindingKind string

// The kinds of findings.
const (
	// FindingGap: nothing was logged for longer than the gap threshold.
	FindingGap FindingKind = "gap"
	// FindingNoUpdate: no public update was published at all.
	FindingNoUpdate FindingKind = "no-update"
	// FindingLateFirstUpdate: the first public update came later than
	// first_update_after.
	FindingLateFirstUpdate FindingKind = "late-first-update"
	// FindingLateUpdate: two public updates, or the last one and the
	// resolution, were further apart than the cadence.
	FindingLateUpdate FindingKind = "late-update"
	// FindingMilestoneOrder: milestones were recorded in the wrong order.
	FindingMilestoneOrder FindingKind = "milestone-order"
	// FindingSlowDetect: impact began long before anyone noticed.
	FindingSlowDetect FindingKind = "slow-detect"
	// FindingSlowAcknowledge: a long wait between detected and acknowledged.
	FindingSlowAcknowledge FindingKind = "slow-acknowledge"
	// FindingMissingMilestone: a resolved incident lacks milestones its
	// metrics need.
	FindingMissingMilestone FindingKind = "missing-milestone"
	// FindingMissingRole: one of the handbook's two roles was never named.
	FindingMissingRole FindingKind = "missing-role"
)

// Finding is one possible deficiency, for the retro's timeline section.
type Finding struct {
	// At places the finding on the timeline: where the gap or delay began.
	At   time.Time
	Kind FindingKind
	// Text is a plain sentence saying what happened.
	Text string
	// Length is the duration at issue (the gap, the delay), 0 when none.
	Length time.Duration
}

// Findings looks through an incident for signs of deficiencies in how it was
// handled, as the handbook's timeline section asks: silences on the
// timeline, public updates later than promised or missing, milestones out of
// order, slow detection or acknowledgement, unnamed roles. They are possible
// deficiencies, not verdicts; the retro decides. The result is in time
// order.
//
// "A long wait" for detection and acknowledgement means longer than the gap
// threshold: the same silence that the timeline already shows as a gap.
func Findings(inc *Incident, p Policy) []Finding {
	def := DefaultPolicy()
	gap := cmp.Or(max(p.GapThreshold, 0), def.GapThreshold)
	first := cmp.Or(max(p.FirstUpdateAfter, 0), def.FirstUpdateAfter)
	resolved := inc.Milestones[MResolved]
	day := sameDayFn(inc)

	var out []Finding
	add := func(at time.Time, k FindingKind, length time.Duration, format string, args ...any) {
		out = append(out, Finding{At: at, Kind: k, Length: length, Text: fmt.Sprintf(format, args...)})
	}

	// Silences: only while the incident was open, since quiet after the
	// resolution is not a deficiency.
	entries := inc.VisibleEntries()
	for i := 1; i < len(entries); i++ {
		a, b := entries[i-1].At, entries[i].At
		if !resolved.IsZero() && !a.Before(resolved) {
			break
		}
		if !resolved.IsZero() && b.After(resolved) {
			b = resolved
		}
		if d := b.Sub(a); d > gap {
			add(a, FindingGap, d, "Nothing was logged for %s, from %s to %s.", FormatDuration(d), day(a), day(b))
		}
	}

	// Public updates.
	updates := slices.Clone(inc.Updates)
	slices.SortStableFunc(updates, func(a, b Update) int { return a.At.Compare(b.At) })
	if len(updates) == 0 {
		if !inc.Created.IsZero() {
			add(inc.Created.Add(first), FindingNoUpdate, 0, "No public update was published; stakeholders heard nothing from the public channel.")
		}
	} else {
		if !inc.Created.IsZero() {
			if d := updates[0].At.Sub(inc.Created); d > first {
				add(inc.Created.Add(first), FindingLateFirstUpdate, d-first,
					"The first public update went out at %s, %s after the incident was declared; it was due within %s.",
					day(updates[0].At), FormatDuration(d), FormatDuration(first))
			}
		}
		// Each update is judged against the cadence in force when it was
		// due, never against one set later.
		for i := 1; i < len(updates); i++ {
			a, b := updates[i-1].At, updates[i].At
			due := UpdateDueAfter(inc, a, p)
			if b.After(due) {
				d := b.Sub(a)
				add(due, FindingLateUpdate, b.Sub(due),
					"The public update at %s came %s after the one before; updates were due every %s.",
					day(b), FormatDuration(d), FormatDuration(due.Sub(a)))
			}
		}
		last := updates[len(updates)-1].At
		if due := UpdateDueAfter(inc, last, p); !resolved.IsZero() && resolved.After(due) {
			d := resolved.Sub(last)
			add(due, FindingLateUpdate, resolved.Sub(due),
				"No public update for the last %s before the incident was resolved at %s; updates were due every %s.",
				FormatDuration(d), day(resolved), FormatDuration(due.Sub(last)))
		}
	}

	// Milestones.
	for _, pair := range MilestonesOutOfOrder(inc.Milestones) {
		name, _, _ := strings.Cut(pair, " ")
		add(inc.Milestones[Milestone(name)], FindingMilestoneOrder, 0,
			"Milestones are out of order: %s; check the recorded times.", pair)
	}
	started, detected, acked := inc.Milestones[Started], inc.Milestones[Detected], inc.Milestones[Acknowledged]
	if !started.IsZero() && !detected.IsZero() && detected.Sub(started) > gap {
		d := detected.Sub(started)
		add(started, FindingSlowDetect, d, "Impact began at %s but was detected only %s later.", day(started), FormatDuration(d))
	}
	if !detected.IsZero() && !acked.IsZero() && acked.Sub(detected) > gap {
		d := acked.Sub(detected)
		add(detected, FindingSlowAcknowledge, d, "%s passed between detection at %s and acknowledgement at %s.",
			FormatDuration(d), day(detected), day(acked))
	}
	if !resolved.IsZero() {
		var missing []string
		for _, m := range []Milestone{Started, Acknowledged, Mitigated} {
			if inc.Milestones[m].IsZero() {
				missing = append(missing, string(m))
			}
		}
		if len(missing) > 0 {
			add(resolved, FindingMissingMilestone, 0,
				"The %s %s never recorded, so some metrics are unknown or estimated.",
				joinAnd(missing), plural(len(missing), "milestone was", "milestones were"))
		}
	}

	// Roles: the handbook names both at once.
	for _, role := range []string{RoleLead, RoleComms} {
		if strings.TrimSpace(inc.Roles[role]) == "" {
			add(inc.Created, FindingMissingRole, 0, "No %s was named.", role)
		}
	}

	slices.SortStableFunc(out, func(a, b Finding) int { return a.At.Compare(b.At) })
	return out
}

// sameDayFn returns a formatter that shows HH:MM, with the date when the
// incident spans more than one day.
func sameDayFn(inc *Incident) func(time.Time) string {
	if spansDays(inc) {
		return func(t time.Time) string { return t.Format("Jan 2 15:04") }
	}
	return func(t time.Time) string { return t.Format("15:04") }
}

// spansDays reports whether the incident's entries and milestones fall on
// more than one calendar day.
func spansDays(inc *Incident) bool {
	var first time.Time
	check := func(t time.Time) bool {
		if t.IsZero() {
			return false
		}
		if first.IsZero() {
			first = t
			return false
		}
		y1, m1, d1 := first.Date()
		y2, m2, d2 := t.In(first.Location()).Date()
		return y1 != y2 || m1 != m2 || d1 != d2
	}
	if check(inc.Created) {
		return true
	}
	for _, t := range inc.Milestones {
		if check(t) {
			return true
		}
	}
	for _, e := range inc.Entries {
		if !e.Deleted && check(e.At) {
			return true
		}
	}
	return false
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// MilestoneAt is one recorded milestone.
type MilestoneAt struct {
	Milestone Milestone
	At        time.Time
}

// TimelineSummary is the retro's view of the timeline: the starred entries
// first, then the rest, with the milestones in time order, the metrics and
// the findings.
type TimelineSummary struct {
	Starred    []Entry
	Rest       []Entry
	Milestones []MilestoneAt
	Metrics    []Metric
	Findings   []Finding
	// Updates is the number of public updates published.
	Updates int
	// MultiDay is true when dates must be shown beside times.
	MultiDay bool
}

// SummarizeTimeline builds the retro's timeline section from an incident.
func SummarizeTimeline(inc *Incident, p Policy) TimelineSummary {
	s := TimelineSummary{
		Metrics:  Metrics(inc.Milestones),
		Findings: Findings(inc, p),
		Updates:  len(inc.Updates),
		MultiDay: spansDays(inc),
	}
	for _, e := range inc.VisibleEntries() {
		if e.Starred {
			s.Starred = append(s.Starred, e)
		} else {
			s.Rest = append(s.Rest, e)
		}
	}
	for _, m := range Milestones {
		if t := inc.Milestones[m]; !t.IsZero() {
			s.Milestones = append(s.Milestones, MilestoneAt{m, t})
		}
	}
	slices.SortStableFunc(s.Milestones, func(a, b MilestoneAt) int { return a.At.Compare(b.At) })
	return s
}
