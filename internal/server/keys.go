package server

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom-cli/warroom/internal/incident"
)

// person is one allowed key: one line of a keys file.
type person struct {
	key    gossh.PublicKey
	name   string // the author of what this key writes
	viewer bool
	from   *fromRule // nil: any address
	// Where the key came from, for messages.
	path, comment string
	line          int
}

// describe names the key for a person reading an error: its comment if it
// has one, and its fingerprint as ssh-keygen -l prints it.
func (p person) describe() string {
	fp := gossh.FingerprintSHA256(p.key)
	if p.comment == "" {
		return fp
	}
	return fmt.Sprintf("%q (%s)", p.comment, fp)
}

// readKeys reads an authorized_keys file.
func readKeys(path string, viewer bool) ([]person, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the keys file %s: %v", path, unwrap(err))
	}
	return parseKeys(data, path, viewer)
}

// parseKeys parses the lines of an authorized_keys file. The comment names
// the person ("amara@laptop" writes as amara); a key without one writes as
// key- and the start of its fingerprint, never as whatever user name the
// client sends. Every option on a line is either honoured or the whole
// file is refused: a key that was meant to be restricted must not get the
// full cockpit because warroom skipped what it did not understand.
func parseKeys(data []byte, path string, viewer bool) ([]person, error) {
	var out []person
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := i + 1
		text := bytes.TrimSpace(raw)
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey(text)
		if err != nil {
			return nil, fmt.Errorf("line %d of %s is not a public key (%v); use lines as in ~/.ssh/authorized_keys", line, path, err)
		}
		if _, ok := key.(*gossh.Certificate); ok {
			return nil, fmt.Errorf("line %d of %s is a certificate, which warroom serve does not check; list the plain public key instead", line, path)
		}
		p := person{key: key, viewer: viewer, path: path, line: line, comment: strings.TrimSpace(comment)}
		if p.from, err = keyOptions(options); err != nil {
			return nil, fmt.Errorf("line %d of %s: %v", line, path, err)
		}
		name, _, _ := strings.Cut(p.comment, "@")
		p.name = strings.TrimSpace(incident.CleanText(name))
		if p.name == "" {
			p.name = shortFingerprint(key)
		}
		out = append(out, p)
	}
	return out, nil
}

// shortFingerprint is the author of a key whose line names nobody: "key-"
// and the first 8 characters of the SHA256 fingerprint, which a person can
// find in `ssh-keygen -lf KEY`.
func shortFingerprint(key gossh.PublicKey) string {
	fp := strings.TrimPrefix(gossh.FingerprintSHA256(key), "SHA256:")
	if len(fp) > 8 {
		fp = fp[:8]
	}
	return "key-" + fp
}

// keyOptions checks a key's options and returns its from= rule. warroom
// serve offers a terminal and nothing else (no forwarding of ports, agents
// or X11, no rc files, no commands), so the options that take those away
// hold already and are accepted; every other option is refused.
func keyOptions(options []string) (*fromRule, error) {
	var from *fromRule
	pty := true
	for _, opt := range options {
		name, value, hasValue := strings.Cut(opt, "=")
		switch strings.ToLower(name) {
		case "from":
			if !hasValue {
				return nil, errors.New(`the from option needs a value, as in from="10.0.0.0/8"`)
			}
			if from != nil {
				return nil, errors.New("the key has more than one from= option; list every address pattern in one")
			}
			list, err := unquote(value)
			if err != nil {
				return nil, fmt.Errorf("from=%s %v", value, err)
			}
			if from, err = parseFrom(list); err != nil {
				return nil, fmt.Errorf("from=%s %v", value, err)
			}
			continue
		case "no-port-forwarding", "no-agent-forwarding", "no-x11-forwarding", "no-user-rc":
		case "restrict", "no-pty":
			pty = false
		case "pty":
			pty = true
		default:
			return nil, fmt.Errorf("the key has the option %q, which warroom serve does not implement (it honours from=, restrict, pty and the no-*-forwarding options); remove the option or the key", name)
		}
		if hasValue {
			return nil, fmt.Errorf("the option %q takes no value", name)
		}
	}
	if !pty {
		return nil, errors.New("restrict or no-pty forbids the terminal the cockpit needs, so this key could never get in; write restrict,pty to keep the other restrictions")
	}
	return from, nil
}

// unquote strips the double quotes around an option's value. A pattern list
// has no use for quotes or backslashes inside, so they are refused rather
// than interpreted.
func unquote(v string) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", errors.New(`needs its value in double quotes, as in from="10.0.0.0/8"`)
	}
	v = v[1 : len(v)-1]
	if strings.ContainsAny(v, "\"\\") {
		return "", errors.New("has a quote or backslash inside its value")
	}
	return v, nil
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
