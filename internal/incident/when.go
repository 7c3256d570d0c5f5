package incident

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParsePast reads when something happened: "HH:MM" (today in now's location,
// or yesterday if today's would be in the future), a negative offset such as
// "-10m" or "-1h30m", or an RFC 3339 time. A time in the future is an error:
// the timeline records what has happened.
func ParsePast(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("time is empty; use HH:MM, -10m or an RFC 3339 time")
	}
	if strings.HasPrefix(s, "-") {
		d, err := time.ParseDuration(s[1:])
		if err != nil || d < 0 || strings.HasPrefix(s[1:], "-") {
			return time.Time{}, fmt.Errorf("time %q is not valid; use HH:MM, -10m or an RFC 3339 time", s)
		}
		return now.Add(-d), nil
	}
	if h, m, ok := parseClock(s); ok {
		t := time.Date(now.Year(), now.Month(), now.Day(), h, m, 0, 0, now.Location())
		if t.After(now) {
			t = t.AddDate(0, 0, -1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is not valid; use HH:MM, -10m or an RFC 3339 time", s)
	}
	if t.After(now.Add(time.Minute)) {
		return time.Time{}, fmt.Errorf("time %s is in the future; give a time that has passed", s)
	}
	return t.In(now.Location()), nil
}

// ParseFuture reads an expected time such as an ETA: "HH:MM" (today, or
// tomorrow if that has passed), an offset such as "+45m" or "45m", or RFC 3339.
func ParseFuture(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("time is empty; use HH:MM, +45m or an RFC 3339 time")
	}
	if h, m, ok := parseClock(s); ok {
		t := time.Date(now.Year(), now.Month(), now.Day(), h, m, 0, 0, now.Location())
		if !t.After(now) {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if d, err := time.ParseDuration(strings.TrimPrefix(s, "+")); err == nil && d > 0 {
		return now.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is not valid; use HH:MM, +45m or an RFC 3339 time", s)
	}
	return t.In(now.Location()), nil
}

// ParseDuration reads a positive duration such as "20m" or "1h". A bare
// number is taken as minutes, as people type "/every 20".
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		s = strconv.Itoa(n) + "m"
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("duration %q is not valid; use a positive duration such as 20m or 1h", s)
	}
	return d, nil
}

func parseClock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(s, ":")
	if !found || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || hs[0] == '+' || hs[0] == '-' {
		return 0, 0, false
	}
	return h, m, true
}

// FormatDuration renders a duration compactly for people: "4m", "1h05m",
// "2d 3h05m". It is the one duration format of every screen and export
// (the minutes are kept past a day, so "ttr" and "lasted" agree).
func FormatDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Minute)
	days := int(d / (24 * time.Hour))
	h := int(d/time.Hour) % 24
	m := int(d/time.Minute) % 60
	var s string
	switch {
	case days > 0:
		s = fmt.Sprintf("%dd %dh%02dm", days, h, m)
	case h > 0:
		s = fmt.Sprintf("%dh%02dm", h, m)
	default:
		s = fmt.Sprintf("%dm", m)
	}
	if neg {
		return "-" + s
	}
	return s
}
