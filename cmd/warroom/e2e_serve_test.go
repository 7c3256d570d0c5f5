package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeOverRealSSH runs `warroom serve` and connects with the OpenSSH
// client inside tmux, as a teammate would: the cockpit appears, a typed line
// is saved under the name in the key's comment.
func TestServeOverRealSSH(t *testing.T) {
	requireTmux(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("WARROOM_E2E_REQUIRED") != "" {
			t.Fatal("the OpenSSH client is required for this test (WARROOM_E2E_REQUIRED is set); install openssh-client")
		}
		t.Skip("no ssh client")
	}
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	key := filepath.Join(e.dir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "amara@laptop", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	team := filepath.Join(e.dir, "team_keys")
	if err := os.WriteFile(team, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, port, _ := net.SplitHostPort(addr)

	srv := exec.Command(binPath, "serve", "--listen", addr, "--authorized-keys", team, "--host-key", filepath.Join(e.dir, "host_key"))
	srv.Env = e.environ()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Process.Kill(); _ = srv.Wait() })
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("warroom serve did not listen on %s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}

	s := &tmuxSession{t: t, socket: filepath.Join(e.dir, "ssh.sock"), name: "ssh"}
	sshCmd := strings.Join([]string{"ssh", "-p", port, "-i", shellQuote(key), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes", "-tt", "amara@127.0.0.1"}, " ")
	s.tmux("new-session", "-d", "-s", s.name, "-x", "120", "-y", "40", "env TERM=xterm-256color "+sshCmd)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	s.waitFor("Checkout failing", 10*time.Second)
	s.typeText("!restarted workers from ssh")
	s.keys("Enter")
	s.waitFor("restarted workers from ssh", 5*time.Second)
	s.keys("C-c")

	js := e.show(id)
	for _, en := range js.Entries {
		if en.Text == "restarted workers from ssh" {
			if en.Author != "amara" || en.Kind != "action" {
				t.Fatalf("entry %+v: want author amara and kind action", en)
			}
			return
		}
	}
	t.Fatal("the line typed over SSH was not saved")
}
