package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeConfig writes the test's config.toml.
func (e *env) writeConfig(text string) {
	e.t.Helper()
	dir := filepath.Join(e.dir, "config", "warroom")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(text), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// readSite reads one file of a written status page.
func readSite(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("the status page has no %s: %v", name, err)
	}
	return string(data)
}

// waitForFile waits until the file at path holds want (a publish writes
// the page in the background) and returns its content.
func waitForFile(t *testing.T, path, want string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		data, _ := os.ReadFile(path)
		if strings.Contains(string(data), want) {
			return string(data)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not show %q after %s:\n%s", path, want, timeout, data)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestStatusPageCommand(t *testing.T) {
	e := newEnv(t)
	site := filepath.Join(e.dir, "site")
	e.fails("no warroom database", "status-page", "--dir", site)
	id := e.newIncident("Checkout failing", "--sev", "1")
	e.ok("log", "-i", id, "internal note: the db password is hunter2")
	e.fails("give --dir DIR, or set status_page_dir", "status-page")

	// Nothing published yet: the page says nothing about the incident.
	e.ok("status-page", "--dir", site)
	if index := readSite(t, site, "index.html"); !strings.Contains(index, "No open incidents.") || strings.Contains(index, "Checkout") {
		t.Fatalf("an incident with no public update is on the page:\n%s", index)
	}
	e.ok("log", "-i", id, "/publish We are investigating failed card payments.")
	out := e.ok("status-page", "--dir", site)
	if !strings.Contains(out, "Wrote the status page to "+site) {
		t.Errorf("status-page printed %q", out)
	}
	index := readSite(t, site, "index.html")
	for _, want := range []string{"1 open incident.", "Checkout failing", "We are investigating failed card payments.", "Critical", "Times are in UTC"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if strings.Contains(index, "hunter2") || strings.Contains(index, "tester") {
		t.Error("the timeline or a person's name reached the page")
	}
	var s struct {
		Incidents []struct {
			ID, Page string
			Updates  []struct{ Text string }
		}
	}
	if err := json.Unmarshal([]byte(readSite(t, site, "status.json")), &s); err != nil || len(s.Incidents) != 1 || len(s.Incidents[0].Updates) != 1 {
		t.Fatalf("status.json: %+v %v", s, err)
	}
	readSite(t, site, s.Incidents[0].Page)
	if !strings.Contains(readSite(t, site, "feed.atom"), "We are investigating failed card payments.") {
		t.Error("feed.atom lacks the update")
	}
	if out := e.ok("status-page", "--dir", site); !strings.Contains(out, "up to date") {
		t.Errorf("a second run printed %q, want nothing rewritten", out)
	}
	// A directory that cannot be made is a clear error.
	blocker := filepath.Join(e.dir, "blocker")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	e.fails("cannot create the status page directory", "status-page", "--dir", filepath.Join(blocker, "site"))
}

// TestStatusPageOnLogPublish: with status_page_dir set, warroom log
// /publish writes the page; a page that cannot be written is reported and
// the update stays published.
func TestStatusPageOnLogPublish(t *testing.T) {
	e := newEnv(t)
	site := filepath.Join(e.dir, "public")
	e.writeConfig("status_page_dir = " + strconvQuote(site) + "\n[status_page]\norg = \"Example Ltd\"\n")
	id := e.newIncident("Login slow")
	e.ok("log", "-i", id, "/publish Logins are slow; we are looking into it.")
	index := readSite(t, site, "index.html")
	if !strings.Contains(index, "Logins are slow; we are looking into it.") || !strings.Contains(index, "Example Ltd status") {
		t.Fatalf("the publish did not write the page:\n%s", index)
	}
	// A backfilled publish from a file is on the page too.
	lines := filepath.Join(e.dir, "lines.txt")
	if err := os.WriteFile(lines, []byte("2026-01-01 10:00 /publish An earlier update, backfilled.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := e.newIncident("Old outage", "--at", "2026-01-01T09:00:00Z")
	e.ok("log", "-i", other, "--file", lines)
	if err := json.Unmarshal([]byte(readSite(t, site, "status.json")), new(any)); err != nil {
		t.Fatal(err)
	}
	page := e.pageOf(site, "Old outage")
	if !strings.Contains(readSite(t, site, page), "An earlier update, backfilled.") {
		t.Error("log --file's publish did not write the page")
	}

	// The directory is now a file: the publish still succeeds, and says
	// the page was not written.
	if err := os.RemoveAll(site); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(site, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := e.run("log", "-i", id, "/publish Logins are fast again.")
	if r.code != 0 || !strings.Contains(r.stdout, "published #") {
		t.Fatalf("the publish failed with the page: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "the update is published, but the status page in "+site+" was not regenerated") {
		t.Errorf("stderr %q does not say the page was not written", r.stderr)
	}
	if js := e.show(id); len(js.Updates) != 2 {
		t.Errorf("%d updates stored, want 2", len(js.Updates))
	}
}

// pageOf finds the incident page whose title is title in status.json.
func (e *env) pageOf(site, title string) string {
	e.t.Helper()
	var s struct {
		Incidents []struct{ Title, Page string }
	}
	if err := json.Unmarshal([]byte(readSite(e.t, site, "status.json")), &s); err != nil {
		e.t.Fatal(err)
	}
	for _, inc := range s.Incidents {
		if inc.Title == title {
			return inc.Page
		}
	}
	// Resolved long ago or never listed: the page is still there.
	matches, _ := filepath.Glob(filepath.Join(site, "incidents", strings.ReplaceAll(strings.ToLower(title), " ", "-")+"-*.html"))
	if len(matches) != 1 {
		e.t.Fatalf("no page for %q: %v", title, matches)
	}
	rel, _ := filepath.Rel(site, matches[0])
	return rel
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestStatusPageOnCockpitPublish publishes in the real cockpit in tmux and
// waits for the page to show the update.
func TestStatusPageOnCockpitPublish(t *testing.T) {
	e := newEnv(t)
	site := filepath.Join(e.dir, "public")
	e.writeConfig("status_page_dir = " + strconvQuote(site) + "\n")
	id := e.newIncident("Checkout failing", "--sev", "2")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Public update", 5*time.Second)
	s.typeText("/publish Card payments are failing for some customers. We are investigating.")
	s.keys("Enter")
	s.waitFor("Published", 5*time.Second)
	index := waitForFile(t, filepath.Join(site, "index.html"), "Card payments are failing for some customers.", 10*time.Second)
	if !strings.Contains(index, "1 open incident.") {
		t.Errorf("index after the cockpit's publish:\n%s", index)
	}
	// A second publish from the same cockpit rewrites it.
	s.typeText("/status identified")
	s.keys("Enter")
	s.typeText("/publish We found the cause and are fixing it.")
	s.keys("Enter")
	waitForFile(t, filepath.Join(site, "index.html"), "We found the cause and are fixing it.", 10*time.Second)
	s.keys("C-c")
	s.waitExit(3 * time.Second)
}

// TestSyncWritesStatusPage: with status_page_dir set, warroom sync writes
// the page into the repository as status/; two laptops that published
// offline at once merge without a conflict and end with the same page.
func TestSyncWritesStatusPage(t *testing.T) {
	isolateGit(t)
	remote := bareRemote(t)
	a, b := laptop(t, "amara"), laptop(t, "ben")
	for l, who := range map[*env]string{a: "amara", b: "ben"} {
		l.writeConfig("author = \"" + who + "\"\nstatus_page_dir = " + strconvQuote(filepath.Join(l.dir, "public")) + "\n")
	}
	id := a.newIncident("Checkout failing", "--sev", "2")
	a.ok("log", "-i", id, "/publish We are investigating failed payments.")
	a.ok("sync", "--remote", remote)
	b.ok("sync", "--remote", remote)
	a.ok("log", "-i", id, "--at", "-2m", "/publish Update from amara's laptop.")
	b.ok("log", "-i", "1", "/publish Update from ben's laptop.")
	for range 2 {
		a.ok("sync")
		b.ok("sync")
	}
	pa, pb := filepath.Join(a.repo(), "status"), filepath.Join(b.repo(), "status")
	files := siteFiles(t, pa)
	if len(files) != 4 {
		t.Fatalf("status/ holds %v, want index.html, status.json, feed.atom and one incident page", files)
	}
	for name, data := range files {
		if other := siteFiles(t, pb)[name]; other != data {
			t.Errorf("status/%s differs between the laptops", name)
		}
	}
	index := files["index.html"]
	for _, want := range []string{"We are investigating failed payments.", "Update from amara&#39;s laptop.", "Update from ben&#39;s laptop."} {
		if !strings.Contains(index, want) {
			t.Errorf("status/index.html lacks %q", want)
		}
	}
	if strings.Index(index, "Update from ben") > strings.Index(index, "Update from amara") {
		t.Error("the latest update (ben's) is not first")
	}
	before := a.git("rev-parse", "HEAD")
	a.ok("sync")
	if a.git("rev-parse", "HEAD") != before {
		t.Errorf("a sync with nothing new committed:\n%s", a.git("show", "--stat", "HEAD"))
	}
}

// siteFiles reads every file of a written site by its path in it.
func siteFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStatusPageOnSSHRoomPublish publishes from a session of the SSH war
// room (warroom serve, reached with OpenSSH in tmux): the server writes the
// page.
func TestStatusPageOnSSHRoomPublish(t *testing.T) {
	e := newEnv(t)
	site := filepath.Join(e.dir, "public")
	e.writeConfig("status_page_dir = " + strconvQuote(site) + "\n")
	e.newIncident("Checkout failing", "--sev", "2")
	room := startServe(t, e)
	ssh := sshInto(t, e, room, 120, 40, "")
	ssh.waitFor("Checkout failing", 10*time.Second)
	ssh.waitFor("Public update", 5*time.Second)
	ssh.typeText("/publish Some customers cannot pay by card. We are investigating.")
	ssh.keys("Enter")
	ssh.waitFor("Published", 5*time.Second)
	waitForFile(t, filepath.Join(site, "index.html"), "Some customers cannot pay by card. We are investigating.", 10*time.Second)
}
