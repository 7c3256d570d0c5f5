package incident

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// BackfillLine is one timed line of a backfill: when it happened and the
// capture-line text (an entry or a slash command), with its line number in
// the input for error messages.
type BackfillLine struct {
	N    int
	At   time.Time
	Text string
}

// ParseBackfill reads lines of the form "TIME TEXT", as notes come out of a
// chat log, for `warroom log --file` and a paste into the capture line.
// TIME is RFC 3339, "YYYY-MM-DDTHH:MM[:SS]" (RFC 3339 without a zone),
// "YYYY-MM-DD HH:MM[:SS]" or "HH:MM[:SS]"; a bare clock
// time is on the date of the line before (the first on the most recent day
// that keeps it in the past), rolling to the next day when the clock goes
// backwards, as a log that crosses midnight does. Dates and clock times
// are read in now's location. A line longer than one entry can hold
// (MaxTextBytes and room for its time) is reported as such. Blank lines and lines starting with # are
// skipped. A bad line is reported with its number, and nothing is returned.
func ParseBackfill(r io.Reader, now time.Time) ([]BackfillLine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxTextBytes+1024)
	var out []BackfillLine
	var prev time.Time
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		at, text, err := parseTimedLine(line, prev, now)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		if at.After(now.Add(time.Minute)) {
			return nil, fmt.Errorf("line %d: %s is in the future; a backfill records what has happened", n, at.Format("2006-01-02 15:04"))
		}
		if strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("line %d: there is a time but no text; write what happened after it", n)
		}
		out = append(out, BackfillLine{N: n, At: at, Text: text})
		prev = at
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, fmt.Errorf("line %d is longer than %d KB, the most one timeline entry holds; split it into several lines, or put the long text in a file and log a link to it", n+1, MaxTextBytes>>10)
	} else if err != nil {
		return nil, fmt.Errorf("line %d: %v", n+1, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("there are no timed lines to log; write one per line as \"HH:MM text\"")
	}
	return out, nil
}

// parseTimedLine splits "TIME TEXT" and reads TIME.
func parseTimedLine(line string, prev, now time.Time) (time.Time, string, error) {
	loc := now.Location()
	first, rest, _ := strings.Cut(line, " ")
	if t, err := time.Parse(time.RFC3339, first); err == nil {
		return t.In(loc), strings.TrimSpace(rest), nil
	}
	// "YYYY-MM-DDTHH:MM[:SS] text": RFC 3339 without a zone, in loc.
	if len(first) >= 16 && first[10] == 'T' {
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
			if t, err := time.ParseInLocation(layout, first, loc); err == nil {
				return t, strings.TrimSpace(rest), nil
			}
		}
		return time.Time{}, "", fmt.Errorf("%q is not a date and time; use YYYY-MM-DDTHH:MM, YYYY-MM-DD HH:MM or an RFC 3339 time", first)
	}
	// "YYYY-MM-DD HH:MM[:SS] text"
	if len(first) == 10 && strings.Count(first, "-") == 2 {
		clock, text, _ := strings.Cut(strings.TrimSpace(rest), " ")
		for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04"} {
			if t, err := time.ParseInLocation(layout, first+" "+clock, loc); err == nil {
				return t, strings.TrimSpace(text), nil
			}
		}
		return time.Time{}, "", fmt.Errorf("%q is not a date and time; use YYYY-MM-DD HH:MM", first+" "+clock)
	}
	h, m, s, ok := parseClockSeconds(first)
	if !ok {
		return time.Time{}, "", fmt.Errorf("%q is not a time; start the line with HH:MM, YYYY-MM-DD HH:MM or an RFC 3339 time", first)
	}
	if prev.IsZero() {
		t := time.Date(now.Year(), now.Month(), now.Day(), h, m, s, 0, loc)
		if t.After(now.Add(time.Minute)) {
			t = t.AddDate(0, 0, -1)
		}
		return t, strings.TrimSpace(rest), nil
	}
	p := prev.In(loc)
	t := time.Date(p.Year(), p.Month(), p.Day(), h, m, s, 0, loc)
	if t.Before(p) {
		// The clock went backwards: the log crossed midnight.
		t = t.AddDate(0, 0, 1)
	}
	return t, strings.TrimSpace(rest), nil
}

// parseClockSeconds reads "HH:MM" or "HH:MM:SS".
func parseClockSeconds(s string) (h, m, sec int, ok bool) {
	hm, ss, hasSec := s, "", false
	if strings.Count(s, ":") == 2 {
		i := strings.LastIndexByte(s, ':')
		hm, ss, hasSec = s[:i], s[i+1:], true
	}
	h, m, ok = parseClock(hm)
	if !ok {
		return 0, 0, 0, false
	}
	if hasSec {
		if len(ss) != 2 || ss[0] < '0' || ss[0] > '5' || ss[1] < '0' || ss[1] > '9' {
			return 0, 0, 0, false
		}
		sec = int(ss[0]-'0')*10 + int(ss[1]-'0')
	}
	return h, m, sec, true
}
