package incident

import "time"

// A time typed as HH:MM that has not come yet today is taken as
// yesterday's ("@23:00" typed at 10:17). Said without its day, "at 23:00"
// reads as tonight; so every time a person typed is repeated with its day
// whenever that is not today.

// DayWord names t's day as seen from now, in now's zone: "" for today,
// "yesterday, Dec 5", "tomorrow, Dec 7", "Mon, Dec 1" within a week, and
// "Dec 1, 2025" in another year.
func DayWord(t, now time.Time) string {
	t = t.In(now.Location())
	ty, tm, td := t.Date()
	ny, nm, nd := now.Date()
	if ty == ny && tm == nm && td == nd {
		return ""
	}
	// Calendar days apart, whatever the clock time or a DST change.
	days := int(time.Date(ty, tm, td, 12, 0, 0, 0, time.UTC).Sub(time.Date(ny, nm, nd, 12, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days == -1:
		return "yesterday, " + t.Format("Jan 2")
	case days == 1:
		return "tomorrow, " + t.Format("Jan 2")
	case ty != ny:
		return t.Format("Jan 2, 2006")
	case days > -7 && days < 7:
		return t.Format("Mon, Jan 2")
	}
	return t.Format("Jan 2")
}

// ClockWithDay is t as HH:MM, followed by its day when that is not
// today: "10:30", "23:00 yesterday, Dec 5".
func ClockWithDay(t, now time.Time) string {
	c := t.In(now.Location()).Format("15:04")
	if d := DayWord(t, now); d != "" {
		return c + " " + d
	}
	return c
}
