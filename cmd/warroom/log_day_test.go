package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A time given with --at that is not today is printed with its day: "at
// 10:30" alone would read as today when an HH:MM still to come today was
// taken as yesterday's.
func TestLogAtSaysTheDayWhenNotToday(t *testing.T) {
	e := newEnv(t)
	cfgDir := filepath.Join(e.dir, "config", "warroom")
	_ = os.MkdirAll(cfgDir, 0o700)
	_ = os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("timezone = \"UTC\"\n"), 0o600)
	now := time.Now().UTC()
	id := e.newIncident("Night outage", "--at", now.Add(-48*time.Hour).Format(time.RFC3339))

	y := now.Add(-24 * time.Hour)
	out := e.ok("log", "-i", id, "--at", y.Format(time.RFC3339), "pager fired")
	want := "note at " + y.Format("15:04") + " UTC yesterday, " + y.Format("Jan 2") + ": pager fired"
	if !strings.Contains(out, want) {
		t.Fatalf("log --at yesterday printed %q, want it to contain %q", out, want)
	}
	out = e.ok("log", "-i", id, "--at", "-5m", "paged again")
	if strings.Contains(out, "yesterday") && now.Add(-5*time.Minute).Day() == now.Day() {
		t.Fatalf("a time from today said a day: %q", out)
	}
	// An HH:MM still to come today is yesterday's, and says so.
	if later := now.Add(90 * time.Minute); later.Day() == now.Day() {
		out = e.ok("log", "-i", id, "--at", later.Format("15:04"), "clock time")
		if !strings.Contains(out, "at "+later.Format("15:04")+" UTC yesterday, "+y.Format("Jan 2")+": clock time") {
			t.Fatalf("log --at %s printed %q without yesterday's date", later.Format("15:04"), out)
		}
	}
}
