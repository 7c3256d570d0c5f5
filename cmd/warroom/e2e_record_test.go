package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// End-to-end tests of "the timeline is the record" (product §1a): what one
// person types lands in the order typed even when typed faster than the
// disk writes, shared texts are merged rather than overwritten, a crash
// loses at most the last moment of a half-typed line, and scripts writing
// beside a busy cockpit are neither refused nor lost.

// TestRecordBurstKeepsTypedOrder types thirty lines, each with its Enter, in
// one send-keys call and quits at once: all thirty are on the timeline, in
// the order typed, with exactly the text typed.
func TestRecordBurstKeepsTypedOrder(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Burst of lines")
	before := len(e.show(id).Entries)
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)

	var want, keys []string
	for i := 1; i <= 30; i++ {
		line := fmt.Sprintf("line %02d", i)
		want = append(want, line)
		keys = append(keys, line, "Enter")
	}
	s.keys(keys...)
	s.keys("C-c")
	s.waitExit(10 * time.Second)

	if got := entryTexts(e.show(id), before); !slices.Equal(got, want) {
		t.Fatalf("after quitting, the timeline gained %d entries %q\nwant exactly %q", len(got), got, want)
	}
}

// TestRecordDraftThenPublishFiveRounds sends five /draft TEXT + /publish
// pairs in one burst: each /publish publishes exactly the draft typed just
// before it, in order.
func TestRecordDraftThenPublishFiveRounds(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Draft and publish")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)
	s.waitFor("investigating draft", 5*time.Second)

	var want, keys []string
	for n := 1; n <= 5; n++ {
		text := fmt.Sprintf("Round %d update text.", n)
		want = append(want, text)
		keys = append(keys, "/draft "+text, "Enter", "/publish", "Enter")
	}
	s.keys(keys...)
	waitShow(t, e, id, 5*time.Second, func(js showJSON) bool { return len(js.Updates) >= len(want) }, s)
	s.keys("C-c")
	s.waitExit(5 * time.Second)

	js := e.show(id)
	var got []string
	for _, u := range js.Updates {
		got = append(got, u.Text)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("updates = %q\nwant exactly %q", got, want)
	}
}

// TestRecordStatusFlipsInABurst flips the status four times in one send:
// every change is logged in the order typed and the last one wins.
func TestRecordStatusFlipsInABurst(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Status flips")
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)

	s.keys("/status identified", "Enter", "/status monitoring", "Enter",
		"/status identified", "Enter", "/status monitoring", "Enter")
	statusEntries := func(js showJSON) []string {
		var out []string
		for _, en := range js.Entries {
			if en.Kind == "status" {
				out = append(out, en.Text)
			}
		}
		return out
	}
	waitShow(t, e, id, 10*time.Second, func(js showJSON) bool { return len(statusEntries(js)) >= 4 }, s)
	s.keys("C-c")
	s.waitExit(5 * time.Second)

	js := e.show(id)
	if js.Status != "monitoring" {
		t.Errorf("final status %q, want monitoring", js.Status)
	}
	want := []string{
		"Status investigating → identified",
		"Status identified → monitoring",
		"Status monitoring → identified",
		"Status identified → monitoring",
	}
	if got := statusEntries(js); !slices.Equal(got, want) {
		t.Errorf("status entries %q\nwant %q", got, want)
	}
}

