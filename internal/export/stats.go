package export

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Stats are the trends across a repository of incidents (`warroom stats`).
type Stats struct {
	Incidents  int            `json:"incidents"`
	Open       int            `json:"open"`
	BySeverity map[string]int `json:"by_severity"` // "SEV2" -> count
	// ByMonth counts incidents by the month they were declared, oldest first.
	ByMonth       []MonthCount  `json:"by_month"`
	TimeToResolve DurationStats `json:"time_to_resolve"`
	UpdateCadence CadenceStats  `json:"update_cadence"`
	Actions       ActionStats   `json:"actions"`
	// Tags are the most frequent tags, most frequent first (at most 10).
	Tags []TagCount `json:"tags"`
}

// MonthCount is the incidents declared in one month.
type MonthCount struct {
	Month      string         `json:"month"` // "2026-05"
	Total      int            `json:"total"`
	BySeverity map[string]int `json:"by_severity"`
}

// DurationStats summarises time to resolve over resolved incidents whose
// milestones give it. Percentiles use the nearest-rank method, so each is a
// value that actually occurred.
type DurationStats struct {
	Count         int    `json:"count"`
	MedianSeconds int64  `json:"median_seconds"`
	P90Seconds    int64  `json:"p90_seconds"`
	Median        string `json:"median"` // "1h05m", "" when Count is 0
	P90           string `json:"p90"`
}

// CadenceStats says how often public updates went out on time. Each due
// update counts once: the first is due first_update_after the declaration,
// each next one the incident's cadence after the previous update, until
// the incident was resolved (or now, while it is open). An update published
// by its due time is on time, a later one is missed, and a due time that
// passed with no update at all counts as one miss.
type CadenceStats struct {
	Due        int     `json:"due"`
	OnTime     int     `json:"on_time"`
	Missed     int     `json:"missed"`
	Compliance float64 `json:"compliance"` // OnTime/Due, 0..1; 1 when nothing was due
}

// ActionStats counts retro action items across incidents and lists the
// open ones, overdue first, then by due date.
type ActionStats struct {
	Total   int          `json:"total"`
	Open    int          `json:"open"`
	Overdue int          `json:"overdue"`
	Done    int          `json:"done"`
	Items   []OpenAction `json:"open_items"`
}

// OpenAction is one open action item with its incident.
type OpenAction struct {
	Incident string     `json:"incident"`
	Title    string     `json:"title"`
	Kind     string     `json:"kind"`
	Owner    string     `json:"owner"`
	Due      *time.Time `json:"due"`
	Overdue  bool       `json:"overdue"`
}

