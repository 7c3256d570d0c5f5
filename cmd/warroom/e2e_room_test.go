package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui/common"
)

// TestServeRoomOverRealSSH is the live room with real programs: amara over
// OpenSSH (sending TZ) and a local cockpit on the same database see each
// other in the header, a `warroom log` from a script shows on both, and
// SIGTERM to `warroom serve` ends amara's session saving her half-typed
// line, with her connection and disconnection logged.
func TestServeRoomOverRealSSH(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	room := startServe(t, e)

	ssh := sshInto(t, e, room, 120, 40, "TZ=Asia/Tokyo ", "-o", "SendEnv=TZ")
	ssh.waitFor("Checkout failing", 10*time.Second)
	ssh.waitFor("Asia/Tokyo", 5*time.Second)

	local := e.startTmuxNamed("local", 120, 40, "open", id)
	local.waitFor("Checkout failing", 10*time.Second)
	local.waitFor("here amara, tester", 10*time.Second)
	ssh.waitFor("here amara, tester", 10*time.Second)

	e.ok("log", "-i", id, "deploy 4711 rolled back by the pipeline")
	ssh.waitFor("deploy 4711 rolled back by the pipeline", 5*time.Second)
	local.waitFor("deploy 4711 rolled back by the pipeline", 5*time.Second)

	ssh.typeText("half typed when the server stopped")
	ssh.waitFor("half typed when the server stopped", 5*time.Second)
	if err := stopServe(t, room, syscall.SIGTERM); err != nil {
		t.Fatalf("warroom serve after SIGTERM: %v\n%s", err, room.stderr)
	}
	logs := room.stderr.String()
	for _, want := range []string{"connected name=amara addr=127.0.0.1:", "as=team", "disconnected name=amara"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log has no %q:\n%s", want, logs)
		}
	}
	ssh.waitExit(15 * time.Second)
	if line := halfTypedLine(t, e, id, "amara"); !strings.Contains(line, "half typed when the server stopped") {
		t.Fatalf("amara's half-typed line after SIGTERM is %q", line)
	}
	// The local cockpit saw amara leave the room.
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(local.screen(), "here amara") {
		if time.Now().After(deadline) {
			t.Fatalf("amara's session ended, but the local cockpit still shows her:\n%s", local.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestServeSIGINTSavesHalfTypedLines: ctrl+c in the terminal warroom serve
// runs in (a SIGINT, as its banner invites) ends each session through its
// saving quit, as SIGTERM does; without that every program caught the
// signal itself and ended with what was typed unsaved.
func TestServeSIGINTSavesHalfTypedLines(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing")
	room := startServe(t, e)
	ssh := sshInto(t, e, room, 100, 30, "")
	ssh.waitFor("Checkout failing", 10*time.Second)
	ssh.typeText("typed as the lead pressed ctrl+c")
	ssh.waitFor("typed as the lead pressed ctrl+c", 5*time.Second)
	_ = stopServe(t, room, syscall.SIGINT)
	ssh.waitExit(15 * time.Second)
	if logs := room.stderr.String(); strings.Contains(logs, "interrupted") {
		t.Errorf("a session was interrupted instead of ending through its saving quit:\n%s", logs)
	}
	if line := halfTypedLine(t, e, id, "amara"); !strings.Contains(line, "typed as the lead pressed ctrl+c") {
		t.Fatalf("amara's half-typed line after SIGINT is %q", line)
	}
}

// sshInto opens an OpenSSH session into room in a tmux of its own, with
// extra environment assignments (such as TZ=...) and ssh options.
func sshInto(t *testing.T, e *env, room servedRoom, w, h int, envs string, opts ...string) *tmuxSession {
	t.Helper()
	return sshIntoWith(t, e, "ssh", room.sshCommand(opts...), w, h, envs)
}

// sshIntoWith runs an ssh command line in a tmux named name.
func sshIntoWith(t *testing.T, e *env, name, command string, w, h int, envs string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, socket: filepath.Join(e.dir, name+".sock"), name: name}
	s.tmux("new-session", "-d", "-s", s.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "env TERM=xterm-256color "+envs+command)
	s.tmux("set-option", "-t", s.name, "remain-on-exit", "on")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	return s
}

// stopServe sends sig to warroom serve and waits for it to exit.
func stopServe(t *testing.T, room servedRoom, sig syscall.Signal) error {
	t.Helper()
	if err := room.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- room.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(15 * time.Second):
		t.Fatalf("warroom serve did not stop after %v:\n%s", sig, room.stderr)
		return nil
	}
}

// halfTypedLine reads the capture line kept for author on incident arg.
func halfTypedLine(t *testing.T, e *env, arg, author string) string {
	t.Helper()
	st, err := store.OpenExisting(e.db)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.ResolveID(arg)
	if err != nil {
		t.Fatal(err)
	}
	line, err := st.UIState(id, common.UIStateName(author))
	if err != nil {
		t.Fatal(err)
	}
	return line
}
