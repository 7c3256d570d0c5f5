package server

import (
	"crypto/rand"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// keyText is the bare "type base64" of a key line, without its comment.
func (k keypair) keyText() string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.signer.PublicKey())))
}

func TestParseFromPatterns(t *testing.T) {
	cases := []struct {
		list string
		in   []string
		out  []string
	}{
		{"127.0.0.1", []string{"127.0.0.1", "::ffff:127.0.0.1"}, []string{"127.0.0.2", "::1"}},
		{"10.0.0.0/8,192.168.1.0/24", []string{"10.1.2.3", "192.168.1.200"}, []string{"192.168.2.1", "11.0.0.1"}},
		{"10.0.0.5/8", []string{"10.9.9.9"}, []string{"11.0.0.0"}},
		{"10.0.*", []string{"10.0.3.4"}, []string{"10.1.0.1", "110.0.0.1"}},
		{"192.168.1.?", []string{"192.168.1.7"}, []string{"192.168.1.17"}},
		{"*", []string{"1.2.3.4", "fe80::1"}, nil},
		{"!10.0.0.5,10.0.0.0/8", []string{"10.0.0.4"}, []string{"10.0.0.5", "8.8.8.8"}},
		{"10.0.0.0/8, !10.0.0.0/24", []string{"10.1.0.1"}, []string{"10.0.0.9"}},
		{"fe80::*,::1", []string{"fe80::1", "::1"}, []string{"fe81::1", "127.0.0.1"}},
		{"2001:DB8::/32", []string{"2001:db8::7"}, []string{"2001:db9::7"}},
		{"::ffff:10.0.0.0/104", []string{"10.2.3.4"}, []string{"11.0.0.1"}},
	}
	for _, c := range cases {
		r, err := parseFrom(c.list)
		if err != nil {
			t.Errorf("parseFrom(%q): %v", c.list, err)
			continue
		}
		for _, a := range c.in {
			if !r.admits(netip.MustParseAddr(a)) {
				t.Errorf("from=%q refuses %s", c.list, a)
			}
		}
		for _, a := range c.out {
			if r.admits(netip.MustParseAddr(a)) {
				t.Errorf("from=%q admits %s", c.list, a)
			}
		}
		if r.admits(netip.Addr{}) {
			t.Errorf("from=%q admits an unknown address", c.list)
		}
	}
	for _, bad := range []string{"", " ", "10.0.0.1,,10.0.0.2", "!", "*.example.com", "bastion", "bastion.corp", "10.0.0.0/33", "10.0.0.0/x", "!10.0.0.1", "!10.0.0.0/8,!fe80::*"} {
		if _, err := parseFrom(bad); err == nil {
			t.Errorf("parseFrom(%q) = nil error, want one", bad)
		}
	}
	var none *fromRule
	if !none.admits(netip.MustParseAddr("203.0.113.9")) {
		t.Error("a key without from= is refused")
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"", "", true}, {"", "a", false}, {"?", "", false},
		{"10.*.1", "10.0.0.1", true}, {"10.*.1", "10.0.0.2", false},
		{"*1*1*", "10.0.0.1", true}, {"a*a*a*a*b", strings.Repeat("a", 200), false},
	}
	for _, c := range cases {
		if got := globMatch(c.p, c.s); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

func TestKeyOptions(t *testing.T) {
	k := newKey(t, "amara@laptop")
	ok := []string{
		`from="127.0.0.1" `,
		`restrict,pty `,
		`no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc `,
		`FROM="10.0.0.0/8",Restrict,PTY `,
		`no-pty,pty `,
	}
	for _, opts := range ok {
		if _, err := parseKeys([]byte(opts+k.line), "team_keys", false); err != nil {
			t.Errorf("%s: %v", opts, err)
		}
	}
	bad := []struct{ opts, want string }{
		{`command="/bin/date" `, `"command"`},
		{`restrict `, "restrict,pty"},
		{`pty,restrict `, "restrict,pty"},
		{`no-pty `, "restrict,pty"},
		{`environment="A=b" `, `"environment"`},
		{`cert-authority `, `"cert-authority"`},
		{`expiry-time="20300101" `, `"expiry-time"`},
		{`permitopen="localhost:80" `, `"permitopen"`},
		{`from="*.example.com" `, "host name"},
		{`from="127.0.0.1",from="10.0.0.1" `, "more than one from="},
		{`from=127.0.0.1 `, "double quotes"},
		{`from="" `, "no address patterns"},
		{`from="!127.0.0.1" `, "only negated"},
		{`pty=1 `, "takes no value"},
	}
	for _, c := range bad {
		data := "# the team\n" + c.opts + k.line
		_, err := parseKeys([]byte(data), "team_keys", false)
		if err == nil {
			t.Errorf("%s was accepted", c.opts)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "line 2 of team_keys") || !strings.Contains(msg, c.want) || strings.Count(msg, ". ") > 0 {
			t.Errorf("%s: err = %q; want one sentence naming line 2 of team_keys and %s", c.opts, msg, c.want)
		}
	}
}

func TestKeyNames(t *testing.T) {
	named, bare, at := newKey(t, "amara@laptop"), newKey(t, ""), newKey(t, "@laptop")
	data := named.line + bare.keyText() + "\n" + at.line + "from=\"127.0.0.1\" " + bare.keyText() + " ben\n"
	people, err := parseKeys([]byte(data), "team", false)
	if err != nil {
		t.Fatal(err)
	}
	fp := strings.TrimPrefix(gossh.FingerprintSHA256(bare.signer.PublicKey()), "SHA256:")
	want := []string{"amara", "key-" + fp[:8], shortFingerprint(at.signer.PublicKey()), "ben"}
	if len(people) != len(want) {
		t.Fatalf("got %d people, want %d", len(people), len(want))
	}
	for i, p := range people {
		if p.name != want[i] {
			t.Errorf("line %d writes as %q, want %q", i+1, p.name, want[i])
		}
	}
}

func TestCertificateLineIsRefused(t *testing.T) {
	user, ca := newKey(t, "amara"), newKey(t, "ca")
	cert := &gossh.Certificate{Key: user.signer.PublicKey(), CertType: gossh.UserCert, ValidPrincipals: []string{"amara"}, ValidBefore: gossh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, ca.signer); err != nil {
		t.Fatal(err)
	}
	_, err := parseKeys(gossh.MarshalAuthorizedKey(cert), "team", false)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v", err)
	}
}

