package server

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/log"

	"github.com/warroom-cli/warroom/internal/tui"
)

// TestEveryLineReachesEverySession: five teammates each type a line at
// about the same moment; every line shows on all five screens. The poll is
// set to an hour, so only the in-process broadcast can carry them.
func TestEveryLineReachesEverySession(t *testing.T) {
	names := []string{"amara", "ben", "chen", "dmitri", "erin"}
	keys := make([]keypair, len(names))
	for i, n := range names {
		keys[i] = newKey(t, n+"@laptop")
	}
	wr := startWarRoomFiles(t, keyLines(keys), "", func(s *Server) { s.opts.PollEvery = time.Hour })
	sessions := make([]*session, len(keys))
	for i, k := range keys {
		s := mustDial(t, wr.addr, k)
		s.waitFor("Checkout failing")
		sessions[i] = s
	}
	var wg sync.WaitGroup
	for i, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = s.in.Write([]byte(fmt.Sprintf("line typed by %s\r", names[i])))
		}()
	}
	wg.Wait()
	for _, s := range sessions {
		for _, n := range names {
			s.waitFor("line typed by " + n)
		}
	}
	inc, err := wr.st.Incident(wr.id)
	if err != nil {
		t.Fatal(err)
	}
	saved := 0
	for _, e := range inc.Entries {
		if strings.HasPrefix(e.Text, "line typed by ") {
			saved++
		}
	}
	if saved != len(names) {
		t.Fatalf("%d lines saved, want %d", saved, len(names))
	}
}

func keyLines(keys []keypair) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k.line)
	}
	return b.String()
}

// TestRoomHeaderShowsWhoIsConnected: two sessions see each other's names
// in the header; when one disconnects its record goes with it, so no
// marker is left for the other to show.
func TestRoomHeaderShowsWhoIsConnected(t *testing.T) {
	amara, ben := newKey(t, "amara@laptop"), newKey(t, "ben@desk")
	wr := startWarRoom(t, []keypair{amara, ben}, nil)
	a := mustDial(t, wr.addr, amara)
	a.waitFor("Checkout failing")
	b := mustDial(t, wr.addr, ben)
	b.waitFor("amara, ben")
	a.waitFor("amara, ben")
	if n := len(wr.hereRecords(t)); n != 2 {
		t.Fatalf("%d presence records with two sessions, want 2", n)
	}
	b.close()
	deadline := time.Now().Add(10 * time.Second)
	for len(wr.hereRecords(t)) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("ben disconnected, but the records are %v", wr.hereRecords(t))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if rec := wr.hereRecords(t); !strings.HasPrefix(rec[0], "amara\t") {
		t.Fatalf("the record left is %q, want amara's", rec[0])
	}
}

