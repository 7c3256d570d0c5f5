package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// openSession opens a bare session channel, or returns why not.
func openSession(c *gossh.Client) (gossh.Channel, error) {
	ch, reqs, err := c.OpenChannel("session", nil)
	if err != nil {
		return nil, err
	}
	go gossh.DiscardRequests(reqs)
	return ch, nil
}

func rejection(t *testing.T, err error, want gossh.RejectionReason) {
	t.Helper()
	var oe *gossh.OpenChannelError
	if !errors.As(err, &oe) || oe.Reason != want {
		t.Fatalf("err = %v; want the channel rejected with %v", err, want)
	}
}

func TestManySessionsOnOneConnectionAreRefused(t *testing.T) {
	amara := newKey(t, "amara")
	wr := startWarRoom(t, []keypair{amara}, nil)
	c, err := connect(wr.addr, "amara", amara)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var open []gossh.Channel
	refused := 0
	for i := 0; i < 50; i++ {
		ch, err := openSession(c)
		if err != nil {
			rejection(t, err, gossh.ResourceShortage)
			refused++
			continue
		}
		open = append(open, ch)
	}
	if len(open) != maxSessions || refused != 50-maxSessions {
		t.Fatalf("%d sessions opened and %d refused on one connection; want %d and %d", len(open), refused, maxSessions, 50-maxSessions)
	}
	for _, kind := range []string{"direct-tcpip", "x11", "forwarded-tcpip", "auth-agent@openssh.com"} {
		_, _, err := c.OpenChannel(kind, nil)
		rejection(t, err, gossh.UnknownChannelType)
	}
	if ok, _, err := c.SendRequest("tcpip-forward", true, gossh.Marshal(&struct {
		Addr string
		Port uint32
	}{"127.0.0.1", 0})); err != nil || ok {
		t.Fatalf("tcpip-forward: ok=%v err=%v; want it refused", ok, err)
	}

	// A closed session frees its place.
	_ = open[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ch, err := openSession(c)
		if err == nil {
			open[0] = ch
			break
		}
		rejection(t, err, gossh.ResourceShortage)
		if time.Now().After(deadline) {
			t.Fatal("closing a session did not free its place")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := openSession(c); err == nil {
		t.Fatalf("a session beyond %d opened after one was replaced", maxSessions)
	}

	// Meanwhile a well-behaved teammate gets the cockpit.
	s := mustDial(t, wr.addr, amara)
	s.waitFor("Checkout failing")
}

// channelOutput collects what the server writes on a channel.
type channelOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *channelOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *channelOutput) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		o.mu.Lock()
		got := o.buf.String()
		o.mu.Unlock()
		if strings.Contains(got, want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the channel never showed %q", want)
}

// request sends a channel request and waits at most 5 s for the answer:
// a server that blocks on a request is a failure, not a hung test.
func request(t *testing.T, ch gossh.Channel, kind string, payload []byte) (bool, error) {
	t.Helper()
	type answer struct {
		ok  bool
		err error
	}
	done := make(chan answer, 1)
	go func() {
		ok, err := ch.SendRequest(kind, true, payload)
		done <- answer{ok, err}
	}()
	select {
	case a := <-done:
		return a.ok, a.err
	case <-time.After(5 * time.Second):
		t.Fatalf("the server did not answer a %s request in 5 s", kind)
		return false, nil
	}
}

func ptyPayload(term string, cols, rows uint32, modes string) []byte {
	return gossh.Marshal(&ptyRequest{Term: term, Cols: cols, Rows: rows, WidthPx: 640, HeightPx: 480, Modes: modes})
}

func TestHugePtyRequestsAreRefused(t *testing.T) {
	amara := newKey(t, "amara")
	wr := startWarRoom(t, []keypair{amara}, nil)
	c, err := connect(wr.addr, "amara", amara)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ch, err := openSession(c)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 200<<10) // as large as fits in one SSH packet
	for name, payload := range map[string][]byte{
		"200 KiB TERM":      ptyPayload(big, 80, 24, ""),
		"129-byte TERM":     ptyPayload(strings.Repeat("x", maxTermLen+1), 80, 24, ""),
		"TERM with escapes": ptyPayload("xterm\x1b]0;pwned\x07", 80, 24, ""),
		"200 KiB of modes":  ptyPayload("xterm", 80, 24, big),
		"garbage":           []byte("\x00\x00\x00\xffxterm"),
	} {
		ok, err := request(t, ch, "pty-req", payload)
		if err != nil || ok {
			t.Fatalf("%s: ok=%v err=%v; want the pty request refused", name, ok, err)
		}
	}
	// The same channel still takes a sensible pty request, its size clamped.
	if ok, err := request(t, ch, "pty-req", ptyPayload("xterm-256color", 1<<31, 1<<31, "\x00")); err != nil || !ok {
		t.Fatalf("a pty request with a huge window: ok=%v err=%v; want it accepted and clamped", ok, err)
	}
	// Resizes before the shell must not wedge the session (the library
	// would block on them until the cockpit runs): they are refused.
	for i := 0; i < 5; i++ {
		if ok, err := request(t, ch, "window-change", gossh.Marshal(&windowChange{Cols: 100, Rows: uint32(30 + i)})); err != nil || ok {
			t.Fatalf("window-change before the shell: ok=%v err=%v; want it refused", ok, err)
		}
	}
	for i := 0; i < maxEnv+10; i++ {
		ok, err := request(t, ch, "env", gossh.Marshal(&struct{ Key, Value string }{"LC_X", "y"}))
		if err != nil || ok != (i < maxEnv) {
			t.Fatalf("env request %d: ok=%v err=%v; want the first %d accepted", i, ok, err, maxEnv)
		}
	}
	if ok, err := request(t, ch, "auth-agent-req@openssh.com", nil); err != nil || ok {
		t.Fatalf("agent forwarding: ok=%v err=%v; want it refused", ok, err)
	}
	out := &channelOutput{}
	go func() { _, _ = io.Copy(out, ch) }()
	if ok, err := request(t, ch, "shell", nil); err != nil || !ok {
		t.Fatalf("shell: ok=%v err=%v", ok, err)
	}
	_, _ = ch.Write([]byte("\x1b]11;rgb:1c1c/1c1c/1c1c\x07\x1b[?62;22c"))
	out.waitFor(t, "Checkout failing")
	if ok, err := request(t, ch, "window-change", gossh.Marshal(&windowChange{Cols: 1 << 30, Rows: 1 << 30})); err != nil || !ok {
		t.Fatalf("window-change: ok=%v err=%v", ok, err)
	}
	if ok, err := request(t, ch, "subsystem", gossh.Marshal(&struct{ Name string }{"sftp"})); err != nil || ok {
		t.Fatalf("subsystem: ok=%v err=%v; want it refused", ok, err)
	}

	// A megabyte TERM does not fit in an SSH packet (256 KiB at most): the
	// client cannot send it, or the server drops the connection that does.
	// Either way the next teammate gets in.
	c2, err := connect(wr.addr, "amara", amara)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	ch2, err := openSession(c2)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := request(t, ch2, "pty-req", ptyPayload(strings.Repeat("x", 1<<20), 80, 24, "")); ok {
		t.Fatalf("a megabyte TERM was accepted (err %v)", err)
	}
	s := mustDial(t, wr.addr, amara)
	s.waitFor("Checkout failing")
}