// writeKeys writes a keys file under dir and returns its path.
func writeKeys(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKeyInBothFilesIsRefused(t *testing.T) {
	dir := t.TempDir()
	amara, cfo := newKey(t, "amara@laptop"), newKey(t, "cfo")
	bare := newKey(t, "")
	cases := []struct {
		team, viewers string
		want          string
	}{
		{amara.line, cfo.line + "restrict,pty " + amara.keyText() + " amara-as-viewer\n", `"amara@laptop"`},
		{cfo.line + bare.keyText() + "\n", bare.keyText() + " someone\n", gossh.FingerprintSHA256(bare.signer.PublicKey())},
	}
	for _, c := range cases {
		team := writeKeys(t, dir, "team_keys", c.team)
		viewers := writeKeys(t, dir, "viewer_keys", c.viewers)
		_, err := New(Options{AuthorizedKeys: team, ViewerKeys: viewers, HostKey: filepath.Join(dir, "hk")})
		if err == nil {
			t.Fatal("a key in both files was accepted")
		}
		msg := err.Error()
		for _, w := range []string{c.want, team, viewers} {
			if !strings.Contains(msg, w) {
				t.Errorf("err = %q; want it to name %s", msg, w)
			}
		}
		if strings.Contains(msg, ". ") {
			t.Errorf("err = %q: want one sentence", msg)
		}
	}
	// The same key twice in one file is allowed: the lines can differ in from=.
	team := writeKeys(t, dir, "team_keys", `from="10.0.0.0/8" `+amara.line+amara.line)
	if _, err := New(Options{AuthorizedKeys: team, HostKey: filepath.Join(dir, "hk")}); err != nil {
		t.Fatal(err)
	}
}

func TestFromOptionAtTheDoor(t *testing.T) {
	office, anywhere, notHere, globbed, negated := newKey(t, "office"), newKey(t, "anywhere"), newKey(t, "elsewhere"), newKey(t, "globbed"), newKey(t, "negated")
	team := strings.Join([]string{
		`from="10.0.0.0/8,192.168.0.0/16" ` + notHere.line,
		`from="127.0.0.1" ` + office.line,
		anywhere.line,
		`from="127.0.*" ` + globbed.line,
		`from="!127.0.0.1,*" ` + negated.line,
	}, "")
	wr := startWarRoomFiles(t, team, "", nil)
	for _, k := range []keypair{office, anywhere, globbed} {
		c, err := connect(wr.addr, "x", k)
		if err != nil {
			t.Errorf("%s: refused from 127.0.0.1: %v", k.line, err)
			continue
		}
		c.Close()
	}
	for _, k := range []keypair{notHere, negated} {
		if c, err := connect(wr.addr, "x", k); err == nil {
			c.Close()
			t.Errorf("%s: admitted from 127.0.0.1", k.line)
		}
	}
}

func TestAuthorIsTheKeyNotTheUserName(t *testing.T) {
	bare, ben := newKey(t, ""), newKey(t, "")
	// ben's key is listed twice: the line whose from= admits loopback names him.
	team := bare.keyText() + "\n" + `from="10.0.0.0/8" ` + ben.keyText() + " ben-office\n" + `from="127.0.0.0/8" ` + ben.keyText() + " ben@home\n"
	wr := startWarRoomFiles(t, team, "", nil)
	for _, c := range []struct {
		key  keypair
		text string
		want string
	}{
		{bare, "written by a bare key", shortFingerprint(bare.signer.PublicKey())},
		{ben, "written by ben from home", "ben"},
	} {
		s, err := dialAs(t, wr.addr, "anyone", c.key)
		if err != nil {
			t.Fatal(err)
		}
		s.waitFor("Checkout failing")
		if _, err := s.in.Write([]byte(c.text + "\r")); err != nil {
			t.Fatal(err)
		}
		if e := wr.waitForEntry(t, c.text); e.Author != c.want {
			t.Errorf("%q was written as %q, want %q", c.text, e.Author, c.want)
		}
	}
}
