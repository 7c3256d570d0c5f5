// Package server is the shared war room: the cockpit served over SSH with
// charmbracelet/wish, one Bubble Tea program per connection, all on one
// database.
//
// Only listed keys get in. A key in the authorized keys file gets the full
// cockpit and writes entries under the name in the key's comment
// ("amara@laptop" writes as amara), falling back to the SSH user name. A key
// in the viewer keys file gets the read-only stakeholder view. Sessions see
// each other's entries through the store's change stamps, exactly as a
// local cockpit sees `warroom log` from a script.
package server

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
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
	// PollEvery is passed to each session's program; 0 means the default.
	PollEvery time.Duration
}

// person is one allowed key.
type person struct {
	key    ssh.PublicKey
	name   string
	viewer bool
}

type ctxKey struct{}

// Server is a configured SSH war room.
type Server struct {
	ssh    *ssh.Server
	people []person
	opts   Options
}

// New prepares the server; it does not listen yet.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	srv := &Server{opts: opts}
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
		srv.people = append(srv.people, people...)
	}
	if len(srv.people) == 0 {
		return nil, errors.New("no SSH key may connect; list your team's public keys in a file and pass it with --authorized-keys FILE")
	}
	s, err := wish.NewServer(
		wish.WithHostKeyPath(opts.HostKey),
		wish.WithPublicKeyAuth(srv.allow),
		wish.WithIdleTimeout(12*time.Hour),
		wish.WithMiddleware(
			wishtea.MiddlewareWithColorProfile(srv.program, termenv.ANSI256),
			activeterm.Middleware(),
		),
	)
	if err != nil {
		return nil, fmt.Errorf("cannot set up the SSH server (host key %s): %v", opts.HostKey, err)
	}
	srv.ssh = s
	return srv, nil
}

// readKeys parses an authorized_keys file; the comment names the person.
func readKeys(path string, viewer bool) ([]person, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the keys file %s: %v", path, unwrap(err))
	}
	var out []person
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("line %d of %s is not a public key (%v); use lines as in ~/.ssh/authorized_keys", line, path, err)
		}
		name, _, _ := strings.Cut(comment, "@")
		out = append(out, person{key: key, name: strings.TrimSpace(name), viewer: viewer})
	}
	return out, nil
}

// allow admits listed keys and remembers who connected.
func (s *Server) allow(ctx ssh.Context, key ssh.PublicKey) bool {
	for _, p := range s.people {
		if ssh.KeysEqual(p.key, key) {
			if p.name == "" {
				p.name = ctx.User()
			}
			ctx.SetValue(ctxKey{}, p)
			return true
		}
	}
	return false
}

// program builds one session's Bubble Tea program: the cockpit for team
// keys, the stakeholder view for viewer keys.
func (s *Server) program(sess ssh.Session) (tea.Model, []tea.ProgramOption) {
	p, ok := sess.Context().Value(ctxKey{}).(person)
	if !ok {
		return nil, nil
	}
	pty, _, _ := sess.Pty()
	id, err := s.opts.Store.LatestOpen()
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		wish.Fatalln(sess, "warroom: "+err.Error())
		return nil, nil
	}
	opts := tui.Options{
		Store: s.opts.Store, Config: s.opts.Config, Now: s.opts.Now, Author: p.name,
		IncidentID: id, Width: pty.Window.Width, Height: pty.Window.Height,
		Renderer: wishtea.MakeRenderer(sess), PollEvery: s.opts.PollEvery,
		// The clipboard copy (OSC 52) and the bell go to this teammate's terminal.
		Terminal: sess,
	}
	if p.viewer {
		return tui.NewViewer(opts), []tea.ProgramOption{tea.WithAltScreen()}
	}
	return tui.New(opts), tui.ProgramOptions()
}

// Serve accepts connections on l until Close.
func (s *Server) Serve(l net.Listener) error {
	err := s.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the server and ends every session.
func (s *Server) Close() error { return s.ssh.Close() }

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
