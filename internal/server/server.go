// Package server is the shared war room: the cockpit served over SSH with
// charmbracelet/wish, one Bubble Tea program per connection, all on one
// database.
//
// Only listed keys get in, from the addresses their from= option allows. A
// key in the authorized keys file gets the full cockpit and writes entries
// under the name in the key's comment ("amara@laptop" writes as amara), or
// as key- and the start of its fingerprint if it has none; the SSH user
// name the client sends counts for nothing. A key in the viewer keys file
// gets the read-only stakeholder view. Each connection is bounded (see
// limits.go). Who is in the room is kept in the server's memory
// (presence.go), so an idle room writes nothing to the database. All sessions share one Store, so a line one of them saves
// wakes every other at once (store.Subscribe) and each reads only what
// changed; a `warroom log` from a script is noticed through the file
// watcher, exactly as a local cockpit notices it.
//
// Connections and disconnections are logged (sessions.go), and Shutdown
// ends every session the way a teammate's own quit would, saving what
// they had half typed, before the connections are dropped.
package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/activeterm"
	wishtea "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/store"
	"github.com/warroom-cli/warroom/internal/tui"
)

// Options configure the server.
type Options struct {
	Store  *store.Store
	Config *config.Config
	Now    func() time.Time
	// AuthorizedKeys and ViewerKeys are authorized_keys files. At least one
	// must name a key.
	AuthorizedKeys, ViewerKeys string
	// HostKey is the server's private key file, created (ed25519) if missing.
	HostKey string
	// PollEvery is passed to each session's program; 0 means the
	// default: for a cockpit a poll every watchedPollEvery where the
	// database's folder can be watched, else the cockpit's (poll.go).
	PollEvery time.Duration
	// Log receives a line per connection and disconnection; nil logs
	// nothing.
	Log *log.Logger
}

// Server is a configured SSH war room.
type Server struct {
	ssh *ssh.Server
	// people holds every allowed key, by its wire form; a key may be on
	// several lines of one file (with different from= options).
	people     map[string][]person
	opts       Options
	loginGrace time.Duration
	// sessions are the programs running now (see sessions.go).
	sessions sessions
	// keepAliveEvery is how often clients are asked whether they are
	// still there (keepAliveEvery; tests shorten it).
	keepAliveEvery time.Duration
	// presence is who is in the room, in memory (presence.go).
	presence *RoomPresence
	// timelines are the incidents the sessions show, one copy each,
	// shared (tui.Timelines).
	timelines *tui.Timelines
	// watchable says whether the database's folder can be watched,
	// found out once (poll.go).
	watchable func() bool
}

// roomGap is the least time between two frames a session draws for other
// people's changes, and how long a wake-up in a busy room waits for the
// rest of its burst (tui/frames.go): 2 ms per session connected, up to
// 100 ms. Two or three people see each other's lines at once; a room of 50
// typing together reads and draws them a few times a second rather than
// once per line, which it has no CPU for.
func (s *Server) roomGap() time.Duration {
	s.sessions.mu.Lock()
	n := s.sessions.running
	s.sessions.mu.Unlock()
	return min(time.Duration(n)*2*time.Millisecond, 100*time.Millisecond)
}

// New prepares the server; it does not listen yet.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = log.New(io.Discard)
	}
	srv := &Server{opts: opts, people: map[string][]person{}, loginGrace: loginGrace, keepAliveEvery: keepAliveEvery, timelines: tui.NewTimelines()}
	if opts.Store != nil {
		srv.presence = NewRoomPresence(opts.Store)
		path := opts.Store.Path()
		srv.watchable = sync.OnceValue(func() bool { return canWatch(path) })
	}
	for _, f := range []struct {
		path   string
		viewer bool
	}{{opts.AuthorizedKeys, false}, {opts.ViewerKeys, true}} {
		if f.path == "" {
			continue
		}
		people, err := readKeys(f.path, f.viewer)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			id := string(p.key.Marshal())
			if others := srv.people[id]; len(others) > 0 && others[0].viewer != p.viewer {
				team := others[0]
				return nil, fmt.Errorf("the key %s is in both the team keys %s (line %d) and the viewer keys %s (line %d); keep it in one of them, as a key gets either the cockpit or the stakeholder view", team.describe(), team.path, team.line, p.path, p.line)
			}
			srv.people[id] = append(srv.people[id], p)
		}
	}
	if len(srv.people) == 0 {
		return nil, errors.New("no SSH key may connect; list your team's public keys in a file and pass it with --authorized-keys FILE")
	}
	s, err := wish.NewServer(
		wish.WithHostKeyPath(opts.HostKey),
		wish.WithPublicKeyAuth(srv.allow),
		wish.WithIdleTimeout(12*time.Hour),
		wish.WithMiddleware(
			wishtea.MiddlewareWithProgramHandler(srv.newProgram, termenv.ANSI256),
			activeterm.Middleware(),
			drainWindows,
			srv.logSessions,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("cannot set up the SSH server (host key %s): %v", opts.HostKey, err)
	}
	srv.limit(s)
	srv.ssh = s
	return srv, nil
}

