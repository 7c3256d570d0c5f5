package main

import (
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

	ssh := &tmuxSession{t: t, socket: filepath.Join(e.dir, "ssh.sock"), name: "ssh"}
	ssh.tmux("new-session", "-d", "-s", ssh.name, "-x", "120", "-y", "40", "env TERM=xterm-256color TZ=Asia/Tokyo "+room.sshCommand("-o", "SendEnv=TZ"))
	ssh.tmux("set-option", "-t", ssh.name, "remain-on-exit", "on")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", ssh.socket, "kill-server").Run() })
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
	if err := room.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ssh.waitExit(15 * time.Second)
	done := make(chan error, 1)
	go func() { done <- room.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("warroom serve after SIGTERM: %v\n%s", err, room.stderr)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("warroom serve did not stop after SIGTERM:\n%s", room.stderr)
	}
	logs := room.stderr.String()
	for _, want := range []string{"connected name=amara addr=127.0.0.1:", "as=team", "disconnected name=amara"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log has no %q:\n%s", want, logs)
		}
	}
	st, err := store.OpenExisting(e.db)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.ResolveID(id)
	if err != nil {
		t.Fatal(err)
	}
	line, err := st.UIState(n, common.UIStateName("amara"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(line, "half typed when the server stopped") {
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
	ssh := &tmuxSession{t: t, socket: filepath.Join(e.dir, "ssh.sock"), name: "ssh"}
	ssh.tmux("new-session", "-d", "-s", ssh.name, "-x", "100", "-y", "30", "env TERM=xterm-256color "+room.sshCommand())
	ssh.tmux("set-option", "-t", ssh.name, "remain-on-exit", "on")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", ssh.socket, "kill-server").Run() })
	ssh.waitFor("Checkout failing", 10*time.Second)
	ssh.typeText("typed as the lead pressed ctrl+c")
	ssh.waitFor("typed as the lead pressed ctrl+c", 5*time.Second)
	if err := room.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	ssh.waitExit(15 * time.Second)
	done := make(chan error, 1)
	go func() { done <- room.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("warroom serve did not stop after SIGINT:\n%s", room.stderr)
	}
	if logs := room.stderr.String(); strings.Contains(logs, "interrupted") {
		t.Errorf("a session was interrupted instead of ending through its saving quit:\n%s", logs)
	}
	st, err := store.OpenExisting(e.db)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.ResolveID(id)
	if err != nil {
		t.Fatal(err)
	}
	if line, err := st.UIState(n, common.UIStateName("amara")); err != nil || !strings.Contains(line, "typed as the lead pressed ctrl+c") {
		t.Fatalf("amara's half-typed line after SIGINT is %q (%v)", line, err)
	}
}
