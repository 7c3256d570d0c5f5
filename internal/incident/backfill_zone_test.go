package incident

import (
	"strings"
	"testing"
	"time"
)

// TestBackfillReadsZonelessDateTimes: "2018-10-21T22:52" (RFC 3339 without
// a zone, as chat exports write it) is read in now's zone, like
// "2018-10-21 22:52".
func TestBackfillReadsZonelessDateTimes(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no zone database here")
	}
	now := time.Date(2018, 10, 23, 12, 0, 0, 0, la)
	in := "2018-10-21T22:52 Network partition begins\n2018-10-21T22:54:30 alerts fire\n23:07 status page updated\n2018-10-21 23:09 yellow status\n"
	lines, err := ParseBackfill(strings.NewReader(in), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2018, 10, 22, 5, 52, 0, 0, time.UTC),
		time.Date(2018, 10, 22, 5, 54, 30, 0, time.UTC),
		time.Date(2018, 10, 22, 6, 7, 0, 0, time.UTC),
		time.Date(2018, 10, 22, 6, 9, 0, 0, time.UTC),
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(lines), len(want))
	}
	for i, l := range lines {
		if !l.At.Equal(want[i]) {
			t.Errorf("line %d at %s, want %s", l.N, l.At.UTC(), want[i])
		}
	}
	if lines[0].Text != "Network partition begins" {
		t.Errorf("text %q", lines[0].Text)
	}
	if _, err := ParseBackfill(strings.NewReader("2018-10-21T25:61 x\n"), now); err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), "YYYY-MM-DDTHH:MM") {
		t.Errorf("a bad date-time: %v", err)
	}
}

// TestBackfillLongLineSaysWhatIsWrong: a 1 MB line is reported with its
// number and the limit of one entry, not "bufio.Scanner: token too long".
func TestBackfillLongLineSaysWhatIsWrong(t *testing.T) {
	in := "12:00 first\n12:01 " + strings.Repeat("x", 1<<20) + "\n12:02 third\n"
	_, err := ParseBackfill(strings.NewReader(in), time.Date(2026, 12, 6, 13, 0, 0, 0, time.UTC))
	if err == nil {
		t.Fatal("a 1 MB line was accepted")
	}
	msg := err.Error()
	if strings.Contains(msg, "bufio") || strings.Contains(msg, "token") || !strings.Contains(msg, "line 2 is longer than 64 KB") {
		t.Errorf("error %q, want line 2 named with the 64 KB limit", msg)
	}
	// A line at the limit of one entry still goes through.
	ok := "12:01 " + strings.Repeat("y", MaxTextBytes) + "\n"
	if _, err := ParseBackfill(strings.NewReader(ok), time.Date(2026, 12, 6, 13, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("a line of exactly MaxTextBytes of text: %v", err)
	}
}
