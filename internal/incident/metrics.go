package incident

import "time"

// Metric is one derived duration between two milestones.
type Metric struct {
	Name     string // "time to detect"
	From, To Milestone
	Value    time.Duration
	Known    bool // both milestones are set and in order
}

// metricDefs follows the common industry reading: detection and
// acknowledgement are measured step by step, mitigation and resolution from
// the moment impact began, because that is what customers felt.
var metricDefs = []struct {
	name     string
	from, to Milestone
}{
	{"time to detect", Started, Detected},
	{"time to acknowledge", Detected, Acknowledged},
	{"time to mitigate", Started, Mitigated},
	{"time to resolve", Started, MResolved},
}

// Metrics derives time to detect, acknowledge, mitigate and resolve from the
// milestones. When impact start is unknown, the detection time stands in for
// it so that mitigation and resolution still have a value.
func Metrics(ms map[Milestone]time.Time) []Metric {
	out := make([]Metric, 0, len(metricDefs))
	for _, d := range metricDefs {
		from := ms[d.from]
		if from.IsZero() && d.from == Started && d.to != Detected {
			from = ms[Detected]
		}
		to := ms[d.to]
		m := Metric{Name: d.name, From: d.from, To: d.to}
		if !from.IsZero() && !to.IsZero() && !to.Before(from) {
			m.Value = to.Sub(from)
			m.Known = true
		}
		out = append(out, m)
	}
	return out
}

// TimeToResolve returns started (or detected) to resolved, if both are known.
func TimeToResolve(ms map[Milestone]time.Time) (time.Duration, bool) {
	for _, m := range Metrics(ms) {
		if m.To == MResolved {
			return m.Value, m.Known
		}
	}
	return 0, false
}

// MilestonesOutOfOrder names pairs of milestones recorded in the wrong
// order, e.g. "acknowledged before detected".
func MilestonesOutOfOrder(ms map[Milestone]time.Time) []string {
	var out []string
	for i, a := range Milestones {
		ta := ms[a]
		if ta.IsZero() {
			continue
		}
		for _, b := range Milestones[i+1:] {
			tb := ms[b]
			if !tb.IsZero() && tb.Before(ta) {
				out = append(out, string(b)+" before "+string(a))
			}
		}
	}
	return out
}