// lookup finds who a key is when it connects from addr: the first line
// listing the key whose from= admits the address.
func (s *Server) lookup(key ssh.PublicKey, addr net.Addr) (person, bool) {
	if key == nil {
		return person{}, false
	}
	ip := remoteIP(addr)
	for _, p := range s.people[string(key.Marshal())] {
		if p.from.admits(ip) {
			return p, true
		}
	}
	return person{}, false
}

// allow admits listed keys from the addresses they may connect from.
func (s *Server) allow(ctx ssh.Context, key ssh.PublicKey) bool {
	_, ok := s.lookup(key, ctx.RemoteAddr())
	return ok
}

// program builds one session's Bubble Tea program: the cockpit for team
// keys, the stakeholder view for viewer keys.
func (s *Server) program(sess ssh.Session) (tea.Model, []tea.ProgramOption) {
	// Who it is comes from the key the connection authenticated with, not
	// from the last key offered to allow.
	p, ok := s.lookup(sess.PublicKey(), sess.RemoteAddr())
	if !ok {
		return nil, nil
	}
	pty, _, _ := sess.Pty()
	id, err := s.roomIncident()
	if err != nil {
		wish.Fatalln(sess, "warroom: "+err.Error())
		return nil, nil
	}
	opts := tui.Options{
		Store: s.opts.Store, Config: s.opts.Config, Now: s.opts.Now, Author: p.name,
		IncidentID: id, Width: pty.Window.Width, Height: pty.Window.Height,
		Renderer: wishtea.MakeRenderer(sess), PollEvery: s.opts.PollEvery,
		// The clipboard copy (OSC 52) and the bell go to this teammate's terminal.
		Terminal: sess,
		// Times in the teammate's own zone when their client sends TZ
		// (ssh -o SendEnv=TZ), else the server's configured one.
		Location: SessionZone(sess.Environ()),
		// The room remembers the incident its sessions open.
		Opened: s.roomOpened,
		// In a busy room, others' lines are read and drawn a few times a
		// second, not once each (see roomGap).
		RoomGap: s.roomGap,
		// One copy of each incident for every session (tui.Timelines).
		Shared: s.timelines,
	}
	if s.presence != nil {
		// Who is here lives in the server's memory (presence.go).
		opts.Presence = s.presence
	}
	if p.viewer {
		return s.frames(sess, tui.NewViewer(opts), false, []tea.ProgramOption{tea.WithAltScreen()})
	}
	// The stakeholder view only polls; a cockpit is woken by
	// notifications and polls as a fallback (poll.go).
	opts.PollEvery = s.cockpitPoll()
	// The server's own signal handler ends every session through its
	// saving quit (Shutdown); a program of its own catching SIGINT too
	// would race it.
	return s.frames(sess, tui.Held(tui.New(opts)), true, append(tui.ProgramOptions(), tea.WithoutSignalHandler()))
}

// Serve accepts connections on l until Close.
func (s *Server) Serve(l net.Listener) error {
	err := s.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the server and drops every connection at once; Shutdown
// lets the sessions save first.
func (s *Server) Close() error {
	err := s.ssh.Close()
	if s.presence != nil {
		s.presence.Close()
	}
	return err
}
