package config

import (
	"testing"
	"time"
)

func TestClockAndDayLayoutInTheConfiguredZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no zone database here")
	}
	// 10:00Z on Dec 6 is 02:00 on Dec 6 in Los Angeles; 07:00Z is 23:00
	// on Dec 5 there.
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	if got := Clock(time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC), now, la); got != "02:00" {
		t.Errorf("Clock today = %q, want 02:00", got)
	}
	if got := Clock(time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC), now, la); got != "2026-12-05 23:00" {
		t.Errorf("Clock yesterday there = %q, want the date", got)
	}
	if got := Stamp(time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC), now, la); got != "02:00 PST" {
		t.Errorf("Stamp = %q, want 02:00 PST", got)
	}
	sameDay := []time.Time{time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)}
	if got := DayLayout(sameDay, now, la); got != ClockLayout {
		t.Errorf("DayLayout of one day today = %q", got)
	}
	// Same UTC day, but 07:00Z and 11:00Z are two days in Los Angeles.
	span := []time.Time{time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC), time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)}
	if got := DayLayout(span, now, la); got != DateClockLayout {
		t.Errorf("DayLayout spanning days = %q", got)
	}
	if got := DayLayout(span, now, time.UTC); got != ClockLayout {
		t.Errorf("DayLayout of one UTC day in UTC = %q", got)
	}
	old := []time.Time{time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	if got := DayLayout(old, now, la); got != DateClockLayout {
		t.Errorf("DayLayout of another day = %q", got)
	}
}
