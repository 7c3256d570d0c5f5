package server

import (
	"strings"
	"time"
)

// SessionZone is the time zone a session's client asked for with TZ in its
// environment (an IANA name such as "Europe/Berlin"), or nil to use the
// server's. A value that is not a known zone, or is absurdly long, is
// ignored rather than trusted: it comes from the network.
func SessionZone(env []string) *time.Location {
	for _, kv := range env {
		name, ok := strings.CutPrefix(kv, "TZ=")
		if !ok {
			continue
		}
		name = strings.TrimPrefix(strings.TrimSpace(name), ":")
		if name == "" || len(name) > 64 || strings.ContainsAny(name, "\x00\\") || strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
			return nil
		}
		loc, err := time.LoadLocation(name)
		if err != nil {
			return nil
		}
		return loc
	}
	return nil
}
