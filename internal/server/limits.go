package server

import (
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Bounds on what one connection may ask of the server. A teammate's ssh
// opens one session with one terminal; these leave room for that many times
// over and stop a client that asks for thousands. The SSH transport already
// caps every packet at 256 KiB, so no single request can be larger.
const (
	// maxSessions is how many session channels one connection may hold open
	// at once; each runs its own cockpit.
	maxSessions = 4
	// maxTermLen bounds the TERM name of a pty request; terminfo names are
	// a few dozen bytes at most.
	maxTermLen = 128
	// maxModesLen bounds the encoded terminal modes: RFC 4254 defines fewer
	// than 160 opcodes of 5 bytes each, and OpenSSH sends about 60.
	maxModesLen = 1024
	// maxCols and maxRows clamp the terminal size a client reports, so that
	// a window of 4 billion columns does not make the cockpit render one.
	maxCols, maxRows = 1000, 500
	// maxPixels clamps the pixel size a client reports likewise.
	maxPixels = 1 << 15
	// maxEnv and maxEnvLen bound the environment a session may set.
	maxEnv, maxEnvLen = 32, 1024
	// loginGrace is how long a connection may take to authenticate, as
	// sshd's LoginGraceTime: an unauthenticated client does not hold a
	// connection for the 12-hour idle timeout.
	loginGrace = 60 * time.Second
)

type connStateKey struct{}

// connState is what the limits remember about one connection.
type connState struct {
	mu       sync.Mutex
	sessions int
	authed   bool
}

func (c *connState) acquire() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sessions >= maxSessions {
		return false
	}
	c.sessions++
	return true
}

func (c *connState) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions--
}

func (c *connState) authenticated() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.authed
}

func (c *connState) setAuthenticated() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.authed = true
}

// limit installs the bounds on the server: per-connection state, the login
// grace period, session channels only, and the request filter.
func (s *Server) limit(srv *ssh.Server) {
	srv.ConnCallback = func(ctx ssh.Context, conn net.Conn) net.Conn {
		st := &connState{}
		ctx.SetValue(connStateKey{}, st)
		return &graceConn{Conn: conn, state: st, until: time.Now().Add(s.loginGrace)}
	}
	srv.ServerConfigCallback = func(ctx ssh.Context) *gossh.ServerConfig {
		st, _ := ctx.Value(connStateKey{}).(*connState)
		return &gossh.ServerConfig{
			MaxAuthTries: 6,
			AuthLogCallback: func(_ gossh.ConnMetadata, _ string, err error) {
				if err == nil && st != nil {
					st.setAuthenticated()
				}
			},
		}
	}
	// Only sessions: no direct-tcpip, x11 or anything else a client might
	// open. HandleConn rejects unknown types as UnknownChannelType.
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": sessionChannel}
	// No global requests (tcpip-forward and the like) are served.
	srv.RequestHandlers = map[string]ssh.RequestHandler{}
}

// sessionChannel admits a session channel if the connection has room for
// one, and hands it to the library's session handler with its requests
// passed through filterRequests.
func sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	st, _ := ctx.Value(connStateKey{}).(*connState)
	if st == nil || !st.acquire() {
		_ = ch.Reject(gossh.ResourceShortage, fmt.Sprintf("warroom allows at most %d sessions per connection", maxSessions))
		return
	}
	defer st.release()
	// DefaultSessionHandler returns when the channel's requests end, that
	// is when the channel is closed.
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{ch}, ctx)
}

// filteredChannel is a NewChannel whose accepted channel's requests go
// through filterRequests first.
type filteredChannel struct{ gossh.NewChannel }

func (c filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go filterRequests(reqs, out)
	return ch, out, nil
}