// hereRecords are the live presence records of the incident, which the
// server keeps in memory.
func (wr warRoom) hereRecords(t *testing.T) []string {
	t.Helper()
	m, err := wr.srv.presence.Records(wr.id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range m {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// TestSessionZoneFromClientTZ: a client that sends TZ sees times in its
// zone, named in the header; one that does not sees the server's.
func TestSessionZoneFromClientTZ(t *testing.T) {
	amara, ben := newKey(t, "amara"), newKey(t, "ben")
	wr := startWarRoomFiles(t, keyLines([]keypair{amara, ben}), "", func(s *Server) {
		cfg := *s.opts.Config
		cfg.Location, _ = time.LoadLocation("America/New_York")
		s.opts.Config = &cfg
	})
	a, err := dialWith(t, wr.addr, "x", amara, map[string]string{"TZ": "Asia/Tokyo"}, 40)
	if err != nil {
		t.Fatal(err)
	}
	a.waitFor("Asia/Tokyo")
	b := mustDial(t, wr.addr, ben)
	b.waitFor("America/New_York")
	if b.contains("Asia/Tokyo") {
		t.Fatal("a session without TZ shows another session's zone")
	}
}

func (s *session) contains(text string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Contains(s.out.String(), text)
}

// syncBuffer is a log destination tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestConnectionsAreLogged: a connection is logged with the key's name,
// the address and team or viewer, and so is its end.
func TestConnectionsAreLogged(t *testing.T) {
	amara, cfo := newKey(t, "amara@laptop"), newKey(t, "cfo")
	logs := &syncBuffer{}
	wr := startWarRoomFiles(t, keyLines([]keypair{amara}), keyLines([]keypair{cfo}), func(s *Server) {
		s.opts.Log = log.NewWithOptions(logs, log.Options{Formatter: log.LogfmtFormatter})
	})
	a := mustDial(t, wr.addr, amara)
	a.waitFor("Checkout failing")
	v := mustDial(t, wr.addr, cfo)
	v.waitFor("Checkout failing")
	waitLog := func(want ...string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			for _, line := range strings.Split(logs.String(), "\n") {
				all := true
				for _, w := range want {
					all = all && strings.Contains(line, w)
				}
				if all {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("no log line with %q in:\n%s", want, logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitLog("msg=connected", "name=amara", "addr=127.0.0.1:", "as=team")
	waitLog("msg=connected", "name=cfo", "as=viewer")
	a.close()
	waitLog("msg=disconnected", "name=amara", "addr=127.0.0.1:")
}

// TestShutdownSavesHalfTypedLines: shutting the server down (SIGTERM in
// warroom serve) ends a session the way its teammate's quit would: the
// line they had half typed is saved for their next session.
func TestShutdownSavesHalfTypedLines(t *testing.T) {
	amara := newKey(t, "amara@laptop")
	var srv *Server
	wr := startWarRoomFiles(t, keyLines([]keypair{amara}), "", func(s *Server) { srv = s })
	a := mustDial(t, wr.addr, amara)
	a.waitFor("Checkout failing")
	_, _ = a.in.Write([]byte("half typed when the server stopped"))
	a.waitFor("half typed when the server stopped")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	states, err := wr.st.UIStates(wr.id, "")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for k, v := range states {
		if strings.Contains(k, "amara") && strings.Contains(v, "half typed when the server stopped") {
			found = true
		}
	}
	if rec := wr.hereRecords(t); len(rec) != 0 {
		t.Errorf("presence records %q left after shutdown", rec)
	}
	if !found {
		t.Fatalf("the half-typed line was not saved; ui states %q", states)
	}
	if _, err := dial(t, wr.addr, amara); err == nil {
		t.Fatal("a connection was accepted after Shutdown")
	}
}

// frozenLink forwards one TCP connection to addr until freeze, after which
// it passes nothing either way and closes nothing: a laptop shut, a network
// gone.
type frozenLink struct {
	addr   string
	frozen chan struct{}
}

func startLink(t *testing.T, to string) *frozenLink {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	fl := &frozenLink{addr: l.Addr().String(), frozen: make(chan struct{})}
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", to)
		if err != nil {
			c.Close()
			return
		}
		t.Cleanup(func() { c.Close(); s.Close() })
		pipe := func(dst, src net.Conn) {
			buf := make([]byte, 32<<10)
			for {
				n, err := src.Read(buf)
				select {
				case <-fl.frozen:
					<-make(chan struct{}) // hold the connection open, silent
				default:
				}
				if err != nil {
					return
				}
				if _, err := dst.Write(buf[:n]); err != nil {
					return
				}
			}
		}
		go pipe(s, c)
		go pipe(c, s)
	}()
	return fl
}

// TestSilentClientIsDropped: a client that stops answering (no FIN, no
// RST) is asked whether it is there, dropped, and leaves the room; one
// that answers stays however long it is idle.
func TestSilentClientIsDropped(t *testing.T) {
	amara, ben := newKey(t, "amara@laptop"), newKey(t, "ben@desk")
	wr := startWarRoomFiles(t, keyLines([]keypair{amara, ben}), "", func(s *Server) { s.keepAliveEvery = 100 * time.Millisecond })
	a := mustDial(t, wr.addr, amara)
	link := startLink(t, wr.addr)
	b := mustDial(t, link.addr, ben)
	a.waitFor("amara, ben")
	b.waitFor("amara, ben")
	close(link.frozen)
	deadline := time.Now().Add(10 * time.Second)
	for {
		rec := wr.hereRecords(t)
		if len(rec) == 1 {
			if !strings.HasPrefix(rec[0], "amara\t") {
				t.Fatalf("the record left is %q, want amara's", rec[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ben's link went silent, but the records are %v", rec)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// amara, idle all along, answered every ask.
	_, _ = a.in.Write([]byte("still here\r"))
	wr.waitForEntry(t, "still here")
}

// TestReviewFollowsThePresenterOverSSH: in warroom serve, the first
// teammate to open /review presents; the second follows the section the
// presenter moves to, and a question asked there is stored under it with
// the asker's name.
func TestReviewFollowsThePresenterOverSSH(t *testing.T) {
	amara, ben := newKey(t, "amara@laptop"), newKey(t, "ben@desk")
	wr := startWarRoom(t, []keypair{amara, ben}, nil)
	a := mustDial(t, wr.addr, amara)
	a.waitFor("Checkout failing")
	_, _ = a.in.Write([]byte("/review\r"))
	a.waitFor("you present")
	b := mustDial(t, wr.addr, ben)
	b.waitFor("Checkout failing")
	_, _ = b.in.Write([]byte("/review\r"))
	b.waitFor("following amara")
	_, _ = a.in.Write([]byte("\t"))
	// The page counter is a span of its own in the styled output.
	a.waitFor(" 2/6")
	b.waitFor(" 2/6")
	_, _ = b.in.Write([]byte("Who signed off the rollout?\r"))
	b.waitFor("Questions and suggestions on Introduction (1)")
	a.waitFor("Who signed off the rollout?")
	inc, err := wr.st.Incident(wr.id)
	if err != nil {
		t.Fatal(err)
	}
	if r := inc.Retro.Review; len(r) != 1 || r[0].Author != "ben" || r[0].Section != "Introduction" {
		t.Fatalf("review comments stored: %+v", r)
	}
}

// TestRoomIncludesLocalCockpits: the server keeps its sessions' presence
// in memory, and still shares the room with cockpits run locally on the
// same database (their records are files beside it): the SSH session
// shows the local person, the local side reads the SSH person, and the
// server's file goes when its last session does.
func TestRoomIncludesLocalCockpits(t *testing.T) {
	amara := newKey(t, "amara@laptop")
	wr := startWarRoom(t, []keypair{amara}, nil)
	local := tui.NewFilePresence(wr.st.Path())
	say := func() {
		if err := local.Say(wr.id, "local-ben", "ben\t"+time.Now().UTC().Format(time.RFC3339)+"\t"); err != nil {
			t.Fatal(err)
		}
	}
	say()
	a := mustDial(t, wr.addr, amara)
	a.waitFor("amara, ben")
	seen := func(who string) bool {
		recs, err := local.Records(wr.id)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range recs {
			if strings.HasPrefix(v, who+"\t") {
				return true
			}
		}
		return false
	}
	deadline := time.Now().Add(10 * time.Second)
	for !seen("amara") {
		if time.Now().After(deadline) {
			t.Fatal("the local side never read amara's presence from the server")
		}
		time.Sleep(20 * time.Millisecond)
	}
	a.close()
	for seen("amara") {
		if time.Now().After(deadline.Add(10 * time.Second)) {
			t.Fatal("amara's session ended, but the server's presence file still names her")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