// TestRecordTwoCockpitsOneRetroSection has two people, each in their own
// cockpit on the same database, type into the Introduction at the same time,
// a few words each in turn: neither overwrites the other.
func TestRecordTwoCockpitsOneRetroSection(t *testing.T) {
	requireTmux(t)
	a := newEnv(t)
	b := &env{t: t, dir: t.TempDir(), db: a.db}
	writeConfig(t, a, `author = "amara"`+"\n")
	writeConfig(t, b, `author = "ben"`+"\n")
	id := a.newIncident("Shared retro")

	sa := a.startTmuxNamed("amara", 120, 40, "open", id)
	sb := b.startTmuxNamed("ben", 120, 40, "open", id)
	for _, s := range []*tmuxSession{sa, sb} {
		s.waitFor("Incident declared", 5*time.Second)
		s.typeText("/retro")
		s.keys("Enter")
		s.waitFor("How was it resolved?", 5*time.Second)
		s.keys("Enter")
		s.waitFor("saved as you type", 5*time.Second)
	}

	// Words unique to each person, none a substring of another, so each one
	// can be looked for on its own.
	wordsA := strings.Fields("Amara noticed checkout errors climbing shortly after Tuesday's morning release and paged everyone")
	wordsB := strings.Fields("Ben discovered our payment provider throttling requests then switched traffic toward its backup region")
	const chunk = 3
	for i := 0; i < len(wordsA) || i < len(wordsB); i += chunk {
		for _, p := range []struct {
			s     *tmuxSession
			words []string
		}{{sa, wordsA}, {sb, wordsB}} {
			if i >= len(p.words) {
				continue
			}
			part := p.words[i:min(i+chunk, len(p.words))]
			p.s.typeText(strings.Join(part, " ") + " ")
			// A pause like a person's, longer than nothing and shorter than
			// the other's next turn, so saves cross while both are typing.
			time.Sleep(250 * time.Millisecond)
		}
	}
	time.Sleep(2 * time.Second)
	sa.keys("C-c")
	sb.keys("C-c")
	sa.waitExit(5 * time.Second)
	sb.waitExit(5 * time.Second)

	var retro struct {
		Sections []struct {
			Title        string   `json:"title"`
			Text         string   `json:"text"`
			Contributors []string `json:"contributors"`
		} `json:"sections"`
	}
	js := a.show(id)
	if err := json.Unmarshal(js.Retro, &retro); err != nil {
		t.Fatalf("retro in show --json: %v\n%s", err, js.Retro)
	}
	var text string
	var contributors []string
	found := false
	for _, sec := range retro.Sections {
		if sec.Title == "Introduction" {
			text, contributors, found = sec.Text, sec.Contributors, true
		}
	}
	if !found {
		t.Fatalf("no Introduction section in %s", js.Retro)
	}
	var missingA, missingB []string
	for _, w := range wordsA {
		if !strings.Contains(text, w) {
			missingA = append(missingA, w)
		}
	}
	for _, w := range wordsB {
		if !strings.Contains(text, w) {
			missingB = append(missingB, w)
		}
	}
	if len(missingA) > 0 || len(missingB) > 0 {
		t.Errorf("the Introduction lost words: amara's %q, ben's %q\ntext: %q", missingA, missingB, text)
	}
	if !slices.Contains(contributors, "amara") || !slices.Contains(contributors, "ben") {
		t.Errorf("Introduction contributors %q, want amara and ben", contributors)
	}
}

// TestRecordKillDuringSteadyTyping types a sentence word by word without
// ever pausing long, kills the cockpit with SIGKILL, and opens it again: the
// half-typed line is back, missing at most the words of the last second.
func TestRecordKillDuringSteadyTyping(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Killed while typing")
	// Wide enough that the whole sentence shows on the capture line.
	const width = 220
	s := e.startTmux(width, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)
	pid := s.warroomPID()

	words := strings.Fields("the card payments started failing for customers in europe soon after the morning deploy " +
		"so we paused the rollout and moved traffic back to the old cluster while the vendor checked " +
		"their side and support kept answering")
	var sent []time.Time
	start := time.Now()
	for _, w := range words {
		if time.Since(start) > 3*time.Second {
			break
		}
		s.typeText(w + " ")
		sent = append(sent, time.Now())
		time.Sleep(100 * time.Millisecond)
	}
	killed := time.Now()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 %d: %v", pid, err)
	}
	s.waitExit(5 * time.Second)

	// Every word sent more than a second before the kill must be kept.
	need := 0
	for need < len(sent) && sent[need].Before(killed.Add(-time.Second)) {
		need++
	}
	typed := strings.Join(words[:len(sent)], " ")
	required := strings.Join(words[:need], " ")

	s2 := e.startTmuxNamed("again", width, 40, "open", id)
	s2.waitFor("Incident declared", 5*time.Second)
	var line string
	deadline := time.Now().Add(5 * time.Second)
	for {
		line = captureLineText(s2.screen())
		if strings.HasPrefix(line, required) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	s2.keys("C-c")
	s2.waitExit(5 * time.Second)

	// What is not a prefix of the typed sentence (an empty line shows its
	// placeholder) kept nothing.
	kept := 0
	if strings.HasPrefix(typed, line) {
		kept = len(strings.Fields(line))
	}
	// lost is how long before the kill the first word that did not come
	// back was typed: the window of typing the crash cost.
	lost := time.Duration(0)
	if kept < len(sent) {
		lost = killed.Sub(sent[kept])
	}
	if !strings.HasPrefix(typed, line) || !strings.HasPrefix(line, required) {
		t.Fatalf("after kill -9 the capture line came back as %q (%d words of the sentence kept), losing the last %v of typing;\n"+
			"typed %d words over %v, the last %d within the final second; want at least the first %d:\n%q",
			line, kept, lost.Round(time.Millisecond), len(sent), killed.Sub(start).Round(time.Millisecond), len(sent)-need, need, required)
	}
	t.Logf("kept %d of %d words typed (at least %d required): lost the last %v of typing",
		kept, len(sent), need, lost.Round(time.Millisecond))
}

