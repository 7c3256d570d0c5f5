package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCommandLineUsesTheConfiguredZone: with timezone = America/Los_Angeles
// and the shell in UTC, `log --at 02:00` is 02:00 in Los Angeles, as the
// cockpit's @02:00 is (it used to be stored as 02:00Z); `log --file` reads
// its times there too, YYYY-MM-DDTHH:MM included; and show, list, search
// and log print Los Angeles times and name the zone, with dates when the
// incident spans days.
func TestCommandLineUsesTheConfiguredZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no zone database here")
	}
	e := newEnv(t)
	writeConfig(t, e, "timezone = \"America/Los_Angeles\"\n")
	id := e.newIncident("Checkout failing")

	out := e.ok("log", "-i", id, "--at", "02:00", "first alert fired")
	if !regexp.MustCompile(`logged #\d+ note at (\d{4}-\d\d-\d\d )?02:00 P[SD]T: first alert fired`).MatchString(out) {
		t.Errorf("log --at 02:00 printed %q, want the time in Los Angeles, named", out)
	}
	js := e.show(id)
	var at time.Time
	for _, en := range js.Entries {
		if en.Text == "first alert fired" {
			at = mustTime(t, en.At)
		}
	}
	if l := at.In(la); l.Hour() != 2 || l.Minute() != 0 {
		t.Fatalf("log --at 02:00 stored %s, which is %s in Los Angeles; want 02:00 there", at.UTC(), l.Format("15:04"))
	}

	file := filepath.Join(e.dir, "chat.txt")
	if err := os.WriteFile(file, []byte("2018-10-21T22:52 Network partition begins\n23:07 status page yellow\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out = e.ok("log", "-i", id, "--file", file)
	if !strings.Contains(out, "at 2018-10-21 22:52 PDT: Network partition begins") {
		t.Errorf("log --file printed %q, want the dated Los Angeles time", out)
	}
	js = e.show(id)
	for _, en := range js.Entries {
		if en.Text == "Network partition begins" && !mustTime(t, en.At).Equal(time.Date(2018, 10, 22, 5, 52, 0, 0, time.UTC)) {
			t.Errorf("2018-10-21T22:52 in Los Angeles stored as %s, want 2018-10-22T05:52Z", en.At)
		}
	}

	show := e.ok("show", id)
	for _, want := range []string{"times in America/Los_Angeles", "2018-10-21 22:52 note", "2018-10-21 23:07 note"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	// The incident spans days: milestones carry their dates.
	if !regexp.MustCompile(`milestones: [a-z]+ \d{4}-\d\d-\d\d \d\d:\d\d`).MatchString(show) {
		t.Errorf("show prints multi-day milestones without dates:\n%s", show)
	}
	if list := e.ok("list"); !strings.Contains(list, "DECLARED (America/Los_Angeles)") {
		t.Errorf("list does not name the zone:\n%s", list)
	}
	search := e.ok("search", "partition")
	if !strings.Contains(search, "2018-10-21 22:52") || !strings.Contains(search, "times in America/Los_Angeles") {
		t.Errorf("search does not show Los Angeles times, named:\n%s", search)
	}
}

// TestLogFileLongLine: a 1 MB line is refused with its number and the
// limit, and nothing is written.
func TestLogFileLongLine(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	file := filepath.Join(e.dir, "long.txt")
	if err := os.WriteFile(file, []byte("10:00 first\n10:01 "+strings.Repeat("x", 1<<20)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.fails("line 2 is longer than 64 KB", "log", "-i", id, "--file", file)
	if strings.Contains(r.stderr, "bufio") {
		t.Errorf("stderr %q quotes Go's scanner", r.stderr)
	}
	if js := e.show(id); js.hasEntry("note", "first") {
		t.Error("a refused file wrote its first line")
	}
}
