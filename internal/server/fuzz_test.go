package server

import (
	"bytes"
	"crypto/ed25519"
	"net/netip"
	"path"
	"strings"
	"testing"
	"unicode"

	gossh "golang.org/x/crypto/ssh"
)

// fuzzKey is a fixed public key for seeds (the fuzzer cannot make one).
func fuzzKey(f *testing.F) string {
	f.Helper()
	pub, err := gossh.NewPublicKey(ed25519.PublicKey(bytes.Repeat([]byte{7}, ed25519.PublicKeySize)))
	if err != nil {
		f.Fatal(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pub)))
}

// FuzzParseKeys feeds arbitrary keys files to the loader: it must not
// panic, every key it accepts has a printable author, and only options it
// honours got through.
func FuzzParseKeys(f *testing.F) {
	k := fuzzKey(f)
	for _, seed := range []string{
		"",
		"# nobody\n\n",
		k + " amara@laptop\n",
		k + "\n" + k + " ben\r\n",
		`from="127.0.0.1,10.0.0.0/8,!10.0.0.5,fe80::*" ` + k + " amara\n",
		`restrict,pty ` + k + "\n",
		`command="/bin/sh -c \"id\"",no-pty ` + k + " x\n",
		`from="*.example.com" ` + k + "\n",
		`environment="A=1",from="1.2.3.4" ` + k,
		`no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc ` + k + " \x1b[31mred\x1b[0m@x\n",
		`from="` + k,
		"ssh-ed25519 AAAA\n",
	} {
		f.Add([]byte(seed))
	}
	allowed := map[string]bool{"from": true, "restrict": true, "pty": true, "no-pty": true, "no-port-forwarding": true, "no-agent-forwarding": true, "no-x11-forwarding": true, "no-user-rc": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		people, err := parseKeys(data, "keys", false)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, "keys") || strings.ContainsAny(msg, "\n") {
				t.Fatalf("error %q does not name the file on one line", msg)
			}
			return
		}
		lines := bytes.Split(data, []byte("\n"))
		for _, p := range people {
			if p.name == "" || strings.ContainsFunc(p.name, func(r rune) bool { return unicode.IsControl(r) }) {
				t.Fatalf("line %d writes as %q", p.line, p.name)
			}
			_, _, options, _, err := gossh.ParseAuthorizedKey(bytes.TrimSpace(lines[p.line-1]))
			if err != nil {
				t.Fatalf("line %d was accepted but does not parse: %v", p.line, err)
			}
			hasFrom := false
			for _, o := range options {
				name, _, _ := strings.Cut(o, "=")
				if !allowed[strings.ToLower(name)] {
					t.Fatalf("line %d was accepted with the option %q", p.line, o)
				}
				hasFrom = hasFrom || strings.EqualFold(name, "from")
			}
			if hasFrom != (p.from != nil) {
				t.Fatalf("line %d: from= given %v, rule kept %v", p.line, hasFrom, p.from != nil)
			}
		}
	})
}

// FuzzFromRule checks the from= matcher on arbitrary pattern lists and
// addresses: no panic, an address listed is admitted unless a negation
// covers it, and a negated address is always refused.
func FuzzFromRule(f *testing.F) {
	for _, seed := range []struct{ list, addr string }{
		{"127.0.0.1", "127.0.0.1"},
		{"10.0.0.0/8,!10.0.0.5", "10.0.0.5"},
		{"10.0.*", "10.0.9.9"},
		{"fe80::*,::1", "fe80::1"},
		{"*", "::ffff:1.2.3.4"},
		{"192.168.1.?", "192.168.1.10"},
		{"*.example.com", "1.2.3.4"},
		{"!*", "1.1.1.1"},
		{"::ffff:10.0.0.0/104", "10.0.0.1"},
	} {
		f.Add(seed.list, seed.addr)
	}
	f.Fuzz(func(t *testing.T, list, addr string) {
		r, err := parseFrom(list)
		ip, ipErr := netip.ParseAddr(addr)
		if err == nil {
			r.admits(ip)
			if ipErr == nil && !strings.Contains(addr, "%") {
				if neg, err := parseFrom(list + ",!" + addr); err == nil && neg.admits(ip) {
					t.Fatalf("from=%q admits %s", list+",!"+addr, addr)
				}
			}
		}
		if ipErr == nil && !strings.Contains(addr, "%") {
			r, err := parseFrom(addr)
			if err != nil || !r.admits(ip) {
				t.Fatalf("from=%q refuses %s (%v)", addr, addr, err)
			}
		}
		// The glob matcher agrees with path.Match on the characters a
		// from= glob may hold.
		if strings.Trim(list, "0123456789abcdef.:*?") == "" && strings.Trim(addr, "0123456789abcdef.:") == "" {
			want, _ := path.Match(list, addr)
			if got := globMatch(list, addr); got != want {
				t.Fatalf("globMatch(%q, %q) = %v, path.Match says %v", list, addr, got, want)
			}
		}
	})
}

// FuzzCheckPtyRequest feeds arbitrary pty-req payloads to the filter:
// what it passes on is within the bounds and passes through unchanged a
// second time.
func FuzzCheckPtyRequest(f *testing.F) {
	f.Add(ptyPayload("xterm-256color", 120, 40, "\x35\x00\x00\x00\x01\x00"))
	f.Add(ptyPayload("", 0, 0, ""))
	f.Add(ptyPayload("vt100", 1<<31, 7, strings.Repeat("\x01\x00\x00\x00\x03", 60)+"\x00"))
	f.Add([]byte("\x00\x00\x00\x05xterm"))
	f.Add(gossh.Marshal(&windowChange{Cols: 80, Rows: 24}))
	f.Fuzz(func(t *testing.T, payload []byte) {
		if out, ok := checkWindowChange(payload); ok {
			var w windowChange
			if err := gossh.Unmarshal(out, &w); err != nil || w.Cols > maxCols || w.Rows > maxRows {
				t.Fatalf("window-change passed on as %+v (%v)", w, err)
			}
		}
		out, ok := checkPtyRequest(payload)
		if !ok {
			return
		}
		var p ptyRequest
		if err := gossh.Unmarshal(out, &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Term) > maxTermLen || len(p.Modes) > maxModesLen || p.Cols > maxCols || p.Rows > maxRows || p.WidthPx > maxPixels || p.HeightPx > maxPixels {
			t.Fatalf("pty request passed on out of bounds: term %d bytes, modes %d bytes, %dx%d", len(p.Term), len(p.Modes), p.Cols, p.Rows)
		}
		again, ok := checkPtyRequest(out)
		if !ok || !bytes.Equal(again, out) {
			t.Fatal("a pty request the filter passed on is changed or refused the second time")
		}
	})
}
