package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/incident"
	"github.com/warroom-cli/warroom/internal/store"
)

type keypair struct {
	signer gossh.Signer
	line   string
}

func newKey(t testing.TB, comment string) keypair {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, _ := gossh.NewPublicKey(pub)
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sshPub))) + " " + comment + "\n"
	return keypair{signer: signer, line: line}
}

type warRoom struct {
	addr string
	st   *store.Store
	id   int64
	srv  *Server
}

func startWarRoom(t *testing.T, team, viewers []keypair) warRoom {
	t.Helper()
	lines := func(keys []keypair) string {
		var b strings.Builder
		b.WriteString("# comment lines are skipped\n\n")
		for _, k := range keys {
			b.WriteString(k.line)
		}
		return b.String()
	}
	return startWarRoomFiles(t, lines(team), lines(viewers), nil)
}

// startWarRoomFiles serves a war room whose keys files hold team and
// viewers; setup, if not nil, adjusts the server before it serves.
func startWarRoomFiles(t testing.TB, team, viewers string, setup func(*Server)) warRoom {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "warroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	inc, _ := incident.NewIncident("Checkout failing", 2, time.Now(), incident.DefaultPolicy())
	created, err := st.CreateIncident(inc, "setup")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	srv, err := New(Options{
		Store: st, Config: config.Default(),
		AuthorizedKeys: write("team", team), ViewerKeys: write("viewers", viewers),
		HostKey: filepath.Join(dir, "host_ed25519"), PollEvery: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(srv)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	// Sessions save as they end; they must be done before the folder
	// is removed.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return warRoom{addr: l.Addr().String(), st: st, id: created.ID, srv: srv}
}

// session is one SSH client with a terminal, collecting what it is sent.
type session struct {
	t     testing.TB
	in    interface{ Write([]byte) (int, error) }
	mu    sync.Mutex
	out   bytes.Buffer
	close func()
}

func (s *session) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

func (s *session) waitFor(want string) {
	s.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		got := s.out.String()
		s.mu.Unlock()
		if strings.Contains(got, want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Fatalf("the SSH session never showed %q; it got %d bytes: %q", want, s.out.Len(), s.out.String())
}

// mustDial is dial for a connection the test needs: a failure ends it.
func mustDial(t *testing.T, addr string, key keypair) *session {
	t.Helper()
	s, err := dial(t, addr, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dial(t *testing.T, addr string, key keypair) (*session, error) {
	t.Helper()
	return dialAs(t, addr, "someone", key)
}

// connect is an authenticated SSH connection with no session yet.
func connect(addr, user string, key keypair) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), // a test server's fresh host key
		Timeout:         5 * time.Second,
	})
}

func dialAs(t *testing.T, addr, user string, key keypair) (*session, error) {
	t.Helper()
	return dialWith(t, addr, user, key, nil, 40)
}

// dialWith opens a session with env sent before the shell (as SendEnv
// does) on a 120-column terminal of rows rows.
func dialWith(t testing.TB, addr, user string, key keypair, env map[string]string, rows int) (*session, error) {
	t.Helper()
	client, err := connect(addr, user, key)
	if err != nil {
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	s := &session{t: t}
	sess.Stdout = s
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.in = stdin
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty("xterm-256color", rows, 120, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	// Answer the background-colour and device-attributes queries the way
	// a real terminal does.
	_, _ = stdin.Write([]byte("\x1b]11;rgb:1c1c/1c1c/1c1c\x07\x1b[?62;22c"))
	s.close = func() { sess.Close(); client.Close() }
	t.Cleanup(s.close)
	return s, nil
}

func TestTeamMemberWritesUnderTheirName(t *testing.T) {
	amara := newKey(t, "amara@laptop")
	wr := startWarRoom(t, []keypair{amara}, nil)
	s := mustDial(t, wr.addr, amara)
	s.waitFor("Checkout failing")
	if _, err := s.in.Write([]byte("!restarted the workers over ssh\r")); err != nil {
		t.Fatal(err)
	}
	e := wr.waitForEntry(t, "restarted the workers over ssh")
	if e.Author != "amara" || e.Kind != incident.KindAction {
		t.Fatalf("entry %+v: want author amara, kind action", e)
	}
}

// waitForEntry waits for the entry with text to be saved.
func (wr warRoom) waitForEntry(t *testing.T, text string) incident.Entry {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		inc, err := wr.st.Incident(wr.id)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range inc.Entries {
			if e.Text == text {
				return e
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the entry %q typed over SSH was not saved", text)
	return incident.Entry{}
}

func TestSecondSessionSeesTheFirstOnesEntries(t *testing.T) {
	amara, ben := newKey(t, "amara@laptop"), newKey(t, "ben")
	wr := startWarRoom(t, []keypair{amara, ben}, nil)
	a := mustDial(t, wr.addr, amara)
	b := mustDial(t, wr.addr, ben)
	a.waitFor("Checkout failing")
	b.waitFor("Checkout failing")
	_, _ = a.in.Write([]byte("shared line from amara\r"))
	b.waitFor("shared line from amara")
}

func TestUnlistedKeyIsRefused(t *testing.T) {
	wr := startWarRoom(t, []keypair{newKey(t, "amara")}, nil)
	if _, err := dial(t, wr.addr, newKey(t, "mallory")); err == nil {
		t.Fatal("an unlisted key got in")
	}
}

func TestViewerSeesUpdatesAndCannotWrite(t *testing.T) {
	viewer := newKey(t, "cfo")
	wr := startWarRoom(t, []keypair{newKey(t, "amara")}, []keypair{viewer})
	p := incident.DefaultPolicy()
	now := time.Now()
	for _, line := range []string{"/draft Issue identified; team working on resolution.", "/publish", "secret technical detail"} {
		c, _ := incident.ParseCapture(line, now)
		if _, err := wr.st.Apply(wr.id, c, now, "ben", p); err != nil {
			t.Fatal(err)
		}
	}
	s := mustDial(t, wr.addr, viewer)
	s.waitFor("Issue identified; team working on resolution.")
	s.mu.Lock()
	leaked := strings.Contains(s.out.String(), "secret technical detail")
	s.mu.Unlock()
	if leaked {
		t.Fatal("the stakeholder view shows the technical timeline")
	}
	before, _ := wr.st.Incident(wr.id)
	_, _ = s.in.Write([]byte("!viewer tries to write\r/status resolved\r"))
	time.Sleep(500 * time.Millisecond)
	after, _ := wr.st.Incident(wr.id)
	if len(after.Entries) != len(before.Entries) || after.Status != before.Status {
		t.Fatal("a viewer changed the incident")
	}
}

func TestNoKeysIsAClearError(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "empty"), []byte("# nobody\n"), 0o600)
	_, err := New(Options{AuthorizedKeys: filepath.Join(dir, "empty"), HostKey: filepath.Join(dir, "hk")})
	if err == nil || !strings.Contains(err.Error(), "--authorized-keys") {
		t.Fatalf("err = %v", err)
	}
	_ = os.WriteFile(filepath.Join(dir, "bad"), []byte("not a key\n"), 0o600)
	if _, err := New(Options{AuthorizedKeys: filepath.Join(dir, "bad")}); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("err = %v", err)
	}
}
