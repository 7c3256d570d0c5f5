package config

import "time"

// The command line shows every time in the configured zone (Location), as
// the cockpit and the exports do, and says which zone that is: a script
// run from a shell in UTC and a lead in Los Angeles must read the same
// 02:00. A date is shown whenever the day is not today, so a time never
// stands for the wrong day.

// ClockLayout and DateClockLayout are the CLI's two ways to show a time.
const (
	ClockLayout     = "15:04"
	DateClockLayout = "2006-01-02 15:04"
)

// Clock shows t in loc: "15:04" on now's day there, "2006-01-02 15:04" on
// any other.
func Clock(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	t, now = t.In(loc), now.In(loc)
	if !SameDay(t, now) {
		return t.Format(DateClockLayout)
	}
	return t.Format(ClockLayout)
}

// Stamp is Clock followed by the zone's abbreviation at t ("02:00 PST"),
// for a single time printed on its own line.
func Stamp(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	return Clock(t, now, loc) + " " + t.In(loc).Format("MST")
}

// SameDay reports that a and b fall on one calendar day in a's zone.
func SameDay(a, b time.Time) bool {
	b = b.In(a.Location())
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// DayLayout is the layout for a set of times shown together (an
// incident's timeline, milestones and updates): with dates when they span
// more than one day in loc, or their day is not now's.
func DayLayout(times []time.Time, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	var first time.Time
	for _, t := range times {
		if t.IsZero() {
			continue
		}
		if first.IsZero() {
			first = t.In(loc)
			if !SameDay(first, now) {
				return DateClockLayout
			}
			continue
		}
		if !SameDay(first, t) {
			return DateClockLayout
		}
	}
	return ClockLayout
}
