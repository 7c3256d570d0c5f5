package incident

import (
	"testing"
	"time"
)

func TestClockWithDay(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	now := time.Date(2026, 12, 6, 10, 17, 0, 0, time.UTC)
	typed := func(s string) time.Time {
		at, err := ParsePast(s, now)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	for _, c := range []struct {
		at   time.Time
		now  time.Time
		want string
	}{
		{typed("10:10"), now, "10:10"},
		{typed("23:00"), now, "23:00 yesterday, Dec 5"},
		{typed("10:30"), now, "10:30 yesterday, Dec 5"},
		{typed("-20m"), now, "09:57"},
		{time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC), now, "01:00 tomorrow, Dec 7"},
		{time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC), now, "08:00 Wed, Dec 2"},
		{time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), now, "08:00 Nov 20"},
		{time.Date(2025, 12, 31, 8, 0, 0, 0, time.UTC), now, "08:00 Dec 31, 2025"},
		// The day is the day in the zone shown: 23:30 UTC is already the
		// next day in Berlin.
		{time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC), now.In(berlin), "00:30"},
		{time.Date(2026, 12, 5, 22, 30, 0, 0, time.UTC), now.In(berlin), "23:30 yesterday, Dec 5"},
	} {
		if got := ClockWithDay(c.at, c.now); got != c.want {
			t.Errorf("ClockWithDay(%s, %s) = %q, want %q", c.at, c.now, got, c.want)
		}
	}
}