// TagCount is how many incidents carry a tag (compared case-insensitively).
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// ComputeStats derives the trends of incs at time now; months are taken in
// now's location and p supplies the first-update delay and default cadence.
func ComputeStats(incs []*incident.Incident, now time.Time, p incident.Policy) Stats {
	st := Stats{Incidents: len(incs), BySeverity: map[string]int{}, ByMonth: []MonthCount{}, Tags: []TagCount{}}
	st.Actions.Items = []OpenAction{}
	for s := incident.SevMin; s <= incident.SevMax; s++ {
		st.BySeverity[s.String()] = 0
	}
	months := map[string]*MonthCount{}
	var ttr []time.Duration
	tags := map[string]*TagCount{}
	for _, inc := range incs {
		if inc.Open() {
			st.Open++
		}
		sev := inc.Severity.String()
		st.BySeverity[sev]++
		m := inc.Created.In(now.Location()).Format("2006-01")
		mc := months[m]
		if mc == nil {
			mc = &MonthCount{Month: m, BySeverity: map[string]int{}}
			months[m] = mc
		}
		mc.Total++
		mc.BySeverity[sev]++
		if !inc.Open() {
			if d, ok := incident.TimeToResolve(inc.Milestones); ok {
				ttr = append(ttr, d)
			}
		}
		due, onTime := cadence(inc, now, p)
		st.UpdateCadence.Due += due
		st.UpdateCadence.OnTime += onTime
		for _, a := range inc.Retro.Actions {
			st.Actions.Total++
			if a.Done {
				st.Actions.Done++
				continue
			}
			st.Actions.Open++
			over := a.Overdue(now)
			if over {
				st.Actions.Overdue++
			}
			st.Actions.Items = append(st.Actions.Items, OpenAction{
				Incident: inc.Key(), Title: incident.CleanLine(a.Title), Kind: string(a.Kind),
				Owner: incident.CleanLine(a.Owner), Due: timePtr(a.Due), Overdue: over,
			})
		}
		seen := map[string]bool{}
		for _, t := range inc.Tags {
			k := strings.ToLower(strings.TrimSpace(t))
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			if tags[k] == nil {
				tags[k] = &TagCount{Tag: incident.CleanLine(strings.TrimSpace(t))}
			}
			tags[k].Count++
		}
	}
	for _, mc := range months {
		st.ByMonth = append(st.ByMonth, *mc)
	}
	slices.SortFunc(st.ByMonth, func(a, b MonthCount) int { return strings.Compare(a.Month, b.Month) })

	slices.Sort(ttr)
	st.TimeToResolve.Count = len(ttr)
	if len(ttr) > 0 {
		med, p90 := nearestRank(ttr, 0.5), nearestRank(ttr, 0.9)
		st.TimeToResolve.MedianSeconds, st.TimeToResolve.P90Seconds = int64(med/time.Second), int64(p90/time.Second)
		st.TimeToResolve.Median, st.TimeToResolve.P90 = incident.FormatDuration(med), incident.FormatDuration(p90)
	}

	c := &st.UpdateCadence
	c.Missed = c.Due - c.OnTime
	c.Compliance = 1
	if c.Due > 0 {
		c.Compliance = float64(c.OnTime) / float64(c.Due)
	}

	slices.SortStableFunc(st.Actions.Items, func(a, b OpenAction) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		if (a.Due == nil) != (b.Due == nil) {
			if a.Due == nil {
				return 1
			}
			return -1
		}
		if a.Due != nil {
			if c := a.Due.Compare(*b.Due); c != 0 {
				return c
			}
		}
		return 0
	})

	for _, t := range tags {
		st.Tags = append(st.Tags, *t)
	}
	slices.SortFunc(st.Tags, func(a, b TagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(strings.ToLower(a.Tag), strings.ToLower(b.Tag)))
	})
	if len(st.Tags) > 10 {
		st.Tags = st.Tags[:10]
	}
	return st
}

// nearestRank returns the p-th percentile (0 < p <= 1) of sorted values.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	rank := int(p*float64(len(sorted)) + 0.999999999)
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// cadence counts the public updates that were due in inc and how many of
// them went out on time (see CadenceStats).
func cadence(inc *incident.Incident, now time.Time, p incident.Policy) (due, onTime int) {
	every := inc.Cadence
	if every <= 0 {
		every = p.UpdateEvery
	}
	if every <= 0 {
		every = incident.DefaultPolicy().UpdateEvery
	}
	first := p.FirstUpdateAfter
	if first <= 0 {
		first = incident.DefaultPolicy().FirstUpdateAfter
	}
	end := now
	if !inc.Open() {
		end = inc.Milestones[incident.MResolved]
		if end.IsZero() {
			end = inc.Updated
		}
	}
	updates := slices.Clone(inc.Updates)
	slices.SortStableFunc(updates, func(a, b incident.Update) int { return a.At.Compare(b.At) })
	next := inc.Created.Add(first)
	for _, u := range updates {
		if next.After(end) {
			break
		}
		due++
		if !u.At.After(next) {
			onTime++
		}
		next = u.At.Add(every)
	}
	// An update that fell due before the end and never came is one miss
	// (not one per cadence period, so an incident left open for weeks does
	// not drown every other incident's record).
	if !next.After(end) {
		due++
	}
	return due, onTime
}
