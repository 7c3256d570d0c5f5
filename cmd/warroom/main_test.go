package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binPath is the warroom binary built once for the tests that run it as a
// person or a script would.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "warroom-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "warroom")
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building warroom:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is an isolated home for one test: its own database, config and data
// directories, so nothing outside t.TempDir() is touched.
type env struct {
	t   *testing.T
	dir string
	db  string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	return &env{t: t, dir: dir, db: filepath.Join(dir, "data", "warroom.db")}
}

func (e *env) environ() []string {
	return append(os.Environ(),
		"HOME="+e.dir,
		"XDG_CONFIG_HOME="+filepath.Join(e.dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(e.dir, "data-home"),
		"XDG_CACHE_HOME="+filepath.Join(e.dir, "cache"),
		"WARROOM_DB="+e.db,
		"USER=tester",
		"WARROOM_AUTHOR=",
		"NO_COLOR=1",
		"TZ=UTC",
		// Spool files (show --json, export --format json) stay here.
		"TMPDIR="+e.dir,
	)
}

type result struct {
	stdout, stderr string
	code           int
}

func (e *env) run(args ...string) result {
	e.t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = e.environ()
	cmd.Dir = e.dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("running warroom %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

// ok runs warroom and fails the test unless it exits 0.
func (e *env) ok(args ...string) string {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("warroom %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// fails runs warroom, expects exit 1 with one sentence on stderr that
// mentions want, and no Go stack trace.
func (e *env) fails(want string, args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 1 {
		e.t.Fatalf("warroom %s: exit %d, want 1\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	msg := strings.TrimSpace(r.stderr)
	if !strings.Contains(strings.ToLower(msg), strings.ToLower(want)) {
		e.t.Fatalf("warroom %s: stderr %q does not mention %q", strings.Join(args, " "), msg, want)
	}
	if strings.Count(msg, "\n") > 0 || strings.Contains(msg, "goroutine") || strings.Contains(msg, "panic") {
		e.t.Fatalf("warroom %s: stderr is not one clear line: %q", strings.Join(args, " "), msg)
	}
	return r
}

// newIncident declares an incident and returns its id from the last line.
func (e *env) newIncident(args ...string) string {
	e.t.Helper()
	out := strings.TrimSpace(e.ok(append([]string{"new"}, args...)...))
	lines := strings.Split(out, "\n")
	return lines[len(lines)-1]
}

// showJSON is the subset of `show --json` the tests read.
type showJSON struct {
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	Severity   string            `json:"severity"`
	Status     string            `json:"status"`
	Roles      map[string]string `json:"roles"`
	Milestones map[string]string `json:"milestones"`
	Entries    []struct {
		ID         int64  `json:"id"`
		At         string `json:"at"`
		RecordedAt string `json:"recorded_at"`
		Author     string `json:"author"`
		Kind       string `json:"kind"`
		Text       string `json:"text"`
		Starred    bool   `json:"starred"`
	} `json:"entries"`
	Updates []struct {
		At       string          `json:"at"`
		Author   string          `json:"author"`
		Status   string          `json:"status"`
		Text     string          `json:"text"`
		Delivery json.RawMessage `json:"delivery"`
	} `json:"updates"`
	Retro json.RawMessage `json:"retro"`
}

func (e *env) show(id string) showJSON {
	e.t.Helper()
	var s showJSON
	out := e.ok("show", id, "--json")
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		e.t.Fatalf("show --json is not JSON: %v\n%s", err, out)
	}
	return s
}

func (s showJSON) hasEntry(kind, text string) bool {
	for _, e := range s.Entries {
		if e.Kind == kind && e.Text == text {
			return true
		}
	}
	return false
}
