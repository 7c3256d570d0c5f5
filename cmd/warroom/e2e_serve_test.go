package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeOverRealSSH runs `warroom serve` and connects with the OpenSSH
// client inside tmux, as a teammate would: the cockpit appears, a typed line
// is saved under the name in the key's comment, whatever user name ssh sends.
func TestServeOverRealSSH(t *testing.T) {
	e := newEnv(t)
	id := e.newIncident("Checkout failing", "--sev", "2")
	room := startServe(t, e)

	s := &tmuxSession{t: t, socket: filepath.Join(e.dir, "ssh.sock"), name: "ssh"}
	sshCmd := room.sshCommand()
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

// requireSSH skips a test without the OpenSSH client, or fails it when
// WARROOM_E2E_REQUIRED is set.
func requireSSH(t *testing.T) {
	t.Helper()
	requireTmux(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("WARROOM_E2E_REQUIRED") != "" {
			t.Fatal("the OpenSSH client is required for this test (WARROOM_E2E_REQUIRED is set); install openssh-client")
		}
		t.Skip("no ssh client")
	}
}

// servedRoom is a running `warroom serve` with one team key, amara@laptop.
type servedRoom struct {
	port, key string
	// benKey is a second teammate's key, for two people in the room.
	benKey string
	cmd    *exec.Cmd
	stderr *lockedBuffer
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startServe makes amara's key, serves the war room to it and waits until
// it listens.
func startServe(t *testing.T, e *env) servedRoom {
	t.Helper()
	requireSSH(t)
	var lines []byte
	keygen := func(name string) string {
		key := filepath.Join(e.dir, "id_"+name)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name+"@laptop", "-f", key).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		pub, err := os.ReadFile(key + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		// The options a hardened authorized_keys line carries are honoured.
		lines = append(append(lines, `restrict,pty,from="127.0.0.1,::1" `...), pub...)
		return key
	}
	key, benKey := keygen("amara"), keygen("ben")
	team := filepath.Join(e.dir, "team_keys")
	if err := os.WriteFile(team, lines, 0o600); err != nil {
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
	stderr := &lockedBuffer{}
	srv.Stderr = stderr
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
	return servedRoom{port: port, key: key, benKey: benKey, cmd: srv, stderr: stderr}
}

// sshCommand is the OpenSSH command line that connects to the room as
// amara; extra options go before the host.
func (r servedRoom) sshCommand(extra ...string) string { return r.sshCommandWith(r.key, extra...) }

// sshCommandWith connects with the given key.
func (r servedRoom) sshCommandWith(key string, extra ...string) string {
	args := []string{"ssh", "-p", r.port, "-i", shellQuote(key), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes", "-tt"}
	return strings.Join(append(append(args, extra...), "root@127.0.0.1"), " ")
}

// TestServeRefusesKeysFilesItCannotHonour: a key option warroom does not
// implement, or one key in both files, stops `warroom serve` before it
// listens, with one sentence naming the line, the option or the files.
func TestServeRefusesKeysFilesItCannotHonour(t *testing.T) {
	e := newEnv(t)
	e.newIncident("Checkout failing")
	const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPXuaWKkURx0TWSfprXpXAqB8dd2Yn5KPiHkjDIP7DRE"
	write := func(name, text string) string {
		p := filepath.Join(e.dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hostKey := filepath.Join(e.dir, "host_key")
	forced := write("forced_keys", "# the team\n"+`command="/usr/bin/uptime" `+key+" amara\n")
	r := e.fails("line 2 of "+forced, "serve", "--listen", "127.0.0.1:0", "--authorized-keys", forced, "--host-key", hostKey)
	if !strings.Contains(r.stderr, `"command"`) {
		t.Fatalf("stderr %q does not name the option", r.stderr)
	}
	e.fails("host name", "serve", "--listen", "127.0.0.1:0", "--authorized-keys", write("dns_keys", `from="*.corp.example" `+key+"\n"), "--host-key", hostKey)

	team, viewers := write("team_keys", key+" amara@laptop\n"), write("viewer_keys", key+" cfo\n")
	r = e.fails("amara@laptop", "serve", "--listen", "127.0.0.1:0", "--authorized-keys", team, "--viewer-keys", viewers, "--host-key", hostKey)
	if !strings.Contains(r.stderr, team) || !strings.Contains(r.stderr, viewers) {
		t.Fatalf("stderr %q does not name both files", r.stderr)
	}
}
