package sync

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// errNoGit is the one sentence for a machine without git.
var errNoGit = errors.New("warroom sync needs git, which was not found on PATH; install git (for example apt-get install git) and run it again")

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// git runs the git program in one working copy. Git is called as a
// program, never linked: the user's own git, with its SSH keys,
// credential helpers and configuration, is what talks to the remote.
type git struct {
	path string // the git program
	dir  string // the working copy
	// ident is -c user.name/-c user.email for commits when the user's git
	// has no identity configured, so a first sync does not stop at
	// "Please tell me who you are".
	ident []string
}

func findGit(dir string) (*git, error) {
	path, err := exec.LookPath("git")
	if err != nil {
		return nil, errNoGit
	}
	return &git{path: path, dir: dir}, nil
}

// run runs git with args in the working copy and returns its standard
// output; a failure carries what git said on standard error.
func (g *git) run(args ...string) (string, error) {
	out, _, err := g.runFull(args...)
	return out, err
}

func (g *git) runFull(args ...string) (stdout string, code int, err error) {
	cmd := exec.Command(g.path, append(append([]string{"-C", g.dir}, g.ident...), args...)...)
	// No prompt for a password on a terminal the user may not be
	// watching: a remote that needs one fails with git's own message.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = strings.TrimSpace(out.String())
		}
		if i := strings.LastIndex(msg, "\n"); i >= 0 && strings.HasPrefix(msg[i+1:], "fatal:") {
			msg = msg[i+1:]
		}
		if lock := leftLock(msg); lock != "" {
			if !filepath.IsAbs(lock) {
				lock = filepath.Join(g.dir, lock)
			}
			// What a git killed in the middle leaves behind.
			return out.String(), exit.ExitCode(), fmt.Errorf("a git command in %s was interrupted and left %s behind; if no git is running there, remove that file and run warroom sync again", g.dir, lock)
		}
		return out.String(), exit.ExitCode(), fmt.Errorf("git %s failed: %s", args[0], oneLine(msg))
	}
	if err != nil {
		return "", -1, fmt.Errorf("cannot run git: %v", err)
	}
	return out.String(), 0, nil
}

// ok runs git for a yes-or-no answer (exit status 0 or 1).
func (g *git) ok(args ...string) (bool, error) {
	_, code, err := g.runFull(args...)
	switch code {
	case 0:
		return true, nil
	case 1:
		return false, nil
	}
	return false, err
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimSuffix(s, ".")
}

// DriverCommand is the merge driver's command line for the warroom
// program at exe, quoted for the shell git runs it with.
func DriverCommand(exe string) string {
	return "'" + strings.ReplaceAll(exe, "'", `'\''`) + "' merge-file %O %A %B"
}

// leftLock is the lock file a git error says exists ("Unable to create
// '/repo/.git/index.lock': File exists"), or "".
func leftLock(msg string) string {
	if _, rest, ok := strings.Cut(msg, "could not lock config file "); ok {
		if file, _, ok := strings.Cut(rest, ": File exists"); ok {
			return file + ".lock"
		}
	}
	_, rest, ok := strings.Cut(msg, "Unable to create '")
	if !ok {
		return ""
	}
	path, tail, ok := strings.Cut(rest, "'")
	if !ok || !strings.HasSuffix(path, ".lock") || !strings.HasPrefix(tail, ": File exists") {
		return ""
	}
	return path
}
