package main

import (
	"encoding/json"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// syncCommits reads how many commits a sync made from its last line
// ("Synced 1 incident in DIR: 2 commits, pushed").
var syncCommits = regexp.MustCompile(`(?m)^Synced .*: (\d+) commits?, `)

// remoteCommits counts the commits the bare remote holds.
func remoteCommits(t *testing.T, remote string) int {
	t.Helper()
	out, err := exec.Command("git", "--git-dir", remote, "rev-list", "--count", "--all").CombinedOutput()
	if err != nil {
		t.Fatalf("git rev-list: %v\n%s", err, out)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRetroThreeLaptopsSyncUntilQuiet: three databases share one bare
// repository; each writes in one incident's retro offline through warroom
// retro (different lines of one section, fields of one why and one
// action, perspectives, new items, the status), then they sync in turns
// until a round brings nothing. All three end with the same record
// holding everything each wrote, and no sync commits after the record
// settled.
func TestRetroThreeLaptopsSyncUntilQuiet(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	amara, ben, chen := laptop(t, "amara"), laptop(t, "ben"), laptop(t, "chen")
	laptops := []*env{amara, ben, chen}
	id := amara.newIncident("Checkout failing", "--sev", "2")
	amara.ok("log", "-i", id, "payments queue at 40k") // #2
	amara.ok("retro", "-i", id, "section", "Introduction", "--text", "What happened.\nWhat the issue was.\nHow it was resolved.")
	why := lastLine(amara.ok("retro", "-i", id, "why", "add", "--why", "Why did checkout fail?", "--because", "The cache expired."))
	act := lastLine(amara.ok("retro", "-i", id, "action", "add", "Alert on queue depth"))
	for _, l := range laptops {
		l.ok("sync", "--remote", remote)
	}

	// Offline, all three at once.
	amara.ok("retro", "-i", id, "section", "Introduction", "--text", "Checkout failed for 12% of customers.\nWhat the issue was.\nHow it was resolved.")
	amara.ok("retro", "-i", id, "why", "edit", why, "--root")
	amara.ok("retro", "-i", id, "action", "done", act)
	amara.ok("retro", "-i", id, "perspective", "Introduction", "--text", "Amara saw the errors first.")
	amara.ok("retro", "-i", id, "factor", "add", "No alert on queue depth", "--evidence", "#2")
	ben.ok("retro", "-i", id, "section", "Introduction", "--text", "What happened.\nWhat the issue was.\nRolled back deploy 4711.")
	ben.ok("retro", "-i", id, "why", "edit", why, "--because", "The payment cache expired.")
	ben.ok("retro", "-i", id, "action", "edit", act, "--owner", "ben", "--long-term")
	ben.ok("retro", "-i", id, "perspective", "Introduction", "--text", "Ben rolled back.")
	benWhy := lastLine(ben.ok("retro", "-i", id, "why", "add", "--because", "Nobody owned its TTL."))
	chen.ok("retro", "-i", id, "section", "Timeline", "--text", "12:31 alert fired")
	chenAct := lastLine(chen.ok("retro", "-i", id, "action", "add", "Own the cache TTL", "--owner", "chen"))
	chen.ok("retro", "-i", id, "perspective", "Introduction", "--text", "Chen wrote the status updates.")
	chen.ok("retro", "-i", id, "status", "final")

	// In turns until a whole round commits nothing.
	quiet := false
	for round := 1; round <= 4 && !quiet; round++ {
		quiet = true
		for _, l := range laptops {
			before := remoteCommits(t, remote)
			out := l.ok("sync")
			m := syncCommits.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("sync printed no commit count:\n%s", out)
			}
			if m[1] != "0" {
				quiet = false
			}
			// One commit for a sync that brought something, saying
			// what and from whom; none for one that brought nothing.
			if n := remoteCommits(t, remote) - before; n > 1 || (n == 1) != (m[1] != "0") {
				t.Errorf("a sync printing %s commits added %d to the repository:\n%s", m[1], n, out)
			}
		}
	}
	if !quiet {
		t.Fatal("the three laptops still commit after 4 rounds of syncs")
	}
	settled := remoteCommits(t, remote)
	for _, l := range laptops {
		if out := l.ok("sync"); !strings.Contains(out, ": 0 commits, ") {
			t.Errorf("a sync after the record settled printed %q", out)
		}
	}
	if n := remoteCommits(t, remote); n != settled {
		t.Errorf("syncs with nothing new added %d commits", n-settled)
	}
	// Each commit says what it brought, and from whom.
	log, err := exec.Command("git", "--git-dir", remote, "log", "--format=%B%x00").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range strings.Split(string(log), "\x00") {
		if msg = strings.TrimSpace(msg); msg != "" && !strings.Contains(msg, " by ") && !strings.Contains(msg, " from ") {
			t.Errorf("a commit does not say what it brought:\n%s", msg)
		}
	}
	t.Logf("history:\n%s", log)

	// One record on every laptop.
	want, _ := json.MarshalIndent(amara.record(id), "", " ")
	for _, l := range laptops[1:] {
		if got, _ := json.MarshalIndent(l.record(id), "", " "); string(got) != string(want) {
			t.Fatalf("the laptops disagree after syncing until quiet:\n%s\n%s", want, got)
		}
	}
	rd := chen.retro(id)
	intro, contributors, ps := rd.section(t, "Introduction")
	if intro != "Checkout failed for 12% of customers.\nWhat the issue was.\nRolled back deploy 4711." {
		t.Errorf("Introduction after the sync:\n%s", intro)
	}
	for _, who := range []string{"amara", "ben"} {
		if !slices.Contains(contributors, who) {
			t.Errorf("Introduction's contributors %v lack %s", contributors, who)
		}
	}
	if ps["amara"] != "Amara saw the errors first." || ps["ben"] != "Ben rolled back." || ps["chen"] != "Chen wrote the status updates." {
		t.Errorf("perspectives after the sync: %v", ps)
	}
	if tl, _, _ := rd.section(t, "Timeline"); tl != "12:31 alert fired" {
		t.Errorf("Timeline after the sync: %q", tl)
	}
	if len(rd.Whys) != 2 || rd.Whys[0].UID != why || rd.Whys[1].UID != benWhy {
		t.Fatalf("whys after the sync: %+v", rd.Whys)
	}
	if w := rd.Whys[0]; w.Why != "Why did checkout fail?" || w.Because != "The payment cache expired." || !w.RootCause {
		t.Errorf("one laptop's root mark and another's because did not both apply: %+v", w)
	}
	if len(rd.Actions) != 2 || rd.Actions[0].UID != act || rd.Actions[1].UID != chenAct {
		t.Fatalf("actions after the sync: %+v", rd.Actions)
	}
	if a := rd.Actions[0]; !a.Done || a.Owner != "ben" || a.Kind != "long-term" {
		t.Errorf("one laptop's done and another's owner and kind did not both apply: %+v", a)
	}
	if len(rd.Factors) != 1 || rd.Factors[0].Cause != "No alert on queue depth" || len(rd.Factors[0].Evidence) != 1 || rd.Factors[0].Evidence[0].ID != 2 {
		t.Errorf("factors after the sync: %+v", rd.Factors)
	}
	if rd.Status != "final" {
		t.Errorf("status after the sync: %q", rd.Status)
	}
}
