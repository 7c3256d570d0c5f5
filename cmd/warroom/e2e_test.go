package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real binary in a real terminal, as a person would:
// tmux runs it at a fixed size, send-keys types, capture-pane reads the screen.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

// requireTmux skips without tmux on a developer's machine, but fails in CI,
// where .ci/run sets WARROOM_E2E_REQUIRED so these tests cannot silently skip.
func requireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("WARROOM_E2E_REQUIRED") != "" {
			t.Fatal("tmux is required for the end-to-end tests (WARROOM_E2E_REQUIRED is set); install it with apt-get install tmux")
		}
		t.Skip("tmux not installed; the end-to-end tests need it")
	}
}

// startTmux runs warroom with args in a detached tmux session of w×h cells.
func (e *env) startTmux(w, h int, args ...string) *tmuxSession {
	e.t.Helper()
	return e.startTmuxNamed("warroom", w, h, args...)
}

// startTmuxNamed is startTmux with its own tmux server, for a second session.
func (e *env) startTmuxNamed(name string, w, h int, args ...string) *tmuxSession {
	e.t.Helper()
	return e.startTmuxAs(name, "", w, h, args...)
}

// startTmuxAs is startTmuxNamed with the program run by user ("" for the
// environment's tester), for two people on one database.
func (e *env) startTmuxAs(name, user string, w, h int, args ...string) *tmuxSession {
	e.t.Helper()
	requireTmux(e.t)
	s := &tmuxSession{t: e.t, socket: filepath.Join(e.dir, name+".sock"), name: name}
	var cmdline []string
	cmdline = append(cmdline, "env")
	for _, kv := range e.environ() {
		if strings.HasPrefix(kv, "TMUX") || strings.HasPrefix(kv, "NO_COLOR=") {
			continue
		}
		cmdline = append(cmdline, shellQuote(kv))
	}
	if user != "" {
		cmdline = append(cmdline, shellQuote("USER="+user))
	}
	cmdline = append(cmdline, "TERM=xterm-256color", "COLORTERM=truecolor", shellQuote(binPath))
	for _, a := range args {
		cmdline = append(cmdline, shellQuote(a))
	}
	// remain-on-exit keeps the pane after the program quits so the test can
	// read its last words.
	s.tmux("new-session", "-d", "-s", s.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), strings.Join(cmdline, " "))
	s.tmux("set-option", "-t", s.name, "remain-on-exit", "on")
	e.t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	return s
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys sends tmux key names such as "Enter", "C-c", "Tab".
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

// typeText sends text literally, as typed.
func (s *tmuxSession) typeText(text string) {
	s.t.Helper()
	s.tmux("send-keys", "-t", s.name, "-l", text)
}

// screen returns the visible pane as plain text.
func (s *tmuxSession) screen() string {
	s.t.Helper()
	return s.tmux("capture-pane", "-p", "-t", s.name)
}

// colorScreen returns the pane with its colour escape sequences.
func (s *tmuxSession) colorScreen() string {
	s.t.Helper()
	return s.tmux("capture-pane", "-e", "-p", "-t", s.name)
}

// waitFor polls the screen until it contains want.
func (s *tmuxSession) waitFor(want string, timeout time.Duration) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %q within %v; last screen:\n%s", want, timeout, scr)
	return ""
}

// waitExit waits until the program in the pane has exited.
func (s *tmuxSession) waitExit(timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		out := s.tmux("list-panes", "-t", s.name, "-F", "#{pane_dead}")
		if strings.TrimSpace(out) == "1" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("warroom did not exit within %v; screen:\n%s", timeout, s.screen())
}

func (s *tmuxSession) resize(w, h int) {
	s.t.Helper()
	s.tmux("resize-window", "-t", s.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h))
}