// TestRecordScriptsBesideABusyCockpit runs eight `warroom log` processes at
// once while a person logs a line every 60 ms: no script is refused or lost,
// and neither is any of the person's lines, which stay in the order typed.
func TestRecordScriptsBesideABusyCockpit(t *testing.T) {
	requireTmux(t)
	e := newEnv(t)
	id := e.newIncident("Busy cockpit")
	before := len(e.show(id).Entries)
	s := e.startTmux(120, 40, "open", id)
	s.waitFor("Incident declared", 5*time.Second)

	type outcome struct {
		n      int
		err    error
		stderr string
	}
	results := make(chan outcome, 8)
	var wg sync.WaitGroup
	var typed []string
	start := time.Now()
	launched := false
	for i := 1; time.Since(start) < 3*time.Second; i++ {
		line := fmt.Sprintf("busy %02d", i)
		s.keys(line, "Enter")
		typed = append(typed, line)
		if !launched && time.Since(start) > 500*time.Millisecond {
			launched = true
			for n := 1; n <= 8; n++ {
				wg.Add(1)
				go func(n int) {
					defer wg.Done()
					cmd := exec.Command(binPath, "log", "-i", id, fmt.Sprintf("script %d", n))
					cmd.Env = e.environ()
					cmd.Dir = e.dir
					var errb bytes.Buffer
					cmd.Stderr = &errb
					results <- outcome{n, cmd.Run(), errb.String()}
				}(n)
			}
		}
		time.Sleep(60 * time.Millisecond)
	}
	wg.Wait()
	close(results)
	for r := range results {
		if r.err != nil {
			t.Errorf("warroom log \"script %d\": %v: %s", r.n, r.err, strings.TrimSpace(r.stderr))
		}
	}
	total := len(typed) + 8
	waitShow(t, e, id, 10*time.Second, func(js showJSON) bool { return len(js.Entries)-before >= total }, s)
	s.keys("C-c")
	s.waitExit(5 * time.Second)
	js := e.show(id)

	var mine, scripts []string
	for _, text := range entryTexts(js, before) {
		if strings.HasPrefix(text, "script ") {
			scripts = append(scripts, text)
		} else {
			mine = append(mine, text)
		}
	}
	slices.Sort(scripts)
	want := []string{"script 1", "script 2", "script 3", "script 4", "script 5", "script 6", "script 7", "script 8"}
	if !slices.Equal(scripts, want) {
		t.Errorf("script entries %q, want each of %q once", scripts, want)
	}
	if !slices.Equal(mine, typed) {
		t.Errorf("the cockpit's %d lines came out as %d entries %q\nwant %q", len(typed), len(mine), mine, typed)
	}
}

// entryTexts returns the texts of the entries after the first skip.
func entryTexts(js showJSON, skip int) []string {
	var out []string
	for _, en := range js.Entries[min(skip, len(js.Entries)):] {
		out = append(out, en.Text)
	}
	return out
}

// waitShow polls show --json until ok holds, failing with the last
// incident and screen after timeout.
func waitShow(t *testing.T, e *env, id string, timeout time.Duration, ok func(showJSON) bool, s *tmuxSession) showJSON {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		js := e.show(id)
		if ok(js) {
			return js
		}
		if time.Now().After(deadline) {
			out, _ := json.MarshalIndent(js, "", "  ")
			t.Fatalf("show --json never reached the expected state within %v:\n%s\nscreen:\n%s", timeout, out, s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// writeConfig writes e's config.toml.
func writeConfig(t *testing.T, e *env, body string) {
	t.Helper()
	dir := filepath.Join(e.dir, "config", "warroom")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// captureLineText reads the capture line's text off the screen: the row
// that starts with the prompt.
func captureLineText(screen string) string {
	for _, row := range strings.Split(screen, "\n") {
		if rest, ok := strings.CutPrefix(row, " › "); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// warroomPID finds the warroom process in the pane: the pane's own process
// when the shell and env exec it, else a descendant running the binary.
func (s *tmuxSession) warroomPID() int {
	s.t.Helper()
	root, err := strconv.Atoi(strings.TrimSpace(s.tmux("list-panes", "-t", s.name, "-F", "#{pane_pid}")))
	if err != nil {
		s.t.Fatalf("pane pid: %v", err)
	}
	want, _ := filepath.EvalSymlinks(binPath)
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err == nil && (exe == binPath || exe == want) {
			return pid
		}
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
		for _, f := range tasks {
			b, _ := os.ReadFile(f)
			for _, c := range strings.Fields(string(b)) {
				if n, err := strconv.Atoi(c); err == nil {
					queue = append(queue, n)
				}
			}
		}
	}
	s.t.Fatalf("no warroom process under the pane's process %d", root)
	return 0
}