// filterRequests refuses the requests that are out of bounds and passes
// the rest on, unbuffered, so that a client flooding requests is slowed
// by the session handler rather than queued in memory.
//
// The library's session hands each window-change to a channel with room
// for one size, which only the running cockpit reads, and the pty request
// fills it: a window-change before the shell would block that session, and
// through it the connection's reads, for good. So a resize before the shell
// is refused; the cockpit starts at the pty request's size and follows the
// next resize.
func filterRequests(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	env := 0
	started := false
	for req := range in {
		ok := true
		switch req.Type {
		case "pty-req":
			req.Payload, ok = checkPtyRequest(req.Payload)
		case "window-change":
			req.Payload, ok = checkWindowChange(req.Payload)
			ok = ok && started
		case "env":
			ok = env < maxEnv && len(req.Payload) <= maxEnvLen
			if ok {
				env++
			}
		case "shell", "exec":
			started = true
		case "subsystem":
			// No subsystems are served.
			ok = false
		case "auth-agent-req@openssh.com":
			// Nothing here uses an agent, so none is forwarded; this is also
			// what makes a key's no-agent-forwarding hold.
			ok = false
		}
		if !ok {
			_ = req.Reply(false, nil)
			continue
		}
		out <- req
	}
}

// drainWindows keeps reading a session's window sizes after its cockpit
// has ended, until the library closes the channel they come on, so that a
// client resizing a finished session cannot block its request loop.
func drainWindows(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		_, winch, _ := sess.Pty()
		defer func() {
			if winch != nil {
				go func() {
					for range winch {
					}
				}()
			}
		}()
		next(sess)
	}
}

// ptyRequest is the payload of a pty-req (RFC 4254 6.2).
type ptyRequest struct {
	Term              string
	Cols, Rows        uint32
	WidthPx, HeightPx uint32
	Modes             string
}

// windowChange is the payload of a window-change (RFC 4254 6.7).
type windowChange struct {
	Cols, Rows        uint32
	WidthPx, HeightPx uint32
}

// checkPtyRequest refuses a pty request with an absurd terminal name or
// modes and clamps its size; it returns the payload to pass on.
func checkPtyRequest(payload []byte) ([]byte, bool) {
	var p ptyRequest
	if err := gossh.Unmarshal(payload, &p); err != nil {
		return nil, false
	}
	if len(p.Term) > maxTermLen || len(p.Modes) > maxModesLen {
		return nil, false
	}
	for i := 0; i < len(p.Term); i++ {
		if c := p.Term[i]; c <= ' ' || c >= 0x7f {
			return nil, false
		}
	}
	p.Cols, p.Rows = clamp(p.Cols, maxCols), clamp(p.Rows, maxRows)
	p.WidthPx, p.HeightPx = clamp(p.WidthPx, maxPixels), clamp(p.HeightPx, maxPixels)
	return gossh.Marshal(&p), true
}

// checkWindowChange clamps a window-change's size.
func checkWindowChange(payload []byte) ([]byte, bool) {
	var w windowChange
	if err := gossh.Unmarshal(payload, &w); err != nil {
		return nil, false
	}
	w.Cols, w.Rows = clamp(w.Cols, maxCols), clamp(w.Rows, maxRows)
	w.WidthPx, w.HeightPx = clamp(w.WidthPx, maxPixels), clamp(w.HeightPx, maxPixels)
	return gossh.Marshal(&w), true
}

func clamp(v, most uint32) uint32 {
	return min(v, most)
}

// graceConn holds an unauthenticated connection to the login grace period:
// the library moves the deadline forward on every read and write by the
// idle timeout, and until authentication succeeds no further than this.
type graceConn struct {
	net.Conn
	state *connState
	until time.Time
}

func (c *graceConn) bound(t time.Time) time.Time {
	if c.state.authenticated() || (!t.IsZero() && t.Before(c.until)) {
		return t
	}
	return c.until
}

func (c *graceConn) SetDeadline(t time.Time) error { return c.Conn.SetDeadline(c.bound(t)) }
func (c *graceConn) SetReadDeadline(t time.Time) error {
	return c.Conn.SetReadDeadline(c.bound(t))
}
func (c *graceConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.bound(t))
}