func TestCheckPtyRequestClamps(t *testing.T) {
	out, ok := checkPtyRequest(ptyPayload("xterm", 5000, 5000, "\x35\x00\x00\x00\x01\x00"))
	if !ok {
		t.Fatal("refused")
	}
	var p ptyRequest
	if err := gossh.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	if p.Term != "xterm" || p.Cols != maxCols || p.Rows != maxRows || p.Modes != "\x35\x00\x00\x00\x01\x00" {
		t.Fatalf("got %+v", p)
	}
	if _, ok := checkPtyRequest(append(ptyPayload("xterm", 80, 24, ""), 0)); ok {
		t.Fatal("a pty request with trailing bytes was accepted")
	}
}

func TestUnauthenticatedConnectionIsDropped(t *testing.T) {
	amara := newKey(t, "amara")
	const grace = 300 * time.Millisecond
	wr := startWarRoomFiles(t, amara.line, "", func(s *Server) { s.loginGrace = grace })

	// A client that connects and never authenticates is hung up on.
	raw, err := net.Dial("tcp", wr.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	_ = raw.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, raw)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server kept an unauthenticated connection open for 10 s")
	}

	// One that authenticated keeps its connection past the grace period.
	c, err := connect(wr.addr, "amara", amara)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.Sleep(3 * grace)
	if _, err := openSession(c); err != nil {
		t.Fatalf("an authenticated connection was dropped after the login grace: %v", err)
	}
}
