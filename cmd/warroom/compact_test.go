package main

import (
	"regexp"
	"strings"
	"testing"
)

// check reports the file's size beside what it uses; compact writes it
// anew and everything reads as before.
func TestCheckSizeAndCompact(t *testing.T) {
	e := newEnv(t)
	e.newIncident("payments down")
	for i := range 5 {
		e.ok("log", "-i", "1", strings.Repeat("checked the pool ", i+1))
	}
	out := e.ok("check")
	if !regexp.MustCompile(`(?m)^Size: +[0-9.]+ MB, [0-9.]+ MB in use \([0-9.]+×\)$`).MatchString(out) {
		t.Errorf("check prints no size line:\n%s", out)
	}
	before := e.ok("show", "1", "--json")
	out = e.ok("compact")
	if !regexp.MustCompile(`^Compacted .+warroom\.db: [0-9.]+ MB, was [0-9.]+ MB\n$`).MatchString(out) {
		t.Errorf("compact printed %q", out)
	}
	if after := e.ok("show", "1", "--json"); after != before {
		t.Errorf("show --json differs after compact:\n%s\nwas\n%s", after, before)
	}
	if out := e.ok("check"); !strings.Contains(out, "OK: no problems found.") {
		t.Errorf("check after compact:\n%s", out)
	}
	e.ok("log", "-i", "1", "after compacting")
	if out := e.ok("show", "1"); !strings.Contains(out, "after compacting") {
		t.Errorf("a line logged after compact is not shown:\n%s", out)
	}
}
