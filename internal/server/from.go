package server

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// fromRule is the pattern list of an authorized_keys from="..." option.
// As in sshd, the client's address must match at least one pattern and no
// negated one. Unlike sshd with UseDNS, only addresses are matched: a host
// name pattern is refused when the file is loaded rather than silently never
// matching (or, negated, never refusing).
type fromRule struct {
	patterns []addrPattern
}

type addrPattern struct {
	negate bool
	ip     netip.Addr   // an exact address, if valid
	prefix netip.Prefix // a CIDR range, if valid
	glob   string       // otherwise a glob of * and ? on the address text
}

// parseFrom parses the value of a from= option, without its quotes.
func parseFrom(list string) (*fromRule, error) {
	if strings.TrimSpace(list) == "" {
		return nil, errors.New("has no address patterns")
	}
	r := &fromRule{}
	positive := false
	for _, raw := range strings.Split(list, ",") {
		text := strings.TrimSpace(raw)
		p := addrPattern{}
		if strings.HasPrefix(text, "!") {
			p.negate = true
			text = strings.TrimSpace(text[1:])
		}
		if text == "" {
			return nil, errors.New("has an empty pattern")
		}
		switch {
		case strings.ContainsAny(text, "*?"):
			if strings.Trim(text, "0123456789abcdefABCDEF.:*?") != "" {
				return nil, fmt.Errorf("has %q, which looks like a host name; warroom matches the client's address only, so use an IP address, a CIDR range such as 10.0.0.0/8 or a glob such as 10.0.*", text)
			}
			p.glob = strings.ToLower(text)
		case strings.Contains(text, "/"):
			prefix, err := netip.ParsePrefix(text)
			if err != nil {
				return nil, fmt.Errorf("has %q, which is not a CIDR range such as 10.0.0.0/8", text)
			}
			p.prefix = unmapPrefix(prefix.Masked())
		default:
			ip, err := netip.ParseAddr(text)
			if err != nil {
				return nil, fmt.Errorf("has %q, which looks like a host name; warroom matches the client's address only, so use an IP address, a CIDR range such as 10.0.0.0/8 or a glob such as 10.0.*", text)
			}
			p.ip = ip.WithZone("").Unmap()
		}
		positive = positive || !p.negate
		r.patterns = append(r.patterns, p)
	}
	if !positive {
		return nil, errors.New(`has only negated patterns, so it admits no address; add the addresses to admit, as in from="!10.0.0.5,10.0.0.0/8"`)
	}
	return r, nil
}

// unmapPrefix turns ::ffff:10.0.0.0/104 into 10.0.0.0/8, so that it
// matches the unmapped client addresses admits compares against.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if !p.Addr().Is4In6() {
		return p
	}
	bits := p.Bits() - 96
	if bits < 0 {
		// Wider than the mapped range: keep it as written, it still
		// covers the mapped addresses it was meant for only as IPv6.
		return p
	}
	return netip.PrefixFrom(p.Addr().Unmap(), bits)
}

// admits reports whether a client at addr may use the key. A nil rule (no
// from= option) admits every address.
func (r *fromRule) admits(addr netip.Addr) bool {
	if r == nil {
		return true
	}
	if !addr.IsValid() {
		return false
	}
	addr = addr.WithZone("").Unmap()
	text := addr.String()
	ok := false
	for _, p := range r.patterns {
		if p.matches(addr, text) {
			if p.negate {
				return false
			}
			ok = true
		}
	}
	return ok
}

func (p addrPattern) matches(addr netip.Addr, text string) bool {
	switch {
	case p.ip.IsValid():
		return p.ip == addr
	case p.prefix.IsValid():
		return p.prefix.Contains(addr)
	default:
		return globMatch(p.glob, text)
	}
}

// globMatch matches s against a pattern of literal bytes, * (any run) and
// ? (one byte), in time proportional to len(pattern)*len(s) at worst.
func globMatch(pattern, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pattern) && (pattern[pi] == '?' || pattern[pi] == s[si]):
			pi++
			si++
		case pi < len(pattern) && pattern[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}

// remoteIP is the client's address without its port.
func remoteIP(a net.Addr) netip.Addr {
	if a == nil {
		return netip.Addr{}
	}
	if tcp, ok := a.(*net.TCPAddr); ok {
		ip, _ := netip.AddrFromSlice(tcp.IP)
		return ip.Unmap()
	}
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr().Unmap()
	}
	ip, _ := netip.ParseAddr(a.String())
	return ip.Unmap()
}
