package server

import (
	"context"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	wishtea "github.com/charmbracelet/wish/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom-cli/warroom/internal/tui"
)

// sessions are the programs of the sessions running now, so that Shutdown
// can ask each to quit the way its teammate would.
type sessions struct {
	mu       sync.Mutex
	programs map[ssh.Session]*tea.Program
	// writers write the frames of the sessions drawn by a
	// tui.FrameWriter (frames).
	writers map[ssh.Session]*tui.FrameWriter
	// running counts the session handlers that have not returned; once
	// closing, the last of them closes drained.
	running int
	closing bool
	drained chan struct{}
}

// begin counts a session in; false once the server is shutting down.
func (ss *sessions) begin() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closing {
		return false
	}
	ss.running++
	return true
}

func (ss *sessions) end(sess ssh.Session) {
	ss.mu.Lock()
	fw := ss.writers[sess]
	delete(ss.writers, sess)
	ss.mu.Unlock()
	if fw != nil {
		// The last frame and the terminal's modes back, before the
		// session's channel closes.
		fw.Close(frameCloseWait)
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.programs, sess)
	if ss.running--; ss.running == 0 && ss.closing {
		close(ss.drained)
	}
}

// frameCloseWait bounds how long a session's end waits for its last
// frame to be written: a client that stopped reading must not hold it.
const frameCloseWait = 2 * time.Second

// frames has a session's program draw through a tui.FrameWriter, which
// writes a frame when it is drawn, rather than Bubble Tea's renderer,
// which wakes 60 times a second per session whatever happens (the idle
// room's CPU; see internal/tui/framewriter.go). mouse is whether the
// program asks for mouse reports. Sessions on a real pty keep Bubble
// Tea's renderer: without one it would not put the pty into raw mode.
func (s *Server) frames(sess ssh.Session, m tea.Model, mouse bool, opts []tea.ProgramOption) (tea.Model, []tea.ProgramOption) {
	pty, _, ok := sess.Pty()
	if !ok || pty.Slave != nil {
		return m, opts
	}
	fw := tui.NewFrameWriter(sess, pty.Window.Width, pty.Window.Height, mouse)
	s.sessions.mu.Lock()
	if s.sessions.writers == nil {
		s.sessions.writers = map[ssh.Session]*tui.FrameWriter{}
	}
	s.sessions.writers[sess] = fw
	s.sessions.mu.Unlock()
	m, extra := fw.Wrap(m)
	return m, append(opts, extra...)
}

// newProgram builds a session's program (see program) and notes it, so
// that Shutdown can reach it.
func (s *Server) newProgram(sess ssh.Session) *tea.Program {
	m, opts := s.program(sess)
	if m == nil {
		return nil
	}
	p := tea.NewProgram(m, append(opts, wishtea.MakeOptions(sess)...)...)
	s.sessions.mu.Lock()
	defer s.sessions.mu.Unlock()
	if s.sessions.programs == nil {
		s.sessions.programs = map[ssh.Session]*tea.Program{}
	}
	s.sessions.programs[sess] = p
	if s.sessions.closing {
		// Shutdown has already told the others; this one is told
		// as soon as it runs.
		go p.Quit()
	}
	return p
}

// logSessions logs who connected from where as what, and when they left.
// It wraps every other middleware, so it also sees a session refused for
// having no terminal.
func (s *Server) logSessions(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if !s.sessions.begin() {
			return
		}
		defer s.sessions.end(sess)
		p, _ := s.lookup(sess.PublicKey(), sess.RemoteAddr())
		role := "team"
		if p.viewer {
			role = "viewer"
		}
		start := time.Now()
		s.opts.Log.Info("connected", "name", p.name, "addr", sess.RemoteAddr().String(), "as", role)
		if conn, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
			go keepAlive(sess.Context(), conn, s.keepAliveEvery, func() {
				s.opts.Log.Info("no answer; dropping the connection", "name", p.name, "addr", sess.RemoteAddr().String())
			})
		}
		defer func() {
			s.opts.Log.Info("disconnected", "name", p.name, "addr", sess.RemoteAddr().String(), "after", time.Since(start).Round(time.Second).String())
		}()
		next(sess)
	}
}

// Shutdown stops taking connections and ends every session as if its
// teammate had quit: each cockpit saves its half-typed line, draft and
// forms, then its connection closes. Sessions still running when ctx ends
// are dropped; the error is then ctx's.
func (s *Server) Shutdown(ctx context.Context) error {
	ss := &s.sessions
	ss.mu.Lock()
	if !ss.closing {
		ss.closing = true
		ss.drained = make(chan struct{})
		if ss.running == 0 {
			close(ss.drained)
		}
	}
	drained := ss.drained
	programs := make([]*tea.Program, 0, len(ss.programs))
	for _, p := range ss.programs {
		programs = append(programs, p)
	}
	ss.mu.Unlock()
	s.opts.Log.Info("shutting down", "sessions", len(programs))
	// A quit from outside goes through the cockpit's quit filter, which
	// turns it into the quit that saves. Sent from goroutines: a program
	// that has not started reading messages yet would block the send.
	for _, p := range programs {
		go p.Quit()
	}
	var err error
	select {
	case <-drained:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if cerr := s.ssh.Close(); err == nil {
		err = cerr
	}
	if s.presence != nil {
		// Nobody is in this server's room any more, whatever a
		// session's last heartbeat still in flight says.
		s.presence.Close()
	}
	return err
}

// keepAliveEvery is how often a session's client is asked whether it is
// still there; one that has not answered by the next ask is dropped.
const keepAliveEvery = 5 * time.Second

// keepAlive drops conn when its client stops answering: a laptop closed or
// a network gone sends nothing, and TCP alone would notice only after
// minutes, all the while showing its teammate as in the room. Dropping the
// connection ends the session as a disconnection does (its line saved,
// its presence cleared). It returns when ctx ends.
func keepAlive(ctx context.Context, conn gossh.Conn, every time.Duration, dropped func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		answered := make(chan struct{})
		go func() {
			// Any reply counts, a refusal included: OpenSSH and
			// x/crypto/ssh clients refuse requests they do not serve.
			if _, _, err := conn.SendRequest("keepalive@openssh.com", true, nil); err == nil {
				close(answered)
			}
		}()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		select {
		case <-answered:
		case <-ctx.Done():
			return
		default:
			dropped()
			_ = conn.Close()
			return
		}
	}
}
